//! The operation log's part of `liaison bench`: applying a bundle of 10,000 operations from
//! another ledger, and how much of the database the log takes.

use super::bench::Report;
use super::CliError;
use crate::model::{Change, Firm, Id, IssueDraft, IssueEvent};
use crate::store::Store;
use crate::transfer::bundle::{self, Scope};
use std::path::Path;
use std::time::Instant;

/// Operations in the bundle applied.
const BUNDLE_OPS: usize = 10_000;

pub fn run(path: &Path, report: &mut Report) -> Result<(), CliError> {
    // Another ledger's work: items raised for a firm, each with its creation event, and a
    // change of title on each — new records and changed fields, as a day's exchange holds.
    let peer_dir = tempfile::tempdir()?;
    let peer = Store::open(peer_dir.path())?;
    let now = super::now();
    let firm = Firm::new("bench: 对端企业", now)
        .map_err(|e| CliError::from(crate::store::StoreError::Invalid(e)))?;
    peer.put_firm(&firm)?;
    let mut bulk = peer.bulk();
    let per_item = 3;
    let mut ids = Vec::new();
    for i in 0..BUNDLE_OPS / per_item {
        let issue = IssueDraft::new(firm.id, &format!("bench 事项 {i}"))
            .into_issue(Id::new(), 0, now)
            .map_err(|e| CliError::from(crate::store::StoreError::Invalid(e)))?;
        ids.push(issue.id);
        let created = IssueEvent::new(issue.id, now, "bench", Change::Created);
        bulk.issue(issue, vec![created])?;
    }
    bulk.finish()?;
    let mut changed = Vec::new();
    for id in &ids {
        if let Some(mut issue) = peer.issue(*id)? {
            issue.title.push('!');
            changed.push((issue, Vec::new()));
        }
    }
    peer.save_issues(&changed)?;
    let (bytes, written) = bundle::encode(&peer, Scope::All)?;
    drop(peer);

    let store = Store::open(path)?;
    let (header, ops) = bundle::decode(&bytes).map_err(CliError::Runtime)?;
    let started = Instant::now();
    let applied = store.apply_ops(&ops, Some((header.sender, &header.seen)))?;
    report.add(
        &format!("sync import of {} operations", written.ops),
        vec![started.elapsed()],
    );
    report.fact(
        "sync import",
        format!(
            "{} new operations, {} records changed",
            applied.new_ops, applied.records
        ),
    );
    let (log, records) = store.log_bytes()?;
    report.fact(
        "operation log",
        format!(
            "{} operations, {:.1} MiB of keys and values = {:.0}% of the records' {:.1} MiB",
            store.op_count(),
            log as f64 / 1048576.0,
            log as f64 * 100.0 / records.max(1) as f64,
            records as f64 / 1048576.0
        ),
    );
    Ok(())
}
