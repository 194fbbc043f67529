//! The command line: `comptoir serve | migrate | user create | demo`.

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
    /// Start the web server (migrates the database first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Load demo organisations and accounts (idempotent).
    Demo,
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
