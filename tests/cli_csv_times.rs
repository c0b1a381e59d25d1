//! The times of an items CSV are local, with their offset, as the app shows them; the import
//! reads them, and the RFC 3339 of older exports too.

mod common;

use common::stderr;
use std::path::Path;
use std::process::{Command, Output};

/// The binary in a given time zone (`TZ`), as on a laptop set to it.
fn liaison_in(tz: &str, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .env("LIAISON_LANG", "en")
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("LIAISON_DB")
        .env("TZ", tz)
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn csv_times_are_in_the_laptops_zone_and_import_back_to_the_same_moment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    // Written on a laptop in UTC: the times are stored with +00:00.
    ok(liaison_in("UTC", &db, &["demo"]));
    let stored = {
        let store = liaison::store::Store::open(&db).unwrap();
        store.issue_by_number(7).unwrap().unwrap()
    };
    assert_eq!(stored.created.offset().local_minus_utc(), 0);

    let csv = ok(liaison_in(
        "Asia/Shanghai",
        &db,
        &["export", "issues", "--headers", "en"],
    ));
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = rows.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = rows
        .records()
        .map(Result::unwrap)
        .find(|r| &r[column("number")] == "7")
        .unwrap();
    let shanghai = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let expected = |t: liaison::model::LocalTime| {
        t.with_timezone(&shanghai)
            .format("%Y-%m-%d %H:%M:%S+08:00")
            .to_string()
    };
    assert_eq!(&row[column("created")], expected(stored.created));
    assert_eq!(&row[column("updated")], expected(stored.updated));
    assert!(!csv.contains("+00:00"), "no UTC left: {csv}");

    // Imported again (in another zone), each item is raised at the same moment.
    let file = dir.path().join("items.csv");
    std::fs::write(&file, &csv).unwrap();
    let copy = dir.path().join("copy");
    ok(liaison_in(
        "UTC",
        &copy,
        &["import", "issues", file.to_str().unwrap()],
    ));
    let store = liaison::store::Store::open(&copy).unwrap();
    let mut found = None;
    store
        .each_issue(|issue| {
            let issue = issue.unwrap();
            if issue.title == stored.title {
                found = Some(issue);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(found.unwrap().created, stored.created);
}

#[test]
fn an_older_export_with_rfc3339_times_still_imports() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.csv");
    std::fs::write(
        &file,
        "firm,title,created,updated\n某某科技有限公司,用电增容,2025-12-13T17:15:00+00:00,2025-12-13T19:15:00+00:00\n",
    )
    .unwrap();
    let db = dir.path().join("db");
    ok(liaison_in(
        "Asia/Shanghai",
        &db,
        &["import", "issues", file.to_str().unwrap()],
    ));
    let store = liaison::store::Store::open(&db).unwrap();
    let issue = store.issue_by_number(1).unwrap().unwrap();
    assert_eq!(issue.created.to_rfc3339(), "2025-12-13T17:15:00+00:00");
}
