//! Least privilege: the server's role reads and writes rows and nothing more, so what an SQL
//! injection could use to rewrite an issued invoice (switching its trigger off, TRUNCATE,
//! replication mode, DDL, replacing a function) is refused by PostgreSQL itself.

use comptoir_server::jobs::{Outcome, run_due};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};

/// Login options, on the test's own database, for a role with exactly the privileges of
/// `comptoir_app` (a member of it). It is named after the database, which is unique per test, so
/// tests running at once never alter the same role. No password: the test cluster trusts local
/// connections (scripts/test.sh), as `cli::url_of` already assumes.
pub(crate) async fn app_role_login(owner: &PgPool) -> PgConnectOptions {
    let db: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(owner)
        .await
        .expect("database name");
    // comptoir_app comes from the migrations, but a test on a database not migrated yet may run
    // first on a new cluster; tests create it concurrently, hence both exceptions.
    sqlx::raw_sql(&format!(
        r#"
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'comptoir_app') THEN
        CREATE ROLE comptoir_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
    CREATE ROLE "{db}" LOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT comptoir_app TO "{db}";
"#
    ))
    .execute(owner)
    .await
    .expect("login role of the app");
    (*owner.connect_options()).clone().username(&db)
}

/// A pool on the test's database logged in as `app_role_login`.
pub(crate) async fn app_role_pool(owner: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(5)
        // Idle connections close within a second, so the test's database can be dropped when the
        // test ends (DROP DATABASE waits up to 5 s for other sessions to leave).
        .idle_timeout(std::time::Duration::from_millis(500))
        .connect_with(app_role_login(owner).await)
        .await
        .expect("connect as the app's role")
}

fn sqlstate(err: &sqlx::Error) -> String {
    err.as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.into_owned())
        .unwrap_or_default()
}

/// Runs `sql` and expects PostgreSQL's insufficient_privilege (42501).
async fn refused(conn: &mut PgConnection, sql: &str) {
    let err = sqlx::raw_sql(sql).execute(&mut *conn).await.expect_err(sql);
    assert_eq!(sqlstate(&err), "42501", "{sql}: {err}");
}

/// What the application's role must never do, whatever statement it is made to run. Also run
/// against the embedded cluster (`embedded_pg.rs`).
pub(crate) async fn assert_only_rows(conn: &mut PgConnection) {
    let superuser: bool =
        sqlx::query_scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert!(!superuser);
    let owner: String = sqlx::query_scalar(
        "SELECT relowner::regrole::text FROM pg_class WHERE oid = 'public.documents'::regclass",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    for sql in [
        // The immutability triggers: not switched off, dropped or replaced.
        "ALTER TABLE documents DISABLE TRIGGER ALL",
        "ALTER TABLE documents DISABLE TRIGGER documents_issued_immutable",
        "DROP TRIGGER documents_issued_immutable ON documents",
        "CREATE OR REPLACE FUNCTION public.documents_issued_immutable() RETURNS trigger \
         LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
        "SET session_replication_role = replica",
        "SELECT set_config('session_replication_role', 'replica', false)",
        // TRUNCATE fires no row trigger.
        "TRUNCATE documents",
        "TRUNCATE payments CASCADE",
        // No DDL.
        "CREATE TABLE x ()",
        "CREATE TABLE tower_sessions.x ()",
        "CREATE SCHEMA x",
        "ALTER TABLE documents ADD COLUMN x integer",
        "DROP TABLE documents",
        // Insert-only records, and the migrations' bookkeeping.
        "UPDATE payments SET amount_cents = 1",
        "DELETE FROM refunds",
        "DELETE FROM seller_logos",
        "DELETE FROM _sqlx_migrations",
        // No way out of the database.
        "COPY (SELECT 1) TO PROGRAM 'true'",
    ] {
        refused(conn, sql).await;
    }
    // Nor becoming the owner.
    refused(conn, &format!("SET ROLE {owner}")).await;
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_apps_role_works_on_rows_and_nothing_more(pool: PgPool) {
    // An issued invoice, written by the owner.
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (slug, name) VALUES ('droits', 'Droits') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let contact: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (organisation_id, kind, name) VALUES ($1, 'company', 'Client') \
         RETURNING id",
    )
    .bind(org)
    .fetch_one(&pool)
    .await
    .unwrap();
    let invoice: i64 = sqlx::query_scalar(
        "INSERT INTO documents (organisation_id, kind, status, number, contact_id, issue_date) \
         VALUES ($1, 'invoice', 'issued', 'F-2026-0001', $2, DATE '2026-11-27') RETURNING id",
    )
    .bind(org)
    .bind(contact)
    .fetch_one(&pool)
    .await
    .unwrap();

    let app = app_role_pool(&pool).await;
    let mut conn = app.acquire().await.unwrap();
    assert_only_rows(&mut conn).await;

    // Rows: added, changed, removed.
    let other: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (organisation_id, kind, name) VALUES ($1, 'person', 'Autre') \
         RETURNING id",
    )
    .bind(org)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    sqlx::query("UPDATE contacts SET name = 'Autre nom' WHERE id = $1")
        .bind(other)
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM contacts WHERE id = $1")
        .bind(other)
        .execute(&mut *conn)
        .await
        .unwrap();
    // What the count ingestion needs: a temporary table filled by COPY, a table lock, an
    // advisory lock.
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("CREATE TEMP TABLE batch (n integer) ON COMMIT DROP")
        .execute(&mut *tx)
        .await
        .unwrap();
    let mut copy = tx.copy_in_raw("COPY batch (n) FROM STDIN").await.unwrap();
    copy.send(b"1\n2\n".as_slice()).await.unwrap();
    assert_eq!(copy.finish().await.unwrap(), 2);
    sqlx::query("LOCK TABLE counts IN SHARE MODE")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("SELECT pg_advisory_xact_lock(1)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // The rules hold for it: the issued invoice neither changes nor goes…
    for sql in [
        "UPDATE documents SET notes = 'changée' WHERE id = $1",
        "DELETE FROM documents WHERE id = $1",
    ] {
        let err = sqlx::query(sql)
            .bind(invoice)
            .execute(&mut *conn)
            .await
            .expect_err(sql);
        assert_eq!(sqlstate(&err), "23000", "{sql}: {err}");
    }
    // …not even behind a temporary table named like the real one, which a trigger function
    // would read first without its pinned search_path.
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("CREATE TEMP TABLE documents (id bigint, number text, kind text) ON COMMIT DROP")
        .execute(&mut *tx)
        .await
        .unwrap();
    let err = sqlx::query(
        "INSERT INTO document_lines (document_id, position, description, quantity_milli, \
         unit_price_cents, vat_rate_bp, total_excl_tax_cents) \
         VALUES ($1, 0, 'Ajout', 1000, 100, 2000, 100)",
    )
    .bind(invoice)
    .execute(&mut *tx)
    .await
    .expect_err("a line added to an issued invoice");
    assert_eq!(sqlstate(&err), "23000", "{err}");
    tx.rollback().await.unwrap();
    drop(conn);

    // Every background job runs as the app's role.
    for (job, result) in run_due(&app, chrono::Utc::now()).await {
        assert!(matches!(result, Ok(Outcome::Ran(_))), "{job:?}: {result:?}");
    }
    app.close().await;
}

/// A later migration that creates a table or a function without what the test above relies on
/// (the app's privileges, the pinned search_path) fails here.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn every_table_and_function_is_covered(pool: PgPool) {
    let privileges: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.oid::regclass::text, array_to_string(ARRAY( \
             SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', \
                                        'REFERENCES', 'TRIGGER']) AS p \
              WHERE has_table_privilege('comptoir_app', c.oid, p)), ' ') \
         FROM pg_class c \
         WHERE c.relnamespace IN ('public'::regnamespace, 'tower_sessions'::regnamespace) \
           AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
         ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(privileges.len() > 30, "{privileges:?}");
    for (table, granted) in &privileges {
        let expected = match table.as_str() {
            "payments" | "refunds" | "seller_logos" | "document_emails" => "SELECT INSERT",
            "_sqlx_migrations" | "document_counts" => "SELECT",
            _ => "SELECT INSERT UPDATE DELETE",
        };
        assert_eq!(granted, expected, "privileges of comptoir_app on {table}");
    }
    let unpinned: Vec<String> = sqlx::query_scalar(
        "SELECT p.oid::regprocedure::text FROM pg_proc p \
         WHERE p.pronamespace = 'public'::regnamespace \
           AND NOT coalesce('search_path=public, pg_temp' = ANY (p.proconfig), false) \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass \
                           AND d.objid = p.oid AND d.deptype = 'e') \
         ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        unpinned.is_empty(),
        "functions reading the caller's temporary tables first: {unpinned:?}"
    );
}
