-- A bulk job's canary passed (lib/jobs/run-job.ts): set once, when the canary's wait ended
-- with no re-death; a job paused and resumed after it does not run the canary again.
ALTER TABLE bulk_jobs ADD COLUMN canary_passed_at TIMESTAMPTZ(3);
