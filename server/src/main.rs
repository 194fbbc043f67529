use anyhow::{Context, bail};
use app::accounts::db::{NewAccount, find_organisation, insert_account};
use app::auth::password;
use app::auth::types::{DisplayName, Email, NewPassword, Role};
use app::i18n::Locale;
use app::state::ServerState;
use app::ui::messages::problem_text_in;
use axum::serve::ListenerExt as _;
use clap::Parser;
use comptoir_server::cli::{Cli, Command, CreateUserArgs, ServeArgs, UserCommand};
use comptoir_server::config::Settings;
use comptoir_server::counts;
use comptoir_server::database::Database;
use comptoir_server::demo;
use comptoir_server::http::{AppState, HttpOptions, router};
use comptoir_server::ops;
use std::io::IsTerminal;
use std::net::SocketAddr;

/// Allocation was the largest item of the server's own CPU on a busy page (glibc malloc and
/// free, ≈ 10 % of the machine): mimalloc's thread-local free lists cost less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // clap's refusals are said in French like ours (exit code 2); --help and --version as is.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return comptoir_server::cli_errors::report(&err),
    };
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(err) => {
            eprintln!("erreur : {err}");
            return std::process::ExitCode::from(2);
        }
    };
    init_tracing(settings.json_logs);
    match run(cli, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erreur : {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_tracing(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    // Check what needs no database before starting one.
    let command = cli.command.unwrap_or(Command::Serve);
    let serve_args = cli.serve;
    let user_args = match &command {
        Command::User(UserCommand::Create(args)) => Some(check_user_args(args)?),
        _ => None,
    };
    let checked_op = match &command {
        Command::Alert(c) => Some(ops::check_alert(c)?),
        Command::Maintenance(c) => Some(ops::check_maintenance(c, chrono::Utc::now())?),
        _ => None,
    };
    let counts_op = match &command {
        Command::Counts(c) => Some(counts::check(c)?),
        _ => None,
    };
    let db = Database::open(&settings).await?;
    let outcome = async {
        // `migrate` as the tables' owner; everything else migrates only when the owner is known,
        // otherwise checks the schema is current (server/src/database.rs).
        match &command {
            Command::Migrate => db.migrate().await?,
            _ => db.prepare().await?,
        }
        match command {
            Command::Migrate => {
                println!("Base de données à jour.");
                Ok(())
            }
            Command::Demo => {
                demo::load(&db.pool).await?;
                demo::print_logins("http://127.0.0.1:3000");
                Ok(())
            }
            Command::User(UserCommand::Create(args)) => match user_args {
                Some(checked) => create_user(&db, &args, checked).await,
                None => bail!("arguments non vérifiés"),
            },
            Command::Alert(_) | Command::Maintenance(_) => match checked_op {
                Some(checked) => ops::run(&db.pool, checked).await,
                None => bail!("arguments non vérifiés"),
            },
            Command::Counts(_) => match counts_op {
                Some(checked) => counts::run(&db.pool, checked).await,
                None => bail!("arguments non vérifiés"),
            },
            Command::Serve => serve(&db, &settings, serve_args).await,
        }
    }
    .await;
    db.close().await;
    outcome
}

struct CheckedUser {
    email: Email,
    name: DisplayName,
    role: Role,
}

fn check_user_args(args: &CreateUserArgs) -> anyhow::Result<CheckedUser> {
    let email = Email::parse(&args.email).map_err(|p| {
        anyhow::anyhow!(
            "--email {:?} : {}",
            args.email,
            problem_text_in(Locale::fr, p)
        )
    })?;
    let raw_name = args.name.clone().unwrap_or_else(|| {
        email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    let name = DisplayName::parse(&raw_name)
        .map_err(|p| anyhow::anyhow!("--name {raw_name:?} : {}", problem_text_in(Locale::fr, p)))?;
    if args.organisation.trim().is_empty() {
        bail!("--organisation : indiquez l'identifiant (slug) ou le numéro de l'organisation");
    }
    Ok(CheckedUser {
        email,
        name,
        role: args.role.into(),
    })
}

fn read_password(args: &CreateUserArgs) -> anyhow::Result<(String, bool)> {
    if args.generate_password {
        return Ok((password::generate(16), true));
    }
    if args.password_stdin {
        let stdin = std::io::stdin();
        let from_terminal = stdin.is_terminal();
        let raw = comptoir_server::cli::stdin_password(stdin.lock(), from_terminal)?;
        return Ok((raw, false));
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe : ")?;
        let second = rpassword::prompt_password("Confirmation : ")?;
        if first != second {
            bail!(
                "{}",
                problem_text_in(Locale::fr, app::error::Problem::PasswordMismatch)
            );
        }
        return Ok((first, false));
    }
    Ok((password::generate(16), true))
}

async fn create_user(
    db: &Database,
    args: &CreateUserArgs,
    user: CheckedUser,
) -> anyhow::Result<()> {
    let (organisation_id, is_agency) = find_organisation(&db.pool, &args.organisation)
        .await?
        .with_context(|| {
            format!(
                "--organisation {:?} : organisation introuvable",
                args.organisation
            )
        })?;
    if user.role == Role::Admin && !is_agency {
        bail!(
            "--role admin : {}",
            problem_text_in(Locale::fr, app::error::Problem::AdminNeedsAgency)
        );
    }
    let (raw, generated) = read_password(args)?;
    comptoir_server::cli::check_password_characters(&raw)?;
    let checked = NewPassword::parse(&raw)
        .map_err(|p| anyhow::anyhow!("mot de passe refusé : {}", problem_text_in(Locale::fr, p)))?;
    let hash = password::hash_blocking(checked.expose().to_owned()).await?;
    let id = insert_account(
        &db.pool,
        NewAccount {
            organisation_id,
            email: &user.email,
            display_name: &user.name,
            role: user.role,
            password_hash: &hash,
        },
    )
    .await?
    .with_context(|| {
        format!(
            "--email {} : {}",
            user.email,
            problem_text_in(Locale::fr, app::error::Problem::EmailTaken)
        )
    })?;
    println!("Compte n° {id} créé : {} ({})", user.email, user.role);
    if generated {
        println!("Mot de passe généré (affiché une seule fois) : {raw}");
    }
    Ok(())
}

async fn serve(db: &Database, settings: &Settings, args: ServeArgs) -> anyhow::Result<()> {
    if args.demo {
        demo::load(&db.pool).await?;
    }
    let conf = leptos::config::get_configuration(None).context("configuration Leptos invalide")?;
    let mut leptos = conf.leptos_options;
    let addr: SocketAddr = args.addr.unwrap_or(leptos.site_addr);
    leptos.site_addr = addr;
    comptoir_server::http::discard_stale_precompressed(
        &std::path::Path::new(leptos.site_root.as_ref()).join(leptos.site_pkg_dir.as_ref()),
    );
    let mailer = app::documents::mail::Mailer::new(&settings.mail)
        .context("configuration de l'envoi d'e-mails invalide")?;
    match &settings.mail.smtp {
        Some(smtp) => tracing::info!(host = %smtp.host, port = smtp.port, "e-mail through SMTP"),
        None if settings.secure_cookies => tracing::warn!(
            outbox = %settings.mail.outbox.display(),
            "no COMPTOIR_SMTP_HOST: e-mails are only written to the outbox folder, never sent"
        ),
        None => tracing::info!(
            outbox = %settings.mail.outbox.display(),
            "e-mail written to the outbox folder (set COMPTOIR_SMTP_HOST to send)"
        ),
    }
    let state = AppState {
        leptos,
        server: ServerState {
            mailer: std::sync::Arc::new(mailer),
            pool: db.pool.clone(),
            sessions: settings.sessions,
            trust_forwarded_for: settings.trust_forwarded_for,
            secure_cookies: settings.secure_cookies,
            maintenance: app::maintenance::cache::MaintenanceCache::new(
                std::time::Duration::from_secs(5),
                chrono::Duration::hours(settings.maintenance_notice_hours),
            ),
        },
    };
    let app = router(
        state,
        HttpOptions {
            secure_cookies: settings.secure_cookies,
        },
    );
    // Streamed pages leave in several writes: with Nagle's algorithm, a write waiting for the
    // client's delayed ACK added 40 ms to about one page in a hundred.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("impossible d'écouter sur {addr} (adresse déjà utilisée ?)"))?
        .tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(error = %err, "TCP_NODELAY refused");
            }
        });
    let jobs = comptoir_server::jobs::spawn(
        db.pool.clone(),
        comptoir_server::jobs::JobSettings {
            no_data_days: settings.no_data_days,
        },
    );
    tracing::info!(%addr, "listening");
    if args.demo {
        demo::print_logins(&format!("http://{addr}"));
    } else {
        println!("Comptoir écoute sur http://{addr}");
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("arrêt anormal du serveur HTTP")?;
    jobs.abort();
    tracing::info!("server stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested");
}
