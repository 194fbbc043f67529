//! The `comptoir` command line: specific errors on bad arguments, and account creation against a
//! real database.

use crate::privileges::app_role_login;
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use std::io::Write;
use std::process::{Command, Output, Stdio};

pub(crate) fn comptoir(args: &[&str], database_url: Option<&str>, stdin: Option<&str>) -> Output {
    comptoir_env(args, database_url, stdin, &[])
}

/// `comptoir` with extra environment variables; a developer's own environment (the owner's URL,
/// a log filter hiding the warnings) must not change the outcome.
pub(crate) fn comptoir_env(
    args: &[&str],
    database_url: Option<&str>,
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_comptoir"));
    cmd.args(args)
        .env_remove("DATABASE_URL")
        .env_remove("COMPTOIR_MIGRATION_DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("COMPTOIR_DATA_DIR", "/nonexistent/must-not-be-used")
        .envs(env.iter().copied())
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
pub(crate) fn url_of(pool: &PgPool) -> String {
    url_of_options(&pool.connect_options())
}

/// A passwordless URL for `opts` (the test cluster trusts local connections).
pub(crate) fn url_of_options(opts: &PgConnectOptions) -> String {
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

fn user_create(
    email: &str,
    role: &str,
    organisation: &str,
    password: &[&str],
    database_url: Option<&str>,
    stdin: Option<&str>,
) -> Output {
    let mut args = vec![
        "user",
        "create",
        "--email",
        email,
        "--role",
        role,
        "--organisation",
        organisation,
    ];
    args.extend_from_slice(password);
    comptoir(&args, database_url, stdin)
}

#[track_caller]
fn assert_fails_with(out: &Output, message: &str) {
    assert!(!out.status.success(), "should fail with {message:?}");
    assert!(
        stderr(out).contains(message),
        "{message:?} not in {}",
        stderr(out)
    );
}

#[test]
fn bad_arguments_get_specific_errors_before_any_database_work() {
    let out = user_create("bob", "viewer", "x", &[], None, None);
    assert_fails_with(&out, "--email \"bob\" : Adresse e-mail invalide.");
    let out = user_create("bob@x.fr", "root", "x", &[], None, None);
    assert_fails_with(
        &out,
        "--role : valeur « root » invalide ; valeurs possibles : admin, accountant, viewer",
    );
    let out = user_create("bob@x.fr", "viewer", " ", &[], None, None);
    assert_fails_with(&out, "--organisation");
    let out = comptoir(&["user", "create", "--role", "viewer"], None, None);
    assert_fails_with(&out, "--email");
}

/// What clap prints in English, never shown: its refusals are said in French too.
const CLAP_ENGLISH: [&str; 8] = [
    "error:",
    "invalid value",
    "unexpected argument",
    "a value is required",
    "unrecognized subcommand",
    "Usage:",
    "For more information",
    "tip:",
];

#[track_caller]
fn assert_french_refusal(out: &Output, code: i32, message: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.starts_with("erreur : "), "{err}");
    assert!(err.contains(message), "{message:?} not in {err}");
    for english in CLAP_ENGLISH {
        assert!(!err.contains(english), "{english:?} in {err}");
    }
}

#[test]
fn command_line_errors_speak_french() {
    let broadcast = "alert broadcast --title T --message M";
    // clap's own refusals, with its exit code 2 (arguments split on spaces).
    let cases = [
        (
            format!("{broadcast} --lifetime-days"),
            "--lifetime-days : une valeur est attendue (un nombre de jours entre 1 et 3650)",
        ),
        (
            format!("{broadcast} --lifetime 3"),
            "argument « --lifetime » inattendu ; vouliez-vous dire « --lifetime-days » ?",
        ),
        (
            "user create --email a@b.fr --role chef --organisation x".to_owned(),
            "--role : valeur « chef » invalide ; valeurs possibles : admin, accountant, viewer",
        ),
        ("frobnicate".to_owned(), "« frobnicate »"),
        (
            "maintenance on --minutes".to_owned(),
            "--minutes : une valeur est attendue (un nombre de minutes entre 1 et 10080",
        ),
        (
            "counts import a.csv b.csv".to_owned(),
            "argument « b.csv » inattendu",
        ),
        (
            "--addr partout".to_owned(),
            "--addr : valeur « partout » invalide (attendu : une adresse et un port",
        ),
    ];
    for (args, message) in cases {
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = comptoir(&args, None, None);
        assert_french_refusal(&out, 2, message);
        assert!(stderr(&out).contains("--help"), "{args:?}");
    }
    // A negative number reaches the command's own check, which says what it expects.
    let args = format!("{broadcast} --lifetime-days -3");
    let args: Vec<&str> = args.split_whitespace().collect();
    let out = comptoir(&args, None, None);
    let expected = "--lifetime-days : La durée de vie doit être un nombre de jours entre 1 et \
                    3650 ; « -3 » reçu.";
    assert_french_refusal(&out, 1, expected);
    let out = comptoir(&["maintenance", "on", "--minutes", "-5"], None, None);
    let expected = "--minutes : La durée doit être un nombre de minutes";
    assert_french_refusal(&out, 1, expected);
    assert!(stderr(&out).contains("« -5 » reçu."), "{}", stderr(&out));
    // A command without its subcommand says so in French, then shows the help.
    let out = comptoir(&["user"], None, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("erreur : "), "{}", stderr(&out));
    assert!(stderr(&out).contains("create"), "{}", stderr(&out));
    // --help and --version are clap's, unchanged.
    let help = comptoir(&["--help"], None, None);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage:"));
    let version = comptoir(&["--version"], None, None);
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("comptoir "));
}

/// `--password-stdin` reads one line per prompt: `pw\npw` is the password `pw`, confirmed (and
/// refused as too short), never a password with a newline inside.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_piped_password_is_one_line_per_prompt(pool: PgPool) {
    sqlx::query("INSERT INTO organisations (slug, name, is_agency) VALUES ('bash', 'Bash', false)")
        .execute(&pool)
        .await
        .unwrap();
    let url = url_of(&pool);
    let db = Some(url.as_str());
    let piped = &["--password-stdin"][..];
    let create =
        |email: &str, stdin: &str| user_create(email, "viewer", "bash", piped, db, Some(stdin));

    let out = create("court@bash.test", "pw\npw");
    let expected = "mot de passe refusé : Le mot de passe doit contenir au moins 10 caractères.";
    assert_fails_with(&out, expected);
    let confirmed = "un-mot-de-passe-solide\r\nun-mot-de-passe-solide\r\n";
    let out = create("crlf@bash.test", confirmed);
    assert!(out.status.success(), "{}", stderr(&out));
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM accounts WHERE email = 'crlf@bash.test'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(app::auth::password::verify("un-mot-de-passe-solide", &hash));
    let different = "un-mot-de-passe-solide\nun-autre-mot-de-passe\n";
    let out = create("autre@bash.test", different);
    assert_fails_with(&out, "Les deux mots de passe ne correspondent pas.");
    let out = create("tab@bash.test", "un\tmot-de-passe-solide\n");
    assert_fails_with(&out, "caractère de contrôle");
    let out = create("vide@bash.test", "");
    assert_fails_with(&out, "mot de passe manquant");
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 1, "only the accepted password made an account");
}

#[test]
fn a_bad_setting_is_named() {
    let out = Command::new(env!("CARGO_BIN_EXE_comptoir"))
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
    // The owner's URL only goes with DATABASE_URL: the embedded cluster has its own owner.
    let out = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env(
            "COMPTOIR_MIGRATION_DATABASE_URL",
            "postgres://proprietaire:secret@localhost/comptoir",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("COMPTOIR_MIGRATION_DATABASE_URL"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("secret"), "{}", stderr(&out));
}

/// Without the owner's URL a command does no DDL: on a database not migrated yet the app's role
/// stops and names `comptoir migrate`; `comptoir migrate` with the owner's URL migrates; the app's
/// role then works, without the warning that the owner as DATABASE_URL gets.
#[sqlx::test(migrations = false)]
async fn migrations_need_the_owner_and_the_apps_role_says_so(pool: PgPool) {
    let owner = url_of(&pool);
    let app = url_of_options(&app_role_login(&pool).await);
    let out = comptoir(&["demo"], Some(app.as_str()), None);
    assert_fails_with(&out, "comptoir migrate");
    let out = comptoir_env(
        &["migrate"],
        Some(app.as_str()),
        None,
        &[("COMPTOIR_MIGRATION_DATABASE_URL", owner.as_str())],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = comptoir(&["demo"], Some(app.as_str()), None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("comptoir_app"), "{}", stderr(&out));
    // The owner (here a superuser) as DATABASE_URL still works as before, with the warning.
    let out = comptoir(&["alert", "purge"], Some(owner.as_str()), None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("comptoir_app"), "{}", stderr(&out));
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn user_create_then_duplicate_and_unknown_organisation(pool: PgPool) {
    let url = url_of(&pool);
    let db = Some(url.as_str());
    let demo = comptoir(&["demo"], db, None);
    assert!(demo.status.success(), "{}", stderr(&demo));

    let stdin = Some("un-mot-de-passe-solide\n");
    let out = user_create(
        "Nouvelle@Bash.test",
        "accountant",
        "bash",
        &["--password-stdin"],
        db,
        stdin,
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

    let generate = &["--generate-password"][..];
    let again = user_create("nouvelle@bash.test", "viewer", "bash", generate, db, None);
    assert_fails_with(&again, "Cette adresse e-mail est déjà utilisée.");
    let nowhere = user_create("x@y.fr", "viewer", "nulle-part", generate, db, None);
    assert_fails_with(
        &nowhere,
        "--organisation \"nulle-part\" : organisation introuvable",
    );
    let admin_elsewhere = user_create("chef@bash.test", "admin", "bash", generate, db, None);
    assert_fails_with(
        &admin_elsewhere,
        "Un administrateur doit appartenir à l'agence.",
    );
    let short = user_create(
        "court@bash.test",
        "viewer",
        "bash",
        &["--password-stdin"],
        db,
        Some("court\n"),
    );
    assert_fails_with(&short, "au moins 10 caractères");
    let generated = user_create("gen@bash.test", "viewer", "bash", generate, db, None);
    assert!(String::from_utf8_lossy(&generated.stdout).contains("Mot de passe généré"));
}

#[test]
fn alert_and_maintenance_arguments_are_checked_first() {
    let out = comptoir(&["alert", "broadcast", "--message", "Bonjour"], None, None);
    assert_fails_with(&out, "--title manquant : indiquez le titre de l'alerte");
    let out = comptoir(
        &["alert", "broadcast", "--title", "T", "--message", "  "],
        None,
        None,
    );
    assert_fails_with(&out, "--message est vide");
    let out = comptoir(
        &[
            "alert",
            "broadcast",
            "--title",
            "T",
            "--message",
            "M",
            "--lifetime-days",
            "zéro",
        ],
        None,
        None,
    );
    assert_fails_with(
        &out,
        "--lifetime-days : La durée de vie doit être un nombre de jours",
    );
    let out = comptoir(
        &[
            "alert",
            "broadcast",
            "--title",
            "T",
            "--message",
            "M",
            "--kind",
            "urgent",
        ],
        None,
        None,
    );
    assert_fails_with(&out, "--kind : Type d'alerte inconnu");
    let out = comptoir(
        &["maintenance", "schedule", "--start", "24/11/2099 04:00"],
        None,
        None,
    );
    assert_fails_with(&out, "--end manquant");
    let out = comptoir(
        &[
            "maintenance",
            "schedule",
            "--start",
            "24/11/2099 04:00",
            "--end",
            "24/11/2099 02:00",
        ],
        None,
        None,
    );
    assert_fails_with(&out, "--end : La fin doit être postérieure au début.");
    let out = comptoir(
        &[
            "maintenance",
            "schedule",
            "--start",
            "29/03/2099 02:30",
            "--end",
            "29/03/2099 05:00",
        ],
        None,
        None,
    );
    assert_fails_with(&out, "--start : Cette heure n'existe pas à Paris");
    let out = comptoir(&["maintenance", "on", "--minutes", "0"], None, None);
    assert_fails_with(&out, "--minutes : La durée doit être");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn alert_broadcast_purge_and_maintenance_on_off(pool: PgPool) {
    let url = url_of(&pool);
    let db = Some(url.as_str());
    let out = comptoir(
        &[
            "alert",
            "broadcast",
            "--title",
            "Nouvelle version",
            "--message",
            "Ligne 1\nLigne 2",
            "--lifetime-days",
            "2",
        ],
        db,
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("pour tous les utilisateurs, visible 2 jour(s)")
    );
    let (kind, lifetime, audience): (String, Option<i32>, Option<i64>) =
        sqlx::query_as("SELECT kind, lifetime_days, audience_organisation_id FROM alerts")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (kind.as_str(), lifetime, audience),
        ("update", Some(2), None)
    );
    sqlx::query("UPDATE alerts SET created_at = now() - interval '3 days'")
        .execute(&pool)
        .await
        .unwrap();
    let purge = comptoir(&["alert", "purge"], db, None);
    assert!(String::from_utf8_lossy(&purge.stdout).contains("1 alerte(s) expirée(s) supprimée(s)"));

    let on = comptoir(
        &[
            "maintenance",
            "on",
            "--minutes",
            "15",
            "--message",
            "Mise à jour",
        ],
        db,
        None,
    );
    assert!(on.status.success(), "{}", stderr(&on));
    let printed = String::from_utf8_lossy(&on.stdout);
    assert!(
        printed.contains("Maintenance activée") && printed.contains("/maintenance/acces/"),
        "{printed}"
    );
    let status = comptoir(&["maintenance", "status"], db, None);
    assert!(String::from_utf8_lossy(&status.stdout).contains("Maintenance en cours jusqu'au"));
    let off = comptoir(&["maintenance", "off"], db, None);
    assert!(String::from_utf8_lossy(&off.stdout).contains("Maintenance terminée"));
    let active: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM maintenance_windows WHERE starts_at <= now() AND ends_at > now()",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(active, 0);
    let planned = comptoir(
        &[
            "maintenance",
            "schedule",
            "--start",
            "2099-01-02 02:00",
            "--end",
            "02/01/2099 04:00",
        ],
        db,
        None,
    );
    assert!(
        String::from_utf8_lossy(&planned.stdout)
            .contains("du 02/01/2099 à 02:00 au 02/01/2099 à 04:00")
    );
}
