-- The offer's life after submission (issue 12): every state change is an event (time, actor's
-- role, action; never personal data), and every message goes out as a delivery job of an event.
-- The submission itself becomes event 1 of each offer. delivery_jobs is rebuilt to belong to an
-- event (its unique key changes, which SQLite cannot alter in place).
CREATE TABLE offer_events (
  id        INTEGER PRIMARY KEY,
  offer_id  INTEGER NOT NULL REFERENCES offers (id),
  seq       INTEGER NOT NULL,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  actor_id  TEXT,
  action    TEXT NOT NULL,
  details   TEXT NOT NULL DEFAULT '{}',
  -- Where the offer stood right after the event.
  stage     TEXT NOT NULL DEFAULT 'open',
  -- Written by the batch that made the event, so that the same batch adds its jobs and nothing else.
  token     TEXT UNIQUE,
  UNIQUE (offer_id, seq)
);
CREATE INDEX offer_events_action ON offer_events (action, at);
INSERT INTO offer_events (offer_id, seq, at, actor, action)
SELECT id, 1, received_at, 'landlord', 'submitted' FROM offers;

-- Where the offer stands: open, taken_on, placed (after-care), and the ends: withdrawn,
-- unavailable, not_suitable, stale (no answer to the follow-ups), closed (after-care over).
ALTER TABLE offers ADD COLUMN stage TEXT NOT NULL DEFAULT 'open';
ALTER TABLE offers ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 1;
-- The carrier who took the offer on (it may differ from the one the routing table named).
ALTER TABLE offers ADD COLUMN taken_on_by TEXT;
ALTER TABLE offers ADD COLUMN follow_ups INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN last_follow_up_at TEXT;
ALTER TABLE offers ADD COLUMN follow_up_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN placed_at TEXT;
ALTER TABLE offers ADD COLUMN aftercare_requested_at TEXT;
-- When the offer's life ended: the retention period counts from here.
ALTER TABLE offers ADD COLUMN ended_at TEXT;
-- The token of the last state change, so that one batch can add that change's event and jobs.
ALTER TABLE offers ADD COLUMN transition_token TEXT;
-- The landlord's optional after-care comment: personal, erased with the payload.
ALTER TABLE offers ADD COLUMN aftercare_comment TEXT;
CREATE INDEX offers_stage ON offers (stage, status);

CREATE TABLE delivery_jobs_v5 (
  id              INTEGER PRIMARY KEY,
  offer_id        INTEGER NOT NULL REFERENCES offers (id),
  event_id        INTEGER NOT NULL REFERENCES offer_events (id),
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
  alerted_at      TEXT,
  finished_at     TEXT,
  claimed_by      TEXT,
  UNIQUE (event_id, channel, recipient_kind, recipient_id)
);
INSERT INTO delivery_jobs_v5 (id, offer_id, event_id, channel, recipient_kind, recipient_id, target, status, attempts,
                              next_attempt_at, lease_until, last_error, delivered_at, alerted_at, finished_at, claimed_by)
SELECT j.id, j.offer_id, e.id, j.channel, j.recipient_kind, j.recipient_id, j.target, j.status, j.attempts,
       j.next_attempt_at, j.lease_until, j.last_error, j.delivered_at, j.alerted_at, j.finished_at, j.claimed_by
FROM delivery_jobs j JOIN offer_events e ON e.offer_id = j.offer_id AND e.seq = 1;
DROP TABLE delivery_jobs;
ALTER TABLE delivery_jobs_v5 RENAME TO delivery_jobs;
CREATE INDEX delivery_jobs_due ON delivery_jobs (status, next_attempt_at);
CREATE INDEX delivery_jobs_recipient ON delivery_jobs (recipient_kind, target COLLATE NOCASE);
CREATE INDEX delivery_jobs_offer ON delivery_jobs (offer_id);
