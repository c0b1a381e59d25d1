//! `liaison check --repair`: sets damaged values aside in the `quarantine` tree (never drops
//! them; an item's history goes whole), rebuilds what can be derived from the records that
//! remain (index entries, search keys, the responses in each history, counters), rebuilds a
//! placeholder for a damaged firm or item that other records still refer to, then checks
//! again.
//!
//! Every step can be run again: a repair cut short (a crash, a full disk) is finished by the
//! next one, and a repair of a consistent database does nothing.

use super::check::{firm_entries, issue_entries, owner_of, same_lines, visit_entries};
use super::*;
use crate::model::{name_key, Change, Priority};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A value taken out of its tree by `repair`: where it was, its bytes as found, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    pub tree: String,
    pub key: Vec<u8>,
    pub bytes: Vec<u8>,
    pub reason: String,
    pub at: LocalTime,
}

impl Quarantined {
    /// The original key as people can read it.
    pub fn key_text(&self) -> String {
        key_text(&self.key)
    }
}

/// One thing `repair` did, to one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairAction {
    pub tree: &'static str,
    pub key: String,
    pub what: String,
}

#[derive(Debug)]
pub struct RepairReport {
    pub actions: Vec<RepairAction>,
    /// The check run after the repair.
    pub check: CheckReport,
}

struct Repairer<'a> {
    store: &'a Store,
    now: LocalTime,
    actions: Vec<RepairAction>,
}

/// The records that decoded, in key order, and the keys of those set aside.
struct Sorted<T> {
    records: BTreeMap<Vec<u8>, T>,
    damaged: Vec<Vec<u8>>,
}

impl Store {
    /// Quarantines what cannot be read, rebuilds what can be derived, and checks again.
    pub fn repair(&self, now: LocalTime) -> Result<RepairReport, StoreError> {
        let mut r = Repairer {
            store: self,
            now,
            actions: Vec::new(),
        };
        r.rewrap_quarantine()?;
        for (tree, key, what) in self.repair_from_log()? {
            r.did(tree, &key, what);
        }
        let firms = r.records::<Firm>(FIRMS, |f| f.id.as_bytes().to_vec())?;
        let visits = r.records::<Visit>(VISITS, |v| v.id.as_bytes().to_vec())?;
        let issues = r.records::<Issue>(ISSUES, |i| i.id.as_bytes().to_vec())?;
        r.records::<Department>(DEPARTMENTS, |d| d.id.as_bytes().to_vec())?;
        r.records::<Category>(CATEGORIES, |c| c.id.as_bytes().to_vec())?;
        r.records::<SavedView>(VIEWS, |v| v.id.as_bytes().to_vec())?;
        r.settings()?;

        let mut wanted_firms: BTreeSet<Id> =
            firms.damaged.iter().filter_map(|k| exact_id(k)).collect();
        let mut firms: BTreeMap<Id, Firm> =
            firms.records.into_values().map(|f| (f.id, f)).collect();
        let visits: Vec<Visit> = visits.records.into_values().collect();
        let damaged_issues: Vec<Id> = issues.damaged.iter().filter_map(|k| exact_id(k)).collect();
        let mut issues: BTreeMap<Id, Issue> =
            issues.records.into_values().map(|i| (i.id, i)).collect();
        let orphans = r.histories(&issues)?;
        r.rebuild_issues(&mut issues, &orphans, &damaged_issues)?;
        wanted_firms.extend(visits.iter().map(|v| v.firm));
        wanted_firms.extend(issues.values().map(|i| i.firm));
        wanted_firms.retain(|id| !firms.contains_key(id));
        r.rebuild_firms(&mut firms, &wanted_firms)?;
        r.unique_names(&mut firms)?;
        r.unique_numbers(&mut issues)?;

        r.indexes(&firms, &visits, &issues)?;
        let events = r.derived(&firms)?;
        // Derived from the items and responses just set right.
        let words = self.rebuild_word_index()?;
        if words > 0 {
            r.did(
                IDX_ISSUE_WORDS,
                b"",
                format!("rebuilt {words} keys of the word index from the items"),
            );
        }
        r.counters(&firms, &visits, &issues, events)?;
        self.flush()?;
        // Records rebuilt above from what was left (a damaged group) come back from the
        // operation log instead, and the indexes follow them in one more pass.
        let late = self.repair_from_log()?;
        if !late.is_empty() {
            for (tree, key, what) in late {
                r.did(tree, &key, what);
            }
            let again = self.repair(now)?;
            r.actions.extend(again.actions);
        }
        Ok(RepairReport {
            actions: r.actions,
            check: self.check()?,
        })
    }

    /// Every value in quarantine, oldest key first; a quarantine entry that is itself
    /// damaged is listed as damaged.
    pub fn quarantine(&self) -> Result<Loaded<Quarantined>, StoreError> {
        self.load_all(QUARANTINE)
    }
}

fn exact_id(key: &[u8]) -> Option<Id> {
    Id::from_slice(key).filter(|_| key.len() == Id::LEN)
}

impl Repairer<'_> {
    fn did(&mut self, tree: usize, key: &[u8], what: impl Into<String>) {
        self.actions.push(RepairAction {
            tree: TREE_NAMES[tree],
            key: key_text(key),
            what: what.into(),
        });
    }

    fn tree(&self, tree: usize) -> &sled::Tree {
        &self.store.trees[tree]
    }

    /// Moves a value into quarantine in one transaction: it is in one tree or the other,
    /// whenever the process stops.
    fn quarantine(
        &mut self,
        tree: usize,
        key: &[u8],
        bytes: &[u8],
        reason: &str,
    ) -> Result<(), StoreError> {
        self.set_aside(tree, key, bytes, reason, false)
    }

    /// As `quarantine`, for a group of a grouped tree that cannot be read: its sled key
    /// goes whole.
    fn quarantine_group(
        &mut self,
        tree: usize,
        key: &[u8],
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        self.set_aside(tree, key, bytes, "malformed record group", true)
    }

    fn set_aside(
        &mut self,
        tree: usize,
        key: &[u8],
        bytes: &[u8],
        reason: &str,
        whole_group: bool,
    ) -> Result<(), StoreError> {
        let entry = Quarantined {
            tree: TREE_NAMES[tree].to_string(),
            key: key.to_vec(),
            bytes: bytes.to_vec(),
            reason: reason.to_string(),
            at: self.now,
        };
        let base = [TREE_NAMES[tree].as_bytes(), &[0], key].concat();
        // The same key damaged twice keeps both copies.
        let mut slot = base.clone();
        let mut n = 1u32;
        while self.tree(QUARANTINE).contains_key(&slot)? {
            n += 1;
            slot = [base.as_slice(), &[0], &n.to_be_bytes()].concat();
        }
        let value = codec::encode(&entry);
        // A record of a grouped tree is taken out of its group; a group that cannot be read
        // goes whole.
        self.store.transaction(|tx| {
            tx[QUARANTINE].insert(slot.as_slice(), value.as_slice())?;
            if whole_group {
                tx[tree].remove(key)?;
                Ok(())
            } else {
                records::tx_record_change(tx, tree, key, None)
            }
        })?;
        self.did(tree, key, format!("moved to quarantine: {reason}"));
        Ok(())
    }

    /// A damaged quarantine entry is wrapped again, bytes and all, so that it can be listed.
    fn rewrap_quarantine(&mut self) -> Result<(), StoreError> {
        for entry in self.tree(QUARANTINE).iter() {
            let (key, value) = entry?;
            if let Err(e) = codec::decode::<Quarantined>(&value) {
                let entry = Quarantined {
                    tree: TREE_NAMES[QUARANTINE].to_string(),
                    key: key.to_vec(),
                    bytes: value.to_vec(),
                    reason: format!("quarantine entry damaged: {e}"),
                    at: self.now,
                };
                self.tree(QUARANTINE).insert(&key, codec::encode(&entry))?;
                self.did(QUARANTINE, &key, "wrapped again with its damaged bytes");
            }
        }
        Ok(())
    }

    /// Decodes a record tree, quarantining what does not decode or is stored under a key
    /// that is not its own.
    fn records<T: DeserializeOwned>(
        &mut self,
        tree: usize,
        key_of: impl Fn(&T) -> Vec<u8>,
    ) -> Result<Sorted<T>, StoreError> {
        let mut sorted = Sorted {
            records: BTreeMap::new(),
            damaged: Vec::new(),
        };
        for (key, group) in self.store.malformed_record_groups(tree)? {
            self.quarantine_group(tree, &key, &group)?;
            sorted.damaged.push(key);
        }
        let entries: Vec<(Vec<u8>, Vec<u8>)> =
            self.store.record_entries(tree).collect::<Result<_, _>>()?;
        for (key, value) in entries {
            let reason = match codec::decode::<T>(&value) {
                Ok(record) if key_of(&record) == key => {
                    sorted.records.insert(key.to_vec(), record);
                    continue;
                }
                Ok(_) => "stored under a key that is not its id".to_string(),
                Err(e) => e.to_string(),
            };
            self.quarantine(tree, &key, &value, &reason)?;
            sorted.damaged.push(key.to_vec());
        }
        Ok(sorted)
    }

    /// Quarantines, whole, each history that cannot be decoded or is not under its item's
    /// id (or holds one event id twice), and puts events out of id order back in order.
    /// Returns the histories of the items that have no readable record.
    fn histories(
        &mut self,
        issues: &BTreeMap<Id, Issue>,
    ) -> Result<BTreeMap<Id, History>, StoreError> {
        let mut orphans = BTreeMap::new();
        let mut damaged = Vec::new();
        let mut reordered = Vec::new();
        for (key, group) in self.store.malformed_record_groups(HISTORY)? {
            self.quarantine_group(HISTORY, &key, &group)?;
        }
        for entry in self.store.record_entries(HISTORY) {
            let (key, value) = entry?;
            let reason = match (codec::decode::<History>(&value), exact_id(&key)) {
                (Err(e), _) => e.to_string(),
                (Ok(_), None) => "stored under a key that is not an item id".to_string(),
                (Ok(mut history), Some(item)) => {
                    if let Some(other) = history.events.iter().find(|e| e.issue != item) {
                        format!(
                            "stored under a key that is not its item's (it holds an event of \
                             item {})",
                            other.issue
                        )
                    } else {
                        let unsorted = history.disorder().is_some();
                        history.events.sort_by_key(|e| e.id);
                        match history.disorder() {
                            Some((event, _)) => format!("event {event} appears twice"),
                            None => {
                                if unsorted {
                                    reordered.push((key.clone(), history.clone()));
                                }
                                if !issues.contains_key(&item) {
                                    orphans.insert(item, history);
                                }
                                continue;
                            }
                        }
                    }
                }
            };
            damaged.push((key, value, reason));
        }
        for (key, value, reason) in damaged {
            self.quarantine(HISTORY, &key, &value, &reason)?;
        }
        for (key, history) in reordered {
            self.store
                .record_put(HISTORY, &key, &codec::encode(&history))?;
            self.did(HISTORY, &key, "put the events back in id order");
        }
        Ok(orphans)
    }

    /// The officer's settings: a damaged one is quarantined and the default applies.
    fn settings(&mut self) -> Result<(), StoreError> {
        let user = self.tree(META).get(META_USER)?;
        if let Some(bytes) = user {
            if let Err(e) = codec::decode::<String>(&bytes) {
                self.quarantine(META, META_USER, &bytes, &e.to_string())?;
            }
        }
        if let Some(bytes) = self.tree(META).get(META_SLA)? {
            if let Err(e) = codec::decode::<Sla>(&bytes) {
                self.quarantine(META, META_SLA, &bytes, &e.to_string())?;
            }
        }
        Ok(())
    }

    /// Every item that its history or its index entries say exists, but whose record is
    /// damaged or gone, is rebuilt from them as a placeholder: its #N, firm, status and due
    /// date from the indexes, department, priority, owner and resolution from the history.
    /// History whose item cannot be rebuilt (no firm known) is quarantined.
    fn rebuild_issues(
        &mut self,
        issues: &mut BTreeMap<Id, Issue>,
        orphans: &BTreeMap<Id, History>,
        damaged: &[Id],
    ) -> Result<(), StoreError> {
        let mut wanted: BTreeSet<Id> = orphans.keys().copied().collect();
        wanted.extend(damaged.iter().filter(|id| !issues.contains_key(id)));
        if wanted.is_empty() {
            return Ok(());
        }
        let found = self.index_facts(&wanted)?;
        let mut rebuilt = Vec::new();
        for id in wanted {
            let facts = found.get(&id);
            let Some(firm) = facts.and_then(|f| f.firm) else {
                continue;
            };
            let mut issue = Issue {
                id,
                number: facts.and_then(|f| f.number).unwrap_or(0),
                firm,
                visit: None,
                title: crate::messages::REBUILT_ISSUE_TITLE.to_string(),
                detail: crate::messages::rebuilt_note(self.now.date_naive()),
                category: None,
                department: None,
                owner: String::new(),
                priority: Priority::Normal,
                status: Status::New,
                due: None,
                resolution: None,
                created: self.now,
                updated: self.now,
                tags: Vec::new(),
                closed: None,
            };
            for event in orphans.get(&id).into_iter().flat_map(|h| &h.events) {
                replay(&mut issue, &event.change, event.at);
            }
            if let Some(status) = facts.and_then(|f| f.status) {
                issue.status = status;
            }
            if let Some(due) = facts.and_then(|f| f.due) {
                issue.due = due;
            }
            rebuilt.push(issue);
        }
        // Quarantine the histories of items that cannot be rebuilt.
        let rebuilt_ids: HashSet<Id> = rebuilt.iter().map(|i| i.id).collect();
        for id in orphans.keys().filter(|id| !rebuilt_ids.contains(id)) {
            let value = self
                .store
                .record_get(HISTORY, id.as_bytes())?
                .unwrap_or_default();
            self.quarantine(
                HISTORY,
                id.as_bytes(),
                &value,
                "history of an item that is damaged or gone and whose firm is unknown",
            )?;
        }
        for issue in rebuilt {
            self.store
                .record_put(ISSUES, issue.id.as_bytes(), &codec::encode(&issue))?;
            self.did(
                ISSUES,
                issue.id.as_bytes(),
                format!(
                    "rebuilt #{} from its index entries and history (title lost)",
                    issue.number
                ),
            );
            issues.insert(issue.id, issue);
        }
        Ok(())
    }

    /// What the item indexes still say about the items in `wanted`.
    fn index_facts(&self, wanted: &BTreeSet<Id>) -> Result<HashMap<Id, Facts>, StoreError> {
        let mut facts: HashMap<Id, Facts> = HashMap::new();
        for entry in self.store.index_entries(IDX_ISSUE_NUMBER) {
            let (key, value) = entry?;
            if let (Some(id), Ok(number)) = (exact_id(&value), <[u8; 4]>::try_from(key.as_ref())) {
                if wanted.contains(&id) {
                    facts.entry(id).or_default().number = Some(u32::from_be_bytes(number));
                }
            }
        }
        for entry in self.store.index_entries(IDX_ISSUE_FIRM) {
            let (key, _) = entry?;
            if let (Some(firm), Some(id)) = (
                key.get(..Id::LEN).and_then(Id::from_slice),
                key.get(Id::LEN..).and_then(exact_id),
            ) {
                if wanted.contains(&id) {
                    facts.entry(id).or_default().firm = Some(firm);
                }
            }
        }
        for entry in self.store.index_entries(IDX_ISSUE_STATUS) {
            let (key, _) = entry?;
            if let (Some(status), Some(id)) = (
                key.first().and_then(|b| Status::from_byte(*b)),
                key.get(1..).and_then(exact_id),
            ) {
                if wanted.contains(&id) {
                    facts.entry(id).or_default().status = Some(status);
                }
            }
        }
        for entry in self.store.index_entries(IDX_ISSUE_DUE) {
            let (key, _) = entry?;
            let day = key
                .get(1..5)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .and_then(keys::day_from_bytes);
            if let (Some(due), Some(id)) = (day, key.get(5..).and_then(exact_id)) {
                if wanted.contains(&id) {
                    facts.entry(id).or_default().due = Some(due);
                }
            }
        }
        Ok(facts)
    }
}

/// An index entry's place: the index tree and the entry's key.
type IndexSlot = (usize, Vec<u8>);
/// What an index entry must hold, and the record (tree, id) that needs it.
type Owner = (Vec<u8>, usize, Id);

/// What the indexes still say about an item whose record is gone.
#[derive(Debug, Default)]
struct Facts {
    number: Option<u32>,
    firm: Option<Id>,
    status: Option<Status>,
    due: Option<Option<NaiveDate>>,
}

/// Applies one history event to a rebuilt item, as the change it records.
fn replay(issue: &mut Issue, change: &Change, at: LocalTime) {
    match change {
        Change::Created => issue.created = at,
        Change::Department { to, .. } => issue.department = *to,
        Change::Owner { to, .. } => issue.owner = to.clone(),
        Change::Priority { to, .. } => issue.priority = *to,
        Change::Due { to, .. } => issue.due = *to,
        Change::Category { to, .. } => issue.category = *to,
        Change::Title { to, .. } => issue.title = to.clone(),
        Change::Detail { to, .. } => issue.detail = to.clone(),
        Change::Firm { to, .. } => issue.firm = *to,
        // A call changes nothing of the item.
        Change::Call { .. } => {}
        Change::Tags { added, removed } => {
            issue.tags.retain(|t| !removed.contains(t));
            for tag in added {
                if !issue.tags.contains(tag) {
                    issue.tags.push(tag.clone());
                }
            }
        }
        Change::Status { to, resolution, .. } => {
            issue.status = *to;
            issue.resolution = resolution.clone();
            issue.closed = (*to == Status::Closed).then_some(at);
        }
        Change::Reverted {
            change: Some(inner),
            ..
        } => replay(issue, inner, at),
        Change::Response { .. } | Change::Reverted { change: None, .. } => {}
    }
}

impl Repairer<'_> {
    /// A firm that visits or items refer to, or whose record was damaged, is rebuilt as a
    /// placeholder under its id, named as its name index entry still spells it.
    fn rebuild_firms(
        &mut self,
        firms: &mut BTreeMap<Id, Firm>,
        wanted: &BTreeSet<Id>,
    ) -> Result<(), StoreError> {
        if wanted.is_empty() {
            return Ok(());
        }
        let mut names: HashMap<Id, String> = HashMap::new();
        for entry in self.tree(IDX_FIRM_NAME).iter() {
            let (key, value) = entry?;
            if let (Some(id), Ok(name)) = (exact_id(&value), std::str::from_utf8(&key)) {
                if wanted.contains(&id) {
                    names.insert(id, name.to_string());
                }
            }
        }
        let taken: HashSet<String> = firms.values().map(|f| name_key(&f.name)).collect();
        for id in wanted {
            let name = names
                .remove(id)
                .filter(|n| !taken.contains(&name_key(n)) && !n.is_empty())
                .unwrap_or_else(|| crate::messages::rebuilt_firm_name(*id));
            let mut firm = match Firm::new(&name, self.now) {
                Ok(firm) => firm,
                Err(_) => Firm::new(&crate::messages::rebuilt_firm_name(*id), self.now)?,
            };
            firm.id = *id;
            firm.notes = crate::messages::rebuilt_note(self.now.date_naive());
            self.tree(FIRMS)
                .insert(id.as_bytes(), codec::encode(&firm))?;
            self.did(
                FIRMS,
                id.as_bytes(),
                format!("rebuilt as {} (details lost)", firm.name),
            );
            firms.insert(*id, firm);
        }
        Ok(())
    }

    /// Two firms whose names compare equal cannot both be found by name: the later one gets
    /// a number after its name.
    fn unique_names(&mut self, firms: &mut BTreeMap<Id, Firm>) -> Result<(), StoreError> {
        let mut taken: HashSet<String> = HashSet::new();
        for firm in firms.values_mut() {
            if taken.insert(name_key(&firm.name)) {
                continue;
            }
            let old = firm.name.clone();
            let mut n = 2;
            loop {
                // Room for the number within the name's 100 characters.
                let stem: String = old.chars().take(90).collect();
                firm.name = format!("{stem} ({n})");
                if taken.insert(name_key(&firm.name)) {
                    break;
                }
                n += 1;
            }
            self.tree(FIRMS)
                .insert(firm.id.as_bytes(), codec::encode(&*firm))?;
            self.did(
                FIRMS,
                firm.id.as_bytes(),
                format!("renamed {old} to {}: another firm has that name", firm.name),
            );
        }
        Ok(())
    }

    /// A number used twice (or a rebuilt item without one) gets the next free number.
    fn unique_numbers(&mut self, issues: &mut BTreeMap<Id, Issue>) -> Result<(), StoreError> {
        let mut next = issues.values().map(|i| i.number).max().unwrap_or(0) + 1;
        let mut taken: HashSet<u32> = HashSet::new();
        for issue in issues.values_mut() {
            if issue.number != 0 && taken.insert(issue.number) {
                continue;
            }
            let old = issue.number;
            issue.number = next;
            taken.insert(next);
            next += 1;
            self.store
                .record_put(ISSUES, issue.id.as_bytes(), &codec::encode(&*issue))?;
            self.did(
                ISSUES,
                issue.id.as_bytes(),
                format!(
                    "#{old} is taken by another item: renumbered #{}",
                    issue.number
                ),
            );
        }
        Ok(())
    }

    /// Makes each index tree hold exactly the entries the records need: entries nobody needs
    /// go, missing ones are added, wrong values are set right.
    fn indexes(
        &mut self,
        firms: &BTreeMap<Id, Firm>,
        visits: &[Visit],
        issues: &BTreeMap<Id, Issue>,
    ) -> Result<(), StoreError> {
        let mut wanted: BTreeMap<IndexSlot, Owner> = BTreeMap::new();
        let mut add = |entries: check::Expected, tree: usize, id: Id| {
            for (index, key, value) in entries {
                wanted.insert((index, key), (value, tree, id));
            }
        };
        for firm in firms.values() {
            add(firm_entries(firm), FIRMS, firm.id);
        }
        for visit in visits {
            add(visit_entries(visit), VISITS, visit.id);
        }
        for issue in issues.values() {
            add(issue_entries(issue), ISSUES, issue.id);
        }
        for index in IDX_FIRM_NAME..=IDX_VISIT_FIRM {
            // A group that cannot be read goes whole; the entries it held are added back
            // below as missing ones.
            for key in self.store.malformed_groups(index)? {
                self.tree(index).remove(&key)?;
                self.did(index, &key, "removed a malformed index group");
            }
            let entries: Vec<(Vec<u8>, Vec<u8>)> =
                self.store.index_entries(index).collect::<Result<_, _>>()?;
            for (key, value) in entries {
                match wanted.remove(&(index, key.to_vec())) {
                    Some((expected, _, _)) if expected == value => {}
                    Some((expected, tree, id)) => {
                        self.store.index_insert(index, &key, &expected)?;
                        self.did(
                            index,
                            &key,
                            format!("set the value of the entry of {} {id}", TREE_NAMES[tree]),
                        );
                    }
                    None => {
                        self.store.index_remove(index, &key)?;
                        let why = match owner_of(index, &key, &value) {
                            None => "a malformed entry".to_string(),
                            Some((tree, id))
                                if !self.store.record_exists(tree, id.as_bytes())? =>
                            {
                                format!(
                                    "it pointed to {} {id}, which does not exist",
                                    TREE_NAMES[tree]
                                )
                            }
                            Some((tree, id)) => {
                                format!("a stale entry of {} {id}", TREE_NAMES[tree])
                            }
                        };
                        self.did(index, &key, format!("removed {why}"));
                    }
                }
            }
        }
        for ((index, key), (value, tree, id)) in wanted {
            self.store.index_insert(index, &key, &value)?;
            self.did(
                index,
                &key,
                format!("added the missing entry of {} {id}", TREE_NAMES[tree]),
            );
        }
        Ok(())
    }

    /// Search keys from the firms' names and the responses in each history from its events.
    /// Returns how many events the histories hold.
    fn derived(&mut self, firms: &BTreeMap<Id, Firm>) -> Result<u64, StoreError> {
        let entries: Vec<(sled::IVec, sled::IVec)> =
            self.tree(FIRM_SEARCH).iter().collect::<Result<_, _>>()?;
        for (key, _) in entries {
            if !exact_id(&key).is_some_and(|id| firms.contains_key(&id)) {
                self.tree(FIRM_SEARCH).remove(&key)?;
                self.did(
                    FIRM_SEARCH,
                    &key,
                    "removed the search keys of a firm that does not exist",
                );
            }
        }
        for firm in firms.values() {
            let keys = FirmKeys::new(&firm.name, &firm.short_name);
            let stored = self.tree(FIRM_SEARCH).get(firm.id.as_bytes())?;
            if stored
                .and_then(|b| codec::decode::<FirmKeys>(&b).ok())
                .as_ref()
                != Some(&keys)
            {
                self.tree(FIRM_SEARCH)
                    .insert(firm.id.as_bytes(), codec::encode(&keys))?;
                self.did(FIRM_SEARCH, firm.id.as_bytes(), "rebuilt the search keys");
            }
        }
        // Every history left is readable and its item exists (`histories`, `rebuild_issues`).
        let mut events = 0;
        for entry in self.store.record_entries(HISTORY) {
            let (key, value) = entry?;
            let Ok(mut history) = codec::decode::<History>(&value) else {
                continue;
            };
            events += history.events.len() as u64;
            let responses = responses_of(&history.events);
            if !same_lines(&history.responses, &responses) {
                history.responses = responses;
                self.store
                    .record_put(HISTORY, &key, &codec::encode(&history))?;
                self.did(HISTORY, &key, "rebuilt the response text from the history");
            }
        }
        Ok(events)
    }

    /// The counters and the next #N, from the records.
    fn counters(
        &mut self,
        firms: &BTreeMap<Id, Firm>,
        visits: &[Visit],
        issues: &BTreeMap<Id, Issue>,
        events: u64,
    ) -> Result<(), StoreError> {
        let mut wanted = vec![
            (Counter::Firms, firms.len() as u64),
            (Counter::Visits, visits.len() as u64),
            (Counter::Events, events),
        ];
        for status in Status::ALL {
            let n = issues.values().filter(|i| i.status == status).count();
            wanted.push((Counter::Issues(status), n as u64));
        }
        for (counter, count) in wanted {
            let key = counter.key();
            // None: damaged.
            let was = match self.tree(META).get(&key)? {
                None => Some(0),
                Some(bytes) => codec::decode::<u64>(&bytes).ok(),
            };
            if was != Some(count) {
                self.tree(META).insert(&key, codec::encode(&count))?;
                let was = was.map_or("damaged".to_string(), |n| n.to_string());
                self.did(META, &key, format!("set to {count} (was {was})"));
            }
        }
        let needed = issues.values().map(|i| i.number).max().unwrap_or(0) + 1;
        let current = match self.tree(META).get(META_NEXT_NUMBER)? {
            None => Some(1),
            Some(bytes) => codec::decode::<u32>(&bytes).ok(),
        };
        if current.is_none_or(|n| n < needed) {
            self.tree(META)
                .insert(META_NEXT_NUMBER, codec::encode(&needed))?;
            self.did(META, META_NEXT_NUMBER, format!("set to #{needed}"));
        }
        if let Some(bytes) = self.tree(META).get(META_DERIVED)? {
            if codec::decode::<u16>(&bytes).is_err() {
                self.tree(META)
                    .insert(META_DERIVED, codec::encode(&DERIVED_VERSION))?;
                self.did(
                    META,
                    META_DERIVED,
                    "set to the current version (derived data was rebuilt)",
                );
            }
        }
        Ok(())
    }
}
