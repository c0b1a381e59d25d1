//! `liaison-dev torture`: a random mix of confirmed writes through the real `Store` API,
//! for the kill harness in `tests/safety.rs`. Before each write it prints what the write is
//! about to make true (`begin …`), after the write has returned — so after the flush — what is
//! now durable (`ok …`), flushing standard output each time. A harness that kills the process
//! at any moment then knows exactly which changes must be in the database: every `ok`, plus at
//! most the one `begin` without its `ok`.
//!
//! One line per write: `ok write=N | RECORD | RECORD …`, where each record is `kind=ID` and
//! `key=value` pairs without spaces (`issue=? number=?` for an item not yet created, whose id
//! the store gives). `describe_*` make the pairs, so the harness compares like with like.

use super::args::TortureArgs;
use super::{CliError, CliResult};
use crate::demo::Rng;
use crate::model::{
    Contact, Department, Firm, Id, Issue, IssueDraft, IssueEvent, LocalTime, Priority, Resolution,
    ResolutionKind, Status, Visit, VisitStatus,
};
use crate::store::{Store, StoreError};
use chrono::Duration;
use std::collections::HashMap;
use std::io::Write;

/// A firm as the harness compares it.
pub fn describe_firm(firm: &Firm) -> String {
    format!(
        "firm={} name={} short={} notes={} archived={} contacts={}",
        firm.id,
        firm.name,
        dash(&firm.short_name),
        dash(&firm.notes),
        firm.archived,
        firm.contacts.len()
    )
}

/// A visit as the harness compares it; the minutes by length and checksum (they can be long).
pub fn describe_visit(visit: &Visit) -> String {
    format!(
        "visit={} firm={} start={} duration={} status={} minutes={}:{:08x}",
        visit.id,
        visit.firm,
        visit.start.to_rfc3339(),
        visit.duration_min,
        visit.status.code(),
        visit.minutes.len(),
        crc32fast::hash(visit.minutes.as_bytes())
    )
}

/// An item with the number of events in its history.
pub fn describe_issue(issue: &Issue, events: usize) -> String {
    format!(
        "issue={} number={} firm={} title={} status={} priority={} due={} dept={} owner={} events={}",
        issue.id,
        issue.number,
        issue.firm,
        issue.title,
        issue.status.code(),
        issue.priority.code(),
        issue.due.map_or("-".to_string(), |d| d.to_string()),
        issue.department.map_or("-".to_string(), |d| d.to_string()),
        dash(&issue.owner),
        events
    )
}

pub fn describe_department(department: &Department) -> String {
    format!("department={} name={}", department.id, department.name)
}

fn dash(text: &str) -> &str {
    if text.is_empty() {
        "-"
    } else {
        text
    }
}

/// What the torture knows of the database: read once at start, then kept up to date by its
/// own writes (it is the only writer).
struct State {
    firms: Vec<Firm>,
    visits: Vec<Visit>,
    issues: Vec<Issue>,
    /// Events per item.
    events: HashMap<Id, usize>,
    departments: Vec<Id>,
}

const DEPARTMENTS: [&str; 3] = ["发改局", "自然资源分局", "工信局"];

pub fn run(store: &Store, args: TortureArgs) -> CliResult {
    let mut rng = Rng::new(args.seed);
    let mut state = load(store)?;
    let mut out = std::io::stdout().lock();
    let mut write = 0u64;
    // Departments first: items are handed to them. A run killed half-way through leaves
    // some, and the next run adds the missing ones.
    for name in DEPARTMENTS {
        let stored = store.departments()?.records;
        if stored.iter().any(|d| d.name == name) {
            continue;
        }
        write += 1;
        let department = Department::new(name, "")?;
        confirmed(&mut out, write, &[describe_department(&department)], || {
            store.put_department(&department)
        })?;
        state.departments.push(department.id);
    }
    let tag = format!("s{}p{}", args.seed, std::process::id());
    while write < args.writes {
        write += 1;
        let now = super::now();
        let roll = rng.below(100);
        if state.firms.is_empty() || roll < 6 {
            new_firm(store, &mut state, &mut out, write, &tag, now)?;
        } else if roll < 14 {
            edit_firm(store, &mut state, &mut out, &mut rng, write, &tag, now)?;
        } else if roll < 24 {
            new_visit(store, &mut state, &mut out, &mut rng, write, now)?;
        } else if roll < 36 {
            edit_visit(store, &mut state, &mut out, &mut rng, write, now)?;
        } else if roll < 60 || state.issues.is_empty() {
            new_issue(store, &mut state, &mut out, &mut rng, write, &tag, now)?;
        } else if roll < 94 {
            triage(store, &mut state, &mut out, &mut rng, write, now, 1)?;
        } else {
            triage(store, &mut state, &mut out, &mut rng, write, now, 3)?;
        }
    }
    Ok(())
}

fn load(store: &Store) -> Result<State, CliError> {
    let damaged = |what: &str, n: usize| {
        CliError::Runtime(format!(
            "{n} damaged {what}: the torture runs on a consistent database"
        ))
    };
    let firms = store.firms()?;
    if !firms.damaged.is_empty() {
        return Err(damaged("firms", firms.damaged.len()));
    }
    let mut visits = Vec::new();
    let mut issues = Vec::new();
    let mut bad = 0;
    store.each_visit(|v| {
        match v {
            Ok(v) => visits.push(v),
            Err(_) => bad += 1,
        }
        Ok(())
    })?;
    store.each_issue(|i| {
        match i {
            Ok(i) => issues.push(i),
            Err(_) => bad += 1,
        }
        Ok(())
    })?;
    if bad > 0 {
        return Err(damaged("records", bad));
    }
    let mut events = HashMap::new();
    for issue in &issues {
        events.insert(issue.id, store.events(issue.id)?.records.len());
    }
    Ok(State {
        firms: firms.records,
        visits,
        issues,
        events,
        departments: store.departments()?.records.iter().map(|d| d.id).collect(),
    })
}

/// One line, written and flushed in one call: a line is either whole in the pipe or absent.
fn say(out: &mut impl Write, verb: &str, write: u64, records: &[String]) -> CliResult {
    let mut line = format!("{verb} write={write}");
    for record in records {
        line.push_str(" | ");
        line.push_str(record);
    }
    line.push('\n');
    out.write_all(line.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// A write whose lines say what it makes true: `begin` before, the write, `ok` once it has
/// returned (flushed).
fn confirmed(
    out: &mut impl Write,
    write: u64,
    lines: &[String],
    put: impl FnOnce() -> Result<(), StoreError>,
) -> CliResult {
    say(out, "begin", write, lines)?;
    put()?;
    say(out, "ok", write, lines)
}

fn new_firm(
    store: &Store,
    state: &mut State,
    out: &mut impl Write,
    write: u64,
    tag: &str,
    now: LocalTime,
) -> CliResult {
    let mut firm = Firm::new(&format!("测试企业{tag}w{write}"), now)?;
    firm.sector = "生物医药".into();
    confirmed(out, write, &[describe_firm(&firm)], || {
        store.put_firm(&firm)
    })?;
    state.firms.push(firm);
    Ok(())
}

fn edit_firm(
    store: &Store,
    state: &mut State,
    out: &mut impl Write,
    rng: &mut Rng,
    write: u64,
    tag: &str,
    now: LocalTime,
) -> CliResult {
    let i = rng.below(state.firms.len());
    let mut firm = state.firms[i].clone();
    match rng.below(4) {
        // A rename moves the name index entry.
        0 => firm.name = format!("改名企业{tag}w{write}"),
        1 => firm.contacts.push(Contact {
            name: format!("联系人{write}"),
            title: "经理".into(),
            phone: "0760-8888 1234".into(),
            email: String::new(),
        }),
        2 => firm.archived = !firm.archived,
        _ => firm.short_name = format!("简称{write}"),
    }
    firm.notes = format!("rev{write}");
    firm.updated = now;
    confirmed(out, write, &[describe_firm(&firm)], || {
        store.put_firm(&firm)
    })?;
    state.firms[i] = firm;
    Ok(())
}

fn new_visit(
    store: &Store,
    state: &mut State,
    out: &mut impl Write,
    rng: &mut Rng,
    write: u64,
    now: LocalTime,
) -> CliResult {
    let firm = rng.pick(&state.firms).id;
    let start = now + Duration::minutes(rng.range(-60 * 24 * 30, 60 * 24 * 30));
    let visit = Visit {
        id: Id::new(),
        firm,
        start,
        duration_min: rng.range(30, 180) as u32,
        location: "会议室".into(),
        lead: "陈文锋".into(),
        attendees: vec!["经科局".into()],
        purpose: "走访".into(),
        status: VisitStatus::Planned,
        minutes: String::new(),
        created: now,
        updated: now,
    };
    confirmed(out, write, &[describe_visit(&visit)], || {
        store.put_visit(&visit)
    })?;
    state.visits.push(visit);
    Ok(())
}

fn edit_visit(
    store: &Store,
    state: &mut State,
    out: &mut impl Write,
    rng: &mut Rng,
    write: u64,
    now: LocalTime,
) -> CliResult {
    if state.visits.is_empty() {
        return new_visit(store, state, out, rng, write, now);
    }
    let i = rng.below(state.visits.len());
    let mut visit = state.visits[i].clone();
    match rng.below(10) {
        // A reschedule moves both visit indexes.
        0..=2 => visit.start = now + Duration::minutes(rng.range(-60 * 24 * 30, 60 * 24 * 30)),
        3 => visit.status = *rng.pick(&VisitStatus::ALL),
        // Now and then long minutes, which sled keeps outside its pages (a blob file).
        4 => {
            visit.minutes =
                "会议纪要：企业反映扩产用地、用电增容问题。".repeat(rng.range(200, 2000) as usize)
        }
        _ => {
            visit.minutes = format!(
                "纪要 第{write}次修改：{}",
                "议定事项。".repeat(rng.below(40))
            )
        }
    }
    visit.updated = now;
    confirmed(out, write, &[describe_visit(&visit)], || {
        store.put_visit(&visit)
    })?;
    state.visits[i] = visit;
    Ok(())
}

fn new_issue(
    store: &Store,
    state: &mut State,
    out: &mut impl Write,
    rng: &mut Rng,
    write: u64,
    tag: &str,
    now: LocalTime,
) -> CliResult {
    let firm = rng.pick(&state.firms).id;
    let mut draft = IssueDraft::new(firm, &format!("扩产用地{tag}w{write}"));
    draft.priority = *rng.pick(&Priority::ALL);
    draft.visit = state
        .visits
        .iter()
        .find(|v| v.firm == firm)
        .map(|v| v.id)
        .filter(|_| rng.chance(0.5));
    if rng.chance(0.3) && !state.departments.is_empty() {
        draft.department = Some(*rng.pick(&state.departments));
    }
    // Without a due date the store sets one from the priority: the line says which.
    let due = if rng.chance(0.7) {
        Some(now.date_naive() + Duration::days(rng.range(0, 60)))
    } else {
        None
    };
    draft.due = due;
    let mut expected = draft.clone().into_issue(Id::MIN, 0, now)?;
    if due.is_none() {
        expected.due = Some(store.sla()?.due(draft.priority, now.date_naive()));
    }
    let planned = describe_issue(&expected, 1)
        .replacen(&format!("issue={}", Id::MIN), "issue=?", 1)
        .replacen("number=0", "number=?", 1);
    say(out, "begin", write, &[planned])?;
    let author = "torture";
    let issue = store.create_issue(draft, author, now)?;
    let created = store.events(issue.id)?.records;
    let line = format!(
        "{} new={}",
        describe_issue(&issue, created.len()),
        ids(created.iter().map(|e| e.id))
    );
    say(out, "ok", write, &[line])?;
    state.events.insert(issue.id, created.len());
    state.issues.push(issue);
    Ok(())
}

fn ids(ids: impl Iterator<Item = Id>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

/// One triage action on `count` distinct items (a bulk action when more than one), saved in
/// one transaction.
fn triage(
    store: &Store,
    state: &mut State,
    out: &mut impl Write,
    rng: &mut Rng,
    write: u64,
    now: LocalTime,
    count: usize,
) -> CliResult {
    let mut chosen: Vec<usize> = Vec::new();
    for _ in 0..count {
        let i = rng.below(state.issues.len());
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    let kind = rng.below(7);
    let mut changes: Vec<(Issue, Vec<IssueEvent>)> = Vec::new();
    for &i in &chosen {
        let mut issue = state.issues[i].clone();
        let events = change(&mut issue, kind, rng, state, now)?;
        if !events.is_empty() {
            changes.push((issue, events));
        }
    }
    if changes.is_empty() {
        // Nothing changed (the same priority again): try a response, which always writes.
        let mut issue = state.issues[chosen[0]].clone();
        let event = issue.respond(&format!("已受理，第{write}次答复"), false, "torture", now)?;
        changes.push((issue, vec![event]));
    }
    let lines = |changes: &[(Issue, Vec<IssueEvent>)]| -> Vec<String> {
        changes
            .iter()
            .map(|(issue, events)| {
                let total = state.events.get(&issue.id).copied().unwrap_or(0) + events.len();
                format!(
                    "{} new={}",
                    describe_issue(issue, total),
                    ids(events.iter().map(|e| e.id))
                )
            })
            .collect()
    };
    confirmed(out, write, &lines(&changes), || {
        if changes.len() == 1 {
            store.save_issue(&changes[0].0, &changes[0].1)
        } else {
            store.save_issues(&changes)
        }
    })?;
    for (issue, events) in changes {
        *state.events.entry(issue.id).or_default() += events.len();
        if let Some(slot) = state.issues.iter_mut().find(|i| i.id == issue.id) {
            *slot = issue;
        }
    }
    Ok(())
}

/// One kind of triage change on one item: priority, department, due date, status (along an
/// allowed move), owner, or a response.
fn change(
    issue: &mut Issue,
    kind: usize,
    rng: &mut Rng,
    state: &State,
    now: LocalTime,
) -> Result<Vec<IssueEvent>, CliError> {
    let author = "torture";
    let event = match kind {
        0 => issue.set_priority(*rng.pick(&Priority::ALL), author, now),
        1 => {
            let to = if state.departments.is_empty() || rng.chance(0.2) {
                None
            } else {
                Some(*rng.pick(&state.departments))
            };
            issue.assign(to, author, now)
        }
        2 => {
            let due = (rng.chance(0.9))
                .then(|| now.date_naive() + Duration::days(rng.range(0, 90)))
                .filter(|d| *d >= issue.created.date_naive());
            issue.set_due(due, author, now)?
        }
        3 | 4 => {
            let targets: Vec<Status> = Status::ALL
                .into_iter()
                .filter(|to| issue.status.can_become(*to))
                .collect();
            let to = *rng.pick(&targets);
            let resolution = (to == Status::Closed).then(|| Resolution {
                kind: ResolutionKind::Answered,
                text: "已答复企业".into(),
            });
            Some(issue.change_status(to, resolution, author, now)?)
        }
        5 => issue.set_owner(&format!("李晓{}", rng.below(5)), author, now)?,
        _ => Some(issue.respond(
            &format!("部门答复{}：正在协调", rng.below(1000)),
            rng.chance(0.3),
            author,
            now,
        )?),
    };
    Ok(event.into_iter().collect())
}
