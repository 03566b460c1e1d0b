-- Operability: alert rules and the alerts they raise, a webhook outbox for their
-- notifications, per-minute inflow counts that outlive retention (the dashboard's history and
-- the alerts' baseline), and worker heartbeats (readiness). See docs/decisions/0018.

CREATE TABLE alert_rules (
  id              UUID PRIMARY KEY,
  name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- What the rule watches: a source queue or an origin queue, by name, or '*' for each one
  -- separately (one alert per queue).
  subject_kind    TEXT NOT NULL CHECK (subject_kind IN ('source', 'origin')),
  subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  -- 'inflow': messages dead-lettered per minute, averaged over window_minutes;
  -- 'unresolved': messages not yet replayed, redirected or discarded.
  metric          TEXT NOT NULL CHECK (metric IN ('inflow', 'unresolved')),
  -- 'above': value > threshold; 'baseline': value > threshold x baseline (and >= min_value).
  comparison      TEXT NOT NULL CHECK (comparison IN ('above', 'baseline')),
  threshold       DOUBLE PRECISION NOT NULL CHECK (threshold > 0),
  min_value       DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (min_value >= 0),
  window_minutes  INT NOT NULL DEFAULT 5 CHECK (window_minutes BETWEEN 1 AND 1440),
  -- How long the condition must hold before the alert fires (0: at once).
  for_minutes     INT NOT NULL DEFAULT 0 CHECK (for_minutes BETWEEN 0 AND 1440),
  webhook_url     TEXT,
  webhook_format  TEXT NOT NULL DEFAULT 'json' CHECK (webhook_format IN ('json', 'slack')),
  -- Signs generic JSON notifications (HMAC-SHA256 of the body); never shown after it is set.
  webhook_secret  TEXT,
  enabled         BOOLEAN NOT NULL DEFAULT true,
  created_by      TEXT NOT NULL,
  created_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  version         INT NOT NULL DEFAULT 1,
  -- When a worker last evaluated the rule: another replica skips it until the interval passed.
  evaluated_at    TIMESTAMPTZ(3)
);

-- One row per episode of a rule's condition on one subject: pending while it has not held
-- for for_minutes yet, firing, then resolved. At most one open episode per rule and subject,
-- whichever replica evaluates: that is what de-duplicates notifications.
CREATE TABLE alerts (
  id             UUID PRIMARY KEY,
  rule_id        UUID NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
  subject        TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  value          DOUBLE PRECISION NOT NULL,
  baseline       DOUBLE PRECISION,
  -- The value the condition compared with when it was last evaluated (threshold, or threshold x baseline).
  limit_value    DOUBLE PRECISION NOT NULL,
  pending_since  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  fired_at       TIMESTAMPTZ(3),
  resolved_at    TIMESTAMPTZ(3),
  evaluated_at   TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX alerts_one_open_per_subject ON alerts (rule_id, subject) WHERE state <> 'resolved';
CREATE INDEX alerts_state ON alerts (state, fired_at DESC);
CREATE INDEX alerts_rule ON alerts (rule_id, pending_since DESC);

-- The webhook outbox: written in the transaction that fires or resolves an alert, delivered
-- by the worker with retries. One row per alert and event, so nothing is sent twice.
CREATE TABLE alert_notifications (
  id              BIGSERIAL PRIMARY KEY,
  alert_id        UUID NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  event           TEXT NOT NULL CHECK (event IN ('firing', 'resolved')),
  url             TEXT NOT NULL,
  format          TEXT NOT NULL CHECK (format IN ('json', 'slack')),
  payload         JSONB NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts        INT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  lease_until     TIMESTAMPTZ(3),
  last_status     INT,
  last_error      TEXT,
  created_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  sent_at         TIMESTAMPTZ(3),
  UNIQUE (alert_id, event)
);
CREATE INDEX alert_notifications_due ON alert_notifications (next_attempt_at) WHERE state = 'pending';

-- Messages dead-lettered per minute, per source and origin ('' when no x-death names one).
-- Recounted from messages by the worker for recent minutes, so rows survive retention.
CREATE TABLE inflow_counts (
  bucket        TIMESTAMPTZ(3) NOT NULL,
  source_queue  TEXT NOT NULL,
  origin_queue  TEXT NOT NULL DEFAULT '',
  count         INT NOT NULL CHECK (count >= 0),
  -- Counted after the fact from stored messages (retention may have purged some), not live:
  -- the baseline treats only the minutes since live counting began as known.
  backfilled    BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (bucket, source_queue, origin_queue)
);
CREATE INDEX inflow_counts_source ON inflow_counts (source_queue, bucket);
CREATE INDEX inflow_counts_origin ON inflow_counts (origin_queue, bucket);
CREATE INDEX inflow_counts_live ON inflow_counts (bucket) WHERE NOT backfilled;

-- Each running worker writes its row every few seconds; readiness wants a recent one.
CREATE TABLE worker_heartbeats (
  worker_id   TEXT PRIMARY KEY,
  hostname    TEXT NOT NULL,
  pid         INT NOT NULL,
  started_at  TIMESTAMPTZ(3) NOT NULL,
  seen_at     TIMESTAMPTZ(3) NOT NULL,
  -- The source queues it is consuming right now.
  consuming   TEXT[] NOT NULL DEFAULT '{}'
);
CREATE INDEX worker_heartbeats_seen ON worker_heartbeats (seen_at DESC);
