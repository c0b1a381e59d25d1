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
