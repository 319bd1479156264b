-- The offer's life after submission (issue 12): every state change is an event (time, actor's
-- role, action; never personal data), and every message goes out as a delivery job of an event.
-- (PostgreSQL twin of migrations/sqlite/0005_offer_life.sql.)
CREATE TABLE offer_events (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  offer_id  bigint NOT NULL REFERENCES offers (id),
  seq       integer NOT NULL,
  at        timestamptz NOT NULL,
  actor     text NOT NULL,
  actor_id  text,
  action    text NOT NULL,
  details   jsonb NOT NULL DEFAULT '{}',
  stage     text NOT NULL DEFAULT 'open',
  token     text UNIQUE,
  UNIQUE (offer_id, seq)
);
CREATE INDEX offer_events_action ON offer_events (action, at);
INSERT INTO offer_events (offer_id, seq, at, actor, action)
SELECT id, 1, received_at, 'landlord', 'submitted' FROM offers;

ALTER TABLE offers ADD COLUMN stage text NOT NULL DEFAULT 'open';
ALTER TABLE offers ADD COLUMN event_seq integer NOT NULL DEFAULT 1;
ALTER TABLE offers ADD COLUMN taken_on_by text;
ALTER TABLE offers ADD COLUMN follow_ups integer NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN last_follow_up_at timestamptz;
ALTER TABLE offers ADD COLUMN follow_up_answered integer NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN placed_at timestamptz;
ALTER TABLE offers ADD COLUMN aftercare_requested_at timestamptz;
ALTER TABLE offers ADD COLUMN ended_at timestamptz;
ALTER TABLE offers ADD COLUMN aftercare_comment text;
ALTER TABLE offers ADD COLUMN transition_token text;
CREATE INDEX offers_stage ON offers (stage, status);

ALTER TABLE delivery_jobs ADD COLUMN event_id bigint REFERENCES offer_events (id);
UPDATE delivery_jobs j SET event_id = e.id FROM offer_events e WHERE e.offer_id = j.offer_id AND e.seq = 1;
ALTER TABLE delivery_jobs ALTER COLUMN event_id SET NOT NULL;
ALTER TABLE delivery_jobs DROP CONSTRAINT delivery_jobs_offer_id_channel_recipient_kind_recipient_id_key;
ALTER TABLE delivery_jobs ADD CONSTRAINT delivery_jobs_event_recipient_key UNIQUE (event_id, channel, recipient_kind, recipient_id);
CREATE INDEX delivery_jobs_offer ON delivery_jobs (offer_id);
