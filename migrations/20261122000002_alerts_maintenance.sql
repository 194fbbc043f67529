-- Broadcast alerts with confirmations, recurring alert schedules, maintenance windows, and the
-- bookkeeping of background jobs.

CREATE TABLE alert_schedules (
    id                       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                     TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    active                   BOOLEAN NOT NULL DEFAULT true,
    interval_weeks           INTEGER NOT NULL CHECK (interval_weeks BETWEEN 1 AND 52),
    -- ISO weekday: 1 = Monday … 7 = Sunday.
    weekday                  SMALLINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    local_time               TIME NOT NULL,
    time_zone                TEXT NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    -- The first run's local date; later runs fall every `interval_weeks` weeks after it.
    first_date               DATE NOT NULL CHECK (extract(isodow FROM first_date) = weekday),
    title                    TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    message                  TEXT NOT NULL CHECK (length(btrim(message)) BETWEEN 1 AND 5000),
    kind                     TEXT NOT NULL CHECK (kind IN ('update', 'maintenance', 'info')),
    audience_organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    audience_role            TEXT CHECK (audience_role IN ('admin', 'accountant', 'viewer')),
    scope                    TEXT NOT NULL CHECK (scope IN ('each_user', 'one_per_organisation')),
    lifetime_days            INTEGER CHECK (lifetime_days BETWEEN 1 AND 3650),
    -- Slots before this instant are never created (no backfill of a schedule's past).
    active_since             TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (audience_organisation_id IS NULL OR audience_role IS NULL)
);

CREATE TABLE alerts (
    id                       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title                    TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    message                  TEXT NOT NULL CHECK (length(btrim(message)) BETWEEN 1 AND 5000),
    kind                     TEXT NOT NULL CHECK (kind IN ('update', 'maintenance', 'info')),
    -- Audience: everyone (both NULL), one organisation, or one role.
    audience_organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    audience_role            TEXT CHECK (audience_role IN ('admin', 'accountant', 'viewer')),
    scope                    TEXT NOT NULL CHECK (scope IN ('each_user', 'one_per_organisation')),
    lifetime_days            INTEGER CHECK (lifetime_days BETWEEN 1 AND 3650),
    schedule_id              BIGINT REFERENCES alert_schedules (id) ON DELETE SET NULL,
    created_by               BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- Publication time; the lifetime counts from here (a scheduled run publishes at its slot).
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (audience_organisation_id IS NULL OR audience_role IS NULL)
);

CREATE INDEX alerts_created ON alerts (created_at);

-- Who confirmed (or closed) which alert, and when: the audit trail.
CREATE TABLE alert_confirmations (
    alert_id        BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    account_id      BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('confirm', 'close')),
    confirmed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, account_id)
);

CREATE INDEX alert_confirmations_organisation ON alert_confirmations (alert_id, organisation_id);
CREATE INDEX alert_confirmations_account ON alert_confirmations (account_id);

-- One row per schedule and slot: the idempotency record of recurring runs (kept when the alert
-- itself is purged or deleted, so a slot is never published twice).
CREATE TABLE alert_schedule_runs (
    schedule_id BIGINT NOT NULL REFERENCES alert_schedules (id) ON DELETE CASCADE,
    slot_at     TIMESTAMPTZ NOT NULL,
    alert_id    BIGINT REFERENCES alerts (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_id, slot_at)
);

CREATE TABLE maintenance_windows (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    message     TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    -- Testers who open /maintenance/acces/<secret> get through while the window is on.
    bypass_secret TEXT NOT NULL CHECK (length(bypass_secret) >= 24),
    created_by  BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);

CREATE INDEX maintenance_windows_end ON maintenance_windows (ends_at);

-- Last run of each background job, read and written under the job's advisory lock.
CREATE TABLE job_runs (
    name          TEXT PRIMARY KEY,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    outcome       TEXT
);

-- The reference's case, editable in the UI: every other Thursday at 02:00 (Paris), announcing
-- the service cut, visible for one day.
INSERT INTO alert_schedules (name, interval_weeks, weekday, local_time, time_zone, first_date,
                             title, message, kind, scope, lifetime_days)
VALUES ('Coupure de service un jeudi sur deux', 2, 4, '02:00', 'Europe/Paris', DATE '2026-01-01',
        'Coupure de service cette nuit',
        E'Une coupure de service a lieu ce jeudi entre 02:00 et 04:00 pour la mise à jour de l''application.\nMerci de votre compréhension.',
        'maintenance', 'each_user', 1);
