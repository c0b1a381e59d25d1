//! The first pass of a restore: every line checked before anything is written.

use super::{ledger, Counts, Header, Kind, Record, SettingsRecord};
use crate::model::{clean_author, name_key, FieldError, Id};
use std::collections::HashSet;

/// The first pass: everything the second pass would refuse, found before anything is written.
/// Holds ids and numbers, never records: a firm id and name per firm, an id and a number
/// per item.
pub(super) struct Validation {
    expected: Counts,
    seen: Counts,
    last: Option<(Kind, (Id, Id))>,
    settings: Option<SettingsRecord>,
    firms: HashSet<Id>,
    firm_names: HashSet<String>,
    /// In increasing order, as items come by id.
    issues: Vec<Id>,
    numbers: HashSet<u32>,
    log: ledger::LogValidation,
}

impl Validation {
    pub(super) fn new(header: &Header) -> Validation {
        Validation {
            expected: header.counts,
            seen: Counts::default(),
            last: None,
            settings: None,
            firms: HashSet::new(),
            firm_names: HashSet::new(),
            issues: Vec::new(),
            numbers: HashSet::new(),
            log: ledger::LogValidation::default(),
        }
    }

    pub(super) fn check(&mut self, record: Record) -> Result<(), String> {
        let kind = record.kind();
        let key = record.key();
        match self.last {
            None if kind != Kind::Settings => {
                return Err(format!(
                    "{} record where the settings record must come first",
                    kind.a()
                ))
            }
            Some((Kind::Settings, _)) | None => {}
            Some((last, _)) if kind < last => {
                return Err(format!(
                    "{} record after the {} records; a backup holds {} in that order",
                    kind.a(),
                    last.name(),
                    Kind::ALL.map(Kind::name).join(", ")
                ))
            }
            Some((last, last_key)) if kind == last && !kind.is_log() && key <= last_key => {
                return Err(format!(
                    "{} {} comes after {} or repeats it; records of a kind go in order of id",
                    kind.name(),
                    show_key(kind, key),
                    show_key(kind, last_key)
                ))
            }
            Some(_) => {}
        }
        if kind == Kind::Settings && self.settings.is_some() {
            return Err("a second settings record".into());
        }
        self.last = Some((kind, key));
        if kind != Kind::Settings && kind != Kind::Ledger {
            let expected = *self.expected.of(kind);
            let seen = self.seen.of(kind);
            *seen += 1;
            if *seen > expected {
                return Err(format!(
                    "more {} records than the {expected} the header counts",
                    kind.name()
                ));
            }
        }
        // Every record meets the rules of the way it is written in the app or the command
        // line (text without control characters, lengths within their caps): a backup is no
        // way around them.
        let invalid =
            |what: &str, id: Id, e: FieldError| format!("{what} {id}: {}", field_message(&e));
        match record {
            Record::Settings(settings) => {
                if settings.next_issue_number == 0 {
                    return Err("the next item number must be at least 1".into());
                }
                if let Some(user) = &settings.user {
                    clean_author(user).map_err(|e| {
                        format!(
                            "settings: user: {}",
                            crate::messages::field_problem(e.field, &e.problem)
                        )
                    })?;
                }
                self.settings = Some(settings);
            }
            Record::Department(department) => {
                let id = department.id;
                department
                    .validated()
                    .map_err(|e| invalid("department", id, e))?;
            }
            Record::Category(category) => {
                let id = category.id;
                category
                    .validated()
                    .map_err(|e| invalid("category", id, e))?;
            }
            Record::View(view) => {
                let id = view.id;
                view.validated().map_err(|e| invalid("view", id, e))?;
            }
            Record::Firm(firm) => {
                let id = firm.id;
                let firm = firm.validated().map_err(|e| invalid("firm", id, e))?;
                if !self.firm_names.insert(name_key(&firm.name)) {
                    return Err(format!(
                        "firm {id}: another firm in the backup is named {}",
                        firm.name
                    ));
                }
                self.firms.insert(firm.id);
            }
            Record::Visit(visit) => {
                let id = visit.id;
                let visit = visit.validated().map_err(|e| invalid("visit", id, e))?;
                if !self.firms.contains(&visit.firm) {
                    return Err(format!(
                        "visit {id}: its firm {} is not in the backup",
                        visit.firm
                    ));
                }
            }
            Record::Issue(issue) => {
                let id = issue.id;
                let issue = issue.validated().map_err(|e| invalid("issue", id, e))?;
                if !self.firms.contains(&issue.firm) {
                    return Err(format!(
                        "issue {}: its firm {} is not in the backup",
                        issue.id, issue.firm
                    ));
                }
                let next = self.settings.as_ref().map_or(1, |s| s.next_issue_number);
                if issue.number == 0 || issue.number >= next {
                    return Err(format!(
                        "issue {}: number #{} is not below the next item number {next} \
                         of the settings",
                        issue.id, issue.number
                    ));
                }
                if !self.numbers.insert(issue.number) {
                    return Err(format!(
                        "issue {}: number #{} is used by another item",
                        issue.id, issue.number
                    ));
                }
                self.issues.push(issue.id);
            }
            Record::Event(event) => {
                let id = event.id;
                let event = event.validated().map_err(|e| invalid("event", id, e))?;
                if self.issues.binary_search(&event.issue).is_err() {
                    return Err(format!(
                        "event {}: its item {} is not in the backup",
                        event.id, event.issue
                    ));
                }
            }
            Record::Ledger(state) => self.log.ledger(state)?,
            Record::Op(op) => self.log.op(&op)?,
            Record::Heads(heads) => self.log.heads(&heads)?,
            Record::Peer(_) | Record::ItemCode(_) => {}
        }
        Ok(())
    }

    pub(super) fn finish(self) -> Result<SettingsRecord, String> {
        let settings = self
            .settings
            .ok_or_else(|| "the file ends before the settings record".to_string())?;
        let mut expected = self.expected;
        let mut seen = self.seen;
        self.log.finish(self.seen.ops)?;
        for kind in Kind::ALL[1..].iter().filter(|k| **k != Kind::Ledger) {
            let (want, got) = (*expected.of(*kind), *seen.of(*kind));
            if want != got {
                return Err(format!(
                    "the file ends after {got} of the {want} {} records the header counts; \
                     it is incomplete",
                    kind.name()
                ));
            }
        }
        Ok(settings)
    }
}

/// `FIELD: problem`, as the imports name a bad cell.
fn field_message(e: &FieldError) -> String {
    format!(
        "{}: {}",
        crate::messages::field_name(e.field),
        crate::messages::field_problem(e.field, &e.problem)
    )
}

fn show_key(kind: Kind, (first, second): (Id, Id)) -> String {
    match kind {
        Kind::Event => format!("{second} (of item {first})"),
        _ => first.to_string(),
    }
}
