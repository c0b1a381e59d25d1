//! The zone server: a PostgreSQL database that carries operations between ledgers.
//!
//! Liaison stays local-first: each laptop's sled ledger is the working copy and the server
//! only holds an append-only log of encoded operations, `(actor, seq, bytes)`, which this
//! module moves without looking inside. What an operation means and how it merges is the
//! ledger's business (`Ledger`); this module knows the schema (`schema`), the connection
//! (`connect`: URL, password file, TLS), the two transfers (`remote`) and the loop that
//! resumes an interrupted sync (`sync`).

mod connect;
mod error;
mod ledger;
pub mod mem;
mod pgpass;
mod remote;
pub mod schema;
mod store_ledger;
mod sync;

pub use connect::{connect, ServerUrl};
pub use error::ServerError;
pub use ledger::{Applied, Cursor, Ledger, LedgerError, Op};
pub use remote::Remote;
pub use store_ledger::StoreLedger;
pub use sync::{pull, push, sync, SyncOptions, SyncReport};

/// Where the server's URL comes from when `--server` is not given.
pub const SERVER_ENV: &str = "LIAISON_SERVER";
