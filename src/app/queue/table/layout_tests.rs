//! The 36-byte row (`Packed`): its folded flags and the days raised, due and closed kept as
//! distances from the day of `created` give back exactly what the item holds, read whole or in shares,
//! replaced, and through the filter.

use super::*;
use crate::model::IssueDraft;
use crate::query::{parse, Names};
use std::collections::HashSet;

/// Items whose local day differs from their UTC day both ways, before 1970, and beyond
/// what 32-bit minutes hold (kept aside, `ODD_RAISED`), with every status, priority and flag.
fn items() -> Vec<Issue> {
    let times = [
        "2025-11-01T00:30:00+08:00",
        "2025-11-01T23:30:00-05:00",
        "2025-11-01T12:00:00+00:00",
        "1969-12-31T23:59:30+00:00",
        "1960-03-01T01:00:00+14:00",
        "9000-01-01T00:10:00+08:00",
        "2026-02-28T23:59:00-12:00",
    ];
    let firm = Id::new();
    let mut items = Vec::new();
    for n in 1..=140u32 {
        let created =
            chrono::DateTime::parse_from_rfc3339(times[n as usize % times.len()]).unwrap();
        let mut issue = IssueDraft::new(firm, "用地 Review")
            .into_issue(Id::new(), n, created)
            .unwrap();
        issue.status = Status::ALL[n as usize % 5];
        issue.priority = Priority::ALL[(n as usize / 5) % 4];
        issue.visit = (n % 3 == 0).then(Id::new);
        // Days due near, none, and more than 89 years from the day raised (kept aside).
        issue.due = match n % 4 {
            0 => None,
            1 => Some(created.date_naive() + chrono::Duration::days(30)),
            2 => NaiveDate::from_ymd_opt(1900, 1, 1),
            _ => NaiveDate::from_ymd_opt(9999, 12, 31),
        };
        if issue.status == Status::Closed {
            // Closed the day raised, or a century on (kept aside).
            issue.closed = Some(match n % 3 {
                0 => created + chrono::Duration::days(36_600),
                _ => created,
            });
            // Every other closed item has had its follow-up call.
            if n % 2 == 0 {
                issue.updated = created + chrono::Duration::minutes(5);
            }
        }
        items.push(issue);
    }
    items
}

fn same_as_item(table: &Table, issue: &Issue) {
    let position = table.position_of(issue.id, issue.number).unwrap();
    let view = table.view(position);
    let what = format!("#{} created {}", issue.number, issue.created);
    assert_eq!(view.raised(), issue.created.date_naive(), "{what}");
    assert_eq!(view.status(), issue.status, "{what}");
    assert_eq!(view.due(), issue.due, "{what}");
    assert_eq!(table.row(position).due, issue.due, "{what}");
    assert_eq!(view.priority(), issue.priority, "{what}");
    assert_eq!(view.raised_in_visit(), issue.visit.is_some(), "{what}");
    assert_eq!(view.awaiting_call(), issue.awaiting_call(), "{what}");
    assert_eq!(
        view.closed(),
        issue.closed.map(|c| c.date_naive()),
        "{what}"
    );
    let row = table.row(position);
    assert_eq!((row.status, row.priority), (issue.status, issue.priority));
}

#[test]
fn a_row_gives_back_what_the_item_holds() {
    let items = items();
    assert!(items.iter().any(|i| i.awaiting_call()));
    let mut whole = Table::default();
    for issue in &items {
        whole.upsert(issue);
    }
    // Only the year-9000 items are kept aside.
    assert_eq!(whole.odd_raised.len(), 20);
    // Due in 1900 or 9999, or closed a century on.
    assert!(whole.odd_days.len() > 70, "{}", whole.odd_days.len());
    let (mut first, mut second) = (Table::default(), Table::default());
    for issue in &items[..70] {
        first.upsert(issue);
    }
    for issue in items[70..].iter().rev() {
        second.upsert(issue);
    }
    first.append(&second);
    for issue in &items {
        same_as_item(&whole, issue);
        same_as_item(&first, issue);
    }
    // Replaced by an ordinary time, an odd item's day is no longer kept aside; and back.
    let mut changed = items[4].clone();
    assert_eq!(changed.created.date_naive().to_string(), "9000-01-01");
    changed.created = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:10:00+08:00").unwrap();
    whole.upsert(&changed);
    assert_eq!(whole.odd_raised.len(), 19);
    same_as_item(&whole, &changed);
    whole.upsert(&items[4]);
    assert_eq!(whole.odd_raised.len(), 20);
    same_as_item(&whole, &items[4]);
}

#[test]
fn filters_on_the_folded_fields_match_the_items() {
    let items = items();
    let mut table = Table::default();
    for issue in &items {
        table.upsert(issue);
    }
    let names = Names {
        departments: vec![],
        categories: vec![],
        firms: &|_: &str| -> HashSet<Id> { HashSet::new() },
        me: "",
        conflicted: &HashSet::new(),
    };
    let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let order = table.sorted(SortKey::Priority, &|_| 0);
    for text in [
        "raised:2025-11-01",
        "raised:1969-12-31",
        "raised:1960-03-01",
        "raised>=9000-01-01",
        "raised:2026-02-28",
        "status:open prio>=high",
        "prio:low visit",
        "-visit status:answered",
        "closed>=9000-01-01",
        "callback:due",
        "-callback:due status:closed",
    ] {
        let Ok(parsed) = parse(text) else {
            panic!("{text} does not parse");
        };
        let resolved = parsed.resolve(&names).unwrap();
        let fast: Vec<u32> = table
            .filter(&order, &resolved, today, None)
            .iter()
            .map(|p| table.number(p as usize))
            .collect();
        // The filter's own answer, item by item from the items themselves, in the order.
        let slow: Vec<u32> = order
            .iter()
            .map(|p| table.number(p as usize))
            .filter(|n| resolved.matches(&items[*n as usize - 1], today))
            .collect();
        assert_eq!(fast, slow, "{text}");
        assert!(!fast.is_empty(), "{text}");
    }
    // The UTC days of items raised near midnight are not their days.
    for text in ["raised:2025-10-31", "raised:2025-11-02"] {
        let resolved = parse(text).unwrap().resolve(&names).unwrap();
        assert!(
            table.filter(&order, &resolved, today, None).is_empty(),
            "{text}"
        );
    }
}
