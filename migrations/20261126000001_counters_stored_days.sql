-- Each shop's first stored day next to its last: an ingestion reads the values it replaces
-- only for shops whose new days fall between the two (daily pushes and backfills skip the
-- lookup). A range wider than the stored days is harmless, so it is never narrowed.
ALTER TABLE site_last_data ADD COLUMN first_day DATE;
UPDATE site_last_data l
   SET first_day = COALESCE((SELECT min(c.day) FROM counts c WHERE c.site_id = l.site_id), l.last_day);
ALTER TABLE site_last_data ALTER COLUMN first_day SET NOT NULL;

-- site_monthly_ranking (organisation_id, month, entries DESC) serves every lookup this index
-- served; dropping it saves an index write on each monthly upsert.
DROP INDEX site_monthly_organisation;
