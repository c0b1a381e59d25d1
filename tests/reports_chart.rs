//! The Reports tab's chart names its bars: weeks by their first day (mmdd), months (for a
//! quarter or a year) by the month's name, in each language, whole at 80 columns.

mod common;

use common::{demo_store, Screen};
use liaison::messages::Lang;

fn year_2025(lang: Lang, width: u16) -> (tempfile::TempDir, Screen) {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut screen = Screen::new_in(lang, store, width, 40);
    // The year 2025 (today is in 2026).
    screen.keys("4y[");
    (dir, screen)
}

/// The lines of the chart holding a bar label.
fn label_line(screen: &mut Screen, label: &str) -> String {
    screen
        .lines()
        .into_iter()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label} in\n{}", screen.text()))
}

#[test]
fn a_years_chart_names_its_months_in_english() {
    let (_dir, mut screen) = year_2025(Lang::En, 80);
    assert!(screen.text().contains("year 2025"), "{}", screen.text());
    // At 80 columns the most recent months that fit, each named whole, in order.
    let line = label_line(&mut screen, "Dec");
    let (nov, dec) = (line.find("Nov").unwrap(), line.find("Dec").unwrap());
    assert!(nov < dec, "{line}");
    assert!(!screen.text().contains("1201"), "no mmdd for a month");
}

#[test]
fn a_years_chart_names_its_months_in_chinese() {
    let (_dir, mut screen) = year_2025(Lang::Zh, 80);
    let line = label_line(&mut screen, "12月");
    assert!(
        line.find("11月").unwrap() < line.find("12月").unwrap(),
        "{line}"
    );
    assert!(!screen.text().contains("1201"), "{}", screen.text());
}

#[test]
fn a_months_chart_still_names_its_weeks_by_their_first_day() {
    let (_dir, mut screen) = year_2025(Lang::En, 160);
    screen.keys("m");
    assert!(screen.text().contains("month 2025-12"), "{}", screen.text());
    // The week of 29 December 2025 (a Monday) is the last bar.
    label_line(&mut screen, "1229");
    assert!(!screen.text().contains(" Dec "), "{}", screen.text());
}
