//! Data safety through the binary: a writer killed with SIGKILL at random moments loses no
//! write it reported as saved. (Damaged values and index entries: tests/damage_repair.rs.)

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
        let mut child = Command::new(env!("CARGO_BIN_EXE_liaison-dev"))
            .env("LIAISON_LANG", "en")
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
