//! The Reports tab and `liaison report` at the bench's size: the tab's figures from the key
//! that opens it until they are drawn (the ledger read in the background, then counted),
//! stepping periods once they are there, and the brief of a year as a whole process.

use super::{draw_first_frame, run_process, Report, Session};
use crate::app::{update, Action, Tab};
use crate::cli::CliError;
use std::path::Path;
use std::time::Instant;

pub(super) fn measure(path: &Path, report: &mut Report) -> Result<(), CliError> {
    let mut shown = Vec::new();
    for _ in 0..3 {
        let (mut app, mut terminal, _) = draw_first_frame(path)?;
        app.settle();
        let started = Instant::now();
        update(&mut app, Action::GoTo(Tab::Reports));
        // Until the figures are there: the neighbouring periods counted ahead after them are
        // not what this row measures, and are waited for once it is drawn.
        while app.reports.is_loading() {
            match app.inbox.recv() {
                Ok(action) => update(&mut app, action),
                Err(_) => break,
            }
        }
        terminal
            .draw(|frame| crate::ui::draw(frame, &app))
            .map_err(super::runtime)?;
        shown.push(started.elapsed());
        app.settle();
    }
    report.add("reports: open the tab until figures drawn", shown);

    let (app, terminal, _) = draw_first_frame(path)?;
    let mut session = Session {
        app,
        terminal,
        background: Vec::new(),
    };
    session.app.settle();
    session.press('4')?;
    session.app.settle();
    // Each key's own counting is measured; the neighbouring periods' days it starts counting
    // in the background are waited for after it, outside the measured time (`Session::key`
    // settles while the app is busy), as a person's keys come over 100 ms apart.
    let mut steps = Vec::new();
    for key in "[[[[]]]]wmQy[]".chars() {
        steps.push(session.press(key)?);
    }
    report.add("reports: step or switch a period", steps);
    drop(session);

    let db = path.to_string_lossy().to_string();
    let mut year = Vec::new();
    for _ in 0..3 {
        let (took, _) = run_process(&[
            "--db", &db, "report", "--period", "year", "--format", "json",
        ])?;
        year.push(took);
    }
    report.add("cli: report --period year", year);
    Ok(())
}
