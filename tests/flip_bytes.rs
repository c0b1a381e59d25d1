//! Damage to the database's own files, one flipped byte at a time: for each, either the
//! database opens and `check` (or `check --repair`) finds it consistent, or `liaison recover`
//! rebuilds it from the automatic backup and the journal with every confirmed write. Each
//! outcome is counted. `cargo test` flips a few bytes; `scripts/flip-bytes.sh [FLIPS] [SEED]`
//! runs the long version (default 50).

mod common;

use common::{copy_dir, liaison, records_only, stderr};
use std::path::{Path, PathBuf};

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    liaison(db, args)
}

fn backup_of(db: &Path, file: &Path) -> Option<Vec<u8>> {
    let out = run(db, &["backup", file.to_str().unwrap()]);
    // A recovery starts the log again (see `records_only`): the records must be the same.
    out.status
        .success()
        .then(|| records_only(&std::fs::read(file).unwrap()))
}

/// Every file of the database directory, with its length.
fn files(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            out.extend(files(&entry.path()));
        } else {
            out.push((entry.path(), entry.metadata().unwrap().len()));
        }
    }
    out.sort();
    out
}

/// A database with a full automatic backup and journal entries after it.
fn original(root: &Path) -> (PathBuf, Vec<u8>) {
    let db = root.join("original").join("ledger");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let ok = |args: &[&str]| {
        let out = run(&db, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    // `demo` creates the database (settings refuses a directory without one); turning the
    // backups off and on again breaks its journal's chain, so that the first write after
    // writes a full backup.
    ok(&["demo", "--issues", "300", "--firms", "40", "--visits", "60"]);
    ok(&["settings", "--backups", "0"]);
    ok(&["settings", "--backups", "10"]);
    ok(&["settings", "--user", "值班员"]);
    let firm = "中山生物工程有限公司";
    for i in 0..5 {
        ok(&[
            "issues",
            "add",
            "--firm",
            firm,
            "--title",
            &format!("after the backup {i}"),
        ]);
    }
    let backups = root.join("original").join("ledger.backups");
    let full = std::fs::read_dir(&backups)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "jsonl")
        })
        .count();
    assert_eq!(full, 1, "one full automatic backup");
    let reference = backup_of(&db, &root.join("reference.jsonl")).unwrap();
    (db, reference)
}

#[derive(Debug, Default)]
struct Outcomes {
    /// Opens and `check` passes, holding everything.
    intact: u32,
    /// `check --repair` makes it consistent (possibly losing what a damaged record held).
    repaired: u32,
    /// Of those, how many lost something a recovery brings back.
    repaired_with_loss: u32,
    /// Cannot be made consistent in place; `recover` rebuilt everything.
    recovered: u32,
    /// Neither: a failure of this test.
    failed: Vec<String>,
}

fn flips(count: u64, seed: u64) -> Outcomes {
    let root = tempfile::tempdir().unwrap();
    let (db, reference) = original(root.path());
    let source = db.parent().unwrap().to_path_buf();
    let all = files(&db);
    let total: u64 = all.iter().map(|(_, len)| len).sum();
    let mut rng = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        | 1;
    let mut outcomes = Outcomes::default();
    for n in 0..count {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let mut offset = rng % total;
        let work = root.path().join(format!("flip-{n}"));
        copy_dir(&source, &work);
        let copy = work.join("ledger");
        let (file, at) = all
            .iter()
            .find_map(|(path, len)| {
                if offset < *len {
                    Some((copy.join(path.strip_prefix(&db).unwrap()), offset))
                } else {
                    offset -= len;
                    None
                }
            })
            .unwrap();
        let mut bytes = std::fs::read(&file).unwrap();
        bytes[at as usize] ^= 1 << (rng % 8);
        std::fs::write(&file, bytes).unwrap();
        let what = format!("{} at {at}", file.file_name().unwrap().to_string_lossy());

        let out_file = work.join("after.jsonl");
        let same = |db: &Path| backup_of(db, &out_file).as_deref() == Some(reference.as_slice());
        if run(&copy, &["check"]).status.success() && same(&copy) {
            outcomes.intact += 1;
            continue;
        }
        let repaired = run(&copy, &["check", "--repair"]).status.success();
        // Whatever the repair did, the backup and journal must bring back everything.
        let rebuilt = work.join("rebuilt");
        let recovered = run(&copy, &["recover", "--into", rebuilt.to_str().unwrap()]);
        let whole = recovered.status.success() && same(&rebuilt);
        match (repaired, whole) {
            (true, true) => {
                outcomes.repaired += 1;
                if !same(&copy) {
                    outcomes.repaired_with_loss += 1;
                }
            }
            (false, true) => outcomes.recovered += 1,
            (_, false) => outcomes
                .failed
                .push(format!("{what}: {}", stderr(&recovered))),
        }
        std::fs::remove_dir_all(&work).unwrap();
    }
    eprintln!(
        "{count} flips in {total} bytes of database files (seed {seed}): {} intact, {} made \
         consistent by check --repair ({} of them losing records that recover brought back), \
         {} rebuilt by recover, {} failed",
        outcomes.intact,
        outcomes.repaired,
        outcomes.repaired_with_loss,
        outcomes.recovered,
        outcomes.failed.len()
    );
    outcomes
}

#[test]
fn flipped_bytes_are_found_and_repaired_or_recovered() {
    let outcomes = flips(4, 11);
    assert!(outcomes.failed.is_empty(), "{:#?}", outcomes.failed);
}

/// `LIAISON_FLIPS=50 cargo test --release --test flip_bytes -- --ignored --nocapture`.
#[test]
#[ignore]
fn flipped_bytes_long() {
    let count = std::env::var("LIAISON_FLIPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let seed = std::env::var("LIAISON_FLIP_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let outcomes = flips(count, seed);
    assert!(outcomes.failed.is_empty(), "{:#?}", outcomes.failed);
}
