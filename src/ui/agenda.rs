use super::widgets::{self, col, Column};
use crate::app::App;
use crate::messages as msg;
use crate::model::VisitStatus;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::Frame;

const COLUMNS: [Column; 5] = [
    col("", 1),
    col(msg::COL_WHEN, 20),
    col(msg::COL_FIRM, 0),
    col(msg::COL_LEAD, 14),
    col(msg::COL_STATUS, 9),
];

pub fn draw(frame: &mut Frame, app: &App, list: Rect, detail: Rect) {
    let agenda = &app.agenda;
    if agenda.ids.is_empty() {
        widgets::empty_state(frame, list, msg::TAB_AGENDA, msg::EMPTY_AGENDA);
        widgets::detail(
            frame,
            detail,
            msg::DETAIL,
            vec![Line::raw(msg::NOTHING_SELECTED)],
        );
        return;
    }
    let widths = widgets::widths(&COLUMNS, list.width.saturating_sub(2));
    let today = app.today();
    let offset = app.now.offset();
    let lines = agenda
        .visible()
        .map(|(_, _, visit)| {
            let Some(visit) = visit else {
                return widgets::row(
                    &COLUMNS,
                    &widths,
                    vec![
                        (String::new(), Style::new()),
                        (msg::LOADING.into(), Style::new()),
                    ],
                );
            };
            let start = visit.start.with_timezone(offset);
            let day = start.date_naive();
            let (mark, style) = if day == today {
                (msg::TODAY_MARK, Style::new().add_modifier(Modifier::BOLD))
            } else if day < today {
                ("", Style::new().fg(Color::Gray))
            } else {
                ("", Style::new())
            };
            let status_style = match visit.status {
                VisitStatus::Planned => Style::new().fg(Color::Green),
                VisitStatus::Done => Style::new().fg(Color::Gray),
                VisitStatus::Cancelled => Style::new()
                    .fg(Color::DarkGray)
                    .add_modifier(Modifier::CROSSED_OUT),
            };
            widgets::row(
                &COLUMNS,
                &widths,
                vec![
                    (mark.to_string(), style),
                    (start.format("%Y-%m-%d %a %H:%M").to_string(), style),
                    (app.firm_name(visit.firm).to_string(), style),
                    (visit.lead.clone(), style),
                    (msg::visit_status(visit.status).to_string(), status_style),
                ],
            )
        })
        .collect();
    let title = format!("{} ({})", msg::TAB_AGENDA, agenda.ids.len());
    widgets::table(
        frame,
        list,
        &title,
        widgets::header(&COLUMNS, &widths),
        lines,
        Some(agenda.cursor.selected - agenda.cursor.visible_range().start),
    );
    draw_visit(frame, app, detail);
}

fn draw_visit(frame: &mut Frame, app: &App, area: Rect) {
    let Some(visit) = app.agenda.selected() else {
        widgets::detail(
            frame,
            area,
            msg::DETAIL,
            vec![Line::raw(msg::NOTHING_SELECTED)],
        );
        return;
    };
    let start = visit.start.with_timezone(app.now.offset());
    let end = visit.end().with_timezone(app.now.offset());
    let mut lines = vec![
        widgets::heading(app.firm_name(visit.firm)),
        widgets::field(
            msg::LABEL_WHEN,
            format!(
                "{}–{}",
                start.format("%Y-%m-%d %a %H:%M"),
                end.format("%H:%M")
            ),
        ),
        widgets::field(msg::LABEL_STATUS, msg::visit_status(visit.status)),
        widgets::field(msg::LABEL_LOCATION, visit.location.clone()),
        widgets::field(msg::LABEL_LEAD, visit.lead.clone()),
        widgets::field(msg::LABEL_ATTENDEES, visit.attendees.join("、")),
        widgets::field(msg::LABEL_PURPOSE, visit.purpose.clone()),
    ];
    if !visit.minutes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(widgets::heading(msg::LABEL_MINUTES));
        lines.extend(widgets::paragraph_lines(&visit.minutes));
    }
    widgets::detail(frame, area, msg::DETAIL, lines);
}
