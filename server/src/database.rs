//! Connecting to PostgreSQL (external or embedded) and migrating it.

use crate::config::Settings;
use crate::embedded_pg::EmbeddedPg;
use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The pool, and the embedded cluster behind it when there is one (stop it on shutdown).
pub struct Database {
    pub pool: PgPool,
    pub embedded: Option<EmbeddedPg>,
}

impl Database {
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        let (options, embedded) = match &settings.database_url {
            Some(url) => (
                PgConnectOptions::from_str(url)
                    .context("DATABASE_URL n'est pas une URL PostgreSQL valide")?,
                None,
            ),
            None => {
                let dir = settings.data_dir.join("postgres");
                let (pg, options) = EmbeddedPg::start(&dir).await?;
                (options, Some(pg))
            }
        };
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .context("connexion à PostgreSQL impossible")?;
        Ok(Database { pool, embedded })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .context("échec des migrations de la base")
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
