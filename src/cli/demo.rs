use super::args::DemoArgs;
use super::{CliError, CliResult};
use crate::demo::{seed, DemoOptions};
use crate::store::{Operation, Store, Unfinished};
use std::time::Instant;

pub fn run(store: &Store, args: DemoArgs) -> CliResult {
    let mark = Unfinished::new(Operation::Demo, None);
    // Half a demo (a killed one) is replaced without --force: it is nobody's data.
    let interrupted = store
        .unfinished()?
        .is_some_and(|m| m.operation == Operation::Demo);
    if !store.counts()?.is_empty() || interrupted {
        if !args.force && !interrupted {
            return Err(CliError::Input(crate::messages::demo_not_empty(
                &store.path().display().to_string(),
            )));
        }
        // Marked before emptying, so that a kill while emptying is not mistaken for data.
        store.mark_unfinished(&mark)?;
        store.clear()?;
    }
    store.mark_unfinished(&mark)?;
    let started = Instant::now();
    let (firms, visits, issues) = args.size.map(|s| s.counts()).unwrap_or_default();
    let or = |given: usize, sized: usize| if given > 0 { given } else { sized };
    let options = DemoOptions {
        firms: or(args.firms, firms),
        visits: or(args.visits, visits),
        issues: or(args.issues, issues),
        seed: args.seed,
    };
    let seeded = if options.issues > PACK_FROM {
        seed_packed(store, &options)?
    } else {
        seed(store, &options, super::now())?
    };
    store.clear_unfinished()?;
    esay!(
        "seeded {} firms, {} visits, {} items in {:.1} s into {}",
        seeded.firms,
        seeded.visits,
        seeded.issues,
        started.elapsed().as_secs_f64(),
        store.path().display()
    );
    Ok(())
}

/// From this many items on, the data is generated into a scratch database beside the target
/// and then copied into it in key order, which takes about half the room on disk.
const PACK_FROM: usize = 20_000;

fn seed_packed(store: &Store, options: &DemoOptions) -> Result<crate::demo::Seeded, CliError> {
    let parent = store
        .path()
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    remove_stale_scratch(&parent);
    let scratch = tempfile::Builder::new()
        .prefix(SCRATCH_PREFIX)
        .tempdir_in(&parent)?;
    let generated = Store::open(scratch.path())?;
    let seeded = crate::demo::seed_scratch(&generated, options, super::now())?;
    let copying = Instant::now();
    let records = generated.copy_into_empty(store)?;
    esay!(
        "packed {records} records in key order in {:.1} s",
        copying.elapsed().as_secs_f64()
    );
    Ok(seeded)
}

const SCRATCH_PREFIX: &str = ".liaison-demo-";

/// A `demo` that was killed leaves its scratch database behind (a temporary directory is
/// removed only when the process ends normally). One untouched for a day is no other demo's
/// work in progress (the large size takes minutes), so it goes.
fn remove_stale_scratch(parent: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(SCRATCH_PREFIX));
        if ours && stale && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_day_old_scratch_database_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".liaison-demo-old");
        let fresh = dir.path().join(".liaison-demo-fresh");
        let other = dir.path().join("ledger");
        for d in [&old, &fresh, &other] {
            std::fs::create_dir(d).unwrap();
        }
        let two_days_ago =
            std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
        for d in [&old, &other] {
            std::fs::File::open(d)
                .unwrap()
                .set_modified(two_days_ago)
                .unwrap();
        }
        remove_stale_scratch(dir.path());
        assert!(!old.exists());
        assert!(fresh.exists(), "another demo may still be writing it");
        assert!(other.exists(), "not ours");
    }
}
