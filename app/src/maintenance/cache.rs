//! Every instance reads the windows from PostgreSQL, at most every few seconds; the gate then
//! compares them with the current time on each request, so a window opens and closes on time
//! whatever the cache age.

use super::db;
use super::rules::Window;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The windows and when they were read.
type Snapshot = Option<(Instant, Arc<Vec<Window>>)>;

#[derive(Debug, Clone)]
pub struct MaintenanceCache {
    slot: Arc<Mutex<Snapshot>>,
    ttl: Duration,
    /// How long before a window users see the announcement banner.
    pub notice: chrono::Duration,
}

impl MaintenanceCache {
    pub fn new(ttl: Duration, notice: chrono::Duration) -> Self {
        MaintenanceCache {
            slot: Arc::new(Mutex::new(None)),
            ttl,
            notice,
        }
    }

    fn cached(&self, fresh_only: bool) -> Option<Arc<Vec<Window>>> {
        let guard = self.slot.lock().ok()?;
        guard
            .as_ref()
            .filter(|(at, _)| !fresh_only || at.elapsed() < self.ttl)
            .map(|(_, w)| w.clone())
    }

    /// Windows that have not ended. On a database error the last known list is kept (or none).
    pub async fn windows(&self, pool: &sqlx::PgPool) -> Arc<Vec<Window>> {
        if let Some(windows) = self.cached(true) {
            return windows;
        }
        match db::not_ended(pool).await {
            Ok(list) => {
                let list = Arc::new(list);
                if let Ok(mut guard) = self.slot.lock() {
                    *guard = Some((Instant::now(), list.clone()));
                }
                list
            }
            Err(err) => {
                tracing::error!(error = %err, "maintenance windows unavailable");
                self.cached(false).unwrap_or_default()
            }
        }
    }

    /// Forget the cached list (after this instance changed a window).
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.slot.lock() {
            *guard = None;
        }
    }
}
