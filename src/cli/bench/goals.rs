//! The rows of issue 17's goals that the replayed session cannot show: the app's memory once
//! the items are read and with the Reports tab open (each in a child process of its own, so
//! nothing the bench did before counts), finding an item by its number, the open items
//! exported as JSON, and an import of the whole ledger into an empty database — all as whole
//! processes, as a person runs them.

use super::{draw_first_frame, run_process, Report};
use crate::app::{update, Action, Tab};
use crate::cli::CliError;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// What the child prints before each figure, so the parent can find it among other output.
const MEMORY_LINE: &str = "liaison-bench-memory";

/// A line of `/proc/self/status` (e.g. `VmRSS`), in KiB.
pub fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// In the child (`liaison-dev bench --data DIR --memory-only`): opens the app as the terminal
/// does, waits until everything is read, prints its resident memory; then the same with the
/// Reports tab shown.
pub fn memory_only(path: &Path) -> Result<(), CliError> {
    let (mut app, _terminal, _) = draw_first_frame(path)?;
    app.settle();
    let items = status_kib("VmRSS").unwrap_or(0);
    update(&mut app, Action::GoTo(Tab::Reports));
    app.settle();
    let reports = status_kib("VmRSS").unwrap_or(0);
    println!("{MEMORY_LINE} {items} {reports}");
    Ok(())
}

/// The child's two figures (KiB): once the items are read, and with the Reports tab open.
fn memory_child(path: &Path) -> Result<(u64, u64), CliError> {
    let output = Command::new(std::env::current_exe()?)
        .arg("bench")
        .arg("--data")
        .arg(path)
        .arg("--memory-only")
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let figures = stdout.lines().find_map(|l| {
        let mut parts = l.strip_prefix(MEMORY_LINE)?.split_whitespace();
        Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
    });
    figures.ok_or_else(|| {
        CliError::Runtime(format!(
            "the bench's memory child printed no figures: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    })
}

/// "178 MiB (176–181)": the median and the range of a few runs.
fn mib_range(mut kib: Vec<u64>) -> String {
    kib.sort_unstable();
    let mib = |k: u64| k as f64 / 1024.0;
    format!(
        "{:.0} MiB ({:.0}–{:.0}), {} runs",
        mib(kib[kib.len() / 2]),
        mib(kib[0]),
        mib(kib[kib.len() - 1]),
        kib.len()
    )
}

fn times(args: &[&str], runs: usize) -> Result<Vec<Duration>, CliError> {
    (0..runs).map(|_| Ok(run_process(args)?.0)).collect()
}

/// Measures each row; `number` is an item's number from the middle of the ledger.
pub(super) fn measure(path: &Path, number: u32, report: &mut Report) -> Result<(), CliError> {
    let (mut items, mut reports) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let (i, r) = memory_child(path)?;
        items.push(i);
        reports.push(r);
    }
    report.fact("app memory once the items are read", mib_range(items));
    report.fact("app memory with the Reports tab open", mib_range(reports));

    let db = path.to_string_lossy().to_string();
    let n = number.to_string();
    let hash_n = format!("#{number}");
    report.add(
        "cli: issues show N",
        times(&["--db", &db, "issues", "show", &n], 5)?,
    );
    report.add(
        "cli: issues list --filter '#N'",
        times(
            &["--db", &db, "issues", "list", "--filter", &hash_n, "--json"],
            5,
        )?,
    );

    let scratch = tempfile::tempdir()?;
    let out = scratch.path().join("open.json");
    let out = out.to_string_lossy().to_string();
    for (label, sort) in [
        ("cli: export open items as JSON, due order", "due"),
        ("cli: export open items as JSON, by priority", "priority"),
    ] {
        let args = [
            "--db",
            &db,
            "export",
            "issues",
            "--format",
            "json",
            "--filter",
            "status:open",
            "--sort",
            sort,
            "-o",
            &out,
        ];
        report.add(label, times(&args, 3)?);
    }

    // The ledger as a spreadsheet, imported into an empty database: what a zone moving in does.
    let csv = scratch.path().join("ledger.csv");
    let csv = csv.to_string_lossy().to_string();
    run_process(&[
        "--db",
        &db,
        "export",
        "issues",
        "--headers",
        "en",
        "-o",
        &csv,
    ])?;
    let target = scratch.path().join("imported");
    let target = target.to_string_lossy().to_string();
    let (took, peak) = run_process(&["--db", &target, "import", "issues", &csv])?;
    report.add("cli: import the ledger (CSV) into an empty db", vec![took]);
    if let Some(kib) = peak {
        report.fact(
            "peak memory, import",
            format!("{:.0} MiB", kib as f64 / 1024.0),
        );
    }
    report.fact(
        "size on disk, the imported ledger",
        format!(
            "{:.1} MiB",
            super::disk_size(scratch.path().join("imported").as_path()) as f64 / 1048576.0
        ),
    );
    Ok(())
}
