//! The brief written from the tallies (the Reports tab's `e`, no ledger held) is the brief
//! written from the ledger (`liaison report`), byte for byte, in every format.

use super::tests::{base, ledger};
use super::Tallies;
use crate::model::when::WeekStart;
use crate::report::brief::{write_brief, BriefFormat, Names};
use crate::report::figures::figures;
use crate::report::period::{Period, PeriodKind};
use chrono::Duration;

fn names(ledger: &crate::report::Ledger) -> Names {
    let mut names = Names::default();
    for item in &ledger.items {
        names
            .firms
            .insert(item.firm, format!("企业{}", names.firms.len()));
        for (_, d) in item
            .department
            .0
            .iter()
            .filter_map(|(d, id)| Some((d, (*id)?)))
        {
            let next = format!("部门{}", names.departments.len());
            names.departments.entry(d).or_insert(next);
        }
    }
    names
}

fn brief(write: impl Fn(&mut Vec<u8>, BriefFormat)) -> Vec<Vec<u8>> {
    [
        BriefFormat::Text,
        BriefFormat::Markdown,
        BriefFormat::Csv,
        BriefFormat::Json,
    ]
    .into_iter()
    .map(|format| {
        let mut out = Vec::new();
        write(&mut out, format);
        out
    })
    .collect()
}

#[test]
fn the_brief_from_the_tallies_is_the_brief_from_the_ledger() {
    let ledger = ledger(42, 3000);
    let names = names(&ledger);
    let tallies = Tallies::new(&ledger);
    assert!(tallies.odd_items() > 0, "odd items are listed too");
    let mut listed = 0;
    for (kind, offset, today) in [
        (PeriodKind::Month, 100, 130),
        (PeriodKind::Quarter, 200, 560),
        (PeriodKind::Year, 300, 420),
        (PeriodKind::Week, 500, 450),
    ] {
        let day = base() + Duration::days(offset);
        let today = base() + Duration::days(today);
        let period = Period::containing(kind, day, WeekStart::Monday);
        let old = figures(&ledger, &period, today);
        let new = tallies.figures(&period, today);
        listed += new.overdue.len();
        let listing = tallies.listing(new.as_of);
        let want = brief(|out, f| write_brief(out, &old, &ledger, &names, f).unwrap());
        let got = brief(|out, f| write_brief(out, &new, &listing, &names, f).unwrap());
        for (w, g) in want.iter().zip(&got) {
            assert_eq!(
                String::from_utf8_lossy(g),
                String::from_utf8_lossy(w),
                "{period:?} today {today}"
            );
        }
    }
    assert!(listed > 100, "overdue items are listed: {listed}");
}

/// An answer further from its raising than the packed lists hold (`ANSWER_DAYS`) makes its
/// item one counted one by one, with the same figures.
#[test]
fn an_answer_decades_after_the_raising_counts_alike() {
    let mut ledger = ledger(9, 300);
    let before = Tallies::new(&ledger).odd_items();
    let late = (0..ledger.items.len())
        .find(|i| {
            let mut changed = ledger.clone();
            let item = &mut changed.items[*i];
            item.answers.push(item.raised + Duration::days(20_000));
            Tallies::new(&changed).odd_items() == before + 1
        })
        .expect("an item in order");
    let item = &mut ledger.items[late];
    let answered = item.raised + Duration::days(20_000);
    item.answers.push(answered);
    item.last_day = answered;
    let tallies = Tallies::new(&ledger);
    for (kind, day, today) in [
        (PeriodKind::Year, answered, answered),
        (PeriodKind::Month, answered, answered + Duration::days(3)),
        (PeriodKind::Quarter, base() + Duration::days(200), base()),
    ] {
        let period = Period::containing(kind, day, WeekStart::Monday);
        let old = figures(&ledger, &period, today);
        assert_eq!(tallies.figures(&period, today), old, "{period:?}");
        if kind == PeriodKind::Year {
            assert_eq!(old.headline.answered, 1, "the late answer is counted");
        }
    }
}
