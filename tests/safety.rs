//! Data safety through the binary: a writer killed with SIGKILL at random moments loses no
//! write it reported as saved; damaged values and index entries are reported by `check`,
//! repaired by `check --repair` and kept in quarantine.

mod common;

use common::{liaison, stderr, stdout};

use liaison::cli::torture::{describe_department, describe_firm, describe_issue, describe_visit};
use liaison::demo::Rng;
use liaison::store::Store;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

// ---- the kill harness --------------------------------------------------------------------

/// One record of a torture line: `kind=id key=value …`, and the ids of the history events
/// the write added (items only).
#[derive(Debug, Clone)]
struct Record {
    key: String,
    state: String,
    new_events: Vec<String>,
}

/// One line of the torture: a write about to happen (`begin`) or done and durable (`ok`).
#[derive(Debug, Clone)]
struct Line {
    ok: bool,
    write: u64,
    records: Vec<Record>,
}

fn parse_line(line: &str) -> Option<Line> {
    let mut parts = line.split(" | ");
    let head = parts.next()?;
    let (verb, write) = head.split_once(" write=")?;
    let records = parts
        .map(|part| {
            let (state, new_events) = match part.split_once(" new=") {
                Some((state, ids)) => (
                    state,
                    ids.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                ),
                None => (part, Vec::new()),
            };
            Record {
                key: state.split(' ').next().unwrap_or("").to_string(),
                state: state.to_string(),
                new_events,
            }
        })
        .collect();
    Some(Line {
        ok: verb == "ok",
        write: write.parse().ok()?,
        records,
    })
}

/// An item's state with its id and number hidden, to match a creation announced before the
/// store gave them.
fn unnumbered(state: &str) -> String {
    let mut tokens: Vec<&str> = state.split(' ').collect();
    if tokens.len() > 2 && tokens[0].starts_with("issue=") {
        tokens[0] = "issue=?";
        tokens[1] = "number=?";
    }
    tokens.join(" ")
}

/// The database as the harness sees it: every record described as the torture describes it,
/// with each item's history.
struct Snapshot {
    records: HashMap<String, String>,
    events: HashMap<String, HashSet<String>>,
}

/// Opens the database in this process and reads it all, checking each record's index entries
/// and the counters on the way. Problems go to `failures`.
fn snapshot(db: &Path, failures: &mut Vec<String>) -> Option<Snapshot> {
    let store = match Store::open(db) {
        Ok(store) => store,
        Err(e) => {
            failures.push(format!("the database does not open: {e}"));
            return None;
        }
    };
    let mut snap = Snapshot {
        records: HashMap::new(),
        events: HashMap::new(),
    };
    let mut fail = |what: String| failures.push(what);
    let firms = store.firms().unwrap();
    if !firms.damaged.is_empty() {
        fail(format!("damaged firms: {:?}", firms.damaged));
    }
    for firm in &firms.records {
        if store.firm_by_name(&firm.name).unwrap() != Some(firm.id) {
            fail(format!("firm {} is not found by its name", firm.id));
        }
        let line = describe_firm(firm);
        snap.records.insert(first_token(&line), line);
    }
    let by_time: HashSet<_> = store.visit_ids_by_time().unwrap().into_iter().collect();
    let mut visits = 0;
    store
        .each_visit(|visit| {
            let visit = visit.map_err(|d| liaison::store::StoreError::NotFound {
                what: "decodable visit",
                key: d.key,
            })?;
            visits += 1;
            if !by_time.contains(&visit.id)
                || !store.visit_ids_of_firm(visit.firm)?.contains(&visit.id)
            {
                fail(format!("visit {} is missing from an index", visit.id));
            }
            let line = describe_visit(&visit);
            snap.records.insert(first_token(&line), line);
            Ok(())
        })
        .unwrap_or_else(|e| fail(format!("reading visits: {e}")));
    let by_due: HashSet<_> = store.issue_ids_by_due().unwrap().into_iter().collect();
    let mut by_status = [0u64; 5];
    let mut events = 0u64;
    store
        .each_issue(|issue| {
            let issue = issue.map_err(|d| liaison::store::StoreError::NotFound {
                what: "decodable item",
                key: d.key,
            })?;
            by_status[issue.status.as_byte() as usize] += 1;
            if store.issue_by_number(issue.number)?.map(|i| i.id) != Some(issue.id) {
                fail(format!(
                    "#{} does not lead to item {}",
                    issue.number, issue.id
                ));
            }
            if !store
                .issues_of_firm(issue.firm)?
                .contains(&(issue.id, Some(issue.status)))
                || !by_due.contains(&issue.id)
            {
                fail(format!("item {} is missing from an index", issue.id));
            }
            let history = store.events(issue.id)?;
            if !history.damaged.is_empty() {
                fail(format!("damaged history of {}", issue.id));
            }
            events += history.records.len() as u64;
            snap.events.insert(
                issue.id.to_string(),
                history.records.iter().map(|e| e.id.to_string()).collect(),
            );
            let line = describe_issue(&issue, history.records.len());
            snap.records.insert(first_token(&line), line);
            Ok(())
        })
        .unwrap_or_else(|e| fail(format!("reading items: {e}")));
    for department in store.departments().unwrap().records {
        let line = describe_department(&department);
        snap.records.insert(first_token(&line), line);
    }
    let counts = store.counts().unwrap();
    let found = (firms.records.len() as u64, visits, by_status, events);
    let counted = (
        counts.firms,
        counts.visits,
        counts.issues_by_status,
        counts.events,
    );
    if found != counted {
        fail(format!("counters {counted:?}, records {found:?}"));
    }
    Some(snap)
}

fn first_token(line: &str) -> String {
    line.split(' ').next().unwrap_or("").to_string()
}

/// What every write reported as saved has made true, across runs.
#[derive(Default)]
struct Model {
    records: HashMap<String, String>,
    events: HashMap<String, HashSet<String>>,
}

#[derive(Default, Debug)]
struct Stats {
    runs: u64,
    killed: u64,
    finished: u64,
    acknowledged: u64,
    found: u64,
    in_flight_applied: u64,
    in_flight_absent: u64,
    failures: Vec<String>,
}

struct Harness {
    db: PathBuf,
    model: Model,
    stats: Stats,
    rng: Rng,
}

impl Harness {
    /// One run: start the torture on the database, kill it at a random moment (or let it
    /// finish), then check the database against everything it reported.
    fn run(&mut self, seed: u64, writes: u64) {
        self.stats.runs += 1;
        let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
            .arg("--db")
            .arg(&self.db)
            .args(["torture", "--seed", &seed.to_string()])
            .args(["--writes", &writes.to_string()])
            .env_remove("LIAISON_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (send, lines) = mpsc::channel::<String>();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut out = BufReader::new(out);
            let mut line = Vec::new();
            // Only whole lines count: a line is written in one call, so a cut one was never
            // reported.
            while out.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                if line.ends_with(b"\n") {
                    let _ = send.send(String::from_utf8_lossy(&line).trim_end().to_string());
                }
                line.clear();
            }
        });
        let mut seen = Vec::new();
        if writes < 100 {
            // A short run is left to finish on its own: a clean exit is checked too.
            let _ = child.wait();
        } else if self.rng.chance(0.2) {
            // Sometimes early, while the database is being opened and recovered; mostly after a
            // random number of acknowledged writes, plus a jitter that lands in the next write.
            std::thread::sleep(Duration::from_micros(self.rng.range(0, 30_000) as u64));
        } else {
            let wanted = self.rng.below(60);
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut oks = 0;
            while oks < wanted && Instant::now() < deadline {
                match lines.recv_timeout(Duration::from_millis(100)) {
                    Ok(line) => {
                        oks += usize::from(line.starts_with("ok "));
                        seen.push(line);
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        // Its output is closed: it is finishing on its own, let it.
                        let _ = child.wait();
                        break;
                    }
                }
            }
            let jitter = Duration::from_micros(self.rng.range(0, 1_500) as u64);
            let until = Instant::now() + jitter;
            while Instant::now() < until {
                std::hint::spin_loop();
            }
        }
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            // SIGKILL on unix: no destructor, no flush, no lock released in good order.
            child.kill().unwrap();
        }
        let status = child.wait().unwrap();
        reader.join().unwrap();
        seen.extend(lines.try_iter());
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        if killed {
            self.stats.killed += 1;
        } else {
            self.stats.finished += 1;
            if !status.success() {
                self.stats
                    .failures
                    .push(format!("run {seed}: the torture failed: {status} {err}"));
            }
        }
        self.verify(seed, &seen);
    }

    fn verify(&mut self, seed: u64, seen: &[String]) {
        let parsed: Vec<Line> = seen.iter().filter_map(|l| parse_line(l)).collect();
        let acked: Vec<&Line> = parsed.iter().filter(|l| l.ok).collect();
        let acked_numbers: HashSet<u64> = acked.iter().map(|l| l.write).collect();
        let pending: Vec<&Line> = parsed
            .iter()
            .filter(|l| !l.ok && !acked_numbers.contains(&l.write))
            .collect();
        let mut failures = Vec::new();
        if pending.len() > 1 {
            failures.push(format!("{} writes begun and not finished", pending.len()));
        }
        let in_flight = pending.last().copied();
        // Which write last set each record, to tell a superseded write from the latest.
        let mut latest: HashMap<String, u64> = HashMap::new();
        for line in &acked {
            for record in &line.records {
                self.model
                    .records
                    .insert(record.key.clone(), record.state.clone());
                latest.insert(record.key.clone(), line.write);
                if record.key.starts_with("issue=") {
                    let id = record.key["issue=".len()..].to_string();
                    self.model
                        .events
                        .entry(id)
                        .or_default()
                        .extend(record.new_events.iter().cloned());
                }
            }
        }
        self.stats.acknowledged += acked.len() as u64;

        let check = liaison(&self.db, &["check"]);
        if check.status.code() != Some(0) {
            failures.push(format!(
                "check exits {:?}: {}{}",
                check.status.code(),
                stdout(&check),
                stderr(&check)
            ));
        }
        let Some(snap) = snapshot(&self.db, &mut failures) else {
            self.fail(seed, failures);
            return;
        };

        // The write in flight may have landed or not, but whole or not at all.
        let mut landed = None;
        if let Some(line) = in_flight {
            let applied = line.records.iter().all(|r| match r.key.as_str() {
                "issue=?" => snap.records.iter().any(|(key, state)| {
                    !self.model.records.contains_key(key) && unnumbered(state) == r.state
                }),
                key => snap.records.get(key) == Some(&r.state),
            });
            let absent = line.records.iter().all(|r| match r.key.as_str() {
                "issue=?" => !snap.records.iter().any(|(key, state)| {
                    !self.model.records.contains_key(key) && unnumbered(state) == r.state
                }),
                key => snap.records.get(key) == self.model.records.get(key),
            });
            if applied {
                landed = Some(line);
                self.stats.in_flight_applied += 1;
            } else if absent {
                self.stats.in_flight_absent += 1;
            } else {
                failures.push(format!(
                    "write {} in flight landed in part: {:?}",
                    line.write, line.records
                ));
            }
        }
        if let Some(line) = landed {
            for record in &line.records {
                let key = if record.key == "issue=?" {
                    snap.records
                        .iter()
                        .find(|(key, state)| {
                            !self.model.records.contains_key(*key)
                                && unnumbered(state) == record.state
                        })
                        .map(|(key, _)| key.clone())
                        .unwrap()
                } else {
                    record.key.clone()
                };
                self.model
                    .records
                    .insert(key.clone(), snap.records[&key].clone());
                if let Some(id) = key.strip_prefix("issue=") {
                    let events = self.model.events.entry(id.to_string()).or_default();
                    if record.key == "issue=?" {
                        events.extend(snap.events[id].iter().cloned());
                    } else {
                        events.extend(record.new_events.iter().cloned());
                    }
                }
            }
        }

        // Every acknowledged write is there: its records, in their latest acknowledged state
        // (or the one the write in flight gave them), with the history it added.
        for line in &acked {
            let mut found = true;
            for record in &line.records {
                let Some(state) = snap.records.get(&record.key) else {
                    failures.push(format!("write {}: {} is gone", line.write, record.key));
                    found = false;
                    continue;
                };
                if latest.get(&record.key) == Some(&line.write)
                    && *state != record.state
                    && self.model.records.get(&record.key) != Some(state)
                {
                    failures.push(format!(
                        "write {}: {} is {state}, acknowledged as {}",
                        line.write, record.key, record.state
                    ));
                    found = false;
                }
                if let Some(id) = record.key.strip_prefix("issue=") {
                    let history = snap.events.get(id);
                    for event in &record.new_events {
                        if !history.is_some_and(|h| h.contains(event)) {
                            failures.push(format!("write {}: event {event} is gone", line.write));
                            found = false;
                        }
                    }
                }
            }
            self.stats.found += u64::from(found);
        }
        // And nothing else: the database holds exactly what was acknowledged, plus the write
        // in flight.
        let keys: HashSet<&String> = snap
            .records
            .keys()
            .chain(self.model.records.keys())
            .collect();
        for key in keys {
            let (have, want) = (snap.records.get(key), self.model.records.get(key));
            if have != want {
                failures.push(format!("{key}: database {have:?}, acknowledged {want:?}"));
            }
        }
        for (id, want) in &self.model.events {
            let have = snap.events.get(id).cloned().unwrap_or_default();
            if have != *want {
                failures.push(format!(
                    "history of {id}: {} events, {} acknowledged",
                    have.len(),
                    want.len()
                ));
            }
        }
        if !failures.is_empty() {
            // Carry on from what is there, so one loss is not counted again in every run.
            self.model.records = snap.records;
            self.model.events = snap.events;
        }
        self.fail(seed, failures);
    }

    fn fail(&mut self, seed: u64, failures: Vec<String>) {
        for f in failures {
            self.stats.failures.push(format!("run {seed}: {f}"));
        }
    }
}

/// Kills the torture `kills` times on one database; every run starts from the database the
/// previous kill left. Returns the statistics and keeps the database when something failed.
fn kill_harness(kills: u64, seed: u64) -> Stats {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut harness = Harness {
        db: dir.path().join("db"),
        model: Model::default(),
        stats: Stats::default(),
        rng: Rng::new(seed),
    };
    let mut run = 0;
    while harness.stats.killed < kills {
        run += 1;
        // A run now and then short enough to finish on its own.
        let writes = if harness.rng.chance(0.05) { 5 } else { 100_000 };
        harness.run(seed * 1_000_000 + run, writes);
        assert!(run < kills * 3, "the torture is not being killed");
    }
    let stats = harness.stats;
    eprintln!(
        "kill harness: {} runs ({} killed, {} finished), writes acknowledged {}, writes found {}, \
         write in flight landed {} / not {}, failures {}, {:.1} s",
        stats.runs,
        stats.killed,
        stats.finished,
        stats.acknowledged,
        stats.found,
        stats.in_flight_applied,
        stats.in_flight_absent,
        stats.failures.len(),
        started.elapsed().as_secs_f64()
    );
    if !stats.failures.is_empty() {
        let kept = dir.keep();
        eprintln!("the database is kept at {}", kept.display());
        for f in stats.failures.iter().take(30) {
            eprintln!("  {f}");
        }
    }
    stats
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let stats = kill_harness(50, 1);
    assert!(stats.killed >= 50);
    assert!(stats.acknowledged > 0);
    assert_eq!(stats.found, stats.acknowledged);
    assert!(stats.failures.is_empty(), "{:#?}", stats.failures);
}

/// The long version: `scripts/kill-test.sh 1000`, or
/// `LIAISON_KILLS=1000 cargo test --test safety -- --ignored --nocapture`.
#[test]
#[ignore]
fn acknowledged_writes_survive_sigkill_long() {
    let kills = std::env::var("LIAISON_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(1_000);
    let seed = std::env::var("LIAISON_KILL_SEED")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(7);
    let stats = kill_harness(kills, seed);
    assert_eq!(stats.found, stats.acknowledged);
    assert!(stats.failures.is_empty(), "{:#?}", stats.failures);
}

// ---- damaged values and index entries ----------------------------------------------------

use liaison::model::{Issue, Visit};
use liaison::store::{codec, keys, testing};

fn all_issues(store: &Store) -> Vec<Issue> {
    let mut issues = Vec::new();
    store
        .each_issue(|i| {
            issues.extend(i.ok());
            Ok(())
        })
        .unwrap();
    issues
}

fn all_visits(store: &Store) -> Vec<Visit> {
    let mut visits = Vec::new();
    store
        .each_visit(|v| {
            visits.extend(v.ok());
            Ok(())
        })
        .unwrap();
    visits
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the damage test broke, to compare with what check and repair say.
struct Damage {
    /// (tree, key as check prints it, the bytes as damaged)
    values: Vec<(&'static str, String, Vec<u8>)>,
    firm: liaison::model::Firm,
    item: Issue,
    renumbered: Issue,
    restatused: Issue,
    visit: Visit,
    unindexed: Visit,
    /// The item whose history was damaged, and how many events it held.
    historied: Issue,
    history_events: u64,
}

/// On the demo database: flips the last byte of a firm, an item, a visit and an item's
/// history (bad CRC), stores a department that has a good CRC but is not a department (fails to decode),
/// flips a byte of the value of a #N index entry, a byte of the key of a status index entry,
/// and removes a time index entry.
fn damage(store: &Store) -> Damage {
    let issues = all_issues(store);
    let item = issues.iter().find(|i| i.number == 3).unwrap().clone();
    let firm = store.firm(item.firm).unwrap().unwrap();
    let visits = all_visits(store);
    let visit = visits.iter().find(|v| v.firm != firm.id).unwrap().clone();
    let unindexed = visits.iter().find(|v| v.id != visit.id).unwrap().clone();
    let other = issues.iter().find(|i| i.firm != firm.id).unwrap();
    let history_events = store.events(other.id).unwrap().records.len() as u64;
    assert!(history_events > 0);
    let department = store.departments().unwrap().records[0].clone();
    let renumbered = issues
        .iter()
        .find(|i| i.number == 5 && i.firm != firm.id)
        .or_else(|| issues.iter().find(|i| i.number != 3 && i.firm != firm.id))
        .unwrap()
        .clone();
    let restatused = issues
        .iter()
        .find(|i| i.firm != firm.id && i.id != renumbered.id && i.id != other.id)
        .unwrap()
        .clone();

    let mut values = Vec::new();
    let mut flip = |tree: &'static str, key: &[u8], shown: String| {
        testing::corrupt_value(store, tree, key).unwrap();
        let bytes = testing::get_raw(store, tree, key).unwrap().unwrap();
        values.push((tree, shown, bytes));
    };
    flip("firms", firm.id.as_bytes(), firm.id.to_string());
    flip("issues", item.id.as_bytes(), item.id.to_string());
    flip("visits", visit.id.as_bytes(), visit.id.to_string());
    flip("issue_history", other.id.as_bytes(), other.id.to_string());
    // A good envelope around something that is not a department.
    let not_a_department = codec::encode(&("not a department", 42u64));
    testing::put_raw(
        store,
        "departments",
        department.id.as_bytes(),
        &not_a_department,
    )
    .unwrap();
    values.push((
        "departments",
        department.id.to_string(),
        not_a_department.clone(),
    ));

    // Index entries: a #N entry whose value (the item's id) has a flipped byte, a status
    // entry whose key has one (so it points nowhere, and the item's own entry is missing),
    // and a time entry removed.
    let number_key = keys::issue_number(renumbered.number);
    testing::corrupt_value(store, "idx_issue_number", &number_key).unwrap();
    let status_key = keys::issue_status(&restatused);
    let mut flipped = status_key.clone();
    *flipped.last_mut().unwrap() ^= 0x01;
    testing::remove_raw(store, "idx_issue_status", &status_key).unwrap();
    testing::put_raw(store, "idx_issue_status", &flipped, &[]).unwrap();
    testing::remove_raw(store, "idx_visit_time", &keys::visit_time(&unindexed)).unwrap();
    Damage {
        values,
        firm,
        item,
        renumbered,
        restatused,
        visit,
        unindexed,
        historied: other.clone(),
        history_events,
    }
}

fn demo_db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    drop(common::demo_store(dir.path()));
    dir
}

#[test]
fn check_names_each_damaged_value_and_index_entry_by_tree_and_id() {
    let dir = demo_db();
    let damage = {
        let store = Store::open(dir.path()).unwrap();
        damage(&store)
    };
    let out = liaison(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    for (tree, key, _) in &damage.values {
        let what = if *tree == "departments" {
            "cannot decode"
        } else {
            "checksum mismatch"
        };
        assert!(
            report.contains(&format!("{tree}: {key}: {what}")),
            "no line for {tree} {key}:\n{report}"
        );
    }
    let number_key = hex(&keys::issue_number(damage.renumbered.number));
    assert!(
        report.contains(&format!(
            "idx_issue_number: {number_key}: entry for issues {} has a wrong value",
            damage.renumbered.id
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "idx_issue_status: {}: missing entry for issues {}",
            hex(&keys::issue_status(&damage.restatused)),
            damage.restatused.id
        )),
        "{report}"
    );
    assert!(report.contains("idx_issue_status: ") && report.contains("which does not exist"));
    assert!(
        report.contains(&format!(
            "idx_visit_time: {}: missing entry for visits {}",
            hex(&keys::visit_time(&damage.unindexed)),
            damage.unindexed.id
        )),
        "{report}"
    );
    // A damaged record still counts: the counters are not blamed for it.
    assert!(!report.contains("meta: count:"), "{report}");
    let err = stderr(&out);
    assert!(err.contains("problem(s) found"), "{err}");
    assert!(err.contains("liaison check --repair"), "{err}");
}

#[test]
fn repair_sets_damaged_values_aside_rebuilds_indexes_and_check_then_passes() {
    let dir = demo_db();
    let (before, visits_before, events_before, damage) = {
        let store = Store::open(dir.path()).unwrap();
        let before = all_issues(&store);
        let visits = all_visits(&store).len();
        let events = store.counts().unwrap().events;
        (before, visits, events, damage(&store))
    };

    let repair = liaison(dir.path(), &["check", "--repair"]);
    let said = stdout(&repair);
    assert_eq!(repair.status.code(), Some(0), "{said}{}", stderr(&repair));
    for (tree, key, _) in &damage.values {
        assert!(
            said.contains(&format!("{tree}: {key}: moved to quarantine: ")),
            "{tree} {key} not quarantined:\n{said}"
        );
    }
    assert!(said.contains(&format!(
        "issues: {}: rebuilt #3 from its index entries and history (title lost)",
        damage.item.id
    )));
    assert!(said.contains(&format!(
        "firms: {}: rebuilt as {} (details lost)",
        damage.firm.id, damage.firm.name
    )));
    assert!(said.contains(&format!(
        "added the missing entry of visits {}",
        damage.unindexed.id
    )));
    assert!(said.contains(&format!(
        "set the value of the entry of issues {}",
        damage.renumbered.id
    )));
    assert!(said.contains("removed it pointed to issues"), "{said}");
    assert!(
        said.starts_with("ok: ") || said.contains("\nok: "),
        "{said}"
    );
    assert!(said.contains(&format!("; {} value(s) in quarantine", damage.values.len())));

    // Check passes on its own, and a second repair has nothing to do.
    let check = liaison(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let again = liaison(dir.path(), &["check", "--repair"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout(&again).starts_with("nothing to repair\nok: "));

    // The quarantine lists each value, where it was and why.
    let listed = liaison(dir.path(), &["check", "--quarantine"]);
    assert_eq!(listed.status.code(), Some(0));
    let listed = stdout(&listed);
    for (tree, key, bytes) in &damage.values {
        assert!(
            listed.contains(&format!("{tree}: {key}: "))
                && listed.contains(&format!("({} bytes, set aside ", bytes.len())),
            "{tree} {key} not listed:\n{listed}"
        );
    }

    let store = Store::open(dir.path()).unwrap();
    // Nothing dropped: every damaged value is kept, byte for byte.
    let kept = store.quarantine().unwrap();
    assert!(kept.damaged.is_empty());
    assert_eq!(kept.records.len(), damage.values.len());
    for (tree, key, bytes) in &damage.values {
        assert!(
            kept.records
                .iter()
                .any(|q| q.tree == *tree && q.key_text() == *key && q.bytes == *bytes),
            "{tree} {key} not kept as it was"
        );
    }
    // The damaged item is back as a placeholder with its number, firm and status; every
    // other item is as it was, found by its number and in its indexes.
    let after = all_issues(&store);
    assert_eq!(after.len(), before.len());
    for old in &before {
        let new = store.issue_by_number(old.number).unwrap().unwrap();
        assert_eq!(new.id, old.id);
        assert!(store
            .issues_of_firm(old.firm)
            .unwrap()
            .contains(&(old.id, Some(old.status))));
        // The damaged item comes back whole from its operations (schema v4).
        assert_eq!(new, *old);
    }
    // The firm is back under its id and name, found by name; its visits and items follow it.
    let firm = store.firm(damage.firm.id).unwrap().unwrap();
    assert_eq!(firm.name, damage.firm.name);
    assert_eq!(store.firm_by_name(&firm.name).unwrap(), Some(firm.id));
    // A damaged visit is in quarantine, and back from its operations (schema v4).
    assert_eq!(
        store.visit(damage.visit.id).unwrap(),
        Some(damage.visit.clone())
    );
    assert_eq!(all_visits(&store).len(), visits_before);
    assert!(store
        .visit_ids_by_time()
        .unwrap()
        .contains(&damage.unindexed.id));
    let counts = store.counts().unwrap();
    assert_eq!(counts.visits, visits_before as u64);
    // The damaged history went whole; its item stays, readable, with no history.
    assert_eq!(counts.events, events_before - damage.history_events);
    assert_eq!(
        store.issue(damage.historied.id).unwrap().as_ref(),
        Some(&damage.historied)
    );
    let history = store.events(damage.historied.id).unwrap();
    assert!(history.records.is_empty() && history.damaged.is_empty());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn the_app_opens_the_rest_with_a_warning_when_records_are_damaged() {
    let dir = demo_db();
    let store = Store::open(dir.path()).unwrap();
    let issues = all_issues(&store);
    let item = issues.iter().find(|i| i.number == 3).unwrap();
    let firm = store.firm(item.firm).unwrap().unwrap();
    testing::corrupt_value(&store, "issues", item.id.as_bytes()).unwrap();
    testing::corrupt_value(&store, "firms", firm.id.as_bytes()).unwrap();
    let mut screen = common::Screen::new(store, 120, 40);
    let lines = screen.lines();
    let status = lines.last().unwrap();
    assert!(
        status.contains("2 damaged record(s) skipped"),
        "status line: {status}"
    );
    assert!(status.contains("liaison check --repair"), "{status}");
    let text = lines.join("\n");
    // Long names are cut in the list: look for their beginning.
    let shown: String = firm.name.chars().take(8).collect();
    assert!(text.contains("Firms (7)"), "{text}");
    assert!(!text.contains(&shown), "{text}");
    // The queue holds the other items.
    screen.keys("3");
    assert!(screen.text().contains("of 19"), "{}", screen.text());

    // The app as the terminal opens it reads the items in the background: the warning
    // counts the damaged item when it arrives, with the damaged firm.
    drop(screen);
    let store = Store::open(dir.path()).unwrap();
    let mut app = liaison::app::App::new_reading_in_background(store, common::now()).unwrap();
    app.settle();
    let mut screen = common::Screen::with_app(app, 120, 40);
    let status = screen.lines().last().unwrap().clone();
    assert!(
        status.contains("2 damaged record(s) skipped"),
        "status line: {status}"
    );

    // After a repair, the app opens without the warning and the rebuilt records show.
    drop(screen);
    let repair = liaison(dir.path(), &["check", "--repair"]);
    assert_eq!(repair.status.code(), Some(0), "{}", stdout(&repair));
    let store = Store::open(dir.path()).unwrap();
    let mut screen = common::Screen::new(store, 120, 40);
    let text = screen.text();
    assert!(!text.contains("damaged record(s)"), "{text}");
    assert!(
        text.contains("Firms (8)") && text.contains(&shown),
        "{text}"
    );
    screen.keys("3");
    assert!(screen.text().contains("of 20"), "{}", screen.text());
}
