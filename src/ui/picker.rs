use super::widgets;
use crate::app::{PickPurpose, Picker};
use crate::messages as msg;
use crate::text::{fit, width};
use crate::ui::theme::theme;
use ratatui::layout::Position;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// A picker as a popup: the query on top, the options under it.
pub fn draw(frame: &mut Frame, picker: &Picker) {
    let screen = frame.area();
    let rows = picker.shown.len().clamp(1, picker.cursor.height) as u16;
    let area = widgets::centered(screen, 56, rows + 5);
    widgets::clear_popup(frame, area);
    let title = match picker.purpose {
        PickPurpose::Department => msg::PICK_DEPARTMENT,
        PickPurpose::Priority => msg::PICK_PRIORITY,
        PickPurpose::Category => msg::PICK_CATEGORY,
        PickPurpose::Status => msg::PICK_STATUS,
        PickPurpose::View => msg::PICK_VIEW,
        PickPurpose::Lists => msg::PICK_LISTS,
        PickPurpose::ListAction => msg::PICK_LIST_ACTION,
        PickPurpose::MergeInto => msg::PICK_MERGE_INTO,
        PickPurpose::Verdict => msg::PICK_VERDICT,
        PickPurpose::Conflict => msg::PICK_CONFLICT,
    };
    let inner = usize::from(area.width.saturating_sub(2));
    let (query, column) = widgets::input_view(&picker.query, inner.saturating_sub(3));
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", Style::new().fg(theme().warn)),
        Span::raw(fit(&query, inner.saturating_sub(2))),
    ])];
    let label_width = label_width(picker, inner);
    let range = picker.cursor.visible_range();
    for (i, index) in picker.shown[range.clone()].iter().enumerate() {
        let option = &picker.options[*index];
        let label = fit(&option.label, label_width);
        let line = Line::from(vec![
            Span::raw(format!(" {label} ")),
            Span::styled(
                fit(&option.hint, inner.saturating_sub(label_width + 3)),
                Style::new().fg(theme().dim),
            ),
        ]);
        lines.push(if range.start + i == picker.cursor.selected {
            widgets::highlight(line, area.width.saturating_sub(2))
        } else {
            line
        });
    }
    lines.push(Line::styled(msg::PICK_KEYS, Style::new().fg(theme().dim)));
    frame.render_widget(
        Paragraph::new(lines).block(widgets::block(title.get())),
        area,
    );
    frame.set_cursor_position(Position::new(area.x + 3 + column as u16, area.y + 1));
}

/// The options' names take at least 16 columns, more when a name is longer and the hints
/// leave room (a hint keeps at least half of the line), so "Answered, not closed" is read
/// whole.
fn label_width(picker: &Picker, inner: usize) -> usize {
    let room = inner.saturating_sub(3);
    let longest = |text: fn(&crate::app::PickOption) -> &str| {
        picker
            .options
            .iter()
            .map(|o| width(text(o)))
            .max()
            .unwrap_or(0)
    };
    let hints = longest(|o| &o.hint).min(room / 2);
    longest(|o| &o.label)
        .min(room.saturating_sub(hints))
        .max(16)
        .min(room)
}
