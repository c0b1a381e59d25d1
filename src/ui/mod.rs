//! Drawing. Every function here reads the app's state and writes only to the frame.

mod agenda;
mod firms;
mod form;
mod help;
mod issues;
mod picker;
mod reports;
mod tabs;
pub mod theme;
mod widgets;

use crate::app::{App, MessageKind, Mode, Tab};
use crate::messages as msg;
use crate::ui::theme::theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Where each part of the screen goes. Shared with `update`, which needs the list's height
/// to know how many rows a page holds.
pub struct Areas {
    pub tabs: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub status: Rect,
}

pub fn areas(area: Rect, tab: Tab) -> Areas {
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let [list, detail] = if area.width >= tabs::side_by_side_min_width(tab) {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body)
    };
    Areas {
        tabs,
        list,
        detail,
        status,
    }
}

/// Rows of records a list shows at this terminal size (inside its border, under its header).
pub fn list_rows(width: u16, height: u16, tab: Tab) -> usize {
    let list = areas(Rect::new(0, 0, width, height), tab).list;
    usize::from(list.height.saturating_sub(3)).max(1)
}

/// What the app needs to know of the screen at this size (`Action::Resize`).
pub fn layout(width: u16, height: u16) -> crate::app::Layout {
    crate::app::Layout {
        width,
        height,
        rows: Tab::ALL
            .iter()
            .map(|tab| list_rows(width, height, *tab))
            .collect(),
    }
}

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = areas(frame.area(), app.tab);
    draw_tabs(frame, app, areas.tabs);
    tabs::draw(frame, app, areas.list, areas.detail);
    draw_status(frame, app, areas.status);
    form::draw(frame, app);
    if let Some(picker) = app.picker() {
        picker::draw(frame, picker);
    }
    if let Some(report) = app.report() {
        form::draw_report(frame, report);
    }
    if app.mode() == Mode::Help {
        help::draw(frame, app);
    }
    widgets::blank_hidden_cells(frame.buffer_mut());
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = vec![Span::styled(
        format!(" {} ", msg::APP_NAME),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for tab in Tab::ALL {
        let label = format!(" {} {} ", tab.index() + 1, tab.title());
        let style = if tab == app.tab {
            theme()
                .on(theme().dark, theme().accent)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme().muted)
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Between the parts of `messages::counts_line`.
const COUNTS_SEPARATOR: &str = " · ";

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let mode = match app.mode() {
        Mode::Normal => msg::MODE_NORMAL,
        Mode::Help => msg::MODE_HELP,
        Mode::Report => msg::MODE_REPORT,
        Mode::Search => msg::MODE_SEARCH,
        Mode::Form => msg::MODE_FORM,
        Mode::Confirm => msg::MODE_CONFIRM,
        Mode::Capture => msg::MODE_CAPTURE,
        Mode::Editor => match app.editor().map(|e| &e.purpose) {
            Some(crate::app::agenda::EditorPurpose::Response { .. }) => msg::MODE_RESPONSE,
            _ => msg::MODE_EDITOR,
        },
        Mode::Picker => msg::MODE_PICKER,
        Mode::Filter => msg::MODE_FILTER,
    };
    let mut counts = msg::counts_line(
        app.counts.firms,
        app.counts.visits,
        app.counts.open_issues(),
        app.counts.issues(),
        app.issues.loaded.then_some(app.issues.tally.overdue),
        app.issues.loaded.then_some(app.issues.tally.unassigned),
    );
    // Values set on two ledgers at once, until someone chooses (`liaison conflicts`).
    if app.counts.conflicts > 0 {
        counts.push_str(&format!("  {}", msg::conflicts_count(app.counts.conflicts)));
    }
    // Past the message's time too: a large bundle takes a while.
    if app.issues.importing {
        counts.push_str(&format!("  {}", msg::BUNDLE_APPLYING));
    }
    let (middle, style) = match &app.message {
        Some(m) => (
            m.text.clone(),
            match m.kind {
                MessageKind::Info => Style::new(),
                MessageKind::Warning => Style::new().fg(theme().warn),
                MessageKind::Error => Style::new().fg(theme().error).add_modifier(Modifier::BOLD),
            },
        ),
        None => (counts, Style::new()),
    };
    let middle = match app.server.status() {
        Some(sync) => format!("{middle} · {}", msg::sync_status(&sync)),
        None => middle,
    };
    let mode_text = format!(" {mode} ");
    // A message that needs the room takes the place of the hints rather than being cut; the
    // hints that do not fit go, last first. The counts give the hints room by leaving out
    // their first parts (firms, visits) before the open, overdue and unassigned ones.
    let full = usize::from(area.width).saturating_sub(crate::text::width(&mode_text) + 1);
    let hints = crate::app::keymap::hints(app);
    // The first two hints (help and quit, or the field's own main keys) are worth more than
    // the counts of firms and visits.
    let must = hints
        .iter()
        .take(2)
        .map(|(keys, words)| crate::text::width(keys) + crate::text::width(words) + 3)
        .sum::<usize>();
    let least = if app.message.is_some() || crate::text::width(&middle) + 1 + must <= full {
        middle.clone()
    } else {
        let parts: Vec<&str> = middle.split(COUNTS_SEPARATOR).collect();
        parts[parts.len().saturating_sub(3)..].join(COUNTS_SEPARATOR)
    };
    let room_for_hints = full.saturating_sub(crate::text::width(&least) + 1);
    let mut hint = String::new();
    for (keys, words) in hints {
        let next = format!("{}{keys} {words}", if hint.is_empty() { "" } else { "  " });
        if crate::text::width(&hint) + crate::text::width(&next) > room_for_hints {
            break;
        }
        hint.push_str(&next);
    }
    let hint = hint.as_str();
    let used = crate::text::width(&mode_text) + crate::text::width(hint) + 2;
    let room = usize::from(area.width).saturating_sub(used);
    let mut middle = middle;
    if app.message.is_none() {
        while crate::text::width(&middle) > room {
            match middle.split_once(COUNTS_SEPARATOR) {
                Some((_, rest)) => middle = rest.to_string(),
                None => break,
            }
        }
    }
    let line = Line::from(vec![
        Span::styled(mode_text, theme().on(theme().dark, theme().muted)),
        Span::raw(" "),
        Span::styled(crate::text::fit(&middle, room), style),
        Span::raw(" "),
        Span::styled(hint, Style::new().fg(theme().dim)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
