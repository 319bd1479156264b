-- The coordinator gets one alert per batch of dead jobs; this remembers which were reported.
ALTER TABLE delivery_jobs ADD COLUMN alerted_at timestamptz;
