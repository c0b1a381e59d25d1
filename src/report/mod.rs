//! Reports: the zone's overview for a period (issue 13). `facts` reads what each item and
//! visit needs once; `figures` counts a period from that, with no store, quickly enough to
//! step periods in the app; `brief` writes them as text, Markdown, CSV or JSON. The rules
//! of counting are in docs/reports.md.

pub mod brief;
pub mod data;
pub mod facts;
pub mod figures;
pub mod period;
pub mod tally;

pub use facts::{ItemFacts, Ledger, VisitFacts};
pub use figures::{figures, headline, Figures, Headline};
pub use period::{Period, PeriodKind};
pub use tally::{DayCounts, Tallies};

use crate::store::{Damaged, Store, StoreError};

impl Ledger {
    /// Reads every item with its history and every visit. Damaged records are left out and
    /// returned, for the caller to mention.
    pub fn load(store: &Store) -> Result<(Ledger, Vec<Damaged>), StoreError> {
        let mut ledger = Ledger::default();
        let mut damaged = Vec::new();
        store.each_issue_with_events(|read| {
            match read {
                Ok((issue, events)) => ledger.items.push(ItemFacts::new(&issue, &events)),
                Err(d) => damaged.push(d),
            }
            Ok(())
        })?;
        store.each_visit(|read| {
            match read {
                Ok(visit) => ledger.visits.push(VisitFacts::new(&visit)),
                Err(d) => damaged.push(d),
            }
            Ok(())
        })?;
        Ok((ledger, damaged))
    }
}

impl Tallies {
    /// Reads every item with its history and every visit, as `Ledger::load` does, but keeps
    /// only the tallies: each item's facts are let go once added (the Reports tab).
    pub fn load(store: &Store) -> Result<(Tallies, Vec<Damaged>), StoreError> {
        let mut built = tally::Builder::new(store.counts()?.issues() as usize);
        let mut damaged = Vec::new();
        store.each_issue_with_events(|read| {
            match read {
                Ok((issue, events)) => built.item(&ItemFacts::new(&issue, &events)),
                Err(d) => damaged.push(d),
            }
            Ok(())
        })?;
        store.each_visit(|read| {
            match read {
                Ok(visit) => built.visit(VisitFacts::new(&visit)),
                Err(d) => damaged.push(d),
            }
            Ok(())
        })?;
        Ok((built.finish(), damaged))
    }
}
