//! Damaged values and index entries through the binary: reported by `check`, repaired by
//! `check --repair` and kept in quarantine; the app opens the rest with a warning.

mod common;

use common::{liaison, stderr, stdout};
use liaison::model::{Issue, Visit};
use liaison::store::Store;
use liaison::store::{codec, keys, testing};

fn all_issues(store: &Store) -> Vec<Issue> {
    let mut issues = Vec::new();
    store
        .each_issue(|i| {
            issues.extend(i.ok());
            Ok(())
        })
        .unwrap();
    issues
}

fn all_visits(store: &Store) -> Vec<Visit> {
    let mut visits = Vec::new();
    store
        .each_visit(|v| {
            visits.extend(v.ok());
            Ok(())
        })
        .unwrap();
    visits
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the damage test broke, to compare with what check and repair say.
struct Damage {
    /// (tree, key as check prints it, the bytes as damaged)
    values: Vec<(&'static str, String, Vec<u8>)>,
    firm: liaison::model::Firm,
    item: Issue,
    renumbered: Issue,
    restatused: Issue,
    visit: Visit,
    unindexed: Visit,
    /// The item whose history was damaged, and how many events it held.
    historied: Issue,
    history_events: u64,
}

/// On the demo database: flips the last byte of a firm, an item, a visit and an item's
/// history (bad CRC), stores a department that has a good CRC but is not a department (fails to decode),
/// flips a byte of the value of a #N index entry, a byte of the key of a status index entry,
/// and removes a time index entry.
fn damage(store: &Store) -> Damage {
    let issues = all_issues(store);
    let item = issues.iter().find(|i| i.number == 3).unwrap().clone();
    let firm = store.firm(item.firm).unwrap().unwrap();
    let visits = all_visits(store);
    let visit = visits.iter().find(|v| v.firm != firm.id).unwrap().clone();
    let unindexed = visits.iter().find(|v| v.id != visit.id).unwrap().clone();
    let other = issues.iter().find(|i| i.firm != firm.id).unwrap();
    let history_events = store.events(other.id).unwrap().records.len() as u64;
    assert!(history_events > 0);
    let department = store.departments().unwrap().records[0].clone();
    let renumbered = issues
        .iter()
        .find(|i| i.number == 5 && i.firm != firm.id)
        .or_else(|| issues.iter().find(|i| i.number != 3 && i.firm != firm.id))
        .unwrap()
        .clone();
    let restatused = issues
        .iter()
        .find(|i| i.firm != firm.id && i.id != renumbered.id && i.id != other.id)
        .unwrap()
        .clone();

    let mut values = Vec::new();
    let mut flip = |tree: &'static str, key: &[u8], shown: String| {
        testing::corrupt_value(store, tree, key).unwrap();
        let bytes = testing::get_raw(store, tree, key).unwrap().unwrap();
        values.push((tree, shown, bytes));
    };
    flip("firms", firm.id.as_bytes(), firm.id.to_string());
    flip("issues", item.id.as_bytes(), item.id.to_string());
    flip("visits", visit.id.as_bytes(), visit.id.to_string());
    flip("issue_history", other.id.as_bytes(), other.id.to_string());
    // A good envelope around something that is not a department.
    let not_a_department = codec::encode(&("not a department", 42u64));
    testing::put_raw(
        store,
        "departments",
        department.id.as_bytes(),
        &not_a_department,
    )
    .unwrap();
    values.push((
        "departments",
        department.id.to_string(),
        not_a_department.clone(),
    ));

    // Index entries: a #N entry whose value (the item's id) has a flipped byte, a status
    // entry whose key has one (so it points nowhere, and the item's own entry is missing),
    // and a time entry removed.
    let number_key = keys::issue_number(renumbered.number);
    testing::corrupt_value(store, "idx_issue_number", &number_key).unwrap();
    let status_key = keys::issue_status(&restatused);
    let mut flipped = status_key.clone();
    *flipped.last_mut().unwrap() ^= 0x01;
    testing::remove_raw(store, "idx_issue_status", &status_key).unwrap();
    testing::put_raw(store, "idx_issue_status", &flipped, &[]).unwrap();
    testing::remove_raw(store, "idx_visit_time", &keys::visit_time(&unindexed)).unwrap();
    Damage {
        values,
        firm,
        item,
        renumbered,
        restatused,
        visit,
        unindexed,
        historied: other.clone(),
        history_events,
    }
}

fn demo_db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    drop(common::demo_store(dir.path()));
    dir
}

#[test]
fn check_names_each_damaged_value_and_index_entry_by_tree_and_id() {
    let dir = demo_db();
    let damage = {
        let store = Store::open(dir.path()).unwrap();
        damage(&store)
    };
    let out = liaison(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    for (tree, key, _) in &damage.values {
        let what = if *tree == "departments" {
            "cannot decode"
        } else {
            "checksum mismatch"
        };
        assert!(
            report.contains(&format!("{tree}: {key}: {what}")),
            "no line for {tree} {key}:\n{report}"
        );
    }
    let number_key = hex(&keys::issue_number(damage.renumbered.number));
    assert!(
        report.contains(&format!(
            "idx_issue_number: {number_key}: entry for issues {} has a wrong value",
            damage.renumbered.id
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "idx_issue_status: {}: missing entry for issues {}",
            hex(&keys::issue_status(&damage.restatused)),
            damage.restatused.id
        )),
        "{report}"
    );
    assert!(report.contains("idx_issue_status: ") && report.contains("which does not exist"));
    assert!(
        report.contains(&format!(
            "idx_visit_time: {}: missing entry for visits {}",
            hex(&keys::visit_time(&damage.unindexed)),
            damage.unindexed.id
        )),
        "{report}"
    );
    // A damaged record still counts: the counters are not blamed for it.
    assert!(!report.contains("meta: count:"), "{report}");
    let err = stderr(&out);
    assert!(err.contains("problem(s) found"), "{err}");
    assert!(err.contains("liaison check --repair"), "{err}");
}

#[test]
fn repair_sets_damaged_values_aside_rebuilds_indexes_and_check_then_passes() {
    let dir = demo_db();
    let (before, visits_before, events_before, damage) = {
        let store = Store::open(dir.path()).unwrap();
        let before = all_issues(&store);
        let visits = all_visits(&store).len();
        let events = store.counts().unwrap().events;
        (before, visits, events, damage(&store))
    };

    let repair = liaison(dir.path(), &["check", "--repair"]);
    let said = stdout(&repair);
    assert_eq!(repair.status.code(), Some(0), "{said}{}", stderr(&repair));
    for (tree, key, _) in &damage.values {
        assert!(
            said.contains(&format!("{tree}: {key}: moved to quarantine: ")),
            "{tree} {key} not quarantined:\n{said}"
        );
    }
    assert!(said.contains(&format!(
        "issues: {}: rebuilt #3 from its index entries and history (title lost)",
        damage.item.id
    )));
    assert!(said.contains(&format!(
        "firms: {}: rebuilt as {} (details lost)",
        damage.firm.id, damage.firm.name
    )));
    assert!(said.contains(&format!(
        "added the missing entry of visits {}",
        damage.unindexed.id
    )));
    assert!(said.contains(&format!(
        "set the value of the entry of issues {}",
        damage.renumbered.id
    )));
    assert!(said.contains("removed it pointed to issues"), "{said}");
    assert!(
        said.starts_with("ok: ") || said.contains("\nok: "),
        "{said}"
    );
    assert!(said.contains(&format!("; {} value(s) in quarantine", damage.values.len())));

    // Check passes on its own, and a second repair has nothing to do.
    let check = liaison(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let again = liaison(dir.path(), &["check", "--repair"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout(&again).starts_with("nothing to repair\nok: "));

    // The quarantine lists each value, where it was and why.
    let listed = liaison(dir.path(), &["check", "--quarantine"]);
    assert_eq!(listed.status.code(), Some(0));
    let listed = stdout(&listed);
    for (tree, key, bytes) in &damage.values {
        assert!(
            listed.contains(&format!("{tree}: {key}: "))
                && listed.contains(&format!("({} bytes, set aside ", bytes.len())),
            "{tree} {key} not listed:\n{listed}"
        );
    }

    let store = Store::open(dir.path()).unwrap();
    // Nothing dropped: every damaged value is kept, byte for byte.
    let kept = store.quarantine().unwrap();
    assert!(kept.damaged.is_empty());
    assert_eq!(kept.records.len(), damage.values.len());
    for (tree, key, bytes) in &damage.values {
        assert!(
            kept.records
                .iter()
                .any(|q| q.tree == *tree && q.key_text() == *key && q.bytes == *bytes),
            "{tree} {key} not kept as it was"
        );
    }
    // The damaged item is back as a placeholder with its number, firm and status; every
    // other item is as it was, found by its number and in its indexes.
    let after = all_issues(&store);
    assert_eq!(after.len(), before.len());
    for old in &before {
        let new = store.issue_by_number(old.number).unwrap().unwrap();
        assert_eq!(new.id, old.id);
        assert!(store
            .issues_of_firm(old.firm)
            .unwrap()
            .contains(&(old.id, Some(old.status))));
        // The damaged item comes back whole from its operations (schema v4).
        assert_eq!(new, *old);
    }
    // The firm is back under its id and name, found by name; its visits and items follow it.
    let firm = store.firm(damage.firm.id).unwrap().unwrap();
    assert_eq!(firm.name, damage.firm.name);
    assert_eq!(store.firm_by_name(&firm.name).unwrap(), Some(firm.id));
    // A damaged visit is in quarantine, and back from its operations (schema v4).
    assert_eq!(
        store.visit(damage.visit.id).unwrap(),
        Some(damage.visit.clone())
    );
    assert_eq!(all_visits(&store).len(), visits_before);
    assert!(store
        .visit_ids_by_time()
        .unwrap()
        .contains(&damage.unindexed.id));
    let counts = store.counts().unwrap();
    assert_eq!(counts.visits, visits_before as u64);
    // The damaged history went whole; its item stays, readable, with no history.
    assert_eq!(counts.events, events_before - damage.history_events);
    assert_eq!(
        store.issue(damage.historied.id).unwrap().as_ref(),
        Some(&damage.historied)
    );
    let history = store.events(damage.historied.id).unwrap();
    assert!(history.records.is_empty() && history.damaged.is_empty());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn the_app_opens_the_rest_with_a_warning_when_records_are_damaged() {
    let dir = demo_db();
    let store = Store::open(dir.path()).unwrap();
    let issues = all_issues(&store);
    let item = issues.iter().find(|i| i.number == 3).unwrap();
    let firm = store.firm(item.firm).unwrap().unwrap();
    testing::corrupt_value(&store, "issues", item.id.as_bytes()).unwrap();
    testing::corrupt_value(&store, "firms", firm.id.as_bytes()).unwrap();
    let mut screen = common::Screen::new(store, 120, 40);
    let lines = screen.lines();
    let status = lines.last().unwrap();
    assert!(
        status.contains("2 damaged record(s) skipped"),
        "status line: {status}"
    );
    assert!(status.contains("liaison check --repair"), "{status}");
    let text = lines.join("\n");
    // Long names are cut in the list: look for their beginning.
    let shown: String = firm.name.chars().take(8).collect();
    assert!(text.contains("Firms (7)"), "{text}");
    assert!(!text.contains(&shown), "{text}");
    // The queue holds the other items.
    screen.keys("3");
    assert!(screen.text().contains("of 19"), "{}", screen.text());

    // The app as the terminal opens it reads the items in the background: the warning
    // counts the damaged item when it arrives, with the damaged firm.
    drop(screen);
    let store = Store::open(dir.path()).unwrap();
    let mut app = liaison::app::App::new_reading_in_background(store, common::now()).unwrap();
    app.settle();
    let mut screen = common::Screen::with_app(app, 120, 40);
    let status = screen.lines().last().unwrap().clone();
    assert!(
        status.contains("2 damaged record(s) skipped"),
        "status line: {status}"
    );

    // After a repair, the app opens without the warning and the rebuilt records show.
    drop(screen);
    let repair = liaison(dir.path(), &["check", "--repair"]);
    assert_eq!(repair.status.code(), Some(0), "{}", stdout(&repair));
    let store = Store::open(dir.path()).unwrap();
    let mut screen = common::Screen::new(store, 120, 40);
    let text = screen.text();
    assert!(!text.contains("damaged record(s)"), "{text}");
    assert!(
        text.contains("Firms (8)") && text.contains(&shown),
        "{text}"
    );
    screen.keys("3");
    assert!(screen.text().contains("of 20"), "{}", screen.text());
}
