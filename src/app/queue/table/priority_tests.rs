//! The order by priority made from the order by due date (`by_priority_from_due`) is the
//! order `sorted` gives, whatever the items' states, priorities, due dates and numbers
//! (two ledgers' items sharing numbers included).

use super::*;
use crate::model::IssueDraft;
use proptest::prelude::*;

fn table_of(items: &[(u32, usize, usize, Option<i64>)]) -> Table {
    let firm = Id::new();
    let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T09:00:00+08:00").unwrap();
    let mut table = Table::default();
    for (number, status, priority, due) in items {
        let mut issue = IssueDraft::new(firm, "用地 review")
            .into_issue(Id::new(), *number, created)
            .unwrap();
        issue.status = Status::ALL[*status];
        issue.priority = Priority::ALL[*priority];
        issue.due = due.map(|d| created.date_naive() + chrono::Duration::days(d));
        if issue.status == Status::Closed {
            issue.closed = Some(created);
        }
        // A second ledger's item with the same number is kept beside the first.
        table.upsert(&issue);
    }
    table
}

fn numbers(table: &Table, order: &Positions) -> Vec<(u32, usize)> {
    order
        .iter()
        .map(|p| (table.number(p as usize), p as usize))
        .collect()
}

#[test]
fn by_priority_from_due_is_the_sorted_order() {
    let mut items = Vec::new();
    for n in 1..=300u32 {
        let due = (n % 7 != 0).then_some(i64::from(n % 23) - 11);
        items.push((n, n as usize % 5, (n as usize / 3) % 4, due));
    }
    // Numbers a merged ledger shares with this one.
    items.push((5, 0, 3, Some(-4)));
    items.push((17, 4, 0, None));
    let table = table_of(&items);
    let by_due = table.sorted(SortKey::Due, &|_| 0);
    let made = table.by_priority_from_due(&by_due);
    let sorted = table.sorted(SortKey::Priority, &|_| 0);
    assert_eq!(made.len(), table.len());
    assert_eq!(numbers(&table, &made), numbers(&table, &sorted));
    // Open and most urgent first.
    let first = table.row(made.get(0).unwrap() as usize);
    assert!(first.status.is_open());
    assert_eq!(first.priority, Priority::ALL[3]);
}

proptest! {
    #[test]
    fn any_items_give_the_same_order(
        items in proptest::collection::vec(
            (1u32..60, 0usize..5, 0usize..4, proptest::option::of(-30i64..30)),
            0..200,
        ),
    ) {
        let table = table_of(&items);
        let by_due = table.sorted(SortKey::Due, &|_| 0);
        let made = table.by_priority_from_due(&by_due);
        let sorted = table.sorted(SortKey::Priority, &|_| 0);
        prop_assert_eq!(numbers(&table, &made), numbers(&table, &sorted));
    }
}
