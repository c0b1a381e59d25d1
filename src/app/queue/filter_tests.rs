//! The table's filter on its faster paths (words found in the title buffers at once, rows
//! bounded by the word index's candidates) gives the rows that testing each item gives.

use super::positions::Positions;
use super::table::Table;
use crate::model::{Id, Issue, IssueDraft, Status};
use crate::query::{parse, Names, SortKey};
use chrono::NaiveDate;
use std::collections::HashSet;

fn item(firm: Id, number: u32, title: &str) -> Issue {
    let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
    let mut draft = IssueDraft::new(firm, title);
    draft.due = NaiveDate::from_ymd_opt(2026, 1 + number % 12, 1 + number % 28);
    let mut issue = draft.into_issue(Id::new(), number, created).unwrap();
    issue.status = Status::ALL[number as usize % 5];
    issue
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

/// Each item tested by the filter's own rules, in the order given.
fn one_by_one(table: &Table, order: &Positions, text: &str) -> Positions {
    let names = names();
    let resolved = parse(text).unwrap().resolve(&names).unwrap();
    order
        .iter()
        .filter(|p| resolved.matches(&table.view(*p as usize), today()))
        .collect()
}

fn no_firms(_: &str) -> HashSet<Id> {
    HashSet::new()
}

fn names() -> Names<'static> {
    static NONE: std::sync::OnceLock<HashSet<u32>> = std::sync::OnceLock::new();
    Names {
        departments: vec![],
        categories: vec![],
        firms: &no_firms,
        me: "",
        conflicted: NONE.get_or_init(HashSet::new),
    }
}

fn filtered(table: &Table, order: &Positions, text: &str, among: Option<&[u64]>) -> Positions {
    let names = names();
    let resolved = parse(text).unwrap().resolve(&names).unwrap();
    table.filter(order, &resolved, today(), among)
}

/// Titles found in the whole buffers: a word running from one title into the next (which
/// hides an occurrence starting inside the next), titles replaced (stored out of order),
/// upper-case titles (searched lower-cased), every list length.
#[test]
fn words_found_in_the_title_buffers_are_those_found_title_by_title() {
    let firm = Id::new();
    let titles = [
        "xa",
        "aab",
        "Export Licence",
        "用地审批",
        "审",
        "批审批",
        "a",
    ];
    let mut table = Table::default();
    let mut items = Vec::new();
    for n in 1..=30_000u32 {
        let issue = item(firm, n, titles[n as usize % titles.len()]);
        table.upsert(&issue);
        items.push(issue);
    }
    // Replaced titles go to the end of the buffers.
    for issue in items.iter_mut().step_by(97) {
        issue.title = format!("aa{}", issue.title);
        table.upsert(issue);
    }
    let order = table.sorted(SortKey::Due, &|_| 0);
    for text in [
        "aa",
        "ab",
        "a",
        "licence",
        "export",
        "审批",
        "批审",
        "审",
        "-aa",
        "status:open aa",
        "aa -ab",
        "aab 审",
    ] {
        let expected = one_by_one(&table, &order, text);
        assert_eq!(filtered(&table, &order, text, None), expected, "{text}");
        // A shorter list, as when narrowing.
        let part: Positions = order.iter().filter(|p| p % 3 != 0).collect();
        let expected = one_by_one(&table, &part, text);
        assert_eq!(
            filtered(&table, &part, text, None),
            expected,
            "{text} in part"
        );
    }
    assert!(!filtered(&table, &order, "aa", None).is_empty());
}

/// The word index names items by number, and two ledgers' items may share one: bounded by
/// the rows of those numbers, the filter finds what it finds without them.
#[test]
fn rows_bounded_by_word_candidates_are_the_rows_found_without() {
    let firm = Id::new();
    let mut table = Table::default();
    let mut held = Vec::new();
    for n in 1..=12_000u32 {
        let title = if n % 5 == 0 {
            "新增用地"
        } else {
            "用电增容"
        };
        table.upsert(&item(firm, n, title));
        if n % 5 == 0 {
            held.push(n);
        }
    }
    // Another ledger's items with numbers ours have: some hold the word, some not.
    for n in (1..=600u32).step_by(3) {
        let title = if n % 2 == 0 {
            "新增用地（外）"
        } else {
            "其他"
        };
        table.upsert(&item(Id::new(), n, title));
        if n % 2 == 0 {
            held.push(n);
        }
    }
    // The index gives a superset: a few numbers more.
    held.extend([1, 2, 7]);
    held.sort_unstable();
    held.dedup();
    let among = table.positions_numbered(&held);
    let order = table.sorted(SortKey::Due, &|_| 0);
    for text in ["用地", "新增用地 status:open", "用地 -外", "外"] {
        let expected = one_by_one(&table, &order, text);
        assert!(!expected.is_empty(), "{text}");
        assert_eq!(filtered(&table, &order, text, None), expected, "{text}");
        if text != "外" {
            assert_eq!(
                filtered(&table, &order, text, Some(&among)),
                expected,
                "{text}"
            );
        }
    }
    // Both rows numbered 4 (ours does not hold the word, theirs does) are candidates.
    let fours: Vec<usize> = (0..table.len()).filter(|p| table.number(*p) == 4).collect();
    assert_eq!(fours.len(), 2);
    for p in fours {
        assert_ne!(among[p / 64] & (1 << (p % 64)), 0);
    }
}
