//! The embedded cluster: first start initialises it, a second process reuses it without stopping
//! it, a stale lock left by a crash does not block the next start, and stop really stops.

use comptoir_server::embedded_pg::EmbeddedPg;
use sqlx::{ConnectOptions, Connection};

async fn answers(opts: &sqlx::postgres::PgConnectOptions) -> bool {
    match opts.connect().await {
        Ok(mut conn) => {
            let one: i32 = sqlx::query_scalar("SELECT 1")
                .fetch_one(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
            one == 1
        }
        Err(_) => false,
    }
}

#[tokio::test]
async fn lifecycle_of_the_embedded_cluster() {
    let root = std::env::temp_dir().join(format!("comptoir-embedded-{}", std::process::id()));
    let dir = root.join("postgres");
    let _ = std::fs::remove_dir_all(&root);

    let (pg, opts) = EmbeddedPg::start(&dir).await.expect("first start");
    assert!(dir.join("PG_VERSION").exists(), "initialised");
    assert!(answers(&opts).await);

    // A second process (e.g. `comptoir migrate` beside a running server) uses the same cluster
    // and leaves it running when it is done.
    let (second, opts2) = EmbeddedPg::start(&dir).await.expect("second start");
    assert!(answers(&opts2).await);
    second.stop().expect("second stop is a no-op");
    assert!(answers(&opts).await, "still running for the first process");

    pg.stop().expect("stop");
    assert!(
        !dir.join("postmaster.pid").exists(),
        "no lock left after a clean stop"
    );
    assert!(!answers(&opts).await);

    // A crash leaves a lock naming a process that no longer exists.
    std::fs::write(
        dir.join("postmaster.pid"),
        format!("999999999\n{}\n", dir.display()),
    )
    .unwrap();
    let (pg, opts) = EmbeddedPg::start(&dir)
        .await
        .expect("start over a stale lock");
    assert!(answers(&opts).await);
    pg.stop().expect("stop");

    std::fs::remove_dir_all(&root).unwrap();
}
