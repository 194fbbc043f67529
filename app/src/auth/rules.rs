//! Pure login rules: throttling windows and session lifetimes. No I/O here.

use chrono::{DateTime, Duration, Utc};

/// Failed attempts for one login within [`WINDOW`] that trigger a lock.
pub const MAX_FAILURES_PER_LOGIN: i64 = 5;
/// Failed attempts from one IP address within [`WINDOW`] that trigger a lock.
pub const MAX_FAILURES_PER_IP: i64 = 20;
pub const WINDOW: Duration = Duration::minutes(10);
pub const LOCK_DURATION: Duration = Duration::seconds(600);

/// What to do after a failed attempt, given the failures now counted in the window
/// (the one just made included).
pub fn lock_after_failure(
    failures_for_login: i64,
    failures_for_ip: i64,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    (failures_for_login >= MAX_FAILURES_PER_LOGIN || failures_for_ip >= MAX_FAILURES_PER_IP)
        .then(|| now + LOCK_DURATION)
}

/// The longest login and password a sign-in reads: no e-mail address is longer (RFC 5321), no
/// password can be set longer (`NewPassword::MAX_CHARS`). Longer ones are refused unhashed.
pub const MAX_LOGIN_CHARS: usize = 254;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The login as attempts and locks record it: trimmed, lower-cased, cut to
/// [`MAX_LOGIN_CHARS`] so that any typed text can be recorded (and indexed).
pub fn attempt_login(login: &str) -> String {
    login
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_LOGIN_CHARS)
        .collect()
}

/// Keys under which locks are stored: one per login, one per client address.
pub fn lock_keys(login: &str, ip: &str) -> [String; 2] {
    [
        format!("login:{}", attempt_login(login)),
        format!("ip:{ip}"),
    ]
}

/// Session lifetimes: idle expiry is enforced by the session store; the absolute limit is checked
/// against the time of login kept in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::hours(2),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    pub fn is_expired(&self, logged_in_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - logged_in_at >= self.absolute || now < logged_in_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_795_000_000, 0).expect("valid timestamp")
    }

    #[test]
    fn fifth_failure_for_a_login_locks_for_ten_minutes() {
        assert_eq!(lock_after_failure(4, 4, t0()), None);
        assert_eq!(
            lock_after_failure(5, 5, t0()),
            Some(t0() + Duration::seconds(600))
        );
    }

    #[test]
    fn twentieth_failure_from_an_ip_locks() {
        assert_eq!(lock_after_failure(1, 19, t0()), None);
        assert!(lock_after_failure(1, 20, t0()).is_some());
    }

    #[test]
    fn keys_normalise_the_login() {
        assert_eq!(lock_keys(" Bob@X.fr ", "10.0.0.1")[0], "login:bob@x.fr");
        assert_eq!(
            attempt_login(&"é".repeat(4000)).chars().count(),
            MAX_LOGIN_CHARS
        );
    }

    #[test]
    fn absolute_session_limit() {
        let p = SessionPolicy::default();
        assert!(!p.is_expired(t0(), t0() + Duration::hours(11)));
        assert!(p.is_expired(t0(), t0() + Duration::hours(12)));
        assert!(
            p.is_expired(t0(), t0() - Duration::seconds(1)),
            "clock skew is treated as expired"
        );
    }

    proptest! {
        #[test]
        fn lock_iff_a_threshold_is_reached(login in 0i64..50, ip in 0i64..50) {
            let locked = lock_after_failure(login, ip, t0()).is_some();
            prop_assert_eq!(locked, login >= 5 || ip >= 20);
        }
    }
}
