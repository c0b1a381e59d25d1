//! The binary as scripts use it: output, JSON shape and exit codes.

mod common;

use common::{liaison, seeded, stderr, stdout};

use std::process::Command;

#[test]
fn demo_then_check_then_list_as_json() {
    let dir = seeded();
    let check = liaison(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stdout(&check).starts_with("ok: "));

    let list = liaison(dir.path(), &["issues", "list", "--json"]);
    assert_eq!(list.status.code(), Some(0));
    let items: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 20);
    for key in [
        "id",
        "number",
        "title",
        "firm",
        "status",
        "priority",
        "due",
        "department",
        "visit",
    ] {
        assert!(items[0].get(key).is_some(), "missing {key}: {}", items[0]);
    }
    assert!(items
        .iter()
        .any(|i| i["firm"] == "中山生物工程有限公司" && i["department"] == "自然资源分局"));

    let firms: serde_json::Value =
        serde_json::from_slice(&liaison(dir.path(), &["firms", "list", "--json"]).stdout).unwrap();
    assert_eq!(firms.as_array().unwrap().len(), 8);
    assert!(firms[0]["id"].is_string() && firms[0]["name"].is_string());

    let visits: serde_json::Value =
        serde_json::from_slice(&liaison(dir.path(), &["visits", "list", "--json"]).stdout).unwrap();
    let visits = visits.as_array().unwrap();
    assert_eq!(visits.len(), 13);
    assert_eq!(visits[0]["lead"], "陈文锋");
    assert!(visits[0]["start"]
        .as_str()
        .unwrap()
        .contains("-12-13T09:30:00"));
}

#[test]
fn tables_for_people_are_aligned_by_display_width() {
    let dir = seeded();
    let out = stdout(&liaison(dir.path(), &["visits", "list"]));
    let columns: Vec<usize> = out
        .lines()
        .skip(1)
        .map(|l| {
            common::column_of(l, "陈文锋")
                .or(common::column_of(l, "企业服务中心"))
                .unwrap()
        })
        .collect();
    assert_eq!(columns.len(), 13);
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{out}");
}

#[test]
fn an_empty_database_lists_an_empty_array() {
    let dir = tempfile::tempdir().unwrap();
    // A database with nothing in it (a missing one is an error: tests/cli_no_database.rs).
    liaison::store::Store::open(dir.path()).unwrap();
    let out = liaison(dir.path(), &["issues", "list", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn demo_refuses_a_database_with_data_unless_forced() {
    let dir = seeded();
    let again = liaison(dir.path(), &["demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty") && stderr(&again).contains("--force"));
    let forced = liaison(
        dir.path(),
        &["demo", "--force", "--firms", "30", "--issues", "100"],
    );
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let items: serde_json::Value =
        serde_json::from_slice(&liaison(dir.path(), &["issues", "list", "--json"]).stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 100);
    assert_eq!(liaison(dir.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn issues_add_prints_the_new_number_and_validates_every_flag() {
    let dir = seeded();
    let out = liaison(
        dir.path(),
        &[
            "issues",
            "add",
            "--firm",
            "中山生物工程有限公司",
            "--title",
            "冷链仓储用地",
            "--priority",
            "high",
            "--due",
            "2099-01-31",
            "--department",
            "发改局",
            "--category",
            "land",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "#21");
    let json = liaison(
        dir.path(),
        &[
            "issues",
            "add",
            "--firm",
            "未名海济",
            "--title",
            "第二件",
            "--json",
        ],
    );
    let item: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(item["number"], 22);
    assert_eq!(item["firm"], "中山未名海济生物医药有限公司");
    assert_eq!(item["status"], "new");

    let cases: [(&[&str], &str); 7] = [
        (
            &["--firm", "中山生物", "--title", "x", "--due", "2026-13-01"],
            "--due",
        ),
        (
            &["--firm", "中山生物", "--title", "x", "--priority", "soon"],
            "--priority",
        ),
        (&["--firm", "没有这家公司", "--title", "x"], "--firm"),
        (&["--firm", "中山", "--title", "x"], "--firm"),
        (&["--firm", "中山生物", "--title", "   "], "--title"),
        (
            &[
                "--firm",
                "中山生物",
                "--title",
                "x",
                "--department",
                "不存在局",
            ],
            "--department",
        ),
        (
            &["--firm", "中山生物", "--title", "x", "--due", "2001-01-01"],
            "--due",
        ),
    ];
    for (args, flag) in cases {
        let mut all = vec!["issues", "add"];
        all.extend_from_slice(args);
        let out = liaison(dir.path(), &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(flag), "{args:?}: {}", stderr(&out));
    }
    let items: serde_json::Value =
        serde_json::from_slice(&liaison(dir.path(), &["issues", "list", "--json"]).stdout).unwrap();
    assert_eq!(
        items.as_array().unwrap().len(),
        22,
        "refused items wrote nothing"
    );
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--no-such-flag"][..],
        &["issues", "frobnicate"],
        &["demo", "--firms", "many"],
        &["--demo", "check"],
    ] {
        let out = liaison(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
}

#[test]
fn a_second_process_gets_one_clear_line_and_exit_1() {
    let dir = seeded();
    let _held = liaison::store::Store::open(dir.path()).unwrap();
    let out = liaison(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim(),
        format!(
            "liaison: the database at {} is in use by another liaison process",
            dir.path().display()
        )
    );
}

#[test]
fn check_reports_a_damaged_record_and_exits_1() {
    let dir = seeded();
    let victim;
    {
        let store = liaison::store::Store::open(dir.path()).unwrap();
        victim = store.issue_by_number(3).unwrap().unwrap();
        liaison::store::testing::corrupt_value(&store, "issues", victim.id.as_bytes()).unwrap();
    }
    let out = liaison(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.contains(&format!("issues: {}: checksum mismatch", victim.id)),
        "{report}"
    );
    // The rest still lists, with a warning naming the damaged record.
    let list = liaison(dir.path(), &["issues", "list", "--json"]);
    assert_eq!(list.status.code(), Some(0));
    let items: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 19);
    assert!(stderr(&list).contains(&victim.id.to_string()));
}

#[test]
fn liaison_db_sets_the_database() {
    let dir = seeded();
    let out = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .env("LIAISON_LANG", "en")
        .args(["firms", "list", "--json"])
        .env("LIAISON_DB", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let firms: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(firms.as_array().unwrap().len(), 8);
}

#[test]
fn firms_list_searches_by_pinyin_and_chinese() {
    let dir = seeded();
    let names = |query: &str| -> Vec<String> {
        let out = liaison(dir.path(), &["firms", "list", "--search", query, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let firms: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        firms
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("zsswgc"), vec!["中山生物工程有限公司"]);
    assert_eq!(names("zhongshanshengwu")[0], "中山生物工程有限公司");
    assert_eq!(
        names("生物"),
        vec!["中山生物工程有限公司", "中山未名海济生物医药有限公司"]
    );
    assert!(names("nothing-like-this").is_empty());
}

/// The developer tools are not on the user's command line: `liaison-dev` has them.
#[test]
fn bench_and_torture_live_in_the_developers_binary() {
    let dir = seeded();
    let help = liaison(dir.path(), &["--help"]);
    assert!(!stdout(&help).contains("bench"), "{}", stdout(&help));
    for tool in ["bench", "torture"] {
        let out = liaison(dir.path(), &[tool]);
        assert_eq!(out.status.code(), Some(2), "{tool}: {}", stderr(&out));
    }
    let dev = Command::new(env!("CARGO_BIN_EXE_liaison-dev"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(stdout(&dev).contains("bench") && stdout(&dev).contains("torture"));
}

/// The bench on a small database: one table with every measurement, a baseline saved and
/// compared, and a median far slower than its baseline flagged with exit code 1.
#[test]
fn bench_prints_one_table_and_flags_a_slower_median_against_a_baseline() {
    let dir = seeded();
    let data = dir.path().to_string_lossy().to_string();
    let baseline = dir.path().join("baseline.json");
    let base = baseline.to_string_lossy().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_liaison-dev"))
        .env("LIAISON_LANG", "en")
        .args([
            "bench",
            "--data",
            &data,
            "--rounds",
            "1",
            "--save-baseline",
            &base,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    for label in [
        "start-up to first frame",
        "queue: type a filter, per key",
        "queue: text search in titles, per key",
        "triage: priority incl. flush",
        "cli: issues list --firm F --status open",
        "cli: issues show N",
        "cli: issues list --filter '#N'",
        "cli: export open items as JSON, by priority",
        "cli: import the ledger (CSV) into an empty db",
        "app memory once the items are read: ",
        "app memory with the Reports tab open: ",
        "size on disk",
    ] {
        assert!(table.contains(label), "{label} missing in\n{table}");
    }
    let saved: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert!(saved["start-up to first frame"].as_f64().unwrap() > 0.0);
    let compare = || {
        Command::new(env!("CARGO_BIN_EXE_liaison-dev"))
            .env("LIAISON_LANG", "en")
            .args([
                "bench",
                "--data",
                &data,
                "--rounds",
                "1",
                "--baseline",
                &base,
            ])
            .output()
            .unwrap()
    };
    // A baseline that claims every measurement once took a microsecond.
    let fast: serde_json::Map<String, serde_json::Value> = saved
        .keys()
        .map(|k| (k.clone(), serde_json::json!(0.001)))
        .collect();
    std::fs::write(&baseline, serde_json::to_string(&fast).unwrap()).unwrap();
    let out = compare();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("SLOWER"));
    assert!(stderr(&out).contains("slower than the baseline"));
    // Not a baseline at all: a clear message, exit 2.
    std::fs::write(&baseline, "not json").unwrap();
    let out = compare();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a saved bench baseline"));
}
