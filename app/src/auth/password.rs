//! argon2id hashing (OWASP parameters: the `argon2` crate's defaults, m=19 MiB, t=2, p=1).
//! Hashing is CPU-bound, so callers run it on the blocking pool.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;

use crate::error::{AppError, AppResult};

pub fn hash(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        })
}

/// True when `password` matches `stored`. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the login is unknown so that the answer
/// takes as long as for a known login.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&generate(24)).unwrap_or_default())
}

/// A random password from an alphabet without look-alike characters.
pub fn generate(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = OsRng;
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Hashes running at once. Each argon2 computation holds 19 MiB: without a bound, a burst of
/// sign-ins grows the server by that much per request (40 at once took it to 2.4 GB).
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores.clamp(2, 8))
    })
}

/// How long a sign-in waits for a free hashing slot before being asked to retry.
const SIGN_IN_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Runs `work` on the blocking pool once a hashing slot is free (waiting at most `wait`);
/// `None` when no slot freed in time.
async fn bounded<T: Send + 'static>(
    wait: Option<std::time::Duration>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let permit = match wait {
        Some(limit) => tokio::time::timeout(limit, hashing_slots().acquire())
            .await
            .ok()?
            .ok()?,
        None => hashing_slots().acquire().await.ok()?,
    };
    // The slot moves into the blocking task: a request dropped mid-hash (client gone, timeout)
    // must not free it while the 19 MiB computation still runs.
    tokio::task::spawn_blocking(move || {
        let _slot = permit;
        work()
    })
    .await
    .ok()
}

pub async fn hash_blocking(password: String) -> AppResult<String> {
    bounded(None, move || hash(&password))
        .await
        .ok_or(AppError::Internal)?
}

/// For signed-in users (changing a password, confirming a deletion): waits for a slot.
pub async fn verify_blocking(password: String, stored: String) -> bool {
    bounded(None, move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

/// What checking a sign-in's password gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Matches,
    Differs,
    /// Every hashing slot stayed busy: the caller is asked to try again shortly.
    Busy,
}

/// For sign-ins: waits a few seconds at most for a hashing slot.
pub async fn verify_sign_in(password: String, stored: String) -> Verdict {
    verify_sign_in_within(SIGN_IN_WAIT, password, stored).await
}

async fn verify_sign_in_within(
    wait: std::time::Duration,
    password: String,
    stored: String,
) -> Verdict {
    match bounded(Some(wait), move || verify(&password, &stored)).await {
        Some(true) => Verdict::Matches,
        Some(false) => Verdict::Differs,
        None => Verdict::Busy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong", &h));
        assert!(!verify("anything", "not-a-hash"));
    }

    #[test]
    fn generated_passwords_have_the_length_asked() {
        assert_eq!(generate(16).chars().count(), 16);
        assert_ne!(generate(16), generate(16));
    }

    #[tokio::test]
    async fn a_sign_in_is_told_to_retry_when_every_hashing_slot_is_busy() {
        let stored = hash("correct horse battery").expect("hash");
        let slots = hashing_slots();
        let all = u32::try_from(slots.available_permits()).expect("a few slots");
        let taken = slots.acquire_many(all).await.expect("open semaphore");
        let wait = std::time::Duration::from_millis(50);
        assert_eq!(
            verify_sign_in_within(wait, "correct horse battery".into(), stored.clone()).await,
            Verdict::Busy
        );
        drop(taken);
        assert_eq!(
            verify_sign_in_within(wait, "correct horse battery".into(), stored).await,
            Verdict::Matches
        );
    }
}
