//! A private PostgreSQL cluster for the default run: initialised on first use under the data
//! directory, listening only on a Unix socket inside that directory (no port to clash), run as an
//! unprivileged user when we are root (initdb refuses root), and stopped on shutdown.
//!
//! Hand-written rather than a crate: the embedded-PostgreSQL crates download server binaries at
//! run time, which this product must not do; this drives the system's own binaries.
//!
//! Three roles: initdb's superuser `comptoir` sets up the other two at every start,
//! `comptoir_owner` owns everything and runs the migrations, `comptoir_app` is what the server
//! logs in as (rows only). No passwords: the only way in is the Unix socket inside the 0700 data
//! directory, so only the system user running Comptoir (or root) can connect at all.

use crate::config::APP_ROLE;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// initdb's superuser: sets up the roles and the database at every start, used for nothing
/// else (`psql -U comptoir` stays available for maintenance by hand).
const SUPERUSER: &str = "comptoir";
/// Owns the database, its schemas, tables and functions; runs the migrations.
pub const OWNER: &str = "comptoir_owner";
const DATABASE: &str = "comptoir";
/// Held on the `postgres` database during the set-up, so that two processes starting at once
/// (a server and `comptoir migrate` beside it) take turns.
const SET_UP_LOCK: i64 = 0x434f_4d50_0100;
const PORT: u16 = 5432;
/// `sun_path` holds 108 bytes on Linux, terminating NUL included.
const MAX_SOCKET_PATH: usize = 107;

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedPgError {
    #[error(
        "PostgreSQL introuvable : aucun `initdb` via `pg_config --bindir`, le PATH ou \
         /usr/lib/postgresql/*/bin. Installez-le (Debian/Ubuntu : `apt-get install -y postgresql`) \
         ou indiquez une base existante avec DATABASE_URL=postgres://…"
    )]
    BinariesNotFound,
    #[error(
        "lancé en root, il faut un utilisateur non privilégié pour PostgreSQL (initdb refuse root) : \
         l'utilisateur `{0}` n'existe pas. Créez-le (`useradd --system {0}`) ou lancez Comptoir \
         sous un autre utilisateur, ou indiquez DATABASE_URL."
    )]
    NoUnprivilegedUser(String),
    #[error(
        "chemin du socket trop long ({0} octets, 107 au plus) : choisissez un COMPTOIR_DATA_DIR plus court"
    )]
    SocketPathTooLong(usize),
    #[error("{action} a échoué (code {code:?}) : {output}\nJournal PostgreSQL : {log}")]
    CommandFailed {
        action: String,
        code: Option<i32>,
        output: String,
        log: String,
    },
    #[error("entrée/sortie sur {path} : {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("connexion à la base embarquée impossible : {0}")]
    Connect(#[from] sqlx::Error),
    #[error("préparation des rôles et de la base embarquée impossible : {0}")]
    SetUp(#[source] sqlx::Error),
}

type Result<T> = std::result::Result<T, EmbeddedPgError>;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> EmbeddedPgError + '_ {
    move |source| EmbeddedPgError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Connection options for the cluster's database, one per role.
#[derive(Debug, Clone)]
pub struct Logins {
    /// The tables' owner: for the migrations.
    pub owner: PgConnectOptions,
    /// The application's role: rows only.
    pub app: PgConnectOptions,
}

/// A running cluster. Stop it with [`EmbeddedPg::stop`]; a cluster found already running (left
/// by another process of ours) is used but left running.
#[derive(Debug)]
pub struct EmbeddedPg {
    dir: PathBuf,
    bindir: PathBuf,
    run_as: Option<String>,
    started_here: bool,
}

impl EmbeddedPg {
    /// Initialises (first run) and starts the cluster in `dir`, sets up the roles and the
    /// application database, and returns the owner's and the application's connection options.
    pub async fn start(dir: &Path) -> Result<(Self, Logins)> {
        let bindir = find_bindir().ok_or(EmbeddedPgError::BinariesNotFound)?;
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let dir = dir.canonicalize().map_err(io_err(dir))?;
        let socket_len = dir.join(format!(".s.PGSQL.{PORT}")).as_os_str().len();
        if socket_len > MAX_SOCKET_PATH {
            return Err(EmbeddedPgError::SocketPathTooLong(socket_len));
        }
        let run_as = if is_root() {
            let user = std::env::var("COMPTOIR_PG_USER").unwrap_or_else(|_| "postgres".into());
            let (uid, gid) =
                user_ids(&user).ok_or_else(|| EmbeddedPgError::NoUnprivilegedUser(user.clone()))?;
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).map_err(io_err(&dir))?;
            Some(user)
        } else {
            None
        };
        let mut pg = EmbeddedPg {
            dir,
            bindir,
            run_as,
            started_here: false,
        };
        if !pg.dir.join("PG_VERSION").exists() {
            pg.init()?;
        }
        pg.write_config()?;
        if pg.is_running() {
            tracing::info!(dir = %pg.dir.display(), "PostgreSQL cluster already running; using it");
        } else {
            pg.clear_stale_lock()?;
            pg.run(
                "pg_ctl start",
                "pg_ctl",
                &[
                    "start".as_ref(),
                    "-D".as_ref(),
                    pg.dir.as_os_str(),
                    "-l".as_ref(),
                    pg.log_path().as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                ],
            )?;
            pg.started_here = true;
            tracing::info!(dir = %pg.dir.display(), "PostgreSQL cluster started");
        }
        let base = PgConnectOptions::new()
            .socket(&pg.dir)
            .port(PORT)
            .log_statements(tracing::log::LevelFilter::Trace);
        pg.set_up(&base.clone().username(SUPERUSER)).await?;
        let database = base.database(DATABASE);
        Ok((
            pg,
            Logins {
                owner: database.clone().username(OWNER),
                app: database.username(APP_ROLE),
            },
        ))
    }

    fn init(&self) -> Result<()> {
        tracing::info!(dir = %self.dir.display(), "initialising a new PostgreSQL cluster");
        self.run(
            "initdb",
            "initdb",
            &[
                "-D".as_ref(),
                self.dir.as_os_str(),
                "-U".as_ref(),
                SUPERUSER.as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
                "--auth-local=trust".as_ref(),
                "--auth-host=reject".as_ref(),
            ],
        )
        .map(|_| ())
    }

    /// Settings rewritten at every start, so a moved data directory still works.
    fn write_config(&self) -> Result<()> {
        let main = self.dir.join("postgresql.conf");
        let include = "include_if_exists = 'comptoir.conf'";
        let current = std::fs::read_to_string(&main).map_err(io_err(&main))?;
        if !current.contains(include) {
            std::fs::write(&main, format!("{current}\n{include}\n")).map_err(io_err(&main))?;
        }
        let extra = self.dir.join("comptoir.conf");
        let socket_dir = self.dir.display().to_string().replace('\'', "''");
        let body = format!(
            "# Written by comptoir at every start.\n\
             listen_addresses = ''\n\
             port = {PORT}\n\
             unix_socket_directories = '{socket_dir}'\n\
             unix_socket_permissions = 0700\n\
             max_connections = 100\n\
             shared_buffers = 128MB\n\
             log_min_messages = warning\n"
        );
        std::fs::write(&extra, body).map_err(io_err(&extra))?;
        if let Some(user) = &self.run_as
            && let Some((uid, gid)) = user_ids(user)
        {
            for file in [&main, &extra] {
                std::os::unix::fs::chown(file, Some(uid), Some(gid)).map_err(io_err(file))?;
            }
        }
        Ok(())
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.join("postmaster.pid")
    }

    /// A postmaster whose lock file names a live `postgres` process.
    fn is_running(&self) -> bool {
        lock_pid(&self.pid_file()).is_some_and(pid_is_postgres)
    }

    /// Removes lock files left by a postmaster that died without cleaning up (power loss,
    /// SIGKILL): PostgreSQL refuses to start when the PID they name now belongs to another
    /// process.
    fn clear_stale_lock(&self) -> Result<()> {
        let pid_file = self.pid_file();
        if pid_file.exists() {
            tracing::warn!(file = %pid_file.display(), "removing a stale PostgreSQL lock file");
            std::fs::remove_file(&pid_file).map_err(io_err(&pid_file))?;
            let socket_lock = self.dir.join(format!(".s.PGSQL.{PORT}.lock"));
            if socket_lock.exists() {
                std::fs::remove_file(&socket_lock).map_err(io_err(&socket_lock))?;
            }
        }
        Ok(())
    }

    /// Roles, database and ownership, made sure of at every start (idempotent). A cluster made
    /// before the roles were separated, where the superuser owned everything, ends up like a new
    /// one: the owner owns every object, the application's role owns nothing.
    async fn set_up(&self, superuser: &PgConnectOptions) -> Result<()> {
        let mut conn = connect_with_retry(&superuser.clone().database("postgres")).await?;
        // On an early return, dropping the connection ends the session and releases the lock.
        set_up_roles_and_database(&mut conn, superuser)
            .await
            .map_err(EmbeddedPgError::SetUp)?;
        conn.close().await?;
        Ok(())
    }

    /// Stops the cluster if this process started it (fast shutdown: clients are disconnected,
    /// committed work is safe).
    pub fn stop(&self) -> Result<()> {
        if !self.started_here {
            return Ok(());
        }
        self.run(
            "pg_ctl stop",
            "pg_ctl",
            &[
                "stop".as_ref(),
                "-D".as_ref(),
                self.dir.as_os_str(),
                "-m".as_ref(),
                "fast".as_ref(),
                "-w".as_ref(),
            ],
        )?;
        tracing::info!("PostgreSQL cluster stopped");
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn run(&self, action: &str, program: &str, args: &[&std::ffi::OsStr]) -> Result<String> {
        let exe = self.bindir.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        // The unprivileged user may not be allowed into our working directory.
        cmd.args(args).current_dir(&self.dir).env("LC_ALL", "C");
        let out = cmd.output().map_err(io_err(&exe))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            Ok(text)
        } else {
            Err(EmbeddedPgError::CommandFailed {
                action: action.to_owned(),
                code: out.status.code(),
                output: text.trim().to_owned(),
                log: self.log_path().display().to_string(),
            })
        }
    }
}

/// What [`EmbeddedPg::set_up`] runs, on a superuser's connection to the `postgres` database.
async fn set_up_roles_and_database(
    conn: &mut sqlx::PgConnection,
    superuser: &PgConnectOptions,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(SET_UP_LOCK)
        .execute(&mut *conn)
        .await?;
    sqlx::raw_sql(&format!(
        r#"
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER}') THEN
        CREATE ROLE {OWNER};
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        CREATE ROLE {APP_ROLE};
    END IF;
    -- A member of the owner could SET ROLE to it.
    IF pg_has_role('{APP_ROLE}', '{OWNER}', 'MEMBER') THEN
        REVOKE {OWNER} FROM {APP_ROLE};
    END IF;
END $$;
ALTER ROLE {OWNER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
"#
    ))
    .execute(&mut *conn)
    .await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(DATABASE)
            .fetch_one(&mut *conn)
            .await?;
    // Outside any transaction block: CREATE DATABASE refuses one.
    let statement = if exists {
        format!("ALTER DATABASE {DATABASE} OWNER TO {OWNER}")
    } else {
        format!("CREATE DATABASE {DATABASE} OWNER {OWNER}")
    };
    sqlx::query(&statement).execute(&mut *conn).await?;
    // REASSIGN OWNED BY refuses initdb's superuser (it owns the system catalogs): one by one.
    let mut db = superuser.clone().database(DATABASE).connect().await?;
    sqlx::raw_sql(&format!(
        r#"
DO $$
DECLARE
    item record;
BEGIN
    ALTER SCHEMA public OWNER TO {OWNER};
    IF to_regnamespace('tower_sessions') IS NOT NULL THEN
        ALTER SCHEMA tower_sessions OWNER TO {OWNER};
    END IF;
    -- Indexes and identity sequences follow their table.
    FOR item IN
        SELECT c.oid::regclass AS name FROM pg_class c
         WHERE c.relnamespace IN ('public'::regnamespace, to_regnamespace('tower_sessions'))
           AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND c.relowner <> '{OWNER}'::regrole
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO {OWNER}', item.name);
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND p.proowner <> '{OWNER}'::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER}', item.name);
    END LOOP;
END $$;
"#
    ))
    .execute(&mut db)
    .await?;
    db.close().await?;
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(SET_UP_LOCK)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn connect_with_retry(opts: &PgConnectOptions) -> Result<sqlx::PgConnection> {
    let mut last = None;
    for _ in 0..50 {
        match opts.connect().await {
            Ok(conn) => return Ok(conn),
            Err(err) => {
                last = Some(err);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    Err(EmbeddedPgError::Connect(
        last.unwrap_or(sqlx::Error::PoolTimedOut),
    ))
}

fn has_server_binaries(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
}

/// `pg_config --bindir`, then `PATH`, then the newest `/usr/lib/postgresql/*/bin`.
pub fn find_bindir() -> Option<PathBuf> {
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(dir) = from_pg_config.filter(|d| has_server_binaries(d)) {
        return Some(dir);
    }
    if let Some(dir) = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|d| has_server_binaries(d))
    {
        return Some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| has_server_binaries(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn lock_pid(pid_file: &Path) -> Option<u32> {
    std::fs::read_to_string(pid_file)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

fn pid_is_postgres(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|comm| {
            let comm = comm.trim();
            comm.starts_with("postgres") || comm.starts_with("postmaster")
        })
        .unwrap_or(false)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn user_ids(user: &str) -> Option<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").arg(flag).arg(user).output().ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    Some((id("-u")?, id("-g")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_naming_a_dead_process_is_not_running() {
        let dir = std::env::temp_dir().join(format!("comptoir-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pid_file = dir.join("postmaster.pid");
        std::fs::write(&pid_file, "999999999\n/data\n").unwrap();
        assert_eq!(lock_pid(&pid_file), Some(999_999_999));
        assert!(!pid_is_postgres(999_999_999));
        // Our own PID is alive but is not a postgres process.
        assert!(!pid_is_postgres(std::process::id()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
