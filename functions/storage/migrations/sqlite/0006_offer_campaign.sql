-- The campaign code an offer came through (the `?via=` of a flyer's or poster's address), for
-- the coordinator's figures: offers per campaign. Not personal data: the retention purge keeps it.
ALTER TABLE offers ADD COLUMN campaign TEXT;
CREATE INDEX offers_received_campaign ON offers (received_at, campaign);
