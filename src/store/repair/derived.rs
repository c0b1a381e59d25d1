//! What can be derived again from the records: unique names and numbers, index entries,
//! search keys, responses and counters.

use super::*;

/// An index entry's place: the index tree and the entry's key.
type IndexSlot = (usize, Vec<u8>);
/// What an index entry must hold, and the record (tree, id) that needs it.
type Owner = (Vec<u8>, usize, Id);

impl Repairer<'_> {
    /// Two firms whose names compare equal cannot both be found by name: the later one gets
    /// a number after its name.
    pub(super) fn unique_names(
        &mut self,
        firms: &mut BTreeMap<Id, Firm>,
    ) -> Result<(), StoreError> {
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
    pub(super) fn unique_numbers(
        &mut self,
        issues: &mut BTreeMap<Id, Issue>,
    ) -> Result<(), StoreError> {
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
    pub(super) fn indexes(
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
    pub(super) fn derived(&mut self, firms: &BTreeMap<Id, Firm>) -> Result<u64, StoreError> {
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
    pub(super) fn counters(
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
