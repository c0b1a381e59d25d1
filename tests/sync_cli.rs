//! Two officers' ledgers merged by bundle files, as new users would: `sync export`, `sync
//! import`, `conflicts list` and `conflicts resolve`, and the conflict on the status line.

mod common;
use common::{liaison, run_ok, stdout, Screen};
use liaison::store::Store;

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() && entry.file_name() != "liaison.lock" {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn two_copies_of_the_demo_merge_keep_both_responses_and_resolve_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_ok(&a, &["demo"]);
    copy_dir(&a, &b);
    let (a_file, b_file) = (dir.path().join("a.bundle"), dir.path().join("b.bundle"));
    let a_file = a_file.to_str().unwrap();
    let b_file = b_file.to_str().unwrap();
    run_ok(&a, &["issues", "assign", "5", "发改局"]);
    run_ok(&a, &["issues", "respond", "5", "发改局：下周上门核查"]);
    run_ok(&b, &["issues", "assign", "5", "住建局"]);
    run_ok(&b, &["issues", "respond", "5", "住建局：已转规划科"]);
    run_ok(&a, &["sync", "export", "-o", a_file]);
    run_ok(&b, &["sync", "export", "-o", b_file]);
    let said = run_ok(&a, &["sync", "import", b_file]);
    assert!(said.contains("1 conflict(s) arose"), "{said}");
    run_ok(&b, &["sync", "import", a_file]);
    let (shown_a, shown_b) = (
        run_ok(&a, &["issues", "show", "5"]),
        run_ok(&b, &["issues", "show", "5"]),
    );
    assert_eq!(shown_a, shown_b);
    assert!(shown_a.contains("发改局：下周上门核查") && shown_a.contains("住建局：已转规划科"));
    assert!(shown_a.contains("⚠ #5 department: "), "{shown_a}");

    // The status line counts it.
    let store = Store::open(&b).unwrap();
    let mut screen = Screen::new(store, 140, 30);
    assert!(
        screen.text().contains("⚠ 1 conflict(s)"),
        "{}",
        screen.text()
    );
    drop(screen);

    // Resolved on one side, exchanged again: cleared on both.
    run_ok(
        &a,
        &[
            "conflicts",
            "resolve",
            "5",
            "department",
            "--take",
            "住建局",
        ],
    );
    let status = run_ok(&b, &["sync", "status"]);
    let b_code = status.split_whitespace().nth(2).unwrap().to_string();
    run_ok(&a, &["sync", "export", "-o", a_file, "--for", &b_code]);
    run_ok(&b, &["sync", "import", a_file]);
    for db in [&a, &b] {
        assert_eq!(run_ok(db, &["conflicts", "list"]), "no conflicts\n");
        assert!(run_ok(db, &["issues", "show", "5"]).contains("department: 住建局"));
        assert_eq!(liaison(db, &["check"]).status.code(), Some(0));
    }

    // A cut bundle is refused, naming it, and nothing is applied.
    let bytes = std::fs::read(b_file).unwrap();
    std::fs::write(b_file, &bytes[..bytes.len() / 2]).unwrap();
    let out = liaison(&a, &["sync", "import", b_file]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
}

/// `sync` speaks Chinese when asked (issue 11): its report and its refusals.
#[test]
fn sync_reports_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    run_ok(&db, &["demo"]);
    let zh = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("LIAISON_DB")
            .env_remove("LIAISON_BACKUPS")
            .env("LIAISON_LANG", "zh")
            .output()
            .unwrap()
    };
    let out = zh(&["sync", "status"]);
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.starts_with("本台账："), "{said}");
    assert!(said.contains("项操作（本台账）"), "{said}");
    let bundle = dir.path().join("a.bundle");
    let out = zh(&[
        "sync",
        "export",
        "-o",
        bundle.to_str().unwrap(),
        "--for",
        "ZZZZZ",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("本机不认识台账 ZZZZZ"), "{said}");
}
