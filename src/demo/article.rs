//! The article's firms, visits and items (assets/demo.json), placed in time relative to the
//! day the demo is made: the article's visits in the latest December before today, the
//! follow-up round in the weeks ahead.

use super::rng::Rng;
use crate::model::{
    Change, Contact, Department, Firm, Id, Issue, IssueDraft, IssueEvent, LocalTime, Priority,
    Resolution, ResolutionKind, Status, Visit, VisitStatus,
};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use serde::Deserialize;
use std::collections::HashMap;

pub const DEMO_JSON: &str = include_str!("../../assets/demo.json");

#[derive(Deserialize)]
struct Demo {
    user: String,
    departments: Vec<DepartmentRow>,
    firms: Vec<FirmRow>,
    visits: Vec<VisitRow>,
    issues: Vec<IssueRow>,
}

#[derive(Deserialize)]
struct DepartmentRow {
    name: String,
    full_name: String,
}

#[derive(Deserialize)]
struct FirmRow {
    key: String,
    name: String,
    short_name: String,
    sector: String,
    park: String,
    address: String,
    tags: Vec<String>,
    contacts: Vec<Contact>,
    notes: String,
}

#[derive(Deserialize)]
struct VisitRow {
    key: String,
    firm: String,
    when: String,
    duration_min: u32,
    location: String,
    lead: String,
    attendees: Vec<String>,
    purpose: String,
    status: String,
    minutes: String,
}

#[derive(Deserialize)]
struct ResponseRow {
    text: String,
    to_firm: bool,
}

#[derive(Deserialize)]
struct IssueRow {
    firm: String,
    visit: Option<String>,
    title: String,
    #[serde(default)]
    detail: String,
    category: String,
    department: String,
    priority: String,
    status: String,
    due_in_days: i64,
    #[serde(default)]
    responses: Vec<ResponseRow>,
    resolution: Option<String>,
    answer: Option<String>,
}

/// The article's data as records, ready to be written.
pub struct Article {
    pub user: String,
    pub departments: Vec<Department>,
    pub firms: Vec<Firm>,
    pub visits: Vec<Visit>,
    pub issues: Vec<(Issue, Vec<IssueEvent>)>,
}

/// The year of the article's December visits: the latest December 13–16 that is already past.
pub fn article_year(today: NaiveDate) -> i32 {
    let last_visit = NaiveDate::from_ymd_opt(today.year(), 12, 16).expect("valid date");
    if today > last_visit {
        today.year()
    } else {
        today.year() - 1
    }
}

fn at(now: LocalTime, day: NaiveDate, time: NaiveTime) -> LocalTime {
    now.offset()
        .from_local_datetime(&day.and_time(time))
        .single()
        .expect("a fixed offset has no gaps")
}

/// "12-13 09:30" in the article's December, or "+2d 10:00" from today.
fn parse_when(when: &str, now: LocalTime) -> LocalTime {
    let (day, time) = when.split_once(' ').expect("demo 'when' is 'DAY HH:MM'");
    let time = NaiveTime::parse_from_str(time, "%H:%M").expect("demo time is HH:MM");
    let today = now.date_naive();
    let date = if let Some(days) = day.strip_prefix('+').and_then(|d| d.strip_suffix('d')) {
        // Planned visits fall on working days: a weekend moves to the Monday after.
        let date = today + Duration::days(days.parse().expect("demo +Nd"));
        match date.weekday() {
            chrono::Weekday::Sat => date + Duration::days(2),
            chrono::Weekday::Sun => date + Duration::days(1),
            _ => date,
        }
    } else {
        let (m, d) = day.split_once('-').expect("demo MM-DD");
        NaiveDate::from_ymd_opt(
            article_year(today),
            m.parse().expect("month"),
            d.parse().expect("day"),
        )
        .expect("demo date")
    };
    at(now, date, time)
}

fn event_id(rng: &mut Rng, at: LocalTime) -> Id {
    Id::from_parts(at.timestamp_millis().max(0) as u64, rng.bytes10())
}

/// `categories` maps category codes to the ids the database gave them.
pub fn load(now: LocalTime, rng: &mut Rng, categories: &HashMap<String, Id>) -> Article {
    let demo: Demo = serde_json::from_str(DEMO_JSON).expect("assets/demo.json is valid");
    let created = now - Duration::days(400);
    let departments: Vec<Department> = demo
        .departments
        .iter()
        .map(|d| Department {
            id: event_id(rng, created),
            ..Department::new(&d.name, &d.full_name).expect("demo department is valid")
        })
        .collect();
    let department_ids: HashMap<&str, Id> = departments
        .iter()
        .map(|d| (d.name.as_str(), d.id))
        .collect();

    let mut firm_ids = HashMap::new();
    let firms: Vec<Firm> = demo
        .firms
        .into_iter()
        .map(|row| {
            let id = event_id(rng, created);
            firm_ids.insert(row.key, id);
            Firm {
                id,
                name: row.name,
                short_name: row.short_name,
                sector: row.sector,
                park: row.park,
                address: row.address,
                tags: row.tags,
                contacts: row.contacts,
                notes: row.notes,
                archived: false,
                created,
                updated: created,
            }
        })
        .collect();

    let mut visit_ids = HashMap::new();
    let visits: Vec<Visit> = demo
        .visits
        .into_iter()
        .map(|row| {
            let start = parse_when(&row.when, now);
            let booked = start.min(now) - Duration::days(7);
            let id = event_id(rng, booked);
            visit_ids.insert(row.key, (id, start));
            Visit {
                id,
                firm: firm_ids[&row.firm],
                start,
                duration_min: row.duration_min,
                location: row.location,
                lead: row.lead,
                attendees: row.attendees,
                purpose: row.purpose,
                status: VisitStatus::parse(&row.status).expect("demo visit status"),
                minutes: row.minutes,
                created: booked,
                updated: booked,
            }
        })
        .collect();

    let issues = demo
        .issues
        .into_iter()
        .map(|row| {
            let (visit, raised) = match &row.visit {
                Some(key) => {
                    let (id, start) = visit_ids[key];
                    (Some(id), start + Duration::minutes(45))
                }
                None => (None, now - Duration::days(75)),
            };
            let due = (now.date_naive() + Duration::days(row.due_in_days)).max(raised.date_naive());
            let ids = Ids {
                firms: &firm_ids,
                departments: &department_ids,
                categories,
            };
            build_issue(rng, &demo.user, row, visit, raised, due, &ids, now)
        })
        .collect();

    Article {
        user: demo.user,
        departments,
        firms,
        visits,
        issues,
    }
}

struct Ids<'a> {
    firms: &'a HashMap<String, Id>,
    departments: &'a HashMap<&'a str, Id>,
    categories: &'a HashMap<String, Id>,
}

#[allow(clippy::too_many_arguments)]
fn build_issue(
    rng: &mut Rng,
    author: &str,
    row: IssueRow,
    visit: Option<Id>,
    raised: LocalTime,
    due: NaiveDate,
    ids: &Ids,
    now: LocalTime,
) -> (Issue, Vec<IssueEvent>) {
    let department = ids.departments[row.department.as_str()];
    let mut draft = IssueDraft::new(ids.firms[&row.firm], &row.title);
    draft.visit = visit;
    draft.detail = row.detail;
    draft.priority = Priority::parse(&row.priority).expect("demo priority");
    draft.due = Some(due);
    draft.category = ids.categories.get(&row.category).copied();
    let id = event_id(rng, raised);
    let mut issue = draft.into_issue(id, 0, raised).expect("demo item is valid");
    let target = Status::parse(&row.status).expect("demo status");
    let mut history = History {
        issue: id,
        author,
        when: raised,
        now,
        events: Vec::new(),
    };
    history.push(rng, 0, Change::Created);
    if target != Status::New {
        history.push(
            rng,
            2,
            Change::Department {
                from: None,
                to: Some(department),
            },
        );
        issue.department = Some(department);
        issue.status = Status::Assigned;
    }
    let on_the_spot = row.resolution.as_deref() == Some("on-the-spot");
    if target >= Status::InProgress && !on_the_spot {
        history.status(rng, &mut issue, Status::InProgress, None);
    }
    for response in &row.responses {
        history.push(
            rng,
            20,
            Change::Response {
                text: response.text.clone(),
                to_firm: response.to_firm,
            },
        );
    }
    if target == Status::Answered {
        history.status(rng, &mut issue, Status::Answered, None);
    }
    if target == Status::Closed {
        let kind = match row.resolution.as_deref() {
            Some("on-the-spot") => ResolutionKind::OnTheSpot,
            Some("withdrawn") => ResolutionKind::Withdrawn,
            _ => ResolutionKind::Answered,
        };
        let resolution = Resolution {
            kind,
            text: row.answer.clone().unwrap_or_default(),
        };
        history.status(rng, &mut issue, Status::Closed, Some(resolution));
    }
    issue.updated = history.when;
    (issue, history.events)
}

/// Builds an item's history step by step, never past `now`.
struct History<'a> {
    issue: Id,
    author: &'a str,
    when: LocalTime,
    now: LocalTime,
    events: Vec<IssueEvent>,
}

impl History<'_> {
    fn push(&mut self, rng: &mut Rng, hours_later: i64, change: Change) {
        self.when = (self.when + Duration::hours(hours_later)).min(self.now);
        // Ids order the history; two events in the same millisecond must still keep order.
        let mut millis = self.when.timestamp_millis().max(0) as u64;
        if let Some(last) = self.events.last() {
            millis = millis.max(last.at.timestamp_millis().max(0) as u64 + 1);
        }
        self.events.push(IssueEvent {
            id: Id::from_parts(millis, rng.bytes10()),
            issue: self.issue,
            at: self.when,
            author: self.author.to_string(),
            change,
        });
    }

    fn status(
        &mut self,
        rng: &mut Rng,
        issue: &mut Issue,
        to: Status,
        resolution: Option<Resolution>,
    ) {
        let from = issue.status;
        issue.status = to;
        issue.resolution = resolution.clone();
        self.push(
            rng,
            30,
            Change::Status {
                from,
                to,
                resolution,
            },
        );
        issue.closed = (to == Status::Closed).then_some(self.when);
    }
}
