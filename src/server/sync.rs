//! A sync: push this ledger's operations the server lacks, then pull what was added since
//! the last pull, in batches. Interrupted anywhere, the next sync resumes: a pushed batch is
//! one transaction (the server's head says where to go on), and a pulled batch is applied
//! together with its cursor (`Ledger::apply`), so nothing is lost and the idempotent merge
//! makes a batch seen twice harmless.

use super::connect::ServerUrl;
use super::error::ServerError;
use super::ledger::{Cursor, Ledger};
use super::remote::Remote;

#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// Operations per pushed batch (one transaction each).
    pub push_batch: usize,
    /// Operations per pulled batch (one `apply` each).
    pub pull_batch: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            push_batch: 2_000,
            pull_batch: 5_000,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Own operations the server took.
    pub pushed: u64,
    /// Operations pulled (own ones coming back included).
    pub pulled: u64,
    /// Pulled operations this ledger did not have.
    pub new: u64,
    /// Conflicts the pulled operations raised.
    pub conflicts: u64,
    /// Pulled operations refused (`Applied::rejected`).
    pub rejected: u64,
    /// Responses from others among the pulled operations.
    pub responses: u64,
    /// The server's head of this ledger's actor at the end: `ledger.head() - sent` is what
    /// is left to send.
    pub sent: u64,
}

/// One whole sync. `progress` is called after each batch (for the app and the kill test).
pub fn sync(
    url: &ServerUrl,
    ledger: &mut dyn Ledger,
    options: SyncOptions,
    progress: &mut dyn FnMut(&SyncReport),
) -> Result<SyncReport, ServerError> {
    let mut remote = Remote::open(url)?;
    let mut report = SyncReport::default();
    push(&mut remote, ledger, options, &mut report, progress)?;
    pull(&mut remote, ledger, options, &mut report, progress)?;
    Ok(report)
}

/// The push half of a sync: this ledger's operations the server lacks, batch by batch.
pub fn push(
    remote: &mut Remote,
    ledger: &mut dyn Ledger,
    options: SyncOptions,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(&SyncReport),
) -> Result<(), ServerError> {
    let actor = ledger.actor();
    remote.claim(&actor)?;
    let mut sent = remote.head(&actor)?;
    let head = ledger
        .head()
        .map_err(|e| ServerError::Ledger(e.to_string()))?;
    if sent > head {
        // Pushing now would hand out sequence numbers the server holds already.
        return Err(ServerError::Ledger(format!(
            "the server holds this ledger's operations up to {sent} but the ledger only up to {} (restored from an older backup?)",
            head
        )));
    }
    report.sent = sent;
    loop {
        let ops = ledger
            .own_ops_after(sent, options.push_batch)
            .map_err(|e| ServerError::Ledger(e.to_string()))?;
        let Some(last) = ops.last() else {
            return Ok(());
        };
        let last = last.seq;
        report.pushed += remote.push(&ops)?;
        sent = last;
        report.sent = sent;
        progress(report);
    }
}

/// The pull half of a sync: what the server took since this ledger's cursor, batch by batch.
pub fn pull(
    remote: &mut Remote,
    ledger: &mut dyn Ledger,
    options: SyncOptions,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(&SyncReport),
) -> Result<(), ServerError> {
    let zone = remote.zone().to_string();
    let mut serial = match ledger.cursor() {
        Some(cursor) if cursor.zone == zone => cursor.serial,
        // Never pulled from this server (or it was rebuilt): from the start, harmlessly.
        _ => 0,
    };
    loop {
        let batch = remote.pull(serial, options.pull_batch)?;
        let Some(&(last, _)) = batch.last() else {
            return Ok(());
        };
        let full = batch.len() == options.pull_batch;
        let ops: Vec<_> = batch.into_iter().map(|(_, op)| op).collect();
        serial = last;
        let applied = ledger
            .apply(
                &ops,
                &Cursor {
                    zone: zone.clone(),
                    serial,
                },
            )
            .map_err(|e| ServerError::Ledger(e.to_string()))?;
        report.pulled += ops.len() as u64;
        report.new += applied.new as u64;
        report.conflicts += applied.conflicts as u64;
        report.rejected += applied.rejected as u64;
        report.responses += applied.responses as u64;
        progress(report);
        if !full {
            return Ok(());
        }
    }
}
