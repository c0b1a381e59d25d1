//! `departments` and `categories` from the shell: add, rename, merge, retire on the demo
//! ledger, checked on their output and on the database afterwards.

mod common;

use common::{liaison, run_ok, run_refused, seeded, stderr};
use liaison::model::{Change, Id};
use liaison::store::Store;
use std::path::Path;

fn checked(db: &Path) {
    run_ok(db, &["check"]);
}

fn department_id(db: &Path, name: &str) -> Option<Id> {
    let store = Store::open(db).unwrap();
    let departments = store.departments().unwrap().records;
    departments.iter().find(|d| d.name == name).map(|d| d.id)
}

fn category_id(db: &Path, code: &str) -> Option<Id> {
    let store = Store::open(db).unwrap();
    let categories = store.categories().unwrap().records;
    categories.iter().find(|c| c.code == code).map(|c| c.id)
}

/// The numbers of the items whose department (or category) is `id`.
fn items_of(db: &Path, id: Id, department: bool) -> Vec<u32> {
    let store = Store::open(db).unwrap();
    let mut numbers: Vec<u32> = store
        .scan_issues()
        .map(|i| i.unwrap())
        .filter(|i| {
            if department {
                i.department == Some(id)
            } else {
                i.category == Some(id)
            }
        })
        .map(|i| i.number)
        .collect();
    numbers.sort();
    numbers
}

#[test]
fn a_department_is_added_listed_and_renamed_and_its_items_follow() {
    let dir = seeded();
    let db = dir.path();
    assert_eq!(
        run_ok(
            db,
            &[
                "departments",
                "add",
                " 商务局 ",
                "--full-name",
                "商务局全称"
            ]
        ),
        "added department 商务局\n"
    );
    assert!(run_ok(db, &["departments", "list"]).contains("商务局  商务局全称\n"));
    let id = department_id(db, "商务局").unwrap();
    run_ok(db, &["issues", "assign", "9", "商务局"]);

    assert_eq!(
        run_ok(db, &["departments", "rename", "商务局", "商务和口岸局"]),
        "renamed department 商务局 to 商务和口岸局\n"
    );
    assert_eq!(department_id(db, "商务和口岸局"), Some(id));
    assert_eq!(department_id(db, "商务局"), None);
    // The item refers to the department, not its name: it shows the new one.
    assert!(run_ok(db, &["issues", "show", "9"]).contains("商务和口岸局"));
    checked(db);

    // Bad input names the argument and writes nothing.
    let before = Store::open(db)
        .unwrap()
        .departments()
        .unwrap()
        .records
        .len();
    let err = run_refused(db, &["departments", "add", "发改局"]);
    assert!(
        err.contains("NAME: there is already a department named 发改局"),
        "{err}"
    );
    let err = run_refused(db, &["departments", "add", "  "]);
    assert!(err.contains("NAME:"), "{err}");
    let err = run_refused(db, &["departments", "rename", "发改局", "经科局"]);
    assert!(
        err.contains("NEW: there is already a department named 经科局"),
        "{err}"
    );
    let err = run_refused(db, &["departments", "rename", "无此局", "新局"]);
    assert!(err.contains("OLD: no department named 无此局"), "{err}");
    let err = run_refused(db, &["departments", "add", "x", "--full-name", "a\u{7}b"]);
    assert!(err.contains("--full-name:"), "{err}");
    assert_eq!(
        Store::open(db)
            .unwrap()
            .departments()
            .unwrap()
            .records
            .len(),
        before
    );
}

#[test]
fn merging_hands_every_item_over_with_its_event_and_retires_the_first() {
    let dir = seeded();
    let db = dir.path();
    let from = department_id(db, "发改局").unwrap();
    let into = department_id(db, "经科局").unwrap();
    run_ok(db, &["issues", "assign", "9,13", "发改局"]);
    let moved = items_of(db, from, true);
    assert!(moved.len() >= 2, "{moved:?}");
    let already = items_of(db, into, true);

    let out = run_ok(db, &["departments", "merge", "发改局", "经科局"]);
    assert!(
        out.ends_with(&format!(
            "merged 发改局 into 经科局: {} item(s) moved; 发改局 retired\n",
            moved.len()
        )),
        "{out}"
    );
    for number in &moved {
        assert!(
            out.contains(&format!("#{number}: moved to 经科局\n")),
            "{out}"
        );
    }
    assert!(items_of(db, from, true).is_empty());
    let mut all = [moved.clone(), already].concat();
    all.sort();
    assert_eq!(items_of(db, into, true), all);
    let store = Store::open(db).unwrap();
    for number in &moved {
        let issue = store.issue_by_number(*number).unwrap().unwrap();
        let events = store.events(issue.id).unwrap().records;
        assert!(
            matches!(
                events.last().unwrap().change,
                Change::Department { from: Some(f), to: Some(t) } if f == from && t == into
            ),
            "#{number}"
        );
    }
    assert!(store.is_retired(from).unwrap());
    drop(store);
    assert!(run_ok(db, &["departments", "list"]).contains("发改局  发展和改革局  (retired)\n"));
    checked(db);

    // Into itself, into a retired one, or from one not there: refused, nothing written.
    let err = run_refused(db, &["departments", "merge", "经科局", "经科局"]);
    assert!(err.contains("INTO: 经科局 is FROM itself"), "{err}");
    let err = run_refused(db, &["departments", "merge", "经科局", "发改局"]);
    assert!(err.contains("INTO: 发改局 is retired"), "{err}");
    let err = run_refused(db, &["departments", "merge", "无此局", "发改局"]);
    assert!(err.contains("FROM: no department named 无此局"), "{err}");
    assert_eq!(items_of(db, into, true), all);
}

#[test]
fn a_retired_department_comes_back_and_survives_a_backup_and_restore() {
    let dir = seeded();
    let db = dir.path();
    let id = department_id(db, "供电局").unwrap();
    assert_eq!(
        run_ok(db, &["departments", "retire", "供电局"]),
        "供电局 retired: no longer offered for new items; its items keep it\n"
    );
    assert!(Store::open(db).unwrap().is_retired(id).unwrap());
    checked(db);
    // No longer offered for new hand-overs, from the shell either.
    let err = run_refused(db, &["issues", "assign", "9", "供电局"]);
    assert!(err.contains("DEPT: 供电局 is retired"), "{err}");
    let err = run_refused(
        db,
        &[
            "issues",
            "add",
            "--firm",
            "zsswgc",
            "--title",
            "x",
            "--department",
            "供电局",
        ],
    );
    assert!(err.contains("--department: 供电局 is retired"), "{err}");

    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("all.jsonl");
    run_ok(db, &["backup", file.to_str().unwrap()]);
    let restored = other.path().join("db");
    run_ok(&restored, &["restore", file.to_str().unwrap()]);
    assert!(Store::open(&restored).unwrap().is_retired(id).unwrap());
    checked(&restored);

    assert_eq!(
        run_ok(db, &["departments", "retire", "供电局", "--undo"]),
        "供电局 is offered again\n"
    );
    assert!(!Store::open(db).unwrap().is_retired(id).unwrap());
    // A database that never retired anything backs up as before: no `retired` in it.
    let again = other.path().join("again.jsonl");
    run_ok(db, &["backup", again.to_str().unwrap()]);
    assert!(!std::fs::read_to_string(&again).unwrap().contains("retired"));
}

#[test]
fn categories_are_added_renamed_merged_and_retired() {
    let dir = seeded();
    let db = dir.path();
    assert_eq!(
        run_ok(db, &["categories", "add", "Export", "出口"]),
        "added category export 出口\n"
    );
    let export = category_id(db, "export").unwrap();
    assert_eq!(
        run_ok(
            db,
            &["categories", "rename", "export", "外贸", "--code", "trade"]
        ),
        "renamed category export 出口 to trade 外贸\n"
    );
    assert_eq!(category_id(db, "trade"), Some(export));
    assert!(run_ok(db, &["categories", "list"]).contains("trade  外贸\n"));

    let err = run_refused(db, &["categories", "add", "用地", "用地"]);
    assert!(err.contains("CODE: 用地:"), "{err}");
    let err = run_refused(db, &["categories", "add", "land", "土地"]);
    assert!(
        err.contains("CODE: there is already a category land"),
        "{err}"
    );
    let err = run_refused(db, &["categories", "rename", "trade", "用地"]);
    assert!(
        err.contains("NAME: there is already a category named 用地"),
        "{err}"
    );

    let land = category_id(db, "land").unwrap();
    let moved = items_of(db, land, false);
    assert!(!moved.is_empty());
    let out = run_ok(db, &["categories", "merge", "land", "trade"]);
    assert!(
        out.contains(&format!("{} item(s) moved", moved.len())),
        "{out}"
    );
    assert!(items_of(db, land, false).is_empty());
    assert_eq!(items_of(db, export, false), moved);
    let store = Store::open(db).unwrap();
    let issue = store.issue_by_number(moved[0]).unwrap().unwrap();
    let events = store.events(issue.id).unwrap().records;
    assert!(matches!(
        events.last().unwrap().change,
        Change::Category { from: Some(f), to: Some(t) } if f == land && t == export
    ));
    assert!(store.is_retired(land).unwrap());
    drop(store);
    assert!(run_ok(db, &["categories", "list"]).contains("land  用地  (retired)\n"));
    run_ok(db, &["categories", "retire", "trade"]);
    checked(db);
}

#[test]
fn without_a_database_the_lists_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing");
    let out = liaison(&missing, &["departments", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no database at"), "{}", stderr(&out));
    assert!(!missing.exists());
}

/// A merge and a retirement are in the journal: `recover` brings back the moved items and
/// the retired list as they were.
#[test]
fn recover_rebuilds_a_merge_and_a_retirement_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    run_ok(&db, &["demo"]);
    run_ok(&db, &["departments", "add", "商务局"]);
    run_ok(&db, &["departments", "merge", "发改局", "商务局"]);
    run_ok(&db, &["categories", "retire", "market"]);
    let from = department_id(&db, "发改局").unwrap();
    let into = department_id(&db, "商务局").unwrap();
    let moved = items_of(&db, into, true);
    assert!(!moved.is_empty());
    // sled cannot open a `db` file cut short.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(db.join("db"))
        .unwrap();
    file.set_len(1000).unwrap();

    let new = dir.path().join("rebuilt");
    run_ok(&db, &["recover", "--into", new.to_str().unwrap()]);
    assert_eq!(items_of(&new, into, true), moved);
    assert!(items_of(&new, from, true).is_empty());
    let market = category_id(&new, "market").unwrap();
    let store = Store::open(&new).unwrap();
    assert!(store.is_retired(from).unwrap());
    assert!(store.is_retired(market).unwrap());
    drop(store);
    checked(&new);
}
