//! `liaison check`: decode every record, verify every index entry in both directions and the
//! maintained counters.

use super::*;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIssue {
    pub tree: &'static str,
    pub key: String,
    pub what: String,
}

#[derive(Debug, Default)]
pub struct CheckReport {
    pub records: u64,
    pub index_entries: u64,
    pub problems: Vec<CheckIssue>,
    /// Values set aside by `repair`; kept, not problems.
    pub quarantined: u64,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    pub(super) fn problem(&mut self, tree: usize, key: &[u8], what: impl Into<String>) {
        self.problems.push(CheckIssue {
            tree: TREE_NAMES[tree],
            key: key_text(key),
            what: what.into(),
        });
    }
}

/// The index entries (tree, key, value) a record must have.
pub(super) type Expected = Vec<(usize, Vec<u8>, Vec<u8>)>;

pub(super) fn firm_entries(firm: &Firm) -> Expected {
    vec![(
        IDX_FIRM_NAME,
        keys::firm_name(firm),
        firm.id.as_bytes().to_vec(),
    )]
}

pub(super) fn visit_entries(visit: &Visit) -> Expected {
    vec![
        (IDX_VISIT_TIME, keys::visit_time(visit), Vec::new()),
        (IDX_VISIT_FIRM, keys::visit_firm(visit), Vec::new()),
    ]
}

pub(super) fn issue_entries(issue: &Issue) -> Expected {
    vec![
        (IDX_ISSUE_STATUS, keys::issue_status(issue), Vec::new()),
        (
            IDX_ISSUE_FIRM,
            keys::issue_firm(issue),
            vec![issue.status.as_byte()],
        ),
        (IDX_ISSUE_DUE, keys::issue_due(issue), Vec::new()),
        (
            IDX_ISSUE_NUMBER,
            keys::issue_number(issue.number).to_vec(),
            issue.id.as_bytes().to_vec(),
        ),
    ]
}

impl Store {
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        let mut counted = Counts::default();

        match self.schema_version() {
            Ok(v) if v == SCHEMA_VERSION => {}
            Ok(v) => report.problem(
                META,
                META_SCHEMA,
                format!("schema v{v}, expected v{SCHEMA_VERSION}"),
            ),
            Err(e) => report.problem(META, META_SCHEMA, e.to_string()),
        }

        if let Some(mark) = self.unfinished()? {
            report.problem(
                META,
                b"unfinished",
                format!(
                    "{mark} did not finish: the database holds only part of what it writes; {}",
                    mark.remedy()
                ),
            );
        }

        let mut stale_keys = Vec::new();
        let damaged_firms = self.check_records::<Firm>(FIRMS, &mut report, |firm| {
            counted.firms += 1;
            let expected = FirmKeys::new(&firm.name, &firm.short_name);
            match self.get::<FirmKeys>(FIRM_SEARCH, firm.id) {
                Ok(Some(keys)) if keys == expected => {}
                Ok(Some(_)) => stale_keys.push((firm.id, "search keys do not match the name")),
                Ok(None) => stale_keys.push((firm.id, "search keys are missing")),
                Err(_) => stale_keys.push((firm.id, "search keys cannot be decoded")),
            }
            let mut entries = firm_entries(firm);
            // A firm merged in from another ledger under a name a firm here has: the name
            // stays with that one (`sync::tx_put_firm_merged`), a likely duplicate.
            let name_owner = self.trees[IDX_FIRM_NAME]
                .get(keys::firm_name(firm))
                .ok()
                .flatten()
                .and_then(|v| Id::from_slice(&v));
            if name_owner.is_some_and(|owner| owner != firm.id) {
                entries.retain(|(index, _, _)| *index != IDX_FIRM_NAME);
            }
            (firm.id, entries)
        })?;
        for (id, what) in stale_keys {
            report.problem(FIRM_SEARCH, id.as_bytes(), what);
        }
        for entry in self.trees[FIRM_SEARCH].iter() {
            let (key, _) = entry?;
            report.index_entries += 1;
            if !self.trees[FIRMS].contains_key(&key)? {
                report.problem(
                    FIRM_SEARCH,
                    &key,
                    "search keys of a firm that does not exist",
                );
            }
        }
        let firm_exists = |id: Id| -> Result<bool, StoreError> {
            Ok(self.trees[FIRMS].contains_key(id.as_bytes())?)
        };
        let mut missing_firms = Vec::new();
        let damaged_visits = self.check_records::<Visit>(VISITS, &mut report, |visit| {
            counted.visits += 1;
            if !firm_exists(visit.firm).unwrap_or(true) {
                missing_firms.push((VISITS, visit.id, visit.firm));
            }
            (visit.id, visit_entries(visit))
        })?;
        let mut numbers: HashMap<u32, Id> = HashMap::new();
        let mut duplicate_numbers = Vec::new();
        // Items from other ledgers are known by their ledger's code and number; their plain
        // number may be another item's here (docs/sync.md).
        let foreign = self.foreign_items()?;
        let damaged_issues = self.check_records::<Issue>(ISSUES, &mut report, |issue| {
            counted.issues_by_status[issue.status.as_byte() as usize] += 1;
            if !firm_exists(issue.firm).unwrap_or(true) {
                missing_firms.push((ISSUES, issue.id, issue.firm));
            }
            let mut entries = issue_entries(issue);
            if foreign.contains(&issue.id) {
                let number = keys::issue_number(issue.number);
                let owner = self.index_get(IDX_ISSUE_NUMBER, &number).ok().flatten();
                if owner.is_some_and(|o| o != issue.id.as_bytes()) {
                    entries.retain(|(index, _, _)| *index != IDX_ISSUE_NUMBER);
                    return (issue.id, entries);
                }
            }
            if let Some(other) = numbers.insert(issue.number, issue.id) {
                duplicate_numbers.push((issue.id, issue.number, other));
            }
            (issue.id, entries)
        })?;
        for (tree, id, firm) in missing_firms {
            report.problem(
                tree,
                id.as_bytes(),
                format!("refers to firm {firm}, which does not exist"),
            );
        }
        for (id, number, other) in duplicate_numbers {
            report.problem(
                ISSUES,
                id.as_bytes(),
                format!("number #{number} is also used by {other}"),
            );
        }
        self.check_simple::<Department>(DEPARTMENTS, &mut report, |d| d.id)?;
        self.check_simple::<Category>(CATEGORIES, &mut report, |c| c.id)?;
        self.check_simple::<SavedView>(VIEWS, &mut report, |v| v.id)?;
        let damaged_histories = self.check_history(&mut report, &mut counted)?;
        self.check_index_owners(&mut report)?;
        // The word index is derived from the items and their responses: held to them only
        // when those are sound (a damaged one is the finding; `repair` rebuilds the index).
        let texts = [TREE_NAMES[ISSUES], TREE_NAMES[HISTORY]];
        if !report.problems.iter().any(|p| texts.contains(&p.tree)) {
            self.check_word_index(&mut report)?;
        }
        self.check_log(&mut report)?;

        // A damaged record still exists, and counts: its damage is reported on its own. The
        // status of a damaged item is unknown, so with one the counters by status are
        // compared in total only.
        let mut pairs = vec![
            (
                Counter::Firms,
                "count:firms".to_string(),
                counted.firms + damaged_firms,
            ),
            (
                Counter::Visits,
                "count:visits".to_string(),
                counted.visits + damaged_visits,
            ),
        ];
        // The events of a damaged history are unknown: with one, the counter can only be
        // held to the events that were read.
        if damaged_histories == 0 {
            pairs.push((Counter::Events, "count:events".to_string(), counted.events));
        } else {
            match self.get_meta::<u64>(&Counter::Events.key()) {
                Ok(stored) if stored.unwrap_or(0) >= counted.events => {}
                Ok(stored) => report.problem(
                    META,
                    b"count:events",
                    format!(
                        "counter says {}, found {} events in the histories that can be read",
                        stored.unwrap_or(0),
                        counted.events
                    ),
                ),
                Err(e) => report.problem(META, b"count:events", e.to_string()),
            }
        }
        if damaged_issues == 0 {
            for status in Status::ALL {
                pairs.push((
                    Counter::Issues(status),
                    format!("count:issues:{}", status.code()),
                    counted.issues_by_status[status.as_byte() as usize],
                ));
            }
        } else {
            let mut stored = 0;
            for status in Status::ALL {
                match self.get_meta::<u64>(&Counter::Issues(status).key()) {
                    Ok(n) => stored += n.unwrap_or(0),
                    Err(e) => report.problem(
                        META,
                        format!("count:issues:{}", status.code()).as_bytes(),
                        e.to_string(),
                    ),
                }
            }
            let found = counted.issues_by_status.iter().sum::<u64>() + damaged_issues;
            if stored != found {
                report.problem(
                    META,
                    b"count:issues",
                    format!("counters by status add up to {stored}, found {found} items"),
                );
            }
        }
        for (counter, name, counted) in pairs {
            // A damaged counter is a problem to report, not a reason to stop checking.
            match self.get_meta::<u64>(&counter.key()) {
                Ok(stored) if stored.unwrap_or(0) == counted => {}
                Ok(stored) => report.problem(
                    META,
                    name.as_bytes(),
                    format!("counter says {}, found {counted}", stored.unwrap_or(0)),
                ),
                Err(e) => report.problem(META, name.as_bytes(), e.to_string()),
            }
        }
        let highest = numbers.keys().max().copied().unwrap_or(0);
        match self.get_meta::<u32>(META_NEXT_NUMBER) {
            Ok(next) if next.unwrap_or(1) > highest => {}
            Ok(next) => report.problem(
                META,
                META_NEXT_NUMBER,
                format!(
                    "next number is #{}, but #{highest} is taken",
                    next.unwrap_or(1)
                ),
            ),
            Err(e) => report.problem(META, META_NEXT_NUMBER, e.to_string()),
        }
        if let Err(e) = self.get_meta::<String>(META_USER) {
            report.problem(META, META_USER, e.to_string());
        }
        if let Err(e) = self.get_meta::<Sla>(META_SLA) {
            report.problem(META, META_SLA, e.to_string());
        }
        if let Err(e) = self.get_meta::<u16>(META_DERIVED) {
            report.problem(META, META_DERIVED, e.to_string());
        }
        for entry in self.trees[QUARANTINE].iter() {
            let (key, value) = entry?;
            report.quarantined += 1;
            if let Err(e) = codec::decode::<super::Quarantined>(&value) {
                report.problem(QUARANTINE, &key, e.to_string());
            }
        }
        Ok(report)
    }

    /// Decodes each record of a tree, checks its key is its id and that every index entry it
    /// needs is there with the right value. Returns how many records could not be decoded.
    fn check_records<T: DeserializeOwned>(
        &self,
        tree: usize,
        report: &mut CheckReport,
        mut describe: impl FnMut(&T) -> (Id, Expected),
    ) -> Result<u64, StoreError> {
        let mut damaged = 0;
        for (key, _) in self.malformed_record_groups(tree)? {
            report.problem(
                tree,
                &key,
                "malformed record group: its records cannot be read",
            );
            damaged += 1;
        }
        for entry in self.record_entries(tree) {
            let (key, value) = entry?;
            report.records += 1;
            let record: T = match codec::decode(&value) {
                Ok(r) => r,
                Err(e) => {
                    report.problem(tree, &key, e.to_string());
                    damaged += 1;
                    continue;
                }
            };
            let (id, expected) = describe(&record);
            if key.as_slice() != id.as_bytes() {
                report.problem(
                    tree,
                    &key,
                    format!("stored under a key that is not its id {id}"),
                );
            }
            for (index, index_key, index_value) in expected {
                match self.index_get(index, &index_key)? {
                    None => report.problem(
                        index,
                        &index_key,
                        format!("missing entry for {} {id}", TREE_NAMES[tree]),
                    ),
                    Some(v) if v != index_value => report.problem(
                        index,
                        &index_key,
                        format!("entry for {} {id} has a wrong value", TREE_NAMES[tree]),
                    ),
                    Some(_) => {}
                }
            }
        }
        Ok(damaged)
    }

    fn check_simple<T: DeserializeOwned>(
        &self,
        tree: usize,
        report: &mut CheckReport,
        id_of: impl Fn(&T) -> Id,
    ) -> Result<(), StoreError> {
        self.check_records::<T>(tree, report, |r| (id_of(r), Vec::new()))
            .map(|_| ())
    }

    /// Each item's history: it decodes, its key is its item and every event is that item's,
    /// the item exists, the events are in id order with each id once, and the responses are
    /// those of the events (in any order: ids, not clocks, order the history). Counts the
    /// events; returns how many histories could not be decoded.
    fn check_history(
        &self,
        report: &mut CheckReport,
        counted: &mut Counts,
    ) -> Result<u64, StoreError> {
        let mut damaged = 0;
        for (key, _) in self.malformed_record_groups(HISTORY)? {
            report.problem(
                HISTORY,
                &key,
                "malformed record group: its histories cannot be read",
            );
            damaged += 1;
        }
        for entry in self.record_entries(HISTORY) {
            let (key, value) = entry?;
            report.records += 1;
            let history = match codec::decode::<History>(&value) {
                Ok(history) => history,
                Err(e) => {
                    report.problem(HISTORY, &key, e.to_string());
                    damaged += 1;
                    continue;
                }
            };
            counted.events += history.events.len() as u64;
            let Some(item) = Id::from_slice(&key).filter(|_| key.len() == Id::LEN) else {
                report.problem(HISTORY, &key, "stored under a key that is not an item id");
                continue;
            };
            if let Some(event) = history.events.iter().find(|e| e.issue != item) {
                report.problem(
                    HISTORY,
                    &key,
                    format!("holds event {} of item {}", event.id, event.issue),
                );
            }
            if !self.record_exists(ISSUES, &key)? {
                report.problem(
                    HISTORY,
                    &key,
                    format!("history of item {item}, which does not exist"),
                );
            }
            if let Some((event, what)) = history.disorder() {
                report.problem(HISTORY, &key, format!("event {event} {what}"));
            }
            if !same_lines(&history.responses, &responses_of(&history.events)) {
                report.problem(
                    HISTORY,
                    &key,
                    "response text does not match the item's history",
                );
            }
        }
        Ok(damaged)
    }

    /// The other direction: every index entry must belong to a record that still wants it.
    fn check_index_owners(&self, report: &mut CheckReport) -> Result<(), StoreError> {
        for index in IDX_FIRM_NAME..=IDX_VISIT_FIRM {
            for key in self.malformed_groups(index)? {
                report.problem(index, &key, "malformed index group");
            }
            for entry in self.index_entries(index) {
                let (key, value) = entry?;
                report.index_entries += 1;
                let Some((tree, id)) = owner_of(index, &key, &value) else {
                    report.problem(index, &key, "malformed index entry");
                    continue;
                };
                let Some(bytes) = self.record_get(tree, id.as_bytes())? else {
                    report.problem(
                        index,
                        &key,
                        format!("points to {} {id}, which does not exist", TREE_NAMES[tree]),
                    );
                    continue;
                };
                let expected = match tree {
                    FIRMS => codec::decode::<Firm>(&bytes).map(|r| firm_entries(&r)),
                    VISITS => codec::decode::<Visit>(&bytes).map(|r| visit_entries(&r)),
                    _ => codec::decode::<Issue>(&bytes).map(|r| issue_entries(&r)),
                };
                // An undecodable owner is already reported by check_records.
                if let Ok(expected) = expected {
                    if !expected.iter().any(|(i, k, _)| *i == index && *k == key) {
                        report.problem(
                            index,
                            &key,
                            format!("stale entry for {} {id}", TREE_NAMES[tree]),
                        );
                    }
                }
            }
        }
        Ok(())
    }
}

/// The record an index entry names: its tree and id (None for a malformed entry).
pub(super) fn owner_of(index: usize, key: &[u8], value: &[u8]) -> Option<(usize, Id)> {
    let exact = |bytes: &[u8]| Id::from_slice(bytes).filter(|_| bytes.len() == Id::LEN);
    let id = match index {
        IDX_FIRM_NAME | IDX_ISSUE_NUMBER => exact(value),
        IDX_ISSUE_STATUS => exact(key.get(1..)?),
        IDX_ISSUE_FIRM => exact(key.get(Id::LEN..)?),
        IDX_ISSUE_DUE => exact(key.get(5..)?),
        IDX_VISIT_TIME => exact(key.get(8..)?),
        IDX_VISIT_FIRM => exact(key.get(24..)?),
        _ => None,
    }?;
    let tree = match index {
        IDX_FIRM_NAME => FIRMS,
        IDX_VISIT_TIME | IDX_VISIT_FIRM => VISITS,
        _ => ISSUES,
    };
    Some((tree, id))
}

/// Two response texts hold the same lines, whatever their order.
pub(super) fn same_lines(a: &str, b: &str) -> bool {
    fn sorted(text: &str) -> Vec<&str> {
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        lines
    }
    sorted(a) == sorted(b)
}
