//! `liaison bench`: measurements of what a person feels, on generated data. Not a timed
//! test: it reports medians and tails for people to compare, with the data size.

use super::args::BenchArgs;
use super::{CliError, CliResult};
use crate::app::input::Edit;
use crate::app::{update, Action, App, Tab};
use crate::demo::{seed, DemoOptions};
use crate::store::Store;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use std::time::{Duration, Instant};

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

fn summary(label: &str, mut samples: Vec<Duration>) -> String {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "{label:<34} n={:<5} median {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms",
        samples.len(),
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    )
}

/// Replays keystrokes through the keymap and `update`, drawing a 120x40 frame after each, as
/// the terminal loop does; returns the time of each.
struct Session {
    app: App,
    terminal: Terminal<TestBackend>,
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
            .map_err(|e| CliError::Runtime(e.to_string()))?;
        Ok(started.elapsed())
    }

    fn press(&mut self, c: char) -> Result<Duration, CliError> {
        self.key(KeyCode::Char(c), KeyModifiers::NONE)
    }
}

pub fn run(args: BenchArgs) -> CliResult {
    let temp = tempfile::tempdir()?;
    let path = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let store = Store::open(&path)?;
    if store.counts()?.is_empty() {
        let started = Instant::now();
        let options = DemoOptions {
            firms: args.firms,
            visits: args.visits,
            issues: args.issues,
            seed: args.seed,
        };
        seed(&store, &options, super::now())?;
        eprintln!(
            "generated the data in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let counts = store.counts()?;
    let started = Instant::now();
    let mut app = App::new(store, super::now())?;
    update(&mut app, Action::Resize(120, 40));
    let mut terminal =
        Terminal::new(TestBackend::new(120, 40)).map_err(|e| CliError::Runtime(e.to_string()))?;
    terminal
        .draw(|frame| crate::ui::draw(frame, &app))
        .map_err(|e| CliError::Runtime(e.to_string()))?;
    let startup = started.elapsed();
    let mut session = Session { app, terminal };
    println!(
        "data: {} firms, {} visits, {} items; frame 120x40; {} rounds",
        counts.firms,
        counts.visits,
        counts.issues(),
        args.rounds
    );
    println!("{}", summary("start-up to first frame", vec![startup]));

    let mut search = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for _ in 0..args.rounds {
        for query in QUERIES {
            session.press('1')?;
            session.press('/')?;
            for c in query.chars() {
                let took = session.press(c)?;
                search.push(took);
                slowest.push((took, session.app.firms.query.text.clone()));
            }
            session.key(KeyCode::Esc, KeyModifiers::NONE)?;
        }
    }
    println!("{}", summary("firm search, per keystroke", search));
    slowest.sort_by_key(|(duration, _)| std::cmp::Reverse(*duration));
    slowest.dedup_by(|a, b| a.1 == b.1);
    let worst: Vec<String> = slowest
        .iter()
        .take(3)
        .map(|(d, q)| format!("{q:?} {:.1} ms", d.as_secs_f64() * 1e3))
        .collect();
    println!("  slowest search queries: {}", worst.join(", "));

    let (mut moves, mut pages, mut ends, mut filters, mut views, mut tabs, mut triage) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for _ in 0..args.rounds {
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
        for filter in FILTERS {
            session.press('/')?;
            session.key(KeyCode::Char('u'), KeyModifiers::CONTROL)?;
            for c in filter.chars() {
                filters.push(session.press(c)?);
            }
            session.key(KeyCode::Enter, KeyModifiers::NONE)?;
        }
        session.key(KeyCode::Esc, KeyModifiers::NONE)?;
        // A triage action including its durable write: the priority, back and forth.
        for priority in ["urgent", "normal"] {
            session.press('p')?;
            for c in priority.chars() {
                session.press(c)?;
            }
            triage.push(session.key(KeyCode::Enter, KeyModifiers::NONE)?);
        }
        tabs.push(session.press('2')?);
        tabs.push(session.press('1')?);
    }
    assert_eq!(session.app.tab, Tab::Firms);
    println!("{}", summary("switch tab", tabs));
    println!("{}", summary("queue: move the selection (j)", moves));
    println!("{}", summary("queue: page down", pages));
    println!("{}", summary("queue: top / bottom", ends));
    println!("{}", summary("queue: next view (v)", views));
    println!("{}", summary("queue: type a filter, per key", filters));
    println!("{}", summary("triage: priority incl. flush", triage));
    let _ = Edit::Home;
    Ok(())
}
