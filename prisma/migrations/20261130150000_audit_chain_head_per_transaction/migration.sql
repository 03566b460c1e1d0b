-- The audit chain's head row is written once per transaction, at commit, instead of once
-- per event (decision 0009, "The head, once per transaction").
--
-- Why: every event updated the one head row, so a transaction writing 200 events (a batch
-- of a bulk job, a window of the dispatcher) left 200 versions of it, every later event
-- walked them to find the live one, and with autovacuum behind they piled up across
-- transactions: 100 µs per event on a freshly vacuumed head, 700 µs three runs of 2,000
-- events later, and 201 µs on average over a 100,000-message replay job, the largest single
-- cost of a replay (docs/decisions/performance.md).
--
-- What does not change: the first event of a transaction locks the head (FOR UPDATE) and
-- reads the hash it links to, and the lock is held until commit, so writers are still
-- chained in the order they commit and a REPEATABLE READ writer that waited still fails
-- rather than fork. Ids are still taken under the lock. The chain itself is the same.
--
-- What changes: the later events of the transaction link to the previous event's hash kept
-- in transaction-local settings (reverted with the transaction, or with a subtransaction
-- that rolls back), and a deferred constraint trigger moves the head to the transaction's
-- last event, counting its events, when the transaction commits.

CREATE OR REPLACE FUNCTION "audit_events_chain"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prev BYTEA;
  tx TEXT := txid_current()::text;
BEGIN
  IF current_setting('dlq.audit_chain_tx', true) IS DISTINCT FROM tx THEN
    -- The transaction's first event: waits for any other transaction that is appending;
    -- under READ COMMITTED it then reads the head that one committed. Under REPEATABLE
    -- READ it fails rather than fork.
    SELECT "last_hash" INTO prev FROM "audit_chain_head" WHERE "id" FOR UPDATE;
    IF prev IS NULL THEN
      RAISE EXCEPTION 'audit_chain_head is missing: the audit chain cannot be extended' USING ERRCODE = 'internal_error';
    END IF;
    PERFORM set_config('dlq.audit_chain_tx', tx, true);
    PERFORM set_config('dlq.audit_chain_events', '0', true);
  ELSE
    -- The head is locked by this transaction since its first event.
    prev := decode(current_setting('dlq.audit_chain_hash'), 'hex');
  END IF;
  -- Ids are taken under the lock, so id order is chain order.
  NEW.id := nextval(pg_get_serial_sequence('"audit_events"', 'id'));
  IF NEW.message_id IS NOT NULL AND NEW.source_queue IS NULL AND NEW.origin_queue IS NULL THEN
    SELECT m."source_queue", m."origin_queue" INTO NEW.source_queue, NEW.origin_queue FROM "messages" m WHERE m."id" = NEW.message_id;
  END IF;
  NEW.prev_hash := prev;
  NEW.hash := sha256(prev || convert_to("audit_event_canonical"(NEW), 'UTF8'));
  PERFORM set_config('dlq.audit_chain_hash', encode(NEW.hash, 'hex'), true);
  PERFORM set_config('dlq.audit_chain_last_id', NEW.id::text, true);
  PERFORM set_config('dlq.audit_chain_events', (current_setting('dlq.audit_chain_events')::bigint + 1)::text, true);
  RETURN NEW;
END;
$$;

-- Fires at commit for each event the transaction appended, in order; the last one moves the
-- head. An event inserted with the chain trigger off (a superuser repairing the table) has
-- no settings behind it and moves nothing.
CREATE FUNCTION "audit_chain_head_commit"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_id TEXT := nullif(current_setting('dlq.audit_chain_last_id', true), '');
BEGIN
  IF last_id IS NOT NULL AND NEW.id = last_id::bigint AND NEW.hash = decode(current_setting('dlq.audit_chain_hash'), 'hex') THEN
    UPDATE "audit_chain_head"
      SET "last_id" = NEW.id, "last_hash" = NEW.hash, "events" = "events" + current_setting('dlq.audit_chain_events')::bigint
      WHERE "id";
    -- Counted once, also if the constraint is made IMMEDIATE and fires again later in the transaction.
    PERFORM set_config('dlq.audit_chain_events', '0', true);
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER "audit_chain_head_commit" AFTER INSERT ON "audit_events"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "audit_chain_head_commit"();
