//! Connecting to PostgreSQL (external or embedded) and migrating it. Two roles: the tables'
//! owner runs the migrations, over one connection closed right after; the pool, which serves
//! every request and command, logs in as the application's role (`APP_ROLE` or a member of it),
//! which may only read and write rows (migrations/20261208000001_least_privilege.sql).

use crate::config::Settings;
use crate::embedded_pg::EmbeddedPg;
use anyhow::{Context, bail};
use sqlx::migrate::{Migrate, Migration};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub use crate::config::APP_ROLE;

/// `comptoir migrate` without the owner's URL: the role of DATABASE_URL must own the database.
const NOT_THE_OWNER: &str = "échec des migrations de la base (le rôle de DATABASE_URL doit \
                             posséder la base ; sinon indiquez COMPTOIR_MIGRATION_DATABASE_URL)";

/// The pool, and the embedded cluster behind it when there is one (stop it on shutdown).
pub struct Database {
    /// Logged in as the application's role (or whatever DATABASE_URL names).
    pub pool: PgPool,
    pub embedded: Option<EmbeddedPg>,
    /// The tables' owner when known: the embedded cluster's, or COMPTOIR_MIGRATION_DATABASE_URL.
    owner: Option<PgConnectOptions>,
}

impl Database {
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        let (options, owner, embedded) = match &settings.database_url {
            Some(url) => (
                PgConnectOptions::from_str(url)
                    .context("DATABASE_URL n'est pas une URL PostgreSQL valide")?,
                settings
                    .migration_database_url
                    .as_deref()
                    .map(PgConnectOptions::from_str)
                    .transpose()
                    .context(
                        "COMPTOIR_MIGRATION_DATABASE_URL n'est pas une URL PostgreSQL valide",
                    )?,
                None,
            ),
            None => {
                let dir = settings.data_dir.join("postgres");
                let (pg, logins) = EmbeddedPg::start(&dir).await?;
                (logins.app, Some(logins.owner), Some(pg))
            }
        };
        // Opened before the embedded cluster's first migration: CONNECT comes from PUBLIC.
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .context("connexion à PostgreSQL impossible")?;
        Ok(Database {
            pool,
            embedded,
            owner,
        })
    }

    /// `comptoir migrate`: applies the pending migrations as the tables' owner (the embedded
    /// cluster's, COMPTOIR_MIGRATION_DATABASE_URL, else the role of DATABASE_URL).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let Some(owner) = &self.owner else {
            // Up to date: nothing to do, even for a role that may not create `_sqlx_migrations`.
            if pending_migrations(&self.pool).await?.is_empty() {
                return Ok(());
            }
            return MIGRATOR.run(&self.pool).await.context(NOT_THE_OWNER);
        };
        let mut conn = owner
            .connect()
            .await
            .context("connexion à PostgreSQL en propriétaire des tables impossible")?;
        let result = MIGRATOR.run(&mut conn).await;
        // The owner's session ends here: nothing served runs through it.
        let _ = conn.close().await;
        result.context("échec des migrations de la base")
    }

    /// Before every other command. Migrates when the owner is known; otherwise checks, without
    /// DDL, that no migration is pending (a role owning the database still migrates, as before
    /// the roles were separated). Then refuses (embedded) or warns about (external) a pool role
    /// that could alter the schema or switch the triggers off.
    pub async fn prepare(&self) -> anyhow::Result<()> {
        if self.owner.is_some() {
            self.migrate().await?;
        } else {
            let pending = pending_migrations(&self.pool).await?;
            if let Some(first) = pending.first() {
                if !self.pool_can_alter_schema().await? {
                    bail!(
                        "{} migration(s) en attente (dont {first}) que le rôle de DATABASE_URL ne \
                         peut pas appliquer : lancez `comptoir migrate` avec \
                         COMPTOIR_MIGRATION_DATABASE_URL=<URL du propriétaire des tables>",
                        pending.len()
                    );
                }
                MIGRATOR
                    .run(&self.pool)
                    .await
                    .context("échec des migrations de la base")?;
            }
        }
        if self.pool_can_alter_schema().await? {
            if self.embedded.is_some() {
                bail!("le rôle {APP_ROLE} peut modifier le schéma de la base embarquée");
            }
            tracing::warn!(
                "DATABASE_URL logs in as a superuser or an owner of the database or of its \
                 tables: an SQL injection could truncate tables or switch off the triggers that \
                 keep issued invoices unchanged. Log in as {APP_ROLE} or a member of it (README, \
                 \"PostgreSQL roles\")."
            );
        }
        Ok(())
    }

    /// Whether the pool's role is a superuser or a member of the owner of the database or of
    /// one of its tables: such a role could alter the schema or disable the triggers.
    async fn pool_can_alter_schema(&self) -> anyhow::Result<bool> {
        let can: bool = sqlx::query_scalar(
            "SELECT r.rolsuper OR pg_has_role(d.datdba, 'MEMBER') \
                 OR EXISTS (SELECT 1 FROM pg_class c \
                            WHERE c.relnamespace IN ('public'::regnamespace, \
                                                     to_regnamespace('tower_sessions')) \
                              AND pg_has_role(c.relowner, 'MEMBER')) \
             FROM pg_roles r, pg_database d \
             WHERE r.rolname = current_user AND d.datname = current_database()",
        )
        .fetch_one(&self.pool)
        .await
        .context("lecture des droits du rôle de la base impossible")?;
        Ok(can)
    }

    pub async fn close(self) {
        self.pool.close().await;
        if let Some(pg) = self.embedded
            && let Err(err) = pg.stop()
        {
            tracing::error!(error = %err, "stopping PostgreSQL failed");
        }
    }
}

/// This binary's migrations missing from the database, read without DDL: the application's
/// role may only read `_sqlx_migrations` (`Migrator::run` begins with CREATE TABLE IF NOT
/// EXISTS, which needs CREATE on the schema even when the table exists).
async fn pending_migrations(pool: &PgPool) -> anyhow::Result<Vec<String>> {
    let mut conn = pool.acquire().await?;
    let bookkept: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?;
    if !bookkept {
        return Ok(up_migrations()
            .map(|m| format!("{} {}", m.version, m.description))
            .collect());
    }
    if let Some(version) = conn.dirty_version().await? {
        bail!(
            "la migration {version} a échoué en cours de route : réparez la base avant de relancer"
        );
    }
    let applied: HashMap<i64, _> = conn
        .list_applied_migrations()
        .await
        .context("lecture de _sqlx_migrations impossible")?
        .into_iter()
        .map(|m| (m.version, m.checksum))
        .collect();
    if let Some(version) = applied.keys().find(|v| !MIGRATOR.version_exists(**v)) {
        bail!("la base a reçu la migration {version}, que ce binaire plus ancien ne connaît pas");
    }
    let mut pending = Vec::new();
    for m in up_migrations() {
        match applied.get(&m.version) {
            None => pending.push(format!("{} {}", m.version, m.description)),
            Some(checksum) if *checksum != m.checksum => {
                bail!(
                    "la migration {} a changé depuis qu'elle a été appliquée",
                    m.version
                );
            }
            Some(_) => {}
        }
    }
    Ok(pending)
}

/// This binary's migrations, without the down scripts (there are none so far).
fn up_migrations() -> impl Iterator<Item = &'static Migration> {
    MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
}
