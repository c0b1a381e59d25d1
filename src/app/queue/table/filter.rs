//! A filter run over the table's rows, in the table's own terms.

use super::*;

impl Table {
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
            let mut seek = vec![0; compiled.len()];
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
            let mut seek = vec![0; compiled.len()];
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

/// A word of a filter in the titles' code; `None` when it holds a character no title has.
struct TitleNeedle(Option<Box<memchr::memmem::Finder<'static>>>);

impl TitleNeedle {
    fn new(code: &TitleCode, needle: &Needle) -> TitleNeedle {
        TitleNeedle(
            code.encode_known(needle.text())
                .map(|bytes| Box::new(memchr::memmem::Finder::new(&bytes).into_owned())),
        )
    }

    fn found_in(&self, lowered: &[u8]) -> bool {
        self.0.as_ref().is_some_and(|f| f.find(lowered).is_some())
    }
}

/// Where a word occurs in the title buffer (titles and their lower-cased copies), and its
/// length in bytes.
struct TitleHits {
    titles: Vec<u32>,
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
    Text(TitleNeedle, Option<&'a [u64]>, Option<TitleHits>),
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
                    Check::Text(needle) => {
                        let coded = TitleNeedle::new(&self.code, needle);
                        let hits = match titles {
                            Titles::Scanned => self.title_hits(needle, &coded),
                            Titles::Each => None,
                        };
                        Condition::Text(
                            coded,
                            self.deep
                                .iter()
                                .find(|(w, _)| w == needle.text())
                                .map(|(_, bits)| bits.as_slice()),
                            hits,
                        )
                    }
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
    fn title_hits(&self, needle: &Needle, coded: &TitleNeedle) -> Option<TitleHits> {
        let Some(finder) = &coded.0 else {
            // A character no title has: no title holds the word.
            return Some(TitleHits {
                titles: Vec::new(),
                len: 0,
            });
        };
        let len = finder.needle().len() as u32;
        // One Chinese character: its bytes are everywhere in Chinese text, and the scan is
        // no faster than the searches title by title (measured at a million items).
        let one_wide = needle.text().chars().count() == 1 && !needle.text().is_ascii();
        if len == 0 || one_wide {
            return None;
        }
        let most = self.rows.len() / 2 + 1_024;
        let find_in = |bytes: &[u8], from: usize| -> Option<Vec<u32>> {
            let mut hits = Vec::new();
            for at in finder.find_iter(bytes) {
                if hits.len() == most {
                    return None;
                }
                hits.push((from + at) as u32);
            }
            Some(hits)
        };
        let find = |bytes: &[u8]| -> Option<Vec<u32>> {
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
            len,
        })
    }

    /// Does the row's title (lower-cased) hold the word found at `hits`? `seek` is where
    /// the last row tested left off in each list: rows are tested in the order they are
    /// stored, and so (but for replaced titles) in the order of the buffers.
    fn title_holds(
        &self,
        p: &Packed,
        needle: &TitleNeedle,
        hits: &TitleHits,
        seek: &mut [usize],
    ) -> bool {
        let (list, at, k) = (&hits.titles, p.lowered_at(), &mut seek[0]);
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
                        p.flags.status().is_open()
                            && p.due != NO_DAY
                            && self.due(position, p) < *day
                    }
                    Condition::DueBy(day) => {
                        p.flags.status().is_open()
                            && p.due != NO_DAY
                            && self.due(position, p) <= *day
                    }
                    Condition::Visit => p.flags.visit(),
                    Condition::Owner(owner) => *owner == Some(p.owner),
                    Condition::Text(needle, deep, hits) => {
                        let in_title = match hits {
                            Some(hits) => self.title_holds(p, needle, hits, &mut seek[i..]),
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
                            DateField::Due => self.due(position, p),
                            DateField::Raised => self.raised(position, p),
                            DateField::Closed => self.closed(position, p),
                        };
                        *from <= day && day <= *to
                    }
                };
                holds != *negated
            })
    }
}
