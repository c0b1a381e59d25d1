//! The queue's items in a compact form. A zone keeps years of items — a million is the size
//! this must handle — so an item in memory is a fixed 36-byte record of small numbers plus its
//! title in one shared text buffer, instead of an `Issue` with its strings (hundreds of bytes
//! and several allocations each). Firms, departments, categories and owners are stored once
//! and referred to by position.

use super::positions::Positions;
use crate::model::{Id, Issue, IssueSummary, Moment, Priority, Status};
use crate::query::{Check, DateField, Item, Needle, Resolved, SortKey};
use chrono::{Datelike, NaiveDate};
use code::TitleCode;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// Values stored once and referred to by a small number.
#[derive(Debug)]
struct Interner<T> {
    values: Vec<T>,
    positions: HashMap<T, u32, foldhash::fast::RandomState>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            values: Vec::new(),
            positions: HashMap::default(),
        }
    }
}

impl<T: Hash + Eq + Clone> Interner<T> {
    /// Looked up by a borrowed form (an owner's `&str`), so that a value already held is
    /// not allocated again.
    fn intern<Q>(&mut self, value: &Q) -> u32
    where
        T: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = T> + ?Sized,
    {
        if let Some(p) = self.positions.get(value) {
            return *p;
        }
        let p = self.values.len() as u32;
        self.values.push(value.to_owned());
        self.positions.insert(value.to_owned(), p);
        p
    }
}

const NO_DUE: i32 = i32::MIN;

/// `Packed::due` or `closed` of an item without the day.
const NO_DAY: i16 = i16::MIN;
/// `Packed::due` or `closed` of a day too far from `created`'s: it is in `Table::odd_days`.
const ODD_DAY: i16 = i16::MIN + 1;

/// `Packed::raised_after_created` when the day raised lies more than 127 days from the day of
/// `created` (a time stamp beyond what 32-bit minutes hold): it is in `Table::odd_raised`.
const ODD_RAISED: i8 = i8::MIN;

/// One item: what filtering, sorting, counting and drawing a row need. 36 bytes (a million
/// rows are 34 MiB): the status, priority and three flags share a byte, the days raised, due
/// and closed are kept as their distances from the day of `created`, and the lower-cased
/// title lies right after the title.
#[derive(Debug, Clone, Copy)]
struct Packed {
    number: u32,
    firm: u32,
    /// Minutes since 1970, enough to order by age and last change.
    created: i32,
    updated: i32,
    /// Where the title's code (`TitleCode`) starts in `titles`; the code of its lower-cased
    /// copy, when lower-casing changes it (not for Chinese text), follows it there
    /// (`Flags::LOWERED`).
    title_at: u32,
    /// 0 = none, else position + 1.
    department: u16,
    category: u16,
    owner: u16,
    /// Its tags, as the position + 1 of the list in `tag_sets` (0 = none): few lists recur.
    tags: u16,
    title_len: u16,
    /// The day due (`day_number`) less the day `created` falls on in UTC, or `NO_DAY`, or
    /// `ODD_DAY` (more than 89 years apart: the day is in `Table::odd_days`).
    due: i16,
    /// The day it was last closed (`NO_DAY` while open), likewise.
    closed: i16,
    flags: Flags,
    /// The day it was raised (its local date) less the day `created` falls on in UTC: -1, 0
    /// or 1 but for odd time stamps, which are `ODD_RAISED`.
    raised_after_created: i8,
}

/// The status (3 bits), the priority (2 bits), raised in a visit, awaiting its call, and
/// whether a lower-cased copy follows the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Flags(u8);

impl Flags {
    const VISIT: u8 = 1 << 5;
    /// Closed and its follow-up call not made (`Issue::awaiting_call`).
    const AWAITING_CALL: u8 = 1 << 6;
    /// The title's lower-cased copy (its code as long) follows it in `titles`.
    const LOWERED: u8 = 1 << 7;

    fn new(
        status: Status,
        priority: Priority,
        visit: bool,
        awaiting_call: bool,
        lowered: bool,
    ) -> Flags {
        let mut bits = status as u8 | (priority as u8) << 3;
        for (on, bit) in [
            (visit, Flags::VISIT),
            (awaiting_call, Flags::AWAITING_CALL),
            (lowered, Flags::LOWERED),
        ] {
            if on {
                bits |= bit;
            }
        }
        Flags(bits)
    }

    /// The status's place in `Status::ALL`.
    fn status_index(self) -> usize {
        usize::from(self.0 & 7)
    }

    fn status(self) -> Status {
        Status::ALL[self.status_index()]
    }

    /// The priority's place in `Priority::ALL`.
    fn priority_index(self) -> usize {
        usize::from((self.0 >> 3) & 3)
    }

    fn priority(self) -> Priority {
        Priority::ALL[self.priority_index()]
    }

    fn visit(self) -> bool {
        self.0 & Flags::VISIT != 0
    }

    fn awaiting_call(self) -> bool {
        self.0 & Flags::AWAITING_CALL != 0
    }

    fn lowered(self) -> bool {
        self.0 & Flags::LOWERED != 0
    }

    fn with_lowered(self, lowered: bool) -> Flags {
        match lowered {
            true => Flags(self.0 | Flags::LOWERED),
            false => Flags(self.0 & !Flags::LOWERED),
        }
    }
}

/// The day (`day_number`) a time given in minutes since 1970 falls on in UTC.
fn utc_day(minutes: i32) -> i32 {
    // 0001-01-01 is day 1; 1970-01-01 is day 719,163.
    minutes.div_euclid(24 * 60) + 719_163
}

impl Packed {
    /// Where the lower-cased title starts in `titles` (the title itself when lower-casing
    /// changes nothing).
    fn lowered_at(&self) -> u32 {
        if self.flags.lowered() {
            self.title_at + u32::from(self.title_len)
        } else {
            self.title_at
        }
    }
}

/// A day as `day_number` (or `NO_DUE`) kept as its distance from `from` where that fits.
fn day_from(day: i32, from: i32) -> i16 {
    if day == NO_DUE {
        return NO_DAY;
    }
    i16::try_from(i64::from(day) - i64::from(from))
        .ok()
        .filter(|d| *d > ODD_DAY)
        .unwrap_or(ODD_DAY)
}

fn date_of(day: i32) -> Option<NaiveDate> {
    (day != NO_DUE)
        .then(|| NaiveDate::from_num_days_from_ce_opt(day))
        .flatten()
}

fn minutes(time: &Moment) -> i32 {
    (time.seconds / 60).clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// Whether `str::to_lowercase` would return `text` as it is, decided without building the
/// lower-cased copy for the common titles: ASCII without capitals and Chinese (uncased).
/// `false` means "not known": the caller lower-cases.
fn lowercase_changes_nothing(text: &str) -> bool {
    text.chars().all(|c| match c {
        '\0'..='\x7f' => !c.is_ascii_uppercase(),
        // CJK symbols and punctuation, extension A, unified ideographs, full-width
        // punctuation before the full-width capitals (U+FF21).
        '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' => true,
        '\u{ff01}'..='\u{ff20}' => true,
        _ => false,
    })
}

fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// An item as the screens and tests see it, built on demand for the rows on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: Id,
    pub number: u32,
    pub firm: Id,
    pub raised_in_visit: bool,
    pub department: Option<Id>,
    pub category: Option<Id>,
    pub priority: Priority,
    pub status: Status,
    pub due: Option<NaiveDate>,
    /// Minutes since 1970.
    pub created: i32,
    pub updated: i32,
    pub owner: String,
    pub title: String,
    pub tags: Vec<String>,
}

impl Row {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }
}

/// Open / overdue / unassigned, kept up to date item by item rather than recounted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub open: usize,
    pub overdue: usize,
    pub unassigned: usize,
    /// Overdue items per firm, for the Firms card and the Agenda.
    pub overdue_by_firm: HashMap<Id, usize>,
}

#[derive(Debug, Default)]
pub struct Table {
    ids: Vec<Id>,
    rows: Vec<Packed>,
    /// Every title's code, each followed by its lower-cased copy's where that differs.
    titles: Vec<u8>,
    /// The code of `titles`.
    code: TitleCode,
    /// The titles whose lower-cased copy's code came out of another length than theirs (a
    /// rare letter met late), by `title_at`: `titles` holds only the lower-cased copy.
    odd_titles: HashMap<u32, String>,
    firms: Interner<Id>,
    departments: Interner<Id>,
    categories: Interner<Id>,
    owners: Interner<String>,
    tag_sets: Interner<Vec<String>>,
    /// Position + 1 of each item by its number; 0 = no such item.
    by_number: Vec<u32>,
    /// Positions of the items whose number an item of another ledger held first (numbers
    /// are per ledger: a merged ledger's #22 is quoted as CODE-22). Few, so a map.
    others: HashMap<Id, u32>,
    /// The days raised of the rows whose `raised_after_created` is `ODD_RAISED`, by position.
    odd_raised: HashMap<u32, i32>,
    /// The days due and closed of the rows where either is `ODD_DAY`, by position.
    odd_days: HashMap<u32, (i32, i32)>,
    /// Words found in items' details, resolutions and responses (which are not kept here):
    /// per word, a bit per row (numbers are per ledger, so two rows may share one).
    deep: Vec<(String, Vec<u64>)>,
}

/// Does an item's text beyond its title (detail, resolution, responses) hold `needle`?
pub fn deep_text_holds(issue: &Issue, responses: &str, needle: &str) -> bool {
    issue.detail.to_lowercase().contains(needle)
        || issue
            .resolution
            .as_ref()
            .is_some_and(|r| r.text.to_lowercase().contains(needle))
        || responses.contains(needle)
}

fn set_bit(bits: &mut Vec<u64>, number: u32, on: bool) {
    let (word, bit) = (number as usize / 64, number % 64);
    if bits.len() <= word {
        if !on {
            return;
        }
        bits.resize(word + 1, 0);
    }
    if on {
        bits[word] |= 1 << bit;
    } else {
        bits[word] &= !(1 << bit);
    }
}

fn bit(bits: &[u64], number: u32) -> bool {
    bits.get(number as usize / 64)
        .is_some_and(|w| w & (1 << (number % 64)) != 0)
}

impl Table {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn id(&self, position: usize) -> Id {
        self.ids[position]
    }

    pub fn number(&self, position: usize) -> u32 {
        self.rows[position].number
    }

    /// Where the item with this number is kept.
    pub fn position_of_number(&self, number: u32) -> Option<usize> {
        match self.by_number.get(number as usize) {
            Some(p) if *p > 0 => Some(*p as usize - 1),
            _ => None,
        }
    }

    #[cfg(test)]
    pub fn title(&self, position: usize) -> String {
        self.title_of(&self.rows[position])
    }

    fn title_of(&self, p: &Packed) -> String {
        if !self.odd_titles.is_empty() {
            if let Some(title) = self.odd_titles.get(&p.title_at) {
                return title.clone();
            }
        }
        let at = p.title_at as usize;
        self.code
            .decode(&self.titles[at..at + p.title_len as usize])
    }

    /// The code of the lower-cased title.
    fn lowered_title(&self, p: &Packed) -> &[u8] {
        let at = p.lowered_at() as usize;
        &self.titles[at..at + p.title_len as usize]
    }

    #[cfg(test)]
    fn lowered_text(&self, p: &Packed) -> String {
        self.code.decode(self.lowered_title(p))
    }

    fn tags_of(&self, p: &Packed) -> &[String] {
        match p.tags {
            0 => &[],
            n => &self.tag_sets.values[n as usize - 1],
        }
    }

    pub fn row(&self, position: usize) -> Row {
        let p = &self.rows[position];
        Row {
            id: self.ids[position],
            number: p.number,
            firm: self.firms.values[p.firm as usize],
            raised_in_visit: p.flags.visit(),
            department: optional(&self.departments, p.department),
            category: optional(&self.categories, p.category),
            priority: p.flags.priority(),
            status: p.flags.status(),
            due: date_of(self.due(position, p)),
            created: p.created,
            updated: p.updated,
            owner: self.owners.values[p.owner as usize].clone(),
            title: self.title_of(p),
            tags: self.tags_of(p).to_vec(),
        }
    }

    /// The day the row at `position` was raised, as `day_number`.
    fn raised(&self, position: usize, p: &Packed) -> i32 {
        if p.raised_after_created == ODD_RAISED {
            self.odd_raised
                .get(&(position as u32))
                .copied()
                .unwrap_or(NO_DUE)
        } else {
            utc_day(p.created) + i32::from(p.raised_after_created)
        }
    }

    /// The day due as `day_number`, or `NO_DUE`.
    fn due(&self, position: usize, p: &Packed) -> i32 {
        self.day(position, p, p.due, |(due, _)| due)
    }

    /// The day last closed as `day_number`, or `NO_DUE` while open.
    fn closed(&self, position: usize, p: &Packed) -> i32 {
        self.day(position, p, p.closed, |(_, closed)| closed)
    }

    fn day(&self, position: usize, p: &Packed, kept: i16, odd: fn((i32, i32)) -> i32) -> i32 {
        match kept {
            NO_DAY => NO_DUE,
            ODD_DAY => self
                .odd_days
                .get(&(position as u32))
                .copied()
                .map_or(NO_DUE, odd),
            d => utc_day(p.created) + i32::from(d),
        }
    }

    fn is_overdue(&self, position: usize, p: &Packed, today: i32) -> bool {
        if !p.flags.status().is_open() || p.due == NO_DAY {
            return false;
        }
        self.due(position, p) < today
    }

    /// Adds an item, or replaces the one with the same number. Returns its position and, for
    /// a replaced item, the row it had.
    pub fn upsert(&mut self, issue: &Issue) -> (usize, Option<Row>) {
        let (packed, odd) = self.pack(&issue.summary());
        let (position, old) = self.put(issue.id, packed);
        self.set_odd(position, odd);
        (position, old)
    }

    /// Where the item `id` (numbered `number`) is.
    pub fn position_of(&self, id: Id, number: u32) -> Option<usize> {
        match self.position_of_number(number) {
            Some(position) if self.ids[position] == id => Some(position),
            _ => self.others.get(&id).map(|p| *p as usize),
        }
    }

    fn put(&mut self, id: Id, packed: Packed) -> (usize, Option<Row>) {
        match self.position_of(id, packed.number) {
            Some(position) => {
                let old = self.row(position);
                self.rows[position] = packed;
                self.ids[position] = id;
                (position, Some(old))
            }
            None => {
                let position = self.rows.len();
                self.rows.push(packed);
                self.ids.push(id);
                let n = packed.number as usize;
                if self.by_number.len() <= n {
                    self.by_number.resize(n + 1, 0);
                }
                if self.by_number[n] == 0 {
                    self.by_number[n] = position as u32 + 1;
                } else {
                    self.others.insert(id, position as u32);
                }
                (position, None)
            }
        }
    }

    /// Has the text beyond titles been searched for anything?
    pub fn has_deep(&self) -> bool {
        !self.deep.is_empty()
    }

    /// Has the text beyond titles been searched for `needle`?
    pub fn searched_deep(&self, needle: &str) -> bool {
        self.deep.iter().any(|(w, _)| w == needle)
    }

    /// Results of a search of details and responses: the items found, by id and number.
    pub fn add_deep(&mut self, needle: String, found: &[(Id, u32)]) {
        let mut bits = Vec::new();
        for (id, number) in found {
            if let Some(position) = self.position_of(*id, *number) {
                set_bit(&mut bits, position as u32, true);
            }
        }
        self.deep.retain(|(w, _)| *w != needle);
        self.deep.push((needle, bits));
        // Keep the words of the last few searches only.
        if self.deep.len() > 16 {
            self.deep.remove(0);
        }
    }

    /// An item's texts changed: its bit for each searched word is worked out again.
    pub fn update_deep(&mut self, issue: &Issue, responses: &str) {
        let Some(position) = self.position_of(issue.id, issue.number) else {
            return;
        };
        for (needle, bits) in &mut self.deep {
            set_bit(
                bits,
                position as u32,
                deep_text_holds(issue, responses, needle),
            );
        }
    }

    pub fn view(&self, position: usize) -> RowRef<'_> {
        RowRef {
            table: self,
            packed: &self.rows[position],
            position,
        }
    }

    /// Counts over every item.
    pub fn tally(&self, today: NaiveDate) -> Tally {
        let mut tally = Tally::default();
        for position in 0..self.rows.len() {
            self.count(&mut tally, position, today, 1);
        }
        tally
    }

    /// Adds (`sign` 1) or takes away (-1) one item's part of the counts.
    pub fn count(&self, tally: &mut Tally, position: usize, today: NaiveDate, sign: isize) {
        let p = &self.rows[position];
        if !p.flags.status().is_open() {
            return;
        }
        let add = |n: &mut usize| *n = n.saturating_add_signed(sign);
        add(&mut tally.open);
        if p.department == 0 {
            add(&mut tally.unassigned);
        }
        if self.is_overdue(position, p, day_number(today)) {
            add(&mut tally.overdue);
            let firm = self.firms.values[p.firm as usize];
            let entry = tally.overdue_by_firm.entry(firm).or_default();
            add(entry);
            if *entry == 0 {
                tally.overdue_by_firm.remove(&firm);
            }
        }
    }

    /// A key per item whose order is the sort's order; `firm_rank` ranks firms by name.
    pub fn sort_key(&self, position: usize, sort: SortKey, firm_rank: &dyn Fn(Id) -> u32) -> u64 {
        let p = &self.rows[position];
        // Fields are packed high to low: a flag bit, then the value, then the number as the
        // final tie-break (items beyond 16 million share the last one).
        let number = u64::from(p.number.min((1 << 24) - 1));
        let closed = u64::from(!p.flags.status().is_open());
        let due = match self.due(position, p) {
            NO_DUE => (1u64 << 21) | ((1 << 21) - 1),
            // Days from 0001 fit 20 bits until the year 2870.
            day => u64::from((day.max(0) as u32).min((1 << 20) - 1)),
        };
        let due_part = (due << 24) | number; // 46 bits
        match sort {
            SortKey::Due => (closed << 63) | due_part,
            SortKey::Priority => {
                let urgency = 3 - p.flags.priority_index() as u64;
                (closed << 63) | (urgency << 60) | due_part
            }
            SortKey::Age => {
                let created = u64::from((p.created as i64 - i32::MIN as i64) as u32);
                (closed << 63) | (created << 24) | number
            }
            SortKey::Updated => {
                let updated = u64::from((p.updated as i64 - i32::MIN as i64) as u32);
                (u64::from(u32::MAX - updated as u32) << 24) | number
            }
            SortKey::Firm => {
                let firm = u64::from(firm_rank(self.firms.values[p.firm as usize]).min(1 << 17));
                (firm << 46) | due_part
            }
        }
    }

    /// Every position, in the order of `sort`.
    pub fn sorted(&self, sort: SortKey, firm_rank: &dyn Fn(Id) -> u32) -> Positions {
        let mut keyed: Vec<(u64, u32)> = (0..self.rows.len())
            .map(|i| (self.sort_key(i, sort, firm_rank), i as u32))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}

fn optional(interner: &Interner<Id>, stored: u16) -> Option<Id> {
    (stored > 0).then(|| interner.values[stored as usize - 1])
}

mod code;
mod filter;
mod load;
mod row_ref;

/// One item as the filter sees it.
pub struct RowRef<'a> {
    table: &'a Table,
    packed: &'a Packed,
    position: usize,
}

#[cfg(test)]
mod code_tests;
#[cfg(test)]
mod layout_tests;
#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod lowered_tests;
#[cfg(test)]
mod tests;
