use super::widgets::{self, col, Column};
use crate::app::App;
use crate::messages as msg;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::Frame;

const COLUMNS: [Column; 4] = [
    col(msg::COL_NAME, 0),
    col(msg::COL_SECTOR, 12),
    col(msg::COL_PARK, 14),
    col(msg::COL_TAGS, 18),
];

pub fn draw(frame: &mut Frame, app: &App, list: Rect, detail: Rect) {
    let state = &app.firms;
    if state.firms.is_empty() {
        widgets::empty_state(frame, list, msg::TAB_FIRMS, msg::EMPTY_FIRMS);
        widgets::detail(
            frame,
            detail,
            msg::DETAIL,
            vec![Line::raw(msg::NOTHING_SELECTED)],
        );
        return;
    }
    let widths = widgets::widths(&COLUMNS, list.width.saturating_sub(2));
    let range = state.cursor.visible_range();
    let lines = state.firms[range.clone()]
        .iter()
        .map(|firm| {
            widgets::row(
                &COLUMNS,
                &widths,
                vec![
                    (firm.name.clone(), Style::new()),
                    (firm.sector.clone(), Style::new()),
                    (firm.park.clone(), Style::new()),
                    (firm.tags.join(" "), Style::new()),
                ],
            )
        })
        .collect();
    let title = format!("{} ({})", msg::TAB_FIRMS, state.firms.len());
    widgets::table(
        frame,
        list,
        &title,
        widgets::header(&COLUMNS, &widths),
        lines,
        Some(state.cursor.selected - range.start),
    );
    draw_card(frame, app, detail);
}

fn draw_card(frame: &mut Frame, app: &App, area: Rect) {
    let Some(firm) = app.firms.firms.get(app.firms.cursor.selected) else {
        widgets::detail(
            frame,
            area,
            msg::DETAIL,
            vec![Line::raw(msg::NOTHING_SELECTED)],
        );
        return;
    };
    let mut lines = vec![
        widgets::heading(&firm.name),
        widgets::field(msg::LABEL_SHORT_NAME, firm.short_name.clone()),
        widgets::field(msg::LABEL_SECTOR, firm.sector.clone()),
        widgets::field(msg::LABEL_PARK, firm.park.clone()),
        widgets::field(msg::LABEL_ADDRESS, firm.address.clone()),
        widgets::field(msg::LABEL_TAGS, firm.tags.join(" · ")),
    ];
    if let Some(summary) = app.firms.detail.as_ref().filter(|d| d.firm == firm.id) {
        let last = summary.last_visit.map(|t| t.format("%Y-%m-%d").to_string());
        lines.push(widgets::field(
            msg::LABEL_VISITS,
            msg::visit_counts(summary.visits, summary.planned, last.as_deref()),
        ));
        lines.push(widgets::field(
            msg::LABEL_ITEMS,
            msg::item_counts(summary.items, summary.open_items),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(widgets::heading(msg::LABEL_CONTACTS));
    if firm.contacts.is_empty() {
        lines.push(Line::raw(format!("  {}", msg::NO_CONTACTS)));
    }
    for contact in &firm.contacts {
        let parts: Vec<&str> = [
            contact.name.as_str(),
            contact.title.as_str(),
            contact.phone.as_str(),
            contact.email.as_str(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
        lines.push(Line::raw(format!(
            "  {}",
            crate::text::truncate(&parts.join("  "), usize::MAX)
        )));
    }
    if !firm.notes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(widgets::heading(msg::LABEL_NOTES));
        lines.extend(widgets::paragraph_lines(&firm.notes));
    }
    widgets::detail(frame, area, msg::DETAIL, lines);
}
