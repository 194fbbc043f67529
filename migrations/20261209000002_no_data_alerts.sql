-- "No data for N days" (issue 35, item 11): a counter that still calls in but stores no new day
-- is flagged apart from one that is offline. One alert per silence, like the others: its day is
-- the last day with data. Only the kinds change; the table is small, so the check is rebuilt
-- and validated at once.
ALTER TABLE counter_alerts
    DROP CONSTRAINT counter_alerts_kind_check,
    ADD CONSTRAINT counter_alerts_kind_check CHECK (kind IN ('zero_entries', 'offline', 'no_data'));

COMMENT ON COLUMN counter_alerts.day IS
    'zero_entries: the day counted 0; offline: the local day of the last reception; no_data: the last day with data';
