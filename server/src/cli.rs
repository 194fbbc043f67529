//! The command line: `comptoir serve | migrate | user create | demo | alert | maintenance |
//! counts`.

use anyhow::{Context, bail};
use app::auth::types::Role;
use app::error::Problem;
use app::i18n::Locale;
use app::ui::messages::problem_text_in;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::BufRead;
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "comptoir",
    version,
    about = "Comptoir : fréquentation, devis et factures"
)]
pub struct Cli {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Defaults to `serve`, so `cargo leptos serve|watch|end-to-end` can run the binary bare.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (migrates first as the tables' owner when it is known: embedded
    /// cluster or COMPTOIR_MIGRATION_DATABASE_URL; otherwise checks the schema is current).
    Serve,
    /// Apply pending migrations as the tables' owner (COMPTOIR_MIGRATION_DATABASE_URL, else
    /// DATABASE_URL) and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Load demo organisations and accounts (idempotent).
    Demo,
    /// Broadcast alerts and purge expired ones.
    #[command(subcommand)]
    Alert(AlertCommand),
    /// Maintenance windows: schedule one, switch on now, switch off, show.
    #[command(subcommand)]
    Maintenance(MaintenanceCommand),
    /// Footfall counts: import a CSV file, rebuild the dashboards' rollups.
    #[command(subcommand)]
    Counts(CountsCommand),
}

#[derive(Debug, Subcommand)]
pub enum CountsCommand {
    /// Import a CSV file of daily counts (shop_code, date, entries[, exits]) into an
    /// organisation; prints the per-line report. Exits with 1 if any line was refused.
    Import(ImportArgs),
    /// Recompute every rollup from the stored counts.
    RebuildRollups,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (`-` reads standard input).
    pub file: Option<std::path::PathBuf>,
    /// The organisation's id or slug.
    #[arg(long)]
    pub organisation: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Create an alert for every user (title and message required, lifetime optional).
    Broadcast(BroadcastArgs),
    /// Delete the alerts past their lifetime, with their confirmations.
    Purge,
}

// Arguments are optional for clap and checked by us, so a missing or empty one gets a
// specific message in French.
#[derive(Debug, Args)]
pub struct BroadcastArgs {
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub message: Option<String>,
    /// Days before the alert expires (none: until confirmed).
    // A negative number is a value here, so our check says what is expected, not clap.
    #[arg(long, allow_negative_numbers = true)]
    pub lifetime_days: Option<String>,
    /// update (default), maintenance or info.
    #[arg(long)]
    pub kind: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MaintenanceCommand {
    /// Schedule a window; times are Europe/Paris ("2026-11-24 02:00" or "24/11/2026 02:00").
    Schedule(ScheduleArgs),
    /// Start maintenance now, for --minutes (default 60).
    On(OnArgs),
    /// End the maintenance in progress now (windows to come stay scheduled).
    Off,
    /// Show the windows in progress and to come.
    Status,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    #[arg(long)]
    pub start: Option<String>,
    #[arg(long)]
    pub end: Option<String>,
    #[arg(long)]
    pub message: Option<String>,
}

#[derive(Debug, Args)]
pub struct OnArgs {
    #[arg(long, allow_negative_numbers = true)]
    pub minutes: Option<String>,
    #[arg(long)]
    pub message: Option<String>,
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on (default: LEPTOS_SITE_ADDR, else 127.0.0.1:3000).
    #[arg(long, env = "COMPTOIR_ADDR", global = true)]
    pub addr: Option<SocketAddr>,
    /// Load the demo data before serving.
    #[arg(long, env = "COMPTOIR_DEMO", global = true)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked twice on a terminal, read from standard input
    /// with --password-stdin, or generated and printed once with --generate-password.
    Create(CreateUserArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Accountant,
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Accountant => Role::Accountant,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Organisation slug or numeric id.
    #[arg(long)]
    pub organisation: String,
    /// Display name (defaults to the part of the e-mail before @).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, conflicts_with = "generate_password")]
    pub password_stdin: bool,
    #[arg(long)]
    pub generate_password: bool,
}

/// How much of standard input a password may take: far more than the longest password allowed
/// (256 characters of up to 4 bytes, twice), so that one is refused by the password rules with
/// their message, while a file piped by mistake is not read whole.
const MAX_PASSWORD_INPUT: u64 = 8 * 1024;

/// The password given on standard input (`--password-stdin`), one line per prompt as a terminal
/// asks: the first line is the password and a second one, if any, its confirmation; the line
/// end (`\n` or `\r\n`) is not part of it. (Reading the whole input made `pw\npw` a password
/// with a newline inside.) From a terminal only the first line is read: reading on would wait
/// for Ctrl-D.
pub fn stdin_password(input: impl BufRead, from_terminal: bool) -> anyhow::Result<String> {
    let mut input = input.take(MAX_PASSWORD_INPUT + 1);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut line = Vec::new();
        let read = input
            .read_until(b'\n', &mut line)
            .context("lecture du mot de passe sur l'entrée standard")?;
        if read == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        lines.push(line);
        if from_terminal {
            break;
        }
    }
    if input.limit() == 0 {
        bail!(
            "mot de passe refusé : l'entrée standard est trop longue (une ligne attendue, \
             éventuellement suivie de sa confirmation)"
        );
    }
    // Blank lines at the end (an extra `echo`) are no confirmation.
    while lines.len() > 1 && lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    let mut lines = lines.into_iter().map(|line| {
        String::from_utf8(line)
            .map_err(|_| anyhow::anyhow!("mot de passe refusé : ce n'est pas du texte UTF-8"))
    });
    let Some(password) = lines.next() else {
        bail!("mot de passe manquant : l'entrée standard est vide (une ligne attendue)");
    };
    let password = password?;
    if let Some(confirmation) = lines.next()
        && confirmation? != password
    {
        bail!(
            "mot de passe refusé : {}",
            problem_text_in(Locale::fr, Problem::PasswordMismatch)
        );
    }
    if lines.next().is_some() {
        bail!(
            "mot de passe refusé : l'entrée standard a plus de deux lignes ; donnez le mot de \
             passe sur une ligne, éventuellement suivie de sa confirmation"
        );
    }
    Ok(password)
}

/// A password holds no control character (a tab, a carriage return, a NUL…): the sign-in
/// form could not take it, and it is most often a pasting or piping mistake.
pub fn check_password_characters(password: &str) -> anyhow::Result<()> {
    if let Some(c) = password.chars().find(|c| c.is_control()) {
        bail!(
            "mot de passe refusé : il contient un caractère de contrôle (U+{:04X}, par exemple \
             une tabulation ou un retour à la ligne), impossible à taper à la connexion",
            u32::from(c)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_pipe(input: &str) -> anyhow::Result<String> {
        stdin_password(input.as_bytes(), false)
    }

    fn refusal(input: &str) -> String {
        match from_pipe(input) {
            Ok(password) => panic!("{input:?} accepted as {password:?}"),
            Err(err) => format!("{err:#}"),
        }
    }

    #[test]
    fn one_line_per_prompt() {
        let expected = "un-mot-de-passe-solide";
        for input in [
            "un-mot-de-passe-solide",
            "un-mot-de-passe-solide\n",
            "un-mot-de-passe-solide\r\n",
            "un-mot-de-passe-solide\nun-mot-de-passe-solide\n",
            "un-mot-de-passe-solide\r\nun-mot-de-passe-solide\r\n\n",
        ] {
            assert_eq!(from_pipe(input).unwrap(), expected, "{input:?}");
        }
        // `pw\npw` is the password `pw` confirmed, which the password rules then refuse.
        assert_eq!(from_pipe("pw\npw").unwrap(), "pw");
        let mismatch = refusal("un-mot-de-passe\nun-autre-mot\n");
        assert!(mismatch.contains("ne correspondent pas"), "{mismatch}");
        let three = refusal("a-b-c-d-e-f\na-b-c-d-e-f\na-b-c-d-e-f\n");
        assert!(three.contains("plus de deux lignes"), "{three}");
        let empty = refusal("");
        assert!(empty.contains("mot de passe manquant"), "{empty}");
        let long = refusal(&"x".repeat(9000));
        assert!(long.contains("trop longue"), "{long}");
        // From a terminal, the first line alone.
        let typed: &[u8] = b"premier-mot-de-passe\nsuite";
        let typed = stdin_password(typed, true).unwrap();
        assert_eq!(typed, "premier-mot-de-passe");
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(check_password_characters("un mot de passe, é à ü").is_ok());
        for bad in [
            "avec\ttabulation",
            "retour\rchariot",
            "nul\0",
            "ligne\nsuivante",
            "\u{85}",
        ] {
            let message = format!("{:#}", check_password_characters(bad).unwrap_err());
            assert!(message.contains("caractère de contrôle"), "{message}");
        }
    }
}
