-- Access control (issue 5): teams own queues and have members, users and tokens can be
-- limited to their teams, OIDC users have no password, admins can end every session of a
-- user, sources can be protected, redaction rules, four-eyes approvals, login throttling.

-- Users -----------------------------------------------------------------------------
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;
-- 'credentials' or 'oidc': an OIDC user's role is set from the identity provider's groups.
ALTER TABLE "users" ADD COLUMN "auth_provider" TEXT NOT NULL DEFAULT 'credentials';
-- When true, the user sees and acts on the messages of their teams' queues only.
ALTER TABLE "users" ADD COLUMN "team_scoped" BOOLEAN NOT NULL DEFAULT false;
-- Sessions issued before this instant are refused ("sign out everywhere").
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD CONSTRAINT "users_auth_provider_check" CHECK ("auth_provider" IN ('credentials', 'oidc'));
ALTER TABLE "users" ADD CONSTRAINT "users_password_check" CHECK ("auth_provider" = 'oidc' OR "password_hash" IS NOT NULL);

-- Teams: who is in them and which queues they own ------------------------------------
CREATE TABLE "team_members" (
    "team_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "team_members_pkey" PRIMARY KEY ("team_id", "user_id"),
    CONSTRAINT "team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "team_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "team_members_user_id_idx" ON "team_members"("user_id");

-- A queue has at most one owning team. kind 'origin': the queue messages died in;
-- kind 'source': a dead-letter queue the console consumes.
CREATE TABLE "team_ownerships" (
    "kind" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "team_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "team_ownerships_pkey" PRIMARY KEY ("kind", "queue"),
    CONSTRAINT "team_ownerships_kind_check" CHECK ("kind" IN ('origin', 'source')),
    CONSTRAINT "team_ownerships_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "team_ownerships_team_id_idx" ON "team_ownerships"("team_id");

-- A token limited to one team. RESTRICT: deleting the team must not silently widen or
-- revoke the token; the team's tokens are revoked (and audited) first.
ALTER TABLE "api_tokens" ADD COLUMN "team_id" UUID;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Sources -------------------------------------------------------------------------------
-- Replays, redirects and discards of a protected source's messages need a second person.
ALTER TABLE "sources" ADD COLUMN "protected" BOOLEAN NOT NULL DEFAULT false;

-- Settings: one row -------------------------------------------------------------------------
CREATE TABLE "settings" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "approval_threshold" INTEGER NOT NULL DEFAULT 100,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "settings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "settings_single_row" CHECK ("id"),
    CONSTRAINT "settings_approval_threshold_check" CHECK ("approval_threshold" >= 1)
);
INSERT INTO "settings" ("id") VALUES (true);

-- Redaction rules -------------------------------------------------------------------------
CREATE TABLE "redaction_rules" (
    "id" UUID NOT NULL,
    -- 'json_path' ($.card.number, $.items[*].pan) or 'header' (a header name, any case).
    "kind" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "redaction_rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "redaction_rules_kind_check" CHECK ("kind" IN ('json_path', 'header'))
);
CREATE UNIQUE INDEX "redaction_rules_kind_pattern_key" ON "redaction_rules"("kind", "pattern");

-- Four-eyes approvals ------------------------------------------------------------------------
CREATE TABLE "approval_requests" (
    "id" UUID NOT NULL,
    -- 'replay', 'redirect' or 'discard'
    "kind" TEXT NOT NULL,
    -- 'pending' → 'approved' (then executed) | 'rejected' | 'cancelled'
    "status" TEXT NOT NULL DEFAULT 'pending',
    -- The action as the requester sent it, without the message list.
    "input" JSONB NOT NULL,
    "message_ids" BIGINT[] NOT NULL,
    -- Why a second person is needed: 'threshold' and/or 'protected:<queue>'.
    "grounds" TEXT[] NOT NULL,
    "reason" TEXT,
    -- Actor labels for display; actor keys ('user:<id>', 'token:<id>') for the self-approval check.
    "requested_by" TEXT NOT NULL,
    "requested_by_key" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" TEXT,
    "decided_by_key" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "executed_at" TIMESTAMPTZ(3),
    -- Per-message outcome of the execution: counts and the failures in words.
    "result" JSONB,
    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "approval_requests_kind_check" CHECK ("kind" IN ('replay', 'redirect', 'discard')),
    CONSTRAINT "approval_requests_status_check" CHECK ("status" IN ('pending', 'approved', 'rejected', 'cancelled')),
    CONSTRAINT "approval_requests_four_eyes" CHECK ("decided_by_key" IS NULL OR "decided_by_key" <> "requested_by_key")
);
CREATE INDEX "approval_requests_status_requested_at_idx" ON "approval_requests"("status", "requested_at");

-- Login throttling: failed sign-ins counted per key ('email:<address>', 'ip:<address>') in
-- fixed windows, in the database so every web replica sees the same counts.
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "failures" INTEGER NOT NULL,
    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);
