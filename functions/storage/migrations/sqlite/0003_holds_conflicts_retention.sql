-- Suspected spam is held (not dropped) until someone releases it; a repeated submission id with
-- other content is recognised by a hash of the content; personal data is erased after the
-- retention period, while a non-personal record stays for the figures. The status check of
-- 0001 cannot be altered in SQLite, so the table is rebuilt (the migrator switches foreign keys
-- off for that and checks them before it commits).
CREATE TABLE offers_v3 (
  id             INTEGER PRIMARY KEY,
  reference      TEXT NOT NULL UNIQUE,
  submission_id  TEXT NOT NULL UNIQUE,
  content_hash   TEXT,
  received_at    TEXT NOT NULL,
  locale         TEXT NOT NULL,
  status         TEXT NOT NULL,
  hold_reason    TEXT,
  stadtbezirk    TEXT,
  carrier_id     TEXT,
  routing_reason TEXT NOT NULL,
  rooms          REAL,
  living_space   REAL,
  cold_rent      REAL,
  total_rent     REAL,
  payload        TEXT,
  erased_at      TEXT
);
INSERT INTO offers_v3 (id, reference, submission_id, received_at, locale, status, hold_reason, stadtbezirk,
                       carrier_id, routing_reason, rooms, living_space, cold_rent, total_rent, payload)
SELECT id, reference, submission_id, received_at, locale,
       CASE status WHEN 'spam' THEN 'held' ELSE status END, spam_reason, stadtbezirk, carrier_id, routing_reason,
       json_extract(payload, '$.rooms'), json_extract(payload, '$.livingSpace'), json_extract(payload, '$.coldRent'),
       json_extract(payload, '$.coldRent') + json_extract(payload, '$.serviceCharges')
         + CASE WHEN json_extract(payload, '$.heatingIncluded') THEN 0
                ELSE coalesce(json_extract(payload, '$.heatingCosts'), 0) END,
       payload
FROM offers;
DROP TABLE offers;
ALTER TABLE offers_v3 RENAME TO offers;
CREATE INDEX offers_status ON offers (status, received_at);

-- When a job reached its final state (delivered or dead): the retention period counts from there.
ALTER TABLE delivery_jobs ADD COLUMN finished_at TEXT;
UPDATE delivery_jobs SET finished_at = delivered_at WHERE status = 'delivered';
-- Which worker holds a claim, so that a worker shutting down can hand its claims back.
ALTER TABLE delivery_jobs ADD COLUMN claimed_by TEXT;
-- At most a few landlord confirmations per address and day.
CREATE INDEX delivery_jobs_recipient ON delivery_jobs (recipient_kind, target COLLATE NOCASE);

-- Small facts the portal remembers between runs (when the last digest went out).
CREATE TABLE markers (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
