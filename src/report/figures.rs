//! The figures of a period, counted from the ledger's facts. The rules (docs/reports.md):
//! each item counts at most once per figure and period; rates over nothing are `None`.

use super::facts::{ItemFacts, Ledger};
use super::period::{Period, PeriodKind};
use crate::model::{Id, VisitStatus};
use chrono::{Datelike, Duration, Months, NaiveDate};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The headline figures of one period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    pub visits_done: u64,
    pub visits_planned: u64,
    pub firms_visited: u64,
    pub raised: u64,
    pub handed_over: u64,
    pub answered: u64,
    pub closed: u64,
    /// At the end of the period, or today if it has not ended.
    pub open: u64,
    pub overdue: u64,
    /// Answered by the due date, of the answers to items that had one.
    pub on_time_rate: Option<f64>,
    pub median_days_to_response: Option<f64>,
    pub median_days_to_answer: Option<f64>,
    /// Satisfied or basically satisfied, of the follow-up calls.
    pub satisfaction_rate: Option<f64>,
    pub calls: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DepartmentRow {
    /// None: items not handed to any department.
    pub department: Option<Id>,
    pub handed_over: u64,
    pub answered: u64,
    pub answered_on_time: u64,
    pub overdue: u64,
    pub median_days_to_answer: Option<f64>,
    pub satisfaction_rate: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryRow {
    pub category: Option<Id>,
    pub raised: u64,
    pub answered: u64,
    pub open: u64,
    pub overdue: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverdueItem {
    pub index: usize,
    pub days: i64,
}

/// One bar pair of the chart: items raised and answered in a week or a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub raised: u64,
    pub answered: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub period: Period,
    /// The day open and overdue are counted at: the period's end, or today.
    pub as_of: NaiveDate,
    pub headline: Headline,
    pub previous: Headline,
    pub year_earlier: Headline,
    pub departments: Vec<DepartmentRow>,
    pub categories: Vec<CategoryRow>,
    /// Firms with the most open items, most first.
    pub top_firms: Vec<(Id, u64)>,
    /// Overdue items (indexes into the ledger), most days overdue first. Shared: at a
    /// million items it is a quarter million long, and the same for every period counted
    /// at one day (`tally`).
    pub overdue: Arc<Vec<OverdueItem>>,
    /// Tags of the items raised, most used first.
    pub hot_tags: Vec<(String, u64)>,
    /// Words of the titles raised (`title_words`) that came up in more than one, most first.
    pub hot_words: Vec<(String, u64)>,
    /// Visits of the period (indexes into the ledger's visits), in time order.
    pub visits: Vec<usize>,
    pub series: Vec<Bucket>,
}

/// The median of some day counts; none of none.
pub fn median(mut values: Vec<i64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid] as f64
    } else {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    })
}

pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// What one item adds to a period: each figure once.
pub(crate) struct ItemInPeriod {
    pub raised: bool,
    pub handed: Option<Id>,
    /// The first answer in the period: its day and whether it was by the due date (none
    /// when the item had no due date then).
    pub answer: Option<(NaiveDate, Option<bool>)>,
    pub response: Option<NaiveDate>,
    pub closed: bool,
    pub call: Option<(NaiveDate, crate::model::Verdict)>,
    pub open: bool,
    pub overdue: Option<i64>,
}

pub(crate) fn item_in(item: &ItemFacts, period: &Period, as_of: NaiveDate) -> ItemInPeriod {
    let (from, to) = (period.from, period.to);
    let answer = ItemFacts::first_in(&item.answers, from, to).map(|day| {
        let on_time = item.due.at(day).flatten().map(|due| day <= due);
        (day, on_time)
    });
    let open = item.is_open_at(as_of);
    ItemInPeriod {
        raised: period.contains(item.raised),
        // The last hand-over in the period names the department that has it.
        handed: item
            .handed
            .iter()
            .rev()
            .find(|(d, _)| period.contains(*d))
            .map(|(_, dept)| *dept),
        answer,
        response: item.first_response.filter(|d| period.contains(*d)),
        closed: ItemFacts::first_in(&item.closes, from, to).is_some(),
        call: item
            .calls
            .iter()
            .rev()
            .find(|(d, _)| period.contains(*d))
            .copied(),
        open,
        overdue: if open { item.overdue_at(as_of) } else { None },
    }
}

pub(crate) fn as_of(period: &Period, today: NaiveDate) -> NaiveDate {
    period.to.min(today)
}

/// The headline figures of `period`.
pub fn headline(ledger: &Ledger, period: &Period, today: NaiveDate) -> Headline {
    let as_of = as_of(period, today);
    let mut h = Headline::default();
    let (mut on_time, mut with_due, mut satisfied) = (0, 0, 0);
    let (mut to_answer, mut to_response) = (Vec::new(), Vec::new());
    for item in &ledger.items {
        if item.raised > period.to || item.is_quiet_before(period.from) {
            continue;
        }
        let p = item_in(item, period, as_of);
        h.raised += u64::from(p.raised);
        h.handed_over += u64::from(p.handed.is_some());
        h.closed += u64::from(p.closed);
        h.open += u64::from(p.open);
        h.overdue += u64::from(p.overdue.is_some());
        if let Some((day, timely)) = p.answer {
            h.answered += 1;
            to_answer.push((day - item.raised).num_days());
            if let Some(timely) = timely {
                with_due += 1;
                on_time += u64::from(timely);
            }
        }
        if let Some(day) = p.response {
            to_response.push((day - item.raised).num_days());
        }
        if let Some((_, verdict)) = p.call {
            h.calls += 1;
            satisfied += u64::from(verdict.is_satisfied());
        }
    }
    h.on_time_rate = rate(on_time, with_due);
    h.satisfaction_rate = rate(satisfied, h.calls);
    h.median_days_to_answer = median(to_answer);
    h.median_days_to_response = median(to_response);
    let mut firms = HashSet::new();
    for visit in ledger.visits.iter().filter(|v| period.contains(v.day)) {
        match visit.status {
            VisitStatus::Done => {
                h.visits_done += 1;
                firms.insert(visit.firm);
            }
            VisitStatus::Planned => h.visits_planned += 1,
            VisitStatus::Cancelled => {}
        }
    }
    h.firms_visited = firms.len() as u64;
    h
}

/// Values by a key among few, found by a linear search.
struct Few<T>(Vec<(Option<Id>, T)>);

impl<T> Default for Few<T> {
    fn default() -> Self {
        Few(Vec::new())
    }
}

impl<T: Default> Few<T> {
    fn entry(&mut self, key: Option<Id>) -> &mut T {
        let at = match self.0.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                self.0.push((key, T::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }
}

#[derive(Default)]
struct DeptTally {
    handed: u64,
    answered: u64,
    on_time: u64,
    overdue: u64,
    days: Vec<i64>,
    calls: u64,
    satisfied: u64,
}

/// Every figure of `period`: the headline beside the previous period and a year earlier,
/// the tables, the overdue items and the chart.
pub fn figures(ledger: &Ledger, period: &Period, today: NaiveDate) -> Figures {
    // The two earlier periods on another core while this one counts the tables.
    std::thread::scope(|scope| {
        let earlier = scope.spawn(|| {
            (
                headline(ledger, &period.previous(), today),
                headline(ledger, &period.year_earlier(), today),
            )
        });
        let mut counted = tables(ledger, period, today);
        let (previous, year_earlier) = earlier.join().expect("counting cannot panic");
        counted.previous = previous;
        counted.year_earlier = year_earlier;
        counted
    })
}

/// The figures of `period` itself; `previous` and `year_earlier` left empty.
fn tables(ledger: &Ledger, period: &Period, today: NaiveDate) -> Figures {
    let as_of = as_of(period, today);
    // A zone has a few dozen departments and categories: a short list beats hashing.
    let mut departments: Few<DeptTally> = Few::default();
    let mut categories: Few<CategoryRow> = Few::default();
    let mut firms: HashMap<Id, u64> = HashMap::new();
    let mut tags: HashMap<&str, u64> = HashMap::new();
    let mut words: HashMap<String, u64> = HashMap::new();
    let mut overdue = Vec::new();
    for (index, item) in ledger.items.iter().enumerate() {
        if item.raised > period.to || item.is_quiet_before(period.from) {
            continue;
        }
        let p = item_in(item, period, as_of);
        if let Some(dept) = p.handed {
            departments.entry(Some(dept)).handed += 1;
        }
        if let Some((day, timely)) = p.answer {
            let t = departments.entry(item.department.at(day).flatten());
            t.answered += 1;
            t.on_time += u64::from(timely == Some(true));
            t.days.push((day - item.raised).num_days());
        }
        if let Some(days) = p.overdue {
            departments
                .entry(item.department.at(as_of).flatten())
                .overdue += 1;
            overdue.push(OverdueItem { index, days });
        }
        if let Some((day, verdict)) = p.call {
            let t = departments.entry(item.department.at(day).flatten());
            t.calls += 1;
            t.satisfied += u64::from(verdict.is_satisfied());
        }
        let any = p.raised || p.answer.is_some() || p.open;
        if any {
            let c = categories.entry(item.category);
            c.category = item.category;
            c.raised += u64::from(p.raised);
            c.answered += u64::from(p.answer.is_some());
            c.open += u64::from(p.open);
            c.overdue += u64::from(p.overdue.is_some());
        }
        if p.open {
            *firms.entry(item.firm).or_default() += 1;
        }
        if p.raised {
            for tag in &item.tags {
                *tags.entry(tag.as_str()).or_default() += 1;
            }
            for word in title_words(&item.title) {
                *words.entry(word).or_default() += 1;
            }
        }
    }
    let mut departments: Vec<DepartmentRow> = departments
        .0
        .into_iter()
        .map(|(department, t)| DepartmentRow {
            department,
            handed_over: t.handed,
            answered: t.answered,
            answered_on_time: t.on_time,
            overdue: t.overdue,
            median_days_to_answer: median(t.days),
            satisfaction_rate: rate(t.satisfied, t.calls),
        })
        .collect();
    departments.sort_by_key(|d| std::cmp::Reverse((d.handed_over, d.answered, d.overdue)));
    let mut categories: Vec<CategoryRow> = categories.0.into_iter().map(|(_, c)| c).collect();
    categories.sort_by_key(|c| std::cmp::Reverse((c.raised, c.open)));
    let mut top_firms: Vec<(Id, u64)> = firms.into_iter().collect();
    top_firms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_firms.truncate(10);
    overdue.sort_by(|a, b| {
        b.days.cmp(&a.days).then(
            ledger.items[a.index]
                .number
                .cmp(&ledger.items[b.index].number),
        )
    });
    let mut hot_tags: Vec<(String, u64)> =
        tags.into_iter().map(|(t, n)| (t.to_string(), n)).collect();
    hot_tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hot_tags.truncate(10);
    let mut hot_words: Vec<(String, u64)> = words.into_iter().filter(|(_, n)| *n > 1).collect();
    hot_words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hot_words.truncate(10);
    let mut visits: Vec<usize> = (0..ledger.visits.len())
        .filter(|i| period.contains(ledger.visits[*i].day))
        .collect();
    visits.sort_by_key(|i| ledger.visits[*i].day);
    Figures {
        period: *period,
        as_of,
        headline: headline(ledger, period, today),
        previous: Headline::default(),
        year_earlier: Headline::default(),
        departments,
        categories,
        top_firms,
        overdue: Arc::new(overdue),
        hot_tags,
        hot_words,
        visits,
        series: series(ledger, period),
    }
}

/// The words of a title, each once: Chinese has no spaces, so every two Chinese characters
/// side by side (用电 in 新厂房用电增容) — the ones that recur across titles are the topics;
/// Latin words of three letters or more, lower-cased.
pub fn title_words(title: &str) -> HashSet<String> {
    let mut words = HashSet::new();
    let chars: Vec<char> = title.chars().collect();
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for pair in chars.windows(2) {
        if han(pair[0]) && han(pair[1]) {
            words.insert(pair.iter().collect());
        }
    }
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.len() >= 3 && word.chars().any(|c| c.is_ascii_alphabetic()) {
            words.insert(word.to_ascii_lowercase());
        }
    }
    words
}

/// The chart's buckets: the 12 weeks ending with the period's last week, or for a quarter
/// or a year the 12 months ending with its last month.
pub fn buckets(period: &Period) -> Vec<(NaiveDate, NaiveDate)> {
    let monthly = matches!(period.kind, PeriodKind::Quarter | PeriodKind::Year);
    (0..12u32)
        .rev()
        .map(|back| {
            if monthly {
                let last = period.to.with_day(1).expect("day 1") - Months::new(back);
                (last, last + Months::new(1) - Duration::days(1))
            } else {
                let first = period.week_start.first_day(period.to) - Duration::weeks(back.into());
                (first, first + Duration::days(6))
            }
        })
        .collect()
}

pub fn series(ledger: &Ledger, period: &Period) -> Vec<Bucket> {
    let mut buckets: Vec<Bucket> = buckets(period)
        .into_iter()
        .map(|(from, to)| Bucket {
            from,
            to,
            raised: 0,
            answered: 0,
        })
        .collect();
    let (start, end) = (buckets[0].from, buckets[buckets.len() - 1].to);
    let find = |day: NaiveDate, buckets: &[Bucket]| {
        (start <= day && day <= end).then(|| buckets.partition_point(|b| b.to < day))
    };
    for item in ledger.items.iter().filter(|i| !i.is_quiet_before(start)) {
        if let Some(i) = find(item.raised, &buckets) {
            buckets[i].raised += 1;
        }
        // Each item once per bucket, at its first answer there.
        let mut last = None;
        for day in &item.answers {
            if let Some(i) = find(*day, &buckets) {
                if last != Some(i) {
                    buckets[i].answered += 1;
                    last = Some(i);
                }
            }
        }
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_are_chinese_pairs_and_latin_words_each_once() {
        let words = title_words("新厂房用电 用电增容 for the LED line, 5G");
        for w in [
            "新厂", "厂房", "房用", "用电", "电增", "增容", "for", "the", "led", "line",
        ] {
            assert!(words.contains(w), "{w}: {words:?}");
        }
        assert!(!words.contains("5g"), "too short");
        assert_eq!(words.iter().filter(|w| *w == "用电").count(), 1);
    }

    #[test]
    fn medians_and_rates_over_nothing_are_none() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3, 1, 2]), Some(2.0));
        assert_eq!(median(vec![4, 1]), Some(2.5));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(1, 4), Some(0.25));
    }
}
