//! `issues call`: the follow-up call from the shell, its refusals, and where the verdict shows
//! (the history, the JSON export, the report).

mod common;

use common::listing::{json_array, numbers};
use common::{liaison, run_ok, seeded, stderr};

#[test]
fn a_call_is_recorded_on_a_closed_item_and_not_satisfied_can_reopen_it() {
    let dir = seeded();
    let db = dir.path();
    let closed = json_array(
        db,
        &["issues", "list", "--json", "--filter", "closed:2025-12"],
    );
    let number = closed[0]["number"].as_u64().unwrap().to_string();
    let awaiting = |db: &std::path::Path| -> Vec<u64> {
        numbers(&json_array(
            db,
            &["issues", "list", "--json", "--filter", "回访:待"],
        ))
    };
    let before = awaiting(db);
    assert!(before.contains(&number.parse().unwrap()), "{before:?}");
    let said = run_ok(
        db,
        &[
            "issues",
            "call",
            &number,
            "--verdict",
            "满意",
            "--note",
            "很及时",
            "--date",
            "2025-12-20",
        ],
    );
    assert!(
        said.contains("follow-up call 2025-12-20: satisfied — 很及时"),
        "{said}"
    );
    let shown = run_ok(db, &["issues", "show", &number]);
    assert!(
        shown.contains("follow-up call 2025-12-20: satisfied"),
        "{shown}"
    );
    let export = run_ok(
        db,
        &[
            "export",
            "issues",
            "--format",
            "json",
            "--filter",
            &format!("#{number}"),
        ],
    );
    assert!(
        export.contains(r#""kind":"call""#) && export.contains(r#""verdict":"satisfied""#),
        "{export}"
    );
    let report = run_ok(
        db,
        &[
            "report",
            "--period",
            "month",
            "--date",
            "2025-12-01",
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["headline"]["satisfaction_rate"], 1.0);
    // Not satisfied, reopened in the same write.
    run_ok(
        db,
        &[
            "issues",
            "call",
            &number,
            "--verdict",
            "not-satisfied",
            "--reopen",
        ],
    );
    let item = json_array(
        db,
        &[
            "issues",
            "list",
            "--json",
            "--filter",
            &format!("#{number}"),
        ],
    );
    assert_eq!(item[0]["status"], "in-progress");
}

#[test]
fn bad_calls_are_refused_and_change_nothing() {
    let dir = seeded();
    let db = dir.path();
    let open = json_array(db, &["issues", "list", "--json", "--filter", "status:open"]);
    let number = open[0]["number"].as_u64().unwrap().to_string();
    for (args, says) in [
        (
            vec!["issues", "call", &number, "--verdict", "satisfied"],
            "must be closed before the follow-up call",
        ),
        (
            vec!["issues", "call", &number, "--verdict", "happy"],
            "happy is not a verdict",
        ),
        (
            vec![
                "issues",
                "call",
                &number,
                "--verdict",
                "satisfied",
                "--reopen",
            ],
            "--reopen goes with --verdict not-satisfied",
        ),
        (
            vec![
                "issues",
                "call",
                &number,
                "--verdict",
                "satisfied",
                "--date",
                "2099-01-01",
            ],
            "is in the future",
        ),
        (
            vec![
                "issues",
                "call",
                &number,
                "--verdict",
                "satisfied",
                "--date",
                "2025-13-01",
            ],
            "is not a day",
        ),
    ] {
        let out = liaison(db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    let shown = run_ok(db, &["issues", "show", &number]);
    assert!(!shown.contains("follow-up call"));
}

#[test]
fn the_verdict_has_a_csv_column_that_imports_back() {
    let dir = seeded();
    let db = dir.path();
    let closed = json_array(
        db,
        &["issues", "list", "--json", "--filter", "closed:2025-12"],
    );
    let number = closed[0]["number"].as_u64().unwrap().to_string();
    let title = closed[0]["title"].as_str().unwrap().to_string();
    run_ok(
        db,
        &[
            "issues",
            "call",
            &number,
            "--verdict",
            "basically-satisfied",
        ],
    );
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("items.csv");
    run_ok(db, &["export", "issues", "-o", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.lines().next().unwrap().ends_with(",标签,回访"),
        "{text}"
    );
    let row = text.lines().find(|l| l.contains(&title)).unwrap();
    assert!(row.ends_with(",基本满意"), "{row}");
    // Into a new database: the closed item comes with its call.
    let other = tempfile::tempdir().unwrap();
    run_ok(other.path(), &["import", "issues", csv.to_str().unwrap()]);
    let export = run_ok(other.path(), &["export", "issues", "--format", "json"]);
    let items: serde_json::Value = serde_json::from_str(&export).unwrap();
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == title.as_str())
        .unwrap();
    let calls: Vec<&serde_json::Value> = item["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["change"]["kind"] == "call")
        .collect();
    assert_eq!(calls.len(), 1, "{item}");
    assert_eq!(calls[0]["change"]["verdict"], "basically-satisfied");
    // Back into its own database: the same verdict adds nothing; another adds a call.
    run_ok(db, &["import", "issues", csv.to_str().unwrap()]);
    let shown = run_ok(db, &["issues", "show", &number]);
    assert_eq!(shown.matches("follow-up call").count(), 1, "{shown}");
    let changed = text.replace(
        &format!("{},基本满意", &row[..row.len() - ",基本满意".len()]),
        &format!("{},满意", &row[..row.len() - ",基本满意".len()]),
    );
    std::fs::write(&csv, changed).unwrap();
    run_ok(db, &["import", "issues", csv.to_str().unwrap()]);
    let shown = run_ok(db, &["issues", "show", &number]);
    assert_eq!(shown.matches("follow-up call").count(), 2, "{shown}");
    // A verdict on an open item is refused, naming the column.
    let bad = out.path().join("bad.csv");
    std::fs::write(&bad, "企业名称,诉求,状态,回访\n测试企业,新诉求,新建,满意\n").unwrap();
    let refused = liaison(db, &["import", "issues", bad.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("回访"), "{}", stderr(&refused));
}
