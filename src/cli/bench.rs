//! `liaison-dev bench`: what a person feels, measured on a given or generated database, printed
//! as one table of medians and tails with the data size. Not a timed test: the figures are for
//! people (and a saved baseline) to compare.
//!
//! Measured: generating the data (a whole `demo` process), start-up to the first drawn frame
//! and until the items are read, each keystroke of a replayed session drawn on a 120x40
//! `TestBackend` (tabs, paging, a firm card, firm search incl. pinyin, filters, triage actions
//! with their durable writes), the background search of details and responses, the command
//! line's queries as whole processes, peak memory and the size on disk against a JSON export.

mod goals;
mod reports;

use super::args::{BenchArgs, DataSize};
use super::{CliError, CliResult};
use crate::app::{update, Action, App, Tab};
use crate::query::SortKey;
use crate::store::Store;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Set in a child's environment, it makes the child print its peak memory when it ends.
pub const PEAK_MEMORY_ENV: &str = "LIAISON_REPORT_PEAK_KIB";

/// The process's peak resident memory (Linux: VmHWM), in KiB.
pub fn peak_memory_kib() -> Option<u64> {
    goals::status_kib("VmHWM")
}

/// What an officer types into the firm search: pinyin initials, full pinyin, Chinese, a
/// Latin name, and something that matches nothing.
const QUERIES: [&str; 8] = [
    "zsswgc",
    "zhongshanshengwu",
    "生物医药",
    "apex optics",
    "hongjing",
    "中山",
    "xyzq",
    "wmhj",
];

/// Filters typed on the Issues tab, one character at a time.
const FILTERS: [&str; 4] = [
    "dept:发改局 status:open 用地",
    "overdue prio>=high",
    "firm:zh 审批",
    "due:7d -visit",
];

/// Plain words: the incremental text search over every title.
const TEXT_SEARCHES: [&str; 3] = ["新增用地", "审批", "resort"];

/// A medians-worse-than-this factor is flagged against a baseline.
const WORSE: f64 = 1.25;
/// A difference below this is noise, not a regression: sub-millisecond medians move by a
/// third between runs on a shared two-core machine.
const NOISE: Duration = Duration::from_micros(500);

struct Timing {
    label: String,
    samples: Vec<Duration>,
}

impl Timing {
    fn pick(&self, q: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        sorted
            .get(((sorted.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or_default()
    }
    fn median(&self) -> Duration {
        self.pick(0.5)
    }
}

#[derive(Default)]
pub struct Report {
    timings: Vec<Timing>,
    /// (label, value) lines after the table.
    facts: Vec<(String, String)>,
}

impl Report {
    pub fn add(&mut self, label: &str, samples: Vec<Duration>) {
        if !samples.is_empty() {
            self.timings.push(Timing {
                label: label.to_string(),
                samples,
            });
        }
    }
    pub fn fact(&mut self, label: &str, value: String) {
        self.facts.push((label.to_string(), value));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn runtime(e: impl std::fmt::Display) -> CliError {
    CliError::Runtime(e.to_string())
}

/// Replays keystrokes through the keymap and `update`, drawing a 120x40 frame after each, as
/// the terminal loop does; returns the time of each. Background work (the search of details
/// and responses) is waited for after the key, outside the measured time, and timed apart.
struct Session {
    app: App,
    terminal: Terminal<TestBackend>,
    background: Vec<Duration>,
}

impl Session {
    fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Result<Duration, CliError> {
        let started = Instant::now();
        if let Some(action) = crate::app::keymap::map_key(&self.app, KeyEvent::new(code, modifiers))
        {
            update(&mut self.app, action);
        }
        let app = &self.app;
        self.terminal
            .draw(|frame| crate::ui::draw(frame, app))
            .map_err(runtime)?;
        let took = started.elapsed();
        if self.app.busy() {
            let waited = Instant::now();
            self.app.settle();
            self.background.push(waited.elapsed());
        }
        Ok(took)
    }

    fn press(&mut self, c: char) -> Result<Duration, CliError> {
        self.key(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn text(&mut self, text: &str) -> Result<Vec<Duration>, CliError> {
        text.chars().map(|c| self.press(c)).collect()
    }

    fn enter(&mut self) -> Result<Duration, CliError> {
        self.key(KeyCode::Enter, KeyModifiers::NONE)
    }

    fn escape(&mut self) -> Result<Duration, CliError> {
        self.key(KeyCode::Esc, KeyModifiers::NONE)
    }

    /// Types a filter from an empty filter line, timing each key; Enter applies it.
    fn filter(&mut self, text: &str) -> Result<Vec<Duration>, CliError> {
        self.press('/')?;
        self.key(KeyCode::Char('u'), KeyModifiers::CONTROL)?;
        let typed = self.text(text)?;
        self.enter()?;
        Ok(typed)
    }
}

fn draw_first_frame(path: &Path) -> Result<(App, Terminal<TestBackend>, Duration), CliError> {
    let started = Instant::now();
    let store = Store::open_with(path, crate::store::OpenOptions::interactive())?;
    let mut app = App::new_reading_in_background(store, super::now())?;
    update(&mut app, Action::Resize(crate::ui::layout(120, 40)));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).map_err(runtime)?;
    terminal
        .draw(|frame| crate::ui::draw(frame, &app))
        .map_err(runtime)?;
    Ok((app, terminal, started.elapsed()))
}

/// Runs this program with `args` as a whole process; returns its time and peak memory.
fn run_process(args: &[&str]) -> Result<(Duration, Option<u64>), CliError> {
    let started = Instant::now();
    let output = Command::new(super::dev::liaison_exe()?)
        .args(args)
        .env(PEAK_MEMORY_ENV, "1")
        .output()?;
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(CliError::Runtime(format!(
            "`liaison {}` failed: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix(PEAK_MEMORY_ENV))
        .and_then(|v| v.trim().parse().ok());
    Ok((took, peak))
}

fn disk_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Counts bytes without keeping them.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of a record written as JSON on a line of its own.
fn json_len<T: serde::Serialize>(record: &T) -> u64 {
    let mut out = Counter(0);
    // Writing to a counter cannot fail; a record that cannot be written counts nothing.
    let _ = serde_json::to_writer(&mut out, record);
    out.0 + 1
}

/// The size of every record written as JSON, one per line: what the disk size is held
/// against.
fn json_size(store: &Store) -> Result<u64, CliError> {
    let mut total: u64 = store.firms()?.records.iter().map(json_len).sum();
    store.each_visit(|v| {
        total += v.as_ref().map(json_len).unwrap_or(0);
        Ok(())
    })?;
    store.each_issue(|i| {
        total += i.as_ref().map(json_len).unwrap_or(0);
        Ok(())
    })?;
    store.each_event(|e| {
        total += e.as_ref().map(json_len).unwrap_or(0);
        Ok(())
    })?;
    Ok(total)
}

pub fn run(args: BenchArgs) -> CliResult {
    if let Some(url) = &args.server {
        return super::bench_server::run(url, args.seed);
    }
    if args.memory_only {
        let data = args.data.as_deref().ok_or_else(|| {
            CliError::Input("--memory-only measures the database given with --data".into())
        })?;
        return goals::memory_only(data);
    }
    let temp = tempfile::tempdir()?;
    let path: PathBuf = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let baseline = read_baseline(args.baseline.as_deref())?;
    let mut report = Report::default();
    let empty = Store::open(&path)?.counts()?.is_empty();
    if empty {
        generate(&path, args.size, args.seed, &mut report)?;
    }
    let counts = Store::open(&path)?.counts()?;

    // Start-up: open, build the state, draw; the items arrive in the background.
    let (mut startups, mut ready) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        let (mut app, _, first) = draw_first_frame(&path)?;
        startups.push(first);
        app.settle();
        ready.push(started.elapsed());
    }
    report.add("start-up to first frame", startups);
    report.add("start-up until the items are read", ready);

    let (app, terminal, _) = draw_first_frame(&path)?;
    let mut session = Session {
        app,
        terminal,
        background: Vec::new(),
    };
    session.app.settle();
    replay(&mut session, args.rounds, &mut report)?;
    let peak = peak_memory_kib();
    let json = json_size(&session.app.store)?;
    drop(session);
    reports::measure(&path, &mut report)?;

    // The command line, as whole processes (the session's database is closed).
    let db = path.to_string_lossy().to_string();
    let store = Store::open(&path)?;
    let middle = (counts.issues() / 2).max(1) as u32;
    let firm = match store.issue_by_number(middle)? {
        Some(issue) => store.firm(issue.firm)?.map(|f| f.name).unwrap_or_default(),
        None => String::new(),
    };
    drop(store);
    let queries: [(&str, Vec<&str>); 3] = [
        (
            "cli: issues list --firm F --status open",
            vec![
                "--db", &db, "issues", "list", "--firm", &firm, "--status", "open", "--json",
            ],
        ),
        (
            "cli: issues list --overdue",
            vec!["--db", &db, "issues", "list", "--overdue", "--json"],
        ),
        (
            "cli: issues list --filter 新增用地",
            vec![
                "--db",
                &db,
                "issues",
                "list",
                "--filter",
                "新增用地",
                "--json",
            ],
        ),
    ];
    let mut cli_peaks = Vec::new();
    for (label, query) in &queries {
        let mut times = Vec::new();
        for _ in 0..5 {
            let (took, peak) = run_process(query)?;
            times.push(took);
            cli_peaks.push((label.to_string(), peak));
        }
        report.add(label, times);
    }

    goals::measure(&path, middle, &mut report)?;

    super::bench_sync::run(&path, &mut report)?;
    let disk = disk_size(&path);
    report.fact(
        "data",
        format!(
            "{} firms, {} visits, {} items, {} history events; frame 120x40; {} rounds",
            counts.firms,
            counts.visits,
            counts.issues(),
            counts.events,
            args.rounds
        ),
    );
    if let Some(kib) = peak {
        report.fact(
            "peak memory, app + replayed session",
            format!("{:.0} MiB", kib as f64 / 1024.0),
        );
    }
    if let Some(kib) = cli_peaks.iter().filter_map(|(_, p)| *p).max() {
        report.fact(
            "peak memory, cli queries (max)",
            format!("{:.0} MiB", kib as f64 / 1024.0),
        );
    }
    report.fact(
        "size on disk",
        format!(
            "{:.1} MiB = {:.2}x the JSON of the same records ({:.1} MiB)",
            disk as f64 / 1048576.0,
            disk as f64 / json.max(1) as f64,
            json as f64 / 1048576.0
        ),
    );
    let flagged = print(&report, baseline.as_ref())?;
    if let Some(file) = &args.save_baseline {
        save_baseline(&report, file)?;
        say!("baseline saved to {}", file.display());
    }
    if flagged > 0 {
        return Err(CliError::Runtime(format!(
            "{flagged} median(s) more than {:.0}% slower than the baseline",
            (WORSE - 1.0) * 100.0
        )));
    }
    Ok(())
}

/// Fills an empty database with a `demo` process of the named size, timed as a whole.
fn generate(path: &Path, size: DataSize, seed: u64, report: &mut Report) -> CliResult {
    let db = path.to_string_lossy().to_string();
    let seed = seed.to_string();
    esay!("generating the {} data into {db} …", size.name());
    let (took, peak) = run_process(&["--db", &db, "demo", "--size", size.name(), "--seed", &seed])?;
    report.add(&format!("demo --size {}", size.name()), vec![took]);
    if let Some(kib) = peak {
        report.fact(
            "peak memory, demo",
            format!("{:.0} MiB", kib as f64 / 1024.0),
        );
    }
    Ok(())
}

fn replay(session: &mut Session, rounds: usize, report: &mut Report) -> CliResult {
    let mut search = Vec::new();
    let (mut cards, mut tabs, mut moves, mut pages, mut ends) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut views, mut filters, mut texts) = (Vec::new(), Vec::new(), Vec::new());
    let mut orders = Vec::new();
    let mut triage: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for round in 0..rounds {
        session.press('1')?;
        for query in QUERIES {
            session.press('/')?;
            search.extend(session.text(query)?);
            session.escape()?;
        }
        // Open a firm card and go back.
        for _ in 0..3 {
            session.press('j')?;
            cards.push(session.enter()?);
            session.escape()?;
        }
        tabs.push(session.press('2')?);
        tabs.push(session.press('3')?);
        for _ in 0..50 {
            moves.push(session.press('j')?);
        }
        for _ in 0..10 {
            pages.push(session.key(KeyCode::PageDown, KeyModifiers::NONE)?);
        }
        ends.push(session.press('G')?);
        ends.push(session.press('g')?);
        for _ in 0..7 {
            views.push(session.press('v')?);
        }
        // Through every order and back (by priority, age, firm, last change, due): an order
        // not kept yet is made on its first use.
        for _ in 0..SortKey::ALL.len() {
            orders.push(session.press('o')?);
        }
        for filter in FILTERS {
            filters.extend(session.filter(filter)?);
        }
        for words in TEXT_SEARCHES {
            texts.extend(session.filter(words)?);
        }
        // Triage on an open item, each with its durable write, set and set back.
        session.filter("status:open")?;
        for _ in 0..round {
            session.press('j')?;
        }
        // Each set and set back a few times: a single write can meet sled's own upkeep.
        for _ in 0..3 {
            for priority in ["urgent", "normal"] {
                session.press('p')?;
                session.text(priority)?;
                triage
                    .entry("triage: priority")
                    .or_default()
                    .push(session.enter()?);
            }
            for due in ["+30d", "+7d"] {
                session.press('D')?;
                session.key(KeyCode::Char('u'), KeyModifiers::CONTROL)?;
                session.text(due)?;
                triage
                    .entry("triage: due date")
                    .or_default()
                    .push(session.enter()?);
            }
            for department in ["发改局", "人社局"] {
                session.press('a')?;
                session.text(department)?;
                triage
                    .entry("triage: assign")
                    .or_default()
                    .push(session.enter()?);
            }
            triage
                .entry("triage: undo")
                .or_default()
                .push(session.press('u')?);
        }
        session.escape()?;
        tabs.push(session.press('1')?);
    }
    if session.app.tab != Tab::Firms {
        return Err(CliError::Runtime(
            "the replayed session lost its way".into(),
        ));
    }
    report.add("firm search, per keystroke", search);
    report.add("open a firm card", cards);
    report.add("switch tab", tabs);
    report.add("queue: move the selection (j)", moves);
    report.add("queue: page down", pages);
    report.add("queue: bottom / top", ends);
    report.add("queue: next view (v)", views);
    report.add("queue: next order (o)", orders);
    report.add("queue: type a filter, per key", filters);
    report.add("queue: text search in titles, per key", texts);
    report.add(
        "queue: details+responses search (background)",
        std::mem::take(&mut session.background),
    );
    for (label, samples) in triage {
        report.add(&format!("{label} incl. flush"), samples);
    }
    Ok(())
}

/// The medians saved by an earlier run, read before measuring so a bad file fails at once.
fn read_baseline(baseline: Option<&Path>) -> Result<Option<BTreeMap<String, f64>>, CliError> {
    let Some(file) = baseline else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(file).map_err(|e| {
        CliError::Input(format!("cannot read the baseline {}: {e}", file.display()))
    })?;
    serde_json::from_str(&text).map(Some).map_err(|e| {
        CliError::Input(format!(
            "the baseline {} is not a saved bench baseline: {e}",
            file.display()
        ))
    })
}

/// Prints the table; returns how many medians are flagged against the baseline.
fn print(report: &Report, baseline: Option<&BTreeMap<String, f64>>) -> Result<usize, CliError> {
    let empty = BTreeMap::new();
    let old = baseline.unwrap_or(&empty);
    for (label, value) in report.facts.iter().filter(|(l, _)| l == "data") {
        say!("{label}: {value}");
    }
    say!(
        "{:<46} {:>5} {:>11} {:>11} {:>11}{}",
        "measurement",
        "n",
        "median ms",
        "p99 ms",
        "max ms",
        if baseline.is_some() {
            "  vs baseline"
        } else {
            ""
        }
    );
    let mut flagged = 0;
    for t in &report.timings {
        let mut line = format!(
            "{:<46} {:>5} {:>11.3} {:>11.3} {:>11.3}",
            t.label,
            t.samples.len(),
            ms(t.median()),
            ms(t.pick(0.99)),
            ms(t.pick(1.0)),
        );
        if let Some(before) = old.get(&t.label) {
            let now = ms(t.median());
            let ratio = now / before.max(1e-6);
            let worse = ratio > WORSE && t.median() > Duration::from_secs_f64(before / 1e3) + NOISE;
            line.push_str(&format!("  {ratio:>5.2}x"));
            if worse {
                line.push_str("  SLOWER");
                flagged += 1;
            }
        }
        say!("{line}");
    }
    for (label, value) in report.facts.iter().filter(|(l, _)| l != "data") {
        say!("{label}: {value}");
    }
    Ok(flagged)
}

fn save_baseline(report: &Report, file: &Path) -> CliResult {
    let medians: BTreeMap<&str, f64> = report
        .timings
        .iter()
        .map(|t| (t.label.as_str(), ms(t.median())))
        .collect();
    let text = serde_json::to_string_pretty(&medians).map_err(runtime)?;
    std::fs::write(file, text + "\n")?;
    Ok(())
}
