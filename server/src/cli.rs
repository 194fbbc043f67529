//! The command line: `comptoir serve | migrate | user create | demo | alert | maintenance |
//! counts`.

use app::auth::types::Role;
use clap::{Args, Parser, Subcommand, ValueEnum};
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
    #[arg(long)]
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
    #[arg(long)]
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
