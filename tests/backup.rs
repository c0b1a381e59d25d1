//! Backup and restore through the binary, as a person or a script uses them: the round trip
//! is exact, bad files are refused by line and leave nothing behind, files are private.

mod common;

use common::{liaison, stderr};

use std::path::{Path, PathBuf};
use std::process::Output;

fn ok(db: &Path, args: &[&str]) -> Output {
    let out = liaison(db, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "liaison {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

const ADDED_TITLE: &str = "新厂房用电增容（备份测试）";

/// The demo, plus a setting of each kind and an item raised from the command line.
fn ledger(dir: &Path) -> PathBuf {
    let db = dir.join("db");
    ok(&db, &["demo"]);
    ok(
        &db,
        &[
            "settings",
            "--user",
            "测试员",
            "--sla-high",
            "5",
            "--backups",
            "4",
        ],
    );
    ok(
        &db,
        &[
            "issues",
            "add",
            "--firm",
            "中山生物工程有限公司",
            "--title",
            ADDED_TITLE,
            "--priority",
            "high",
            "--department",
            "发改局",
            "--category",
            "land",
        ],
    );
    db
}

fn backup(db: &Path, file: &Path) -> Vec<u8> {
    let out = ok(db, &["backup", file.to_str().unwrap()]);
    assert!(
        !stderr(&out).contains(ADDED_TITLE),
        "no item text on stderr"
    );
    std::fs::read(file).unwrap()
}

/// Everything a person can see of a ledger from the command line.
fn listing(db: &Path) -> Vec<String> {
    [
        &["firms", "list", "--json", "--archived"][..],
        &["visits", "list", "--json"],
        &["issues", "list", "--json", "--sort", "age"],
        &["issues", "list", "--json"],
        &["settings"],
    ]
    .iter()
    .map(|args| {
        let out = liaison(db, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            // Where the backups go depends on the directory, not on the ledger.
            .filter(|line| !line.starts_with("automatic backups: "))
            .collect::<Vec<_>>()
            .join("\n")
    })
    .collect()
}

#[test]
fn backup_restore_backup_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let first = backup(&db, &dir.path().join("first.jsonl"));
    let header: serde_json::Value =
        serde_json::from_str(std::str::from_utf8(&first).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(header["format"], "liaison-backup");
    assert_eq!(header["counts"]["issues"], 21);

    // Into a directory that does not exist yet.
    let restored = dir.path().join("new").join("db");
    let out = ok(
        &restored,
        &["restore", dir.path().join("first.jsonl").to_str().unwrap()],
    );
    assert!(
        stderr(&out).contains("restored 8 firms, 13 visits, 21 items"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(ADDED_TITLE));
    ok(&restored, &["check"]);
    let second = backup(&restored, &dir.path().join("second.jsonl"));
    assert!(first == second, "a restored ledger backs up to other bytes");
    for (restored, original) in listing(&restored).iter().zip(listing(&db)) {
        assert!(
            *restored == original,
            "restored:\n{restored}\noriginal:\n{original}"
        );
    }

    // The next item continues the numbering of the original.
    let next = ok(
        &restored,
        &[
            "issues",
            "add",
            "--firm",
            "中山生物工程有限公司",
            "--title",
            "人才公寓",
            "--json",
        ],
    );
    let next: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
    assert_eq!(next["number"], 22);
}

#[test]
fn a_database_that_is_not_empty_refuses_a_restore_and_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let file = dir.path().join("ledger.jsonl");
    let before = backup(&db, &file);
    let out = liaison(&db, &["restore", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));
    assert!(before == backup(&db, &dir.path().join("after.jsonl")));
    ok(&db, &["check"]);
}

/// Restores `lines` into a new database; returns the database and the failed run.
fn restore_edited(dir: &Path, name: &str, lines: &[String]) -> (PathBuf, PathBuf, Output) {
    let file = dir.join(format!("{name}.jsonl"));
    std::fs::write(&file, lines.join("\n")).unwrap();
    let db = dir.join(format!("{name}-db"));
    let out = liaison(&db, &["restore", file.to_str().unwrap()]);
    (db, file, out)
}

fn assert_left_empty(db: &Path) {
    ok(db, &["check"]);
    for args in [["firms", "list", "--json"], ["visits", "list", "--json"]] {
        let out = ok(db, &args);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "[]",
            "{args:?}"
        );
    }
    let out = ok(db, &["issues", "list", "--json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn a_damaged_backup_is_refused_by_line_and_leaves_the_database_empty() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let text = String::from_utf8(backup(&db, &dir.path().join("good.jsonl"))).unwrap();
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let first = |kind: &str| {
        lines
            .iter()
            .position(|l| l.contains(&format!("\"kind\":\"{kind}\"")))
            .unwrap()
    };
    let (visit, issue) = (first("visit"), first("issue"));

    let mut bad_json = lines.clone();
    bad_json[visit] = bad_json[visit].replacen("\"duration_min\":", "\"duration_min\" ", 1);
    let mut newer = lines.clone();
    newer[0] = newer[0].replace("\"version\":2", "\"version\":9");
    let mut unknown_kind = lines.clone();
    unknown_kind[issue] = unknown_kind[issue].replace("\"kind\":\"issue\"", "\"kind\":\"memo\"");
    let mut cut_in_a_line = lines.clone();
    let last = cut_in_a_line.len() - 1;
    cut_in_a_line[last].truncate(30);
    let cut_at_a_line = lines[..lines.len() - 3].to_vec();

    let cases = [
        ("bad-json", bad_json, visit + 1, "expected `:`"),
        ("newer", newer, 1, "backup format version 9 is newer"),
        (
            "unknown-kind",
            unknown_kind,
            issue + 1,
            "unknown kind of record \"memo\"",
        ),
        (
            "cut-in-a-line",
            cut_in_a_line,
            lines.len(),
            "EOF while parsing",
        ),
        (
            "cut-at-a-line",
            cut_at_a_line,
            lines.len() - 3,
            "it is incomplete",
        ),
    ];
    for (name, edited, line, message) in cases {
        let (target, file, out) = restore_edited(dir.path(), name, &edited);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let expected = format!("{}:{line}: ", file.display());
        assert!(stderr(&out).contains(&expected), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{name}: {}", stderr(&out));
        assert_left_empty(&target);
    }

    // Left empty means empty: the good file restores into one of them.
    let target = dir.path().join("bad-json-db");
    ok(
        &target,
        &["restore", dir.path().join("good.jsonl").to_str().unwrap()],
    );
    ok(&target, &["check"]);

    let missing = liaison(
        &dir.path().join("x"),
        &["restore", "/nonexistent/ledger.jsonl"],
    );
    assert_eq!(missing.status.code(), Some(2));
    let nowhere = liaison(&db, &["backup", "/nonexistent/dir/ledger.jsonl"]);
    assert_eq!(nowhere.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn backups_exports_and_new_databases_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();

    // A new database, and the parents liaison creates for it.
    let db = dir.path().join("data").join("liaison").join("db");
    ok(&db, &["demo"]);
    for created in [
        &db,
        db.parent().unwrap(),
        db.parent().unwrap().parent().unwrap(),
    ] {
        assert_eq!(mode(created), 0o700, "{}", created.display());
    }
    // A directory made beforehand with mkdir's usual mode is narrowed (by a command that
    // starts a database: `check` on an empty directory says there is none).
    let made = dir.path().join("made");
    std::fs::create_dir(&made).unwrap();
    std::fs::set_permissions(&made, std::fs::Permissions::from_mode(0o755)).unwrap();
    ok(&made, &["demo"]);
    assert_eq!(mode(&made), 0o700);

    // Every file liaison writes, including one that replaces a file anyone could read.
    let replaced = dir.path().join("firms.csv");
    std::fs::write(&replaced, "old").unwrap();
    std::fs::set_permissions(&replaced, std::fs::Permissions::from_mode(0o644)).unwrap();
    let backup_file = dir.path().join("ledger.jsonl");
    let agenda = dir.path().join("agenda.ics");
    ok(&db, &["backup", backup_file.to_str().unwrap()]);
    ok(&db, &["export", "firms", "-o", replaced.to_str().unwrap()]);
    ok(&db, &["export", "agenda", "-o", agenda.to_str().unwrap()]);
    for file in [&backup_file, &replaced, &agenda] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
}

#[test]
fn automatic_backups_go_beside_the_database_and_keep_the_newest() {
    use liaison::transfer::backup::{
        automatic_backup, automatic_backups, rotate_backups, AutoBackup,
    };
    let dir = tempfile::tempdir().unwrap();

    // The rotation on its own, on files of any content.
    let rotating = dir.path().join("rotating");
    std::fs::create_dir(&rotating).unwrap();
    for day in 1..=12 {
        let name = format!("liaison-202611{day:02}-093000.jsonl");
        std::fs::write(rotating.join(name), "{}").unwrap();
    }
    std::fs::write(rotating.join("README.txt"), "not a backup").unwrap();
    assert_eq!(rotate_backups(&rotating, 10).unwrap().len(), 2);
    let left = automatic_backups(&rotating).unwrap();
    assert_eq!(left.len(), 10);
    assert!(left[0].ends_with("liaison-20261103-093000.jsonl"));
    assert!(rotating.join("README.txt").exists());

    // Where an explicit --db keeps them: DIR.backups beside DIR; the default database keeps
    // them in backups/ beside db/.
    let db = ledger(dir.path());
    let beside = liaison::cli::backups_dir(&db, false).unwrap();
    assert_eq!(
        beside,
        dir.path().canonicalize().unwrap().join("db.backups")
    );
    let default = liaison::cli::backups_dir(&db, true).unwrap();
    assert_eq!(default, dir.path().canonicalize().unwrap().join("backups"));

    // The ledger's own setting (4) decides how many stay.
    let store = liaison::store::Store::open(&db).unwrap();
    let keep = store.backups_kept().unwrap();
    assert_eq!(keep, 4);
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
        .unwrap()
        .and_hms_opt(18, 0, 0)
        .unwrap();
    for n in 0..6 {
        store.set_user(&format!("值班员{n}")).unwrap();
        let at = start + chrono::Duration::seconds(n);
        let written = automatic_backup(&store, &beside, keep, at).unwrap();
        assert!(matches!(written, AutoBackup::Written(_)), "{written:?}");
    }
    let kept = automatic_backups(&beside).unwrap();
    assert_eq!(kept.len(), 4);
    assert!(kept[3].ends_with("liaison-20261128-180005.jsonl"));
    drop(store);
    // Each one restores.
    let target = dir.path().join("from-automatic");
    ok(&target, &["restore", kept[3].to_str().unwrap()]);
    ok(&target, &["check"]);
}

/// A backup of schema v2 holds items without tags: it restores, the items with none, and
/// backs up again as this build writes it.
#[test]
fn a_v2_backup_without_tags_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let first = backup(&db, &dir.path().join("first.jsonl"));
    let mut lines = Vec::new();
    let mut stripped = 0;
    for line in std::str::from_utf8(&first).unwrap().lines() {
        let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
        if value["format"] == "liaison-backup" {
            value["schema"] = 2.into();
        }
        if value["kind"] == "issue" {
            assert_eq!(value["record"]["tags"], serde_json::json!([]));
            value["record"].as_object_mut().unwrap().remove("tags");
            stripped += 1;
        }
        lines.push(value.to_string());
    }
    assert_eq!(stripped, 21);
    let old = dir.path().join("v2.jsonl");
    std::fs::write(&old, lines.join("\n") + "\n").unwrap();
    let restored = dir.path().join("restored");
    ok(&restored, &["restore", old.to_str().unwrap()]);
    ok(&restored, &["check"]);
    let again = backup(&restored, &dir.path().join("again.jsonl"));
    assert!(first == again, "a v2 backup restores to the same ledger");
}
