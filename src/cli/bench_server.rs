//! `liaison bench --server ADMIN_URL`: syncing through a zone server, on real ledgers. Makes
//! a scratch zone database on that server (dropped at the end), a ledger of generated data
//! holding over 100,000 operations, and measures: pushing 10,000 operations, pulling and
//! applying 100,000 into an empty ledger, and a sync with nothing new.

use super::{CliError, CliResult};
use crate::demo::DemoOptions;
use crate::server::schema::{self, quote_ident, Member};
use crate::server::{
    self, Applied, Cursor, Ledger, LedgerError, Op, Remote, ServerError, ServerUrl, StoreLedger,
    SyncOptions, SyncReport,
};
use crate::store::Store;
use std::time::{Duration, Instant};

fn server_error(e: ServerError) -> CliError {
    CliError::Runtime(e.to_string())
}

/// A ledger seen only up to `cap` of its own operations: pushes exactly that many.
struct Capped<'a> {
    inner: StoreLedger<'a>,
    cap: u64,
}

impl Ledger for Capped<'_> {
    fn actor(&self) -> String {
        self.inner.actor()
    }
    fn head(&self) -> Result<u64, LedgerError> {
        Ok(self.inner.head()?.min(self.cap))
    }
    fn own_ops_after(&self, after: u64, limit: usize) -> Result<Vec<Op>, LedgerError> {
        let room = self.cap.saturating_sub(after) as usize;
        self.inner.own_ops_after(after, limit.min(room))
    }
    fn apply(&mut self, ops: &[Op], cursor: &Cursor) -> Result<Applied, LedgerError> {
        self.inner.apply(ops, cursor)
    }
    fn cursor(&self) -> Option<Cursor> {
        self.inner.cursor()
    }
}

/// A ledger that counts the time spent applying, to tell the store's share of a pull from
/// the network's.
struct Timed<'a> {
    inner: StoreLedger<'a>,
    applying: Duration,
}

impl Ledger for Timed<'_> {
    fn actor(&self) -> String {
        self.inner.actor()
    }
    fn head(&self) -> Result<u64, LedgerError> {
        self.inner.head()
    }
    fn own_ops_after(&self, after: u64, limit: usize) -> Result<Vec<Op>, LedgerError> {
        self.inner.own_ops_after(after, limit)
    }
    fn apply(&mut self, ops: &[Op], cursor: &Cursor) -> Result<Applied, LedgerError> {
        let started = Instant::now();
        let applied = self.inner.apply(ops, cursor);
        self.applying += started.elapsed();
        applied
    }
    fn cursor(&self) -> Option<Cursor> {
        self.inner.cursor()
    }
}

pub fn run(admin: &str, seed: u64) -> CliResult {
    let admin = ServerUrl::parse(admin).map_err(super::server::cli_error)?;
    let zone = format!("liaison_bench_{}", std::process::id());
    let url = admin.with_database(&zone);
    schema::init(&url).map_err(server_error)?;
    let result = measure(&url, &zone, seed);
    // The scratch zone goes whatever happened.
    if let Ok(mut client) = server::connect(&admin.with_database("postgres")) {
        let _ = client.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&zone)
        ));
        for role in ["a", "b", "zone"] {
            let name = if role == "zone" {
                format!("liaison_{zone}")
            } else {
                format!("{zone}_{role}")
            };
            let _ = client.batch_execute(&format!("DROP ROLE IF EXISTS {}", quote_ident(&name)));
        }
    }
    result
}

/// A member's URL: the bench gives the scratch roles a password of its own making, in the
/// URL only (never written anywhere).
fn member(url: &ServerUrl, zone: &str, name: &str) -> Result<ServerUrl, CliError> {
    let role = format!("{zone}_{name}");
    schema::add_user(url, &role, &Member::Officer).map_err(server_error)?;
    let password = format!("{:x}", rand_u64());
    let mut admin = server::connect(url).map_err(server_error)?;
    admin
        .batch_execute(&format!(
            "ALTER ROLE {} PASSWORD '{password}'",
            quote_ident(&role)
        ))
        .map_err(|e| server_error(e.into()))?;
    Ok(url.with_login(&role, &password))
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    h.finish()
}

fn measure(url: &ServerUrl, zone: &str, seed: u64) -> CliResult {
    let (a_url, b_url) = (member(url, zone, "a")?, member(url, zone, "b")?);
    let dir = tempfile::tempdir()?;
    let a = Store::open(&dir.path().join("a"))?;
    let started = Instant::now();
    let options = DemoOptions {
        firms: 500,
        visits: 3_000,
        issues: 15_000,
        seed,
    };
    crate::demo::seed(&a, &options, super::now())?;
    let held = StoreLedger::new(&a)
        .map_err(|e| CliError::Runtime(e.to_string()))?
        .head()
        .unwrap_or(0);
    say!(
        "ledger A: {held} operations generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let options = SyncOptions::default();
    let ledger = |store| StoreLedger::new(store).map_err(|e| CliError::Runtime(e.to_string()));

    let mut remote = Remote::open(&a_url).map_err(server_error)?;
    let mut capped = Capped {
        inner: ledger(&a)?,
        cap: 10_000,
    };
    let started = Instant::now();
    let mut report = SyncReport::default();
    server::push(&mut remote, &mut capped, options, &mut report, &mut |_| {})
        .map_err(server_error)?;
    line(
        "push 10,000 operations",
        report.pushed,
        started.elapsed(),
        2.0,
    );

    let started = Instant::now();
    let mut report = SyncReport::default();
    server::push(
        &mut remote,
        &mut ledger(&a)?,
        options,
        &mut report,
        &mut |_| {},
    )
    .map_err(server_error)?;
    line("push the rest", report.pushed, started.elapsed(), f64::NAN);

    sizes(url)?;

    let b = Store::open(&dir.path().join("b"))?;
    let mut remote = Remote::open(&b_url).map_err(server_error)?;
    let started = Instant::now();
    let mut report = SyncReport::default();
    let mut timed = Timed {
        inner: ledger(&b)?,
        applying: Duration::ZERO,
    };
    server::pull(&mut remote, &mut timed, options, &mut report, &mut |_| {})
        .map_err(server_error)?;
    let took = started.elapsed();
    let budget = 10.0 * report.new as f64 / 100_000.0;
    line(
        "pull and apply everything into an empty ledger",
        report.new,
        took,
        budget,
    );
    say!(
        "  of which decoding and applying (the store): {:.3} s; fetching: {:.3} s",
        timed.applying.as_secs_f64(),
        (took - timed.applying).as_secs_f64()
    );

    let mut samples: Vec<Duration> = (0..7)
        .map(|_| {
            let started = Instant::now();
            server::sync(&b_url, &mut ledger(&b)?, options, &mut |_| {}).map_err(server_error)?;
            Ok(started.elapsed())
        })
        .collect::<Result<_, CliError>>()?;
    samples.sort();
    line(
        "a sync with nothing new (median of 7, connecting included)",
        0,
        samples[3],
        0.1,
    );
    Ok(())
}

/// What the operations take on the server, for docs/scaling.md.
fn sizes(url: &ServerUrl) -> CliResult {
    let mut admin = server::connect(url).map_err(server_error)?;
    let row = admin
        .query_one(
            "SELECT count(*), coalesce(avg(octet_length(payload)), 0)::float8, \
             pg_table_size('ops'), pg_indexes_size('ops') FROM ops",
            &[],
        )
        .map_err(|e| server_error(e.into()))?;
    let (rows, payload): (i64, f64) = (row.get(0), row.get(1));
    let (table, indexes): (i64, i64) = (row.get(2), row.get(3));
    let per_row = |bytes: i64| bytes as f64 / rows.max(1) as f64;
    say!(
        "on the server: {rows} operations, payload {payload:.0} B on average; table {:.0} B and indexes {:.0} B per operation",
        per_row(table),
        per_row(indexes)
    );
    Ok(())
}

fn line(what: &str, ops: u64, took: Duration, budget_s: f64) {
    let secs = took.as_secs_f64();
    let rate = if secs > 0.0 { ops as f64 / secs } else { 0.0 };
    let verdict = match budget_s.is_nan() {
        true => String::new(),
        false if secs <= budget_s => format!("  (budget {budget_s:.2} s: ok)"),
        false => format!("  (budget {budget_s:.2} s: OVER)"),
    };
    say!(
        "{what}: {ops} ops in {:.3} s, {rate:.0} ops/s{verdict}",
        secs
    );
}
