//! A period's figures from the tallies: each list is cut to the period's days by two binary
//! searches, the items open at the day the period is counted at come from one pass over the
//! open stretches, and the odd items are counted one by one as `figures` does.

mod months;

pub(super) use months::{months, Month};

use super::at_day::AtDay;
use super::{day, Day, Tallies, Timeliness};
use crate::model::{Id, VisitStatus};
use crate::report::facts::ItemFacts;
use crate::report::figures::{
    as_of, buckets, item_in, rate, Bucket, CategoryRow, DepartmentRow, Figures, Headline,
    OverdueItem,
};
use crate::report::period::Period;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::sync::Arc;

/// How much a count fills in: the headline only (the periods compared with), or the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Headline,
    Tables,
}

/// Whole days counted by value, so a median needs no sort. Days before the raising cannot
/// happen (facts start at the raising) but would still count, kept aside.
#[derive(Debug, Default)]
struct Histogram {
    counts: Vec<u32>,
    negative: Vec<i64>,
    n: usize,
}

impl Histogram {
    fn add(&mut self, days: i64) {
        self.n += 1;
        match usize::try_from(days) {
            Ok(d) => {
                if d >= self.counts.len() {
                    self.counts.resize(d + 1, 0);
                }
                self.counts[d] += 1;
            }
            Err(_) => self.negative.push(days),
        }
    }

    /// The `k`-th smallest value (from 0).
    fn nth(&self, k: usize) -> i64 {
        if k < self.negative.len() {
            return self.negative[k];
        }
        let mut seen = self.negative.len();
        for (value, count) in self.counts.iter().enumerate() {
            seen += *count as usize;
            if seen > k {
                return value as i64;
            }
        }
        unreachable!("k is below the count")
    }

    /// As `figures::median`: the middle value, or the mean of the two middle ones.
    fn median(mut self) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        self.negative.sort_unstable();
        let mid = self.n / 2;
        Some(if self.n % 2 == 1 {
            self.nth(mid) as f64
        } else {
            (self.nth(mid - 1) + self.nth(mid)) as f64 / 2.0
        })
    }
}

/// First touched by (item index, the order `figures` touches a department in within an
/// item), so rows come out in the order `figures` makes them before its stable sort.
const UNTOUCHED: (u32, u8) = (u32::MAX, u8::MAX);
const BY_HANDING: u8 = 0;
const BY_ANSWER: u8 = 1;
const BY_OVERDUE: u8 = 2;
const BY_CALL: u8 = 3;

#[derive(Debug)]
struct DeptTally {
    first: (u32, u8),
    handed: u64,
    answered: u64,
    on_time: u64,
    overdue: u64,
    days: Histogram,
    calls: u64,
    satisfied: u64,
}

#[derive(Debug)]
struct CatTally {
    first: u32,
    row: CategoryRow,
}

struct Count<'a> {
    t: &'a Tallies,
    detail: Detail,
    h: Headline,
    on_time: u64,
    with_due: u64,
    satisfied: u64,
    to_answer: Histogram,
    to_response: Histogram,
    depts: Vec<DeptTally>,
    cats: Vec<CatTally>,
    firms: Vec<u32>,
    overdue: Vec<OverdueItem>,
    /// The overdue list of the day counted at, shared (`at_day`); `overdue` adds to it.
    shared: Option<Arc<Vec<OverdueItem>>>,
    /// An odd item was added to the overdue list out of its order.
    overdue_unsorted: bool,
    words: Vec<u32>,
    tags: Vec<u32>,
}

impl<'a> Count<'a> {
    fn new(t: &'a Tallies, detail: Detail) -> Count<'a> {
        let tables = detail == Detail::Tables;
        let sized = |n: usize| if tables { n } else { 0 };
        Count {
            t,
            detail,
            h: Headline::default(),
            on_time: 0,
            with_due: 0,
            satisfied: 0,
            to_answer: Histogram::default(),
            to_response: Histogram::default(),
            depts: (0..sized(t.departments.len()))
                .map(|_| DeptTally {
                    first: UNTOUCHED,
                    handed: 0,
                    answered: 0,
                    on_time: 0,
                    overdue: 0,
                    days: Histogram::default(),
                    calls: 0,
                    satisfied: 0,
                })
                .collect(),
            cats: (0..sized(t.categories.len()))
                .map(|c| CatTally {
                    first: u32::MAX,
                    row: CategoryRow {
                        category: t.categories[c],
                        ..CategoryRow::default()
                    },
                })
                .collect(),
            firms: vec![0; sized(t.firms.len())],
            overdue: Vec::new(),
            shared: None,
            overdue_unsorted: false,
            words: vec![0; sized(t.words.names.len())],
            tags: vec![0; sized(t.tags.names.len())],
        }
    }

    fn tables(&self) -> bool {
        self.detail == Detail::Tables
    }

    fn dept(&mut self, item: u32, dept: u16, by: u8) -> &mut DeptTally {
        let d = &mut self.depts[usize::from(dept)];
        d.first = d.first.min((item, by));
        d
    }

    fn cat(&mut self, item: u32) -> &mut CategoryRow {
        let c = &mut self.cats[usize::from(self.t.category[item as usize])];
        c.first = c.first.min(item);
        &mut c.row
    }

    /// Raised in the period; `slot` finds its words and tags (`Vocabulary`).
    fn raised(&mut self, item: u32, slot: usize) {
        self.h.raised += 1;
        if self.tables() {
            self.cat(item).raised += 1;
            for w in self.t.words.of(slot) {
                self.words[w as usize] += 1;
            }
            for tag in self.t.tags.of(slot) {
                self.tags[tag as usize] += 1;
            }
        }
    }

    fn handed(&mut self, item: u32, dept: u16) {
        self.h.handed_over += 1;
        if self.tables() {
            self.dept(item, dept, BY_HANDING).handed += 1;
        }
    }

    fn answer(&mut self, item: u32, days: i64, on_time: Timeliness, dept: u16) {
        self.h.answered += 1;
        self.to_answer.add(days);
        if on_time != Timeliness::NoDue {
            self.with_due += 1;
            self.on_time += u64::from(on_time == Timeliness::OnTime);
        }
        if self.tables() {
            let d = self.dept(item, dept, BY_ANSWER);
            d.answered += 1;
            d.on_time += u64::from(on_time == Timeliness::OnTime);
            d.days.add(days);
            self.cat(item).answered += 1;
        }
    }

    fn call(&mut self, item: u32, satisfied: bool, dept: u16) {
        self.h.calls += 1;
        self.satisfied += u64::from(satisfied);
        if self.tables() {
            let d = self.dept(item, dept, BY_CALL);
            d.calls += 1;
            d.satisfied += u64::from(satisfied);
        }
    }

    /// Open at the day counted at; overdue by `days` then, in department `dept`.
    fn open(&mut self, item: u32, overdue: Option<(i64, u16)>) {
        self.h.open += 1;
        self.h.overdue += u64::from(overdue.is_some());
        if self.tables() {
            let c = self.cat(item);
            c.open += 1;
            c.overdue += u64::from(overdue.is_some());
            self.firms[self.t.firm[item as usize] as usize] += 1;
            if let Some((days, dept)) = overdue {
                self.dept(item, dept, BY_OVERDUE).overdue += 1;
                self.overdue.push(OverdueItem {
                    index: item as usize,
                    days,
                });
            }
        }
    }
}

impl Count<'_> {
    /// What the items open on the day counted at add (odd items aside).
    fn add_at(&mut self, at: &AtDay) {
        self.h.open += at.open;
        self.h.overdue += at.overdue;
        for (c, (first, open, overdue)) in self.cats.iter_mut().zip(&at.categories) {
            c.first = c.first.min(*first);
            c.row.open += open;
            c.row.overdue += overdue;
        }
        for (d, (first, overdue)) in self.depts.iter_mut().zip(&at.departments) {
            if *first != u32::MAX {
                d.first = d.first.min((*first, BY_OVERDUE));
            }
            d.overdue += overdue;
        }
        for (f, n) in self.firms.iter_mut().zip(&at.firms) {
            *f += n;
        }
        self.shared = Some(at.list.clone());
    }
}

/// The entries of a list sorted by day that fall in `from..=to`.
fn within<T>(list: &[T], key: impl Fn(&T) -> Day, from: Day, to: Day) -> &[T] {
    let start = list.partition_point(|e| key(e) < from);
    let end = list.partition_point(|e| key(e) <= to);
    &list[start..end.max(start)]
}

impl Tallies {
    /// Every figure of `period`, exactly as `figures::figures` counts them.
    pub fn figures(&self, period: &Period, today: NaiveDate) -> Figures {
        // The two earlier periods on another core while this one counts the tables.
        std::thread::scope(|scope| {
            let earlier = scope.spawn(|| {
                (
                    self.headline(&period.previous(), today),
                    self.headline(&period.year_earlier(), today),
                )
            });
            let mut counted = self.tables(period, today);
            let (previous, year_earlier) = earlier.join().expect("counting cannot panic");
            counted.previous = previous;
            counted.year_earlier = year_earlier;
            counted
        })
    }

    pub fn headline(&self, period: &Period, today: NaiveDate) -> Headline {
        let mut count = Count::new(self, Detail::Headline);
        self.count(&mut count, period, today);
        Self::finish_headline(&mut count);
        count.h
    }

    /// The indexes of the visits in `from..=to`, by day.
    fn visits_in(&self, from: Day, to: Day) -> &[u32] {
        let start = self.visit_days.partition_point(|d| *d < from);
        let end = self.visit_days.partition_point(|d| *d <= to);
        &self.visits[start..end.max(start)]
    }

    fn dept_of(&self, dept: Option<Id>) -> u16 {
        self.departments
            .iter()
            .position(|d| *d == dept)
            .expect("every department is numbered") as u16
    }

    /// Adds everything in `period` to `count`: the lists, the open stretches, the odd items.
    fn count(&self, count: &mut Count, period: &Period, today: NaiveDate) {
        let (from, to) = (day(period.from), day(period.to));
        let at = as_of(period, today);
        let at_day = day(at);
        self.count_raised(count, from, to);
        for e in within(&self.handed, |e| e.day, from, to) {
            if e.next > to {
                count.handed(e.item, e.dept);
            }
        }
        for e in within(&self.answers, |e| e.day, from, to) {
            if e.prev < from {
                count.answer(e.item, i64::from(e.days()), e.on_time(), e.dept());
            }
        }
        for e in within(&self.responses, |e| e.day, from, to) {
            count.to_response.add(i64::from(e.days));
        }
        count.h.closed += within(&self.closes, |e| e.day, from, to)
            .iter()
            .filter(|e| e.prev < from)
            .count() as u64;
        for e in within(&self.calls, |e| e.day, from, to) {
            if e.next > to {
                count.call(e.item, e.satisfied, e.dept);
            }
        }
        // A period after today counts open items at today; an item closed and quiet
        // before the period starts is left out of it, as `figures` leaves it: then each
        // stretch is looked at. Otherwise the day's counts serve every period.
        let future = at < period.from;
        if !future && count.tables() {
            count.add_at(&self.at_day(at_day));
        } else if !future {
            let (open, overdue) = self.open_on(at_day);
            count.h.open += open;
            count.h.overdue += overdue;
        }
        for e in self.open.iter().filter(|_| future) {
            if e.from <= at_day && at_day < e.until {
                if future && self.quiet[e.item as usize] < from {
                    continue;
                }
                let overdue = (e.due < at_day).then(|| (i64::from(at_day - e.due), e.dept));
                count.open(e.item, overdue);
            }
        }
        for (k, (i, item)) in self.odd.iter().zip(&self.odd_facts).enumerate() {
            let slot = self.raised.len() + k;
            self.count_odd(count, item, (*i, slot), period, at);
        }
        let mut firms = HashSet::new();
        for v in self.visits_in(from, to) {
            let visit = &self.visit_facts[*v as usize];
            match visit.status {
                VisitStatus::Done => {
                    count.h.visits_done += 1;
                    firms.insert(visit.firm);
                }
                VisitStatus::Planned => count.h.visits_planned += 1,
                VisitStatus::Cancelled => {}
            }
        }
        count.h.firms_visited = firms.len() as u64;
    }

    /// An item whose days are out of order, counted as `figures` counts it.
    fn count_odd(
        &self,
        count: &mut Count,
        item: &ItemFacts,
        (i, slot): (u32, usize),
        period: &Period,
        at: NaiveDate,
    ) {
        if item.raised > period.to || item.is_quiet_before(period.from) {
            return;
        }
        let p = item_in(item, period, at);
        let dept_at = |d: NaiveDate| self.dept_of(item.department.at(d).flatten());
        if p.raised {
            count.raised(i, slot);
        }
        if let Some(dept) = p.handed {
            count.handed(i, self.dept_of(Some(dept)));
        }
        if let Some((d, timely)) = p.answer {
            let on_time = match timely {
                None => Timeliness::NoDue,
                Some(true) => Timeliness::OnTime,
                Some(false) => Timeliness::Late,
            };
            count.answer(i, (d - item.raised).num_days(), on_time, dept_at(d));
        }
        if let Some(d) = p.response {
            count.to_response.add((d - item.raised).num_days());
        }
        count.h.closed += u64::from(p.closed);
        if let Some((d, verdict)) = p.call {
            count.call(i, verdict.is_satisfied(), dept_at(d));
        }
        if p.open {
            count.overdue_unsorted |= p.overdue.is_some() && count.tables();
            count.open(i, p.overdue.map(|days| (days, dept_at(at))));
        }
    }

    fn finish_headline(count: &mut Count) {
        count.h.on_time_rate = rate(count.on_time, count.with_due);
        count.h.satisfaction_rate = rate(count.satisfied, count.h.calls);
        count.h.median_days_to_answer = std::mem::take(&mut count.to_answer).median();
        count.h.median_days_to_response = std::mem::take(&mut count.to_response).median();
    }

    /// The figures of `period` itself; `previous` and `year_earlier` left empty.
    fn tables(&self, period: &Period, today: NaiveDate) -> Figures {
        let mut count = Count::new(self, Detail::Tables);
        self.count(&mut count, period, today);
        Self::finish_headline(&mut count);
        let mut depts: Vec<(u16, DeptTally)> = std::mem::take(&mut count.depts)
            .into_iter()
            .enumerate()
            .filter(|(_, d)| d.first != UNTOUCHED)
            .map(|(i, d)| (i as u16, d))
            .collect();
        depts.sort_by_key(|(_, d)| d.first);
        let mut departments: Vec<DepartmentRow> = depts
            .into_iter()
            .map(|(i, t)| DepartmentRow {
                department: self.departments[usize::from(i)],
                handed_over: t.handed,
                answered: t.answered,
                answered_on_time: t.on_time,
                overdue: t.overdue,
                median_days_to_answer: t.days.median(),
                satisfaction_rate: rate(t.satisfied, t.calls),
            })
            .collect();
        departments.sort_by_key(|d| std::cmp::Reverse((d.handed_over, d.answered, d.overdue)));
        let mut cats: Vec<CatTally> = std::mem::take(&mut count.cats)
            .into_iter()
            .filter(|c| c.first != u32::MAX)
            .collect();
        cats.sort_by_key(|c| c.first);
        let mut categories: Vec<CategoryRow> = cats.into_iter().map(|c| c.row).collect();
        categories.sort_by_key(|c| std::cmp::Reverse((c.raised, c.open)));
        let mut top_firms: Vec<(Id, u64)> = count
            .firms
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(f, n)| (self.firms[f], u64::from(*n)))
            .collect();
        top(&mut top_firms, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let overdue = match (count.shared.take(), std::mem::take(&mut count.overdue)) {
            (Some(shared), own) if own.is_empty() => shared,
            (shared, own) => {
                let mut all: Vec<OverdueItem> = shared.map(|s| s.to_vec()).unwrap_or_default();
                all.extend(own);
                if count.overdue_unsorted {
                    all.sort_by_key(|o| (std::cmp::Reverse(o.days), self.number[o.index], o.index));
                }
                Arc::new(all)
            }
        };
        let named = |counts: &[u32], names: &[String], least: u32| {
            let mut named: Vec<(String, u64)> = counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n >= least)
                .map(|(w, n)| (names[w].clone(), u64::from(*n)))
                .collect();
            top(&mut named, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            named
        };
        let hot_tags = named(&count.tags, &self.tags.names, 1);
        let hot_words = named(&count.words, &self.words.names, 2);
        let (from, to) = (day(period.from), day(period.to));
        let visits = self
            .visits_in(from, to)
            .iter()
            .map(|v| *v as usize)
            .collect();
        Figures {
            period: *period,
            as_of: as_of(period, today),
            headline: count.h,
            previous: Headline::default(),
            year_earlier: Headline::default(),
            departments,
            categories,
            top_firms,
            overdue,
            hot_tags,
            hot_words,
            visits,
            series: self.series(period),
        }
    }

    /// The chart: items raised in each bucket, and items answered (once per bucket).
    fn series(&self, period: &Period) -> Vec<Bucket> {
        let mut series: Vec<Bucket> = buckets(period)
            .into_iter()
            .map(|(from, to)| {
                let (f, t) = (day(from), day(to));
                Bucket {
                    from,
                    to,
                    raised: within(&self.raised, |e| e.day, f, t).len() as u64,
                    answered: within(&self.answers, |e| e.day, f, t)
                        .iter()
                        .filter(|e| e.prev < f)
                        .count() as u64,
                }
            })
            .collect();
        let (start, end) = (series[0].from, series[series.len() - 1].to);
        let find = |day: NaiveDate, buckets: &[Bucket]| {
            (start <= day && day <= end).then(|| buckets.partition_point(|b| b.to < day))
        };
        for item in &self.odd_facts {
            if let Some(i) = find(item.raised, &series) {
                series[i].raised += 1;
            }
            let mut last = None;
            for d in &item.answers {
                if let Some(i) = find(*d, &series) {
                    if last != Some(i) {
                        series[i].answered += 1;
                        last = Some(i);
                    }
                }
            }
        }
        series
    }

    /// How many items are counted one by one (their days out of order).
    pub fn odd_items(&self) -> usize {
        self.odd.len()
    }
}

/// The first ten by `order`, in that order.
fn top<T>(list: &mut Vec<T>, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if list.len() > 10 {
        list.select_nth_unstable_by(9, &order);
        list.truncate(10);
    }
    list.sort_by(order);
}
