use super::*;
use crate::model::IssueDraft;
use crate::query::{parse, Names};
use std::collections::HashSet;

#[test]
fn a_row_stays_small() {
    assert_eq!(std::mem::size_of::<Packed>(), 36);
}

/// Numbers are per ledger: an item merged from another ledger may carry a number an
/// item here has. Both are rows, each found and replaced by its own id, read whole or
/// in shares.
#[test]
fn items_of_two_ledgers_with_one_number_are_two_rows() {
    let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
    let firm = Id::new();
    let item = |n: u32, title: &str| {
        IssueDraft::new(firm, title)
            .into_issue(Id::new(), n, created)
            .unwrap()
    };
    let ours = item(22, "机房扩容用电");
    let theirs = item(22, "新增用地");
    let mut table = Table::default();
    table.upsert(&ours);
    table.upsert(&theirs);
    assert_eq!(table.len(), 2);
    let (a, b) = (
        table.position_of(ours.id, 22).unwrap(),
        table.position_of(theirs.id, 22).unwrap(),
    );
    assert_ne!(a, b);
    assert_eq!(
        (table.title(a), table.title(b)),
        ("机房扩容用电".to_string(), "新增用地".to_string())
    );
    let mut changed = theirs.clone();
    changed.title = "新增用地（改）".into();
    let (at, old) = table.upsert(&changed);
    assert_eq!((at, old.is_some(), table.len()), (b, true, 2));
    assert_eq!(table.title(a), "机房扩容用电");
    // Appended from a second share, the other ledger's item stays a row of its own.
    let mut first = Table::default();
    first.upsert(&ours);
    let mut second = Table::default();
    second.upsert(&changed);
    first.append(&second);
    assert_eq!(first.len(), 2);
    let at = first.position_of(changed.id, 22).unwrap();
    assert_eq!(first.title(at), "新增用地（改）");
    // A word found in the other ledger's item's details marks that row, not ours.
    first.add_deep("厂房".into(), &[(changed.id, 22)]);
    let names = Names {
        departments: vec![],
        categories: vec![],
        firms: &|_: &str| -> HashSet<Id> { HashSet::new() },
        me: "",
        conflicted: &HashSet::new(),
    };
    let resolved = parse("厂房").unwrap().resolve(&names).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let order = first.sorted(SortKey::Due, &|_| 0);
    let found: Vec<Id> = first
        .filter(&order, &resolved, today, None)
        .iter()
        .map(|p| first.id(p as usize))
        .collect();
    assert_eq!(found, vec![changed.id]);
}

/// Items read in two shares and appended give the table reading them all in one gives.
#[test]
fn a_table_read_in_shares_is_the_table_read_whole() {
    let firms = [Id::new(), Id::new()];
    let departments = [Id::new(), Id::new()];
    let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
    let issues: Vec<Issue> = (1..=300u32)
        .map(|n| {
            let title = ["扩大产能需新增用地", "Export LICENCE", "用电增容"][n as usize % 3];
            let mut issue = IssueDraft::new(firms[n as usize % 2], title)
                .into_issue(Id::new(), n, created)
                .unwrap();
            issue.department = (n % 3 != 0).then(|| departments[n as usize % 2]);
            issue.owner = ["李晓", "", "王伟"][n as usize % 3].to_string();
            issue.tags = if n % 4 == 0 {
                vec!["专班".into()]
            } else {
                vec![]
            };
            issue
        })
        .collect();
    let mut whole = Table::default();
    let (mut first, mut second) = (Table::default(), Table::default());
    // The second share interns its names in another order.
    for issue in &issues {
        whole.upsert(issue);
    }
    for issue in &issues[..150] {
        first.upsert(issue);
    }
    for issue in issues[150..].iter().rev() {
        second.upsert(issue);
    }
    first.append(&second);
    let rows = |t: &Table| {
        let mut rows: Vec<Row> = (0..t.len()).map(|p| t.row(p)).collect();
        rows.sort_by_key(|r| r.number);
        rows
    };
    assert_eq!(rows(&first), rows(&whole));
    let names = Names {
        departments: vec![(departments[0], "发改局", "发展和改革局")],
        categories: vec![],
        firms: &|_: &str| -> HashSet<Id> { HashSet::new() },
        me: "李晓",
        conflicted: &HashSet::new(),
    };
    let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    for text in ["licence", "用地 owner:me", "dept:发改局 tag:专班"] {
        let resolved = parse(text).unwrap().resolve(&names).unwrap();
        let found = |t: &Table| {
            let order = t.sorted(SortKey::Due, &|_| 0);
            let mut numbers: Vec<u32> = t
                .filter(&order, &resolved, today, None)
                .iter()
                .map(|p| t.number(p as usize))
                .collect();
            numbers.sort_unstable();
            numbers
        };
        assert!(!found(&whole).is_empty(), "{text}");
        assert_eq!(found(&first), found(&whole), "{text}");
    }
}

/// A table large enough for the marked-bits path and its two threads gives exactly what
/// testing each item in the list's order gives, for filters of every kind.
#[test]
fn filtering_a_large_table_matches_testing_each_item() {
    let firms = [Id::new(), Id::new(), Id::new()];
    let departments = [Id::new(), Id::new(), Id::new()];
    let categories = [Id::new(), Id::new()];
    let owners = ["李晓", "王伟", ""];
    let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
    let mut table = Table::default();
    let titles = [
        "扩大产能需新增用地",
        "Export licence",
        "用电增容",
        "人才住房",
    ];
    for n in 1..=120_000u32 {
        let mut draft = IssueDraft::new(firms[n as usize % 3], titles[n as usize % 4]);
        draft.due = NaiveDate::from_ymd_opt(2026, 1 + n % 12, 1 + n % 28);
        let mut issue = draft.into_issue(Id::new(), n, created).unwrap();
        issue.status = Status::ALL[n as usize % 5];
        issue.priority = Priority::ALL[n as usize % 4];
        issue.department = (n % 7 != 0).then(|| departments[n as usize % 3]);
        issue.category = (n % 5 != 0).then(|| categories[n as usize % 2]);
        issue.owner = owners[n as usize % 3].to_string();
        issue.visit = (n % 4 == 0).then(Id::new);
        issue.tags = match n % 6 {
            0 => vec!["专班".into()],
            1 => vec!["省重点".into(), "专班".into()],
            2 => vec!["省重点".into()],
            _ => vec![],
        };
        issue.created = created + chrono::Duration::hours(i64::from(n % 900) * 17);
        issue.closed = (issue.status == Status::Closed)
            .then(|| issue.created + chrono::Duration::days(i64::from(n % 60)));
        table.upsert(&issue);
    }
    let no_firms = |_: &str| -> HashSet<Id> { [firms[1]].into() };
    let names = Names {
        departments: vec![
            (departments[0], "发改局", "发展和改革局"),
            (departments[1], "人社局", "人力资源和社会保障局"),
            (Id::new(), "供电局", "供电局"),
        ],
        categories: vec![(categories[1], "land", "用地")],
        firms: &no_firms,
        me: "李晓",
        conflicted: &HashSet::new(),
    };
    let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let order = table.sorted(SortKey::Due, &|_| 0);
    for text in [
        "用地",
        "status:open prio>=high",
        "overdue -用电",
        "firm:x export",
        "#777",
        "dept:发改局 cat:land",
        "dept:none status:open",
        "-dept:人社局 owner:me",
        "due:30d visit",
        "due:30d",
        "-visit -overdue prio:normal",
        "tag:专班",
        "-tag:专班 tag:省重点",
        "due<2026-06-01",
        "due<=2026-06 -due:2026-03",
        "raised>=2026-02-01 raised<2026-04",
        "closed:2026-01 tag:专班",
        "closed>2026-01-15",
        "-closed<2026-02",
    ] {
        let resolved = parse(text).unwrap().resolve(&names).unwrap();
        let fast = table.filter(&order, &resolved, today, None);
        let slow: Positions = order
            .iter()
            .filter(|i| resolved.matches(&table.view(*i as usize), today))
            .collect();
        assert_eq!(fast, slow, "{text}");
        assert!(!fast.is_empty(), "{text}");
    }
    // Nobody by that name: nothing passes, and its negation passes everything.
    for (text, expected) in [("owner:nobody", 0), ("-owner:nobody", order.len())] {
        let resolved = parse(text).unwrap().resolve(&names).unwrap();
        assert_eq!(
            table.filter(&order, &resolved, today, None).len(),
            expected,
            "{text}"
        );
    }
}
