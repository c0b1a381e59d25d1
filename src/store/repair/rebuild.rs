//! Placeholders: a damaged item or firm that other records still need, rebuilt from what
//! the indexes and its history still say.

use super::*;

impl Repairer<'_> {
    /// Every item that its history or its index entries say exists, but whose record is
    /// damaged or gone, is rebuilt from them as a placeholder: its #N, firm, status and due
    /// date from the indexes, department, priority, owner and resolution from the history.
    /// History whose item cannot be rebuilt (no firm known) is quarantined.
    pub(super) fn rebuild_issues(
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
    pub(super) fn rebuild_firms(
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
}
