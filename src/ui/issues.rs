use super::widgets::{self, col, Column};
use crate::app::agenda::EditorPurpose;
use crate::app::keymap::Scope;
use crate::app::{App, Mode};
use crate::messages as msg;
use crate::model::{Change, IssueEvent, Priority, Status};
use crate::ui::theme::theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const WIDE: [Column; 9] = columns(14, 12);
/// Under 100 columns the firm and department give room to the title.
const NARROW: [Column; 9] = columns(8, 8);

/// Under 70 columns the department goes (the detail names it) so that the status stays
/// whole; the same cells as `columns`, less the fifth.
const TINY: [Column; 8] = [
    col(msg::BLANK, 1),
    widgets::col_right(msg::COL_NUMBER, 6),
    col(msg::COL_FIRM, 8),
    col(msg::COL_TITLE, 0),
    col(msg::COL_PRIORITY, 6),
    col(msg::COL_DUE, 10),
    col(msg::BLANK, 1),
    col(msg::COL_STATUS, 11),
];
/// The department's place among a row's cells, left out by `TINY`.
const DEPARTMENT_CELL: usize = 4;

const fn columns(firm: u16, department: u16) -> [Column; 9] {
    [
        col(msg::BLANK, 1),
        // Room for #1000000: a ledger of years reaches seven digits.
        widgets::col_right(msg::COL_NUMBER, 8),
        col(msg::COL_FIRM, firm),
        col(msg::COL_TITLE, 0),
        col(msg::COL_DEPARTMENT, department),
        col(msg::COL_PRIORITY, 6),
        col(msg::COL_DUE, 10),
        col(msg::BLANK, 1),
        col(msg::COL_STATUS, 11),
    ]
}

fn priority_style(p: Priority) -> Style {
    match p {
        Priority::Urgent => Style::new().fg(theme().error).add_modifier(Modifier::BOLD),
        Priority::High => Style::new().fg(theme().warn),
        Priority::Normal => Style::new(),
        Priority::Low => Style::new().fg(theme().muted),
    }
}

pub fn draw(frame: &mut Frame, app: &App, list: Rect, detail: Rect) {
    let queue = &app.issues;
    if !queue.loaded {
        let total = app.counts.issues();
        widgets::loading(
            frame,
            list,
            msg::TAB_ISSUES.get(),
            &msg::loading_items(total),
        );
        widgets::no_detail(frame, detail);
        return;
    }
    if queue.is_empty() {
        widgets::empty_state(frame, list, msg::TAB_ISSUES.get(), msg::EMPTY_ISSUES.get());
        widgets::no_detail(frame, detail);
        return;
    }
    let inner = list.width.saturating_sub(2);
    let columns: &[Column] = if inner < 70 {
        &TINY
    } else if inner < 100 {
        &NARROW
    } else {
        &WIDE
    };
    let widths = widgets::widths(columns, inner);
    let today = app.today();
    let overdue_style = Style::new().fg(theme().error).add_modifier(Modifier::BOLD);
    let range = queue.cursor.visible_range();
    let lines = queue
        .shown_rows_at(range.clone())
        .map(|row| {
            let overdue = row.is_overdue(today);
            let closed = row.status == Status::Closed;
            let base = if closed {
                Style::new().fg(theme().muted)
            } else {
                Style::new()
            };
            let firm = app
                .firm(row.firm)
                .map(|f| f.display_name().to_string())
                .unwrap_or_else(|| "?".into());
            let marked = queue.marked.contains(&row.number);
            let mut cells = vec![
                (
                    if marked { msg::MARK } else { "" }.to_string(),
                    Style::new().fg(theme().mark),
                ),
                (format!("#{}", row.number), base),
                (firm, base),
                (
                    if queue.conflicted.contains(&row.number) {
                        format!("{} {}", msg::ITEM_CONFLICT_MARK, row.title)
                    } else {
                        row.title.clone()
                    },
                    base,
                ),
                (
                    app.department_name(row.department)
                        .unwrap_or(msg::NONE)
                        .to_string(),
                    base,
                ),
                (
                    msg::priority(row.priority).to_string(),
                    if closed {
                        base
                    } else {
                        priority_style(row.priority)
                    },
                ),
                (
                    row.due.map(|d| d.to_string()).unwrap_or_default(),
                    if overdue { overdue_style } else { base },
                ),
                (
                    if overdue { msg::OVERDUE_MARK } else { "" }.to_string(),
                    overdue_style,
                ),
                (msg::status(row.status).to_string(), base),
            ];
            if columns.len() < cells.len() {
                cells.remove(DEPARTMENT_CELL);
            }
            widgets::row(columns, &widths, cells)
        })
        .collect::<Vec<_>>();
    let view = queue.view_name().unwrap_or(msg::VIEW_CUSTOM.get());
    let title = format!(
        " {} ",
        msg::queue_title(
            view,
            // A filter with a mistake lists nothing (below), whatever the last good one held.
            if queue.filter_error.is_some() {
                0
            } else {
                queue.shown.len()
            },
            queue.len(),
            msg::sort_key(queue.sort),
            queue.marked.len()
        )
    );
    let filtering = app.mode() == Mode::Filter;
    let (block, cursor) = widgets::query_block(
        list,
        &title,
        msg::FILTER_PROMPT,
        &queue.filter_input,
        filtering,
        !queue.filter_input.text.is_empty(),
        queue.filter_error.is_some(),
    );
    // The rows of the last good filter no longer match what is typed: say so instead.
    let (lines, range) = if queue.filter_error.is_some() {
        let line = Line::styled(
            format!(" {}", msg::FILTER_HAS_MISTAKE),
            Style::new().fg(theme().error),
        );
        (vec![line], 0..0)
    } else {
        (lines, range)
    };
    let selected = queue
        .cursor
        .selected
        .checked_sub(range.start)
        .filter(|_| !queue.shown.is_empty() && !range.is_empty());
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
    // Below the list's border: what is wrong with the filter, or how to write one.
    let note = match (&queue.filter_error, filtering) {
        (Some(e), _) => Some((e.to_string(), Style::new().fg(theme().error))),
        (None, true) => Some((msg::FILTER_HINT.to_string(), Style::new().fg(theme().dim))),
        _ => None,
    };
    if let Some((text, style)) = note {
        let y = list.bottom().saturating_sub(1);
        let area = Rect {
            x: list.x + 1,
            y,
            width: inner,
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    " {} ",
                    crate::text::truncate(&text, usize::from(inner).saturating_sub(2))
                ),
                style,
            )),
            area,
        );
    }
    if queue.shown.is_empty() && queue.filter_error.is_none() {
        let area = Rect {
            y: list.y + 2,
            height: 1,
            x: list.x + 1,
            width: inner,
        };
        frame.render_widget(Paragraph::new(format!("  {}", msg::NO_ITEMS_MATCH)), area);
    }
    if queue.filter_error.is_some() {
        widgets::no_detail(frame, detail);
    } else {
        draw_issue(frame, app, detail);
    }
    draw_response_editor(frame, app);
}

fn event_text(app: &App, change: &Change) -> String {
    match change {
        Change::Created => msg::EVENT_CREATED.to_string(),
        Change::Department { to, .. } => {
            msg::event_department(app.department_name(*to).unwrap_or(msg::UNASSIGNED.get()))
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
        Change::Status {
            from,
            to,
            resolution,
        } => match resolution {
            Some(r) => format!("{} — {}", msg::event_status(*from, *to), r.text),
            None => msg::event_status(*from, *to),
        },
        Change::Title { to, .. } => msg::event_title(to),
        Change::Detail { .. } => msg::EVENT_DETAIL.to_string(),
        Change::Tags { added, removed } => msg::event_tags(added, removed),
        Change::Firm { to, .. } => msg::event_firm(app.firm_name(*to)),
        Change::Call { verdict, note, day } => msg::event_call(*verdict, note, *day),
        Change::Reverted {
            change: Some(inner),
            ..
        } => msg::event_reverted(&event_text(app, inner)),
        Change::Reverted { change: None, .. } => msg::EVENT_REVERTED_RESPONSE.to_string(),
    }
}

fn draw_issue(frame: &mut Frame, app: &App, area: Rect) {
    let Some(crate::app::queue::IssueDetail {
        issue,
        events,
        visit,
        conflicts,
    }) = app.issues.detail.as_ref()
    else {
        widgets::no_detail(frame, area);
        return;
    };
    let today = app.today();
    let mut due = issue.due.map(|d| d.to_string()).unwrap_or_default();
    if let (true, Some(d)) = (issue.is_overdue(today), issue.due) {
        due = format!("{due}  {}", msg::overdue_by((today - d).num_days()));
    }
    let mark = if conflicts.is_empty() {
        String::new()
    } else {
        format!("{} ", msg::ITEM_CONFLICT_MARK)
    };
    let mut lines = vec![
        widgets::heading(&format!("{mark}#{} {}", issue.number, issue.title)),
        widgets::field(msg::LABEL_FIRM.get(), app.firm_name(issue.firm).to_string()),
        widgets::field(msg::LABEL_STATUS.get(), msg::status(issue.status)),
        widgets::field(msg::LABEL_PRIORITY.get(), msg::priority(issue.priority)),
        widgets::field(msg::LABEL_DUE.get(), due),
        widgets::field(
            msg::LABEL_DEPARTMENT.get(),
            app.department_name(issue.department)
                .unwrap_or(msg::UNASSIGNED.get()),
        ),
        widgets::field(
            msg::LABEL_CATEGORY.get(),
            app.category_name(issue.category).unwrap_or(""),
        ),
        widgets::field(msg::LABEL_OWNER.get(), issue.owner.clone()),
        widgets::field(msg::LABEL_TAGS.get(), issue.tags.join("、")),
        widgets::field(
            msg::LABEL_RAISED.get(),
            issue
                .created
                .with_timezone(app.now.offset())
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        ),
    ];
    // What waits for a choice comes first, under the heading: the panel may be short.
    if !conflicts.is_empty() {
        let fields = lines.split_off(1);
        lines.extend(conflict_lines(app, conflicts));
        lines.push(Line::raw(""));
        lines.extend(fields);
    }
    if let Some(visit) = visit {
        let when = visit
            .start
            .with_timezone(app.now.offset())
            .format("%Y-%m-%d %H:%M")
            .to_string();
        lines.push(widgets::field(
            msg::LABEL_RAISED_IN.get(),
            msg::raised_in(
                &when,
                app.firm(visit.firm).map_or("?", |f| f.display_name()),
                &visit.lead,
            ),
        ));
    }
    if !issue.detail.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(widgets::paragraph_lines(&issue.detail));
    }
    if let Some(resolution) = &issue.resolution {
        lines.push(Line::raw(""));
        lines.push(widgets::field(
            msg::LABEL_RESOLUTION.get(),
            resolution.text.clone(),
        ));
    }
    let mut history = vec![widgets::heading(msg::LABEL_HISTORY.get())];
    for event in events
        .iter()
        .rev()
        .take(200)
        .collect::<Vec<&IssueEvent>>()
        .into_iter()
        .rev()
    {
        let when = event
            .at
            .with_timezone(app.now.offset())
            .format("%Y-%m-%d %H:%M")
            .to_string();
        history.push(Line::raw(crate::text::truncate(
            &msg::history_line(&when, &event.author, &event_text(app, &event.change)),
            usize::MAX,
        )));
    }
    // A wide, low panel reads best as two columns: the item, and its timeline.
    if area.width >= 100 && area.width > area.height * 4 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        widgets::detail(frame, left, msg::DETAIL.get(), lines);
        // The newest events matter most: show the end of the history if it is long.
        let room = usize::from(right.height.saturating_sub(2));
        let width = usize::from(right.width.saturating_sub(2));
        widgets::detail(
            frame,
            right,
            msg::LABEL_HISTORY.get(),
            newest_events(history.split_off(1), width, room),
        );
    } else {
        let room = usize::from(area.height.saturating_sub(2));
        let width = usize::from(area.width.saturating_sub(2));
        let rows = |lines: &[Line]| -> usize {
            lines
                .iter()
                .map(|l| widgets::wrap_line(l.clone(), width).len())
                .sum()
        };
        // All of it fits: the fields, a blank row, the history.
        if rows(&lines) + 1 + rows(&history) <= room {
            lines.push(Line::raw(""));
            lines.extend(history);
            widgets::detail(frame, area, msg::DETAIL.get(), lines);
            return;
        }
        // Too long: the newest events stay in view as the wide layout's panel keeps them,
        // in up to half the panel (all that the fields leave), and the fields take the rest
        // from the top. The history's heading marks where they were cut.
        let heading = history.remove(0);
        let share = room.saturating_sub(rows(&lines)).max(room / 2);
        let events = newest_events(history, width, share.saturating_sub(1));
        let fields: Vec<Line> = lines
            .into_iter()
            .flat_map(|l| widgets::wrap_line(l, width))
            .take(room.saturating_sub(1 + events.len()))
            .collect();
        let mut shown = fields;
        shown.push(heading);
        shown.extend(events);
        widgets::detail(frame, area, msg::DETAIL.get(), shown);
    }
}

/// The end of a history in `room` rows of `width` columns: the newest events, counted in the
/// rows they take once wrapped (a response takes two), whole events from the top; an event
/// taller than the room shows its start.
fn newest_events(history: Vec<Line>, width: usize, room: usize) -> Vec<Line<'static>> {
    let events: Vec<Vec<Line>> = history
        .into_iter()
        .map(|line| widgets::wrap_line(line, width))
        .collect();
    let (mut first, mut rows) = (events.len(), 0);
    while first > 0 && rows + events[first - 1].len() <= room {
        first -= 1;
        rows += events[first].len();
    }
    let first = first.min(events.len().saturating_sub(1));
    let mut shown: Vec<Line> = events.into_iter().skip(first).flatten().collect();
    shown.truncate(room.max(1));
    shown
}

/// Each field in conflict with every value standing, who set it and when.
fn conflict_lines(app: &App, conflicts: &[crate::store::Conflict]) -> Vec<Line<'static>> {
    let warn = Style::new().fg(theme().warn);
    let mut lines = vec![Line::styled(
        format!("{} {}", msg::ITEM_CONFLICT_MARK, msg::LABEL_CONFLICTS),
        warn.add_modifier(Modifier::BOLD),
    )];
    for conflict in conflicts {
        lines.push(Line::styled(format!(" {}", conflict.field), warn));
        for head in &conflict.heads {
            lines.push(Line::raw(format!(
                "   {}  ({})",
                crate::app::conflicts::value_text(app, &conflict.field, &head.value),
                crate::app::conflicts::who(app, head)
            )));
        }
    }
    lines
}

/// The response being written, in a popup over the queue.
fn draw_response_editor(frame: &mut Frame, app: &App) {
    let Some(editor) = app.editor() else {
        return;
    };
    let EditorPurpose::Response { numbers, .. } = &editor.purpose else {
        return;
    };
    if app.mode() != Mode::Editor {
        return;
    }
    let screen = frame.area();
    let area = widgets::centered(screen, screen.width.saturating_sub(8).min(90), 12);
    widgets::clear_popup(frame, area);
    let numbers: Vec<String> = numbers.iter().take(6).map(|n| format!("#{n}")).collect();
    let block = widgets::block(&format!(
        "{} {} — {}",
        msg::LABEL_RESPONSE,
        numbers.join(" "),
        app.keys
            .line(Scope::Editor, &["save", "save_answer", "cancel"])
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&editor.area, inner);
    super::agenda::place_editor_cursor(frame, &editor.area, inner);
}
