-- Organisations (tenants), accounts with roles, login throttling, sessions.

CREATE TABLE organisations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' AND length(slug) >= 2),
    name        TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    is_agency   BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Only one agency: the organisation whose staff administer everything.
CREATE UNIQUE INDEX organisations_single_agency ON organisations (is_agency) WHERE is_agency;

CREATE TABLE accounts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    email            TEXT NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND position('@' in email) > 1),
    display_name     TEXT NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 120),
    role             TEXT NOT NULL CHECK (role IN ('admin', 'accountant', 'viewer')),
    password_hash    TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX accounts_organisation ON accounts (organisation_id);

-- Admins must belong to the agency: checked by a trigger since it spans two tables.
CREATE FUNCTION accounts_admin_in_agency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role = 'admin' AND NOT EXISTS (
        SELECT 1 FROM organisations WHERE id = NEW.organisation_id AND is_agency
    ) THEN
        RAISE EXCEPTION 'an admin account must belong to the agency organisation'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER accounts_admin_in_agency
    BEFORE INSERT OR UPDATE OF role, organisation_id ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_admin_in_agency();

CREATE TABLE login_attempts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         TEXT NOT NULL,
    ip            TEXT NOT NULL,
    succeeded     BOOLEAN NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX login_attempts_login ON login_attempts (login, attempted_at) WHERE NOT succeeded;
CREATE INDEX login_attempts_ip ON login_attempts (ip, attempted_at) WHERE NOT succeeded;
CREATE INDEX login_attempts_age ON login_attempts (attempted_at);

CREATE TABLE login_lockouts (
    key           TEXT PRIMARY KEY,
    locked_until  TIMESTAMPTZ NOT NULL
);

-- The table tower-sessions-sqlx-store expects, created here so every instance migrates the
-- same way and no runtime DDL races.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id           TEXT PRIMARY KEY NOT NULL,
    data         BYTEA NOT NULL,
    expiry_date  TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS session_expiry ON tower_sessions.session (expiry_date);
