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
}

mod derived;
mod rebuild;
