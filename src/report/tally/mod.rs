//! The ledger's facts laid out by day, so that a period's figures cost the period's own
//! records, not the ledger (issue 17, goal 1: the Reports tab's period keys at a million
//! items). Built once when the ledger is read (in the background, with it); `figures`
//! counts exactly what `super::figures::figures` counts, which stays as the one-shot path
//! (`liaison report`) and as the oracle of the tests.
//!
//! Each thing that happens to an item is an entry in a list sorted by day, carrying what
//! decides whether it counts for a period: an answer counts (once per item) when the one
//! before it fell before the period; a hand-over or a call when the next one falls after
//! it. The items open on a day are the stretches `[from, until)` an item spent open with
//! one due date and department, kept in the order the overdue list is shown in.
//!
//! An item whose days are not in time order (an odd import) is left out of the lists and
//! counted item by item as before, so the figures stay exact whatever the data.

mod at_day;
mod count;

use super::facts::{ItemFacts, Ledger};
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

#[derive(Debug, Clone, Copy)]
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
    /// Whole days from raising.
    days: u32,
    /// The department that had it that day.
    dept: u16,
    on_time: Timeliness,
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

/// Days `[from, until)` an item was open with one due date (`NEVER`: none) and department;
/// its category and firm beside, so counting a day reads this list alone.
#[derive(Debug, Clone, Copy)]
struct Open {
    from: Day,
    until: Day,
    due: Day,
    item: u32,
    firm: u32,
    dept: u16,
    category: u16,
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

/// Words (or tags) numbered, with each item's list: by item index while building, then
/// in the order of `raised` followed by the odd items (`slot`), so a period reads its
/// items' words in a row.
#[derive(Debug, Default)]
struct Vocabulary {
    names: Vec<String>,
    index: HashMap<String, u32>,
    /// Item `i`'s ids are `ids[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl Vocabulary {
    fn id(&mut self, word: &str) -> u32 {
        if let Some(id) = self.index.get(word) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(word.to_string());
        self.index.insert(word.to_string(), id);
        id
    }

    fn of(&self, slot: usize) -> &[u32] {
        &self.ids[self.starts[slot] as usize..self.starts[slot + 1] as usize]
    }

    /// The lists laid out again in `order` (of item indexes).
    fn reorder(&mut self, order: impl Iterator<Item = usize>) {
        let (mut starts, mut ids) = (vec![0], Vec::with_capacity(self.ids.len()));
        for item in order {
            ids.extend_from_slice(self.of(item));
            starts.push(ids.len() as u32);
        }
        self.starts = starts;
        self.ids = ids;
    }
}

/// The ledger by day (see the module's comment).
#[derive(Debug)]
pub struct Tallies {
    category: Vec<u16>,
    firm: Vec<u32>,
    number: Vec<u32>,
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
    /// Items counted one by one (days out of order).
    odd: Vec<u32>,
    words: Vocabulary,
    tags: Vocabulary,
    /// The raisings added up by calendar month.
    months: Vec<count::Month>,
    /// The visits' indexes by day.
    visits: Vec<u32>,
    visit_days: Vec<Day>,
    /// Where the open stretches begin and end, for the counts alone.
    ends: at_day::Ends,
    /// The last few days counted at.
    kept: at_day::Kept,
}

fn sorted<T>(days: impl Iterator<Item = T>) -> bool
where
    T: PartialOrd,
{
    let mut last = None;
    for d in days {
        if last.as_ref().is_some_and(|l| *l > d) {
            return false;
        }
        last = Some(d);
    }
    true
}

/// Days in time order and none before the raising: what the lists assume.
fn in_order(item: &ItemFacts) -> bool {
    let r = item.raised;
    sorted(item.status.0.iter().map(|(d, _)| *d))
        && sorted(item.department.0.iter().map(|(d, _)| *d))
        && sorted(item.due.0.iter().map(|(d, _)| *d))
        && sorted(item.handed.iter().map(|(d, _)| *d))
        && sorted(item.answers.iter().copied())
        && sorted(item.closes.iter().copied())
        && sorted(item.calls.iter().map(|(d, _)| *d))
        && item.status.0.first().is_none_or(|(d, _)| *d == r)
        && item.department.0.first().is_none_or(|(d, _)| *d == r)
        && item.due.0.first().is_none_or(|(d, _)| *d == r)
        && item.handed.iter().all(|(d, _)| *d >= r)
        && item.answers.iter().all(|d| *d >= r)
        && item.closes.iter().all(|d| *d >= r)
        && item.calls.iter().all(|(d, _)| *d >= r)
        && item.first_response.is_none_or(|d| d >= r)
}

/// Each entry of a list in time order with the day of the one before it (`NONE_BEFORE`).
fn with_prev<T>(
    list: &[T],
    day_of: impl Fn(&T) -> NaiveDate,
) -> impl Iterator<Item = (&T, Day, Day)> {
    list.iter().enumerate().map(move |(i, e)| {
        let prev = i
            .checked_sub(1)
            .map_or(NONE_BEFORE, |p| day(day_of(&list[p])));
        (e, day(day_of(e)), prev)
    })
}

/// Each entry with the day of the one after it (`NEVER`).
fn with_next<T>(
    list: &[T],
    day_of: impl Fn(&T) -> NaiveDate,
) -> impl Iterator<Item = (&T, Day, Day)> {
    list.iter().enumerate().map(move |(i, e)| {
        let next = list.get(i + 1).map_or(NEVER, |n| day(day_of(n)));
        (e, day(day_of(e)), next)
    })
}

impl Tallies {
    pub fn new(ledger: &Ledger) -> Tallies {
        let n = ledger.items.len();
        let mut categories = Names::new();
        let mut departments = Names::new();
        let mut firms = Names::new();
        let mut t = Tallies {
            category: Vec::with_capacity(n),
            firm: Vec::with_capacity(n),
            number: Vec::with_capacity(n),
            categories: Vec::new(),
            departments: Vec::new(),
            firms: Vec::new(),
            raised: Vec::with_capacity(n),
            handed: Vec::with_capacity(n),
            answers: Vec::new(),
            responses: Vec::new(),
            closes: Vec::new(),
            calls: Vec::new(),
            open: Vec::with_capacity(n),
            odd: Vec::new(),
            words: Vocabulary::default(),
            tags: Vocabulary::default(),
            visits: Vec::new(),
            visit_days: Vec::new(),
            months: Vec::new(),
            ends: at_day::Ends::default(),
            kept: at_day::Kept::default(),
        };
        let (mut buffer, mut word) = (Vec::new(), String::new());
        t.words.starts.push(0);
        t.tags.starts.push(0);
        for (index, item) in ledger.items.iter().enumerate() {
            let i = index as u32;
            t.category.push(categories.of(item.category) as u16);
            t.firm.push(firms.of(item.firm));
            t.number.push(item.number);
            // Every department it ever had, so an odd item's tallies find theirs too.
            for (_, d) in &item.department.0 {
                departments.of(*d);
            }
            for (_, d) in &item.handed {
                departments.of(Some(*d));
            }
            t.add_words(&item.title, &mut buffer, &mut word);
            for tag in &item.tags {
                let id = t.tags.id(tag);
                t.tags.ids.push(id);
            }
            t.tags.starts.push(t.tags.ids.len() as u32);
            if !in_order(item) {
                t.odd.push(i);
                continue;
            }
            let raised = day(item.raised);
            let dept_at = |d: NaiveDate, departments: &mut Names<Option<Id>>| {
                departments.of(item.department.at(d).flatten()) as u16
            };
            t.raised.push(Raised {
                day: raised,
                item: i,
            });
            for ((_, dept), d, next) in with_next(&item.handed, |e| e.0) {
                let dept = departments.of(Some(*dept)) as u16;
                t.handed.push(Handed {
                    day: d,
                    next,
                    item: i,
                    dept,
                });
            }
            for (on, d, prev) in with_prev(&item.answers, |e| *e) {
                let days = (d - raised) as u32;
                let on_time = match item.due.at(*on).flatten() {
                    None => Timeliness::NoDue,
                    Some(due) if *on <= due => Timeliness::OnTime,
                    Some(_) => Timeliness::Late,
                };
                let dept = dept_at(*on, &mut departments);
                t.answers.push(Answer {
                    day: d,
                    prev,
                    item: i,
                    days,
                    dept,
                    on_time,
                });
            }
            if let Some(r) = item.first_response {
                let days = (day(r) - raised) as u32;
                t.responses.push(Response { day: day(r), days });
            }
            t.closes
                .extend(with_prev(&item.closes, |e| *e).map(|(_, day, prev)| Close { day, prev }));
            for ((on, verdict), d, next) in with_next(&item.calls, |e| e.0) {
                let dept = dept_at(*on, &mut departments);
                t.calls.push(Call {
                    day: d,
                    next,
                    item: i,
                    dept,
                    satisfied: verdict.is_satisfied(),
                });
            }
            t.add_open(item, i, &mut departments);
        }
        t.raised.sort_unstable_by_key(|e| (e.day, e.item));
        let slots: Vec<usize> = (t.raised.iter().map(|e| e.item))
            .chain(t.odd.iter().copied())
            .map(|i| i as usize)
            .collect();
        t.words.reorder(slots.iter().copied());
        t.tags.reorder(slots.iter().copied());
        t.months = count::months(&t);
        t.handed.sort_unstable_by_key(|e| (e.day, e.item));
        t.answers.sort_unstable_by_key(|e| (e.day, e.item));
        t.responses.sort_unstable_by_key(|e| e.day);
        t.closes.sort_unstable_by_key(|e| e.day);
        t.calls.sort_unstable_by_key(|e| (e.day, e.item));
        let number = &t.number;
        t.open
            .sort_unstable_by_key(|e| (e.due, number[e.item as usize], e.item));
        let mut visits: Vec<u32> = (0..ledger.visits.len() as u32).collect();
        visits.sort_by_key(|v| ledger.visits[*v as usize].day);
        t.visit_days = visits
            .iter()
            .map(|v| day(ledger.visits[*v as usize].day))
            .collect();
        t.visits = visits;
        t.categories = categories.all;
        t.departments = departments.all;
        t.firms = firms.all;
        t.ends = at_day::Ends::new(&t);
        t
    }

    /// The title's words as ids, each once: what `title_words` finds, without a set of
    /// strings per title (a million titles are read).
    fn add_words(&mut self, title: &str, buffer: &mut Vec<u32>, word: &mut String) {
        buffer.clear();
        let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        let mut before = None;
        for c in title.chars() {
            if let Some(b) = before.filter(|b| han(*b) && han(c)) {
                word.clear();
                word.push(b);
                word.push(c);
                buffer.push(self.words.id(word));
            }
            before = Some(c);
        }
        for latin in title.split(|c: char| !c.is_ascii_alphanumeric()) {
            if latin.len() >= 3 && latin.chars().any(|c| c.is_ascii_alphabetic()) {
                word.clear();
                word.push_str(latin);
                word.make_ascii_lowercase();
                buffer.push(self.words.id(word));
            }
        }
        buffer.sort_unstable();
        buffer.dedup();
        self.words.ids.extend_from_slice(buffer);
        self.words.starts.push(self.words.ids.len() as u32);
    }

    /// The stretches the item was open: between the days any of status, due date and
    /// department changed, the value each had at the end of the first of them.
    fn add_open(&mut self, item: &ItemFacts, i: u32, departments: &mut Names<Option<Id>>) {
        let mut days: Vec<NaiveDate> = item
            .status
            .0
            .iter()
            .map(|(d, _)| *d)
            .chain(item.due.0.iter().map(|(d, _)| *d))
            .chain(item.department.0.iter().map(|(d, _)| *d))
            .collect();
        days.sort_unstable();
        days.dedup();
        for (k, from) in days.iter().enumerate() {
            if !item.is_open_at(*from) {
                continue;
            }
            let until = days.get(k + 1).map_or(NEVER, |d| day(*d));
            self.open.push(Open {
                from: day(*from),
                until,
                due: item.due.at(*from).flatten().map_or(NEVER, day),
                item: i,
                firm: self.firm[i as usize],
                dept: departments.of(item.department.at(*from).flatten()) as u16,
                category: self.category[i as usize],
            });
        }
    }
}

#[cfg(test)]
mod tests;
