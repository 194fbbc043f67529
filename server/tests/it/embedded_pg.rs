//! The embedded cluster: first start initialises it, a second process reuses it without stopping
//! it, a stale lock left by a crash does not block the next start, and stop really stops. The
//! owner migrates, the server's role works on rows only, and what an older version created as the
//! superuser is handed over to the owner.

use crate::privileges::assert_only_rows;
use comptoir_server::database::MIGRATOR;
use comptoir_server::embedded_pg::{EmbeddedPg, OWNER};
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

    let (pg, logins) = EmbeddedPg::start(&dir).await.expect("first start");
    assert!(dir.join("PG_VERSION").exists(), "initialised");
    assert!(answers(&logins.app).await);

    // The owner migrates; the application's role then works on rows only.
    let mut owner = logins.owner.connect().await.unwrap();
    MIGRATOR
        .run(&mut owner)
        .await
        .expect("migrations as the owner");
    owner.close().await.unwrap();
    let mut app = logins.app.connect().await.unwrap();
    assert_only_rows(&mut app).await;
    app.close().await.unwrap();
    // A cluster made before the roles were separated: what the superuser created is handed over
    // to the owner at the next start.
    let mut superuser = logins
        .owner
        .clone()
        .username("comptoir")
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE made_by_the_superuser ()")
        .execute(&mut superuser)
        .await
        .unwrap();
    superuser.close().await.unwrap();

    // A second process (e.g. `comptoir migrate` beside a running server) uses the same cluster
    // and leaves it running when it is done.
    let (second, logins2) = EmbeddedPg::start(&dir).await.expect("second start");
    assert!(answers(&logins2.app).await);
    let mut owner = logins2.owner.connect().await.unwrap();
    let handed_over: String = sqlx::query_scalar(
        "SELECT relowner::regrole::text FROM pg_class \
         WHERE oid = 'made_by_the_superuser'::regclass",
    )
    .fetch_one(&mut owner)
    .await
    .unwrap();
    assert_eq!(handed_over, OWNER);
    owner.close().await.unwrap();
    second.stop().expect("second stop is a no-op");
    assert!(
        answers(&logins.app).await,
        "still running for the first process"
    );

    pg.stop().expect("stop");
    assert!(
        !dir.join("postmaster.pid").exists(),
        "no lock left after a clean stop"
    );
    assert!(!answers(&logins.app).await);

    // A crash leaves a lock naming a process that no longer exists.
    std::fs::write(
        dir.join("postmaster.pid"),
        format!("999999999\n{}\n", dir.display()),
    )
    .unwrap();
    let (pg, logins) = EmbeddedPg::start(&dir)
        .await
        .expect("start over a stale lock");
    assert!(answers(&logins.app).await);
    pg.stop().expect("stop");

    std::fs::remove_dir_all(&root).unwrap();
}
