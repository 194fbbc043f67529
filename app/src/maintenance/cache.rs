//! Every instance reads the windows from PostgreSQL, at most every few seconds; the gate then
//! compares them with the current time on each request, so a window opens and closes on time
//! whatever the cache age.

use super::db;
use super::rules::Window;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// The 503s of the window in progress, logged once for the window rather than per request.
    pub refusals: Arc<RefusalLog>,
}

impl MaintenanceCache {
    pub fn new(ttl: Duration, notice: chrono::Duration) -> Self {
        MaintenanceCache {
            slot: Arc::new(Mutex::new(None)),
            ttl,
            notice,
            refusals: Arc::new(RefusalLog::default()),
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

/// A planned window is not an error: its 503s are logged at INFO, one line when the gate starts
/// refusing for a window and one with the count when it stops (the first request it lets
/// through after the window, or a next window's first refusal), never one per request.
#[derive(Debug, Default)]
pub struct RefusalLog {
    /// The window refused for and its 503s so far.
    current: Mutex<Option<(i64, u64)>>,
    /// Set while `current` holds a window: requests outside maintenance read only this flag.
    refusing: AtomicBool,
}

impl RefusalLog {
    /// One more 503 for `window` (closed until `until`).
    pub fn refused(&self, window: i64, until: chrono::DateTime<chrono::Utc>) {
        let Ok(mut current) = self.current.lock() else {
            return;
        };
        if let Some((id, count)) = current.as_mut()
            && *id == window
        {
            *count = count.saturating_add(1);
            return;
        }
        if let Some((id, count)) = current.take() {
            tracing::info!(window = id, refused = count, "maintenance window over");
        }
        tracing::info!(
            window,
            until = %until.to_rfc3339(),
            "maintenance window: answering 503 until its end (admins and testers pass)"
        );
        *current = Some((window, 1));
        self.refusing.store(true, Ordering::Release);
    }

    /// The gate is open again: the window's count, once.
    pub fn open(&self) {
        if !self.refusing.load(Ordering::Acquire) {
            return;
        }
        let Ok(mut current) = self.current.lock() else {
            return;
        };
        if let Some((id, count)) = current.take() {
            tracing::info!(window = id, refused = count, "maintenance window over");
        }
        self.refusing.store(false, Ordering::Release);
    }

    /// The window being refused for and its 503s so far (for tests and diagnostics).
    pub fn current(&self) -> Option<(i64, u64)> {
        self.current.lock().ok().and_then(|c| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_counted_per_window_and_closed_once() {
        let log = RefusalLog::default();
        let until = chrono::Utc::now();
        log.open();
        assert_eq!(log.current(), None);
        log.refused(7, until);
        log.refused(7, until);
        log.refused(7, until);
        assert_eq!(log.current(), Some((7, 3)));
        // A window that follows another starts its own count.
        log.refused(8, until);
        assert_eq!(log.current(), Some((8, 1)));
        log.open();
        assert_eq!(log.current(), None);
        log.open();
        log.refused(8, until);
        assert_eq!(log.current(), Some((8, 1)));
    }
}
