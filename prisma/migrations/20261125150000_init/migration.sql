-- Initial schema. Hand-written to match prisma/schema.prisma exactly (names follow
-- Prisma's conventions so `prisma migrate diff` would find nothing to change), plus
-- what Prisma cannot express: the trigram index and the append-only audit trigger.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TYPE "death_reason" AS ENUM ('rejected', 'expired', 'maxlen', 'delivery_limit', 'unknown');
CREATE TYPE "message_status" AS ENUM ('new', 'replayed', 'redirected', 'discarded');

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

CREATE TABLE "sources" (
    "queue" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    CONSTRAINT "sources_pkey" PRIMARY KEY ("queue")
);

CREATE TABLE "messages" (
    "id" BIGSERIAL NOT NULL,
    "source_queue" TEXT NOT NULL,
    "fingerprint" BYTEA NOT NULL,
    "redelivered" BOOLEAN NOT NULL DEFAULT false,
    "status" "message_status" NOT NULL DEFAULT 'new',
    "origin_queue" TEXT,
    "reason" "death_reason" NOT NULL,
    "exchange" TEXT,
    "routing_keys" TEXT[],
    "death_count" INTEGER NOT NULL,
    "first_death_at" TIMESTAMPTZ(3),
    "last_death_at" TIMESTAMPTZ(3),
    "first_death" JSONB,
    "last_death" JSONB,
    "message_id" TEXT,
    "correlation_id" TEXT,
    "content_type" TEXT,
    "content_encoding" TEXT,
    "size" INTEGER NOT NULL,
    "is_large" BOOLEAN NOT NULL,
    "body" BYTEA NOT NULL,
    "properties" JSONB NOT NULL,
    "headers" JSON NOT NULL, -- json keeps the headers' order; jsonb would sort the keys
    "x_death" JSONB NOT NULL,
    "delivery_exchange" TEXT NOT NULL,
    "delivery_routing_key" TEXT NOT NULL,
    "search_text" TEXT NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);
-- Not unique: two identical first deliveries are two dead letters. Redeliveries are
-- checked against it (lib/ingest/store-dead-letters.ts).
CREATE INDEX "messages_source_queue_fingerprint_idx" ON "messages"("source_queue", "fingerprint");
CREATE INDEX "messages_source_queue_id_idx" ON "messages"("source_queue", "id");
CREATE INDEX "messages_origin_queue_id_idx" ON "messages"("origin_queue", "id");
CREATE INDEX "messages_reason_id_idx" ON "messages"("reason", "id");
CREATE INDEX "messages_status_id_idx" ON "messages"("status", "id");
CREATE INDEX "messages_ingested_at_idx" ON "messages"("ingested_at");
-- Free text over message id, correlation id and routing keys (ILIKE '%q%').
CREATE INDEX "messages_search_text_trgm_idx" ON "messages" USING GIN ("search_text" gin_trgm_ops);

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_action_id_idx" ON "audit_events"("action", "id");
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events"("actor", "id");

-- The audit record can only grow: UPDATE, DELETE and TRUNCATE are refused. A superuser
-- or the table owner can still drop the trigger; see docs/decisions/0003-audit-append-only.md.
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();
CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();
