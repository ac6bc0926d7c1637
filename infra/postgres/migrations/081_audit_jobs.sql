-- Hash-chain verifications started over the audit API (POST /api/v1/audit/verify):
-- any API instance can answer a poll. A job whose runner stopped reporting is
-- shown as abandoned (see infra/audit/verifyJobs.ts).
CREATE TABLE audit_jobs (
  id          uuid PRIMARY KEY,
  stream      text,
  status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'error')),
  checked     bigint NOT NULL DEFAULT 0,
  result      jsonb,
  started_by  text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX audit_jobs_running ON audit_jobs (started_at) WHERE status = 'running';
