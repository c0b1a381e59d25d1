use super::widgets;
use crate::app::agenda::{AgendaView, VisitScreen};
use crate::app::keymap::Scope;
use crate::app::{App, Mode};
use crate::messages as msg;
use crate::model::{Visit, VisitStatus};
use crate::text::{fit, width};
use crate::ui::theme::theme;
use chrono::Duration;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, list: Rect, detail: Rect) {
    if let Some(screen) = &app.agenda.screen {
        draw_screen(frame, app, screen, list.union(detail));
        return;
    }
    if app.counts.visits == 0 {
        widgets::empty_state(frame, list, msg::TAB_AGENDA.get(), msg::EMPTY_AGENDA.get());
        widgets::no_detail(frame, detail);
        return;
    }
    draw_days(frame, app, list);
    match app.agenda.selected() {
        Some(visit) => draw_visit(frame, app, visit, detail),
        None => widgets::no_detail(frame, detail),
    }
}

fn status_style(visit: &Visit) -> Style {
    match visit.status {
        VisitStatus::Planned => Style::new().fg(theme().ok),
        VisitStatus::Done => Style::new().fg(theme().muted),
        VisitStatus::Cancelled => Style::new()
            .fg(theme().dim)
            .add_modifier(Modifier::CROSSED_OUT),
    }
}

/// What a visit's row warns about: a clash with the lead's other visit, a past visit without
/// minutes, a past visit still planned.
fn marks(app: &App, visit: &Visit) -> Vec<String> {
    let mut marks = Vec::new();
    if app.agenda.conflicts.contains(&visit.id) {
        marks.push(msg::CONFLICT_MARK.to_string());
    }
    // Before a visit, what the firm is still waiting for.
    if let Some(overdue) = app
        .issues
        .tally
        .overdue_by_firm
        .get(&visit.firm)
        .filter(|n| **n > 0)
    {
        marks.push(msg::firm_overdue(*overdue));
    }
    if visit.end() < app.now && visit.status != VisitStatus::Cancelled {
        if visit.status == VisitStatus::Planned {
            marks.push(msg::NOT_CLOSED_MARK.to_string());
        }
        if visit.minutes.trim().is_empty() {
            marks.push(msg::NO_MINUTES_MARK.to_string());
        }
    }
    marks
}

/// The days shown, each with its visits under it; the selected visit is kept in view.
fn draw_days(frame: &mut Frame, app: &App, area: Rect) {
    let agenda = &app.agenda;
    let offset = app.now.offset();
    let (first, last) = agenda.days();
    let inner = area.width.saturating_sub(2);
    let w = usize::from(inner);
    let today = app.today();
    let columns = columns(app, w);
    // (line, the visit index it shows)
    let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
    let mut index = 0;
    let mut day = first;
    while day <= last {
        let mut header = msg::day_with_weekday(day);
        let mut style = Style::new().fg(theme().accent).add_modifier(Modifier::BOLD);
        if day == today {
            header = format!("{header} · {}", msg::TODAY);
            style = style.fg(theme().warn);
        }
        lines.push((Line::styled(fit(&header, w), style), None));
        let mut any = false;
        while let Some(visit) = agenda.visits.get(index) {
            if visit.start.with_timezone(offset).date_naive() != day {
                break;
            }
            any = true;
            lines.push((visit_row(app, visit, w, columns), Some(index)));
            index += 1;
        }
        if !any {
            lines.push((
                Line::styled(
                    format!("  {}", msg::NO_VISITS_DAY),
                    Style::new().fg(theme().dim),
                ),
                None,
            ));
        }
        day += Duration::days(1);
    }
    let height = usize::from(area.height.saturating_sub(2));
    let selected = (!agenda.visits.is_empty()).then_some(agenda.cursor.selected);
    // Keep the day's header above the selection when there is room.
    let visible = widgets::scrolled(lines, selected, height, inner, 1);
    let view = match agenda.view {
        AgendaView::Day => msg::VIEW_DAY,
        AgendaView::Week => msg::VIEW_WEEK,
    };
    let title = format!(
        "{} · {}",
        msg::TAB_AGENDA,
        msg::period_title(
            view.get(),
            &msg::long_day(first),
            // A single day is named once.
            &if first == last {
                first.format("%Y-%m-%d").to_string()
            } else {
                msg::short_day(last)
            }
        )
    );
    frame.render_widget(Paragraph::new(visible).block(widgets::block(&title)), area);
}

/// The person who leads: `企业服务中心 李晓` is shown as 李晓 in a row (the detail names the
/// department too), so a cut never leaves only the department.
fn lead_person(lead: &str) -> &str {
    lead.split_whitespace().last().unwrap_or("")
}

/// Columns of a visit row besides the firm, the lead and the marks: the time
/// (`  HH:MM–HH:MM`), the status, and a space after each of time, firm, lead and status.
const ROW_FIXED: usize = 13 + 9 + 4;

/// The room marks keep before the firm's name gives any up: a clash and the firm's overdue
/// items (`⚠ clash 13 overdue`). Longer marks are cut; the detail repeats them in full.
const MARKS_ROOM: usize = 20;

/// The widths of the columns that are the same in every row, so the columns after them
/// line up.
#[derive(Clone, Copy)]
struct Columns {
    firm: usize,
    lead: usize,
}

/// The lead's column as wide as the longest person listed (up to 14); the firm's as wide as
/// the longest name listed, leaving the marks up to `MARKS_ROOM`, never under 8.
fn columns(app: &App, w: usize) -> Columns {
    let visits = &app.agenda.visits;
    let longest = |of: &dyn Fn(&Visit) -> usize| visits.iter().map(of).max().unwrap_or(0);
    let lead = longest(&|v| width(lead_person(&v.lead))).clamp(4, 14);
    let firm = longest(&|v| width(app.firm_name(v.firm)));
    let marks = longest(&|v| width(&marks(app, v).join(" "))).min(MARKS_ROOM);
    Columns {
        firm: firm.min(w.saturating_sub(ROW_FIXED + lead + marks)).max(8),
        lead,
    }
}

fn visit_row(app: &App, visit: &Visit, w: usize, columns: Columns) -> Line<'static> {
    let offset = app.now.offset();
    let start = visit.start.with_timezone(offset);
    let end = visit.end().with_timezone(offset);
    let time = format!("  {}–{}", start.format("%H:%M"), end.format("%H:%M"));
    let marks = fit(
        &marks(app, visit).join(" "),
        w.saturating_sub(ROW_FIXED + columns.firm + columns.lead),
    );
    let past = visit.end() < app.now;
    let base = if past {
        Style::new().fg(theme().muted)
    } else {
        Style::new()
    };
    let warn = Style::new().fg(theme().warn);
    Line::from(vec![
        Span::styled(time, base),
        Span::raw(" "),
        Span::styled(fit(app.firm_name(visit.firm), columns.firm), base),
        Span::raw(" "),
        Span::styled(fit(lead_person(&visit.lead), columns.lead), base),
        Span::raw(" "),
        Span::styled(fit(msg::visit_status(visit.status), 9), status_style(visit)),
        Span::raw(" "),
        Span::styled(marks, warn),
    ])
}

fn visit_lines(app: &App, visit: &Visit) -> Vec<Line<'static>> {
    let offset = app.now.offset();
    let start = visit.start.with_timezone(offset);
    let end = visit.end().with_timezone(offset);
    let mut lines = vec![
        widgets::heading(app.firm_name(visit.firm)),
        widgets::field(
            msg::LABEL_WHEN.get(),
            format!(
                "{}–{}",
                msg::moment_with_weekday(start.naive_local()),
                end.format("%H:%M")
            ),
        ),
        widgets::field(msg::LABEL_STATUS.get(), msg::visit_status(visit.status)),
        widgets::field(msg::LABEL_LOCATION.get(), visit.location.clone()),
        widgets::field(msg::LABEL_LEAD.get(), visit.lead.clone()),
        widgets::field(msg::LABEL_ATTENDEES.get(), visit.attendees.join("、")),
        widgets::field(msg::LABEL_PURPOSE.get(), visit.purpose.clone()),
    ];
    let marks = marks(app, visit);
    if !marks.is_empty() {
        lines.push(Line::styled(
            marks.join("  "),
            Style::new().fg(theme().warn),
        ));
    }
    lines
}

fn draw_visit(frame: &mut Frame, app: &App, visit: &Visit, area: Rect) {
    let mut lines = visit_lines(app, visit);
    if !visit.minutes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(widgets::heading(msg::LABEL_MINUTES.get()));
        lines.extend(widgets::paragraph_lines(&visit.minutes));
    }
    widgets::detail(frame, area, msg::DETAIL.get(), lines);
}

/// The visit screen: the firm in brief and the visit on the left; the minutes and the items
/// raised on the right, with meeting mode's capture line under the items.
fn draw_screen(frame: &mut Frame, app: &App, screen: &VisitScreen, area: Rect) {
    let Some(visit) = app.agenda.open_visit() else {
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(area);
    let mut lines = visit_lines(app, visit);
    if let Some(firm) = app.firm(visit.firm) {
        lines.push(Line::raw(""));
        lines.push(widgets::heading(msg::LABEL_CONTACTS.get()));
        for contact in firm.contacts.iter().take(4) {
            lines.push(Line::raw(format!(
                "  {}  {}  {}",
                contact.name, contact.title, contact.phone
            )));
        }
        if !firm.notes.is_empty() {
            lines.push(widgets::field(
                msg::LABEL_NOTES.get(),
                firm.notes.replace('\n', " "),
            ));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(msg::VISIT_KEYS, Style::new().fg(theme().dim)));
    widgets::detail(frame, left, msg::DETAIL.get(), lines);

    let [minutes_area, items_area] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
    match (app.editor(), app.mode()) {
        (Some(editor), Mode::Editor)
            if matches!(
                editor.purpose,
                crate::app::agenda::EditorPurpose::Minutes(_)
            ) =>
        {
            let keys = app.keys.line(Scope::Editor, &["save", "cancel"]);
            let block = widgets::block(&format!("{} — {keys}", msg::LABEL_MINUTES));
            let inner = block.inner(minutes_area);
            frame.render_widget(block, minutes_area);
            frame.render_widget(&editor.area, inner);
            place_editor_cursor(frame, &editor.area, inner);
        }
        _ => {
            let text = if visit.minutes.is_empty() {
                vec![Line::styled(
                    msg::NO_MINUTES_MARK,
                    Style::new().fg(theme().dim),
                )]
            } else {
                widgets::paragraph_lines(&visit.minutes)
            };
            widgets::detail(frame, minutes_area, msg::LABEL_MINUTES.get(), text);
        }
    }
    draw_items(frame, app, screen, items_area);
}

/// Puts the terminal cursor where the editor draws its own, for input methods.
pub fn place_editor_cursor(frame: &mut Frame, area: &ratatui_textarea::TextArea, inner: Rect) {
    let cursor = area.screen_cursor();
    let (top, left_col) = area.scroll_offset();
    let row = cursor.row.saturating_sub(usize::from(top));
    let col = cursor.col.saturating_sub(usize::from(left_col));
    if row < usize::from(inner.height) && col <= usize::from(inner.width) {
        frame.set_cursor_position(Position::new(inner.x + col as u16, inner.y + row as u16));
    }
}

fn draw_items(frame: &mut Frame, app: &App, screen: &VisitScreen, area: Rect) {
    let inner = area.width.saturating_sub(2);
    let w = usize::from(inner);
    let today = app.today();
    let capture_rows = if screen.capture.is_some() { 2 } else { 0 };
    let height = usize::from(area.height.saturating_sub(2)).saturating_sub(capture_rows);
    let mut lines: Vec<Line> = Vec::new();
    if screen.issues.is_empty() {
        lines.push(Line::styled(
            msg::NO_ITEMS_YET,
            Style::new().fg(theme().dim),
        ));
    }
    let top = (screen.cursor.selected + 1).saturating_sub(height);
    for (i, issue) in screen.issues.iter().enumerate().skip(top).take(height) {
        let overdue = issue.is_overdue(today);
        let text = format!(
            "{} {} {} {}",
            crate::text::fit_right(&format!("#{}", issue.number), 6),
            fit(msg::status(issue.status), 11),
            if overdue { msg::OVERDUE_MARK } else { " " },
            issue.title
        );
        let line = Line::raw(fit(&text, w));
        let focused = app.mode() != Mode::Capture;
        lines.push(if i == screen.cursor.selected && focused {
            widgets::highlight(line, inner)
        } else {
            line
        });
    }
    let title = format!("{} ({})", msg::VISIT_ITEMS, screen.issues.len());
    frame.render_widget(Paragraph::new(lines).block(widgets::block(&title)), area);
    if let Some(capture) = &screen.capture {
        // The hint wraps rather than being cut in a narrow panel.
        let hints: Vec<Line> = widgets::wrap_line(Line::raw(msg::CAPTURE_HINT), w)
            .into_iter()
            .map(|l| l.style(Style::new().fg(theme().dim)))
            .collect();
        let rows = 1 + hints.len() as u16;
        let y = (area.y + area.height.saturating_sub(1 + rows)).max(area.y + 1);
        let room = w.saturating_sub(width(msg::CAPTURE_PROMPT.get())).max(2);
        let (shown, column) = widgets::input_view(capture, room);
        let line = Line::from(vec![
            Span::styled(
                msg::CAPTURE_PROMPT,
                Style::new().fg(theme().warn).add_modifier(Modifier::BOLD),
            ),
            Span::styled(fit(&shown, room), theme().on(theme().bright, theme().dim)),
        ]);
        let rect = Rect {
            x: area.x + 1,
            y,
            width: inner,
            height: rows.min(area.bottom().saturating_sub(1 + y)),
        };
        let mut all = vec![line];
        all.extend(hints);
        frame.render_widget(Paragraph::new(all), rect);
        if app.mode() == Mode::Capture {
            let x = area.x + 1 + width(msg::CAPTURE_PROMPT.get()) as u16 + column as u16;
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}
