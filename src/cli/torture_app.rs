//! `liaison-dev torture --app`: triage as the app does it — the actions of its keys
//! through `update`, on the real store — for the kill harness in `tests/kills.rs`. Each change
//! of an item's priority prints `begin write=N | issue=ID priority=P` before the keys and
//! `ok write=N | issue=ID priority=P events=E` once `update` has returned (the change is then
//! flushed), flushing standard output each time.

use super::args::TortureArgs;
use super::{CliError, CliResult};
use crate::app::{update, Action, App, Tab};
use crate::demo::Rng;
use crate::model::Priority;
use crate::store::Store;
use std::io::Write;

pub fn run(store: &Store, args: TortureArgs) -> CliResult {
    let mut rng = Rng::new(args.seed);
    let mut app = App::new(store.clone(), super::now())?;
    update(&mut app, Action::GoTo(Tab::Issues));
    let mut out = std::io::stdout().lock();
    for write in 1..=args.writes {
        let rows = app.issues.shown.len();
        if rows == 0 {
            return Err(CliError::Runtime("no open items to triage".into()));
        }
        update(&mut app, Action::Top);
        for _ in 0..rng.below(rows) {
            update(&mut app, Action::Down);
        }
        let id = app
            .issues
            .selected_id()
            .ok_or_else(|| CliError::Runtime("no item selected".into()))?;
        let missing = || CliError::Runtime(format!("item {id} is not in the store"));
        let before = store.issue(id)?.ok_or_else(missing)?;
        let others: Vec<Priority> = Priority::ALL
            .into_iter()
            .filter(|p| *p != before.priority)
            .collect();
        let wanted = others[rng.below(others.len())];
        say(
            &mut out,
            "begin",
            write,
            &format!("issue={id} priority={}", wanted.code()),
        )?;
        // The keys: `p` (the picker opens on the current priority), Home, down the list to
        // the priority, Enter.
        update(&mut app, Action::SetPriority);
        update(&mut app, Action::Top);
        for _ in 0..Priority::ALL.len() {
            let on_it = app
                .picker()
                .and_then(|p| p.selected())
                .is_some_and(|o| o.label == crate::messages::priority(wanted));
            if on_it {
                break;
            }
            update(&mut app, Action::Down);
        }
        update(&mut app, Action::Submit);
        let after = store.issue(id)?.ok_or_else(missing)?;
        if after.priority != wanted {
            let said = app
                .message
                .as_ref()
                .map(|m| m.text.clone())
                .unwrap_or_default();
            return Err(CliError::Runtime(format!(
                "item {id} did not take priority {}: {said}",
                wanted.code()
            )));
        }
        let events = store.events(id)?.records.len();
        say(
            &mut out,
            "ok",
            write,
            &format!("issue={id} priority={} events={events}", wanted.code()),
        )?;
    }
    Ok(())
}

/// One line, written and flushed in one call: a line is either whole in the pipe or absent.
fn say(out: &mut impl Write, verb: &str, write: u64, record: &str) -> CliResult {
    out.write_all(format!("{verb} write={write} | {record}\n").as_bytes())?;
    out.flush()?;
    Ok(())
}
