use super::widgets;
use crate::app::keymap::{self, Binding};
use crate::app::App;
use crate::messages as msg;
use crate::text::fit;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

fn lines_for<'a>(bindings: impl Iterator<Item = &'a Binding>) -> Vec<Line<'static>> {
    bindings
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    format!("  {}", fit(b.label, 14)),
                    Style::new().fg(Color::Yellow),
                ),
                Span::raw(b.help),
            ])
        })
        .collect()
}

/// The keys of the current tab, then the global ones, from the keymap itself.
pub fn draw(frame: &mut Frame, app: &App) {
    let mut lines = vec![widgets::heading(&msg::tab_help_heading(app.tab.title()))];
    lines.extend(lines_for(keymap::tab_bindings(app.tab).into_iter()));
    lines.push(Line::raw(""));
    lines.push(widgets::heading(msg::HELP_GLOBAL));
    lines.extend(lines_for(keymap::GLOBAL.iter()));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("  {}", msg::HELP_FOOTER),
        Style::new().fg(Color::DarkGray),
    ));
    let height = (lines.len() as u16 + 2).min(frame.area().height);
    let area = centered(frame.area(), 52, height);
    // Clearing a region whose edge cuts a wide character leaves half a glyph behind; the
    // popup is cleared one column wider on each side so the cut falls outside it.
    let clear = Rect {
        x: area.x.saturating_sub(1),
        width: (area.width + 2).min(frame.area().width.saturating_sub(area.x.saturating_sub(1))),
        ..area
    };
    frame.render_widget(Clear, clear);
    frame.render_widget(
        Paragraph::new(lines).block(widgets::block(msg::HELP_TITLE)),
        area,
    );
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}
