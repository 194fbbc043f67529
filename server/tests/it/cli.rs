//! The `comptoir` command line: specific errors on bad arguments, and account creation against a
//! real database.

use sqlx::PgPool;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn comptoir(args: &[&str], database_url: Option<&str>, stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_comptoir"));
    cmd.args(args)
        .env_remove("DATABASE_URL")
        .env("COMPTOIR_DATA_DIR", "/nonexistent/must-not-be-used")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    let mut child = cmd.spawn().expect("spawn comptoir");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("comptoir output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The URL of the test's own database (not the shared server one).
fn url_of(pool: &PgPool) -> String {
    let opts = pool.connect_options();
    let db = opts.get_database().unwrap_or("postgres");
    let user = opts.get_username();
    match opts.get_socket() {
        Some(socket) => format!("postgres://{user}@localhost/{db}?host={}", socket.display()),
        None => format!(
            "postgres://{user}@{}:{}/{db}",
            opts.get_host(),
            opts.get_port()
        ),
    }
}

#[test]
fn bad_arguments_get_specific_errors_before_any_database_work() {
    let out = comptoir(
        &[
            "user",
            "create",
            "--email",
            "bob",
            "--role",
            "viewer",
            "--organisation",
            "x",
        ],
        None,
        None,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--email \"bob\" : Adresse e-mail invalide."),
        "{}",
        stderr(&out)
    );

    let out = comptoir(
        &[
            "user",
            "create",
            "--email",
            "bob@x.fr",
            "--role",
            "root",
            "--organisation",
            "x",
        ],
        None,
        None,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("invalid value 'root' for '--role"),
        "{}",
        stderr(&out)
    );

    let out = comptoir(
        &[
            "user",
            "create",
            "--email",
            "bob@x.fr",
            "--role",
            "viewer",
            "--organisation",
            " ",
        ],
        None,
        None,
    );
    assert!(stderr(&out).contains("--organisation"), "{}", stderr(&out));

    let out = comptoir(&["user", "create", "--role", "viewer"], None, None);
    assert!(stderr(&out).contains("--email"), "{}", stderr(&out));
}

#[test]
fn a_bad_setting_is_named() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_comptoir"));
    let out = cmd
        .arg("migrate")
        .env("COMPTOIR_SESSION_IDLE_MINUTES", "beaucoup")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("COMPTOIR_SESSION_IDLE_MINUTES"),
        "{}",
        stderr(&out)
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn user_create_then_duplicate_and_unknown_organisation(pool: PgPool) {
    let url = url_of(&pool);
    let demo = comptoir(&["demo"], Some(&url), None);
    assert!(demo.status.success(), "{}", stderr(&demo));

    let out = comptoir(
        &[
            "user",
            "create",
            "--email",
            "Nouvelle@Bash.test",
            "--role",
            "accountant",
            "--organisation",
            "bash",
            "--password-stdin",
        ],
        Some(&url),
        Some("un-mot-de-passe-solide\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("nouvelle@bash.test (accountant)"),
        "{stdout}"
    );
    let role: String =
        sqlx::query_scalar("SELECT role FROM accounts WHERE email = 'nouvelle@bash.test'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(role, "accountant");

    let again = comptoir(
        &[
            "user",
            "create",
            "--email",
            "nouvelle@bash.test",
            "--role",
            "viewer",
            "--organisation",
            "bash",
            "--generate-password",
        ],
        Some(&url),
        None,
    );
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("Cette adresse e-mail est déjà utilisée."),
        "{}",
        stderr(&again)
    );

    let nowhere = comptoir(
        &[
            "user",
            "create",
            "--email",
            "x@y.fr",
            "--role",
            "viewer",
            "--organisation",
            "nulle-part",
            "--generate-password",
        ],
        Some(&url),
        None,
    );
    assert!(
        stderr(&nowhere).contains("--organisation \"nulle-part\" : organisation introuvable"),
        "{}",
        stderr(&nowhere)
    );

    let admin_elsewhere = comptoir(
        &[
            "user",
            "create",
            "--email",
            "chef@bash.test",
            "--role",
            "admin",
            "--organisation",
            "bash",
            "--generate-password",
        ],
        Some(&url),
        None,
    );
    assert!(
        stderr(&admin_elsewhere).contains("Un administrateur doit appartenir à l'agence."),
        "{}",
        stderr(&admin_elsewhere)
    );

    let short = comptoir(
        &[
            "user",
            "create",
            "--email",
            "court@bash.test",
            "--role",
            "viewer",
            "--organisation",
            "bash",
            "--password-stdin",
        ],
        Some(&url),
        Some("court\n"),
    );
    assert!(
        stderr(&short).contains("au moins 10 caractères"),
        "{}",
        stderr(&short)
    );

    let generated = comptoir(
        &[
            "user",
            "create",
            "--email",
            "gen@bash.test",
            "--role",
            "viewer",
            "--organisation",
            "bash",
            "--generate-password",
        ],
        Some(&url),
        None,
    );
    assert!(String::from_utf8_lossy(&generated.stdout).contains("Mot de passe généré"));
}
