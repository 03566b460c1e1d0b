-- How far the worker's inflow counter has counted (lib/dashboard/count-inflow-step.ts), kept
-- in the database so every replica and every restart shares it. Before, each worker process
-- kept it in memory: every start walked back over all stored messages again, an hour per
-- step with no pause, and on a large store that took a core of PostgreSQL for minutes.
--
-- One row: every minute in [counted_from, counted_to) has been counted, live or backfilled.
-- No row yet: nothing is known, and the counter starts from its first live count.
CREATE TABLE inflow_counter_state (
  id            BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
  counted_from  TIMESTAMPTZ(3) NOT NULL,
  counted_to    TIMESTAMPTZ(3) NOT NULL,
  updated_at    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CHECK (counted_from <= counted_to)
);
