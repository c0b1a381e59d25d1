//! Whole commands killed with SIGKILL at random moments, down to a few milliseconds after
//! they start (while sled is still opening and writing its snapshot): `issues add`, `import
//! issues`, and triage through the app's `update` (`liaison-dev torture --app`). After every kill
//! the database opens, `check` exits 0, and every write that was acknowledged is there:
//! an item `issues add` reported, every row of an import that finished, every priority the
//! app reported saved (the one change in flight landed whole or not at all).
//!
//! `cargo test` kills 51 times; `scripts/kill-test.sh KILLS` runs the long version.

mod common;

use common::{liaison, stderr, stdout};
use liaison::demo::Rng;
use liaison::store::Store;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FIRM: &str = "艾特网能技术有限公司";
const IMPORT_ROWS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scenario {
    Add,
    Import,
    Triage,
}

const SCENARIOS: [Scenario; 3] = [Scenario::Add, Scenario::Import, Scenario::Triage];

/// An item as the harness compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ItemState {
    priority: String,
    events: usize,
}

#[derive(Default, Debug)]
struct Stats {
    kills: HashMap<&'static str, u64>,
    finished: u64,
    added: u64,
    imported_rows: u64,
    triaged: u64,
    in_flight_landed: u64,
    in_flight_absent: u64,
    failures: Vec<String>,
}

struct Harness {
    dir: PathBuf,
    db: PathBuf,
    rng: Rng,
    /// Titles of items whose write was acknowledged.
    titles: HashSet<String>,
    /// Each triaged item's state as last acknowledged.
    triaged: HashMap<String, ItemState>,
    stats: Stats,
    runs: u64,
}

/// What the database holds, read in this process (so it must open).
struct Contents {
    titles: HashSet<String>,
    items: HashMap<String, ItemState>,
}

fn read(db: &Path) -> Result<Contents, String> {
    let store = Store::open(db).map_err(|e| format!("the database does not open: {e}"))?;
    let mut contents = Contents {
        titles: HashSet::new(),
        items: HashMap::new(),
    };
    let mut problems = Vec::new();
    store
        .each_issue(|issue| {
            match issue {
                Ok(issue) => {
                    let events = store.events(issue.id)?.records.len();
                    contents.titles.insert(issue.title.clone());
                    contents.items.insert(
                        issue.id.to_string(),
                        ItemState {
                            priority: issue.priority.code().to_string(),
                            events,
                        },
                    );
                }
                Err(damaged) => problems.push(format!("damaged item {}", damaged.key)),
            }
            Ok(())
        })
        .map_err(|e| format!("reading the items: {e}"))?;
    if problems.is_empty() {
        Ok(contents)
    } else {
        Err(problems.join("; "))
    }
}

/// `begin|ok write=N | issue=ID priority=P [events=E]` from `torture --app`.
fn parse_triage(line: &str) -> Option<(bool, String, String, Option<usize>)> {
    let (head, record) = line.split_once(" | ")?;
    let ok = head.starts_with("ok ");
    let mut id = None;
    let mut priority = None;
    let mut events = None;
    for pair in record.split(' ') {
        match pair.split_once('=')? {
            ("issue", v) => id = Some(v.to_string()),
            ("priority", v) => priority = Some(v.to_string()),
            ("events", v) => events = v.parse().ok(),
            _ => {}
        }
    }
    Some((ok, id?, priority?, events))
}

impl Harness {
    fn new(seed: u64) -> (tempfile::TempDir, Harness) {
        let temp = tempfile::tempdir().unwrap();
        let db = temp.path().join("db");
        let out = liaison(&db, &["demo"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let harness = Harness {
            dir: temp.path().to_path_buf(),
            db,
            rng: Rng::new(seed),
            titles: HashSet::new(),
            triaged: HashMap::new(),
            stats: Stats::default(),
            runs: 0,
        };
        (temp, harness)
    }

    fn command(&self, scenario: Scenario, run: u64) -> (Command, Vec<String>) {
        // The triage torture is a developer tool: the second binary.
        let binary = match scenario {
            Scenario::Triage => env!("CARGO_BIN_EXE_liaison-dev"),
            Scenario::Add | Scenario::Import => env!("CARGO_BIN_EXE_liaison"),
        };
        let mut command = Command::new(binary);
        command
            .env("LIAISON_LANG", "en")
            .arg("--db")
            .arg(&self.db)
            .env_remove("LIAISON_DB");
        let mut titles = Vec::new();
        match scenario {
            Scenario::Add => {
                let title = format!("kill-add-{run}");
                command.args(["issues", "add", "--firm", FIRM, "--title", &title]);
                titles.push(title);
            }
            Scenario::Import => {
                let file = self.dir.join(format!("ledger-{run}.csv"));
                let mut text = String::from("企业名称,诉求,优先级\n");
                for row in 0..IMPORT_ROWS {
                    let title = format!("kill-import-{run}-{row}");
                    text.push_str(&format!("{FIRM},{title},高\n"));
                    titles.push(title);
                }
                std::fs::write(&file, text).unwrap();
                command.args(["import", "issues"]).arg(file);
            }
            Scenario::Triage => {
                command.args(["torture", "--app", "--writes", "1000000"]);
                command.args(["--seed", &run.to_string()]);
            }
        }
        (command, titles)
    }

    /// A delay before the kill: a third within 3 ms of the start, a third within 30 ms, the
    /// rest up to well into the command's work.
    fn delay(&mut self, scenario: Scenario) -> Duration {
        let longest_ms = match scenario {
            // About as long as each takes in a debug build.
            Scenario::Add => 60,
            Scenario::Import => 250,
            Scenario::Triage => 150,
        };
        let micros = match self.rng.below(3) {
            0 => self.rng.range(0, 3_000),
            1 => self.rng.range(3_000, 30_000),
            _ => self.rng.range(30_000, longest_ms * 1_000),
        };
        Duration::from_micros(micros as u64)
    }

    /// Runs one command, kills it after a random delay unless it has finished, and checks the
    /// database. Returns whether it was killed.
    fn run(&mut self, scenario: Scenario) -> bool {
        self.runs += 1;
        let run = self.runs;
        let (mut command, titles) = self.command(scenario, run);
        let delay = self.delay(scenario);
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            let mut out = BufReader::new(out);
            let mut line = Vec::new();
            // Only whole lines count: a line is written in one call.
            while out.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                if line.ends_with(b"\n") {
                    lines.push(String::from_utf8_lossy(&line).trim_end().to_string());
                }
                line.clear();
            }
            lines
        });
        let until = Instant::now() + delay;
        while Instant::now() < until {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200).min(until - Instant::now()));
        }
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap();
        }
        let status = child.wait().unwrap();
        let lines = reader.join().unwrap();
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        let name = format!("{scenario:?}");
        if killed {
            *self
                .stats
                .kills
                .entry(match scenario {
                    Scenario::Add => "issues add",
                    Scenario::Import => "import issues",
                    Scenario::Triage => "triage in the app",
                })
                .or_default() += 1;
        } else {
            self.stats.finished += 1;
            if !status.success() {
                self.fail(run, format!("{name} failed on its own: {status} {err}"));
            }
        }
        // What the command acknowledged.
        match scenario {
            Scenario::Add if status.success() => {
                self.stats.added += 1;
                self.titles.extend(titles);
            }
            Scenario::Import if status.success() => {
                self.stats.imported_rows += titles.len() as u64;
                self.titles.extend(titles);
            }
            Scenario::Import => {
                // A killed import leaves the database marked as holding part of it: `check`
                // names that and nothing else. It is run again to its end, as its user would;
                // then every row is acknowledged (and `verify` below wants `check` clean).
                let check = liaison(&self.db, &["check"]);
                let said = stdout(&check);
                let only_the_mark = said.lines().all(|l| l.starts_with("meta: unfinished"));
                if check.status.code() != Some(0) && !only_the_mark {
                    self.fail(
                        run,
                        format!("check after a killed import: {said}{}", stderr(&check)),
                    );
                }
                let (mut again, _) = self.command(scenario, run);
                let out = again.output().unwrap();
                if out.status.success() {
                    self.stats.imported_rows += titles.len() as u64;
                    self.titles.extend(titles);
                } else {
                    self.fail(
                        run,
                        format!(
                            "the import run again failed: {}{}",
                            stdout(&out),
                            stderr(&out)
                        ),
                    );
                }
            }
            _ => {}
        }
        self.verify(run, &lines);
        killed
    }

    fn fail(&mut self, run: u64, what: String) {
        self.stats.failures.push(format!("run {run}: {what}"));
    }

    /// `check` exits 0, the database opens here, and holds every acknowledged write.
    fn verify(&mut self, run: u64, triage_lines: &[String]) {
        let check = liaison(&self.db, &["check"]);
        if check.status.code() != Some(0) {
            self.fail(
                run,
                format!(
                    "check exits {:?}: {}{}",
                    check.status.code(),
                    stdout(&check),
                    stderr(&check)
                ),
            );
        }
        let contents = match read(&self.db) {
            Ok(contents) => contents,
            Err(e) => {
                self.fail(run, e);
                return;
            }
        };
        let missing: Vec<&String> = self.titles.difference(&contents.titles).collect();
        if !missing.is_empty() {
            let what = format!(
                "{} acknowledged item(s) missing: {:?}",
                missing.len(),
                missing
            );
            self.fail(run, what);
        }

        let mut in_flight = None;
        for line in triage_lines {
            match parse_triage(line) {
                Some((true, id, priority, Some(events))) => {
                    self.stats.triaged += 1;
                    self.triaged.insert(id, ItemState { priority, events });
                    in_flight = None;
                }
                Some((false, id, priority, _)) => in_flight = Some((id, priority)),
                _ => {}
            }
        }
        for (id, want) in &self.triaged {
            let have = contents.items.get(id);
            let landed = |have: &ItemState| {
                in_flight.as_ref().is_some_and(|(flying, priority)| {
                    flying == id && have.priority == *priority && have.events == want.events + 1
                })
            };
            match have {
                Some(have) if have == want => {}
                Some(have) if landed(have) => {}
                _ => self.stats.failures.push(format!(
                    "run {run}: item {id} is {have:?}, acknowledged as {want:?}"
                )),
            }
        }
        // The change in flight: whole or not at all; from now on what is there is what the
        // next run starts from.
        if let Some((id, priority)) = in_flight {
            if let Some(have) = contents.items.get(&id) {
                let before = self.triaged.get(&id);
                if have.priority == priority && before.is_none_or(|b| have.events == b.events + 1) {
                    self.stats.in_flight_landed += 1;
                } else if before.is_none_or(|b| b == have) {
                    self.stats.in_flight_absent += 1;
                }
                self.triaged.insert(id, have.clone());
            }
        }
    }
}

fn kill_commands(kills: u64, seed: u64) -> Stats {
    let started = Instant::now();
    let (temp, mut harness) = Harness::new(seed);
    let mut killed = 0;
    let mut turn = 0;
    while killed < kills {
        // Each command in turn, so that each is killed about as often.
        let scenario = SCENARIOS[turn % SCENARIOS.len()];
        if harness.run(scenario) {
            killed += 1;
            turn += 1;
        } else if harness.rng.chance(0.5) {
            // Finished before the kill: sometimes let the next command have its turn.
            turn += 1;
        }
        assert!(
            harness.runs < kills * 6,
            "the commands are not being killed"
        );
    }
    let stats = harness.stats;
    eprintln!(
        "kill harness (commands): {} runs, killed {:?}, finished {}; acknowledged: {} items \
         added, {} rows imported, {} triage changes; change in flight landed {} / not {}; \
         failures {}; {:.1} s",
        harness.runs,
        stats.kills,
        stats.finished,
        stats.added,
        stats.imported_rows,
        stats.triaged,
        stats.in_flight_landed,
        stats.in_flight_absent,
        stats.failures.len(),
        started.elapsed().as_secs_f64()
    );
    if !stats.failures.is_empty() {
        let kept = temp.keep();
        eprintln!("the database is kept at {}", kept.display());
        for f in stats.failures.iter().take(30) {
            eprintln!("  {f}");
        }
    }
    stats
}

#[test]
fn commands_killed_at_random_moments_lose_nothing_acknowledged() {
    let stats = kill_commands(51, 3);
    for name in ["issues add", "import issues", "triage in the app"] {
        assert!(
            stats.kills.get(name).copied().unwrap_or(0) >= 10,
            "{name}: {stats:?}"
        );
    }
    assert!(stats.added + stats.imported_rows + stats.triaged > 0);
    assert!(stats.failures.is_empty(), "{:#?}", stats.failures);
}

/// The long version: `scripts/kill-test.sh 600`, or
/// `LIAISON_KILLS=600 cargo test --release --test kills -- --ignored --nocapture`.
#[test]
#[ignore]
fn commands_killed_at_random_moments_lose_nothing_acknowledged_long() {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|k| k.parse().ok())
            .unwrap_or(default)
    };
    let stats = kill_commands(number("LIAISON_KILLS", 600), number("LIAISON_KILL_SEED", 7));
    assert!(stats.failures.is_empty(), "{:#?}", stats.failures);
}
