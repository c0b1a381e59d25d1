use super::*;
use chrono::DateTime;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

const MIGRATED: &[u8] = b"test:migrated";

/// The schema the tests' own steps migrate from.
const OLD: u16 = SCHEMA_VERSION - 1;

/// A database of the current build whose `meta` says schema `OLD`, with one firm.
fn old_database(dir: &Path) -> (PathBuf, Id) {
    let db = dir.join("db");
    let store = Store::open(&db).unwrap();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    store.put_firm(&firm).unwrap();
    store.trees[META]
        .insert(META_SCHEMA, codec::encode(&OLD))
        .unwrap();
    store.flush().unwrap();
    (db, firm.id)
}

/// The copies taken before migrations in `backups`.
fn copies(backups: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(backups) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    found.sort();
    found
}

/// The schema version and the firms of a database, read with sled alone, so that opening
/// it does not migrate it.
fn raw(db: &Path) -> (u16, Vec<Firm>, bool) {
    let sled = sled::open(db).unwrap();
    let meta = sled.open_tree("meta").unwrap();
    let schema = codec::decode(&meta.get(META_SCHEMA).unwrap().unwrap()).unwrap();
    let firms = sled
        .open_tree("firms")
        .unwrap()
        .iter()
        .map(|e| codec::decode(&e.unwrap().1).unwrap())
        .collect();
    let migrated = meta.contains_key(MIGRATED).unwrap();
    (schema, firms, migrated)
}

/// The step an `OLD` database needs. It runs only after the copy exists.
fn step_from_old(store: &Store) -> Result<(), StoreError> {
    let backups = match &store.backups_dir {
        Some(dir) => dir.clone(),
        None => backups_beside(&store.path).unwrap(),
    };
    let copied = copies(&backups);
    assert_eq!(copied.len(), 1, "the copy is written before the first step");
    store.trees[META].insert(MIGRATED, codec::encode(&true))?;
    Ok(())
}

fn failing_step(_: &Store) -> Result<(), StoreError> {
    Err(StoreError::Engine("disk full".into()))
}

const STEPS: &[Migration] = &[Migration {
    from: OLD,
    run: step_from_old,
}];

#[test]
fn an_older_database_is_copied_then_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let (db, firm) = old_database(dir.path());
    let store = Store::open_migrating(&db, OpenOptions::default(), STEPS).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(store.trees[META].contains_key(MIGRATED).unwrap());
    assert_eq!(
        store.firm(firm).unwrap().unwrap().name,
        "中山生物工程有限公司"
    );
    assert!(store.check().unwrap().is_ok());
    drop(store);

    // The copy sits in DIR.backups beside the database and is the database as it was.
    let backups = dir.path().canonicalize().unwrap().join("db.backups");
    let copied = copies(&backups);
    assert_eq!(copied.len(), 1, "{copied:?}");
    let name = copied[0].file_name().unwrap().to_str().unwrap().to_string();
    assert!(
        name.starts_with(&format!("before-schema-v{OLD}-")),
        "{name}"
    );
    let (schema, firms, migrated) = raw(&copied[0]);
    assert_eq!(schema, OLD);
    assert_eq!(firms.len(), 1);
    assert_eq!(firms[0].id, firm);
    assert!(!migrated);

    // Reopening a migrated database copies nothing again.
    let store = Store::open_migrating(&db, OpenOptions::default(), &[]).unwrap();
    drop(store);
    assert_eq!(copies(&backups).len(), 1);
}

#[cfg(unix)]
#[test]
fn the_copy_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = old_database(dir.path());
    let backups = dir.path().join("elsewhere").join("backups");
    let options = OpenOptions {
        backups_dir: Some(backups.clone()),
        ..Default::default()
    };
    drop(Store::open_migrating(&db, options, STEPS).unwrap());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&backups), 0o700);
    let copied = copies(&backups);
    assert_eq!(copied.len(), 1);
    let mut files = 0;
    let mut stack = vec![copied[0].clone()];
    while let Some(dir) = stack.pop() {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
                files += 1;
            }
        }
    }
    assert!(files > 0);
}

#[test]
fn a_missing_step_or_a_copy_that_cannot_be_written_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = old_database(dir.path());

    let error = Store::open_migrating(&db, OpenOptions::default(), &[])
        .err()
        .unwrap();
    assert!(
        matches!(
            error,
            StoreError::NoMigration {
                found: OLD,
                from: OLD,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("cannot upgrade"), "{error}");
    assert!(!dir.path().join("db.backups").exists());

    // The backups directory cannot be made: a file stands in its way.
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, "not a directory").unwrap();
    let options = OpenOptions {
        backups_dir: Some(blocked.join("backups")),
        ..Default::default()
    };
    let error = Store::open_migrating(&db, options, STEPS).err().unwrap();
    assert!(
        matches!(error, StoreError::MigrationBackup { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("left unchanged"), "{error}");

    let (schema, firms, migrated) = raw(&db);
    assert_eq!((schema, firms.len(), migrated), (OLD, 1, false));
}

#[test]
fn a_failed_step_names_the_copy_and_runs_again_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let (db, firm) = old_database(dir.path());
    let failing = [Migration {
        from: OLD,
        run: failing_step,
    }];
    let error = Store::open_migrating(&db, OpenOptions::default(), &failing)
        .err()
        .unwrap();
    let StoreError::MigrationFailed { from, copy, reason } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*from, OLD);
    assert!(reason.contains("disk full"));
    assert!(error.to_string().contains(&copy.display().to_string()));
    assert_eq!(raw(copy).0, OLD);
    assert_eq!(
        raw(&db).0,
        OLD,
        "a failed step leaves the version as it was"
    );

    let store = Store::open_migrating(&db, OpenOptions::default(), STEPS_AFTER_FAILURE).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(store.firm(firm).unwrap().is_some());
    drop(store);
    // The second attempt took its own copy.
    assert_eq!(
        copies(&dir.path().canonicalize().unwrap().join("db.backups")).len(),
        2
    );
}

/// As `step_from_old`, for a database that already has one copy from a failed attempt.
fn step_after_failure(store: &Store) -> Result<(), StoreError> {
    store.trees[META].insert(MIGRATED, codec::encode(&true))?;
    Ok(())
}

const STEPS_AFTER_FAILURE: &[Migration] = &[Migration {
    from: OLD,
    run: step_after_failure,
}];

#[test]
fn a_current_database_is_neither_copied_nor_migrated() {
    fn never(_: &Store) -> Result<(), StoreError> {
        panic!("a current database has nothing to migrate")
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let steps = [Migration {
        from: 0,
        run: never,
    }];
    drop(Store::open_migrating(&db, OpenOptions::default(), &steps).unwrap());
    drop(Store::open_migrating(&db, OpenOptions::default(), &steps).unwrap());
    assert!(!dir.path().join("db.backups").exists());
}
