//! The Reports tab: the figures of a period (`crate::report`), read in the background the
//! first time the tab is shown (and again when it is shown after changes), then counted
//! anew from memory as the officer steps periods.

use super::form::{home_file, write_typed_file, Form, FormKind};
use super::input::TextInput;
use super::{App, MessageKind, Overlay, Tab};
use crate::messages as msg;
use crate::model::when::WeekStart;
use crate::model::Field;
use crate::report::brief::{write_brief, BriefFormat, Names};
use crate::report::{DayCounts, Figures, Period, PeriodKind, Tallies};
use crate::store::{Damaged, StoreError};
use chrono::NaiveDate;
use std::sync::Arc;

/// What the Reports tab's keys ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportsAction {
    Previous,
    Next,
    Kind(PeriodKind),
    /// Back to the period holding today.
    Today,
    Down,
    Up,
    /// The department table's next order.
    Sort,
    /// The Issues tab, filtered to the selected department and the period.
    Open,
    /// Ask for a file and write the brief there.
    Export,
}

/// How the department table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DepartmentSort {
    #[default]
    HandedOver,
    Answered,
    Overdue,
    Name,
}

impl DepartmentSort {
    fn next(self) -> DepartmentSort {
        match self {
            DepartmentSort::HandedOver => DepartmentSort::Answered,
            DepartmentSort::Answered => DepartmentSort::Overdue,
            DepartmentSort::Overdue => DepartmentSort::Name,
            DepartmentSort::Name => DepartmentSort::HandedOver,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DepartmentSort::HandedOver => msg::REPORT_DEPARTMENT_HEAD[1].get(),
            DepartmentSort::Answered => msg::REPORT_DEPARTMENT_HEAD[2].get(),
            DepartmentSort::Overdue => msg::REPORT_DEPARTMENT_HEAD[4].get(),
            DepartmentSort::Name => msg::REPORT_DEPARTMENT_HEAD[0].get(),
        }
    }
}

/// What the background reading brings: the ledger's tallies by day (built while reading, the
/// ledger itself never held: a period key costs the period, and a million items' tallies
/// are a fraction of their facts), the names, the records it could not read.
pub type Read = (Tallies, Names, Vec<Damaged>);

#[derive(Default)]
pub struct ReportsState {
    pub period: Option<Period>,
    /// The tallies and the names, read together and replaced together (the tallies shared
    /// with the thread counting the neighbouring periods ahead).
    pub read: Option<(Arc<Tallies>, Names)>,
    pub figures: Option<Figures>,
    /// The ledger is being read (`Done::Reports` ends it).
    pub loading: bool,
    pub sort: DepartmentSort,
    /// The selected row of the department table.
    pub selected: usize,
    /// The days being counted ahead (`Done::ReportsAhead` ends them).
    pub ahead: Vec<NaiveDate>,
}

impl ReportsState {
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// Are the days of the neighbouring periods being counted?
    pub fn is_counting_ahead(&self) -> bool {
        !self.ahead.is_empty()
    }
}

/// What the thread counting ahead brings: the tallies it counted from and the days.
pub type Ahead = (Arc<Tallies>, Vec<DayCounts>);

/// The tab was shown: the first time (or after changes) the ledger is read in the
/// background; the figures already shown stay until it arrives.
pub fn shown(app: &mut App) {
    let state = &mut app.reports;
    if state.period.is_none() {
        state.period = Some(Period::containing(
            PeriodKind::Month,
            app.now.date_naive(),
            app.agenda.week_start,
        ));
    }
    // Read again once anything was written: the figures then shown stay until it arrives.
    let written = app.store.written_since_open();
    if state.loading || (state.read.is_some() && !written) {
        return;
    }
    state.loading = true;
    let store = app.store.clone();
    super::background::spawn(
        &app.outbox,
        "the background reading of the reports stopped",
        move || {
            let (tallies, damaged) = Tallies::load(&store)?;
            Ok((tallies, Names::load(&store)?, damaged))
        },
        |read| super::Done::Reports(read.map(Box::new)),
    );
}

/// The tallies have arrived: the figures of the period shown are counted from them.
pub(super) fn arrived(
    app: &mut App,
    read: Result<Read, StoreError>,
) -> Result<Vec<Damaged>, StoreError> {
    app.reports.loading = false;
    let (tallies, names, damaged) = read?;
    app.reports.read = Some((Arc::new(tallies), names));
    // Days being counted from the tallies replaced are dropped when they come.
    app.reports.ahead.clear();
    recount(app);
    Ok(damaged)
}

/// Counts the figures of the period shown, from the tallies in memory.
fn recount(app: &mut App) {
    let state = &mut app.reports;
    let (Some((tallies, names)), Some(period)) = (&state.read, state.period) else {
        return;
    };
    let mut counted = tallies.figures(&period, app.now.date_naive());
    sort_departments(&mut counted, state.sort, names);
    state.selected = state
        .selected
        .min(counted.departments.len().saturating_sub(1));
    state.figures = Some(counted);
    count_ahead(app);
}

/// The periods one key away from the one shown: the previous and the next, and the other
/// kinds (`switched`).
fn neighbours(period: Period, today: NaiveDate, week_start: WeekStart) -> Vec<Period> {
    let mut near = vec![period.previous(), period.next()];
    for kind in [
        PeriodKind::Week,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
    ] {
        if kind != period.kind {
            near.push(switched(period, kind, today, week_start));
        }
    }
    near
}

/// The period of `kind` a key switches to from `period`.
fn switched(period: Period, kind: PeriodKind, today: NaiveDate, week_start: WeekStart) -> Period {
    // It holds the day the old one ends on, or today if that is sooner.
    let day = period.to.min(today).max(period.from);
    Period::containing(kind, day, week_start)
}

/// Counts in the background the days the neighbouring periods are counted at, unless kept
/// or being counted: at a million items a day not counted yet is a pass over ~1.9 M open
/// stretches (about 10 ms), which a person's next key would otherwise wait for. The thread
/// only counts; `ahead_arrived` keeps the days.
fn count_ahead(app: &mut App) {
    let state = &mut app.reports;
    let (Some((tallies, _)), Some(period)) = (&state.read, state.period) else {
        return;
    };
    let today = app.now.date_naive();
    let mut days = Vec::new();
    for near in neighbours(period, today, app.agenda.week_start) {
        if let Some(day) = tallies.uncounted_day(&near, today) {
            if !days.contains(&day) && !state.ahead.contains(&day) {
                days.push(day);
            }
        }
    }
    if days.is_empty() {
        return;
    }
    state.ahead.extend(&days);
    let tallies = tallies.clone();
    super::background::spawn(
        &app.outbox,
        "the counting of the neighbouring periods stopped",
        move || {
            let counted = days.iter().map(|d| tallies.count_day(*d)).collect();
            Ok((tallies, counted))
        },
        |ahead| super::Done::ReportsAhead(ahead.map(Box::new)),
    );
}

/// Days counted ahead have arrived: kept by the tallies they were counted from, dropped if
/// those were replaced meanwhile (a write read the ledger again).
pub(super) fn ahead_arrived(app: &mut App, ahead: Result<Ahead, StoreError>) {
    // Counting reads nothing stored: an error is a stopped thread, and the key counts then.
    let state = &mut app.reports;
    let Ok((from, counted)) = ahead else {
        state.ahead.clear();
        return;
    };
    let Some((tallies, _)) = &state.read else {
        return;
    };
    if !Arc::ptr_eq(tallies, &from) {
        return;
    }
    for day in counted {
        state.ahead.retain(|d| *d != day.day());
        tallies.keep(day);
    }
}

fn sort_departments(figures: &mut Figures, sort: DepartmentSort, names: &Names) {
    let rows = &mut figures.departments;
    match sort {
        DepartmentSort::HandedOver => rows.sort_by_key(|r| std::cmp::Reverse(r.handed_over)),
        DepartmentSort::Answered => rows.sort_by_key(|r| std::cmp::Reverse(r.answered)),
        DepartmentSort::Overdue => rows.sort_by_key(|r| std::cmp::Reverse(r.overdue)),
        DepartmentSort::Name => rows.sort_by(|a, b| {
            names
                .department(a.department)
                .cmp(names.department(b.department))
        }),
    }
}

pub fn update(app: &mut App, action: ReportsAction) -> Result<(), StoreError> {
    let state = &mut app.reports;
    let today = app.now.date_naive();
    let week_start = app.agenda.week_start;
    let period = state
        .period
        .unwrap_or_else(|| Period::containing(PeriodKind::Month, today, week_start));
    match action {
        ReportsAction::Previous => state.period = Some(period.previous()),
        ReportsAction::Next => state.period = Some(period.next()),
        ReportsAction::Kind(kind) => {
            state.period = Some(switched(period, kind, today, week_start));
        }
        ReportsAction::Today => {
            state.period = Some(Period::containing(period.kind, today, week_start))
        }
        ReportsAction::Down | ReportsAction::Up => {
            let rows = state.figures.as_ref().map_or(0, |f| f.departments.len());
            state.selected = if action == ReportsAction::Down {
                (state.selected + 1).min(rows.saturating_sub(1))
            } else {
                state.selected.saturating_sub(1)
            };
            return Ok(());
        }
        ReportsAction::Sort => {
            state.sort = state.sort.next();
            app.say(
                MessageKind::Info,
                msg::report_sorted_by(app.reports.sort.label()),
            );
        }
        ReportsAction::Open => return open_department(app),
        ReportsAction::Export => {
            ask_export(app);
            return Ok(());
        }
    }
    recount(app);
    Ok(())
}

/// Enter on a department: the Issues tab with `dept:NAME` and the period's raising days.
fn open_department(app: &mut App) -> Result<(), StoreError> {
    let state = &app.reports;
    let (Some(figures), Some((_, names))) = (&state.figures, &state.read) else {
        return Ok(());
    };
    let Some(row) = figures.departments.get(state.selected) else {
        return Ok(());
    };
    let filter = msg::report_department_filter(
        row.department.map(|_| names.department(row.department)),
        figures.period.from,
        figures.period.to,
    );
    app.issues.view = None;
    app.issues.filter_input = TextInput::with_text(&filter);
    app.issues.cursor.select(0);
    super::queue::refresh(app);
    app.issues.cursor.select(0);
    app.tab = Tab::Issues;
    Ok(())
}

fn ask_export(app: &mut App) {
    if app.reports.figures.is_none() {
        app.say(MessageKind::Info, msg::STILL_LOADING);
        return;
    }
    app.overlay = Overlay::Form(Form::single(
        FormKind::ExportBrief,
        Field::File,
        msg::LABEL_FILE.get(),
        &home_file("liaison-brief.md"),
    ));
}

/// The brief's format from the file name: `.json`, `.csv`, `.txt`, else Markdown.
fn format_of(path: &std::path::Path) -> BriefFormat {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .as_deref()
    {
        Some("json") => BriefFormat::Json,
        Some("csv") => BriefFormat::Csv,
        Some("txt") => BriefFormat::Text,
        _ => BriefFormat::Markdown,
    }
}

/// Writes the brief to the file named in the form, as `liaison report -o` does.
pub fn submit_export(app: &mut App, form: Form) -> Result<(), StoreError> {
    let written = write_typed_file(app, form, |app, path, out| {
        let state = &app.reports;
        if let (Some(figures), Some((tallies, names))) = (&state.figures, &state.read) {
            let listing = tallies.listing(figures.as_of);
            write_brief(out, figures, &listing, names, format_of(path))?;
        }
        Ok(())
    })?;
    if let Some(((), typed)) = written {
        app.say(MessageKind::Info, msg::report_written(&typed));
    }
    Ok(())
}
