//! The ledger's facts laid out by day, so that a period's figures cost the period's own
//! records, not the ledger (issue 17, goal 1: the Reports tab's period keys at a million
//! items). Built while the items stream from the store, no ledger held (`build`, in the
//! Reports tab's background reading); `figures`
//! counts exactly what `super::figures::figures` counts, which stays as the one-shot path
//! (`liaison report`) and as the oracle of the tests.
//!
//! Each thing that happens to an item is an entry in a list sorted by day, carrying what
//! decides whether it counts for a period: an answer counts (once per item) when the one
//! before it fell before the period; a hand-over or a call when the next one falls after
//! it. The items open on a day are the stretches `[from, until)` an item spent open with
//! one due date and department, kept in the order the overdue list is shown in.
//!
//! An item whose days are not in time order (an odd import), or answered further from its
//! raising than an answer entry holds, is left out of the lists, kept whole and counted item
//! by item as before, so the figures stay exact whatever the data.

mod at_day;
mod build;
mod count;
mod listing;
mod titles;
mod vocabulary;

pub use at_day::DayCounts;
pub use build::Builder;
pub use listing::Listed;
use vocabulary::Vocabulary;

use super::facts::{ItemFacts, VisitFacts};
use crate::model::Id;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// A day as a number (days from the common era), for compact sorted lists.
pub(crate) type Day = i32;
/// No such day: after every other (no next one, no due date).
const NEVER: Day = Day::MAX;
/// No such day: before every other (no previous one).
const NONE_BEFORE: Day = Day::MIN;

fn day(d: NaiveDate) -> Day {
    d.num_days_from_ce()
}

/// Whether an answer was by the due date; `NoDue` when the item had none then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timeliness {
    NoDue,
    Late,
    OnTime,
}

#[derive(Debug, Clone, Copy)]
struct Raised {
    day: Day,
    item: u32,
}

/// Packed to 2 bytes: 14 bytes an entry instead of 16 (and `Open` 18 instead of 20), of
/// millions; fields are only read and written whole.
#[derive(Debug, Clone, Copy)]
#[repr(C, packed(2))]
struct Handed {
    day: Day,
    /// The item's next hand-over: this one names the period's department when that is
    /// after the period.
    next: Day,
    item: u32,
    dept: u16,
}

#[derive(Debug, Clone, Copy)]
struct Answer {
    day: Day,
    /// The item's previous answer: this one is the period's first when that is before it.
    prev: Day,
    item: u32,
    /// Whole days from raising (`DAYS_BITS`), the department that had it that day (16
    /// bits) and whether it was on time (2 bits): 16 bytes an answer instead of 20.
    packed: u32,
}

/// The most days from raising an answer of the lists can be; an item answered later (an
/// odd import) is counted one by one.
const ANSWER_DAYS: u32 = (1 << DAYS_BITS) - 1;
const DAYS_BITS: u32 = 14;

impl Answer {
    fn new(day: Day, prev: Day, item: u32, days: u32, dept: u16, on_time: Timeliness) -> Answer {
        debug_assert!(days <= ANSWER_DAYS);
        let timely = match on_time {
            Timeliness::NoDue => 0,
            Timeliness::Late => 1,
            Timeliness::OnTime => 2,
        };
        Answer {
            day,
            prev,
            item,
            packed: days | u32::from(dept) << DAYS_BITS | timely << (DAYS_BITS + 16),
        }
    }

    fn days(&self) -> u32 {
        self.packed & ANSWER_DAYS
    }

    fn dept(&self) -> u16 {
        (self.packed >> DAYS_BITS) as u16
    }

    fn on_time(&self) -> Timeliness {
        match self.packed >> (DAYS_BITS + 16) {
            0 => Timeliness::NoDue,
            1 => Timeliness::Late,
            _ => Timeliness::OnTime,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Response {
    day: Day,
    days: u32,
}

#[derive(Debug, Clone, Copy)]
struct Close {
    day: Day,
    prev: Day,
}

#[derive(Debug, Clone, Copy)]
struct Call {
    day: Day,
    next: Day,
    item: u32,
    dept: u16,
    satisfied: bool,
}

/// Days `[from, until)` an item was open with one due date (`NEVER`: none) and department.
/// Its category and firm are looked up by item: 8 bytes less a stretch, of millions.
#[derive(Debug, Clone, Copy)]
#[repr(C, packed(2))]
struct Open {
    from: Day,
    until: Day,
    due: Day,
    item: u32,
    dept: u16,
}

/// Distinct values numbered densely, so tallies are arrays.
#[derive(Debug)]
struct Names<K> {
    all: Vec<K>,
    index: HashMap<K, u32>,
}

impl<K: Copy + Eq + std::hash::Hash> Names<K> {
    fn new() -> Self {
        Names {
            all: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn of(&mut self, key: K) -> u32 {
        let next = self.all.len() as u32;
        *self.index.entry(key).or_insert_with(|| {
            self.all.push(key);
            next
        })
    }
}

/// The ledger by day (see the module's comment). An item's index is its place in the
/// order the items were read in, as in a `Ledger`.
#[derive(Debug)]
pub struct Tallies {
    /// By item index: its category, firm and number.
    category: Vec<u16>,
    firm: Vec<u32>,
    number: Vec<u32>,
    /// By item index: its last day if it ends closed (`NEVER` if not): it adds nothing to a
    /// period after that (`ItemFacts::is_quiet_before`).
    quiet: Vec<Day>,
    /// By item index: its title (for the brief's list).
    titles: titles::Titles,
    categories: Vec<Option<Id>>,
    departments: Vec<Option<Id>>,
    firms: Vec<Id>,
    raised: Vec<Raised>,
    handed: Vec<Handed>,
    answers: Vec<Answer>,
    responses: Vec<Response>,
    closes: Vec<Close>,
    calls: Vec<Call>,
    /// By due date, then number and index: the overdue list's order.
    open: Vec<Open>,
    /// Items counted one by one (days out of order), and their facts, kept whole.
    odd: Vec<u32>,
    odd_facts: Vec<ItemFacts>,
    words: Vocabulary,
    tags: Vocabulary,
    /// The raisings added up by calendar month.
    months: Vec<count::Month>,
    /// The visits' indexes by day.
    visits: Vec<u32>,
    visit_days: Vec<Day>,
    /// The visits in the ledger's order (the figures' indexes).
    visit_facts: Vec<VisitFacts>,
    /// Where the open stretches begin and end, for the counts alone.
    ends: at_day::Ends,
    /// The last few days counted at.
    kept: at_day::Kept,
}

#[cfg(test)]
mod listing_tests;
#[cfg(test)]
mod tests;
