//! The help overlay's lines, made from the live key table: the `ui` draws them, `update`
//! scrolls through them (it knows how many there are).

use super::keymap::{tab_scopes, Scope};
use super::App;
use crate::messages as msg;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(String),
    /// Keys as the help writes them, and what they do (one row of it: a description too
    /// long for the screen goes on below, with no keys).
    Key(String, String),
    Blank,
}

fn section(app: &App, lines: &mut Vec<HelpLine>, heading: &str, scopes: &[Scope]) {
    if !lines.is_empty() {
        lines.push(HelpLine::Blank);
    }
    lines.push(HelpLine::Heading(heading.to_string()));
    for scope in scopes {
        // The keys to the tabs on one line (`1-4  Firms · Agenda · …`): a line per tab would
        // push the keys below them out of view.
        let to_tab = |b: &&super::keymap::Binding| matches!(b.action, super::Action::GoTo(_));
        let tabs: Vec<_> = app.keys.context(*scope).iter().filter(to_tab).collect();
        if let (Some(first), Some(last)) = (tabs.first(), tabs.last()) {
            let words: Vec<&str> = tabs.iter().map(|b| b.help.get()).collect();
            lines.push(HelpLine::Key(
                format!("{}-{}", first.label(), last.label()),
                words.join(" · "),
            ));
        }
        for b in app.keys.context(*scope).iter().filter(|b| !to_tab(b)) {
            let words = super::keymap::words(app, *scope, b);
            lines.push(HelpLine::Key(b.label(), words.to_string()));
        }
    }
}

/// Columns before a description: an indent of 2 and the keys' 16.
pub const KEYS_COLUMNS: usize = 18;

/// The help's width on this screen, border included: as wide as the longest description
/// needs, so none is wrapped where the screen has room.
pub fn width(app: &App) -> u16 {
    let widest = unwrapped(app)
        .iter()
        .map(|line| match line {
            HelpLine::Heading(text) => crate::text::width(text),
            HelpLine::Key(_, help) => KEYS_COLUMNS + crate::text::width(help),
            HelpLine::Blank => 0,
        })
        .max()
        .unwrap_or(0);
    let widest = u16::try_from(widest + 3).unwrap_or(u16::MAX);
    widest.clamp(40, app.layout.width.saturating_sub(2).max(40))
}

/// The lines as the screen shows them: a description wider than the help goes on in the
/// next rows, under the description column (by display width). Scrolling counts these.
pub fn lines(app: &App) -> Vec<HelpLine> {
    // Inside the border, with one column to spare at the right.
    let room = usize::from(width(app)).saturating_sub(3 + KEYS_COLUMNS);
    let mut out = Vec::new();
    for line in unwrapped(app) {
        match line {
            HelpLine::Key(keys, help) => {
                let mut rows = crate::text::wrap(&help, room).into_iter();
                out.push(HelpLine::Key(keys, rows.next().unwrap_or_default()));
                out.extend(rows.map(|row| HelpLine::Key(String::new(), row)));
            }
            other => out.push(other),
        }
    }
    out
}

/// The keys of the current tab, what its overlays take, the global keys, and how to move
/// in and leave the help itself: one line per binding.
fn unwrapped(app: &App) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    section(
        app,
        &mut lines,
        &msg::tab_help_heading(app.tab.title()),
        &tab_scopes(app)[..],
    );
    for (heading, scope) in super::tabs::help_sections(app) {
        section(app, &mut lines, heading.get(), &[scope]);
    }
    section(app, &mut lines, msg::HELP_GLOBAL.get(), &[Scope::Global]);
    section(app, &mut lines, msg::HELP_TITLE.get(), &[Scope::Help]);
    lines
}

/// How many lines the help shows at once on this screen (inside its border).
pub fn visible(app: &App, total: usize) -> usize {
    total.min(usize::from(app.layout.height).saturating_sub(2))
}

/// Moves the help's first line shown, kept where the last line is still at the bottom.
pub(super) fn scroll(app: &mut App, change: impl FnOnce(usize, usize) -> isize) {
    let total = lines(app).len();
    let page = visible(app, total).max(1);
    let last = total.saturating_sub(page);
    if let super::Overlay::Help { scroll } = &mut app.overlay {
        let moved = change(*scroll, page).clamp(0, last as isize);
        *scroll = moved as usize;
    }
}
