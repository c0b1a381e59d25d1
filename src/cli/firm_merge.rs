//! `liaison firms merge FROM INTO`: two records of one firm made one.

use super::issues::{default_author, find_firm};
use super::{CliError, CliResult};
use crate::store::Store;
use clap::Args;

#[derive(Debug, Args)]
pub struct FirmsMergeArgs {
    /// The firm recorded twice, to merge away (name, pinyin or initials naming one firm)
    #[arg(value_name = "FROM")]
    pub from: String,
    /// The firm that keeps the visits, items and contacts
    #[arg(value_name = "INTO")]
    pub into: String,
}

pub fn run(store: &Store, args: FirmsMergeArgs) -> CliResult {
    // The search's messages name `--firm`; here the argument is FROM or INTO.
    let named = |text: &str, argument: &str| {
        find_firm(store, text).map_err(|e| match e {
            CliError::Input(m) => CliError::Input(m.replacen("--firm", argument, 1)),
            other => other,
        })
    };
    let from = named(&args.from, "FROM")?;
    let into = named(&args.into, "INTO")?;
    if from == into {
        return Err(CliError::Input(crate::messages::same_firm_twice(
            &args.from,
        )));
    }
    let author = store.user()?.unwrap_or_else(default_author);
    let merged = store.merge_firms(from, into, &author, super::now())?;
    let name = |id| {
        store
            .firm(id)
            .ok()
            .flatten()
            .map(|f| f.name)
            .unwrap_or_default()
    };
    say!(
        "{}",
        crate::messages::firms_merged_cli(
            &name(from),
            &name(into),
            merged.visits,
            merged.items,
            merged.contacts
        )
    );
    Ok(())
}
