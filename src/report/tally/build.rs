//! The tallies built one item at a time, as the store streams them (`Tallies::load`): the
//! Reports tab holds no ledger (at a million items the ledger was 700 MiB), only the lists by
//! day and, per item, what later periods and the brief ask of it. `Tallies::new` builds the
//! same from a ledger in memory (the tests, beside the oracle).

use super::at_day::{Ends, Kept};
use super::titles::Titles;
use super::{
    count, day, Answer, Call, Close, Day, Handed, Names, Open, Raised, Response, Tallies,
    Timeliness, Vocabulary, ANSWER_DAYS, NEVER, NONE_BEFORE,
};
use crate::model::Id;
use crate::report::facts::{ItemFacts, Ledger, VisitFacts};
use chrono::NaiveDate;

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

/// What the packed lists hold: answers within `ANSWER_DAYS` of the raising.
fn fits(item: &ItemFacts) -> bool {
    (item.answers.last()).is_none_or(|d| (*d - item.raised).num_days() <= i64::from(ANSWER_DAYS))
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

/// Takes items and visits in the ledger's order (their indexes are the figures' indexes)
/// and lays them out by day at the end.
pub struct Builder {
    t: Tallies,
    categories: Names<Option<Id>>,
    departments: Names<Option<Id>>,
    firms: Names<Id>,
    buffer: Vec<u32>,
    word: String,
}

impl Builder {
    /// For about `items` items (a hint: more or fewer are fine).
    pub fn new(items: usize) -> Builder {
        let n = items;
        let t = Tallies {
            category: Vec::with_capacity(n),
            firm: Vec::with_capacity(n),
            number: Vec::with_capacity(n),
            quiet: Vec::with_capacity(n),
            titles: Titles::new(n),
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
            odd_facts: Vec::new(),
            words: Vocabulary::new(),
            tags: Vocabulary::new(),
            visits: Vec::new(),
            visit_days: Vec::new(),
            visit_facts: Vec::new(),
            months: Vec::new(),
            ends: Ends::default(),
            kept: Kept::default(),
        };
        Builder {
            t,
            categories: Names::new(),
            departments: Names::new(),
            firms: Names::new(),
            buffer: Vec::new(),
            word: String::new(),
        }
    }

    /// The next item: what it adds to the lists, and what is kept of it.
    pub fn item(&mut self, item: &ItemFacts) {
        let t = &mut self.t;
        let departments = &mut self.departments;
        let i = t.number.len() as u32;
        t.category.push(self.categories.of(item.category) as u16);
        t.firm.push(self.firms.of(item.firm));
        t.number.push(item.number);
        // Closed and quiet from the day after its last: what `is_quiet_before` asks.
        t.quiet.push(if item.ends_closed {
            day(item.last_day)
        } else {
            NEVER
        });
        t.titles.push(&item.title);
        // Every department it ever had, so an odd item's tallies find theirs too.
        for (_, d) in &item.department.0 {
            departments.of(*d);
        }
        for (_, d) in &item.handed {
            departments.of(Some(*d));
        }
        t.add_words(&item.title, &mut self.buffer, &mut self.word);
        self.buffer.clear();
        for tag in &item.tags {
            self.buffer.push(t.tags.id(tag));
        }
        t.tags.push(&mut self.buffer);
        if !in_order(item) || !fits(item) {
            // A day before its raising has no department: numbered too (a call dated
            // before the item, seed 1530204973297929750 of the tests).
            departments.of(None);
            t.odd.push(i);
            t.odd_facts.push(item.clone());
            return;
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
            let dept = dept_at(*on, departments);
            t.answers.push(Answer::new(d, prev, i, days, dept, on_time));
        }
        if let Some(r) = item.first_response {
            let days = (day(r) - raised) as u32;
            t.responses.push(Response { day: day(r), days });
        }
        t.closes
            .extend(with_prev(&item.closes, |e| *e).map(|(_, day, prev)| Close { day, prev }));
        for ((on, verdict), d, next) in with_next(&item.calls, |e| e.0) {
            let dept = dept_at(*on, departments);
            t.calls.push(Call {
                day: d,
                next,
                item: i,
                dept,
                satisfied: verdict.is_satisfied(),
            });
        }
        t.add_open(item, i, departments);
    }

    /// The next visit.
    pub fn visit(&mut self, visit: VisitFacts) {
        self.t.visit_facts.push(visit);
    }

    /// The lists sorted by day, the month sums and the ends counted; what only building
    /// needed let go, the rest cut to size.
    pub fn finish(self) -> Tallies {
        let mut t = self.t;
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
        let mut visits: Vec<u32> = (0..t.visit_facts.len() as u32).collect();
        visits.sort_by_key(|v| t.visit_facts[*v as usize].day);
        t.visit_days = visits
            .iter()
            .map(|v| day(t.visit_facts[*v as usize].day))
            .collect();
        t.visits = visits;
        t.categories = self.categories.all;
        t.departments = self.departments.all;
        t.firms = self.firms.all;
        t.ends = Ends::new(&t);
        t.shrink();
        t
    }
}

impl Tallies {
    /// From a ledger in memory.
    pub fn new(ledger: &Ledger) -> Tallies {
        let mut built = Builder::new(ledger.items.len());
        for item in &ledger.items {
            built.item(item);
        }
        for visit in &ledger.visits {
            built.visit(visit.clone());
        }
        built.finish()
    }

    /// Growing by doubling leaves up to half of each list unused; a million items' worth.
    fn shrink(&mut self) {
        self.category.shrink_to_fit();
        self.firm.shrink_to_fit();
        self.number.shrink_to_fit();
        self.quiet.shrink_to_fit();
        self.titles.finish();
        self.raised.shrink_to_fit();
        self.handed.shrink_to_fit();
        self.answers.shrink_to_fit();
        self.responses.shrink_to_fit();
        self.closes.shrink_to_fit();
        self.calls.shrink_to_fit();
        self.open.shrink_to_fit();
        self.odd_facts.shrink_to_fit();
        self.visit_facts.shrink_to_fit();
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
        self.words.push(buffer);
    }

    /// The stretches the item was open: between the days its due date or department changed
    /// or it closed or opened again, the value each had at the end of the first of them.
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
            let stretch = Open {
                from: day(*from),
                until,
                due: item.due.at(*from).flatten().map_or(NEVER, day),
                item: i,
                dept: departments.of(item.department.at(*from).flatten()) as u16,
            };
            // From one open status to another with the same due date and department: one
            // stretch (what a day counts is the same; at a million items, about 3.4 million
            // stretches become 1.9 million).
            match self.open.last_mut() {
                Some(last)
                    if last.item == i
                        && last.until == stretch.from
                        && last.due == stretch.due
                        && last.dept == stretch.dept =>
                {
                    last.until = stretch.until
                }
                _ => self.open.push(stretch),
            }
        }
    }
}
