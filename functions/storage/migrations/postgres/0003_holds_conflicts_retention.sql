-- Suspected spam is held (not dropped) until someone releases it; a repeated submission id with
-- other content is recognised by a hash of the content; personal data is erased after the
-- retention period, while a non-personal record stays for the figures.
-- (PostgreSQL twin of migrations/sqlite/0003_holds_conflicts_retention.sql.)
ALTER TABLE offers DROP CONSTRAINT offers_status_check;
UPDATE offers SET status = 'held' WHERE status = 'spam';
ALTER TABLE offers RENAME COLUMN spam_reason TO hold_reason;
ALTER TABLE offers ADD COLUMN content_hash text;
ALTER TABLE offers ADD COLUMN rooms double precision;
ALTER TABLE offers ADD COLUMN living_space double precision;
ALTER TABLE offers ADD COLUMN cold_rent double precision;
ALTER TABLE offers ADD COLUMN total_rent double precision;
ALTER TABLE offers ADD COLUMN erased_at timestamptz;
ALTER TABLE offers ALTER COLUMN payload DROP NOT NULL;
UPDATE offers SET
  rooms = (payload->>'rooms')::double precision,
  living_space = (payload->>'livingSpace')::double precision,
  cold_rent = (payload->>'coldRent')::double precision,
  total_rent = (payload->>'coldRent')::double precision + (payload->>'serviceCharges')::double precision
    + CASE WHEN (payload->>'heatingIncluded')::boolean THEN 0
           ELSE coalesce((payload->>'heatingCosts')::double precision, 0) END;
CREATE INDEX offers_status ON offers (status, received_at);

-- When a job reached its final state (delivered or dead): the retention period counts from there.
ALTER TABLE delivery_jobs ADD COLUMN finished_at timestamptz;
UPDATE delivery_jobs SET finished_at = delivered_at WHERE status = 'delivered';
-- Which worker holds a claim, so that a worker shutting down can hand its claims back.
ALTER TABLE delivery_jobs ADD COLUMN claimed_by text;
-- At most a few landlord confirmations per address and day.
CREATE INDEX delivery_jobs_recipient ON delivery_jobs (recipient_kind, lower(target));

-- Small facts the portal remembers between runs (when the last digest went out).
CREATE TABLE markers (
  name  text PRIMARY KEY,
  value text NOT NULL
);
