//! The zone server against a real PostgreSQL (see `server/pg.rs`: run under `pg_virtualenv`;
//! without `PGHOST` each test prints that it was skipped).

mod common;
#[path = "server/pg.rs"]
mod pg;

use liaison::server::mem::MemLedger;
use liaison::server::schema::{self, Init, Member};
use liaison::server::{
    sync, Applied, Cursor, Ledger, LedgerError, Op, ServerError, ServerUrl, SyncOptions, SyncReport,
};
use pg::{Cluster, Zone};

/// What the server said: the client's `Display` is only "db error".
fn said(err: postgres::Error) -> String {
    err.as_db_error()
        .map(|db| db.message().to_string())
        .unwrap_or_else(|| err.to_string())
}

fn sync_ok(url: &ServerUrl, ledger: &mut dyn Ledger) -> SyncReport {
    sync(url, ledger, SyncOptions::default(), &mut |_| {}).expect("sync")
}

#[test]
fn init_is_idempotent_and_refuses_a_foreign_database() {
    let Some(zone) = Zone::new("init") else {
        return;
    };
    assert_eq!(
        schema::init(&zone.admin_url()).unwrap(),
        Init::AlreadyCurrent
    );
    let mut admin = zone.admin_client();
    let version: String = admin
        .query_one(
            "SELECT value FROM liaison_meta WHERE key = 'schema_version'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(version, "1");

    let Some(other) = pg::admin_url(&format!("lz_foreign_{}", std::process::id())) else {
        return;
    };
    let other_url = ServerUrl::parse(&other).unwrap();
    let mut postgres_db = zone.admin_client();
    let name = other_url.database().to_string();
    postgres_db
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap();
    let mut foreign = postgres::Client::connect(&other, postgres::NoTls).unwrap();
    foreign.batch_execute("CREATE TABLE ops (x int)").unwrap();
    drop(foreign);
    let err = schema::init(&other_url).unwrap_err();
    assert!(err.to_string().contains("did not make"), "{err}");
    postgres_db
        .batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .unwrap();
}

#[test]
fn a_role_cannot_insert_or_claim_another_actors_operations() {
    let Some(mut zone) = Zone::new("rls") else {
        return;
    };
    let li = zone.member("li", Member::Officer);
    let wang = zone.member("wang", Member::Officer);
    let mut a = MemLedger::new("actor-li");
    a.set("k", "v");
    sync_ok(&li, &mut a);

    // Wang's own connection, straight SQL: row-level security refuses li's actor.
    let wang_text = conn_text(&zone.admin, wang.user(), "pw-wang");
    let mut raw = postgres::Client::connect(&wang_text, postgres::NoTls).unwrap();
    let err = raw
        .execute(
            "INSERT INTO ops (actor, seq, payload) VALUES ('actor-li', 2, 'x')",
            &[],
        )
        .unwrap_err();
    assert!(said(err).contains("row-level security"));
    let err = raw.execute("DELETE FROM ops", &[]).unwrap_err();
    assert!(said(err).contains("permission denied"));
    let err = raw
        .execute("UPDATE ops SET payload = 'x'", &[])
        .unwrap_err();
    assert!(said(err).contains("permission denied"));
    let err = raw
        .execute("INSERT INTO actors (actor, kind, name, role) VALUES ('mine', 'officer', 'x', 'postgres')", &[])
        .unwrap_err();
    assert!(said(err).contains("row-level security"));

    // Through the sync: a copy of li's ledger syncing as wang is refused, nothing written.
    let mut copy = a.clone();
    copy.set("k", "forged");
    match sync(&wang, &mut copy, SyncOptions::default(), &mut |_| {}) {
        Err(ServerError::Refused(m)) => assert!(m.contains("syncs as role"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let count: i64 = zone
        .admin_client()
        .query_one("SELECT count(*) FROM ops", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 1);

    // A role that is not a member is refused too.
    let mut admin = zone.admin_client();
    let outsider = format!("{}_outsider", zone.database);
    admin
        .batch_execute(&format!(
            "CREATE ROLE \"{outsider}\" LOGIN PASSWORD 'pw-wang'"
        ))
        .unwrap();
    let url = ServerUrl::parse(&conn_text(&zone.admin, &outsider, "pw-wang")).unwrap();
    let err = sync(
        &url,
        &mut MemLedger::new("actor-x"),
        SyncOptions::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("permission denied") || err.to_string().contains("not a member"),
        "{err}"
    );
    admin
        .batch_execute(&format!("DROP ROLE \"{outsider}\""))
        .ok();
}

/// The admin's connection string with another login.
fn conn_text(admin: &str, user: &str, password: &str) -> String {
    admin
        .split(' ')
        .map(|p| match p.split_once('=') {
            Some(("user", _)) => format!("user={user}"),
            Some(("password", _)) => format!("password={password}"),
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn three_ledgers_with_conflicting_offline_changes_end_equal_in_any_order() {
    let Some(mut zone) = Zone::new("three") else {
        return;
    };
    let urls = [
        zone.member("li", Member::Officer),
        zone.member("wang", Member::Officer),
        zone.member("fgj", Member::Department("发改局".into())),
    ];
    let mut ledgers = [
        MemLedger::new("A"),
        MemLedger::new("B"),
        MemLedger::new("C"),
    ];
    // A common start, then offline: A and B change the same item's department.
    ledgers[0].set("#1.title", "用地指标");
    ledgers[0].set("#1.dept", "国土局");
    for i in [0, 1, 2, 0] {
        sync_ok(&urls[i], &mut ledgers[i]);
    }
    ledgers[0].set("#1.dept", "发改局");
    ledgers[1].set("#1.dept", "商务局");
    ledgers[1].set("#2.title", "人才公寓");
    ledgers[2].set("#1.response", "已受理");
    let orders: [[usize; 3]; 3] = [[2, 1, 0], [1, 0, 2], [0, 2, 1]];
    for (round, order) in orders.iter().enumerate() {
        for &i in order {
            sync_ok(&urls[i], &mut ledgers[i]);
        }
        if round == 0 {
            // Somebody changes something between rounds too.
            ledgers[2].set("#2.dept", "人社局");
        }
    }
    let state = ledgers[0].state();
    for ledger in &ledgers {
        assert_eq!(ledger.state(), state);
        assert_eq!(
            ledger.conflicts(),
            vec!["#1.dept".to_string()],
            "the conflict shows on each"
        );
        assert_eq!(ledger.values("#1.dept"), ["发改局", "商务局"]);
    }
    // Resolving on one side clears it everywhere.
    ledgers[1].set("#1.dept", "发改局");
    for i in [1, 0, 2] {
        sync_ok(&urls[i], &mut ledgers[i]);
    }
    for ledger in &ledgers {
        assert!(ledger.conflicts().is_empty());
        assert_eq!(ledger.values("#1.dept"), ["发改局"]);
        assert_eq!(ledger.state(), ledgers[0].state());
    }
    // Nothing new: the sync moves nothing.
    let again = sync_ok(&urls[0], &mut ledgers[0]);
    assert_eq!((again.pushed, again.pulled), (0, 0));
}

/// A ledger whose `apply` fails on the n-th call, as a crash of the laptop mid-pull would
/// leave it: the batches before are applied with their cursor, the failing one is not.
struct FailingApply {
    inner: MemLedger,
    fail_at: usize,
    calls: usize,
}

impl Ledger for FailingApply {
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
        self.calls += 1;
        if self.calls == self.fail_at {
            return Err(LedgerError("the laptop died".into()));
        }
        self.inner.apply(ops, cursor)
    }
    fn cursor(&self) -> Option<Cursor> {
        self.inner.cursor()
    }
}

#[test]
fn an_interrupted_pull_resumes_with_nothing_lost_or_applied_twice() {
    let Some(mut zone) = Zone::new("pull") else {
        return;
    };
    let li = zone.member("li", Member::Officer);
    let wang = zone.member("wang", Member::Officer);
    let mut a = MemLedger::new("A");
    for i in 0..1_000 {
        a.set(&format!("k{}", i % 300), &format!("v{i}"));
    }
    sync_ok(&li, &mut a);
    let mut b = FailingApply {
        inner: MemLedger::new("B"),
        fail_at: 3,
        calls: 0,
    };
    let options = SyncOptions {
        push_batch: 100,
        pull_batch: 100,
    };
    let err = sync(&wang, &mut b, options, &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("the laptop died"), "{err}");
    assert_eq!(b.inner.len(), 200);
    let report = sync(&wang, &mut b, options, &mut |_| {}).unwrap();
    assert_eq!(report.pulled, 800, "resumes after the last batch applied");
    assert_eq!(b.inner.len(), 1_000);
    assert_eq!(b.inner.state(), a.state());
}

#[test]
fn a_server_killed_mid_push_loses_and_doubles_nothing() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let mut zone = Zone::init(cluster.admin_url("zone"), "zone".into());
    let li = zone.member("li", Member::Officer);
    let wang = zone.member("wang", Member::Officer);
    const N: u64 = 30_000;
    let mut a = MemLedger::new("A");
    for i in 0..N {
        a.set(&format!("k{}", i % 1000), &format!("v{i}"));
    }
    let options = SyncOptions {
        push_batch: 1_000,
        pull_batch: 5_000,
    };
    let mut batches = 0;
    let result = std::thread::scope(|scope| {
        let cluster = &cluster;
        sync(&li, &mut a, options, &mut |_| {
            batches += 1;
            if batches == 5 {
                // In the middle of the sixth batch's transaction, most likely.
                scope.spawn(move || {
                    std::thread::sleep(std::time::Duration::from_millis(3));
                    cluster.kill();
                });
            }
        })
    });
    let err = result.expect_err("the push was cut");
    assert!(
        matches!(err, ServerError::Unreachable(_) | ServerError::Refused(_)),
        "{err:?}"
    );
    let err = sync(&li, &mut a, options, &mut |_| {}).unwrap_err();
    assert!(
        matches!(err, ServerError::Unreachable(_)),
        "offline while it is down: {err:?}"
    );

    cluster.up();
    let (sent_before, _) = zone
        .admin_client()
        .query_one("SELECT count(*), 0 FROM ops", &[])
        .map(|r| (r.get::<_, i64>(0), 0))
        .unwrap();
    assert!(
        sent_before > 0 && (sent_before as u64) < N,
        "cut in the middle: {sent_before}"
    );
    let report = sync(&li, &mut a, options, &mut |_| {}).unwrap();
    assert_eq!(report.pushed, N - sent_before as u64);
    assert_eq!(report.sent, N);
    let mut admin = zone.admin_client();
    let row = admin
        .query_one(
            "SELECT count(*), count(DISTINCT seq), max(seq) FROM ops WHERE actor = 'A'",
            &[],
        )
        .unwrap();
    assert_eq!(
        (
            row.get::<_, i64>(0),
            row.get::<_, i64>(1),
            row.get::<_, i64>(2)
        ),
        (N as i64, N as i64, N as i64)
    );
    let mut b = MemLedger::new("B");
    sync_ok(&wang, &mut b);
    assert_eq!(b.count_of("A"), N as usize);
    assert_eq!(b.state(), a.state());
}

fn converge(test: &str, ledgers: usize, ops_each: usize) {
    let Some(mut zone) = Zone::new(test) else {
        return;
    };
    let urls: Vec<ServerUrl> = (0..ledgers)
        .map(|i| zone.member(&format!("o{i}"), Member::Officer))
        .collect();
    let mut all: Vec<MemLedger> = (0..ledgers)
        .map(|i| MemLedger::new(&format!("L{i}")))
        .collect();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for round in 0..2 {
        for (i, ledger) in all.iter_mut().enumerate() {
            for n in 0..ops_each / 2 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                ledger.set(&format!("k{}", rng % 5_000), &format!("{i}-{round}-{n}"));
            }
        }
        // Every ledger syncs, in a different order each round.
        for i in (0..ledgers).map(|i| if round == 0 { i } else { ledgers - 1 - i }) {
            sync_ok(&urls[i], &mut all[i]);
        }
    }
    for i in 0..ledgers {
        sync_ok(&urls[i], &mut all[i]);
    }
    let expected = all[0].state();
    for ledger in &all {
        assert_eq!(ledger.len(), ledgers * (ops_each / 2) * 2);
        assert!(
            ledger.state() == expected,
            "ledger {} differs",
            ledger.actor()
        );
    }
}

#[test]
fn five_ledgers_converge_through_the_server() {
    converge("five", 5, 1_000);
}

/// About 35 s in a debug build here (100,000 operations, each ledger pulling them all).
#[test]
fn twenty_ledgers_of_five_thousand_operations_converge() {
    converge("twenty", 20, 5_000);
}

#[path = "server/stores.rs"]
mod stores;

#[path = "server/app.rs"]
mod app;

#[path = "server/cli.rs"]
mod cli;
