//! A calendar month's raisings added up (by category, title word and tag), so a quarter or
//! a year adds a dozen sums instead of visiting a year's items (330,000 at a million).

use super::super::{day, Day, Tallies};
use super::Count;
use chrono::{Datelike, Months, NaiveDate};

/// The raisings of one calendar month: `raised[start..end]`.
#[derive(Debug)]
pub(in crate::report::tally) struct Month {
    first: Day,
    last: Day,
    start: usize,
    end: usize,
    /// By category: how many, and the first item (index) raised in it.
    categories: Vec<(u16, u64, u32)>,
    words: Vec<(u32, u32)>,
    tags: Vec<(u32, u32)>,
}

/// Counts by id in a dense array, handed out sparse.
fn sparse(counts: &mut [u32], touched: &mut Vec<u32>) -> Vec<(u32, u32)> {
    let list = touched
        .iter()
        .map(|id| (*id, counts[*id as usize]))
        .collect();
    for id in touched.drain(..) {
        counts[id as usize] = 0;
    }
    list
}

fn bump(counts: &mut [u32], touched: &mut Vec<u32>, id: u32) {
    if counts[id as usize] == 0 {
        touched.push(id);
    }
    counts[id as usize] += 1;
}

/// The months of the raisings, in order (`raised` sorted by day, words laid out by slot).
pub(in crate::report::tally) fn months(t: &Tallies) -> Vec<Month> {
    let mut months: Vec<Month> = Vec::new();
    let (mut words, mut tags) = (
        vec![0u32; t.words.names.len()],
        vec![0u32; t.tags.names.len()],
    );
    let (mut touched_words, mut touched_tags) = (Vec::new(), Vec::new());
    let mut start = 0;
    while start < t.raised.len() {
        let date = NaiveDate::from_num_days_from_ce_opt(t.raised[start].day).expect("a day");
        let first = date.with_day(1).expect("day 1");
        let last = day(first + Months::new(1)) - 1;
        let end = start + t.raised[start..].partition_point(|e| e.day <= last);
        let mut categories: Vec<(u16, u64, u32)> = Vec::new();
        for slot in start..end {
            let item = t.raised[slot].item;
            let c = t.category[item as usize];
            match categories.iter_mut().find(|(k, _, _)| *k == c) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 = entry.2.min(item);
                }
                None => categories.push((c, 1, item)),
            }
            for w in t.words.of(slot) {
                bump(&mut words, &mut touched_words, w);
            }
            for tag in t.tags.of(slot) {
                bump(&mut tags, &mut touched_tags, tag);
            }
        }
        months.push(Month {
            first: day(first),
            last,
            start,
            end,
            categories,
            words: sparse(&mut words, &mut touched_words),
            tags: sparse(&mut tags, &mut touched_tags),
        });
        start = end;
    }
    months
}

impl Tallies {
    /// The raisings in `from..=to`: whole months by their sums, the rest item by item.
    pub(super) fn count_raised(&self, count: &mut Count, from: Day, to: Day) {
        let first = self.raised.partition_point(|e| e.day < from);
        let end = self.raised.partition_point(|e| e.day <= to).max(first);
        if !count.tables() {
            count.h.raised += (end - first) as u64;
            return;
        }
        let mut slot = first;
        while slot < end {
            let month = &self.months[self.months.partition_point(|m| m.end <= slot)];
            if from <= month.first && month.last <= to {
                count.add_month(month);
                slot = month.end;
                continue;
            }
            for s in slot..month.end.min(end) {
                count.raised(self.raised[s].item, s);
            }
            slot = month.end.min(end);
        }
    }
}

impl Count<'_> {
    fn add_month(&mut self, month: &Month) {
        self.h.raised += (month.end - month.start) as u64;
        for (c, n, item) in &month.categories {
            let tally = &mut self.cats[usize::from(*c)];
            tally.first = tally.first.min(*item);
            tally.row.raised += n;
        }
        for (w, n) in &month.words {
            self.words[*w as usize] += n;
        }
        for (tag, n) in &month.tags {
            self.tags[*tag as usize] += n;
        }
    }
}
