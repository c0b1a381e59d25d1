//! The journal and `liaison recover`: a database sled cannot open is rebuilt in a new
//! directory from the newest automatic backup that reads whole plus the journal, equal to the
//! original (`liaison backup` gives the same bytes).

mod common;

use common::{copy_dir, liaison, records_only, stderr, stdout};
use liaison::store::{journal, Journaling, OpenOptions, Store};
use liaison::transfer::backup::{automatic_backup, write_backup};
use std::io::Write;
use std::path::{Path, PathBuf};

fn backup_bytes(db: &Path) -> Vec<u8> {
    let file = db.with_extension("reference.jsonl");
    let out = liaison(db, &["backup", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    records_only(&bytes)
}

fn first_firm(db: &Path) -> String {
    let out = liaison(db, &["firms", "list", "--json"]);
    let firms: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    firms[0]["name"].as_str().unwrap().to_string()
}

fn add_item(db: &Path, title: &str) {
    let firm = first_firm(db);
    let out = liaison(db, &["issues", "add", "--firm", &firm, "--title", title]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn journals(db: &Path) -> Vec<PathBuf> {
    let mut name = db.file_name().unwrap().to_os_string();
    name.push(".backups");
    journal::generation_files(&db.with_file_name(name), journal::JOURNAL_SUFFIX).unwrap()
}

/// A `db` file cut short: sled cannot open the database.
fn damage(db: &Path) {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(db.join("db"))
        .unwrap();
    file.set_len(1000).unwrap();
}

/// `liaison recover --into NEW`, which must succeed; what it said.
fn recover(db: &Path, new: &Path) -> String {
    let out = liaison(db, &["recover", "--into", new.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn a_database_sled_cannot_open_is_rebuilt_from_the_journal_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    assert!(liaison(&db, &["demo"]).status.success());
    add_item(&db, "第一次追加");
    add_item(&db, "second");
    assert!(
        liaison(&db, &["settings", "--user", "王五", "--sla-high", "5"])
            .status
            .success()
    );
    let before = backup_bytes(&db);
    damage(&db);

    // Every command says that `recover` exists and what it would use.
    let out = liaison(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    let command = format!("liaison --db {} recover --into NEWDIR", db.display());
    assert!(said.contains(&command), "{said}");
    assert!(said.contains("from an empty database and"), "{said}");
    let damaged = std::fs::read(db.join("db")).unwrap();

    let new = dir.path().join("rebuilt");
    let said = recover(&db, &new);
    assert!(said.contains("replayed"), "{said}");
    assert_eq!(backup_bytes(&new), before);
    assert!(liaison(&new, &["check"]).status.success());
    // The damaged database is left as it was.
    assert!(std::fs::read(db.join("db")).unwrap() == damaged);

    // Not into a directory that holds anything.
    let out = liaison(&db, &["recover", "--into", new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_full_backup_plus_the_journal_after_it_rebuild_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    // Written without a journal (as by an older liaison): the first write from the command
    // line finds the journal does not reach back, and a full backup is written after it.
    drop(common::demo_store(&db));
    add_item(&db, "after the upgrade");
    let backups =
        journal::generation_files(&dir.path().join("ledger.backups"), journal::BACKUP_SUFFIX)
            .unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    add_item(&db, "after the backup");
    assert!(liaison(&db, &["settings", "--user", "赵六"])
        .status
        .success());
    let before = backup_bytes(&db);
    // Gone altogether.
    std::fs::remove_dir_all(&db).unwrap();

    let new = dir.path().join("rebuilt");
    let said = recover(&db, &new);
    assert!(
        said.contains(backups[0].file_name().unwrap().to_str().unwrap()),
        "{said}"
    );
    assert_eq!(backup_bytes(&new), before);
}

#[test]
fn a_torn_journal_tail_never_counts_and_the_next_write_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    assert!(liaison(&db, &["demo"]).status.success());
    let journal_file = journals(&db).pop().unwrap();
    // A kill part way through an append: a frame head that promises more than follows.
    let torn = |path: &Path| {
        let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        file.write_all(b"LJ\x00\x01\x00\x00\x12\x34\x56\x78[{\"ki")
            .unwrap();
    };
    torn(&journal_file);
    add_item(&db, "after the torn tail");
    let before = backup_bytes(&db);
    torn(&journal_file);
    damage(&db);

    let new = dir.path().join("rebuilt");
    let said = recover(&db, &new);
    assert!(said.contains("unfinished last entry"), "{said}");
    assert_eq!(backup_bytes(&new), before);
    let listed = stdout(&liaison(&new, &["issues", "list"]));
    assert!(listed.contains("after the torn tail"), "{listed}");
}

#[test]
fn a_damaged_journal_entry_is_named_with_what_it_held_and_the_rest_replays() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    assert!(liaison(&db, &["demo"]).status.success());
    add_item(&db, "middle-entry");
    add_item(&db, "last-entry");
    let journal_file = journals(&db).pop().unwrap();
    let mut bytes = std::fs::read(&journal_file).unwrap();
    let at = bytes
        .windows(12)
        .position(|w| w == b"middle-entry")
        .unwrap();
    bytes[at] = b'M';
    std::fs::write(&journal_file, bytes).unwrap();
    damage(&db);

    let new = dir.path().join("rebuilt");
    let out = liaison(&db, &["recover", "--into", new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("could not bring back"), "{said}");
    assert!(said.contains("Middle-entry"), "{said}");
    let listed = stdout(&liaison(&new, &["issues", "list"]));
    assert!(listed.contains("last-entry"), "{listed}");
    assert!(!listed.contains("iddle-entry"), "{listed}");
}

/// The newest backup cut short: the one before it, with both journals, gives the same ledger.
#[test]
fn a_damaged_newest_backup_falls_back_to_the_one_before_and_both_journals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    let options = || OpenOptions {
        journal: Journaling::Beside,
        ..Default::default()
    };
    let store = Store::open_with(&db, options()).unwrap();
    liaison::demo::seed(&store, &Default::default(), common::now()).unwrap();
    let backups = dir.path().join("ledger.backups");
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    automatic_backup(&store, &backups, 10, at("2030-01-01 10:00:00")).unwrap();
    store.set_user("first").unwrap();
    automatic_backup(&store, &backups, 10, at("2030-01-02 10:00:00")).unwrap();
    store.set_user("second").unwrap();
    let mut before = Vec::new();
    write_backup(&store, &mut before).unwrap();
    let before = records_only(&before);
    drop(store);
    let newest = journal::generation_files(&backups, journal::BACKUP_SUFFIX)
        .unwrap()
        .pop()
        .unwrap();
    let text = std::fs::read_to_string(&newest).unwrap();
    std::fs::write(&newest, &text[..text.len() / 2]).unwrap();

    let new = dir.path().join("rebuilt");
    let said = recover(&db, &new);
    assert!(said.contains("skipped the backup"), "{said}");
    assert_eq!(backup_bytes(&new), before);
}

/// A damaged schema stamp stops every command with a message naming the repair, and
/// `check --repair` rebuilds it from what the records hold.
#[test]
fn a_damaged_schema_stamp_is_rebuilt_by_check_repair() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    let store = common::demo_store(&db);
    liaison::store::testing::corrupt_value(&store, "meta", b"schema_version").unwrap();
    drop(store);
    let before = stdout(&liaison(&db, &["issues", "list"]));
    let out = liaison(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("check --repair` rebuilds the schema stamp"),
        "{}",
        stderr(&out)
    );
    let out = liaison(&db, &["check", "--repair"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("meta: schema_version: damaged"),
        "{}",
        stdout(&out)
    );
    assert!(liaison(&db, &["check"]).status.success());
    let after = liaison(&db, &["issues", "list"]);
    assert!(after.status.success());
    assert!(before.is_empty() && stdout(&after).lines().count() == 21);
}

/// A demo replacing the records (`--force` clears first) and a restore into a new database
/// are journaled like any write: each is rebuilt the same.
#[test]
fn a_cleared_and_a_restored_database_are_rebuilt_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    assert!(liaison(&db, &["demo"]).status.success());
    add_item(&db, "cleared by the next demo");
    let out = liaison(&db, &["demo", "--force", "--seed", "3", "--issues", "40"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = backup_bytes(&db);
    damage(&db);
    let new = dir.path().join("rebuilt");
    recover(&db, &new);
    assert_eq!(backup_bytes(&new), before);

    let file = dir.path().join("saved.jsonl");
    std::fs::write(&file, &before).unwrap();
    let restored = dir.path().join("restored");
    let out = liaison(&restored, &["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    add_item(&restored, "after the restore");
    let before = backup_bytes(&restored);
    damage(&restored);
    let again = dir.path().join("again");
    recover(&restored, &again);
    assert_eq!(backup_bytes(&again), before);
}

/// A kill after a write reached the journal but before the database's flush: the write was
/// never acknowledged, the database may hand out its item number again, and the entry must
/// not come back beside the item that got the number.
#[test]
fn a_journal_entry_the_database_never_flushed_is_cut_off_by_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    assert!(liaison(&db, &["demo"]).status.success());
    // The same write made in a copy: its journal entry, appended to the original's journal,
    // is what a kill between the journal's sync and the database's flush leaves.
    let copy = dir.path().join("copy");
    copy_dir(&db, &copy);
    copy_dir(
        &dir.path().join("ledger.backups"),
        &dir.path().join("copy.backups"),
    );
    add_item(&copy, "never acknowledged");
    let theirs = std::fs::read(journals(&copy).pop().unwrap()).unwrap();
    let ours_path = journals(&db).pop().unwrap();
    let ours = std::fs::read(&ours_path).unwrap();
    assert!(theirs.starts_with(&ours));
    std::fs::write(&ours_path, &theirs).unwrap();

    add_item(&db, "acknowledged");
    let before = backup_bytes(&db);
    damage(&db);
    let new = dir.path().join("rebuilt");
    recover(&db, &new);
    assert!(liaison(&new, &["check"]).status.success());
    assert_eq!(backup_bytes(&new), before);
}

/// Kills at random moments of a loop of confirmed writes: after each (and the next write,
/// which cuts off what the database never flushed), the journal rebuilds the database to the
/// same bytes.
#[test]
fn after_kills_the_journal_rebuilds_the_same_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    assert!(liaison(&db, &["demo"]).status.success());
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..6u64 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_liaison-dev"))
            .env("LIAISON_LANG", "en")
            .arg("--db")
            .arg(&db)
            .args([
                "torture",
                "--seed",
                &round.to_string(),
                "--writes",
                "100000",
            ])
            .env_remove("LIAISON_DB")
            .env_remove("LIAISON_BACKUPS")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(std::time::Duration::from_millis(20 + rng % 60));
        child.kill().unwrap();
        child.wait().unwrap();
        let out = liaison(&db, &["settings", "--sla-low", "30"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let new = dir.path().join(format!("rebuilt-{round}"));
        let out = liaison(&db, &["recover", "--into", new.to_str().unwrap()]);
        assert!(out.status.success(), "round {round}: {}", stderr(&out));
        assert!(backup_bytes(&new) == backup_bytes(&db), "round {round}");
    }
}

/// An import's entries are written compressed (a large one each); `recover` brings the items
/// back all the same.
#[test]
fn an_imported_ledger_is_rebuilt_from_its_compressed_journal_entries() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger");
    assert!(liaison(&db, &["demo"]).status.success());
    let firm = first_firm(&db);
    let mut csv = String::from("企业名称,诉求,详情\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "{firm},导入的诉求 {i}：用地、用电,第 {i} 项详情\n"
        ));
    }
    let file = dir.path().join("ledger.csv");
    std::fs::write(&file, csv).unwrap();
    let out = liaison(&db, &["import", "issues", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let compressed = journals(&db)
        .iter()
        .flat_map(|j| journal::scan(&std::fs::read(j).unwrap()).entries)
        .filter(|(_, payload)| !payload.starts_with(b"["))
        .count();
    assert!(compressed >= 1, "no compressed entry");
    let before = backup_bytes(&db);
    damage(&db);

    let new = dir.path().join("rebuilt");
    recover(&db, &new);
    assert_eq!(backup_bytes(&new), before);
    let out = liaison(
        &new,
        &["issues", "list", "--filter", "导入的诉求", "--json"],
    );
    let items: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 300);
    assert!(liaison(&new, &["check"]).status.success());
}
