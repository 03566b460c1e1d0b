-- The searchable text, its tsvector and the parsed JSON body move out of `messages` into a
-- table of their own, written once by ingest in the same transaction as the message.
--
-- Why: they never change after ingest, but every change to a message row (a status change
-- on replay, the classifier's group, the ownership tag) is a non-HOT update (status,
-- group_id and owner_team_id are indexed), so PostgreSQL wrote a new tuple carrying them,
-- recomputed the generated tsvector and inserted every trigram of up to 200,000 characters
-- into the GIN indexes again: about 1 ms of PostgreSQL per update against about 0.09 ms
-- without them (10,000 updates of seeded rows; docs/decisions/0020-message-search-table.md).
--
-- On a large table this migration copies the search columns and builds their three indexes
-- again (30,000 messages took 17 s on 2 cores: plan on about 10 minutes per million); the
-- dropped columns' space is reused as rows are updated and vacuumed.

CREATE TABLE message_search (
  message_id    BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  search_text   TEXT NOT NULL,
  search_vector TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
  body_json     JSONB
);

INSERT INTO message_search (message_id, search_text, body_json)
SELECT id, search_text, body_json FROM messages ORDER BY id;

CREATE INDEX message_search_search_text_trgm_idx ON message_search USING GIN (search_text gin_trgm_ops);
CREATE INDEX message_search_search_vector_idx ON message_search USING GIN (search_vector);
CREATE INDEX message_search_body_json_idx ON message_search USING GIN (body_json jsonb_path_ops);

ALTER TABLE messages DROP COLUMN search_vector;
ALTER TABLE messages DROP COLUMN search_text, DROP COLUMN body_json;
