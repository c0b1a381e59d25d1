use std::fmt;

/// Why a server operation failed, in words short enough for the status line
/// (`offline: {reason}`).
#[derive(Debug)]
pub enum ServerError {
    /// The URL cannot be understood.
    BadUrl(String),
    /// No connection: the network, the server down, a refused login, TLS.
    Unreachable(String),
    /// The server refused a statement (a permission, row-level security, a constraint).
    Refused(String),
    /// The database is not a Liaison zone, or of a schema this program does not know.
    Schema(String),
    /// The ledger could not give or take operations.
    Ledger(String),
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerError::BadUrl(m) => f.write_str(&crate::messages::server_bad_url(m)),
            ServerError::Unreachable(m) => write!(f, "{m}"),
            ServerError::Refused(m) => f.write_str(&crate::messages::server_refused(m)),
            ServerError::Schema(m) => write!(f, "{m}"),
            ServerError::Ledger(m) => f.write_str(&crate::messages::server_ledger_failed(m)),
        }
    }
}

impl std::error::Error for ServerError {}

impl From<postgres::Error> for ServerError {
    /// A statement the server answered with an error is a refusal; anything else (closed
    /// connection, I/O) means the server is out of reach.
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => ServerError::Refused(db.message().to_string()),
            None if e.is_closed() => {
                ServerError::Unreachable(crate::messages::server_connection_closed())
            }
            None => ServerError::Unreachable(plain_reason(&e)),
        }
    }
}

/// The innermost cause of a client error: "Connection refused (os error 111)" rather than
/// "error connecting to server: ...".
fn plain_reason(e: &postgres::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(inner) = source.source() {
        source = inner;
    }
    source.to_string()
}
