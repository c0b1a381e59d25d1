//! The form and confirmation popups.

use super::widgets;
use crate::app::{App, Confirm, Form};
use crate::messages as msg;
use crate::text::{fit, width};
use crate::ui::theme::theme;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const LABEL_WIDTH: usize = 12;

/// Each field on its own line, its problem (if any) on the next; the terminal cursor is put
/// at the focused field's display column, where an input method expects it.
/// `keys`: the form's keys in a line, from the live table.
pub fn draw_form(frame: &mut Frame, form: &Form, keys: &str) {
    let screen = frame.area();
    // As wide as its title needs (the close form's is long), within the screen.
    let width = screen
        .width
        .saturating_sub(4)
        .min((width(form.title()) as u16 + 6).max(76));
    // The focused field's candidates (the firms a name matches) take a line each, as many
    // as the screen has room for beside the form's own lines.
    let spare = usize::from(screen.height).saturating_sub(form.fields.len() * 2 + 3);
    let candidates = |i: usize| {
        let field = &form.fields[i];
        if i == form.focus && field.choices.len() > 1 {
            field.choices.len().min(spare)
        } else {
            0
        }
    };
    let input_width = usize::from(width.saturating_sub(2)).saturating_sub(LABEL_WIDTH + 1);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_style = if focused {
            Style::new().fg(theme().accent).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme().muted)
        };
        let (shown, column) = widgets::input_view(&field.input, input_width);
        let input_style = match (focused, field.replaced_by_typing()) {
            // Typing replaces it: shown selected (reversed, which reads without colour).
            (true, true) => Style::new().add_modifier(Modifier::REVERSED),
            (true, false) => theme().on(theme().bright, theme().dim),
            (false, _) => Style::new(),
        };
        if focused {
            cursor = Some((LABEL_WIDTH + 1 + column, lines.len()));
        }
        lines.push(Line::from(vec![
            Span::styled(fit(field.label, LABEL_WIDTH), label_style),
            Span::raw(" "),
            Span::styled(fit(&shown, input_width), input_style),
        ]));
        let pad = " ".repeat(LABEL_WIDTH + 1);
        // Under a field that names several firms: each, the chosen one marked (↑↓ choose).
        let shown = candidates(i);
        if shown > 0 {
            // The window of candidates keeps the chosen one in view.
            let start = (field.chosen + 1).saturating_sub(shown);
            for (n, (_, name)) in field.choices.iter().enumerate().skip(start).take(shown) {
                let chosen = n == field.chosen;
                let text = format!("{} {}", if chosen { "›" } else { " " }, name);
                let style = if chosen {
                    Style::new().fg(theme().ok).add_modifier(Modifier::BOLD)
                } else {
                    Style::new().fg(theme().muted)
                };
                lines.push(Line::styled(
                    format!("{pad}{}", crate::text::truncate(&text, input_width)),
                    style,
                ));
            }
        }
        // Under the field: its problem, else what the text will be saved as.
        // A long problem or reading wraps under the field instead of being cut.
        let note = match (&field.error, &field.hint) {
            (Some(error), _) => Some((error, Style::new().fg(theme().error))),
            (None, Some(hint)) => Some((hint, Style::new().fg(theme().ok))),
            (None, None) => None,
        };
        match note {
            Some((text, style)) => {
                for row in widgets::wrap_line(Line::raw(text.clone()), input_width) {
                    lines.push(Line::styled(format!("{pad}{row}"), style));
                }
            }
            None => lines.push(Line::raw("")),
        }
    }
    lines.push(Line::styled(keys.to_string(), Style::new().fg(theme().dim)));
    let height = (lines.len() as u16 + 2).min(screen.height);
    let area = widgets::centered(screen, width, height);
    widgets::clear_popup(frame, area);
    frame.render_widget(
        Paragraph::new(lines).block(widgets::block(form.title())),
        area,
    );
    if let Some((x, y)) = cursor {
        frame.set_cursor_position(Position::new(area.x + 1 + x as u16, area.y + 1 + y as u16));
    }
}

/// A result of several lines (an import's bad rows): a popup to scroll through.
pub fn draw_report(frame: &mut Frame, report: &crate::app::Report) {
    let screen = frame.area();
    let longest = report.lines.iter().map(|l| width(l)).max().unwrap_or(0);
    let width = (longest.max(width(&report.title)) as u16 + 4)
        .clamp(30, screen.width.saturating_sub(4).max(30));
    let rows = report.lines.len().clamp(1, report.cursor.height) as u16;
    let area = widgets::centered(screen, width, rows + 4);
    widgets::clear_popup(frame, area);
    let inner = area.width.saturating_sub(2);
    let range = report.cursor.visible_range();
    let mut lines: Vec<Line> = report.lines[range.clone()]
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let line = Line::raw(crate::text::truncate(text, usize::from(inner)));
            if range.start + i == report.cursor.selected {
                widgets::highlight(line, inner)
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "{} · {}/{}",
            msg::REPORT_KEYS,
            report.cursor.selected + 1,
            report.lines.len()
        ),
        Style::new().fg(theme().dim),
    ));
    frame.render_widget(
        Paragraph::new(lines).block(widgets::block(&report.title)),
        area,
    );
}

pub fn draw_confirm(frame: &mut Frame, confirm: &Confirm) {
    let screen = frame.area();
    let width =
        (width(&confirm.question) as u16 + 4).clamp(30, screen.width.saturating_sub(4).max(30));
    let inner = usize::from(width.saturating_sub(2));
    // A long question wraps rather than being cut.
    let mut lines = widgets::wrap_line(Line::raw(confirm.question.clone()), inner);
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        msg::CONFIRM_KEYS,
        Style::new().fg(theme().warn),
    ));
    let area = widgets::centered(screen, width, lines.len() as u16 + 2);
    widgets::clear_popup(frame, area);
    frame.render_widget(
        Paragraph::new(lines).block(widgets::block(msg::MODE_CONFIRM.get())),
        Rect { ..area },
    );
}

pub fn draw(frame: &mut Frame, app: &App) {
    if let Some(form) = app.form() {
        let keys = app.keys.line(
            crate::app::keymap::Scope::Form,
            &["next_field", "save", "cancel"],
        );
        draw_form(frame, form, &keys);
    }
    if let Some(confirm) = app.confirm() {
        draw_confirm(frame, confirm);
    }
}
