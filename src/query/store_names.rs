//! Names from a database, for resolving filters outside the app (the command line, exports),
//! which has its own in memory.

use super::{Filter, FilterError, Names, Resolved};
use crate::model::{Category, Department, Firm, Id};
use crate::search::{FirmKeySource, FirmKeys, Query, Rank, Searcher};
use crate::store::{Store, StoreError};
use std::collections::HashSet;

pub struct StoreNames {
    pub firms: Vec<Firm>,
    pub keys: Vec<FirmKeys>,
    pub departments: Vec<Department>,
    pub categories: Vec<Category>,
    pub me: String,
    /// The numbers of the items in conflict.
    pub conflicted: HashSet<u32>,
}

/// The numbers of the items with a field in conflict: few, read from the store's list of
/// conflicts (none at all unless another ledger's operations were merged).
pub fn conflicted_numbers(store: &Store) -> Result<HashSet<u32>, StoreError> {
    let mut numbers = HashSet::new();
    if store.conflict_count() == 0 {
        return Ok(numbers);
    }
    for conflict in store.conflicts()? {
        if conflict.kind == crate::store::RecordKind::Issue {
            if let Some(issue) = store.issue(conflict.record)? {
                numbers.insert(issue.number);
            }
        }
    }
    Ok(numbers)
}

/// The firms a `firm:` term means: every firm the Firms search finds, short of fuzzy guesses
/// (a filter should not pull in firms that merely share a few letters).
pub fn firms_matching(
    text: &str,
    firms: &[Firm],
    keys: &(impl FirmKeySource + ?Sized),
) -> HashSet<Id> {
    let query = Query::new(text);
    let matching = |from: usize, to: usize| -> Vec<Id> {
        let mut searcher = Searcher::default();
        (from..to.min(keys.firm_count()))
            .filter(|i| {
                let firm = &firms[*i];
                searcher
                    .match_firm(&query, &firm.name, &firm.short_name, keys.firm_keys(*i))
                    .is_some_and(|hit| hit.rank != Rank::Fuzzy)
            })
            .map(|i| firms[i].id)
            .collect()
    };
    // Ten thousand firms took 6 ms, on the key that typed the term: halved on two threads.
    if firms.len() < 2_000 {
        return matching(0, firms.len()).into_iter().collect();
    }
    let half = firms.len() / 2;
    std::thread::scope(|scope| {
        let other = scope.spawn(|| matching(half, firms.len()));
        let mut found: HashSet<Id> = matching(0, half).into_iter().collect();
        found.extend(other.join().unwrap_or_default());
        found
    })
}

impl StoreNames {
    pub fn load(store: &Store) -> Result<StoreNames, StoreError> {
        StoreNames::load_with(store, true)
    }

    /// As `load`; without `firms` (a filter with no `firm:` term), no firm is read and a
    /// `firm:` term would match none.
    pub fn load_with(store: &Store, firms: bool) -> Result<StoreNames, StoreError> {
        let firms = if firms {
            store.firms()?.records
        } else {
            Vec::new()
        };
        let keys = firms
            .iter()
            .map(|f| store.firm_keys(f))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StoreNames {
            firms,
            keys,
            departments: store.departments()?.records,
            categories: store.categories()?.records,
            me: store.user()?.unwrap_or_else(crate::store::default_author),
            conflicted: conflicted_numbers(store)?,
        })
    }

    pub fn resolve(&self, filter: &Filter) -> Result<Resolved, FilterError> {
        let firms = |text: &str| firms_matching(text, &self.firms, &self.keys);
        let names = Names {
            departments: self
                .departments
                .iter()
                .map(|d| (d.id, d.name.as_str(), d.full_name.as_str()))
                .collect(),
            categories: self
                .categories
                .iter()
                .map(|c| (c.id, c.code.as_str(), c.name.as_str()))
                .collect(),
            firms: &firms,
            me: &self.me,
            conflicted: &self.conflicted,
        };
        filter.resolve(&names)
    }
}
