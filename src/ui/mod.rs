//! Drawing. Every function here reads the app's state and writes only to the frame.

mod agenda;
mod firms;
mod form;
mod help;
mod issues;
mod picker;
mod widgets;

use crate::app::{App, MessageKind, Mode, Tab};
use crate::messages as msg;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
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

/// Below this width the detail panel goes under the list instead of beside it. The queue has
/// many columns, so it wants more room before it puts its detail beside it.
fn side_by_side_min_width(tab: Tab) -> u16 {
    match tab {
        Tab::Issues => 160,
        Tab::Firms | Tab::Agenda => 100,
    }
}

pub fn areas(area: Rect, tab: Tab) -> Areas {
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let [list, detail] = if area.width >= side_by_side_min_width(tab) {
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

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = areas(frame.area(), app.tab);
    draw_tabs(frame, app, areas.tabs);
    match app.tab {
        Tab::Firms => firms::draw(frame, app, areas.list, areas.detail),
        Tab::Agenda => agenda::draw(frame, app, areas.list, areas.detail),
        Tab::Issues => issues::draw(frame, app, areas.list, areas.detail),
    }
    draw_status(frame, app, areas.status);
    form::draw(frame, app);
    if let Some(picker) = &app.picker {
        picker::draw(frame, picker);
    }
    if let Some(report) = &app.report {
        form::draw_report(frame, report);
    }
    if app.mode == Mode::Help {
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
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Gray)
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let mode = match app.mode {
        Mode::Normal => msg::MODE_NORMAL,
        Mode::Help => msg::MODE_HELP,
        Mode::Report => msg::MODE_REPORT,
        Mode::Search => msg::MODE_SEARCH,
        Mode::Form => msg::MODE_FORM,
        Mode::Confirm => msg::MODE_CONFIRM,
        Mode::Capture => msg::MODE_CAPTURE,
        Mode::Editor => match app.editor.as_ref().map(|e| &e.purpose) {
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
        counts.push_str(&format!("  ⚠ {} conflict(s)", app.counts.conflicts));
    }
    let (middle, style) = match &app.message {
        Some(m) => (
            m.text.clone(),
            match m.kind {
                MessageKind::Info => Style::new(),
                MessageKind::Warning => Style::new().fg(Color::Yellow),
                MessageKind::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            },
        ),
        None => (counts, Style::new()),
    };
    let middle = match app.server.status(&app.store) {
        Some(sync) => format!("{middle} · {}", msg::sync_status(&sync)),
        None => middle,
    };
    let mode_text = format!(" {mode} ");
    // A message that needs the room takes the place of the help hint rather than being cut.
    let full = usize::from(area.width).saturating_sub(crate::text::width(&mode_text) + 1);
    let hint = if crate::text::width(&middle) + crate::text::width(msg::HELP_HINT) + 1 > full {
        ""
    } else {
        msg::HELP_HINT
    };
    let used = crate::text::width(&mode_text) + crate::text::width(hint) + 2;
    let room = usize::from(area.width).saturating_sub(used);
    let line = Line::from(vec![
        Span::styled(mode_text, Style::new().fg(Color::Black).bg(Color::Gray)),
        Span::raw(" "),
        Span::styled(crate::text::fit(&middle, room), style),
        Span::raw(" "),
        Span::styled(hint, Style::new().fg(Color::DarkGray)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
