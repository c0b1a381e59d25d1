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
    let options = DemoOptions {
        firms: args.firms,
        visits: args.visits,
        issues: args.issues,
        seed: args.seed,
    };
    let seeded = seed(store, &options, super::now())?;
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
