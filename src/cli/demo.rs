use super::args::DemoArgs;
use super::{CliError, CliResult};
use crate::demo::{seed, DemoOptions};
use crate::store::Store;
use std::time::Instant;

pub fn run(store: &Store, args: DemoArgs) -> CliResult {
    if !store.counts()?.is_empty() {
        if !args.force {
            return Err(CliError::Input(format!(
                "the database at {} is not empty; add --force to replace its contents with the demo",
                store.path().display()
            )));
        }
        store.clear()?;
    }
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
    eprintln!(
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
    let scratch = tempfile::Builder::new()
        .prefix(".liaison-demo-")
        .tempdir_in(&parent)?;
    let generated = Store::open(scratch.path())?;
    let seeded = seed(&generated, options, super::now())?;
    let copying = Instant::now();
    let records = generated.copy_into_empty(store)?;
    eprintln!(
        "packed {records} records in key order in {:.1} s",
        copying.elapsed().as_secs_f64()
    );
    Ok(seeded)
}
