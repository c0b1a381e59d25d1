//! The tallies against the item-by-item count (`figures::figures`, the oracle): generated
//! ledgers with reopened items, items moved between departments, several answers and
//! calls, undated items, repeated numbers and odd items whose days are out of order, over
//! every kind of period, past, current and future.

use super::Tallies;
use crate::model::when::WeekStart;
use crate::model::{Id, Status, Verdict, VisitStatus};
use crate::report::facts::{ItemFacts, Ledger, Timeline, VisitFacts};
use crate::report::figures::figures;
use crate::report::period::{Period, PeriodKind};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

/// A small random source from a seed, so proptest shrinks seeds, not structures.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len() as u64) as usize]
    }
}

pub(super) fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 11, 20).unwrap()
}

/// Up to `most` days from `start`, in time order (some on the same day).
fn days(rng: &mut Rng, start: NaiveDate, most: u64) -> Vec<NaiveDate> {
    let count = rng.below(most);
    let mut day = start;
    (0..count)
        .map(|_| {
            day += Duration::days(rng.below(40) as i64 * i64::from(rng.chance(80)));
            day
        })
        .collect()
}

const WORDS: [&str; 11] = [
    "新厂房",
    "用电增容",
    "用地指标",
    "LED line",
    "贷款贴息",
    "环评",
    "road",
    "用电",
    "用电LED用电",
    "5G ABC123 x9y",
    "（658）Road-ROAD",
];

fn item(rng: &mut Rng, index: usize, ids: &Ids) -> ItemFacts {
    let raised = base() + Duration::days(rng.below(500) as i64);
    let mut status = Timeline(vec![(raised, rng.pick(&Status::ALL))]);
    for d in days(rng, raised, 5) {
        status.0.push((d, rng.pick(&Status::ALL)));
    }
    let mut department = Timeline(vec![(raised, rng.pick(&ids.departments))]);
    for d in days(rng, raised, 3) {
        department.0.push((d, rng.pick(&ids.departments)));
    }
    let due_of = |rng: &mut Rng| {
        rng.chance(80)
            .then(|| raised + Duration::days(rng.below(60) as i64 - 5))
    };
    let mut due = Timeline(vec![(raised, due_of(rng))]);
    for d in days(rng, raised, 3) {
        due.0.push((d, due_of(rng)));
    }
    let handed = days(rng, raised, 3)
        .into_iter()
        .map(|d| (d, rng.pick(&ids.departments).unwrap_or(ids.firms[0])))
        .collect();
    let answers = days(rng, raised, 4);
    let closes = days(rng, raised, 3);
    let calls: Vec<(NaiveDate, Verdict)> = days(rng, raised, 3)
        .into_iter()
        .map(|d| {
            let verdict = rng.pick(&[
                Verdict::Satisfied,
                Verdict::BasicallySatisfied,
                Verdict::NotSatisfied,
            ]);
            (d, verdict)
        })
        .collect();
    let first_response = match (answers.first(), rng.chance(30)) {
        (_, true) => Some(raised + Duration::days(rng.below(30) as i64)),
        (first, false) => first.copied(),
    };
    let title = format!("{} {}", rng.pick(&WORDS), rng.pick(&WORDS));
    let tags = (0..rng.below(3))
        .map(|_| rng.pick(&["电", "地", "税"]).to_string())
        .collect();
    let mut item = ItemFacts {
        id: Id::new(),
        number: if rng.chance(5) { 1 } else { index as u32 + 1 },
        firm: rng.pick(&ids.firms),
        title,
        category: rng.pick(&ids.categories),
        tags,
        raised,
        status,
        department,
        due,
        handed,
        answers,
        first_response,
        closes,
        calls,
        last_day: raised,
        ends_closed: false,
    };
    if rng.chance(8) {
        // An odd import: days out of order, or before the raising.
        match rng.below(4) {
            0 => item.answers.reverse(),
            1 => item
                .calls
                .push((raised - Duration::days(3), Verdict::Satisfied)),
            2 => item.status.0.reverse(),
            _ => item.handed.reverse(),
        }
    }
    let all = item
        .status
        .0
        .iter()
        .map(|(d, _)| *d)
        .chain(item.department.0.iter().map(|(d, _)| *d))
        .chain(item.due.0.iter().map(|(d, _)| *d))
        .chain(item.handed.iter().map(|(d, _)| *d))
        .chain(item.answers.iter().copied())
        .chain(item.closes.iter().copied())
        .chain(item.calls.iter().map(|(d, _)| *d))
        .chain(item.first_response);
    item.last_day = all.max().unwrap_or(raised);
    item.ends_closed = item
        .status
        .0
        .last()
        .is_some_and(|(_, s)| *s == Status::Closed);
    item
}

struct Ids {
    firms: Vec<Id>,
    departments: Vec<Option<Id>>,
    categories: Vec<Option<Id>>,
}

pub(super) fn ledger(seed: u64, items: usize) -> Ledger {
    let mut rng = Rng(seed | 1);
    let ids = Ids {
        firms: (0..6).map(|_| Id::new()).collect(),
        departments: vec![None, Some(Id::new()), Some(Id::new()), Some(Id::new())],
        categories: vec![None, Some(Id::new()), Some(Id::new())],
    };
    let items = (0..items).map(|i| item(&mut rng, i, &ids)).collect();
    let visits = (0..rng.below(30))
        .map(|_| VisitFacts {
            id: Id::new(),
            firm: rng.pick(&ids.firms),
            day: base() + Duration::days(rng.below(500) as i64),
            status: rng.pick(&[
                VisitStatus::Done,
                VisitStatus::Planned,
                VisitStatus::Cancelled,
            ]),
            lead: String::new(),
            purpose: String::new(),
        })
        .collect();
    Ledger { items, visits }
}

fn periods(rng: &mut Rng) -> Vec<Period> {
    let mut periods = Vec::new();
    for week_start in [WeekStart::Monday, WeekStart::Sunday] {
        for kind in [
            PeriodKind::Week,
            PeriodKind::Month,
            PeriodKind::Quarter,
            PeriodKind::Year,
        ] {
            let day = base() + Duration::days(rng.below(700) as i64 - 60);
            periods.push(Period::containing(kind, day, week_start));
        }
        let from = base() + Duration::days(rng.below(600) as i64);
        let to = from + Duration::days(rng.below(90) as i64);
        periods.push(Period::range(from, to, week_start).expect("from before to"));
    }
    periods
}

fn same_as_oracle(seed: u64, size: usize) {
    let ledger = ledger(seed, size);
    let tallies = Tallies::new(&ledger);
    let mut rng = Rng(seed.wrapping_mul(31) | 1);
    for period in periods(&mut rng) {
        let today = base() + Duration::days(rng.below(560) as i64);
        let mut periods = vec![period, period.previous(), period.next()];
        periods.push(Period::containing(period.kind, today, period.week_start));
        for p in periods {
            let new = tallies.figures(&p, today);
            let old = figures(&ledger, &p, today);
            let at = format!("seed {seed}, size {size}, {p:?}, today {today}");
            assert_eq!(new.headline, old.headline, "headline, {at}");
            assert_eq!(new.previous, old.previous, "previous, {at}");
            assert_eq!(new.year_earlier, old.year_earlier, "year earlier, {at}");
            assert_eq!(new.departments, old.departments, "departments, {at}");
            assert_eq!(new.categories, old.categories, "categories, {at}");
            assert_eq!(new.top_firms, old.top_firms, "top firms, {at}");
            let first = new
                .overdue
                .iter()
                .zip(old.overdue.iter())
                .position(|(a, b)| a != b);
            assert_eq!(first, None, "overdue list, {at}");
            assert_eq!(new.overdue.len(), old.overdue.len(), "overdue list, {at}");
            assert_eq!(new.hot_tags, old.hot_tags, "hot tags, {at}");
            assert_eq!(new.hot_words, old.hot_words, "hot words, {at}");
            assert_eq!(new.visits, old.visits, "visits, {at}");
            assert_eq!(new.series, old.series, "series, {at}");
            // And whatever else a Figures holds.
            assert_eq!(new, old, "{at}");
        }
    }
}

#[test]
fn an_empty_ledger_counts_nothing_alike() {
    same_as_oracle(7, 0);
}

#[test]
fn a_large_ledger_counts_alike() {
    same_as_oracle(42, 3000);
    let ledger = ledger(42, 3000);
    assert!(
        Tallies::new(&ledger).odd_items() > 0,
        "the generator makes odd items"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn tallies_count_what_the_items_count(seed in any::<u64>(), size in 0usize..160) {
        same_as_oracle(seed, size);
    }
}
