//! `issues call`: the follow-up call from the shell, its refusals, and where the verdict shows
//! (the history, the JSON export, the report).

mod common;

use common::{liaison, run_ok, seeded, stderr};

#[test]
fn a_call_is_recorded_on_a_closed_item_and_not_satisfied_can_reopen_it() {
    let dir = seeded();
    let db = dir.path();
    let closed: serde_json::Value = serde_json::from_str(&run_ok(
        db,
        &["issues", "list", "--json", "--filter", "closed:2025-12"],
    ))
    .unwrap();
    let number = closed[0]["number"].as_u64().unwrap().to_string();
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
    let item: serde_json::Value = serde_json::from_str(&run_ok(
        db,
        &[
            "issues",
            "list",
            "--json",
            "--filter",
            &format!("#{number}"),
        ],
    ))
    .unwrap();
    assert_eq!(item[0]["status"], "in-progress");
}

#[test]
fn bad_calls_are_refused_and_change_nothing() {
    let dir = seeded();
    let db = dir.path();
    let open: serde_json::Value = serde_json::from_str(&run_ok(
        db,
        &["issues", "list", "--json", "--filter", "status:open"],
    ))
    .unwrap();
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
