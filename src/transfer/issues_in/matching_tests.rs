//! Rows matched to the items they made: a file imported again changes nothing, an updated
//! ledger updates its items with history events, and rows are never matched to the wrong item.

use super::*;
use chrono::DateTime;
use std::io::Cursor;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-12-15T10:00:00+08:00").unwrap()
}

fn import_with(store: &Store, text: &str, options: ImportOptions) -> IssuesImportReport {
    let report = import_issues(
        store,
        Cursor::new(text.as_bytes().to_vec()),
        &options,
        now(),
    )
    .unwrap();
    assert!(report.is_clean(), "{:?}", report.errors);
    report
}

fn import(store: &Store, text: &str) -> IssuesImportReport {
    import_with(store, text, ImportOptions::default())
}

fn stored(store: &Store) -> Vec<(Issue, Vec<IssueEvent>)> {
    let mut issues = Vec::new();
    store
        .each_issue(|issue| {
            issues.push(issue.unwrap());
            Ok(())
        })
        .unwrap();
    issues.sort_by_key(|i| i.number);
    issues
        .into_iter()
        .map(|issue| {
            let events = store.events(issue.id).unwrap().records;
            (issue, events)
        })
        .collect()
}

fn counts(report: &IssuesImportReport) -> (u64, u64, u64) {
    (report.added, report.updated, report.unchanged)
}

/// Two rows alike (two items), a row without a date raised, a closed one.
const LEDGER: &str = "\
企业名称,诉求,责任部门,状态,创建时间,办结答复,最新回复
中山生物工程有限公司,新厂房用电增容,供电局,办理中,2026-12-01 09:30,,部门已受理
中山生物工程有限公司,新厂房用电增容,供电局,办理中,2026-12-01 09:30,,部门已受理
中山生物工程有限公司,人才公寓申请,,,,,
明阳智能,出口退税提速,,已办结,2026-11-02,已办结退税,
";

#[test]
fn a_ledger_imported_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(counts(&import(&store, LEDGER)), (4, 0, 0));
    let before = stored(&store);
    for _ in 0..2 {
        let again = import(&store, LEDGER);
        assert_eq!(counts(&again), (0, 0, 4));
        assert!(again.new_departments.is_empty() && again.new_firms == 0);
        assert_eq!(stored(&store), before);
    }
    assert_eq!(store.next_issue_number().unwrap(), 5);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn an_updated_ledger_updates_its_items_with_history_events() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import(&store, LEDGER);
    let updated = "\
企业名称,诉求,责任部门,状态,创建时间,办结答复,最新回复
中山生物工程有限公司,新厂房用电增容,供电局,已办结,2026-12-01 09:30,已完成增容,部门已受理
中山生物工程有限公司,新厂房用电增容,供电局,办理中,2026-12-01 09:30,,部门已受理
中山生物工程有限公司,人才公寓申请,人社局,,,,已转人社局
明阳智能,出口退税提速,,,2026-11-02,,
明阳智能,新诉求,,,,,
";
    let dry = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let before = stored(&store);
    let report = import_with(&store, updated, dry);
    assert_eq!(counts(&report), (1, 2, 2));
    assert_eq!(stored(&store), before, "a dry run writes nothing");
    let listed: Vec<(u64, Option<u32>, Vec<&str>)> = report
        .changes
        .iter()
        .map(|c| (c.line, c.number, c.changes.clone()))
        .collect();
    assert_eq!(
        listed,
        [
            (2, Some(1), vec!["status"]),
            (4, Some(3), vec!["department", "response"]),
            (6, None, vec![]),
        ]
    );
    assert_eq!(report.new_departments, ["人社局"]);

    let report = import(&store, updated);
    assert_eq!(counts(&report), (1, 2, 2));
    let items = stored(&store);
    assert_eq!(items.len(), 5);
    let (power, events) = &items[0];
    assert_eq!(power.status, Status::Closed);
    assert_eq!(power.resolution.as_ref().unwrap().text, "已完成增容");
    let last = events.last().unwrap();
    assert_eq!((last.at, last.author.as_str()), (now(), IMPORT_AUTHOR));
    assert!(matches!(
        last.change,
        Change::Status {
            from: Status::InProgress,
            to: Status::Closed,
            ..
        }
    ));
    let (talent, events) = &items[2];
    assert_eq!(talent.status, Status::Assigned);
    assert!(talent.department.is_some());
    assert_eq!(events.len(), before[2].1.len() + 2);
    assert_eq!(items[3], before[3], "empty cells change nothing");
    assert_eq!(import(&store, updated).updated, 0, "and once more: nothing");
    assert!(store.check().unwrap().is_ok());
}

/// The number an export writes matches a row to its item when the date raised agrees, even
/// with another title; a number that belongs to another firm's item, or to an item raised on
/// another day, does not.
#[test]
fn a_number_matches_only_the_item_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import(&store, LEDGER);
    let exported = "\
编号,企业名称,诉求,状态,创建时间
1,中山生物工程有限公司,新厂房用电增容（二期）,已交办,2026-12-01 09:30
4,中山生物工程有限公司,出口退税提速,,2026-11-02
2,中山生物工程有限公司,人才公寓申请,,2026-10-01
";
    let report = import(&store, exported);
    assert_eq!(counts(&report), (2, 1, 0));
    let items = stored(&store);
    assert_eq!(items.len(), 6);
    assert_eq!(items[0].0.status, Status::Assigned);
    assert_eq!(
        items[0].0.title, "新厂房用电增容",
        "titles are never changed"
    );
    assert_eq!(items[3].0.status, Status::Closed, "#4 is another firm's");
    assert_eq!(
        items[1].0.status,
        Status::InProgress,
        "#2 was raised another day"
    );
    assert_eq!(import(&store, exported).added, 0);
}

/// An import stopped part way (its first rows written, the mark left) completes when run
/// again, without duplicates.
#[test]
fn an_interrupted_import_completes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let first_rows: String = LEDGER.lines().take(3).map(|l| format!("{l}\n")).collect();
    let mark = Unfinished::new(Operation::ImportIssues, None);
    store.mark_unfinished(&mark).unwrap();
    import(&store, &first_rows);
    store.mark_unfinished(&mark).unwrap();
    let report = import(&store, LEDGER);
    assert_eq!(counts(&report), (2, 0, 2));
    assert_eq!(store.unfinished().unwrap(), None, "cleared once done");
    assert_eq!(stored(&store).len(), 4);
    assert!(store.check().unwrap().is_ok());
}
