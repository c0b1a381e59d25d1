use super::widgets;
use crate::app::keymap::{self, Binding};
use crate::app::App;
use crate::messages as msg;
use crate::text::fit;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

fn lines_for<'a>(bindings: impl Iterator<Item = &'a Binding>) -> Vec<Line<'static>> {
    bindings
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    format!("  {}", fit(b.label, 16)),
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
    lines.extend(lines_for(keymap::tab_bindings(app).into_iter()));
    if app.tab == crate::app::Tab::Firms && app.firms.card.is_none() {
        lines.push(Line::raw(""));
        lines.push(widgets::heading(msg::HELP_SEARCHING));
        lines.extend(lines_for(keymap::SEARCH.iter().take(2)));
        lines.push(widgets::heading(msg::HELP_IN_FORM));
        lines.extend(lines_for(keymap::FORM.iter()));
    }
    if app.tab == crate::app::Tab::Agenda {
        lines.push(Line::raw(""));
        lines.push(widgets::heading(msg::HELP_MEETING));
        lines.extend(lines_for(keymap::CAPTURE.iter()));
        lines.push(widgets::heading(msg::HELP_MINUTES));
        lines.push(Line::raw(format!("  {}", msg::MINUTES_KEYS)));
    }
    lines.push(Line::raw(""));
    lines.push(widgets::heading(msg::HELP_GLOBAL));
    // The tab numbers on one line: four lines of them would push other keys off the screen.
    let go_to = |b: &&Binding| matches!(b.action, crate::app::Action::GoTo(_));
    let mut global = lines_for(keymap::GLOBAL.iter().filter(|b| !go_to(b)));
    let tabs: Vec<&str> = keymap::GLOBAL
        .iter()
        .filter(go_to)
        .map(|b| b.help)
        .collect();
    let numbers: Vec<&str> = keymap::GLOBAL
        .iter()
        .filter(go_to)
        .map(|b| b.label)
        .collect();
    let first = numbers.first().copied().unwrap_or_default();
    let last = numbers.last().copied().unwrap_or_default();
    global.insert(
        2.min(global.len()),
        Line::from(vec![
            Span::styled(
                format!("  {}", fit(&format!("{first}-{last}"), 16)),
                Style::new().fg(Color::Yellow),
            ),
            Span::raw(tabs.join(" · ")),
        ]),
    );
    lines.extend(global);
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("  {}", msg::HELP_FOOTER),
        Style::new().fg(Color::DarkGray),
    ));
    // On a short screen the blank separators go first, so the global keys stay in view.
    if lines.len() as u16 + 2 > frame.area().height {
        lines.retain(|l| l.width() > 0);
    }
    let height = (lines.len() as u16 + 2).min(frame.area().height);
    // As wide as the longest description needs, so none is cut where the screen has room.
    let widest = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 3;
    let width = widest.clamp(40, frame.area().width.saturating_sub(2).max(40));
    let area = widgets::centered(frame.area(), width, height);
    widgets::clear_popup(frame, area);
    frame.render_widget(
        Paragraph::new(lines).block(widgets::block(msg::HELP_TITLE)),
        area,
    );
}
