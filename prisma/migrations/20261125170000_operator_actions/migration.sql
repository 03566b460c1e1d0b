-- Operator actions: revisions, the dispatch outbox, teams, sandboxes, contracts, request
-- idempotency, and the audit columns the message timeline and the audit page filter on.
-- See docs/decisions/0007-operator-actions-and-the-outbox.md.

-- New enum values cannot be used in the transaction that adds them; nothing below does.
ALTER TYPE "message_status" ADD VALUE 'edited' BEFORE 'replayed';
ALTER TYPE "message_status" ADD VALUE 'replaying' BEFORE 'replayed';
ALTER TYPE "message_status" ADD VALUE 'redirecting' BEFORE 'replayed';
ALTER TYPE "message_status" ADD VALUE 'failed';

ALTER TABLE "messages"
    -- Optimistic concurrency: every action names the version it saw and bumps it.
    ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1,
    -- What restore goes back to.
    ADD COLUMN "status_before_discard" "message_status",
    -- Read at ingest from the headers the console sets on every publish, so a replay that
    -- dead-letters again is linked to the dispatch it came from.
    ADD COLUMN "replay_id" UUID,
    ADD COLUMN "original_message_id" BIGINT,
    ADD COLUMN "replay_count" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "messages_replay_id_idx" ON "messages"("replay_id");
CREATE INDEX "messages_original_message_id_idx" ON "messages"("original_message_id");

CREATE TABLE "message_revisions" (
    "id" BIGSERIAL NOT NULL,
    "message_id" BIGINT NOT NULL,
    "number" INTEGER NOT NULL,
    "body" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "headers" JSON NOT NULL, -- json keeps the order, as on messages
    "author" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "message_revisions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "message_revisions_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "message_revisions_message_id_number_key" ON "message_revisions"("message_id", "number");

-- A revision is immutable once written (a later edit is a new revision).
CREATE FUNCTION "message_revisions_refuse_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'message_revisions are immutable: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "message_revisions_no_update" BEFORE UPDATE ON "message_revisions"
  FOR EACH ROW EXECUTE FUNCTION "message_revisions_refuse_update"();

CREATE TABLE "teams" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "queue" TEXT,
    "exchange" TEXT,
    "routing_key" TEXT,
    "contact" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "teams_pkey" PRIMARY KEY ("id"),
    -- A destination is a queue, or an exchange with a routing key; never both.
    CONSTRAINT "teams_destination_check" CHECK (("queue" IS NULL) <> ("exchange" IS NULL) AND ("exchange" IS NULL OR "routing_key" IS NOT NULL))
);
CREATE UNIQUE INDEX "teams_name_key" ON "teams"("name");

CREATE TABLE "sandboxes" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL, -- an amqp(s) URL: another vhost on this broker, or another broker
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sandboxes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sandboxes_name_key" ON "sandboxes"("name");

CREATE TABLE "contracts" (
    "origin_queue" TEXT NOT NULL,
    "schema" JSONB NOT NULL,
    "updated_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contracts_pkey" PRIMARY KEY ("origin_queue")
);

-- The outbox: one row per publish the console intends. Written in the action's
-- transaction; the worker's dispatcher publishes it with confirms and records the outcome.
CREATE TABLE "dispatches" (
    "id" UUID NOT NULL, -- the replay id, sent as the x-dlq-console-replay-id header
    "action_id" UUID NOT NULL, -- one operator action (a redirect to all teams is one action, many dispatches)
    "message_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "revision_id" BIGINT, -- null: the bytes that arrived
    "exchange" TEXT NOT NULL,
    "routing_key" TEXT NOT NULL,
    "team_id" UUID,
    "team_name" TEXT,
    "sandbox_id" UUID,
    "sandbox_name" TEXT,
    "replay_count" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),
    CONSTRAINT "dispatches_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dispatches_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "dispatches_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "message_revisions"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "dispatches_kind_check" CHECK ("kind" IN ('replay', 'redirect', 'sandbox')),
    CONSTRAINT "dispatches_state_check" CHECK ("state" IN ('pending', 'published', 'failed'))
);
CREATE INDEX "dispatches_message_id_created_at_idx" ON "dispatches"("message_id", "created_at");
CREATE INDEX "dispatches_action_id_idx" ON "dispatches"("action_id");
-- The dispatcher's work list stays small however many dispatches have settled.
CREATE INDEX "dispatches_pending_idx" ON "dispatches"("next_attempt_at") WHERE "state" = 'pending';

-- A retried HTTP call with the same Idempotency-Key gets the first call's answer.
CREATE TABLE "idempotent_requests" (
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotent_requests_pkey" PRIMARY KEY ("actor", "key")
);

ALTER TABLE "audit_events"
    ADD COLUMN "message_id" BIGINT, -- no foreign key: the record outlives the message
    ADD COLUMN "request_id" TEXT,
    ADD COLUMN "target" TEXT,
    ADD COLUMN "result" TEXT;
CREATE INDEX "audit_events_message_id_id_idx" ON "audit_events"("message_id", "id");
