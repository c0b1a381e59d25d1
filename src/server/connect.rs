//! From a URL to a connection: the password from the URL, `PGPASSWORD` or the password file,
//! a short connect timeout (an offline laptop must say so quickly), and TLS as the URL asks.

use super::error::ServerError;
use super::pgpass;
use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};
use std::str::FromStr;
use std::time::Duration;

/// A parsed server URL (`postgres://user@host:port/zone?sslmode=require`, or libpq's
/// `key=value` form).
#[derive(Clone)]
pub struct ServerUrl {
    config: Config,
}

impl std::fmt::Debug for ServerUrl {
    /// Never prints a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerUrl({})", self.describe())
    }
}

impl ServerUrl {
    pub fn parse(url: &str) -> Result<ServerUrl, ServerError> {
        let mut config =
            Config::from_str(url.trim()).map_err(|e| ServerError::BadUrl(e.to_string()))?;
        if config.get_hosts().is_empty() {
            return Err(ServerError::BadUrl(format!("{url:?} names no host")));
        }
        if config.get_user().is_none() {
            // libpq's default: the login name.
            let user = std::env::var("PGUSER")
                .or_else(|_| std::env::var("USER"))
                .map_err(|_| ServerError::BadUrl("the URL names no user".into()))?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let user = config.get_user().unwrap_or_default().to_string();
            config.dbname(&user);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        if config.get_password().is_none() {
            if let Some(password) = password_for(&config) {
                config.password(password);
            }
        }
        Ok(ServerUrl { config })
    }

    /// `user@host:port/database`, for messages.
    pub fn describe(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!(
            "{}@{host}:{port}/{}",
            self.config.get_user().unwrap_or_default(),
            self.config.get_dbname().unwrap_or_default()
        )
    }

    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// The same server and database, another login.
    pub fn with_login(&self, user: &str, password: &str) -> ServerUrl {
        let mut config = self.config.clone();
        config.user(user);
        config.password(password);
        ServerUrl { config }
    }

    /// The same server and credentials, another database (the admin creates the zone's
    /// database from `postgres`).
    pub fn with_database(&self, database: &str) -> ServerUrl {
        let mut config = self.config.clone();
        config.dbname(database);
        ServerUrl { config }
    }
}

fn password_for(config: &Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Some(password);
    }
    let host = match config.get_hosts().first()? {
        Host::Tcp(name) => name.clone(),
        Host::Unix(_) => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    pgpass::lookup(&host, port, config.get_dbname()?, config.get_user()?)
}

/// Connects. With `sslmode=require` the link is encrypted; the server's certificate is
/// checked against `~/.postgresql/root.crt` when that file exists, as libpq does.
pub fn connect(url: &ServerUrl) -> Result<Client, ServerError> {
    let unreachable = |e: postgres::Error| match e.as_db_error() {
        // A refused login is worth its own words.
        Some(db) => ServerError::Unreachable(db.message().to_string()),
        None => ServerError::from(e),
    };
    match url.config.get_ssl_mode() {
        SslMode::Disable => url.config.connect(NoTls).map_err(unreachable),
        _ => url.config.connect(tls()?).map_err(unreachable),
    }
}

/// The TLS connector, made once per process: OpenSSL 3 takes tens of milliseconds to set up
/// a context, which a sync with nothing new (budget 100 ms) should not pay every time.
fn tls() -> Result<postgres_native_tls::MakeTlsConnector, ServerError> {
    static CONNECTOR: std::sync::OnceLock<Result<postgres_native_tls::MakeTlsConnector, String>> =
        std::sync::OnceLock::new();
    CONNECTOR
        .get_or_init(|| make_tls().map_err(|e| e.to_string()))
        .clone()
        .map_err(ServerError::Unreachable)
}

fn make_tls() -> Result<postgres_native_tls::MakeTlsConnector, ServerError> {
    let mut builder = native_tls::TlsConnector::builder();
    // Only root.crt is trusted, as with libpq.
    builder.disable_built_in_roots(true);
    let root = std::env::var_os("HOME")
        .map(|home| std::path::PathBuf::from(home).join(".postgresql/root.crt"));
    match root.and_then(|path| std::fs::read(path).ok()) {
        Some(pem) => {
            let cert = native_tls::Certificate::from_pem(&pem)
                .map_err(|e| ServerError::BadUrl(format!("~/.postgresql/root.crt: {e}")))?;
            builder.add_root_certificate(cert);
        }
        None => {
            builder.danger_accept_invalid_certs(true);
        }
    }
    let connector = builder
        .build()
        .map_err(|e| ServerError::Unreachable(format!("TLS: {e}")))?;
    Ok(postgres_native_tls::MakeTlsConnector::new(connector))
}
