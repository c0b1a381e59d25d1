use super::parse::{json_error, parse_record};
use super::*;
use crate::model::{IssueDraft, LocalTime, Priority, ResolutionKind, Status};
use crate::store::{Store, SCHEMA_VERSION};
use chrono::DateTime;
use std::path::Path;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

/// The demo plus what the demo lacks: a saved view, a response, a closed item, a reopened one.
fn ledger(dir: &Path) -> Store {
    let store = Store::open(dir).unwrap();
    crate::demo::seed(&store, &crate::demo::DemoOptions::default(), now()).unwrap();
    store
        .put_view(&SavedView {
            id: Id::new(),
            name: "用地 overdue".into(),
            filter: "用地 overdue".into(),
            sort: "due".into(),
        })
        .unwrap();
    let firm = store.firms().unwrap().records[0].id;
    let mut issue = store
        .create_issue(IssueDraft::new(firm, "新厂房用电增容"), "陈文锋", now())
        .unwrap();
    let response = issue
        .respond("供电局已现场勘查，Next Week 施工", true, "陈文锋", now())
        .unwrap();
    let closed = issue
        .change_status(
            Status::Closed,
            Some(crate::model::Resolution {
                kind: ResolutionKind::OnTheSpot,
                text: "现场答复".into(),
            }),
            "陈文锋",
            now(),
        )
        .unwrap();
    let priority = issue
        .set_priority(Priority::Urgent, "陈文锋", now())
        .unwrap();
    store
        .save_issue(&issue, &[response, closed, priority])
        .unwrap();
    store
        .set_sla(&Sla {
            days: [20, 10, 5, 2],
        })
        .unwrap();
    store.set_backups_kept(4).unwrap();
    store
}

fn backup_bytes(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    write_backup(store, &mut out).unwrap();
    out
}

fn texts(store: &Store) -> Vec<(Issue, String)> {
    let mut all = Vec::new();
    store
        .each_issue_with_text(|r| {
            all.push(r.unwrap());
            Ok(())
        })
        .unwrap();
    all
}

#[test]
fn a_restored_ledger_is_the_same_ledger_and_backs_up_to_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let source = ledger(a.path());
    let bytes = backup_bytes(&source);
    let file = a.path().join("ledger.jsonl");
    std::fs::write(&file, &bytes).unwrap();

    let target = Store::open(&b.path().join("db")).unwrap();
    let summary = restore_backup(&target, &file).unwrap();
    let log = source.log_counts();
    assert_eq!(
        summary.counts,
        Counts {
            ops: log.ops,
            heads: log.heads,
            peers: log.peers,
            item_codes: log.item_codes,
            ..Counts::from(source.record_counts().unwrap())
        }
    );
    assert_eq!(target.actor().unwrap(), source.actor().unwrap());
    assert_eq!(target.op_count(), source.op_count());
    assert!(target.check().unwrap().is_ok(), "{:?}", target.check());
    assert_eq!(target.counts().unwrap(), source.counts().unwrap());
    assert_eq!(target.settings().unwrap(), source.settings().unwrap());
    assert_eq!(target.views().unwrap().records.len(), 1);
    assert_eq!(
        target.views().unwrap().records,
        source.views().unwrap().records
    );
    assert_eq!(
        target.departments().unwrap().records,
        source.departments().unwrap().records
    );
    let firm = source.firms().unwrap().records[0].clone();
    assert!(!firm.contacts.is_empty());
    assert_eq!(target.firm(firm.id).unwrap(), Some(firm));
    assert_eq!(
        target.next_issue_number().unwrap(),
        source.next_issue_number().unwrap()
    );
    assert_eq!(
        target.issue_ids_by_due().unwrap(),
        source.issue_ids_by_due().unwrap()
    );
    assert_eq!(
        target.visit_ids_by_time().unwrap(),
        source.visit_ids_by_time().unwrap()
    );
    // The searchable response text is derived data: rebuilt, not copied.
    assert_eq!(texts(&target), texts(&source));
    assert!(texts(&target).iter().any(|(_, t)| t.contains("next week")));
    let last = source.next_issue_number().unwrap() - 1;
    assert_eq!(
        target.issue_by_number(last).unwrap(),
        source.issue_by_number(last).unwrap()
    );
    assert_eq!(backup_bytes(&target), bytes);

    // The next item continues the numbering.
    let firm = target.firms().unwrap().records[0].id;
    let next = target
        .create_issue(IssueDraft::new(firm, "人才公寓"), "陈文锋", now())
        .unwrap();
    assert_eq!(next.number, last + 1);
}

/// Schema v2 changed how the store keeps an item's history, not the records a backup holds:
/// a backup written by a schema v1 liaison restores as it is, history and all.
#[test]
fn a_backup_of_schema_v1_restores() {
    let dir = tempfile::tempdir().unwrap();
    let source = ledger(&dir.path().join("source"));
    let text = String::from_utf8(backup_bytes(&source)).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let schema = format!("\"schema\":{SCHEMA_VERSION}");
    assert!(lines[0].contains(&schema), "{}", lines[0]);
    lines[0] = lines[0].replace(&schema, "\"schema\":1");
    let (_dir, target, result) = restore_lines(&lines);
    result.unwrap();
    assert!(target.check().unwrap().is_ok());
    assert_eq!(texts(&target), texts(&source));
    assert_eq!(target.counts().unwrap(), source.counts().unwrap());

    lines[0] = lines[0].replace("\"schema\":1", "\"schema\":0");
    let (_dir, target, result) = restore_lines(&lines);
    assert!(result.is_err());
    assert_empty(&target);
}

#[test]
fn the_header_comes_first_and_the_records_by_kind_then_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger(dir.path());
    let text = String::from_utf8(backup_bytes(&store)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let header: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(header["format"], FORMAT_NAME);
    assert_eq!(header["version"], FORMAT_VERSION);
    assert_eq!(header["schema"], SCHEMA_VERSION);
    assert_eq!(header["counts"]["firms"], 8);
    assert_eq!(header["counts"]["views"], 1);
    let kinds: Vec<String> = lines[1..]
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].to_string())
        .collect();
    assert_eq!(kinds[0], "\"settings\"");
    let mut order: Vec<&String> = kinds.iter().collect();
    order.dedup();
    assert_eq!(
        order,
        [
            "\"settings\"",
            "\"department\"",
            "\"category\"",
            "\"view\"",
            "\"firm\"",
            "\"visit\"",
            "\"issue\"",
            "\"event\"",
            "\"ledger\"",
            "\"op\"",
            "\"heads\""
        ]
    );
    // Readable: Chinese as it is, not escaped.
    assert!(text.contains("中山生物工程有限公司"));
}

/// Writes `lines` (edited) to a file and restores it into a new database.
fn restore_lines(
    lines: &[String],
) -> (
    tempfile::TempDir,
    Store,
    Result<RestoreSummary, RestoreError>,
) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edited.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let result = restore_backup(&store, &file);
    (dir, store, result)
}

fn assert_empty(store: &Store) {
    assert!(store.accepts_restore().unwrap());
    assert!(!store.restore_interrupted().unwrap());
    let counts = store.record_counts().unwrap();
    assert_eq!(
        counts,
        RecordCounts {
            categories: 8,
            ..RecordCounts::default()
        }
    );
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_bad_line_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger(dir.path());
    let text = String::from_utf8(backup_bytes(&store)).unwrap();
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let find = |kind: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(&format!("{{\"kind\":\"{kind}\"")))
            .unwrap()
    };
    let (first_visit, first_issue, first_event) = (find("visit"), find("issue"), find("event"));
    let ledger_line = find("ledger");
    type Edit = Box<dyn Fn(&mut Vec<String>)>;
    let header: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    let events = header["counts"]["events"].as_u64().unwrap();
    let cases: Vec<(&str, Edit, usize, String)> = vec![
        (
            "bad JSON",
            Box::new(move |l| l[first_visit].truncate(40)),
            first_visit + 1,
            "EOF while parsing".into(),
        ),
        (
            "a newer format",
            Box::new(|l| l[0] = l[0].replace("\"version\":2", "\"version\":3")),
            1,
            "format version 3 is newer".into(),
        ),
        (
            "another format",
            Box::new(|l| l[0] = l[0].replace("liaison-backup", "other")),
            1,
            "not a liaison backup".into(),
        ),
        (
            "an unknown kind",
            Box::new(move |l| l[first_issue] = l[first_issue].replace("\"issue\"", "\"ticket\"")),
            first_issue + 1,
            "unknown kind of record \"ticket\"".into(),
        ),
        (
            "a missing field",
            Box::new(move |l| l[first_issue] = l[first_issue].replace("\"title\"", "\"titel\"")),
            first_issue + 1,
            "issue: missing field `title`".into(),
        ),
        (
            "a line repeated",
            Box::new(move |l| {
                let line = l[first_visit].clone();
                l.insert(first_visit, line);
            }),
            first_visit + 2,
            "repeats it".into(),
        ),
        (
            "a department after the events",
            Box::new(move |l| {
                let department = l.remove(2);
                l.insert(ledger_line - 1, department);
            }),
            ledger_line,
            "a department record after the event records".into(),
        ),
        (
            "the last event cut off with the log",
            Box::new(move |l| {
                l.truncate(ledger_line - 1);
            }),
            ledger_line - 1,
            format!("ends after {} of the {events} event records", events - 1),
        ),
        (
            "an event of an item not in the file",
            Box::new(move |l| {
                let mut event: serde_json::Value = serde_json::from_str(&l[first_event]).unwrap();
                event["record"]["issue"] = "00000000-0000-7000-8000-000000000000".into();
                l[first_event] = event.to_string();
            }),
            first_event + 1,
            "its item 00000000-0000-7000-8000-000000000000 is not in the backup".into(),
        ),
    ];
    for (what, edit, line, message) in cases {
        let mut edited = lines.clone();
        edit(&mut edited);
        let (_dir, target, result) = restore_lines(&edited);
        match result {
            Err(RestoreError::Line {
                line: got,
                message: text,
            }) => {
                assert_eq!(got, line as u64, "{what}: {text}");
                assert!(text.contains(&message), "{what}: {text}");
            }
            other => panic!("{what}: {other:?}"),
        }
        assert_empty(&target);
    }
}

#[test]
fn items_must_keep_distinct_numbers_below_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger(dir.path());
    let text = String::from_utf8(backup_bytes(&store)).unwrap();
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let issues: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("{\"kind\":\"issue\""))
        .collect();
    let number = |line: &str| -> u64 {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        value["record"]["number"].as_u64().unwrap()
    };
    let (a, b) = (issues[0], issues[1]);
    let mut edited = lines.clone();
    edited[b] = edited[b].replace(
        &format!("\"number\":{},", number(&lines[b])),
        &format!("\"number\":{},", number(&lines[a])),
    );
    let (_dir, target, result) = restore_lines(&edited);
    let error = result.unwrap_err().to_string();
    assert!(error.contains(&format!("line {}:", b + 1)), "{error}");
    assert!(error.contains("used by another item"), "{error}");
    assert_empty(&target);

    let mut edited = lines.clone();
    edited[1] = edited[1].replace("\"next_issue_number\":22", "\"next_issue_number\":3");
    let (_dir, target, result) = restore_lines(&edited);
    assert!(result
        .unwrap_err()
        .to_string()
        .contains("not below the next item number 3"));
    assert_empty(&target);
}

#[test]
fn json_errors_point_at_the_column_in_characters() {
    let Err(message) = parse_record("{\"kind\":\"firm\",\"record\":{\"name\":\"中山\",}}") else {
        panic!("parsed a bad line")
    };
    // The stray comma is the 37th character; the parser stops at the brace after it.
    assert_eq!(message, "key must be a string (column 38)");
    let Err(message) = parse_record("{\"kind\":\"firm\",\"record\":{\"name\":1}}") else {
        panic!("parsed a bad line")
    };
    assert!(
        message.starts_with("firm: invalid type: integer `1`"),
        "{message}"
    );
    assert!(message.ends_with("(column 33)"), "{message}");
    // serde_json counts bytes: a column that falls inside a character names that character
    // (found by the property test over damaged backups, where it panicked).
    let error = serde_json::from_str::<u8>("x").unwrap_err();
    assert_eq!(error.column(), 1);
    assert_eq!(json_error(&error, "中山x", 1), "expected value (column 1)");
    assert_eq!(json_error(&error, "中山x", 4), "expected value (column 2)");
}

#[test]
fn an_empty_file_and_an_empty_ledger() {
    let (_dir, target, result) = restore_lines(&[]);
    assert!(result
        .unwrap_err()
        .to_string()
        .starts_with("line 1: the file is empty"));
    assert_empty(&target);

    let dir = tempfile::tempdir().unwrap();
    let empty = Store::open(dir.path()).unwrap();
    let bytes = backup_bytes(&empty);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<String> = text.lines().map(String::from).collect();
    assert_eq!(
        lines.len(),
        2 + 8 + 1 + 8,
        "header, settings, the default categories, the ledger, their creations"
    );
    let (_dir, target, result) = restore_lines(&lines);
    result.unwrap();
    assert_eq!(backup_bytes(&target), bytes);
}

#[test]
fn rotation_keeps_the_newest_and_nothing_else_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let base = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    for minute in 0..7 {
        let at = base + chrono::Duration::minutes(minute);
        std::fs::write(dir.path().join(automatic_backup_name(at)), "x").unwrap();
    }
    for other in [
        "notes.txt",
        "liaison-2026.jsonl",
        "liaison-20261128-0900.jsonl",
    ] {
        std::fs::write(dir.path().join(other), "keep me").unwrap();
    }
    let removed = rotate_backups(dir.path(), 3).unwrap();
    assert_eq!(removed.len(), 4);
    let left: Vec<String> = automatic_backups(dir.path())
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        [
            "liaison-20261128-090400.jsonl",
            "liaison-20261128-090500.jsonl",
            "liaison-20261128-090600.jsonl"
        ]
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3 + 3);
    assert!(rotate_backups(dir.path(), 10).unwrap().is_empty());
}

#[test]
fn an_automatic_backup_is_skipped_when_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let backups = dir.path().join("backups");
    let at = |s: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
            .unwrap()
            .and_hms_opt(9, 0, s)
            .unwrap()
    };
    let first = automatic_backup(&store, &backups, 2, at(1)).unwrap();
    assert_eq!(
        first,
        AutoBackup::Written(backups.join(automatic_backup_name(at(1))))
    );
    assert_eq!(
        automatic_backup(&store, &backups, 2, at(2)).unwrap(),
        AutoBackup::Unchanged(backups.join(automatic_backup_name(at(1))))
    );
    for s in 3..6 {
        store.set_user(&format!("officer {s}")).unwrap();
        automatic_backup(&store, &backups, 2, at(s)).unwrap();
    }
    assert_eq!(automatic_backups(&backups).unwrap().len(), 2);
    assert_eq!(
        automatic_backup(&store, &backups, 0, at(9)).unwrap(),
        AutoBackup::Off
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&backups), 0o700);
        for file in automatic_backups(&backups).unwrap() {
            assert_eq!(mode(&file), 0o600);
        }
    }
}
