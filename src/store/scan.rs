//! Every item with its whole history in one pass over the two trees (grouped alike, so their
//! walks come in the same order): what the reports read, without one look-up per item.

use super::history::History;
use super::{codec, key_text, records, Damaged, Store, StoreError, HISTORY, ISSUES, TREE_NAMES};
use crate::model::{Issue, IssueEvent};

impl Store {
    /// Each item and its events (oldest first). An item or a history that cannot be decoded
    /// is visited as damaged (the item then without its history).
    pub fn each_issue_with_events(
        &self,
        mut visit: impl FnMut(Result<(Issue, Vec<IssueEvent>), Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut histories = self.record_entries(HISTORY).peekable();
        for entry in self.record_entries_reporting(ISSUES) {
            let (key, value) = entry?;
            if let Some(damaged) = self.damaged_group(ISSUES, &key) {
                visit(Err(damaged))?;
                continue;
            }
            let mut events = Ok(Vec::new());
            while let Some(Ok((history_key, _))) = histories.peek() {
                if records::walk_order(history_key) < records::walk_order(&key) {
                    histories.next();
                    continue;
                }
                if *history_key == key {
                    if let Some(Ok((_, bytes))) = histories.next() {
                        events =
                            codec::decode::<History>(&bytes)
                                .map(|h| h.events)
                                .map_err(|error| Damaged {
                                    tree: TREE_NAMES[HISTORY],
                                    key: key_text(&key),
                                    error,
                                });
                    }
                }
                break;
            }
            let issue = codec::decode::<Issue>(&value).map_err(|error| Damaged {
                tree: TREE_NAMES[ISSUES],
                key: key_text(&key),
                error,
            });
            match (issue, events) {
                (Ok(issue), Ok(events)) => visit(Ok((issue, events)))?,
                (Err(damaged), _) | (_, Err(damaged)) => visit(Err(damaged))?,
            }
        }
        Ok(())
    }
}
