//! An item's whole history as one value: the tree `issue_history` holds one `History` per item
//! that has events, under the item's id. sled keeps about one page per eight keys in memory
//! and its open time grows with the number of keys, so one key per item rather than one per
//! event (5.5 M of a million-item ledger's 11.6 M keys) is what keeps a large ledger quick to
//! open (docs/performance.md).

use crate::model::{Change, Id, IssueEvent};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Derived from the events: the responses, lower-cased, one per line, in event order
    /// (`response_text` of each event, joined). It comes first so that the text search reads
    /// it alone (`codec::decode_leading`) without decoding the events.
    pub responses: String,
    /// Sorted by id, which is time order; each id once.
    pub events: Vec<IssueEvent>,
}

impl History {
    /// The history of these events, sorted, with its responses.
    pub fn new(mut events: Vec<IssueEvent>) -> History {
        events.sort_by_key(|e| e.id);
        History {
            responses: responses_of(&events),
            events,
        }
    }

    /// Adds an event in its place by id, or replaces the one with its id. True when it was
    /// added. `responses` is left to `refresh`.
    pub(super) fn upsert(&mut self, event: IssueEvent) -> bool {
        match self.events.binary_search_by_key(&event.id, |e| e.id) {
            Ok(at) => {
                self.events[at] = event;
                false
            }
            Err(at) => {
                self.events.insert(at, event);
                true
            }
        }
    }

    /// Is an event with this id in the history?
    pub(super) fn contains(&self, event: Id) -> bool {
        self.events.binary_search_by_key(&event, |e| e.id).is_ok()
    }

    /// Sets `responses` from the events.
    pub(super) fn refresh(&mut self) {
        self.responses = responses_of(&self.events);
    }

    /// The first event that is out of id order or repeats an id, and which of the two.
    pub(super) fn disorder(&self) -> Option<(Id, &'static str)> {
        self.events.windows(2).find_map(|pair| {
            if pair[0].id == pair[1].id {
                Some((pair[1].id, "appears twice"))
            } else if pair[0].id > pair[1].id {
                Some((pair[1].id, "is out of id order"))
            } else {
                None
            }
        })
    }
}

/// The responses of these events as `History::responses` holds them.
pub(super) fn responses_of(events: &[IssueEvent]) -> String {
    events.iter().filter_map(response_text).collect()
}

/// What an event adds to its item's searchable response text.
pub(super) fn response_text(event: &IssueEvent) -> Option<String> {
    match &event.change {
        Change::Response { text, .. } => Some(format!("{}\n", text.to_lowercase())),
        _ => None,
    }
}
