-- Revisions cannot be deleted or truncated on their own either: only removing their
-- message (retention) takes them away, through the foreign key's cascade.

CREATE FUNCTION "message_revisions_refuse_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A cascade from the message runs after the message row is gone.
  IF EXISTS (SELECT 1 FROM "messages" WHERE "id" = OLD."message_id") THEN
    RAISE EXCEPTION 'message_revisions are immutable: DELETE refused (delete the message instead)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$;
CREATE TRIGGER "message_revisions_no_delete" BEFORE DELETE ON "message_revisions"
  FOR EACH ROW EXECUTE FUNCTION "message_revisions_refuse_delete"();
CREATE TRIGGER "message_revisions_no_truncate" BEFORE TRUNCATE ON "message_revisions"
  FOR EACH STATEMENT EXECUTE FUNCTION "message_revisions_refuse_update"();
