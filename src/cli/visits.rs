//! `visits add` plans a visit as the agenda's form does; `visits done ID` marks one done.

use super::issues::{find_firm, when_problem};
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::model::{when, Field, Id, Visit, VisitStatus};
use crate::store::Store;
use clap::Args;

#[derive(Debug, Args)]
pub struct AddVisitArgs {
    /// The firm: full or short name, pinyin or initials naming one firm
    #[arg(long, value_name = "F")]
    pub firm: String,
    /// When, as the form takes it: 2026-12-13 09:30, tomorrow 14:00, 周五 15:00, +2d 10:00
    #[arg(long, value_name = "WHEN")]
    pub at: String,
    /// How long: 90, 1h30, 2h
    #[arg(long = "for", value_name = "DURATION", default_value = "1h")]
    pub duration: String,
    /// Where: the firm's meeting room, a site
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "",
        hide_default_value = true
    )]
    pub location: String,
    /// Who leads the visit
    #[arg(
        long,
        value_name = "NAME",
        default_value = "",
        hide_default_value = true
    )]
    pub lead: String,
    /// Who else goes, separated by commas
    #[arg(
        long,
        value_name = "NAMES",
        default_value = "",
        hide_default_value = true
    )]
    pub attendees: String,
    /// What the visit is for
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "",
        hide_default_value = true
    )]
    pub purpose: String,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The visit's id as `visits list` shows it (its first 8 characters are enough when no
    /// other visit starts with them)
    #[arg(value_name = "ID")]
    pub id: String,
}

pub fn add(store: &Store, args: AddVisitArgs) -> CliResult {
    let now = super::now();
    let firm = find_firm(store, &args.firm)?;
    let start = when::parse_when(&args.at, now).map_err(|e| when_problem("--at", &args.at, &e))?;
    let duration_min = when::parse_duration(&args.duration)
        .map_err(|e| when_problem("--for", &args.duration, &e))?;
    let visit = Visit {
        id: Id::new(),
        firm,
        start,
        duration_min,
        location: args.location,
        lead: args.lead,
        attendees: args
            .attendees
            .split([',', '，', '、'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        purpose: args.purpose,
        status: VisitStatus::Planned,
        minutes: String::new(),
        created: now,
        updated: now,
    }
    .validated()
    .map_err(|e| {
        // The duration is the one field checked here that was typed as something else.
        let typed = match e.field {
            Field::Duration => format!("{}: ", args.duration.trim()),
            _ => String::new(),
        };
        CliError::Input(format!(
            "--{}: {typed}{}",
            flag_for(e.field),
            crate::messages::field_problem(e.field, &e.problem)
        ))
    })?;
    store.put_visit(&visit)?;
    let firm_name = store.firm(firm)?.map(|f| f.name).unwrap_or_default();
    say!(
        "{}  {}  {}",
        visit.id,
        visit
            .start
            .with_timezone(now.offset())
            .format("%Y-%m-%d %H:%M"),
        firm_name
    );
    Ok(())
}

fn flag_for(field: Field) -> &'static str {
    match field {
        Field::Duration => "for",
        Field::Location => "location",
        Field::Lead => "lead",
        Field::Attendees => "attendees",
        Field::Purpose => "purpose",
        _ => "at",
    }
}

pub fn done(store: &Store, args: DoneArgs) -> CliResult {
    let id = find_visit(store, &args.id)?;
    let mut visit = store
        .visit(id)?
        .ok_or_else(|| CliError::Input(msg::no_visit(&args.id)))?;
    if visit.status == VisitStatus::Done {
        say!("{}", msg::visit_already_done(&visit.id.to_string()));
        return Ok(());
    }
    // As the agenda's `d`: the status and the time of the change, nothing else.
    visit.status = VisitStatus::Done;
    visit.updated = super::now();
    store.put_visit(&visit)?;
    say!("{}", msg::visit_done(&visit.id.to_string()));
    Ok(())
}

/// A whole id, or the start of exactly one visit's id (at least 8 characters).
fn find_visit(store: &Store, text: &str) -> Result<Id, CliError> {
    let text = text.trim().to_lowercase();
    if let Ok(id) = text.parse::<Id>() {
        return Ok(id);
    }
    if text.len() < 8 || !text.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(CliError::Input(msg::not_a_visit_id(&text)));
    }
    let found: Vec<Id> = store
        .visit_ids_by_time()?
        .into_iter()
        .filter(|id| id.to_string().starts_with(&text))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::Input(msg::no_visit(&text))),
        many => Err(CliError::Input(msg::visit_id_ambiguous(&text, many.len()))),
    }
}
