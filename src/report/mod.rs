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

/// Where the facts read from the store go: kept whole (`Ledger`, the command line's one-shot
/// report) or added to the tallies and let go (`tally::Builder`, the Reports tab).
trait FactSink {
    fn item(&mut self, item: ItemFacts);
    fn visit(&mut self, visit: VisitFacts);
}

impl FactSink for Ledger {
    fn item(&mut self, item: ItemFacts) {
        self.items.push(item);
    }
    fn visit(&mut self, visit: VisitFacts) {
        self.visits.push(visit);
    }
}

impl FactSink for tally::Builder {
    fn item(&mut self, item: ItemFacts) {
        tally::Builder::item(self, &item);
    }
    fn visit(&mut self, visit: VisitFacts) {
        tally::Builder::visit(self, visit);
    }
}

/// Reads every item with its history and every visit into `sink`. Damaged records are left
/// out and returned, for the caller to mention.
fn read_facts(store: &Store, sink: &mut impl FactSink) -> Result<Vec<Damaged>, StoreError> {
    let mut damaged = Vec::new();
    store.each_issue_with_events(|read| {
        match read {
            Ok((issue, events)) => sink.item(ItemFacts::new(&issue, &events)),
            Err(d) => damaged.push(d),
        }
        Ok(())
    })?;
    store.each_visit(|read| {
        match read {
            Ok(visit) => sink.visit(VisitFacts::new(&visit)),
            Err(d) => damaged.push(d),
        }
        Ok(())
    })?;
    Ok(damaged)
}

impl Ledger {
    /// Reads every item with its history and every visit. Damaged records are left out and
    /// returned, for the caller to mention.
    pub fn load(store: &Store) -> Result<(Ledger, Vec<Damaged>), StoreError> {
        let mut ledger = Ledger::default();
        let damaged = read_facts(store, &mut ledger)?;
        Ok((ledger, damaged))
    }
}

impl Tallies {
    /// Reads every item with its history and every visit, as `Ledger::load` does, but keeps
    /// only the tallies: each item's facts are let go once added (the Reports tab).
    pub fn load(store: &Store) -> Result<(Tallies, Vec<Damaged>), StoreError> {
        let mut built = tally::Builder::new(store.counts()?.issues() as usize);
        let damaged = read_facts(store, &mut built)?;
        Ok((built.finish(), damaged))
    }
}
