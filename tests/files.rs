//! The database as files, through the binary: what sled leaves unfinished when killed or out
//! of space, a full disk, private modes whatever the umask, and outputs that would land on the
//! database's own files.

mod common;

use common::{copy_dir, liaison, seeded, stderr, stdout};
use std::path::{Path, PathBuf};

fn items_listed(db: &Path) -> usize {
    let out = liaison(db, &["issues", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .len()
}

// ---- snapshots sled left unfinished --------------------------------------------------------

#[test]
fn a_snapshot_left_half_written_is_removed_on_open_and_said_once() {
    let dir = seeded();
    let db = dir.path();
    // What a kill (or a full disk) while sled writes its snapshot on open leaves: sled 0.34.7
    // reads it as the newest snapshot and refuses the whole database.
    std::fs::write(db.join("snap.FFFFFFFFFFFFFFF0.generating"), b"").unwrap();
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("removed 1 unfinished snapshot file(s)")
            && said.contains("snap.FFFFFFFFFFFFFFF0.generating"),
        "{said}"
    );
    assert!(!db.join("snap.FFFFFFFFFFFFFFF0.generating").exists());
    // Once: the next command has nothing to say.
    let again = liaison(db, &["check"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(!stderr(&again).contains("snapshot"), "{}", stderr(&again));
    assert_eq!(items_listed(db), 20);

    // A finished snapshot that fails its checksum (lost by the file system after the rename)
    // and a half-written one with content: sled rebuilds both from its log.
    let finished = std::fs::read_dir(db)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
        })
        .expect("sled wrote a snapshot on open");
    let mut bytes = std::fs::read(&finished).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&finished, &bytes).unwrap();
    std::fs::write(
        db.join("snap.FFFFFFFFFFFFFFFF.generating"),
        &bytes[..middle],
    )
    .unwrap();
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("removed 2 unfinished snapshot file(s)"));
    assert_eq!(items_listed(db), 20);

    // sled's `conf`, cut short (it is written unsynced when the database is created): sled
    // writes it again.
    let conf = std::fs::read(db.join("conf")).unwrap();
    std::fs::write(db.join("conf"), &conf[..conf.len() / 2]).unwrap();
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(db.join("conf")).unwrap(), conf);
}

#[test]
fn nothing_is_removed_while_another_process_holds_the_database() {
    let dir = seeded();
    let db = dir.path();
    let store = liaison::store::Store::open(db).unwrap();
    // While a process holds it, a file named like debris may be sled writing its snapshot.
    let generating = db.join("snap.FFFFFFFFFFFFFFF0.generating");
    std::fs::write(&generating, b"").unwrap();
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("in use by another liaison process"));
    assert!(generating.exists(), "removed under another process's feet");
    drop(store);
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!generating.exists());
}

#[test]
fn the_app_is_told_about_removed_snapshots() {
    let dir = seeded();
    std::fs::write(dir.path().join("snap.FFFFFFFFFFFFFFF0.generating"), b"").unwrap();
    let store = liaison::store::Store::open(dir.path()).unwrap();
    let app = liaison::app::App::new(store, common::now()).unwrap();
    let message = app.message.as_ref().expect("a warning");
    assert!(
        message.text.contains("unfinished snapshot"),
        "{}",
        message.text
    );
}

// ---- private files -------------------------------------------------------------------------

/// Runs liaison under `umask 000`, as a careless shell would.
#[cfg(unix)]
fn liaison_umask_000(db: &Path, args: &[&str]) {
    let mut command = format!(
        "umask 000; exec '{}' --db '{}'",
        env!("CARGO_BIN_EXE_liaison"),
        db.display()
    );
    for arg in args {
        command.push_str(&format!(" '{arg}'"));
    }
    let out = std::process::Command::new("sh")
        .args(["-c", &command])
        .env_remove("LIAISON_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn every_file_and_directory_is_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new").join("db");
    let backup = dir.path().join("ledger.jsonl");
    let export = dir.path().join("items.csv");
    liaison_umask_000(&db, &["demo"]);
    liaison_umask_000(
        &db,
        &[
            "issues",
            "add",
            "--firm",
            "艾特网能技术有限公司",
            "--title",
            "新厂房用电增容",
        ],
    );
    liaison_umask_000(&db, &["check"]);
    liaison_umask_000(&db, &["backup", backup.to_str().unwrap()]);
    liaison_umask_000(&db, &["export", "issues", "-o", export.to_str().unwrap()]);

    let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
    let mut seen = Vec::new();
    let mut todo = vec![dir.path().join("new")];
    while let Some(path) = todo.pop() {
        if path.is_dir() {
            assert_eq!(mode(&path), 0o700, "{}", path.display());
            todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        seen.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    for name in ["conf", "db", "blobs", liaison::store::LOCK_FILE] {
        assert!(seen.iter().any(|s| s == name), "{name} in {seen:?}");
    }
    assert!(seen.iter().any(|s| s.starts_with("snap.")), "{seen:?}");
    assert_eq!(mode(&backup), 0o600);
    assert_eq!(mode(&export), 0o600);
}

// ---- outputs onto the database -------------------------------------------------------------

#[test]
fn backups_and_exports_never_land_on_the_database() {
    let dir = seeded();
    let db = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let in_db = |name: &str| db.join(name).to_str().unwrap().to_string();
    let dotted = outside
        .path()
        .join("..")
        .join(
            db.strip_prefix(outside.path().parent().unwrap())
                .unwrap_or(db),
        )
        .join("conf");
    let linked_dir = outside.path().join("linked");
    let linked_file = outside.path().join("linked-db");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(db, &linked_dir).unwrap();
        std::os::unix::fs::symlink(db.join("db"), &linked_file).unwrap();
    }
    let mut refused: Vec<(Vec<String>, PathBuf)> = vec![
        (vec!["backup".into(), in_db("db")], db.join("db")),
        (
            vec!["backup".into(), db.to_str().unwrap().into()],
            db.to_path_buf(),
        ),
        (
            vec!["backup".into(), in_db("new.jsonl")],
            db.join("new.jsonl"),
        ),
        (
            vec!["export".into(), "issues".into(), "-o".into(), in_db("conf")],
            db.join("conf"),
        ),
        (
            vec![
                "export".into(),
                "firms".into(),
                "-o".into(),
                in_db("blobs/x.csv"),
            ],
            db.join("blobs/x.csv"),
        ),
        (
            vec![
                "export".into(),
                "agenda".into(),
                "-o".into(),
                dotted.to_str().unwrap().into(),
            ],
            db.join("conf"),
        ),
    ];
    #[cfg(unix)]
    {
        refused.push((
            vec![
                "backup".into(),
                linked_dir.join("db").to_str().unwrap().into(),
            ],
            db.join("db"),
        ));
        refused.push((
            vec!["backup".into(), linked_file.to_str().unwrap().into()],
            db.join("db"),
        ));
    }
    for (args, _) in &refused {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = liaison(db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is inside the database at"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // sled's own file is still sled's (a backup would start with its JSON header).
    assert!(!std::fs::read(db.join("db")).unwrap().starts_with(b"{"));
    assert!(!db.join("new.jsonl").exists() && !db.join("blobs/x.csv").exists());
    // Nothing was left behind in the directory (no temporary file either).
    let left: Vec<String> = std::fs::read_dir(db)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // `.backups` is where the tests' helper puts the journal and backups of a database
        // that is a temporary directory's root.
        .filter(|name| !liaison::store::is_database_file(name) && name != ".backups")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(items_listed(db), 20);
    // Beside the database is fine.
    let beside = outside.path().join("ledger.jsonl");
    let out = liaison(db, &["backup", beside.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_app_refuses_to_export_into_the_database() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut screen = common::Screen::new(common::demo_store(&db), 120, 40);
    screen.keys("3").keys("E");
    screen.key_event(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    screen
        .type_text(db.join("db").to_str().unwrap())
        .key(KeyCode::Enter);
    let error = screen.app.form().expect("the form stays").fields[0]
        .error
        .clone()
        .unwrap_or_default();
    assert!(error.contains("is inside the database at"), "{error}");
    drop(screen);
    let out = liaison(&db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---- restore into someone's folder ---------------------------------------------------------

#[test]
fn restore_refuses_a_directory_holding_other_files() {
    let source = seeded();
    let backup = source.path().join("..").join(format!(
        "{}.jsonl",
        source.path().file_name().unwrap().to_string_lossy()
    ));
    let out = liaison(source.path(), &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("notes.txt"), "mine").unwrap();
    let out = liaison(folder.path(), &["restore", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("holds files that are not a liaison database (notes.txt)"),
        "{}",
        stderr(&out)
    );
    let entries: Vec<_> = std::fs::read_dir(folder.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "nothing of a database was created");

    // A new directory, and one a restore began in, are fine.
    let new = tempfile::tempdir().unwrap();
    let target = new.path().join("db");
    let out = liaison(&target, &["restore", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(&backup).unwrap();
}

// ---- a full disk ---------------------------------------------------------------------------

/// A tmpfs of `mib` MiB mounted on a temporary directory, unmounted when dropped; `None` (with
/// a notice) where this process may not mount one.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mib: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={mib}m,mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !mounted {
            eprintln!(
                "NOTICE: skipped the full-disk test: this process cannot mount a tmpfs \
                 (it needs root, as in CI)"
            );
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn grow(&self, mib: u32) {
        let out = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={mib}m")])
            .arg(self.dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .output();
    }
}

#[test]
fn a_full_disk_is_named_and_the_database_opens_again_once_there_is_room() {
    let Some(disk) = SmallDisk::mount(6) else {
        return;
    };
    let db = disk.dir.path().join("db");
    let add = |title: &str| {
        let out = liaison(
            &db,
            &[
                "issues",
                "add",
                "--firm",
                "艾特网能技术有限公司",
                "--title",
                title,
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    };
    let out = liaison(&db, &["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    add("满盘之前确认的诉求");

    // A ledger larger than the disk.
    let work = tempfile::tempdir().unwrap();
    let ledger = work.path().join("ledger.csv");
    let mut text = String::from("企业名称,诉求,详情\n");
    for n in 0..40_000 {
        text.push_str(&format!(
            "中山测试{}有限公司,诉求事项 {n}：用地、用电、用工,{}\n",
            n % 500,
            "企业反映的情况需协调".repeat(4)
        ));
    }
    std::fs::write(&ledger, text).unwrap();
    let out = liaison(&db, &["import", "issues", ledger.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let said = stderr(&out);
    assert!(
        // The database or its journal beside it, whichever met the full disk first.
        said.contains(&format!("the disk holding {}", disk.dir.path().display()))
            && said.contains(" is full: ")
            && said.contains("MiB free")
            && said.contains("items up to #21"),
        "{said}"
    );
    assert!(!said.contains("Os {"), "{said}");
    // Opening on the full disk says so too, and leaves nothing that stops the next open.
    let out = liaison(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is full"), "{}", stderr(&out));

    // Copied to a disk with room, and on the same disk once it has room: it opens, it is
    // consistent, and what was confirmed is there.
    let copy = work.path().join("copy");
    copy_dir(&db, &copy);
    disk.grow(64);
    for db in [&copy, &db] {
        // It opens and is consistent; the one problem `check` names is the import that met
        // the full disk and did not finish (running it again would finish it).
        let out = liaison(db, &["check"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let said = stdout(&out);
        assert_eq!(said.lines().count(), 1, "{said}");
        assert!(said.contains("unfinished"), "{said}");
        // What was confirmed before the disk filled is there.
        let store = liaison::store::Store::open(db).unwrap();
        let mut found = false;
        store
            .each_issue(|i| {
                found |= i.expect("no damage").title == "满盘之前确认的诉求";
                Ok(())
            })
            .unwrap();
        assert!(found);
        assert!(store.counts().unwrap().issues() >= 21);
    }
}
