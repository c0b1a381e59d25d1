//! What the items open on one day add to a period counted at that day: the open and overdue
//! counts, by category and department, by firm, and the overdue list. The same for every
//! period counted at that day (every current one is counted at today), so kept for the last
//! few days asked; the counts alone come from the stretches begun and ended by then.

use super::{Day, Tallies, NEVER};
use crate::report::figures::OverdueItem;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many days' counts are kept: today, and a few periods stepped through.
const KEPT: usize = 8;

#[derive(Debug)]
pub(super) struct AtDay {
    pub day: Day,
    pub open: u64,
    pub overdue: u64,
    /// By category: the first item (index) open in it, how many open, how many overdue.
    pub categories: Vec<(u32, u64, u64)>,
    /// By department: the first item overdue in it, how many.
    pub departments: Vec<(u32, u64)>,
    /// Open items by firm.
    pub firms: Vec<u32>,
    /// Most days overdue first (by due date, then number and index).
    pub list: Arc<Vec<OverdueItem>>,
}

/// Days counted at, most recent last.
#[derive(Debug, Default)]
pub(super) struct Kept(Mutex<Vec<Arc<AtDay>>>);

impl Kept {
    fn list(&self) -> MutexGuard<'_, Vec<Arc<AtDay>>> {
        // Counting cannot panic half-way through a change to the list; take it as it is.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// How many stretches are running at the end of each day on which one began or ended: the
/// number open (or overdue) on any day is the one at the last such day by then. A few
/// thousand days, where the stretches' own ends were millions.
#[derive(Debug, Default)]
pub(super) struct Steps {
    days: Vec<Day>,
    running: Vec<u64>,
}

impl Steps {
    /// From the days stretches begin and end (each unsorted; `NEVER`: does not end).
    fn new(mut from: Vec<Day>, mut until: Vec<Day>) -> Steps {
        from.sort_unstable();
        until.sort_unstable();
        let mut steps = Steps::default();
        let (mut f, mut u, mut running) = (0, 0, 0u64);
        loop {
            let next = match (from.get(f), until.get(u)) {
                (Some(a), Some(b)) => *a.min(b),
                (Some(a), None) => *a,
                (None, Some(b)) => *b,
                (None, None) => break,
            };
            if next == NEVER {
                break;
            }
            while from.get(f) == Some(&next) {
                running += 1;
                f += 1;
            }
            while until.get(u) == Some(&next) {
                running -= 1;
                u += 1;
            }
            steps.days.push(next);
            steps.running.push(running);
        }
        steps.days.shrink_to_fit();
        steps.running.shrink_to_fit();
        steps
    }

    fn at(&self, day: Day) -> u64 {
        let after = self.days.partition_point(|d| *d <= day);
        after.checked_sub(1).map_or(0, |i| self.running[i])
    }
}

/// The open and the overdue stretches, counted by day (`Steps`).
#[derive(Debug, Default)]
pub(super) struct Ends {
    open: Steps,
    overdue: Steps,
}

impl Ends {
    pub fn new(tallies: &Tallies) -> Ends {
        let (mut open_from, mut open_until) = (Vec::new(), Vec::new());
        let (mut overdue_from, mut overdue_until) = (Vec::new(), Vec::new());
        for e in &tallies.open {
            open_from.push(e.from);
            open_until.push(e.until);
            // Overdue from the day after the due date, while open.
            if e.due != NEVER {
                let from = e.from.max(e.due.saturating_add(1));
                if from < e.until {
                    overdue_from.push(from);
                    overdue_until.push(e.until);
                }
            }
        }
        Ends {
            open: Steps::new(open_from, open_until),
            overdue: Steps::new(overdue_from, overdue_until),
        }
    }
}

impl Tallies {
    /// Open and overdue at the end of `at` (odd items aside).
    pub(super) fn open_on(&self, at: Day) -> (u64, u64) {
        (self.ends.open.at(at), self.ends.overdue.at(at))
    }

    pub(super) fn at_day(&self, at: Day) -> Arc<AtDay> {
        if let Some(hit) = self.kept.list().iter().find(|a| a.day == at) {
            return hit.clone();
        }
        let counted = Arc::new(self.count_at(at));
        let mut list = self.kept.list();
        list.push(counted.clone());
        if list.len() > KEPT {
            list.remove(0);
        }
        counted
    }

    fn count_at(&self, at: Day) -> AtDay {
        let mut a = AtDay {
            day: at,
            open: 0,
            overdue: 0,
            categories: vec![(u32::MAX, 0, 0); self.categories.len()],
            departments: vec![(u32::MAX, 0); self.departments.len()],
            firms: vec![0; self.firms.len()],
            list: Arc::default(),
        };
        let mut list = Vec::new();
        for e in &self.open {
            if e.from <= at && at < e.until {
                let overdue = e.due < at;
                a.open += 1;
                a.overdue += u64::from(overdue);
                let c = &mut a.categories[usize::from(self.category[e.item as usize])];
                c.0 = c.0.min(e.item);
                c.1 += 1;
                c.2 += u64::from(overdue);
                a.firms[self.firm[e.item as usize] as usize] += 1;
                if overdue {
                    let d = &mut a.departments[usize::from(e.dept)];
                    d.0 = d.0.min(e.item);
                    d.1 += 1;
                    list.push(OverdueItem {
                        index: e.item as usize,
                        days: i64::from(at - e.due),
                    });
                }
            }
        }
        a.list = Arc::new(list);
        a
    }
}
