//! Which items a filter needs read (`issues list`, `export issues`). A filter's conditions all hold at
//! once, so one condition an index answers (an item number, overdue, open) bounds the items
//! read; the whole filter still runs on each of them. A word to find bounds them by the word
//! index (`Words`).

use super::{Check, Resolved};
use crate::model::Status;

/// The narrowest set of items an index gives for a filter, narrowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemSource {
    /// `#N`: one item through the number index.
    Number(u32),
    /// A word of two characters or more (`bounding_words`): the items holding all its
    /// character pairs, through the word index.
    Words,
    /// Open items due before today: one range of the due index.
    Overdue,
    /// Open items: the open half of the due index.
    Open,
    /// No condition an index answers: one walk over every item.
    All,
}

impl ItemSource {
    pub fn of(filter: &Resolved) -> ItemSource {
        filter
            .checks()
            .iter()
            .filter(|(negated, _)| !negated)
            .filter_map(|(_, check)| match check {
                Check::Number(n) => Some(ItemSource::Number(*n)),
                Check::Overdue => Some(ItemSource::Overdue),
                Check::Open | Check::DueWithin(_) | Check::DueThisWeek => Some(ItemSource::Open),
                Check::Status(list) if !list.contains(&Status::Closed) => Some(ItemSource::Open),
                Check::Text(needle) if needle.text().chars().count() >= 2 => {
                    Some(ItemSource::Words)
                }
                _ => None,
            })
            .min()
            .unwrap_or(ItemSource::All)
    }

    /// The words the word index bounds a filter by: those to find (a negated word bounds
    /// nothing) of two characters or more (one character has no pair to look up).
    pub fn bounding_words(filter: &Resolved) -> Vec<&str> {
        filter
            .checks()
            .iter()
            .filter_map(|(negated, check)| match check {
                Check::Text(needle) if !negated && needle.text().chars().count() >= 2 => {
                    Some(needle.text())
                }
                _ => None,
            })
            .collect()
    }

    /// Can a closed item pass? If not, the index's status skips it unread.
    pub fn open_only(self) -> bool {
        matches!(self, ItemSource::Overdue | ItemSource::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{parse, Names};

    fn source(text: &str) -> ItemSource {
        let names = Names {
            departments: Vec::new(),
            categories: Vec::new(),
            firms: &|_| std::collections::HashSet::new(),
            me: "",
            conflicted: &std::collections::HashSet::new(),
        };
        ItemSource::of(&parse(text).unwrap().resolve(&names).unwrap())
    }

    #[test]
    fn the_narrowest_condition_an_index_answers() {
        assert_eq!(source("用地"), ItemSource::Words);
        assert_eq!(source("用"), ItemSource::All);
        assert_eq!(source("-用地"), ItemSource::All);
        assert_eq!(source("status:open 用地"), ItemSource::Words);
        assert_eq!(source("status:open 用"), ItemSource::Open);
        assert_eq!(source("#3 用地"), ItemSource::Number(3));
        assert_eq!(source("status:new,answered"), ItemSource::Open);
        assert_eq!(source("status:closed"), ItemSource::All);
        assert_eq!(source("status:open overdue"), ItemSource::Overdue);
        assert_eq!(source("overdue #12"), ItemSource::Number(12));
        // A negated condition bounds nothing.
        assert_eq!(source("-overdue -#12"), ItemSource::All);
        assert!(!ItemSource::Number(3).open_only());
    }
}
