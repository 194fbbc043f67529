-- Footfall counters: shops (sites) with their counter, store groups, daily counts, the rollups
-- the dashboards read, per-organisation API tokens and the zero-entry / offline alerts.

CREATE TABLE sites (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id         BIGINT NOT NULL REFERENCES organisations (id),
    shop_code               TEXT NOT NULL CHECK (shop_code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$'),
    name                    TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    ip                      INET CHECK (masklen(ip) = CASE family(ip) WHEN 4 THEN 32 ELSE 128 END),
    country                 TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    city                    TEXT NOT NULL CHECK (length(btrim(city)) BETWEEN 1 AND 120),
    opens_at                TIME NOT NULL,
    closes_at               TIME NOT NULL,
    time_zone               TEXT NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    operational             BOOLEAN NOT NULL DEFAULT true,
    not_operational_reason  TEXT,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (operational = (not_operational_reason IS NULL)),
    CHECK (not_operational_reason IS NULL OR length(btrim(not_operational_reason)) BETWEEN 1 AND 500),
    UNIQUE (organisation_id, shop_code),
    UNIQUE (organisation_id, id)
);

CREATE INDEX sites_search ON sites (organisation_id, country, city);

-- The last update is the database's to set, whatever the client sends.
CREATE FUNCTION sites_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    NEW.created_at := OLD.created_at;
    RETURN NEW;
END $$;

CREATE TRIGGER sites_touch BEFORE UPDATE ON sites FOR EACH ROW EXECUTE FUNCTION sites_touch();

CREATE TABLE store_groups (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name),
    UNIQUE (organisation_id, id)
);

-- The organisation column makes a membership across two organisations impossible.
CREATE TABLE store_group_members (
    organisation_id  BIGINT NOT NULL,
    group_id         BIGINT NOT NULL,
    site_id          BIGINT NOT NULL,
    PRIMARY KEY (group_id, site_id),
    FOREIGN KEY (organisation_id, group_id) REFERENCES store_groups (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id) ON DELETE CASCADE
);

CREATE INDEX store_group_members_site ON store_group_members (site_id);

-- One row per shop and local day; no row means no data, which is not zero. The covering key
-- makes a shop's history an index-only scan. A shop with counts cannot be deleted (no cascade).
CREATE TABLE counts (
    site_id      BIGINT NOT NULL REFERENCES sites (id),
    day          DATE NOT NULL,
    entries      INTEGER NOT NULL CHECK (entries >= 0),
    exits        INTEGER CHECK (exits >= 0),
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, day) INCLUDE (entries, exits)
);

-- Rollups kept by the ingestion transaction (deltas, under a per-organisation advisory lock),
-- so that a dashboard reads at most a few thousand rows whatever the history.
-- `shops` is the number of shops with data that day.
CREATE TABLE org_daily (
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    day              DATE NOT NULL,
    entries          BIGINT NOT NULL,
    shops            INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, day)
) WITH (fillfactor = 80);

CREATE TABLE group_daily (
    group_id  BIGINT NOT NULL REFERENCES store_groups (id) ON DELETE CASCADE,
    day       DATE NOT NULL,
    entries   BIGINT NOT NULL,
    shops     INTEGER NOT NULL,
    PRIMARY KEY (group_id, day)
) WITH (fillfactor = 80);

CREATE TABLE site_monthly (
    site_id          BIGINT NOT NULL REFERENCES sites (id),
    month            DATE NOT NULL CHECK (extract(day FROM month) = 1),
    organisation_id  BIGINT NOT NULL,
    entries          BIGINT NOT NULL,
    days             INTEGER NOT NULL,
    PRIMARY KEY (site_id, month)
) WITH (fillfactor = 80);

CREATE INDEX site_monthly_organisation ON site_monthly (organisation_id, month);

CREATE TABLE site_last_data (
    site_id           BIGINT PRIMARY KEY REFERENCES sites (id),
    last_received_at  TIMESTAMPTZ NOT NULL,
    last_day          DATE NOT NULL
) WITH (fillfactor = 80);

-- Machine access for count ingestion. Only the SHA-256 of a token is kept: tokens carry 256
-- random bits, so a fast hash is enough (NIST SP 800-63B 5.1.2.2) and lookups stay cheap.
CREATE TABLE api_tokens (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    token_hash       BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    display_prefix   TEXT NOT NULL,
    created_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at     TIMESTAMPTZ,
    revoked_at       TIMESTAMPTZ,
    revoked_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL
);

CREATE INDEX api_tokens_organisation ON api_tokens (organisation_id, created_at DESC);

-- Raised by the daily job; the sentence is rendered from kind and day at display time.
CREATE TABLE counter_alerts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id          BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('zero_entries', 'offline')),
    day              DATE NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    acknowledged_at  TIMESTAMPTZ,
    acknowledged_by  BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    UNIQUE (site_id, kind, day),
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL) OR acknowledged_by IS NULL)
);

CREATE INDEX counter_alerts_open ON counter_alerts (created_at DESC) WHERE acknowledged_at IS NULL;

-- CSV imports made in the UI or the CLI, with their per-line report (at most 1 000 lines kept).
CREATE TABLE count_imports (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    file_name        TEXT NOT NULL,
    created_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    accepted         BIGINT NOT NULL,
    rejected_total   BIGINT NOT NULL,
    rejections       JSONB NOT NULL
);

CREATE INDEX count_imports_organisation ON count_imports (organisation_id, created_at DESC);
