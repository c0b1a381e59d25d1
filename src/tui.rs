//! The terminal session: set up, the event loop, and restoring the terminal on every way out.
//! The loop changes no state itself: keys, sizes, background results and the passing of time
//! all reach the app as `Action`s through `update`.

use crate::app::input::Edit;
use crate::app::{keymap, update, Action, App};
use crate::store::Store;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use std::io;
use std::time::{Duration, Instant};

/// Restores the terminal when dropped: on quit, on an error returned through `?`, and while
/// unwinding from a panic (ratatui's own panic hook restores it before the message prints).
struct RestoreOnDrop;

impl Drop for RestoreOnDrop {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// How often the loop looks for background results while work is running.
const BACKGROUND_POLL: Duration = Duration::from_millis(30);

/// Runs the app until the person quits, then gives the store back with the terminal already
/// restored, for what follows a normal quit (the automatic backup).
pub fn run(store: Store, keys: crate::app::keymap::Keymap) -> io::Result<Store> {
    let mut app = App::new_reading_in_background(store, crate::model::when::now())
        .map_err(io::Error::other)?
        .with_keys(keys);
    let mut terminal = ratatui::try_init()?;
    let _restore = RestoreOnDrop;
    // Pasted text arrives as one event, not as keystrokes that could trigger commands.
    execute!(io::stdout(), EnableBracketedPaste)?;
    let size = terminal.size()?;
    update(
        &mut app,
        Action::Resize(crate::ui::layout(size.width, size.height)),
    );
    // Redraw only after an event, when background work has finished or when a message's
    // time is up: an idle app with nothing pending does no work at all.
    while !app.quit {
        terminal.draw(|frame| crate::ui::draw(frame, &app))?;
        if !event::poll(wait(&app))? {
            // Nothing typed: results of background work, else the time.
            let mut arrived = false;
            while let Ok(action) = app.inbox.try_recv() {
                update(&mut app, action);
                arrived = true;
            }
            if !arrived {
                update(&mut app, Action::Clock(crate::model::when::now()));
                update(&mut app, Action::Tick(Instant::now()));
            }
            continue;
        }
        // Handle every key already waiting before drawing again: what only the screen needs
        // (filtering the queue) is done once, for the last of them. What they change is
        // stamped with the time they were typed, not the time the app was opened.
        update(&mut app, Action::Clock(crate::model::when::now()));
        loop {
            let event = event::read()?;
            let more = event::poll(Duration::ZERO)?;
            update(&mut app, Action::Batching(more));
            handle(&mut app, event);
            if !more || app.quit {
                break;
            }
        }
        update(&mut app, Action::Batching(false));
        while let Ok(action) = app.inbox.try_recv() {
            update(&mut app, action);
        }
    }
    Ok(app.store)
}

/// How long to wait for a key: briefly while background work runs, until a message's time
/// is up, else a long while (the loop only wakes for the next event).
fn wait(app: &App) -> Duration {
    if app.busy() {
        return BACKGROUND_POLL;
    }
    // With a zone server, wake up now and then: the next sync may be due and "synced 3 min
    // ago" ages (the tick reads nothing; a sync runs in its own thread).
    let idle = if app.server.enabled() {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(3600)
    };
    match app.message.as_ref().and_then(|m| m.until) {
        Some(until) => until
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(10))
            .min(idle),
        None => idle,
    }
}

fn handle(app: &mut App, event: Event) {
    match event {
        Event::Key(key) => {
            if let Some(action) = keymap::map_key(app, key) {
                update(app, action);
            }
        }
        Event::Paste(text) => update(app, Action::Input(Edit::Paste(text))),
        Event::Resize(width, height) => {
            update(app, Action::Resize(crate::ui::layout(width, height)))
        }
        _ => {}
    }
}
