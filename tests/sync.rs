//! Ledgers merged by bundles: the same operations in any order, any number of times, through
//! relays, give the same ledger; concurrent values are kept as conflicts until chosen.

mod common;
use common::ledgers::{send, Parts};
use liaison::model::{Change, Department, Firm, Id, IssueDraft, IssueEvent, Priority};
use liaison::store::oplog::Op;
use liaison::store::{RecordKind, Store};
use liaison::transfer::bundle::{self, Scope};
use proptest::prelude::*;
use std::collections::HashSet;
use std::path::Path;

fn now() -> liaison::model::LocalTime {
    chrono::Local::now().fixed_offset()
}

/// Everything bundles carry, as sorted JSON: what every ledger must agree on.
fn contents(store: &Store) -> String {
    common::ledgers::contents(store, Parts::ItemsFirmsAndDepartments)
}

/// The first place two ledgers' contents differ, short enough to read.
fn difference(a: &str, b: &str) -> Option<String> {
    fn walk(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
        use serde_json::Value::*;
        match (a, b) {
            (Object(x), Object(y)) => {
                for key in x.keys().chain(y.keys()) {
                    let (p, q) = (x.get(key).unwrap_or(&Null), y.get(key).unwrap_or(&Null));
                    if let Some(d) = walk(p, q, format!("{path}.{key}")) {
                        return Some(d);
                    }
                }
                None
            }
            (Array(x), Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| walk(p, q, format!("{path}[{i}]"))),
            _ if a == b => None,
            _ => {
                let cut = |v: &serde_json::Value| {
                    v.to_string()
                        .chars()
                        .take(300)
                        .collect::<std::string::String>()
                };
                Some(format!("{path}: {} != {}", cut(a), cut(b)))
            }
        }
    }
    let (a, b) = (
        serde_json::from_str(a).unwrap(),
        serde_json::from_str(b).unwrap(),
    );
    walk(&a, &b, String::new())
}

/// Every value written stands (alone or in a conflict) or was replaced by an operation that
/// named it in its `pred`: nothing is dropped by a clock.
fn nothing_lost(store: &Store) {
    let ops: Vec<Op> = store.ops_missing_from(None).unwrap();
    let replaced: HashSet<_> = ops.iter().flat_map(|op| op.pred.iter().copied()).collect();
    for op in ops.iter().filter(|op| !op.field.is_empty()) {
        let heads = store.heads(op.kind, op.record, &op.field).unwrap();
        assert!(
            replaced.contains(&op.id) || heads.iter().any(|h| h.op == op.id),
            "{op:?} neither stands nor was replaced"
        );
    }
}

#[derive(Debug, Clone)]
enum Step {
    /// Ledger, item (index into the base items), field change.
    Title(usize, usize, u8),
    Department(usize, usize, usize),
    Priority(usize, usize, u8),
    Respond(usize, usize, u8),
    Raise(usize, u8),
    /// Ledger: choose the first value of its first conflict.
    Resolve(usize),
    /// From, to, whether `--all`.
    Send(usize, usize, bool),
    /// A bundle sent before, applied again.
    Repeat(usize),
}

fn step(ledgers: usize, items: usize) -> impl Strategy<Value = Step> {
    let l = 0..ledgers;
    prop_oneof![
        (l.clone(), 0..items, any::<u8>()).prop_map(|(a, b, c)| Step::Title(a, b, c % 3)),
        (l.clone(), 0..items, 0..3usize).prop_map(|(a, b, c)| Step::Department(a, b, c)),
        (l.clone(), 0..items, any::<u8>()).prop_map(|(a, b, c)| Step::Priority(a, b, c)),
        (l.clone(), 0..items, any::<u8>()).prop_map(|(a, b, c)| Step::Respond(a, b, c)),
        (l.clone(), any::<u8>()).prop_map(|(a, b)| Step::Raise(a, b)),
        l.clone().prop_map(Step::Resolve),
        (l.clone(), l.clone(), any::<bool>()).prop_map(|(a, b, c)| Step::Send(a, b, c)),
        (0..20usize).prop_map(Step::Repeat),
    ]
}

struct World {
    _dir: tempfile::TempDir,
    stores: Vec<Store>,
    items: Vec<Id>,
    firm: Id,
    departments: Vec<Id>,
    sent: Vec<(Vec<u8>, usize)>,
}

fn world(n: usize) -> World {
    let dir = tempfile::tempdir().unwrap();
    let stores: Vec<Store> = (0..n)
        .map(|i| Store::open(&dir.path().join(format!("l{i}"))).unwrap())
        .collect();
    let base = &stores[0];
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    base.put_firm(&firm).unwrap();
    let mut departments = Vec::new();
    for name in ["发改局", "住建局", "人社局"] {
        let d = Department::new(name, name).unwrap();
        base.put_department(&d).unwrap();
        departments.push(d.id);
    }
    let items = (0..3)
        .map(|i| {
            base.create_issue(
                IssueDraft::new(firm.id, &format!("用地 {i}")),
                "李晓",
                now(),
            )
            .unwrap()
            .id
        })
        .collect();
    for other in &stores[1..] {
        send(base, other, Scope::All);
    }
    World {
        _dir: dir,
        stores,
        items,
        firm: firm.id,
        departments,
        sent: Vec::new(),
    }
}

fn run(world: &mut World, step: &Step) {
    let stores = &world.stores;
    let edit = |l: usize, i: usize, f: &dyn Fn(&mut liaison::model::Issue)| {
        let mut issue = stores[l].issue(world.items[i]).unwrap().unwrap();
        f(&mut issue);
        issue.updated = now();
        stores[l].save_issue(&issue, &[]).unwrap();
    };
    match *step {
        Step::Title(l, i, t) => edit(l, i, &|issue| issue.title = format!("标题 {l}-{t}")),
        Step::Department(l, i, d) => {
            let dept = world.departments[d];
            edit(l, i, &|issue| issue.department = Some(dept))
        }
        Step::Priority(l, i, p) => edit(l, i, &|issue| {
            issue.priority = [Priority::Low, Priority::Normal, Priority::High][p as usize % 3]
        }),
        Step::Respond(l, i, r) => {
            let issue = stores[l].issue(world.items[i]).unwrap().unwrap();
            let event = IssueEvent::new(
                issue.id,
                now(),
                &format!("officer {l}"),
                Change::Response {
                    text: format!("回复 {l}-{r}"),
                    to_firm: false,
                },
            );
            stores[l].save_issue(&issue, &[event]).unwrap();
        }
        Step::Raise(l, t) => {
            let draft = IssueDraft::new(world.firm, &format!("新 {l}-{t}"));
            stores[l].create_issue(draft, "王芳", now()).unwrap();
        }
        Step::Resolve(l) => {
            if let Some(c) = stores[l].conflicts().unwrap().into_iter().next() {
                if c.kind == RecordKind::Issue {
                    let value = c.heads[0].value.clone();
                    stores[l]
                        .resolve_conflict(c.kind, c.record, &c.field, &value)
                        .unwrap();
                }
            }
        }
        Step::Send(from, to, all) => {
            let scope = if all {
                Scope::All
            } else {
                Scope::For(stores[to].actor().unwrap())
            };
            let (bytes, _) = bundle::encode(&stores[from], scope).unwrap();
            apply(&stores[to], &bytes);
            world.sent.push((bytes, to));
        }
        Step::Repeat(k) => {
            if !world.sent.is_empty() {
                let (bytes, to) = &world.sent[k % world.sent.len()];
                apply(&stores[*to], bytes);
            }
        }
    }
}

fn apply(to: &Store, bytes: &[u8]) {
    let (header, ops) = bundle::decode(bytes).unwrap();
    to.apply_ops(&ops, Some((header.sender, &header.seen)))
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn ledgers_exchanging_bundles_in_any_order_end_alike(
        n in 3usize..=5,
        steps in proptest::collection::vec(step(5, 3), 1..30),
    ) {
        let mut world = world(n);
        for s in &steps {
            let s = match s.clone() {
                Step::Title(l, i, t) => Step::Title(l % n, i, t),
                Step::Department(l, i, d) => Step::Department(l % n, i, d),
                Step::Priority(l, i, p) => Step::Priority(l % n, i, p),
                Step::Respond(l, i, r) => Step::Respond(l % n, i, r),
                Step::Raise(l, t) => Step::Raise(l % n, t),
                Step::Resolve(l) => Step::Resolve(l % n),
                Step::Send(a, b, all) => Step::Send(a % n, b % n, all),
                Step::Repeat(k) => Step::Repeat(k),
            };
            run(&mut world, &s);
        }
        // Everyone meets everyone (a ring, twice: what reaches one is relayed on).
        for _ in 0..2 {
            for i in 0..n {
                send(&world.stores[i], &world.stores[(i + 1) % n], Scope::All);
            }
        }
        let first = contents(&world.stores[0]);
        for store in &world.stores {
            prop_assert_eq!(difference(&contents(store), &first), None);
            nothing_lost(store);
            let report = store.check().unwrap();
            prop_assert!(report.is_ok(), "{:?}", report.problems);
        }
    }
}

/// Two copies of one ledger each hand the same item to another department and record a
/// response: after exchanging bundles both show both responses and a conflict; resolving it
/// on one side and exchanging again clears it on both.
#[test]
fn a_conflict_is_kept_shown_and_resolved_on_both_sides() {
    let world = world(2);
    let (a, b) = (&world.stores[0], &world.stores[1]);
    let item = world.items[0];
    for (store, dept, text) in [(a, 0, "发改局：下周核查"), (b, 1, "住建局：已转规划科")]
    {
        let mut issue = store.issue(item).unwrap().unwrap();
        issue.department = Some(world.departments[dept]);
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
    let applied = send(a, b, Scope::For(b.actor().unwrap()));
    assert_eq!(applied.conflicts, 1);
    send(b, a, Scope::For(a.actor().unwrap()));
    assert_eq!(difference(&contents(a), &contents(b)), None);
    for store in [a, b] {
        assert_eq!(store.conflict_count(), 1);
        assert_eq!(store.events(item).unwrap().records.len(), 3);
        let conflict = &store.conflicts_of(RecordKind::Issue, item).unwrap()[0];
        assert_eq!(conflict.field, "department");
        assert_eq!(conflict.heads.len(), 2);
    }
    let conflict = &a.conflicts().unwrap()[0];
    let chosen = conflict.heads[1].value.clone();
    a.resolve_conflict(RecordKind::Issue, item, "department", &chosen)
        .unwrap();
    assert_eq!(a.conflict_count(), 0);
    send(a, b, Scope::For(b.actor().unwrap()));
    assert_eq!(b.conflict_count(), 0);
    assert_eq!(difference(&contents(a), &contents(b)), None);
    assert_eq!(
        b.issue(item).unwrap().unwrap().department,
        Some(world.departments[1])
    );
    // The same bundle again changes nothing.
    let again = send(a, b, Scope::All);
    assert_eq!((again.new_ops, again.records), (0, 0));
}

/// A damaged or cut-short bundle is refused whole.
#[test]
fn a_damaged_bundle_is_refused_and_nothing_is_applied() {
    let world = world(2);
    let (a, b) = (&world.stores[0], &world.stores[1]);
    a.create_issue(IssueDraft::new(world.firm, "新"), "李晓", now())
        .unwrap();
    let (bytes, _) = bundle::encode(a, Scope::All).unwrap();
    let before = contents(b);
    let cut = &bytes[..bytes.len() - 20];
    assert!(bundle::decode(cut).unwrap_err().contains("checksum"));
    let mut flipped = bytes.clone();
    let at = flipped.len() - 40;
    flipped[at] ^= 1;
    assert!(bundle::decode(&flipped).is_err());
    assert!(bundle::decode(b"not a bundle").is_err());
    assert_eq!(contents(b), before);
}

/// Ledgers of schemas v2 and v3 migrate (every record gets its creation operation) and merge
/// with each other.
#[test]
fn old_ledgers_migrate_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut stores = Vec::new();
    for (name, copy) in [("db-v2", "a"), ("db-v3", "b")] {
        common::copy_dir(&fixtures.join(name), &dir.path().join(copy));
        let store = Store::open(&dir.path().join(copy)).unwrap();
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{name}: {:?}", report.problems);
        // A creation per firm, visit, item and event at least.
        let counts = store.counts().unwrap();
        assert!(
            store.op_count() as u64
                >= counts.firms + counts.visits + counts.issues() + counts.events,
            "{name}"
        );
        stores.push(store);
    }
    let (a, b) = (&stores[0], &stores[1]);
    let mut item = a.issue_by_number(22).unwrap().unwrap();
    item.title = "v2: 机房扩容用电（改）".into();
    a.save_issue(&item, &[]).unwrap();
    send(a, b, Scope::All);
    send(b, a, Scope::All);
    assert_eq!(difference(&contents(a), &contents(b)), None);
    for store in [a, b] {
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
    // The v2 ledger's #22 is quoted by its ledger's code on the v3 ledger.
    let code = a.ledger_code().unwrap();
    let found = b.issue_by_code(&code, 22).unwrap().unwrap();
    assert_eq!(found.title, "v2: 机房扩容用电（改）");
}

/// `check` finds a record that is not what its operations lead to; `check --repair` writes
/// it back from them.
#[test]
fn check_compares_records_with_the_log_and_repair_rebuilds_them() {
    let world = world(1);
    let store = &world.stores[0];
    let mut item = store.issue(world.items[0]).unwrap().unwrap();
    let title = item.title.clone();
    item.title = "changed behind the log's back".into();
    liaison::store::testing::put_raw(
        store,
        "issues",
        item.id.as_bytes(),
        &liaison::store::codec::encode(&item),
    )
    .unwrap();
    let report = store.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.what.contains("title is not what its operations lead to")),
        "{:?}",
        report.problems
    );
    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    assert_eq!(store.issue(item.id).unwrap().unwrap().title, title);
}

/// `sync import` killed at any moment leaves the ledger as it was or with the whole bundle.
#[test]
fn a_bundle_import_killed_leaves_the_ledger_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let bundle_file = dir.path().join("a.bundle");
    let base = dir.path().join("b");
    {
        let a = Store::open(&dir.path().join("a")).unwrap();
        let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
        a.put_firm(&firm).unwrap();
        let mut bulk = a.bulk();
        for i in 0..800 {
            let issue = IssueDraft::new(firm.id, &format!("事项 {i}"))
                .into_issue(Id::new(), 0, now())
                .unwrap();
            let created = IssueEvent::new(issue.id, now(), "李晓", Change::Created);
            bulk.issue(issue, vec![created]).unwrap();
        }
        bulk.finish().unwrap();
        bundle::write(&a, &bundle_file, Scope::All).unwrap();
        drop(Store::open(&base).unwrap());
    }
    let (before, after) = {
        let probe = dir.path().join("probe");
        common::copy_dir(&base, &probe);
        let store = Store::open(&probe).unwrap();
        let before = store.op_count();
        bundle::import(&store, &bundle_file).unwrap();
        (before, store.op_count())
    };
    let mut seen = HashSet::new();
    for (n, delay) in [60u64, 250, 900].into_iter().enumerate() {
        let db = dir.path().join(format!("k{n}"));
        common::copy_dir(&base, &db);
        let _ = std::fs::remove_file(db.join("liaison.lock"));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .arg("--db")
            .arg(&db)
            .args(["sync", "import"])
            .arg(&bundle_file)
            .env_remove("LIAISON_DB")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let store = Store::open(&db).unwrap();
        let held = store.op_count();
        assert!(
            held == before || held == after,
            "{delay} ms: {held} operations"
        );
        seen.insert(held == after);
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{delay} ms: {:?}", report.problems);
        // What a killed import left is completed by importing again.
        bundle::import(&store, &bundle_file).unwrap();
        assert_eq!(store.op_count(), after);
    }
    assert!(!seen.is_empty());
}

/// By hand, on a large ledger (`LIAISON_SYNC_DB=DIR cargo test --test sync -- --ignored
/// --nocapture`): the log's share of the bytes, a triage write, a 10,000-operation bundle.
#[test]
#[ignore]
fn figures_on_a_large_ledger() {
    let Ok(path) = std::env::var("LIAISON_SYNC_DB") else {
        return;
    };
    let store = Store::open(Path::new(&path)).unwrap();
    let (log, records) = store.log_bytes().unwrap();
    eprintln!(
        "log {:.1} MiB, records {:.1} MiB ({:.0}%), {} operations",
        log as f64 / 1048576.0,
        records as f64 / 1048576.0,
        log as f64 * 100.0 / records as f64,
        store.op_count()
    );
    let ids = store.issue_ids_by_due().unwrap();
    let mut times = Vec::new();
    for (n, id) in ids.iter().step_by(ids.len() / 50).take(50).enumerate() {
        let mut issue = store.issue(*id).unwrap().unwrap();
        issue.priority = [Priority::Low, Priority::High][n % 2];
        let started = std::time::Instant::now();
        store.save_issue(&issue, &[]).unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    eprintln!("triage write with its operations: median {:?}", times[25]);
    let dir = tempfile::tempdir().unwrap();
    let peer = Store::open(dir.path()).unwrap();
    let firm = Firm::new("bench: 对端企业", now()).unwrap();
    peer.put_firm(&firm).unwrap();
    let mut bulk = peer.bulk();
    for i in 0..3333 {
        let issue = IssueDraft::new(firm.id, &format!("bench {i}"))
            .into_issue(Id::new(), 0, now())
            .unwrap();
        let created = IssueEvent::new(issue.id, now(), "bench", Change::Created);
        bulk.issue(issue, vec![created]).unwrap();
    }
    bulk.finish().unwrap();
    let mut changed = Vec::new();
    store.each_issue(|_| Ok(())).unwrap();
    peer.each_issue(|issue| {
        let mut issue = issue.unwrap();
        issue.title.push('!');
        changed.push((issue, Vec::new()));
        Ok(())
    })
    .unwrap();
    peer.save_issues(&changed).unwrap();
    let (bytes, _) = bundle::encode(&peer, Scope::All).unwrap();
    let (header, ops) = bundle::decode(&bytes).unwrap();
    let started = std::time::Instant::now();
    let applied = store
        .apply_ops(&ops, Some((header.sender, &header.seen)))
        .unwrap();
    eprintln!(
        "bundle of {} operations applied in {:?} ({} new)",
        ops.len(),
        started.elapsed(),
        applied.new_ops
    );
}
