-- The audit record becomes tamper-evident (docs/decisions/0009-audit-hash-chain.md): every
-- event carries the hash of the event before it, computed here, in the database, for every
-- insert whoever makes it. lib/audit/verify-audit-chain.ts recomputes the chain in Node.
--
-- Canonical form of an event (the verifier implements the same, independently):
--   the fields id, at, actor, action, subject, reason, before, after, message_id,
--   request_id, target, result, source_queue, origin_queue, outcome, in that order, each
--   rendered as text (id and message_id in decimal; at as UTC 'YYYY-MM-DDTHH:MI:SS.mmmZ';
--   before and after as PostgreSQL's jsonb text) and written as '-' when NULL or
--   '<octet length>:<text>' otherwise, concatenated.
--   hash = sha256(prev_hash || utf8(canonical)); the first event's prev_hash is 32 zero bytes.

-- The message an event is about, copied at write time so the record stays whole and
-- filterable after retention deletes the message; and the outcome in one word.
ALTER TABLE "audit_events" ADD COLUMN "source_queue" TEXT;
ALTER TABLE "audit_events" ADD COLUMN "origin_queue" TEXT;
-- 'succeeded', 'failed', 'pending' (requested, waiting for a publish or an approval), 'rejected'.
ALTER TABLE "audit_events" ADD COLUMN "outcome" TEXT;
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" BYTEA;
ALTER TABLE "audit_events" ADD COLUMN "hash" BYTEA;

CREATE FUNCTION "audit_field"(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t IS NULL THEN '-' ELSE octet_length(t)::text || ':' || t END
$$;

CREATE FUNCTION "audit_event_canonical"(e "audit_events") RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT "audit_field"(e.id::text)
    || "audit_field"(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    || "audit_field"(e.actor)
    || "audit_field"(e.action)
    || "audit_field"(e.subject)
    || "audit_field"(e.reason)
    || "audit_field"(e.before::text)
    || "audit_field"(e.after::text)
    || "audit_field"(e.message_id::text)
    || "audit_field"(e.request_id)
    || "audit_field"(e.target)
    || "audit_field"(e.result)
    || "audit_field"(e.source_queue)
    || "audit_field"(e.origin_queue)
    || "audit_field"(e.outcome)
$$;

-- Backfill what was recorded before this migration, in id order. The append-only trigger
-- is off for this transaction's backfill only.
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_no_update_delete";
UPDATE "audit_events" e SET "source_queue" = m."source_queue", "origin_queue" = m."origin_queue"
  FROM "messages" m WHERE e."message_id" = m."id";
UPDATE "audit_events" SET "outcome" = CASE
    WHEN "action" IN ('dispatch.failed') THEN 'failed'
    WHEN "action" IN ('dispatch.retrying', 'message.replay_requested', 'message.redirect_requested', 'message.sandbox_replay_requested') THEN 'pending'
    ELSE 'succeeded' END;

-- The head of the chain: one row, locked by every insert, so inserts are chained in the
-- order they commit. It is a cache for writers; the verifier trusts only the events.
CREATE TABLE "audit_chain_head" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_id" BIGINT,
    "last_hash" BYTEA NOT NULL,
    "events" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_chain_head_single_row" CHECK ("id")
);

DO $$
DECLARE
  r "audit_events";
  prev BYTEA := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  n BIGINT := 0;
  last BIGINT;
BEGIN
  FOR r IN SELECT * FROM "audit_events" ORDER BY "id" LOOP
    r.prev_hash := prev;
    r.hash := sha256(prev || convert_to("audit_event_canonical"(r), 'UTF8'));
    UPDATE "audit_events" SET "prev_hash" = r.prev_hash, "hash" = r.hash WHERE "id" = r.id;
    prev := r.hash;
    last := r.id;
    n := n + 1;
  END LOOP;
  INSERT INTO "audit_chain_head" ("id", "last_id", "last_hash", "events") VALUES (true, last, prev, n);
END;
$$;

ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_no_update_delete";
ALTER TABLE "audit_events" ALTER COLUMN "prev_hash" SET NOT NULL;
ALTER TABLE "audit_events" ALTER COLUMN "hash" SET NOT NULL;

CREATE FUNCTION "audit_events_chain"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prev BYTEA;
BEGIN
  -- Waits for any other transaction that is appending; under READ COMMITTED it then
  -- reads the head that one committed. Under REPEATABLE READ it fails rather than fork.
  SELECT "last_hash" INTO prev FROM "audit_chain_head" WHERE "id" FOR UPDATE;
  IF prev IS NULL THEN
    RAISE EXCEPTION 'audit_chain_head is missing: the audit chain cannot be extended' USING ERRCODE = 'internal_error';
  END IF;
  -- Ids are taken under the lock, so id order is chain order.
  NEW.id := nextval(pg_get_serial_sequence('"audit_events"', 'id'));
  IF NEW.message_id IS NOT NULL AND NEW.source_queue IS NULL AND NEW.origin_queue IS NULL THEN
    SELECT m."source_queue", m."origin_queue" INTO NEW.source_queue, NEW.origin_queue FROM "messages" m WHERE m."id" = NEW.message_id;
  END IF;
  NEW.prev_hash := prev;
  NEW.hash := sha256(prev || convert_to("audit_event_canonical"(NEW), 'UTF8'));
  UPDATE "audit_chain_head" SET "last_id" = NEW.id, "last_hash" = NEW.hash, "events" = "events" + 1 WHERE "id";
  RETURN NEW;
END;
$$;
CREATE TRIGGER "audit_events_chain" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_chain"();

-- The head moves only from inside the chain trigger, and is never deleted.
CREATE FUNCTION "audit_chain_head_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_chain_head moves only when an audit event is appended: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_chain_head_guard" BEFORE UPDATE OR DELETE ON "audit_chain_head"
  FOR EACH ROW EXECUTE FUNCTION "audit_chain_head_guard"();
CREATE TRIGGER "audit_chain_head_no_truncate" BEFORE TRUNCATE ON "audit_chain_head"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_chain_head_guard"();

CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");
CREATE INDEX "audit_events_source_queue_id_idx" ON "audit_events"("source_queue", "id");
CREATE INDEX "audit_events_origin_queue_id_idx" ON "audit_events"("origin_queue", "id");
CREATE INDEX "audit_events_outcome_id_idx" ON "audit_events"("outcome", "id");
