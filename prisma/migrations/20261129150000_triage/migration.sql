-- Triage at scale (issue 6): failure groups and their categories, full-text and JSON path
-- search, bulk jobs with frozen selections, ownership rules, retention.


-- ---------------------------------------------------------------------------------------
-- Failure groups. The worker's classifier (lib/groups) fills messages.group_id for rows
-- that have none, in small batches, so ingest stays one INSERT and old rows are grouped too.

CREATE TABLE failure_groups (
  id                BIGSERIAL PRIMARY KEY,
  signature         BYTEA NOT NULL UNIQUE,
  origin_queue      TEXT,
  reason            death_reason NOT NULL,
  exception_type    TEXT,
  exception_message TEXT,
  framework         TEXT,
  first_seen_at     TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  last_seen_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  message_count     BIGINT NOT NULL DEFAULT 0,
  sample_message_id BIGINT,
  category          TEXT NOT NULL DEFAULT 'unknown' CHECK (category IN ('transient', 'persistent', 'unknown')),
  suggested_action  TEXT,
  category_rule_id  UUID,
  created_at        TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX failure_groups_last_seen_at_idx ON failure_groups (last_seen_at DESC, id DESC);
CREATE INDEX failure_groups_origin_queue_idx ON failure_groups (origin_queue);

-- Admin rules that put a group in a category; checked in position order before the built-in ones.
CREATE TABLE failure_category_rules (
  id               UUID PRIMARY KEY,
  position         INT NOT NULL,
  field            TEXT NOT NULL CHECK (field IN ('reason', 'exception_type', 'exception_message', 'any')),
  pattern          TEXT NOT NULL,
  category         TEXT NOT NULL CHECK (category IN ('transient', 'persistent')),
  suggested_action TEXT,
  created_by       TEXT NOT NULL,
  created_at       TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- A runbook link for an origin queue or a failure group, shown where the operator acts.
CREATE TABLE runbooks (
  kind       TEXT NOT NULL CHECK (kind IN ('origin', 'group')),
  key        TEXT NOT NULL,
  url        TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);

-- ---------------------------------------------------------------------------------------
-- Ownership rules: which team owns a message, by origin queue, routing key, header or JSON
-- path value. Applied by the worker after ingest (lib/ownership).

CREATE TABLE ownership_rules (
  id         UUID PRIMARY KEY,
  position   INT NOT NULL,
  team_id    UUID NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  match_kind TEXT NOT NULL CHECK (match_kind IN ('origin_queue', 'routing_key', 'header', 'json_path')),
  match_key  TEXT,
  pattern    TEXT NOT NULL,
  enabled    BOOLEAN NOT NULL DEFAULT true,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX ownership_rules_team_id_idx ON ownership_rules (team_id);

-- What the worker does with a source's new messages once ownership is known.
ALTER TABLE sources
  ADD COLUMN auto_redirect BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN unmatched_to_all_teams BOOLEAN NOT NULL DEFAULT false;

-- ---------------------------------------------------------------------------------------
-- Messages: search, grouping, ownership, and when the status last changed (retention).

-- The text of a body, or NULL when its bytes are not UTF-8 (or it is compressed).
CREATE FUNCTION dlq_try_utf8(bytes BYTEA) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN convert_from(bytes, 'UTF8');
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $$;

CREATE FUNCTION dlq_try_jsonb(body TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN body::jsonb;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $$;

ALTER TABLE messages
  ADD COLUMN body_json JSONB,
  ADD COLUMN group_id BIGINT REFERENCES failure_groups (id) ON DELETE SET NULL,
  ADD COLUMN exception_type TEXT,
  ADD COLUMN exception_message TEXT,
  ADD COLUMN owner_team_id UUID REFERENCES teams (id) ON DELETE SET NULL,
  ADD COLUMN owner_rule_id UUID REFERENCES ownership_rules (id) ON DELETE SET NULL,
  ADD COLUMN owner_checked_at TIMESTAMPTZ(3),
  ADD COLUMN status_changed_at TIMESTAMPTZ(3) NOT NULL DEFAULT now();

-- Rows stored before this migration: bodies (up to 64 KiB of text) join the searchable
-- text, JSON bodies get their parsed form. New rows get both from ingest.
UPDATE messages m SET
  search_text = left(concat_ws(' ', m.search_text, t.body_text), 200000),
  body_json = CASE WHEN m.content_encoding IS NULL AND m.size <= 1048576 THEN dlq_try_jsonb(t.body_text) END,
  status_changed_at = m.ingested_at
FROM (SELECT id, left(dlq_try_utf8(body), 65536) AS body_text FROM messages) t
WHERE t.id = m.id;

ALTER TABLE messages ADD COLUMN search_vector TSVECTOR
  GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;

CREATE INDEX messages_search_vector_idx ON messages USING GIN (search_vector);
CREATE INDEX messages_body_json_idx ON messages USING GIN (body_json jsonb_path_ops);
CREATE INDEX messages_group_id_id_idx ON messages (group_id, id);
CREATE INDEX messages_group_id_status_idx ON messages (group_id, status);
CREATE INDEX messages_ungrouped_idx ON messages (id) WHERE group_id IS NULL;
CREATE INDEX messages_owner_team_id_id_idx ON messages (owner_team_id, id);
CREATE INDEX messages_owner_unchecked_idx ON messages (id) WHERE owner_checked_at IS NULL;
CREATE INDEX messages_status_status_changed_at_idx ON messages (status, status_changed_at);

CREATE FUNCTION messages_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.status_changed_at := now();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER messages_status_changed BEFORE UPDATE OF status ON messages
  FOR EACH ROW EXECUTE FUNCTION messages_status_changed();

-- ---------------------------------------------------------------------------------------
-- Bulk jobs (lib/jobs): a replay, redirect or discard of a frozen list of messages, run by
-- the worker at a rate, optionally after a canary, resumable after a crash.

CREATE TABLE bulk_jobs (
  id                UUID PRIMARY KEY,
  kind              TEXT NOT NULL CHECK (kind IN ('replay', 'redirect', 'discard')),
  status            TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'queued', 'running', 'canary', 'paused',
                      'completed', 'halted', 'cancelled', 'rejected', 'failed')),
  input             JSONB NOT NULL,
  selection         JSONB NOT NULL,
  total             INT NOT NULL,
  done              INT NOT NULL DEFAULT 0,
  failed            INT NOT NULL DEFAULT 0,
  rate_per_second   INT NOT NULL,
  canary_size       INT NOT NULL DEFAULT 0,
  canary_wait_ms    INT NOT NULL DEFAULT 0,
  canary_until      TIMESTAMPTZ(3),
  halt_reason       TEXT,
  reason            TEXT,
  created_by        TEXT NOT NULL,
  created_by_key    TEXT NOT NULL,
  scope_team_ids    UUID[],
  version           INT NOT NULL DEFAULT 1,
  lease_owner       TEXT,
  lease_until       TIMESTAMPTZ(3),
  created_at        TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  started_at        TIMESTAMPTZ(3),
  finished_at       TIMESTAMPTZ(3),
  updated_at        TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX bulk_jobs_status_idx ON bulk_jobs (status, created_at);
CREATE INDEX bulk_jobs_created_at_idx ON bulk_jobs (created_at DESC);

CREATE TABLE bulk_job_items (
  job_id       UUID NOT NULL REFERENCES bulk_jobs (id) ON DELETE RESTRICT,
  position     INT NOT NULL,
  message_id   BIGINT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
  canary       BOOLEAN NOT NULL DEFAULT false,
  action_id    UUID,
  error        TEXT,
  processed_at TIMESTAMPTZ(3),
  PRIMARY KEY (job_id, position)
);
CREATE INDEX bulk_job_items_pending_idx ON bulk_job_items (job_id, position) WHERE state = 'pending';
CREATE INDEX bulk_job_items_message_id_idx ON bulk_job_items (message_id);

ALTER TABLE approval_requests ADD COLUMN job_id UUID REFERENCES bulk_jobs (id);

-- ---------------------------------------------------------------------------------------
-- Retention (lib/retention): how long messages of a source ('*': any) in a status are kept
-- after their status last changed. No row, or NULL days: kept for ever.

CREATE TABLE retention_policies (
  source_queue TEXT NOT NULL,
  status       message_status NOT NULL,
  days         INT CHECK (days IS NULL OR days >= 1),
  updated_by   TEXT NOT NULL,
  updated_at   TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (source_queue, status)
);

CREATE INDEX idempotent_requests_created_at_idx ON idempotent_requests (created_at);
