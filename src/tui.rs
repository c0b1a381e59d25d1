//! The terminal session: set up, the event loop, and restoring the terminal on every way out.

use crate::app::input::Edit;
use crate::app::{keymap, update, Action, App};
use crate::store::Store;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use std::io;

/// Restores the terminal when dropped: on quit, on an error returned through `?`, and while
/// unwinding from a panic (ratatui's own panic hook restores it before the message prints).
struct RestoreOnDrop;

impl Drop for RestoreOnDrop {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Runs the app until the person quits, then gives the store back with the terminal already
/// restored, for what follows a normal quit (the automatic backup).
pub fn run(store: Store) -> io::Result<Store> {
    let mut app =
        App::new_reading_in_background(store, crate::cli::now()).map_err(io::Error::other)?;
    let mut terminal = ratatui::try_init()?;
    let _restore = RestoreOnDrop;
    // Pasted text arrives as one event, not as keystrokes that could trigger commands.
    execute!(io::stdout(), EnableBracketedPaste)?;
    let size = terminal.size()?;
    update(&mut app, Action::Resize(size.width, size.height));
    // Redraw only after an event or when background work (reading the items, a search)
    // has finished: no timer, so an idle app does no work at all.
    while !app.quit {
        terminal.draw(|frame| crate::ui::draw(frame, &app))?;
        if app.busy() {
            // Wake up now and then to pick up the background work's result.
            if !event::poll(std::time::Duration::from_millis(30))? {
                app.poll_background();
                continue;
            }
        } else if app.server.enabled() {
            // With a zone server, wake up to start the next sync and to age "synced 3 min ago".
            if !event::poll(std::time::Duration::from_secs(1))? {
                app.poll_background();
                continue;
            }
        }
        // Handle every key already waiting before drawing again: what only the screen needs
        // (filtering the queue) is done once, for the last of them.
        loop {
            let event = event::read()?;
            app.batching = event::poll(std::time::Duration::ZERO)?;
            handle(&mut app, event);
            if !app.batching || app.quit {
                break;
            }
        }
        app.batching = false;
        if app.issues.refresh_pending {
            crate::app::queue::refresh(&mut app);
        }
        app.poll_background();
    }
    Ok(app.store)
}

fn handle(app: &mut App, event: Event) {
    match event {
        Event::Key(key) => {
            if let Some(action) = keymap::map_key(app, key) {
                update(app, action);
            }
        }
        Event::Paste(text) => update(app, Action::Input(Edit::Paste(text))),
        Event::Resize(width, height) => update(app, Action::Resize(width, height)),
        _ => {}
    }
}
