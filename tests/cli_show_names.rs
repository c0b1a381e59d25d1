//! `issues show N` names the item's category as the app's detail does (用地), not by the
//! Latin code kept for filters and scripts; `--json` keeps the code.

mod common;

use common::{run_ok, seeded};

#[test]
fn show_names_the_category_and_its_changes_as_the_app_does() {
    let dir = seeded();
    let db = dir.path();
    let shown = run_ok(db, &["issues", "show", "14"]);
    assert!(shown.contains("category:   用地\n"), "{shown}");
    run_ok(db, &["issues", "edit", "14", "--category", "talent"]);
    let shown = run_ok(db, &["issues", "show", "14"]);
    assert!(shown.contains("category:   人才\n"), "{shown}");
    assert!(shown.contains("category set to 人才\n"), "{shown}");
    let json = run_ok(db, &["issues", "show", "14", "--json"]);
    assert!(json.contains("\"talent\""), "{json}");
}
