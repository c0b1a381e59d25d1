//! The Reports tab counts the days of the neighbouring periods ahead, in the background
//! (issue 17, goal 1): a step to one after they arrived does not count again, fast keys
//! still show the right period, and a late count for replaced tallies is dropped.

mod common;

use common::{demo_store, now, Screen};
use liaison::app::reports::ReportsAction;
use liaison::app::{update, Action, Arrived, Done};
use liaison::report::{Period, PeriodKind, Tallies};
use std::sync::Arc;

fn tallies(screen: &Screen) -> Arc<Tallies> {
    screen.app.reports.read.as_ref().expect("read").0.clone()
}

/// The period before the one the tab shows.
fn previous_month(screen: &Screen) -> Period {
    screen.app.reports.period.expect("a period").previous()
}

#[test]
fn a_step_to_a_period_counted_ahead_does_not_count_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    // The year 2025, then its last month: a past period, counted at its own last day.
    screen.keys("4y[m");
    let today = now().date_naive();
    let read = tallies(&screen);
    let before = previous_month(&screen);
    assert_eq!(before.kind, PeriodKind::Month);
    assert!(
        read.is_kept(before.to),
        "the previous month's day was counted ahead"
    );
    assert_eq!(read.uncounted_day(&before, today), None);
    let waited = read.days_waited_for();
    // The key alone, before anything more arrives from the background.
    update(&mut screen.app, Action::Reports(ReportsAction::Previous));
    assert_eq!(screen.app.reports.period, Some(before));
    assert_eq!(read.days_waited_for(), waited, "the step counted no day");
    screen.app.settle();
    // The other kinds of the month shown were counted ahead too.
    let waited = read.days_waited_for();
    for key in ['w', 'm', 'Q', 'm', 'y'] {
        screen.keys(&key.to_string());
    }
    assert!(screen.text().contains("year 2025"), "{}", screen.text());
    assert_eq!(read.days_waited_for(), waited, "no switch counted a day");
}

#[test]
fn fast_keys_show_the_period_of_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut slow = Screen::new(demo_store(dir.path()), 120, 40);
    slow.keys("4y[m[[[]wQ");
    let expected = slow.text();
    assert!(expected.contains("quarter 2025 Q4"), "{expected}");
    drop(slow);

    let dir = tempfile::tempdir().unwrap();
    let mut fast = Screen::new(demo_store(dir.path()), 120, 40);
    fast.keys("4y[m");
    // As keys typed faster than the counting ahead: nothing waited for between them.
    for action in [
        ReportsAction::Previous,
        ReportsAction::Previous,
        ReportsAction::Previous,
        ReportsAction::Next,
        ReportsAction::Kind(PeriodKind::Week),
        ReportsAction::Kind(PeriodKind::Quarter),
    ] {
        update(&mut fast.app, Action::Reports(action));
    }
    assert_eq!(
        fast.text(),
        expected,
        "shown before the counts ahead arrive"
    );
    fast.app.settle();
    assert_eq!(fast.text(), expected, "and after");
}

#[test]
fn a_late_count_for_replaced_tallies_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("4y[m");
    let old = tallies(&screen);
    let day = previous_month(&screen).previous().to;
    let counted = old.count_day(day);
    // Replaced (as after a write the tab reads the ledger again).
    let (fresh, _) = Tallies::load(&screen.app.store).unwrap();
    let fresh = Arc::new(fresh);
    screen.app.reports.read.as_mut().unwrap().0 = fresh.clone();
    let late = Done::ReportsAhead(Ok(Box::new((old.clone(), vec![counted.clone()]))));
    update(&mut screen.app, Action::Background(Arrived::new(late)));
    assert!(
        !fresh.is_kept(day),
        "a count of the old tallies is not kept"
    );
    // The same count for the tallies shown is kept.
    let current = Done::ReportsAhead(Ok(Box::new((fresh.clone(), vec![fresh.count_day(day)]))));
    update(&mut screen.app, Action::Background(Arrived::new(current)));
    assert!(fresh.is_kept(day));
    assert!(!screen.app.busy());
}
