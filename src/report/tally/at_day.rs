//! What the items open on one day add to a period counted at that day: the open and overdue
//! counts, by category and department, by firm, and the overdue list. The same for every
//! period counted at that day (every current one is counted at today), so kept for the last
//! few days asked; the counts alone come from the stretches begun and ended by then.

use super::{day, Day, Tallies, NEVER};
use crate::report::figures::{as_of, OverdueItem};
use crate::report::Period;
use chrono::NaiveDate;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// How many days' counts are kept: today, the periods stepped through and those counted
/// ahead for the next key (the neighbours and the other kinds: up to six at once). Each
/// holds its overdue list (up to about 4 MiB at a million items), so the number is bounded.
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

/// Days counted at, most recently used last; and how many times figures waited for a day
/// to be counted (not kept): what tells a day counted ahead was not counted again.
#[derive(Debug, Default)]
pub(super) struct Kept {
    days: Mutex<Vec<Arc<AtDay>>>,
    waited: AtomicU64,
}

impl Kept {
    fn list(&self) -> MutexGuard<'_, Vec<Arc<AtDay>>> {
        // Counting cannot panic half-way through a change to the list; take it as it is.
        self.days
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The day's counts if kept, moved to the most recently used place.
    fn get(&self, at: Day) -> Option<Arc<AtDay>> {
        let mut list = self.list();
        let i = list.iter().position(|a| a.day == at)?;
        let hit = list.remove(i);
        list.push(hit.clone());
        Some(hit)
    }

    /// Keeps a day's counts (unless kept already), forgetting the least recently used.
    fn keep(&self, counted: Arc<AtDay>) {
        let mut list = self.list();
        if list.iter().any(|a| a.day == counted.day) {
            return;
        }
        list.push(counted);
        if list.len() > KEPT {
            list.remove(0);
        }
    }
}

/// One day's counts, made away from the tallies (`Tallies::count_day`, in a background
/// thread) and handed back to them (`Tallies::keep`).
#[derive(Debug, Clone)]
pub struct DayCounts(Arc<AtDay>);

impl DayCounts {
    pub fn day(&self) -> NaiveDate {
        from_day(self.0.day)
    }
}

fn from_day(d: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(d).expect("a day counted at is a date")
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
        if let Some(hit) = self.kept.get(at) {
            return hit;
        }
        self.kept.waited.fetch_add(1, Ordering::Relaxed);
        let counted = Arc::new(self.count_at(at));
        self.kept.keep(counted.clone());
        counted
    }

    /// The day `period`'s tables are counted at by one pass over the open stretches, when
    /// that day's counts are not kept: what is worth counting ahead of the key that shows
    /// it. `None` for a period after today (its open items are looked at one by one) and a
    /// day kept already.
    pub fn uncounted_day(&self, period: &Period, today: NaiveDate) -> Option<NaiveDate> {
        let at = as_of(period, today);
        if at < period.from || self.is_kept(at) {
            return None;
        }
        Some(at)
    }

    /// Whether the counts of `at` are kept (a period counted at it costs no pass).
    pub fn is_kept(&self, at: NaiveDate) -> bool {
        let at = day(at);
        self.kept.list().iter().any(|a| a.day == at)
    }

    /// Counts the items open at `at`, without keeping it (`keep` does): a background
    /// thread's work.
    pub fn count_day(&self, at: NaiveDate) -> DayCounts {
        DayCounts(Arc::new(self.count_at(day(at))))
    }

    /// Keeps counts made by `count_day` of these same tallies.
    pub fn keep(&self, counted: DayCounts) {
        self.kept.keep(counted.0);
    }

    /// How many times figures counted a day not kept (waited for its pass over the open
    /// stretches); the passes `count_day` makes are not among them.
    pub fn days_waited_for(&self) -> u64 {
        self.kept.waited.load(Ordering::Relaxed)
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
