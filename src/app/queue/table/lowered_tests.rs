//! Lower-cased titles kept right after their titles in the one buffer (`Flags::LOWERED`):
//! the filter, scanning the buffer at once or title by title, finds what testing each item
//! finds, including words that occur in a title's own case or run from a title into its copy;
//! a table read in two shares and joined holds the same.

use super::*;
use crate::model::IssueDraft;
use crate::query::{parse, Names};
use std::collections::HashSet;

const TITLES: [&str; 8] = [
    "Xab",
    "Land land REVIEW",
    "用地审批",
    "İstanbul Office",
    "bxab",
    "ALL CAPS 审批",
    "plain lower",
    "Ab",
];

pub(super) fn item(firm: Id, number: u32, title: &str) -> Issue {
    let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
    IssueDraft::new(firm, title)
        .into_issue(Id::new(), number, created)
        .unwrap()
}

fn names() -> Names<'static> {
    static NONE: std::sync::OnceLock<HashSet<u32>> = std::sync::OnceLock::new();
    Names {
        departments: vec![],
        categories: vec![],
        firms: &|_: &str| HashSet::new(),
        me: "",
        conflicted: NONE.get_or_init(HashSet::new),
    }
}

pub(super) fn numbers(table: &Table, text: &str, order: &Positions) -> (Vec<u32>, Vec<u32>) {
    let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let resolved = parse(text).unwrap().resolve(&names()).unwrap();
    let fast = table
        .filter(order, &resolved, today, None)
        .iter()
        .map(|p| table.number(p as usize))
        .collect();
    let slow = order
        .iter()
        .filter(|p| resolved.matches(&table.view(*p as usize), today))
        .map(|p| table.number(p as usize))
        .collect();
    (fast, slow)
}

#[test]
fn lowered_copies_follow_their_titles_and_are_searched_alike() {
    let firm = Id::new();
    let mut table = Table::default();
    let mut items = Vec::new();
    // Enough rows for the scan of the whole buffer (`Titles::Scanned`).
    for n in 1..=24_000u32 {
        let issue = item(firm, n, TITLES[n as usize % TITLES.len()]);
        table.upsert(&issue);
        items.push(issue);
    }
    for issue in items.iter_mut().step_by(101) {
        issue.title = format!("Re {}", issue.title);
        table.upsert(issue);
    }
    for issue in &items {
        let p = table.position_of(issue.id, issue.number).unwrap();
        assert_eq!(table.title(p), issue.title);
        let lower = issue.title.to_lowercase();
        let packed = &table.rows[p];
        if lower != issue.title && lower.len() == issue.title.len() {
            assert!(packed.flags.lowered(), "{}", issue.title);
            assert_eq!(table.lowered_text(packed), lower);
        } else {
            // Chinese and lower-case titles, and İ (longer lower-cased), have no copy.
            assert!(!packed.flags.lowered(), "{}", issue.title);
            assert_eq!(table.lowered_text(packed), issue.title);
        }
    }
    let order = table.sorted(SortKey::Due, &|_| 0);
    let part: Positions = order.iter().filter(|p| p % 3 != 0).collect();
    for text in [
        "bx", "xab", "land", "review", "审批", "istanbul", "office", "caps", "re ab", "-ab",
    ] {
        for list in [&order, &part] {
            let (fast, slow) = numbers(&table, text, list);
            assert_eq!(fast, slow, "{text}");
        }
    }
    assert!(!numbers(&table, "review", &order).0.is_empty());
    // "bx" runs from "Xab" into its copy "xab" in the buffer: no title holds it but "bxab".
    let (bx, _) = numbers(&table, "bx", &order);
    assert!(bx
        .iter()
        .all(|n| items[*n as usize - 1].title.to_lowercase().contains("bx")));
}

#[test]
fn a_share_taken_in_keeps_titles_and_copies() {
    let firm = Id::new();
    let (mut first, mut second) = (Table::default(), Table::default());
    for n in 1..=40u32 {
        let issue = item(firm, n, TITLES[n as usize % TITLES.len()]);
        let share = if n % 2 == 0 { &mut first } else { &mut second };
        share.push_read(&issue.summary());
    }
    first.index_numbers();
    first.append(&second);
    for p in 0..first.len() {
        let title = TITLES[first.number(p) as usize % TITLES.len()];
        assert_eq!(first.title(p), title);
        let packed = &first.rows[p];
        let lower = title.to_lowercase();
        let expected = if lower.len() == title.len() {
            lower
        } else {
            title.to_string()
        };
        assert_eq!(first.lowered_text(packed), expected);
    }
}
