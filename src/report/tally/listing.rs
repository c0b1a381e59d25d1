//! What the brief lists of the items and visits the tallies' figures name by index: number,
//! firm and title kept per item, the department from the open stretch of the as-of day (the
//! items listed are overdue then, so open), an odd item's from its facts.

use super::{day, Day, Tallies};
use crate::report::brief::{ListedItem, Listing};
use crate::report::facts::VisitFacts;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;

/// The tallies' `Listing` for figures counted at one day.
pub struct Listed<'a> {
    t: &'a Tallies,
    at: Day,
    /// Each item open at `at` (not an odd one): its department then (numbered).
    departments: HashMap<u32, u16>,
}

impl Tallies {
    /// For figures counted at `at` (`Figures::as_of`): one pass over the open stretches,
    /// once per brief written.
    pub fn listing(&self, at: NaiveDate) -> Listed<'_> {
        let at = day(at);
        let departments = self
            .open
            .iter()
            .filter(|e| e.from <= at && at < e.until)
            .map(|e| (e.item, e.dept))
            .collect();
        Listed {
            t: self,
            at,
            departments,
        }
    }
}

impl Listing for Listed<'_> {
    fn item(&self, index: usize, at: NaiveDate) -> ListedItem<'_> {
        let t = self.t;
        let i = index as u32;
        let department = match t.odd.binary_search(&i) {
            Ok(k) => t.odd_facts[k].department.at(at).flatten(),
            Err(_) => {
                let on = day(at);
                let numbered = if on == self.at {
                    self.departments.get(&i).copied()
                } else {
                    // Asked of another day than prepared for: look for it (never in a brief).
                    (t.open.iter())
                        .find(|e| e.item == i && e.from <= on && on < e.until)
                        .map(|e| e.dept)
                };
                numbered.and_then(|d| t.departments[usize::from(d)])
            }
        };
        ListedItem {
            number: t.number[index],
            firm: t.firms[t.firm[index] as usize],
            title: Cow::Owned(t.titles.get(index)),
            department,
        }
    }

    fn visit(&self, index: usize) -> &VisitFacts {
        &self.t.visit_facts[index]
    }
}
