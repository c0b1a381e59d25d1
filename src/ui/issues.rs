use super::widgets::{self, col, Column};
use crate::app::App;
use crate::messages as msg;
use crate::model::{Change, IssueEvent, Priority, Status};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::Frame;

const WIDE: [Column; 8] = columns(14, 12);
/// Under 100 columns the firm and department give room to the title.
const NARROW: [Column; 8] = columns(8, 8);

const fn columns(firm: u16, department: u16) -> [Column; 8] {
    [
        widgets::col_right(msg::COL_NUMBER, 6),
        col(msg::COL_FIRM, firm),
        col(msg::COL_TITLE, 0),
        col(msg::COL_DEPARTMENT, department),
        col(msg::COL_PRIORITY, 6),
        col(msg::COL_DUE, 10),
        col("", 1),
        col(msg::COL_STATUS, 11),
    ]
}

fn priority_style(p: Priority) -> Style {
    match p {
        Priority::Urgent => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Priority::High => Style::new().fg(Color::Yellow),
        Priority::Normal => Style::new(),
        Priority::Low => Style::new().fg(Color::Gray),
    }
}

pub fn draw(frame: &mut Frame, app: &App, list: Rect, detail: Rect) {
    let issues = &app.issues;
    if issues.ids.is_empty() {
        widgets::empty_state(frame, list, msg::TAB_ISSUES, msg::EMPTY_ISSUES);
        widgets::detail(
            frame,
            detail,
            msg::DETAIL,
            vec![Line::raw(msg::NOTHING_SELECTED)],
        );
        return;
    }
    let inner = list.width.saturating_sub(2);
    let columns = if inner < 100 { &NARROW } else { &WIDE };
    let widths = widgets::widths(columns, inner);
    let today = app.today();
    let overdue_style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    let lines = issues
        .visible()
        .map(|(_, _, issue)| {
            let Some(issue) = issue else {
                return widgets::row(columns, &widths, vec![(msg::LOADING.into(), Style::new())]);
            };
            let overdue = issue.is_overdue(today);
            let closed = issue.status == Status::Closed;
            let base = if closed {
                Style::new().fg(Color::Gray)
            } else {
                Style::new()
            };
            let firm = app
                .firm(issue.firm)
                .map(|f| f.display_name().to_string())
                .unwrap_or_else(|| "?".into());
            widgets::row(
                columns,
                &widths,
                vec![
                    (format!("#{}", issue.number), base),
                    (firm, base),
                    (issue.title.clone(), base),
                    (
                        app.department_name(issue.department)
                            .unwrap_or(msg::NONE)
                            .to_string(),
                        base,
                    ),
                    (
                        msg::priority(issue.priority).to_string(),
                        if closed {
                            base
                        } else {
                            priority_style(issue.priority)
                        },
                    ),
                    (
                        issue.due.map(|d| d.to_string()).unwrap_or_default(),
                        if overdue { overdue_style } else { base },
                    ),
                    (
                        if overdue { msg::OVERDUE_MARK } else { "" }.to_string(),
                        overdue_style,
                    ),
                    (msg::status(issue.status).to_string(), base),
                ],
            )
        })
        .collect();
    let title = format!("{} ({})", msg::TAB_ISSUES, issues.ids.len());
    widgets::table(
        frame,
        list,
        &title,
        widgets::header(columns, &widths),
        lines,
        Some(issues.cursor.selected - issues.cursor.visible_range().start),
    );
    draw_issue(frame, app, detail);
}

fn event_text(app: &App, event: &IssueEvent) -> String {
    match &event.change {
        Change::Created => msg::EVENT_CREATED.to_string(),
        Change::Department { to, .. } => {
            msg::event_department(app.department_name(*to).unwrap_or(msg::UNASSIGNED))
        }
        Change::Owner { to, .. } => msg::event_owner(to),
        Change::Priority { from, to } => msg::event_priority(*from, *to),
        Change::Due { to, .. } => msg::event_due(
            &to.map(|d| d.to_string())
                .unwrap_or_else(|| msg::NONE.into()),
        ),
        Change::Category { to, .. } => {
            msg::event_category(app.category_name(*to).unwrap_or(msg::NONE))
        }
        Change::Response { text, to_firm } => msg::event_response(text, *to_firm),
        Change::Status { from, to, .. } => msg::event_status(*from, *to),
    }
}

fn draw_issue(frame: &mut Frame, app: &App, area: Rect) {
    let Some(issue) = app.issue_detail.issue.as_ref() else {
        widgets::detail(
            frame,
            area,
            msg::DETAIL,
            vec![Line::raw(msg::NOTHING_SELECTED)],
        );
        return;
    };
    let today = app.today();
    let mut due = issue.due.map(|d| d.to_string()).unwrap_or_default();
    if let (true, Some(d)) = (issue.is_overdue(today), issue.due) {
        due = format!("{due}  {}", msg::overdue_by((today - d).num_days()));
    }
    let mut lines = vec![
        widgets::heading(&format!("#{} {}", issue.number, issue.title)),
        widgets::field(msg::LABEL_FIRM, app.firm_name(issue.firm).to_string()),
        widgets::field(msg::LABEL_STATUS, msg::status(issue.status)),
        widgets::field(msg::LABEL_PRIORITY, msg::priority(issue.priority)),
        widgets::field(msg::LABEL_DUE, due),
        widgets::field(
            msg::LABEL_DEPARTMENT,
            app.department_name(issue.department)
                .unwrap_or(msg::UNASSIGNED),
        ),
        widgets::field(
            msg::LABEL_CATEGORY,
            app.category_name(issue.category).unwrap_or(""),
        ),
        widgets::field(msg::LABEL_OWNER, issue.owner.clone()),
        widgets::field(
            msg::LABEL_RAISED,
            issue
                .created
                .with_timezone(app.now.offset())
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        ),
    ];
    if !issue.detail.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(widgets::paragraph_lines(&issue.detail));
    }
    if let Some(resolution) = &issue.resolution {
        lines.push(Line::raw(""));
        lines.push(widgets::field(
            msg::LABEL_RESOLUTION,
            resolution.text.clone(),
        ));
    }
    let mut history = vec![widgets::heading(msg::LABEL_HISTORY)];
    for event in &app.issue_detail.events {
        let when = event
            .at
            .with_timezone(app.now.offset())
            .format("%Y-%m-%d %H:%M")
            .to_string();
        history.push(Line::raw(crate::text::truncate(
            &msg::history_line(&when, &event.author, &event_text(app, event)),
            usize::MAX,
        )));
    }
    // A wide, low panel reads best as two columns: the item, and its timeline.
    if area.width >= 100 && area.width > area.height * 4 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        widgets::detail(frame, left, msg::DETAIL, lines);
        widgets::detail(frame, right, msg::LABEL_HISTORY, history.split_off(1));
    } else {
        lines.push(Line::raw(""));
        lines.extend(history);
        widgets::detail(frame, area, msg::DETAIL, lines);
    }
}
