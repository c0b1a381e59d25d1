//! A mistyped `--db` must not become an empty database that reads as "nothing there".

mod common;

use common::{liaison, seeded, stderr, stdout};

#[test]
fn reading_commands_on_a_missing_database_say_so_and_create_nothing() {
    let parent = tempfile::tempdir().unwrap();
    let missing = parent.path().join("typo");
    let empty = parent.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out_file = parent.path().join("out.csv");
    let backup_file = parent.path().join("b.jsonl");
    let commands: Vec<Vec<&str>> = vec![
        vec!["firms", "list"],
        vec!["visits", "list", "--json"],
        vec!["visits", "done", "01234567"],
        vec!["issues", "list"],
        vec!["issues", "show", "1"],
        vec!["issues", "assign", "1", "发改局"],
        vec!["export", "issues"],
        vec!["export", "firms", "-o", out_file.to_str().unwrap()],
        vec!["export", "agenda"],
        vec!["check"],
        vec!["settings", "--user", "李晓"],
        vec!["backup", backup_file.to_str().unwrap()],
    ];
    for dir in [&missing, &empty] {
        for args in &commands {
            let out = liaison(dir, args);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains(&format!("no database at {}", dir.display())),
                "{args:?}: {}",
                stderr(&out)
            );
            assert_eq!(stdout(&out), "", "{args:?}");
        }
    }
    assert!(!missing.exists(), "nothing was created");
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
    assert!(!out_file.exists() && !backup_file.exists());
}

#[test]
fn creating_commands_still_make_a_database_and_check_runs_on_a_damaged_one() {
    let parent = tempfile::tempdir().unwrap();
    let fresh = parent.path().join("new");
    let out = liaison(&fresh, &["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = liaison(&fresh, &["issues", "list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A database that lost sled's `conf` file is still a database: check looks at it.
    let dir = seeded();
    std::fs::remove_file(dir.path().join("conf")).unwrap();
    let out = liaison(dir.path(), &["check"]);
    assert!(
        !stderr(&out).contains("no database"),
        "check must run: {}",
        stderr(&out)
    );
}
