//! Reading records: one by id, all of a kind, by index, and walks one record at a time.

use super::*;

impl Store {
    // ---- reads ------------------------------------------------------------------------

    pub(super) fn get<T: DeserializeOwned>(
        &self,
        tree: usize,
        id: Id,
    ) -> Result<Option<T>, StoreError> {
        match self.record_get(tree, id.as_bytes())? {
            None => Ok(None),
            Some(bytes) => codec::decode(&bytes)
                .map(Some)
                .map_err(|error| StoreError::Corrupt {
                    tree: TREE_NAMES[tree],
                    key: id.to_string(),
                    error,
                }),
        }
    }

    pub(super) fn load_all<T: DeserializeOwned>(
        &self,
        tree: usize,
    ) -> Result<Loaded<T>, StoreError> {
        let mut loaded = Loaded {
            records: Vec::new(),
            damaged: Vec::new(),
        };
        for entry in self.record_entries_reporting(tree) {
            let (key, value) = entry?;
            if let Some(damaged) = self.damaged_group(tree, &key) {
                loaded.damaged.push(damaged);
                continue;
            }
            match codec::decode(&value) {
                Ok(record) => loaded.records.push(record),
                Err(error) => loaded.damaged.push(Damaged {
                    tree: TREE_NAMES[tree],
                    key: key_text(&key),
                    error,
                }),
            }
        }
        Ok(loaded)
    }

    pub fn firm(&self, id: Id) -> Result<Option<Firm>, StoreError> {
        self.get(FIRMS, id)
    }

    pub fn firms(&self) -> Result<Loaded<Firm>, StoreError> {
        self.load_all(FIRMS)
    }

    /// Every firm's search keys. A firm without keys (damaged, or written by hand) gets
    /// them computed here, so search never misses it.
    pub fn firm_keys(&self, firm: &Firm) -> Result<FirmKeys, StoreError> {
        self.firm_search_keys(firm.id, &firm.name, &firm.short_name)
    }

    /// `firm_keys` from a firm's id and names.
    pub fn firm_search_keys(
        &self,
        firm: Id,
        name: &str,
        short_name: &str,
    ) -> Result<FirmKeys, StoreError> {
        match self.get::<FirmKeys>(FIRM_SEARCH, firm) {
            Ok(Some(keys)) => Ok(keys),
            Ok(None) | Err(StoreError::Corrupt { .. }) => Ok(FirmKeys::new(name, short_name)),
            Err(e) => Err(e),
        }
    }

    /// The responses recorded for an item, lower-cased, one per line ("" when none). Reads
    /// the head of its history, not its events.
    pub fn response_text(&self, issue: Id) -> Result<String, StoreError> {
        match self.record_get(HISTORY, issue.as_bytes())? {
            None => Ok(String::new()),
            Some(bytes) => codec::decode_leading(&bytes).map_err(|error| StoreError::Corrupt {
                tree: TREE_NAMES[HISTORY],
                key: issue.to_string(),
                error,
            }),
        }
    }

    /// Every item with its response text: one pass over two trees grouped alike (so their
    /// walks come in the same order), for searching without reading each item's history.
    pub fn each_issue_with_text(
        &self,
        mut visit: impl FnMut(Result<(Issue, String), Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut texts = self.record_entries(HISTORY).peekable();
        for entry in self.record_entries_reporting(ISSUES) {
            let (key, value) = entry?;
            if let Some(damaged) = self.damaged_group(ISSUES, &key) {
                visit(Err(damaged))?;
                continue;
            }
            let mut text = String::new();
            while let Some(Ok((text_key, _))) = texts.peek() {
                if records::walk_order(text_key) < records::walk_order(&key) {
                    texts.next();
                    continue;
                }
                if *text_key == key {
                    if let Some(Ok((_, bytes))) = texts.next() {
                        text = codec::decode_leading(&bytes).unwrap_or_default();
                    }
                }
                break;
            }
            let decoded = summaries::decode_issue(&value)
                .map(|issue| (issue, text))
                .map_err(|error| Damaged {
                    tree: TREE_NAMES[ISSUES],
                    key: key_text(&key),
                    error,
                });
            visit(decoded)?;
        }
        Ok(())
    }

    pub fn firm_by_name(&self, name: &str) -> Result<Option<Id>, StoreError> {
        let key = crate::model::name_key(name);
        Ok(self.trees[IDX_FIRM_NAME]
            .get(key.as_bytes())?
            .and_then(|v| Id::from_slice(&v)))
    }

    pub fn departments(&self) -> Result<Loaded<Department>, StoreError> {
        self.load_all(DEPARTMENTS)
    }

    pub fn views(&self) -> Result<Loaded<SavedView>, StoreError> {
        self.load_all(VIEWS)
    }

    pub fn put_view(&self, view: &SavedView) -> Result<(), StoreError> {
        self.trees[VIEWS].insert(view.id.as_bytes(), codec::encode(view))?;
        self.journal(|| vec![journal::Op::View(view.clone())])?;
        self.flush()
    }

    pub fn delete_view(&self, id: Id) -> Result<(), StoreError> {
        self.trees[VIEWS].remove(id.as_bytes())?;
        self.journal(|| vec![journal::Op::ViewDeleted(id)])?;
        self.flush()
    }

    pub fn categories(&self) -> Result<Loaded<Category>, StoreError> {
        self.load_all(CATEGORIES)
    }

    pub fn visit(&self, id: Id) -> Result<Option<Visit>, StoreError> {
        self.get(VISITS, id)
    }

    /// Every visit id in start-time order; reads only index keys.
    pub fn visit_ids_by_time(&self) -> Result<Vec<Id>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.index_entries(IDX_VISIT_TIME) {
            ids.extend(keys::visit_time_id(&entry?.0));
        }
        Ok(ids)
    }

    /// The visits starting in `[from, to)` (unix seconds), in start-time order: one key range
    /// of the time index, however many visits the database holds.
    pub fn visits_between(&self, from: i64, to: i64) -> Result<Loaded<Visit>, StoreError> {
        let mut loaded = Loaded {
            records: Vec::new(),
            damaged: Vec::new(),
        };
        for id in self.visit_ids_between(Some(from), Some(to)) {
            match self.visit(id?) {
                Ok(Some(visit)) => loaded.records.push(visit),
                Ok(None) => {}
                Err(StoreError::Corrupt { tree, key, error }) => {
                    loaded.damaged.push(Damaged { tree, key, error })
                }
                Err(e) => return Err(e),
            }
        }
        Ok(loaded)
    }

    /// The ids of the visits starting at or after `from` and before `before` (Unix seconds,
    /// either end open), in start-time order. A lazy walk over index keys, so that an export
    /// of a large ledger holds one id at a time.
    pub fn visit_ids_between(
        &self,
        from: Option<i64>,
        before: Option<i64>,
    ) -> impl Iterator<Item = Result<Id, StoreError>> + '_ {
        // A key is the start time followed by the id, so the bare time sorts before every
        // key with that time: included as a lower bound, excluded as an upper one.
        let lower = from.map(|t| keys::time_bytes(t).to_vec());
        let upper = before.map(|t| keys::time_bytes(t).to_vec());
        self.index_between(IDX_VISIT_TIME, lower, upper)
            .filter_map(|entry| match entry {
                Ok((key, _)) => keys::visit_time_id(&key).map(Ok),
                Err(e) => Some(Err(e)),
            })
    }

    /// A firm's visits in start-time order.
    pub fn visit_ids_of_firm(&self, firm: Id) -> Result<Vec<Id>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.index_prefix(IDX_VISIT_FIRM, firm.as_bytes()) {
            ids.extend(keys::visit_firm_id(&entry?.0));
        }
        Ok(ids)
    }

    pub fn issue(&self, id: Id) -> Result<Option<Issue>, StoreError> {
        match self.record_get(ISSUES, id.as_bytes())? {
            None => Ok(None),
            Some(bytes) => {
                summaries::decode_issue(&bytes)
                    .map(Some)
                    .map_err(|error| StoreError::Corrupt {
                        tree: TREE_NAMES[ISSUES],
                        key: id.to_string(),
                        error,
                    })
            }
        }
    }

    /// `issue` of each of `ids`, the items of one group read from one fetch of it rather
    /// than one each: at a million items a group holds about fifteen, and `--overdue` asks
    /// for a quarter of them. Ids in storage order (`sort_in_storage_order`) come a group at
    /// a time; any order gives the same answers. A group that cannot be read or taken apart
    /// is left to `issue`, id by id, so each id gets exactly what `issue` would say.
    pub fn issues_by_group(
        &self,
        ids: &[Id],
        mut visit: impl FnMut(Id, Result<Option<Issue>, StoreError>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut rest = ids;
        while let Some(first) = rest.first() {
            let group_key = records::group_of(first.as_bytes());
            let same = rest
                .iter()
                .take_while(|id| records::group_of(id.as_bytes()) == group_key)
                .count();
            let (these, after) = rest.split_at(same);
            rest = after;
            let group = match these {
                [_, _, ..] => self.trees[ISSUES].get(group_key).ok().flatten(),
                _ => None,
            };
            // Read once, a page would stay in sled's cache to the end (as in a walk): 203 MB
            // instead of 171 for `--overdue` at a million items.
            if group.is_some() {
                records::let_the_cache_evict(&self.trees[ISSUES], &group_key);
            }
            let plain = group
                .as_deref()
                .and_then(|group| records::unpacked(ISSUES, group));
            let Some(members) = plain
                .as_deref()
                .and_then(|plain| records::members(&group_key, plain))
            else {
                for &id in these {
                    visit(id, self.issue(id))?;
                }
                continue;
            };
            for &id in these {
                let found = members.iter().find(|(key, _)| *key == id.as_bytes());
                let issue = match found {
                    None => Ok(None),
                    Some((_, value)) => summaries::decode_issue(value).map(Some).map_err(|error| {
                        StoreError::Corrupt {
                            tree: TREE_NAMES[ISSUES],
                            key: id.to_string(),
                            error,
                        }
                    }),
                };
                visit(id, issue)?;
            }
        }
        Ok(())
    }

    /// The id of item #N, from the number index alone.
    pub fn issue_id_by_number(&self, number: u32) -> Result<Option<Id>, StoreError> {
        Ok(self
            .index_get(IDX_ISSUE_NUMBER, &keys::issue_number(number))?
            .and_then(|v| Id::from_slice(&v)))
    }

    pub fn issue_by_number(&self, number: u32) -> Result<Option<Issue>, StoreError> {
        match self.index_get(IDX_ISSUE_NUMBER, &keys::issue_number(number))? {
            Some(v) => match Id::from_slice(&v) {
                Some(id) => self.issue(id),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// The triage order: open items first, soonest due first (no due date last), then the
    /// closed ones. Reads only index keys.
    pub fn issue_ids_by_due(&self) -> Result<Vec<Id>, StoreError> {
        self.issue_ids_in_due_order().collect()
    }

    /// The same order as a lazy walk over the index keys, so that an export of a large
    /// ledger holds one id at a time.
    pub fn issue_ids_in_due_order(&self) -> impl Iterator<Item = Result<Id, StoreError>> + '_ {
        self.index_entries(IDX_ISSUE_DUE)
            .filter_map(|entry| match entry {
                Ok((key, _)) => keys::issue_due_id(&key).map(Ok),
                Err(e) => Some(Err(e)),
            })
    }

    /// A firm's items with their status, from the index alone.
    pub fn issues_of_firm(&self, firm: Id) -> Result<Vec<(Id, Option<Status>)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.index_prefix(IDX_ISSUE_FIRM, firm.as_bytes()) {
            let (key, value) = entry?;
            if let Some(id) = Id::from_slice(&key[Id::LEN..]) {
                out.push((id, value.first().and_then(|b| Status::from_byte(*b))));
            }
        }
        Ok(out)
    }

    /// The ids of open items whose due day is before `today`, most overdue first.
    pub fn overdue_ids(&self, today: NaiveDate) -> Result<Vec<Id>, StoreError> {
        let (from, to) = keys::open_due_before(today);
        let mut ids = Vec::new();
        for entry in self.index_between(IDX_ISSUE_DUE, Some(from), Some(to)) {
            ids.extend(keys::issue_due_id(&entry?.0));
        }
        Ok(ids)
    }

    /// The ids of open items, soonest due first (no due date last): the open half of the due
    /// index, so a question about open items reads those and not the closed ones.
    pub fn open_issue_ids(&self) -> Result<Vec<Id>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.index_between(IDX_ISSUE_DUE, Some(vec![0]), Some(vec![1])) {
            ids.extend(keys::issue_due_id(&entry?.0));
        }
        Ok(ids)
    }

    /// Puts item ids in the order their records are stored (the order of a walk), so that
    /// reading many of them goes through the file once instead of jumping about.
    pub fn sort_in_storage_order(ids: &mut [Id]) {
        ids.sort_by_cached_key(|id| Store::storage_key(*id));
    }

    /// Where an item's records are stored: ids sorted by this are in the order of a walk.
    pub fn storage_key(id: Id) -> impl Ord {
        (records::group_of(id.as_bytes()), id)
    }

    /// Open items whose due day is before `today`.
    pub fn overdue_count(&self, today: NaiveDate) -> Result<u64, StoreError> {
        let (from, to) = keys::open_due_before(today);
        self.index_count(IDX_ISSUE_DUE, &from, &to)
    }

    /// An item's history, oldest first. A history that cannot be decoded is listed as
    /// damaged, under the item's id.
    pub fn events(&self, issue: Id) -> Result<Loaded<IssueEvent>, StoreError> {
        let mut loaded = Loaded {
            records: Vec::new(),
            damaged: Vec::new(),
        };
        if let Some(bytes) = self.record_get(HISTORY, issue.as_bytes())? {
            match codec::decode::<History>(&bytes) {
                Ok(history) => loaded.records = history.events,
                Err(error) => loaded.damaged.push(Damaged {
                    tree: TREE_NAMES[HISTORY],
                    key: issue.to_string(),
                    error,
                }),
            }
        }
        Ok(loaded)
    }

    /// Every record of a kind, decoded one at a time, for exports that must not hold the whole
    /// ledger in memory.
    pub fn each_issue(
        &self,
        mut visit: impl FnMut(Result<Issue, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let entries = self.record_entries_reporting(ISSUES);
        self.each_of(ISSUES, entries, summaries::decode_issue, &mut visit)
    }

    /// `each_issue` over share `part` of `parts` of the items: reading them can be split
    /// between threads, each taking one share (together, every item once).
    pub fn each_issue_part(
        &self,
        part: usize,
        parts: usize,
        mut visit: impl FnMut(Result<Issue, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let entries = self.record_entries_part(ISSUES, part, parts);
        self.each_of(ISSUES, entries, summaries::decode_issue, &mut visit)
    }

    /// Every history event, by item and then by id (time order within an item). A history
    /// that cannot be decoded is visited once, as damaged.
    pub fn each_event(
        &self,
        mut visit: impl FnMut(Result<IssueEvent, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each(
            HISTORY,
            &mut |history: Result<History, Damaged>| match history {
                Ok(history) => history.events.into_iter().try_for_each(|e| visit(Ok(e))),
                Err(damaged) => visit(Err(damaged)),
            },
        )
    }

    pub fn each_visit(
        &self,
        mut visit: impl FnMut(Result<Visit, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each(VISITS, &mut visit)
    }

    fn each<T: DeserializeOwned>(
        &self,
        tree: usize,
        visit: &mut impl FnMut(Result<T, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each_of(
            tree,
            self.record_entries_reporting(tree),
            codec::decode,
            visit,
        )
    }

    /// Each record of `entries` decoded by `decode` (items have a decoder of their own,
    /// `summaries::decode_issue`); a damaged group or record is visited as damaged.
    fn each_of<T>(
        &self,
        tree: usize,
        entries: records::RecordEntries,
        decode: impl Fn(&[u8]) -> Result<T, codec::DecodeError>,
        visit: &mut impl FnMut(Result<T, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for entry in entries {
            let (key, value) = entry?;
            if let Some(damaged) = self.damaged_group(tree, &key) {
                visit(Err(damaged))?;
                continue;
            }
            let decoded = decode(&value).map_err(|error| Damaged {
                tree: TREE_NAMES[tree],
                key: key_text(&key),
                error,
            });
            visit(decoded)?;
        }
        Ok(())
    }
}
