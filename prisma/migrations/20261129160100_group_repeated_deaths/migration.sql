-- Whether some message of a group died POISON_DEATH_COUNT (3) or more times, kept by the
-- classifier as it groups each message, so a rule change recomputes categories from the
-- groups table alone instead of probing every group's messages.
ALTER TABLE failure_groups ADD COLUMN repeated_deaths BOOLEAN NOT NULL DEFAULT false;

UPDATE failure_groups g SET repeated_deaths = true
WHERE EXISTS (SELECT 1 FROM messages m WHERE m.group_id = g.id AND m.death_count >= 3);
