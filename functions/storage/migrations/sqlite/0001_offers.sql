-- Offers and their delivery jobs: one row per offer, one job per recipient and channel.
CREATE TABLE offers (
  id             INTEGER PRIMARY KEY,
  reference      TEXT NOT NULL UNIQUE,
  submission_id  TEXT NOT NULL UNIQUE,
  received_at    TEXT NOT NULL,
  locale         TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('received', 'spam')),
  spam_reason    TEXT,
  stadtbezirk    TEXT,
  carrier_id     TEXT,
  routing_reason TEXT NOT NULL,
  payload        TEXT NOT NULL
);
CREATE TABLE delivery_jobs (
  id              INTEGER PRIMARY KEY,
  offer_id        INTEGER NOT NULL REFERENCES offers (id),
  channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient_kind  TEXT NOT NULL CHECK (recipient_kind IN ('coordinator', 'carrier', 'landlord')),
  recipient_id    TEXT NOT NULL,
  target          TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  lease_until     TEXT,
  last_error      TEXT,
  delivered_at    TEXT,
  UNIQUE (offer_id, channel, recipient_kind, recipient_id)
);
CREATE INDEX delivery_jobs_due ON delivery_jobs (status, next_attempt_at);
