-- Offers and their delivery jobs: one row per offer, one job per recipient and channel.
-- (PostgreSQL twin of migrations/sqlite/0001_offers.sql.)
CREATE TABLE offers (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reference      text NOT NULL UNIQUE,
  submission_id  text NOT NULL UNIQUE,
  received_at    timestamptz NOT NULL,
  locale         text NOT NULL,
  status         text NOT NULL CHECK (status IN ('received', 'spam')),
  spam_reason    text,
  stadtbezirk    text,
  carrier_id     text,
  routing_reason text NOT NULL,
  payload        jsonb NOT NULL
);
CREATE TABLE delivery_jobs (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  offer_id        bigint NOT NULL REFERENCES offers (id),
  channel         text NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient_kind  text NOT NULL CHECK (recipient_kind IN ('coordinator', 'carrier', 'landlord')),
  recipient_id    text NOT NULL,
  target          text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz,
  last_error      text,
  delivered_at    timestamptz,
  UNIQUE (offer_id, channel, recipient_kind, recipient_id)
);
CREATE INDEX delivery_jobs_due ON delivery_jobs (status, next_attempt_at);
