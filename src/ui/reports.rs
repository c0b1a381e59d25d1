//! The Reports tab: the headline figures beside the previous period and a year earlier, the
//! chart of items raised and answered, the departments, the categories and the firms with the
//! most open items. Readable without colour: the selected department has a `▶`, the two
//! series of the chart are two titled charts.

use super::widgets::{self, block};
use crate::app::App;
use crate::messages as msg;
use crate::report::brief::{department_cells, figure_values, Names};
use crate::report::figures::Bucket;
use crate::report::{Figures, PeriodKind};
use crate::text::{self, fit, fit_right};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let state = &app.reports;
    let (Some(figures), Some((_, names))) = (&state.figures, &state.read) else {
        widgets::loading(
            frame,
            area,
            msg::TAB_REPORTS.get(),
            msg::REPORT_LOADING.get(),
        );
        return;
    };
    let [top, bottom] = Layout::vertical([Constraint::Length(17), Constraint::Min(0)]).areas(area);
    let [headline, chart] =
        Layout::horizontal([Constraint::Min(58), Constraint::Percentage(40)]).areas(top);
    draw_headline(frame, figures, headline, state.is_loading());
    draw_chart(
        frame,
        &figures.series,
        Buckets::of(figures.period.kind),
        chart,
    );
    let [departments, side] =
        Layout::horizontal([Constraint::Min(58), Constraint::Percentage(40)]).areas(bottom);
    draw_departments(frame, app, figures, names, departments);
    draw_side(frame, figures, names, side);
}

fn draw_headline(frame: &mut Frame, figures: &Figures, area: Rect, reading: bool) {
    let now = figure_values(&figures.headline);
    let previous = figure_values(&figures.previous);
    let year = figure_values(&figures.year_earlier);
    let head = &msg::REPORT_FIGURE_HEAD;
    // The numbers keep their columns; the names take what is left (a narrow screen cuts them,
    // never a number). Where a name would be cut the number columns close up to their
    // headings' width first (at 80 columns both medians read "Median days to…" otherwise).
    let inner = usize::from(area.width.saturating_sub(2));
    let longest = msg::REPORT_FIGURES
        .iter()
        .map(|f| text::width(f.get()))
        .max()
        .unwrap_or(0);
    // (The first number column is right-aligned and wider than its numbers: the name needs
    // no gap before it then.)
    let ([now_w, previous_w, year_w], gap, first_gap) = if inner >= longest + 11 + 12 + 12 + 6 {
        ([11, 12, 12], "  ", "  ")
    } else {
        ([11, 11, 11], " ", "")
    };
    let label = inner
        .saturating_sub(now_w + previous_w + year_w + 2 * gap.len() + first_gap.len())
        .clamp(10, 30);
    let row = |name: String, cells: [String; 3]| format!("{name}{first_gap}{}", cells.join(gap));
    let mut lines = vec![Line::styled(
        row(
            fit("", label),
            [
                fit_right(head[1].get(), now_w),
                fit_right(msg::REPORT_VS_PREVIOUS.get(), previous_w),
                fit_right(msg::REPORT_VS_YEAR.get(), year_w),
            ],
        ),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for i in 0..now.len() {
        lines.push(Line::raw(row(
            fit(msg::REPORT_FIGURES[i].get(), label),
            [
                fit_right(&now[i].text(), now_w),
                fit_right(&now[i].change_from(previous[i]), previous_w),
                fit_right(&now[i].change_from(year[i]), year_w),
            ],
        )));
    }
    let mut title = format!(
        "{} · {} {}",
        msg::report_period_title(&figures.period),
        msg::REPORT_AS_OF,
        figures.as_of
    );
    if reading {
        title.push_str(" · …");
    }
    frame.render_widget(Paragraph::new(lines).block(block(&title)), area);
}

/// What the chart's bars stand for (`report::figures::buckets`): weeks, or for a quarter or
/// a year, months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Buckets {
    Weeks,
    Months,
}

impl Buckets {
    fn of(kind: PeriodKind) -> Buckets {
        match kind {
            PeriodKind::Quarter | PeriodKind::Year => Buckets::Months,
            PeriodKind::Week | PeriodKind::Month | PeriodKind::Range => Buckets::Weeks,
        }
    }

    /// A week by its first day (`mmdd`), a month by its name (`Sep`, `9月`): at most
    /// `LABEL` columns either way.
    fn label(self, bucket: &Bucket) -> String {
        match self {
            Buckets::Weeks => bucket.from.format("%m%d").to_string(),
            Buckets::Months => msg::report_month(bucket.from),
        }
    }
}

/// The widest bar label.
const LABEL: u16 = 4;

fn bars<'a>(buckets: &[Bucket], kind: Buckets, value: impl Fn(&Bucket) -> u64) -> BarGroup<'a> {
    let bars: Vec<Bar> = buckets
        .iter()
        .map(|b| {
            Bar::default()
                .value(value(b))
                .label(Line::raw(kind.label(b)))
        })
        .collect();
    BarGroup::default().bars(&bars)
}

/// The buckets a chart of `inner` columns shows: all twelve, or on a narrow screen the most
/// recent ones whose labels fit whole (a label cut to "1" says nothing).
fn shown_buckets(series: &[Bucket], inner: u16) -> (&[Bucket], u16) {
    let count = u16::try_from(series.len()).unwrap_or(u16::MAX).max(1);
    let width = (inner / count).saturating_sub(1).clamp(1, 5);
    if width >= LABEL {
        return (series, width);
    }
    let fit = usize::from((inner + 1) / (LABEL + 1)).max(1);
    (&series[series.len().saturating_sub(fit)..], LABEL)
}

/// Two charts, one per series, each titled: no colour is needed to tell them apart.
fn draw_chart(frame: &mut Frame, series: &[Bucket], kind: Buckets, area: Rect) {
    let [raised, answered] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let inner = area.width.saturating_sub(2);
    let (shown, width) = shown_buckets(series, inner);
    for (area, title, value) in [
        (
            raised,
            msg::REPORT_FIGURES[3],
            (|b: &Bucket| b.raised) as fn(&Bucket) -> u64,
        ),
        (answered, msg::REPORT_FIGURES[5], |b: &Bucket| b.answered),
    ] {
        // The series' name is what tells the two charts apart; the common part goes first
        // when the title does not fit.
        let full = format!("{} — {title}", msg::REPORT_CHART);
        let title = if text::width(&full) + 2 <= usize::from(inner) {
            full
        } else {
            title.to_string()
        };
        if shown.iter().all(|b| value(b) == 0) {
            let none = Paragraph::new(Line::raw(msg::REPORT_NONE.get())).block(block(&title));
            frame.render_widget(none, area);
            continue;
        }
        let chart = BarChart::default()
            .block(block(&title))
            .bar_width(width)
            .bar_gap(1)
            .data(bars(shown, kind, value));
        frame.render_widget(chart, area);
    }
}

/// How many of a table's columns fit in `inner` columns: the first (a name) shrinks down to
/// `min_name`, then whole columns are left out from the right, never cut in the middle.
fn columns_that_fit(widths: &[usize], min_name: usize, inner: usize) -> (usize, usize) {
    let rest = |n: usize| widths[1..n].iter().map(|w| w + 1).sum::<usize>();
    let mut shown = widths.len();
    while shown > 1 && min_name + rest(shown) > inner {
        shown -= 1;
    }
    let name = inner.saturating_sub(rest(shown)).clamp(min_name, widths[0]);
    (shown, name)
}

/// The name column as wide as the longest name listed ("(not handed over)" too) or its
/// heading, never under the 10 columns it shrinks to.
fn name_width(head: &[String; 7], rows: &[[String; 7]]) -> usize {
    rows.iter()
        .chain([head])
        .map(|cells| text::width(&cells[0]))
        .max()
        .unwrap_or(0)
        .max(10)
}

fn draw_departments(frame: &mut Frame, app: &App, figures: &Figures, names: &Names, area: Rect) {
    let head = msg::REPORT_DEPARTMENT_SHORT.map(|h| h.get().to_string());
    let cells: Vec<[String; 7]> = figures
        .departments
        .iter()
        .map(|d| department_cells(d, names))
        .collect();
    let widths = [name_width(&head, &cells), 7, 8, 7, 7, 8, 8];
    // Two columns go to the selection mark.
    let inner = usize::from(area.width.saturating_sub(4));
    let (shown, name) = columns_that_fit(&widths, 10, inner);
    let row = |cells: [String; 7]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate().take(shown) {
            if i == 0 {
                text.push_str(&fit(cell, name));
            } else {
                text.push(' ');
                text.push_str(&fit_right(cell, w));
            }
        }
        text
    };
    let header = Line::styled(
        format!("  {}", row(head)),
        Style::new().add_modifier(Modifier::BOLD),
    );
    let selected = app.reports.selected;
    let lines: Vec<Line> = cells
        .into_iter()
        .enumerate()
        .map(|(i, cells)| {
            let mark = if i == selected { "▶ " } else { "  " };
            Line::raw(format!("{mark}{}", row(cells)))
        })
        .collect();
    let title = format!(
        "{} · {}",
        msg::REPORT_DEPARTMENTS,
        msg::report_by(app.reports.sort.label())
    );
    // Scrolled so the selected row stays in view.
    let room = usize::from(area.height.saturating_sub(3)).max(1);
    let skip = selected.saturating_sub(room - 1);
    let lines: Vec<Line> = lines.into_iter().skip(skip).collect();
    let shown = selected.checked_sub(skip);
    widgets::table_in(frame, area, block(&title), header, lines, shown);
}

fn draw_side(frame: &mut Frame, figures: &Figures, names: &Names, area: Rect) {
    let inner = usize::from(area.width.saturating_sub(2));
    let (shown, name) = columns_that_fit(&[14, 7, 7, 7], 8, inner);
    let row = |first: &str, numbers: [String; 3]| {
        let mut text = fit(first, name);
        for n in numbers.iter().take(shown - 1) {
            text.push(' ');
            text.push_str(&fit_right(n, 7));
        }
        text
    };
    let mut lines = vec![Line::styled(
        row(
            msg::REPORT_CATEGORY_HEAD[0].get(),
            msg::REPORT_SIDE_HEAD.map(|h| h.get().to_string()),
        ),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for c in figures.categories.iter().take(8) {
        lines.push(Line::raw(row(
            names.category(c.category),
            [c.raised, c.open, c.overdue].map(|n| n.to_string()),
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        msg::REPORT_TOP_FIRMS.to_string(),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let firm = inner.saturating_sub(6).clamp(8, 28);
    for (id, open) in figures.top_firms.iter().take(8) {
        lines.push(Line::raw(format!(
            "{} {}",
            fit(names.firm(*id), firm),
            fit_right(&open.to_string(), 5)
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(msg::REPORT_CATEGORIES.get())),
        area,
    );
}
