use super::widgets;
use crate::app::help::{self, HelpLine};
use crate::app::{App, Overlay};
use crate::messages as msg;
use crate::text::fit;
use crate::ui::theme::theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The keys of the current tab, then the global ones, from the live key table; scrolled as
/// far as `update` moved it.
pub fn draw(frame: &mut Frame, app: &App) {
    let all = help::lines(app);
    let scroll = match app.overlay {
        Overlay::Help { scroll } => scroll,
        _ => 0,
    };
    let lines: Vec<Line> = all
        .iter()
        .map(|line| match line {
            HelpLine::Heading(text) => widgets::heading(text),
            HelpLine::Key(keys, help) => Line::from(vec![
                Span::styled(
                    format!("  {}", fit(keys, help::KEYS_COLUMNS - 2)),
                    Style::new().fg(theme().warn),
                ),
                Span::raw(help.clone()),
            ]),
            HelpLine::Blank => Line::raw(""),
        })
        .collect();
    let shown =
        help::visible(app, lines.len()).min(usize::from(frame.area().height).saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(shown));
    let height = (shown as u16 + 2).min(frame.area().height);
    let width = help::width(app).min(frame.area().width);
    let area = widgets::centered(frame.area(), width, height);
    widgets::clear_popup(frame, area);
    // Where in the list the window is, when it does not hold it all.
    let title = if shown < lines.len() {
        format!(
            "{} {}-{}/{}",
            msg::HELP_TITLE,
            scroll + 1,
            scroll + shown,
            lines.len()
        )
    } else {
        msg::HELP_TITLE.to_string()
    };
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(widgets::block(&title)),
        area,
    );
}
