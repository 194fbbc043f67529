-- Least privilege. Migrations run as the tables' owner; the server connects as a role that is,
-- or is a member of, comptoir_app: it reads and writes rows and nothing more. It may not
-- truncate, alter or drop a table, disable or drop a trigger, replace a function, create
-- anything outside its own temporary schema, or set session_replication_role (superuser only).
--
-- The role is created here as a group (NOLOGIN) when it does not exist yet: the embedded
-- cluster creates it beforehand as a login role; on another PostgreSQL, whoever runs the
-- migrations needs CREATEROLE, or the role must exist already (README, "PostgreSQL roles").
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'comptoir_app') THEN
        BEGIN
            CREATE ROLE comptoir_app NOLOGIN;
        EXCEPTION
            -- Created meanwhile by the migration of another database of the same cluster (the
            -- integration tests migrate many at once): the second CREATE waits for the first
            -- and then fails on the unique index instead of finding the role.
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'the role comptoir_app does not exist and % may not create it', current_user
                    USING HINT = 'As a superuser: CREATE ROLE comptoir_app LOGIN PASSWORD ''…''; (the role of DATABASE_URL), or NOLOGIN and GRANT comptoir_app TO the role of DATABASE_URL; then run comptoir migrate again.';
        END;
    END IF;
END $$;

-- PostgreSQL 14 and older let every role create tables in public (15 and later no longer do).
-- Where the migrating role does not own the schema this is a no-op with a warning.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

GRANT USAGE ON SCHEMA public, tower_sessions TO comptoir_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, tower_sessions TO comptoir_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, tower_sessions TO comptoir_app;

-- Records only ever added to: the triggers refuse a change, the privileges refuse it first.
REVOKE UPDATE, DELETE ON payments, seller_logos, document_emails FROM comptoir_app;
-- The migrations' bookkeeping: read by the server to check the schema is current, never written.
REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM comptoir_app;

-- Tables and sequences that later migrations create (as the same role) get the same privileges.
ALTER DEFAULT PRIVILEGES IN SCHEMA public, tower_sessions
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO comptoir_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public, tower_sessions
    GRANT USAGE, SELECT ON SEQUENCES TO comptoir_app;

-- A trigger function runs with the caller's search_path, where the caller's temporary tables come
-- first: a session could hide `documents` behind an empty temporary table of the same name and
-- add lines to an issued invoice. Pinned, the functions only see the real tables. All of ours,
-- not an extension's. A later CREATE OR REPLACE FUNCTION resets this: repeat the SET there.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = public, pg_temp', f);
    END LOOP;
END $$;
