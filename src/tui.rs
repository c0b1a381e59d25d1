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

pub fn run(store: Store) -> io::Result<()> {
    let mut app = App::new(store, crate::cli::now()).map_err(io::Error::other)?;
    let mut terminal = ratatui::try_init()?;
    let _restore = RestoreOnDrop;
    // Pasted text arrives as one event, not as keystrokes that could trigger commands.
    execute!(io::stdout(), EnableBracketedPaste)?;
    let size = terminal.size()?;
    update(&mut app, Action::Resize(size.width, size.height));
    // Redraw only after an event: no timer, so an idle app does no work at all.
    while !app.quit {
        terminal.draw(|frame| crate::ui::draw(frame, &app))?;
        match event::read()? {
            Event::Key(key) => {
                if let Some(action) = keymap::map_key(&app, key) {
                    update(&mut app, action);
                }
            }
            Event::Paste(text) => update(&mut app, Action::Input(Edit::Paste(text))),
            Event::Resize(width, height) => update(&mut app, Action::Resize(width, height)),
            _ => {}
        }
    }
    Ok(())
}
