//! The names rows refer to: firms, departments, categories and visits, found or to create.

use super::*;

// ---- names ---------------------------------------------------------------------------------

/// What a name in the file refers to: a record the database (or an earlier row) has, or one
/// to create when the row turns out good.
pub(super) enum Found<T> {
    Known(Id),
    New(T),
}

/// The names rows refer to, and what the rows so far have added to them.
pub(super) struct Names<'s> {
    pub(super) store: &'s Store,
    pub(super) now: LocalTime,
    pub(super) author: String,
    /// By `name_key` of the full name.
    pub(super) firms: HashMap<String, Id>,
    /// By `name_key` of the short name; `None` when several firms share it.
    pub(super) short_names: HashMap<String, Option<Id>>,
    /// By `name_key` of the name and of the full name.
    pub(super) departments: HashMap<String, Id>,
    pub(super) categories: Vec<Category>,
    /// The visits of each firm by day, read when a row first needs them.
    pub(super) visits: HashMap<Id, Vec<(NaiveDate, Id)>>,
    /// The items already there, which rows are matched to.
    pub(super) items: Matcher,
    /// Firms this import creates: their rows have no items to match.
    pub(super) new_firms: HashSet<Id>,
    pub(super) pass: Pass,
}

/// Which of the two passes over the file reads the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    /// The first: every row checked, nothing written.
    Check,
    /// The second: the good rows written.
    Write,
}

impl<'s> Names<'s> {
    pub(super) fn load(
        store: &'s Store,
        now: LocalTime,
        pass: Pass,
    ) -> Result<Names<'s>, StoreError> {
        let mut firms = HashMap::new();
        let mut short_names: HashMap<String, Option<Id>> = HashMap::new();
        for firm in store.firms()?.records {
            firms.insert(name_key(&firm.name), firm.id);
            if !firm.short_name.is_empty() {
                short_names
                    .entry(name_key(&firm.short_name))
                    .and_modify(|owner| *owner = None)
                    .or_insert(Some(firm.id));
            }
        }
        let mut departments = HashMap::new();
        for department in store.departments()?.records {
            departments.insert(name_key(&department.name), department.id);
            if !department.full_name.is_empty() {
                departments
                    .entry(name_key(&department.full_name))
                    .or_insert(department.id);
            }
        }
        Ok(Names {
            store,
            now,
            author: store.user()?.unwrap_or_else(|| IMPORT_AUTHOR.to_string()),
            firms,
            short_names,
            departments,
            categories: store.categories()?.records,
            visits: HashMap::new(),
            items: Matcher::new(store)?,
            new_firms: HashSet::new(),
            pass,
        })
    }

    /// The full name, else a short name only one firm has; a new firm otherwise.
    pub(super) fn firm(&self, name: &str) -> Result<Found<Firm>, String> {
        let key = name_key(name);
        if let Some(id) = self.firms.get(&key) {
            return Ok(Found::Known(*id));
        }
        match self.short_names.get(&key) {
            Some(Some(id)) => Ok(Found::Known(*id)),
            Some(None) => Err(format!(
                "{name} is the short name of several firms; write the full name"
            )),
            None => Firm::new(name, self.now)
                .map(Found::New)
                .map_err(|e| messages::field_problem(Field::Name, &e.problem)),
        }
    }

    pub(super) fn department(&self, name: &str) -> Result<Found<Department>, String> {
        match self.departments.get(&name_key(name)) {
            Some(id) => Ok(Found::Known(*id)),
            None => Department::new(name, "")
                .map(Found::New)
                .map_err(|e| messages::field_problem(Field::Name, &e.problem)),
        }
    }

    pub(super) fn category(&self, text: &str) -> Result<Id, String> {
        let code = text.to_lowercase();
        self.categories
            .iter()
            .find(|c| c.code == code || c.name == text)
            .map(|c| c.id)
            .ok_or_else(|| {
                let known: Vec<String> = self
                    .categories
                    .iter()
                    .map(|c| format!("{} {}", c.code, c.name))
                    .collect();
                format!("no category {text} (known: {})", known.join(", "))
            })
    }

    /// The firm's visit on that day, if it has exactly one such day's visit or several (the
    /// first is taken: the item was raised that day at that firm).
    pub(super) fn visit_on(&mut self, firm: Id, day: NaiveDate) -> Result<Option<Id>, StoreError> {
        if !self.visits.contains_key(&firm) {
            let mut days = Vec::new();
            for id in self.store.visit_ids_of_firm(firm)? {
                // A damaged visit cannot be linked; `check` reports it.
                if let Ok(Some(visit)) = self.store.visit(id) {
                    days.push((visit.start.date_naive(), visit.id));
                }
            }
            self.visits.insert(firm, days);
        }
        Ok(self.visits[&firm]
            .iter()
            .find(|(d, _)| *d == day)
            .map(|(_, id)| *id))
    }
}
