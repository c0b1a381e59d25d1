use super::widgets::{self, col, Column};
use crate::app::{App, FirmCard, Mode};
use crate::messages as msg;
use crate::model::{Firm, Status};
use crate::ui::theme::theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const COLUMNS: [Column; 4] = [
    col(msg::COL_NAME, 0),
    col(msg::COL_SECTOR, 12),
    col(msg::COL_PARK, 14),
    col(msg::COL_TAGS, 18),
];

/// How many of the list's columns to show so that names are whole where there is room: the
/// tags go first, then the park (the summary beside the list repeats both).
fn name_room(state: &crate::app::FirmsState, inner: u16) -> usize {
    let longest = state.longest_shown.min(40);
    (2..=COLUMNS.len())
        .rev()
        .find(|n| {
            let others: usize = COLUMNS[1..*n]
                .iter()
                .map(|c| usize::from(c.width) + 1)
                .sum();
            usize::from(inner).saturating_sub(others) >= longest
        })
        .unwrap_or(2)
}

pub fn draw(frame: &mut Frame, app: &App, list: Rect, detail: Rect) {
    if let Some(card) = &app.firms.card {
        let body = list.union(detail);
        draw_card(frame, app, card, body);
        return;
    }
    let state = &app.firms;
    if state.all.is_empty() {
        widgets::empty_state(frame, list, msg::TAB_FIRMS.get(), msg::EMPTY_FIRMS.get());
        widgets::no_detail(frame, detail);
        return;
    }
    let inner = list.width.saturating_sub(2);
    let columns = &COLUMNS[..name_room(state, inner)];
    let widths = widgets::widths(columns, inner);
    let range = state.cursor.visible_range();
    let lines = state.shown[range.clone()]
        .iter()
        .map(|(index, hit)| {
            let firm = &state.all[*index];
            let base = if firm.archived {
                Style::new().fg(theme().dim)
            } else {
                Style::new()
            };
            let positions = hit.as_ref().map(|h| h.positions.as_slice()).unwrap_or(&[]);
            let mut spans = widgets::marked_cell(
                &firm.name,
                positions,
                widths[0],
                base,
                widgets::mark_style(),
            );
            let mut cells: Vec<String> =
                [firm.sector.clone(), firm.park.clone(), firm.tags.join(" ")]
                    .into_iter()
                    .take(widths.len() - 1)
                    .collect();
            // An archived firm says so in the last column shown, whichever that is.
            if firm.archived {
                if let Some(last) = cells.last_mut() {
                    *last = format!("[{}] {last}", msg::ARCHIVED_MARK);
                }
            }
            for (text, w) in cells.iter().zip(widths.iter().skip(1).copied()) {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(crate::text::fit(text, w), base));
            }
            Line::from(spans)
        })
        .collect::<Vec<_>>();
    let searching = app.mode() == Mode::Search;
    let title = if state.is_filtered() || searching {
        format!(
            " {} {} ",
            msg::TAB_FIRMS,
            msg::matches(state.shown.len(), state.searchable())
        )
    } else {
        format!(" {} ({}) ", msg::TAB_FIRMS, state.shown.len())
    };
    let (block, cursor) = widgets::query_block(
        list,
        &title,
        msg::SEARCH_PROMPT,
        &state.query,
        searching,
        state.is_filtered(),
        false,
    );
    let selected = state
        .cursor
        .selected
        .checked_sub(range.start)
        .filter(|_| !state.shown.is_empty());
    widgets::table_in(
        frame,
        list,
        block,
        widgets::header(columns, &widths),
        lines,
        selected,
    );
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
    if state.shown.is_empty() {
        let inner = Rect {
            y: list.y + 2,
            height: 1,
            x: list.x + 1,
            width: list.width.saturating_sub(2),
        };
        frame.render_widget(Paragraph::new(format!("  {}", msg::NO_MATCH)), inner);
    }
    match state.selected() {
        Some(firm) => draw_summary(frame, app, firm, detail),
        None => widgets::detail(
            frame,
            detail,
            msg::DETAIL.get(),
            vec![Line::raw(if searching {
                msg::SEARCH_HINT
            } else {
                msg::NOTHING_SELECTED
            })],
        ),
    }
}

fn info_lines(firm: &Firm) -> Vec<Line<'static>> {
    let mut lines = vec![
        widgets::heading(&firm.name),
        widgets::field(msg::LABEL_SHORT_NAME.get(), firm.short_name.clone()),
        widgets::field(msg::LABEL_SECTOR.get(), firm.sector.clone()),
        widgets::field(msg::LABEL_PARK.get(), firm.park.clone()),
        widgets::field(msg::LABEL_ADDRESS.get(), firm.address.clone()),
        widgets::field(msg::LABEL_TAGS.get(), firm.tags.join(" · ")),
    ];
    if firm.archived {
        lines.push(Line::styled(
            format!("[{}]", msg::ARCHIVED_MARK),
            Style::new().fg(theme().warn),
        ));
    }
    lines
}

fn draw_summary(frame: &mut Frame, app: &App, firm: &Firm, area: Rect) {
    let mut lines = info_lines(firm);
    if let Some(summary) = app.firms.detail.as_ref().filter(|d| d.firm == firm.id) {
        let last = summary.last_visit.map(|t| t.format("%Y-%m-%d").to_string());
        lines.push(widgets::field(
            msg::LABEL_VISITS.get(),
            msg::visit_counts(summary.visits, summary.planned, last.as_deref()),
        ));
        lines.push(widgets::field(
            msg::LABEL_ITEMS.get(),
            msg::item_counts(
                summary.items,
                summary.open_items,
                app.issues
                    .tally
                    .overdue_by_firm
                    .get(&firm.id)
                    .copied()
                    .unwrap_or(0),
            ),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(widgets::heading(msg::LABEL_CONTACTS.get()));
    if firm.contacts.is_empty() {
        lines.push(Line::raw(format!("  {}", msg::NO_CONTACTS)));
    }
    // Who on one line, how to reach them on the next: a narrow panel wraps a long line
    // without its indent, which made an email look like a new contact.
    for contact in &firm.contacts {
        let join = |parts: [&str; 2]| {
            parts
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("  ")
        };
        lines.push(Line::raw(format!(
            "  {}",
            join([contact.name.as_str(), contact.title.as_str()])
        )));
        let reach = join([contact.phone.as_str(), contact.email.as_str()]);
        if !reach.is_empty() {
            lines.push(Line::raw(format!("    {reach}")));
        }
    }
    if !firm.notes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(widgets::heading(msg::LABEL_NOTES.get()));
        lines.extend(widgets::paragraph_lines(&firm.notes));
    }
    widgets::detail(frame, area, msg::DETAIL.get(), lines);
}

/// The card: the firm on the left; its contacts, visits and items on the right as one list
/// that the cursor moves through.
fn draw_card(frame: &mut Frame, app: &App, card: &FirmCard, area: Rect) {
    let Some(firm) = app.firm(card.firm) else {
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(area);
    let mut info = info_lines(firm);
    if !firm.notes.is_empty() {
        info.push(Line::raw(""));
        info.push(widgets::heading(msg::LABEL_NOTES.get()));
        info.extend(widgets::paragraph_lines(&firm.notes));
    }
    info.push(Line::raw(""));
    info.push(Line::styled(msg::CARD_KEYS, Style::new().fg(theme().dim)));
    widgets::detail(frame, left, msg::CARD_INFO.get(), info);

    let inner_width = right.width.saturating_sub(2);
    let w = usize::from(inner_width);
    let today = app.today();
    let offset = app.now.offset();
    // (line, index of the card row it shows, if any)
    let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
    let mut index = 0;
    lines.push((
        widgets::heading(&format!(
            "{} ({})",
            msg::LABEL_CONTACTS,
            firm.contacts.len()
        )),
        None,
    ));
    if firm.contacts.is_empty() {
        lines.push((Line::raw(format!("  {}", msg::NO_CONTACTS)), None));
    }
    for contact in &firm.contacts {
        let text = format!(
            "  {} {} {} {}",
            crate::text::fit(&contact.name, 10),
            crate::text::fit(&contact.title, 14),
            crate::text::fit(&contact.phone, 16),
            contact.email
        );
        lines.push((Line::raw(crate::text::fit(&text, w)), Some(index)));
        index += 1;
    }
    lines.push((Line::raw(""), None));
    lines.push((
        widgets::heading(&format!("{} ({})", msg::CARD_VISITS, card.visits.len())),
        None,
    ));
    if card.visits.is_empty() {
        lines.push((Line::raw(format!("  {}", msg::NO_VISITS)), None));
    }
    for visit in &card.visits {
        let text = format!(
            "  {} {} {}",
            msg::moment_with_weekday(visit.start.with_timezone(offset).naive_local()),
            crate::text::fit(msg::visit_status(visit.status), 9),
            visit.purpose
        );
        lines.push((Line::raw(crate::text::fit(&text, w)), Some(index)));
        index += 1;
    }
    lines.push((Line::raw(""), None));
    lines.push((
        widgets::heading(&format!("{} ({})", msg::CARD_ITEMS, card.issues.len())),
        None,
    ));
    if card.issues.is_empty() {
        lines.push((Line::raw(format!("  {}", msg::NO_ITEMS)), None));
    }
    for issue in &card.issues {
        let overdue = issue.is_overdue(today);
        let style = if overdue {
            Style::new().fg(theme().error)
        } else if issue.status == Status::Closed {
            Style::new().fg(theme().muted)
        } else {
            Style::new()
        };
        let text = format!(
            "  {} {} {} {} {}",
            crate::text::fit_right(&format!("#{}", issue.number), 6),
            crate::text::fit(msg::status(issue.status), 11),
            crate::text::fit(&issue.due.map(|d| d.to_string()).unwrap_or_default(), 10),
            if overdue { msg::OVERDUE_MARK } else { " " },
            issue.title
        );
        lines.push((Line::styled(crate::text::fit(&text, w), style), Some(index)));
        index += 1;
    }
    let height = usize::from(right.height.saturating_sub(2));
    let visible = widgets::scrolled(lines, Some(card.cursor.selected), height, inner_width, 0);
    frame.render_widget(
        Paragraph::new(visible).block(widgets::block(&firm.name)),
        right,
    );
}
