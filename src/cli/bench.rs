//! `liaison bench`: measurements of what a person feels, on generated data. Not a timed
//! test: it reports medians and tails for people to compare, with the data size.

use super::args::BenchArgs;
use super::{CliError, CliResult};
use crate::app::input::Edit;
use crate::app::{update, Action, App};
use crate::demo::{seed, DemoOptions};
use crate::store::Store;
use ratatui::backend::TestBackend;
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

fn summary(label: &str, mut samples: Vec<Duration>) -> String {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "{label:<28} n={:<5} median {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms",
        samples.len(),
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    )
}

pub fn run(args: BenchArgs) -> CliResult {
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let options = DemoOptions {
        firms: args.firms,
        visits: 0,
        issues: 0,
        seed: args.seed,
    };
    seed(&store, &options, super::now())?;
    let mut app = App::new(store, super::now())?;
    update(&mut app, Action::Resize(120, 40));
    let mut terminal =
        Terminal::new(TestBackend::new(120, 40)).map_err(|e| CliError::Runtime(e.to_string()))?;
    let mut keystrokes = Vec::new();
    let mut matching = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for _ in 0..args.rounds {
        for query in QUERIES {
            update(&mut app, Action::StartSearch);
            for c in query.chars() {
                let started = Instant::now();
                update(&mut app, Action::Input(Edit::Insert(c)));
                let matched = started.elapsed();
                terminal
                    .draw(|frame| crate::ui::draw(frame, &app))
                    .map_err(|e| CliError::Runtime(e.to_string()))?;
                keystrokes.push(started.elapsed());
                matching.push(matched);
                slowest.push((matched, app.firms.query.text.clone()));
            }
            update(&mut app, Action::CancelSearch);
        }
    }
    println!(
        "firm search, {} firms, {} rounds of {} queries, 120x40 frame",
        app.firms.all.len(),
        args.rounds,
        QUERIES.len()
    );
    println!("{}", summary("search (update)", matching));
    println!("{}", summary("keystroke (update + draw)", keystrokes));
    slowest.sort_by_key(|(duration, _)| std::cmp::Reverse(*duration));
    slowest.dedup_by(|a, b| a.1 == b.1);
    let worst: Vec<String> = slowest
        .iter()
        .take(3)
        .map(|(d, q)| format!("{q:?} {:.1} ms", d.as_secs_f64() * 1e3))
        .collect();
    println!("slowest queries: {}", worst.join(", "));
    Ok(())
}
