//! The queue's items in a compact form. A zone keeps years of items — a million is the size
//! this must handle — so an item in memory is a fixed 52-byte record of small numbers plus its
//! title in one shared text buffer, instead of an `Issue` with its strings (hundreds of bytes
//! and several allocations each). Firms, departments, categories and owners are stored once
//! and referred to by position.

use super::positions::Positions;
use crate::model::{Id, Issue, IssueSummary, Moment, Priority, Status};
use crate::query::{Check, DateField, Item, Needle, Resolved, SortKey};
use chrono::{Datelike, NaiveDate};
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
const SAME_AS_TITLE: u32 = u32::MAX;

/// `Packed::raised_after_created` when the day raised lies more than 127 days from the day of
/// `created` (a time stamp beyond what 32-bit minutes hold): it is in `Table::odd_raised`.
const ODD_RAISED: i8 = i8::MIN;

/// One item: what filtering, sorting, counting and drawing a row need. 44 bytes (a million
/// rows are 42 MiB): the status, priority and two flags share a byte, and the day raised is
/// kept as its distance from the day of `created`.
#[derive(Debug, Clone, Copy)]
struct Packed {
    number: u32,
    firm: u32,
    /// Days since 0001-01-01, or `NO_DUE`.
    due: i32,
    /// Minutes since 1970, enough to order by age and last change.
    created: i32,
    updated: i32,
    /// The day it was last closed (`NO_DUE` while open), as `day_number`.
    closed: i32,
    title_at: u32,
    /// Where the lower-cased title starts in `lowered`, or `SAME_AS_TITLE` when lower-casing
    /// changes nothing (as for Chinese text).
    lowered_at: u32,
    /// 0 = none, else position + 1.
    department: u16,
    category: u16,
    owner: u16,
    /// Its tags, as the position + 1 of the list in `tag_sets` (0 = none): few lists recur.
    tags: u16,
    title_len: u16,
    flags: Flags,
    /// The day it was raised (its local date) less the day `created` falls on in UTC: -1, 0
    /// or 1 but for odd time stamps, which are `ODD_RAISED`.
    raised_after_created: i8,
}

/// The status (3 bits), the priority (2 bits), raised in a visit and awaiting its call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Flags(u8);

impl Flags {
    const VISIT: u8 = 1 << 5;
    /// Closed and its follow-up call not made (`Issue::awaiting_call`).
    const AWAITING_CALL: u8 = 1 << 6;

    fn new(status: Status, priority: Priority, visit: bool, awaiting_call: bool) -> Flags {
        let mut bits = status as u8 | (priority as u8) << 3;
        if visit {
            bits |= Flags::VISIT;
        }
        if awaiting_call {
            bits |= Flags::AWAITING_CALL;
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
}

/// The day (`day_number`) a time given in minutes since 1970 falls on in UTC.
fn utc_day(minutes: i32) -> i32 {
    // 0001-01-01 is day 1; 1970-01-01 is day 719,163.
    minutes.div_euclid(24 * 60) + 719_163
}

impl Packed {
    fn due(&self) -> Option<NaiveDate> {
        (self.due != NO_DUE)
            .then(|| NaiveDate::from_num_days_from_ce_opt(self.due))
            .flatten()
    }

    fn is_overdue(&self, today: i32) -> bool {
        self.flags.status().is_open() && self.due != NO_DUE && self.due < today
    }
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
    titles: String,
    lowered: String,
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

    pub fn title(&self, position: usize) -> &str {
        let p = &self.rows[position];
        &self.titles[p.title_at as usize..p.title_at as usize + p.title_len as usize]
    }

    fn lowered_title(&self, p: &Packed) -> &str {
        if p.lowered_at == SAME_AS_TITLE {
            &self.titles[p.title_at as usize..p.title_at as usize + p.title_len as usize]
        } else {
            &self.lowered[p.lowered_at as usize..p.lowered_at as usize + p.title_len as usize]
        }
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
            due: p.due(),
            created: p.created,
            updated: p.updated,
            owner: self.owners.values[p.owner as usize].clone(),
            title: self.title(position).to_string(),
            tags: self.tags_of(p).to_vec(),
        }
    }

    /// Room for `items` items numbered below `numbers`, so that loading a large ledger does
    /// not grow its vectors by doubling (for a moment holding both copies: 110 MB instead of
    /// 60 at a million items). Titles get room as long on average as those read so far, and
    /// a tenth more; call again once some are in.
    pub fn reserve(&mut self, items: usize, numbers: usize) {
        let more = items.saturating_sub(self.rows.len());
        self.ids.reserve_exact(more);
        self.rows.reserve_exact(more);
        if self.by_number.len() < numbers {
            self.by_number.reserve_exact(numbers - self.by_number.len());
        }
        if !self.rows.is_empty() {
            let per_item = self.titles.len() / self.rows.len() + 1;
            let wanted = more * per_item * 11 / 10;
            self.titles
                .reserve_exact(wanted.saturating_sub(self.titles.capacity() - self.titles.len()));
        }
    }

    /// Gives back the room reserved beyond what the items read took.
    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.titles.shrink_to_fit();
        self.lowered.shrink_to_fit();
        self.by_number.shrink_to_fit();
    }

    /// The row of `issue`, and its day raised when the row cannot hold it (`ODD_RAISED`).
    fn pack(&mut self, issue: &IssueSummary) -> (Packed, Option<i32>) {
        // Titles are bounded by the model's field rules; a longer one (an old record) is cut
        // for the list at a character boundary.
        let mut title = issue.title;
        if title.len() > u16::MAX as usize {
            let mut end = u16::MAX as usize;
            while !title.is_char_boundary(end) {
                end -= 1;
            }
            title = &title[..end];
        }
        let title_at = self.titles.len() as u32;
        self.titles.push_str(title);
        let lower = if lowercase_changes_nothing(title) {
            String::new()
        } else {
            title.to_lowercase()
        };
        let lowered_at = if lower.is_empty() || lower == title || lower.len() != title.len() {
            // Lower-casing that changes the length (rare letters) falls back to the title.
            SAME_AS_TITLE
        } else {
            let at = self.lowered.len() as u32;
            self.lowered.push_str(&lower);
            at
        };
        let intern_opt = |interner: &mut Interner<Id>, id: Option<Id>| {
            id.map(|id| (interner.intern(&id) + 1).min(u16::MAX as u32) as u16)
                .unwrap_or(0)
        };
        let department = intern_opt(&mut self.departments, issue.department);
        let category = intern_opt(&mut self.categories, issue.category);
        let tags = if issue.tags.is_empty() {
            0
        } else {
            let tags: Vec<String> = issue.tags.iter().map(|t| t.to_string()).collect();
            (self.tag_sets.intern(&tags) + 1).min(u16::MAX as u32) as u16
        };
        let created = minutes(&issue.created);
        let raised = day_number(issue.created.date_naive());
        let raised_after_created = i8::try_from(i64::from(raised) - i64::from(utc_day(created)))
            .ok()
            .filter(|d| *d != ODD_RAISED);
        let packed = Packed {
            number: issue.number,
            firm: self.firms.intern(&issue.firm),
            department,
            category,
            owner: self.owners.intern(issue.owner).min(u16::MAX as u32) as u16,
            flags: Flags::new(
                issue.status,
                issue.priority,
                issue.visit.is_some(),
                issue.awaiting_call(),
            ),
            due: issue.due.map(day_number).unwrap_or(NO_DUE),
            created,
            updated: minutes(&issue.updated),
            raised_after_created: raised_after_created.unwrap_or(ODD_RAISED),
            closed: issue.closed.map_or(NO_DUE, |c| day_number(c.date_naive())),
            tags,
            title_at,
            title_len: title.len() as u16,
            lowered_at,
        };
        (packed, raised_after_created.is_none().then_some(raised))
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

    /// Adds an item read at start, its number not placed yet: `index_numbers` places all
    /// of them at once when the reading is done (one look-up per item into `by_number`
    /// while decoding was a cache miss each, a tenth of the start at a million items).
    pub fn push_read(&mut self, issue: &IssueSummary) {
        let (packed, odd_raised) = self.pack(issue);
        self.set_odd_raised(self.rows.len(), odd_raised);
        self.rows.push(packed);
        self.ids.push(issue.id);
    }

    /// Places every item's number, in position order, as `put` of each would: the first
    /// item with a number holds it, the others are found by id.
    pub fn index_numbers(&mut self) {
        let top = self.rows.iter().map(|p| p.number as usize + 1).max();
        self.by_number.clear();
        self.by_number.resize(top.unwrap_or(0), 0);
        self.others.clear();
        for (position, p) in self.rows.iter().enumerate() {
            let slot = &mut self.by_number[p.number as usize];
            if *slot == 0 {
                *slot = position as u32 + 1;
            } else {
                self.others.insert(self.ids[position], position as u32);
            }
        }
    }

    fn set_odd_raised(&mut self, position: usize, raised: Option<i32>) {
        match raised {
            Some(day) => self.odd_raised.insert(position as u32, day),
            None if self.odd_raised.is_empty() => None,
            None => self.odd_raised.remove(&(position as u32)),
        };
    }

    /// Adds an item, or replaces the one with the same number. Returns its position and, for
    /// a replaced item, the row it had.
    pub fn upsert(&mut self, issue: &Issue) -> (usize, Option<Row>) {
        let (packed, odd_raised) = self.pack(&issue.summary());
        let (position, old) = self.put(issue.id, packed);
        self.set_odd_raised(position, odd_raised);
        (position, old)
    }

    /// Takes in the items of a table read apart (by another thread), as `upsert` of each
    /// of them would when the two hold different items (shares of one walk): names are
    /// interned again, titles copied into this table's buffers, numbers placed again.
    pub fn append(&mut self, other: &Table) {
        let numbers = self.by_number.len().max(other.by_number.len());
        self.reserve(self.rows.len() + other.rows.len(), numbers);
        self.titles.reserve(other.titles.len());
        self.lowered.reserve(other.lowered.len());
        // Each of their names interned here once, in the order their rows first use them
        // (the order of their interner), as interning row by row would: a look-up per name
        // rather than four per row.
        let firms: Vec<u32> = other
            .firms
            .values
            .iter()
            .map(|f| self.firms.intern(f))
            .collect();
        let plus_one = |p: u32| (p + 1).min(u16::MAX as u32) as u16;
        let departments: Vec<u16> = other
            .departments
            .values
            .iter()
            .map(|d| plus_one(self.departments.intern(d)))
            .collect();
        let categories: Vec<u16> = other
            .categories
            .values
            .iter()
            .map(|c| plus_one(self.categories.intern(c)))
            .collect();
        let owners: Vec<u16> = other
            .owners
            .values
            .iter()
            .map(|o| self.owners.intern(o.as_str()).min(u16::MAX as u32) as u16)
            .collect();
        let tag_sets: Vec<u16> = other
            .tag_sets
            .values
            .iter()
            .map(|t| plus_one(self.tag_sets.intern(t)))
            .collect();
        let again = |mine: &[u16], stored: u16| match stored {
            0 => 0,
            n => mine[n as usize - 1],
        };
        for (position, p) in other.rows.iter().enumerate() {
            let title_at = self.titles.len() as u32;
            self.titles.push_str(other.title(position));
            let lowered_at = if p.lowered_at == SAME_AS_TITLE {
                SAME_AS_TITLE
            } else {
                let at = self.lowered.len() as u32;
                self.lowered.push_str(other.lowered_title(p));
                at
            };
            let packed = Packed {
                firm: firms[p.firm as usize],
                department: again(&departments, p.department),
                category: again(&categories, p.category),
                owner: owners[p.owner as usize],
                tags: again(&tag_sets, p.tags),
                title_at,
                lowered_at,
                ..*p
            };
            if p.raised_after_created == ODD_RAISED {
                self.set_odd_raised(self.rows.len(), Some(other.raised(position, p)));
            }
            self.rows.push(packed);
            self.ids.push(other.ids[position]);
        }
        self.index_numbers();
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
        if p.is_overdue(day_number(today)) {
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
        let due = if p.due == NO_DUE {
            (1u64 << 21) | ((1 << 21) - 1)
        } else {
            // Days from 0001 fit 20 bits until the year 2870.
            u64::from((p.due.max(0) as u32).min((1 << 20) - 1))
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

    /// The positions of `order` that pass the filter, keeping their order; `among` (a bit
    /// per position, from the word index) when given holds every position that can pass.
    /// The rows to test are marked in a bit per row and tested in the order they are stored,
    /// not in `order` (which jumps around memory and made each test a cache miss); `order`
    /// is then walked keeping the marked ones. A large table is split between two threads:
    /// a keystroke in the filter must stay within a frame.
    pub fn filter(
        &self,
        order: &Positions,
        filter: &Resolved,
        today: NaiveDate,
        among: Option<&[u64]>,
    ) -> Positions {
        if among.is_none() && order.len() < 4_096 {
            // A short list (a narrowed filter): testing it directly is cheaper.
            let compiled = self.compile(filter, today, Titles::Each);
            let mut seek = vec![0; 2 * compiled.len()];
            return order
                .iter()
                .filter(|i| self.passes(*i as usize, &compiled, &mut seek))
                .collect();
        }
        let words = self.rows.len().div_ceil(64);
        let mut bits = if order.len() >= self.rows.len() {
            let mut all = vec![u64::MAX; words];
            if !self.rows.len().is_multiple_of(64) {
                all[words - 1] = (1 << (self.rows.len() % 64)) - 1;
            }
            all
        } else {
            let mut listed = vec![0u64; words];
            for p in order.iter() {
                listed[p as usize / 64] |= 1 << (p % 64);
            }
            listed
        };
        if let Some(among) = among {
            for (w, a) in bits
                .iter_mut()
                .zip(among.iter().chain(std::iter::repeat(&0)))
            {
                *w &= a;
            }
        }
        let marked: u32 = bits.iter().map(|w| w.count_ones()).sum();
        let parallel = marked >= 50_000;
        // Many titles: the words are found in the title buffers at once (a fast scan) rather
        // than title by title, each a cache miss and a searcher's start. The scan reads the
        // whole buffers, so it pays only for a good part of the rows.
        let titles = if marked >= 20_000 && marked as usize >= self.rows.len() / 4 {
            Titles::Scanned
        } else {
            Titles::Each
        };
        let mut compiled = self.compile(filter, today, titles);
        // Conditions only narrow each other: the cheap ones first spare most titles a search.
        compiled.sort_by_key(|(_, c)| matches!(c, Condition::Text(..)));
        let test = |from_word: usize, bits: &mut [u64]| {
            let mut seek = vec![0; 2 * compiled.len()];
            for (w, word) in bits.iter_mut().enumerate() {
                let mut left = *word;
                while left != 0 {
                    let bit = left.trailing_zeros();
                    left &= left - 1;
                    if !self.passes((from_word + w) * 64 + bit as usize, &compiled, &mut seek) {
                        *word &= !(1 << bit);
                    }
                }
            }
        };
        if parallel {
            let half = words / 2;
            let (first, second) = bits.split_at_mut(half);
            std::thread::scope(|scope| {
                scope.spawn(|| test(half, second));
                test(0, first);
            });
        } else {
            test(0, &mut bits);
        }
        let keep = |chunks: &[Vec<u32>]| Positions::keeping(chunks, |i| bit(&bits, i));
        let (first, second) = order.halves();
        if order.len() >= 200_000 && parallel {
            std::thread::scope(|scope| {
                let other = scope.spawn(|| keep(second));
                let mut kept = keep(first);
                kept.append(other.join().unwrap_or_default());
                kept
            })
        } else {
            let mut kept = keep(first);
            kept.append(keep(second));
            kept
        }
    }

    /// A bit per position of the items numbered one of `numbers` (sorted): both rows where
    /// two ledgers' items share a number.
    pub fn positions_numbered(&self, numbers: &[u32]) -> Vec<u64> {
        let mut bits = vec![0u64; self.rows.len().div_ceil(64)];
        for n in numbers {
            if let Some(p) = self.position_of_number(*n) {
                bits[p / 64] |= 1 << (p % 64);
            }
        }
        for p in self.others.values() {
            let p = *p as usize;
            if numbers.binary_search(&self.rows[p].number).is_ok() {
                bits[p / 64] |= 1 << (p % 64);
            }
        }
        bits
    }
}

/// How a filter looks for words in titles.
#[derive(Clone, Copy)]
enum Titles {
    /// Title by title.
    Each,
    /// In the whole title buffers at once, then by where each title lies in them.
    Scanned,
}

/// Where a word occurs in the title buffers (`titles`, `lowered`), and its length in bytes.
struct TitleHits {
    titles: Vec<u32>,
    lowered: Vec<u32>,
    len: u32,
}

/// A filter's conditions in the table's own terms: ids as the small numbers rows hold, dates
/// as day numbers, so that testing a row is a few comparisons (the filter's own `matches`
/// gives the same answers, item by item, and is what the tests hold this to).
enum Condition<'a> {
    Status([bool; 5]),
    /// Indexed by the row's department number (0 = none).
    Department(Vec<bool>),
    Firm(Vec<bool>),
    Category(Vec<bool>),
    Priority([bool; 4]),
    /// Open and due before this day.
    DueBefore(i32),
    /// Open and due on or before this day.
    DueBy(i32),
    Visit,
    /// The owner's number, or none when nobody by that name owns an item.
    Owner(Option<u16>),
    /// The word, the bits of the rows whose other texts hold it, and where it occurs in the
    /// title buffers when those were scanned.
    Text(&'a Needle, Option<&'a [u64]>, Option<TitleHits>),
    Number(u32),
    Conflicted(&'a HashSet<u32>),
    AwaitingCall,
    /// Indexed by the row's tag list number (0 = none).
    Tag(Vec<bool>),
    /// The date's day number lies in `from..=to`.
    Date(DateField, i32, i32),
}

impl Table {
    fn compile<'a>(
        &'a self,
        filter: &'a Resolved,
        today: NaiveDate,
        titles: Titles,
    ) -> Vec<(bool, Condition<'a>)> {
        let marks = |interner: &Interner<Id>, offset: usize, wanted: &dyn Fn(Id) -> bool| {
            let mut marks = vec![false; interner.values.len() + offset];
            for (i, id) in interner.values.iter().enumerate() {
                marks[i + offset] = wanted(*id);
            }
            marks
        };
        let today_number = day_number(today);
        filter
            .checks()
            .iter()
            .map(|(negated, check)| {
                let condition = match check {
                    Check::Status(list) => {
                        Condition::Status(Status::ALL.map(|s| list.contains(&s)))
                    }
                    Check::Open => Condition::Status(Status::ALL.map(Status::is_open)),
                    Check::Department(None) => {
                        let mut none = vec![false; self.departments.values.len() + 1];
                        none[0] = true;
                        Condition::Department(none)
                    }
                    Check::Department(Some(id)) => {
                        Condition::Department(marks(&self.departments, 1, &|d| d == *id))
                    }
                    Check::Departments(ids) => {
                        Condition::Department(marks(&self.departments, 1, &|d| ids.contains(&d)))
                    }
                    Check::Firms(ids) => {
                        Condition::Firm(marks(&self.firms, 0, &|f| ids.contains(&f)))
                    }
                    Check::Categories(ids) => {
                        Condition::Category(marks(&self.categories, 1, &|c| ids.contains(&c)))
                    }
                    Check::Priority(list) => {
                        Condition::Priority(Priority::ALL.map(|p| list.contains(&p)))
                    }
                    Check::Overdue => Condition::DueBefore(today_number),
                    Check::DueWithin(days) => Condition::DueBy(
                        chrono::Duration::try_days(*days)
                            .and_then(|d| today.checked_add_signed(d))
                            .map_or(i32::MAX, day_number),
                    ),
                    Check::DueThisWeek => Condition::DueBy(day_number(
                        crate::model::when::WeekStart::Monday.first_day(today)
                            + chrono::Duration::days(6),
                    )),
                    Check::RaisedInVisit => Condition::Visit,
                    Check::Owner(who) => Condition::Owner(
                        self.owners
                            .positions
                            .get(who)
                            .map(|p| (*p).min(u16::MAX as u32) as u16),
                    ),
                    Check::Text(needle) => Condition::Text(
                        needle,
                        self.deep
                            .iter()
                            .find(|(w, _)| w == needle.text())
                            .map(|(_, bits)| bits.as_slice()),
                        match titles {
                            Titles::Scanned => self.title_hits(needle),
                            Titles::Each => None,
                        },
                    ),
                    Check::Number(n) => Condition::Number(*n),
                    Check::Conflicted(numbers) => Condition::Conflicted(numbers),
                    Check::AwaitingCall => Condition::AwaitingCall,
                    Check::Tag(tag) => Condition::Tag(
                        std::iter::once(false)
                            .chain(self.tag_sets.values.iter().map(|set| set.contains(tag)))
                            .collect(),
                    ),
                    Check::Date { field, from, to } => Condition::Date(
                        *field,
                        from.map_or(i32::MIN + 1, day_number),
                        to.map_or(i32::MAX, day_number),
                    ),
                };
                (*negated, condition)
            })
            .collect()
    }

    /// Where `needle` occurs in the title buffers, or `None` when it is empty or occurs so
    /// often that the list would cost more than searching title by title.
    fn title_hits(&self, needle: &Needle) -> Option<TitleHits> {
        let len = needle.text().len() as u32;
        // One Chinese character: its bytes are everywhere in Chinese text, and the scan is
        // no faster than the searches title by title (measured at a million items).
        let one_wide = needle.text().chars().count() == 1 && !needle.text().is_ascii();
        if len == 0 || one_wide {
            return None;
        }
        let most = self.rows.len() / 2 + 1_024;
        let find_in = |bytes: &[u8], from: usize| -> Option<Vec<u32>> {
            let mut hits = Vec::new();
            for at in needle.find_iter(bytes) {
                if hits.len() == most {
                    return None;
                }
                hits.push((from + at) as u32);
            }
            Some(hits)
        };
        let find = |buffer: &str| -> Option<Vec<u32>> {
            let bytes = buffer.as_bytes();
            if bytes.len() < 4 << 20 {
                return find_in(bytes, 0);
            }
            // Two halves on two threads; the first reaches far enough into the second to
            // find what starts before the middle. Chinese text (the same few lead bytes
            // everywhere) is searched at a few hundred megabytes a second.
            let middle = bytes.len() / 2;
            let reach = (middle + len as usize - 1).min(bytes.len());
            std::thread::scope(|scope| {
                let second = scope.spawn(|| find_in(&bytes[middle..], middle));
                let mut hits = find_in(&bytes[..reach], 0)?;
                hits.extend(second.join().ok()??);
                Some(hits)
            })
        };
        Some(TitleHits {
            titles: find(&self.titles)?,
            lowered: find(&self.lowered)?,
            len,
        })
    }

    /// Does the row's title (lower-cased) hold the word found at `hits`? `seek` is where
    /// the last row tested left off in each list: rows are tested in the order they are
    /// stored, and so (but for replaced titles) in the order of the buffers.
    fn title_holds(
        &self,
        p: &Packed,
        needle: &Needle,
        hits: &TitleHits,
        seek: &mut [usize],
    ) -> bool {
        let (list, at, k) = if p.lowered_at == SAME_AS_TITLE {
            (&hits.titles, p.title_at, &mut seek[0])
        } else {
            (&hits.lowered, p.lowered_at, &mut seek[1])
        };
        if *k > 0 && list.get(*k - 1).is_some_and(|h| *h >= at) {
            *k = list.partition_point(|h| *h < at);
        }
        while list.get(*k).is_some_and(|h| *h < at) {
            *k += 1;
        }
        // An occurrence running into this title from the text before it may hide one in it
        // (occurrences are found not overlapping): this title is searched itself.
        if *k > 0 && list[*k - 1] + hits.len > at {
            return needle.found_in(self.lowered_title(p));
        }
        list.get(*k)
            .is_some_and(|h| *h + hits.len <= at + u32::from(p.title_len))
    }

    fn passes(
        &self,
        position: usize,
        conditions: &[(bool, Condition)],
        seek: &mut [usize],
    ) -> bool {
        let p = &self.rows[position];
        let marked = |marks: &[bool], at: usize| marks.get(at).copied().unwrap_or(false);
        conditions
            .iter()
            .enumerate()
            .all(|(i, (negated, condition))| {
                let holds = match condition {
                    Condition::Status(wanted) => wanted[p.flags.status_index()],
                    Condition::Department(marks) => marked(marks, p.department as usize),
                    Condition::Firm(marks) => marked(marks, p.firm as usize),
                    Condition::Category(marks) => {
                        p.category > 0 && marked(marks, p.category as usize)
                    }
                    Condition::Priority(wanted) => wanted[p.flags.priority_index()],
                    Condition::DueBefore(day) => {
                        p.flags.status().is_open() && p.due != NO_DUE && p.due < *day
                    }
                    Condition::DueBy(day) => {
                        p.flags.status().is_open() && p.due != NO_DUE && p.due <= *day
                    }
                    Condition::Visit => p.flags.visit(),
                    Condition::Owner(owner) => *owner == Some(p.owner),
                    Condition::Text(needle, deep, hits) => {
                        let in_title = match hits {
                            Some(hits) => self.title_holds(p, needle, hits, &mut seek[2 * i..]),
                            None => needle.found_in(self.lowered_title(p)),
                        };
                        in_title || deep.is_some_and(|bits| bit(bits, position as u32))
                    }
                    Condition::Number(n) => p.number == *n,
                    Condition::Conflicted(numbers) => numbers.contains(&p.number),
                    Condition::AwaitingCall => p.flags.awaiting_call(),
                    Condition::Tag(marks) => marked(marks, p.tags as usize),
                    Condition::Date(field, from, to) => {
                        // `NO_DUE` is below every `from`: no date passes no range.
                        let day = match field {
                            DateField::Due => p.due,
                            DateField::Raised => self.raised(position, p),
                            DateField::Closed => p.closed,
                        };
                        *from <= day && day <= *to
                    }
                };
                holds != *negated
            })
    }
}

fn optional(interner: &Interner<Id>, stored: u16) -> Option<Id> {
    (stored > 0).then(|| interner.values[stored as usize - 1])
}

/// One item as the filter sees it.
pub struct RowRef<'a> {
    table: &'a Table,
    packed: &'a Packed,
    position: usize,
}

impl Item for RowRef<'_> {
    fn number(&self) -> u32 {
        self.packed.number
    }
    fn status(&self) -> Status {
        self.packed.flags.status()
    }
    fn priority(&self) -> Priority {
        self.packed.flags.priority()
    }
    fn department(&self) -> Option<Id> {
        optional(&self.table.departments, self.packed.department)
    }
    fn category(&self) -> Option<Id> {
        optional(&self.table.categories, self.packed.category)
    }
    fn firm(&self) -> Id {
        self.table.firms.values[self.packed.firm as usize]
    }
    fn due(&self) -> Option<NaiveDate> {
        self.packed.due()
    }
    fn raised_in_visit(&self) -> bool {
        self.packed.flags.visit()
    }
    fn owner(&self) -> &str {
        &self.table.owners.values[self.packed.owner as usize]
    }
    fn has_tag(&self, tag: &str) -> bool {
        self.table.tags_of(self.packed).iter().any(|t| t == tag)
    }
    fn raised(&self) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(self.table.raised(self.position, self.packed))
            .unwrap_or_default()
    }
    fn awaiting_call(&self) -> bool {
        self.packed.flags.awaiting_call()
    }
    fn closed(&self) -> Option<NaiveDate> {
        (self.packed.closed != NO_DUE)
            .then(|| NaiveDate::from_num_days_from_ce_opt(self.packed.closed))
            .flatten()
    }
    /// The title as typed; details and responses (not kept in memory: a million items'
    /// texts would not fit) once the background search for the word has come back.
    fn contains_text(&self, needle: &Needle) -> bool {
        needle.found_in(self.table.lowered_title(self.packed))
            || self
                .table
                .deep
                .iter()
                .find(|(w, _)| w == needle.text())
                .is_some_and(|(_, bits)| bit(bits, self.position as u32))
    }
}

#[cfg(test)]
#[path = "table_layout_tests.rs"]
mod layout_tests;
#[cfg(test)]
#[path = "table_load_tests.rs"]
mod load_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IssueDraft;
    use crate::query::{parse, Names};
    use std::collections::HashSet;

    #[test]
    fn a_row_stays_small() {
        assert_eq!(std::mem::size_of::<Packed>(), 44);
    }

    /// Numbers are per ledger: an item merged from another ledger may carry a number an
    /// item here has. Both are rows, each found and replaced by its own id, read whole or
    /// in shares.
    #[test]
    fn items_of_two_ledgers_with_one_number_are_two_rows() {
        let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
        let firm = Id::new();
        let item = |n: u32, title: &str| {
            IssueDraft::new(firm, title)
                .into_issue(Id::new(), n, created)
                .unwrap()
        };
        let ours = item(22, "机房扩容用电");
        let theirs = item(22, "新增用地");
        let mut table = Table::default();
        table.upsert(&ours);
        table.upsert(&theirs);
        assert_eq!(table.len(), 2);
        let (a, b) = (
            table.position_of(ours.id, 22).unwrap(),
            table.position_of(theirs.id, 22).unwrap(),
        );
        assert_ne!(a, b);
        assert_eq!(
            (table.title(a), table.title(b)),
            ("机房扩容用电", "新增用地")
        );
        let mut changed = theirs.clone();
        changed.title = "新增用地（改）".into();
        let (at, old) = table.upsert(&changed);
        assert_eq!((at, old.is_some(), table.len()), (b, true, 2));
        assert_eq!(table.title(a), "机房扩容用电");
        // Appended from a second share, the other ledger's item stays a row of its own.
        let mut first = Table::default();
        first.upsert(&ours);
        let mut second = Table::default();
        second.upsert(&changed);
        first.append(&second);
        assert_eq!(first.len(), 2);
        let at = first.position_of(changed.id, 22).unwrap();
        assert_eq!(first.title(at), "新增用地（改）");
        // A word found in the other ledger's item's details marks that row, not ours.
        first.add_deep("厂房".into(), &[(changed.id, 22)]);
        let names = Names {
            departments: vec![],
            categories: vec![],
            firms: &|_: &str| -> HashSet<Id> { HashSet::new() },
            me: "",
            conflicted: &HashSet::new(),
        };
        let resolved = parse("厂房").unwrap().resolve(&names).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let order = first.sorted(SortKey::Due, &|_| 0);
        let found: Vec<Id> = first
            .filter(&order, &resolved, today, None)
            .iter()
            .map(|p| first.id(p as usize))
            .collect();
        assert_eq!(found, vec![changed.id]);
    }

    /// Items read in two shares and appended give the table reading them all in one gives.
    #[test]
    fn a_table_read_in_shares_is_the_table_read_whole() {
        let firms = [Id::new(), Id::new()];
        let departments = [Id::new(), Id::new()];
        let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
        let issues: Vec<Issue> = (1..=300u32)
            .map(|n| {
                let title = ["扩大产能需新增用地", "Export LICENCE", "用电增容"][n as usize % 3];
                let mut issue = IssueDraft::new(firms[n as usize % 2], title)
                    .into_issue(Id::new(), n, created)
                    .unwrap();
                issue.department = (n % 3 != 0).then(|| departments[n as usize % 2]);
                issue.owner = ["李晓", "", "王伟"][n as usize % 3].to_string();
                issue.tags = if n % 4 == 0 {
                    vec!["专班".into()]
                } else {
                    vec![]
                };
                issue
            })
            .collect();
        let mut whole = Table::default();
        let (mut first, mut second) = (Table::default(), Table::default());
        // The second share interns its names in another order.
        for issue in &issues {
            whole.upsert(issue);
        }
        for issue in &issues[..150] {
            first.upsert(issue);
        }
        for issue in issues[150..].iter().rev() {
            second.upsert(issue);
        }
        first.append(&second);
        let rows = |t: &Table| {
            let mut rows: Vec<Row> = (0..t.len()).map(|p| t.row(p)).collect();
            rows.sort_by_key(|r| r.number);
            rows
        };
        assert_eq!(rows(&first), rows(&whole));
        let names = Names {
            departments: vec![(departments[0], "发改局", "发展和改革局")],
            categories: vec![],
            firms: &|_: &str| -> HashSet<Id> { HashSet::new() },
            me: "李晓",
            conflicted: &HashSet::new(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        for text in ["licence", "用地 owner:me", "dept:发改局 tag:专班"] {
            let resolved = parse(text).unwrap().resolve(&names).unwrap();
            let found = |t: &Table| {
                let order = t.sorted(SortKey::Due, &|_| 0);
                let mut numbers: Vec<u32> = t
                    .filter(&order, &resolved, today, None)
                    .iter()
                    .map(|p| t.number(p as usize))
                    .collect();
                numbers.sort_unstable();
                numbers
            };
            assert!(!found(&whole).is_empty(), "{text}");
            assert_eq!(found(&first), found(&whole), "{text}");
        }
    }

    /// A table large enough for the marked-bits path and its two threads gives exactly what
    /// testing each item in the list's order gives, for filters of every kind.
    #[test]
    fn filtering_a_large_table_matches_testing_each_item() {
        let firms = [Id::new(), Id::new(), Id::new()];
        let departments = [Id::new(), Id::new(), Id::new()];
        let categories = [Id::new(), Id::new()];
        let owners = ["李晓", "王伟", ""];
        let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
        let mut table = Table::default();
        let titles = [
            "扩大产能需新增用地",
            "Export licence",
            "用电增容",
            "人才住房",
        ];
        for n in 1..=120_000u32 {
            let mut draft = IssueDraft::new(firms[n as usize % 3], titles[n as usize % 4]);
            draft.due = NaiveDate::from_ymd_opt(2026, 1 + n % 12, 1 + n % 28);
            let mut issue = draft.into_issue(Id::new(), n, created).unwrap();
            issue.status = Status::ALL[n as usize % 5];
            issue.priority = Priority::ALL[n as usize % 4];
            issue.department = (n % 7 != 0).then(|| departments[n as usize % 3]);
            issue.category = (n % 5 != 0).then(|| categories[n as usize % 2]);
            issue.owner = owners[n as usize % 3].to_string();
            issue.visit = (n % 4 == 0).then(Id::new);
            issue.tags = match n % 6 {
                0 => vec!["专班".into()],
                1 => vec!["省重点".into(), "专班".into()],
                2 => vec!["省重点".into()],
                _ => vec![],
            };
            issue.created = created + chrono::Duration::hours(i64::from(n % 900) * 17);
            issue.closed = (issue.status == Status::Closed)
                .then(|| issue.created + chrono::Duration::days(i64::from(n % 60)));
            table.upsert(&issue);
        }
        let no_firms = |_: &str| -> HashSet<Id> { [firms[1]].into() };
        let names = Names {
            departments: vec![
                (departments[0], "发改局", "发展和改革局"),
                (departments[1], "人社局", "人力资源和社会保障局"),
                (Id::new(), "供电局", "供电局"),
            ],
            categories: vec![(categories[1], "land", "用地")],
            firms: &no_firms,
            me: "李晓",
            conflicted: &HashSet::new(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let order = table.sorted(SortKey::Due, &|_| 0);
        for text in [
            "用地",
            "status:open prio>=high",
            "overdue -用电",
            "firm:x export",
            "#777",
            "dept:发改局 cat:land",
            "dept:none status:open",
            "-dept:人社局 owner:me",
            "due:30d visit",
            "due:30d",
            "-visit -overdue prio:normal",
            "tag:专班",
            "-tag:专班 tag:省重点",
            "due<2026-06-01",
            "due<=2026-06 -due:2026-03",
            "raised>=2026-02-01 raised<2026-04",
            "closed:2026-01 tag:专班",
            "closed>2026-01-15",
            "-closed<2026-02",
        ] {
            let resolved = parse(text).unwrap().resolve(&names).unwrap();
            let fast = table.filter(&order, &resolved, today, None);
            let slow: Positions = order
                .iter()
                .filter(|i| resolved.matches(&table.view(*i as usize), today))
                .collect();
            assert_eq!(fast, slow, "{text}");
            assert!(!fast.is_empty(), "{text}");
        }
        // Nobody by that name: nothing passes, and its negation passes everything.
        for (text, expected) in [("owner:nobody", 0), ("-owner:nobody", order.len())] {
            let resolved = parse(text).unwrap().resolve(&names).unwrap();
            assert_eq!(
                table.filter(&order, &resolved, today, None).len(),
                expected,
                "{text}"
            );
        }
    }
}
