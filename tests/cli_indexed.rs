//! `issues list` and `export issues` read only what an index names for a filter's narrowest
//! condition (open, overdue, `#N`): the answers must be those of reading every item.

mod common;

use common::listing::{json_array, numbers};
use common::{liaison, seeded_with, stderr};
use serde_json::Value;

#[test]
fn open_overdue_and_numbered_items_match_a_walk_over_all() {
    let dir = seeded_with(&["--firms", "30", "--visits", "40", "--issues", "400"]);
    // No condition an index answers: every item is read, in the due order.
    let all = json_array(dir.path(), &["issues", "list", "--json"]);
    assert_eq!(all.len(), 400);
    let is_open = |i: &&Value| i["status"] != "closed";
    let today = chrono::Local::now().date_naive().to_string();
    let overdue = |i: &&Value| is_open(i) && i["due"].as_str().is_some_and(|d| *d < *today);

    let open: Vec<Value> = all.iter().filter(is_open).cloned().collect();
    assert!(!open.is_empty() && open.len() < all.len());
    let listed = json_array(
        dir.path(),
        &["issues", "list", "--status", "open", "--json"],
    );
    assert_eq!(numbers(&listed), numbers(&open));

    let late: Vec<Value> = all.iter().filter(overdue).cloned().collect();
    assert!(!late.is_empty());
    let listed = json_array(dir.path(), &["issues", "list", "--overdue", "--json"]);
    assert_eq!(listed, late, "the same items, fields and order");

    // Another sort, and a negated condition that bounds nothing.
    let by_priority = json_array(
        dir.path(),
        &["issues", "list", "--sort", "priority", "--json"],
    );
    let open_by_priority: Vec<u64> = numbers(
        &by_priority
            .iter()
            .filter(is_open)
            .cloned()
            .collect::<Vec<_>>(),
    );
    let listed = json_array(
        dir.path(),
        &[
            "issues",
            "list",
            "--filter",
            "status:open",
            "--sort",
            "priority",
            "--json",
        ],
    );
    assert_eq!(numbers(&listed), open_by_priority);
    let not_late = json_array(
        dir.path(),
        &["issues", "list", "--filter", "-overdue", "--json"],
    );
    assert_eq!(not_late.len(), all.len() - late.len());

    // #N: one item, or none (a closed one too: a number does not imply open).
    let closed = all.iter().find(|i| i["status"] == "closed").unwrap();
    let n = closed["number"].to_string();
    let listed = json_array(
        dir.path(),
        &["issues", "list", "--filter", &format!("#{n}"), "--json"],
    );
    assert_eq!(listed, vec![closed.clone()]);
    let listed = json_array(
        dir.path(),
        &[
            "issues",
            "list",
            "--filter",
            &format!("#{n} status:open"),
            "--json",
        ],
    );
    assert!(listed.is_empty());
    assert!(json_array(
        dir.path(),
        &["issues", "list", "--filter", "#99999", "--json"]
    )
    .is_empty());

    // The export reads the same way, in the due order (the index's) and in another.
    let export = |filter: &str, sort: &str| -> Vec<Value> {
        let args = [
            "export", "issues", "--format", "json", "--filter", filter, "--sort", sort,
        ];
        let out = liaison(dir.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // `-#0` holds for every item and bounds nothing: a walk over all of them.
    let walked: Vec<Value> = export("-#0", "due")
        .iter()
        .filter(overdue)
        .cloned()
        .collect();
    assert_eq!(walked.len(), late.len());
    assert_eq!(export("overdue", "due"), walked);
    let walked: Vec<Value> = export("-#0", "priority")
        .iter()
        .filter(is_open)
        .cloned()
        .collect();
    assert_eq!(export("status:open", "priority"), walked);
}
