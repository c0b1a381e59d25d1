//! Backups carry the operation log: a ledger restored from its backup keeps its actor and
//! merges with its peers without any record twice (issue 14 point 5); a backup from before
//! the log still restores, its records starting a log of their own.

mod common;
use common::ledgers::Parts;
use liaison::model::{Change, Department, Firm, IssueDraft, IssueEvent};
use liaison::store::{RecordKind, Store};
use liaison::transfer::backup::{restore_backup, write_backup};
use liaison::transfer::bundle::Scope;
use std::path::{Path, PathBuf};

fn now() -> liaison::model::LocalTime {
    chrono::Local::now().fixed_offset()
}

fn send(from: &Store, to: &Store) -> liaison::store::Applied {
    common::ledgers::send(from, to, Scope::For(to.actor().unwrap()))
}

/// Items with their histories, firms and conflicts, as sorted JSON.
fn contents(store: &Store) -> String {
    common::ledgers::contents(store, Parts::ItemsAndFirms)
}

fn backup(store: &Store, path: &Path) {
    let mut file = std::fs::File::create(path).unwrap();
    write_backup(store, &mut file).unwrap();
}

fn respond(store: &Store, item: liaison::model::Id, text: &str) {
    let issue = store.issue(item).unwrap().unwrap();
    let event = IssueEvent::new(
        item,
        now(),
        "李晓",
        Change::Response {
            text: text.into(),
            to_firm: false,
        },
    );
    store.save_issue(&issue, &[event]).unwrap();
}

#[test]
fn a_restored_ledger_keeps_its_actor_and_merges_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let a = Store::open(&dir.path().join("a")).unwrap();
    let peer = Store::open(&dir.path().join("peer")).unwrap();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    a.put_firm(&firm).unwrap();
    let (d1, d2) = (
        Department::new("发改局", "发改局").unwrap(),
        Department::new("住建局", "住建局").unwrap(),
    );
    a.put_department(&d1).unwrap();
    a.put_department(&d2).unwrap();
    let item = a
        .create_issue(IssueDraft::new(firm.id, "用地指标"), "李晓", now())
        .unwrap()
        .id;
    send(&a, &peer);
    send(&peer, &a);
    // Both sides change the same field after they met: a conflict, which the backup keeps.
    for (store, dept) in [(&a, d1.id), (&peer, d2.id)] {
        let mut issue = store.issue(item).unwrap().unwrap();
        issue.department = Some(dept);
        store.save_issue(&issue, &[]).unwrap();
    }
    respond(&a, item, "发改局：下周核查");
    send(&peer, &a);
    assert_eq!(a.conflict_count(), 1);
    let actor = a.actor().unwrap();
    let ops = a.op_count();
    let file = dir.path().join("a.jsonl");
    backup(&a, &file);
    drop(a);

    let restored_path = dir.path().join("restored");
    {
        let restored = Store::open(&restored_path).unwrap();
        restore_backup(&restored, &file).unwrap();
    }
    // Opened again in its new directory it is still the ledger backed up.
    let restored = Store::open(&restored_path).unwrap();
    assert_eq!(restored.actor().unwrap(), actor);
    assert_eq!(restored.op_count(), ops);
    assert_eq!(restored.conflict_count(), 1);
    let report = restored.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    // Backed up again, it gives the same bytes.
    let again = dir.path().join("again.jsonl");
    backup(&restored, &again);
    let (first, second) = (
        std::fs::read_to_string(&file).unwrap(),
        std::fs::read_to_string(&again).unwrap(),
    );
    let differing = first.lines().zip(second.lines()).find(|(a, b)| a != b);
    assert_eq!(differing, None);
    assert_eq!(first.len(), second.len());

    // The peer gets only what it lacks, no record twice; new work on both sides converges.
    respond(&restored, item, "恢复后：已转规划科");
    respond(&peer, item, "住建局：已受理");
    let peer_ops = peer.op_count();
    let applied = send(&restored, &peer);
    // The department and response set before the backup, and the response after: none of
    // the records the backup held comes again as a creation.
    assert_eq!(applied.new_ops, 3);
    assert_eq!(peer.op_count(), peer_ops + 3);
    send(&peer, &restored);
    assert_eq!(contents(&restored), contents(&peer));
    for store in [&restored, &peer] {
        assert_eq!(store.firms().unwrap().records.len(), 1);
        assert_eq!(store.events(item).unwrap().records.len(), 4);
        assert_eq!(
            store.conflicts_of(RecordKind::Issue, item).unwrap().len(),
            1
        );
    }
}

/// `recover` restores a backup, replays the journal's records and starts the log again: under
/// a new actor, never the restored one whose sequence numbers its peers already hold.
#[test]
fn a_log_started_again_after_a_restore_takes_a_new_actor() {
    let dir = tempfile::tempdir().unwrap();
    let a = Store::open(&dir.path().join("a")).unwrap();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    a.put_firm(&firm).unwrap();
    let file = dir.path().join("a.jsonl");
    backup(&a, &file);
    let restored = Store::open(&dir.path().join("restored")).unwrap();
    restore_backup(&restored, &file).unwrap();
    assert_eq!(restored.actor().unwrap(), a.actor().unwrap());
    restored.restart_log().unwrap();
    assert_ne!(restored.actor().unwrap(), a.actor().unwrap());
    assert_eq!(restored.version_of(a.actor().unwrap()).unwrap(), 0);
    let report = restored.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// A ledger `a` under `dir` with one firm and one item, and its backup `a.jsonl` there.
fn backed_up_item(dir: &Path) -> (Store, PathBuf) {
    let a = Store::open(&dir.join("a")).unwrap();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    a.put_firm(&firm).unwrap();
    a.create_issue(IssueDraft::new(firm.id, "用地指标"), "李晓", now())
        .unwrap();
    let file = dir.join("a.jsonl");
    backup(&a, &file);
    (a, file)
}

/// A backup of format version 1 (records only) restores as before: its records get creation
/// operations under the restored database's own actor.
#[test]
fn a_backup_without_the_log_still_restores() {
    let dir = tempfile::tempdir().unwrap();
    let (a, file) = backed_up_item(dir.path());
    // Version 1: the same lines up to the events, the log's counts absent.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut header: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    header["version"] = 1.into();
    let counts = header["counts"].as_object_mut().unwrap();
    for key in ["ops", "heads", "peers", "item_codes"] {
        counts.remove(key);
    }
    lines[0] = header.to_string();
    let log_from = lines
        .iter()
        .position(|l| l.starts_with("{\"kind\":\"ledger\""))
        .unwrap();
    lines.truncate(log_from);
    let old = dir.path().join("v1.jsonl");
    std::fs::write(&old, lines.join("\n") + "\n").unwrap();

    let restored = Store::open(&dir.path().join("restored")).unwrap();
    restore_backup(&restored, &old).unwrap();
    assert_ne!(restored.actor().unwrap(), a.actor().unwrap());
    assert_eq!(restored.firms().unwrap().records.len(), 1);
    assert!(restored.op_count() >= 2, "a creation per record");
    let report = restored.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// A log line out of order is refused before anything is written.
#[test]
fn a_gap_in_the_log_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_a, file) = backed_up_item(dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let first_op = lines
        .iter()
        .position(|l| l.starts_with("{\"kind\":\"op\""))
        .unwrap();
    lines.swap(first_op, first_op + 1);
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let restored = Store::open(&dir.path().join("restored")).unwrap();
    let (actor, ops) = (restored.actor().unwrap(), restored.op_count());
    let error = restore_backup(&restored, &bad).unwrap_err().to_string();
    assert!(error.contains("without a gap"), "{error}");
    assert_eq!(restored.firms().unwrap().records.len(), 0);
    assert_eq!(
        (restored.actor().unwrap(), restored.op_count()),
        (actor, ops)
    );
}
