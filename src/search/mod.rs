//! Finding a firm by what an officer types: part of its Chinese name, its pinyin in full
//! (`zhongshanshengwu`) or by initials (`zsswgc`), or a fuzzy spelling of a Latin name.
//! The pinyin of a name is worked out once, when the firm is written (`NameKeys::new`); a
//! keystroke only compares.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use pinyin::ToPinyinMulti;
use serde::{Deserialize, Serialize};

mod packed;
pub use packed::{KeyTable, PackedFirm, PackedName};

/// One character of a name as search sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CharKey {
    /// The character folded for comparison (lower case, half width); empty for spaces,
    /// which a query may skip.
    pub folded: String,
    /// Every pinyin reading of a Chinese character (重 → zhong, chong); empty otherwise.
    pub pinyin: Vec<String>,
}

/// The search keys of one name, stored beside the firm.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameKeys {
    pub chars: Vec<CharKey>,
    /// The folded characters joined, and for each of its characters the index of the name's
    /// character it came from: substring matching needs no work per keystroke.
    pub folded: String,
    pub owner: Vec<u32>,
    /// The letters a–z that occur anywhere in the keys: a query using a letter outside this set
    /// cannot match by pinyin, which rules most names out at once.
    pub letters: u32,
}

/// `NameKeys::new(name).sort_key()` without building the keys: a tenth of the time, for
/// ordering a directory of 10,000 firms when the app opens.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2);
    for c in name.chars() {
        match c
            .to_pinyin_multi()
            .and_then(|readings| readings.into_iter().next())
        {
            Some(reading) => key.push_str(reading.plain()),
            None => key.push_str(&fold_char(c)),
        }
    }
    key
}

impl NameKeys {
    /// The name spelled with the first pinyin reading of each character, for sorting.
    pub fn sort_key(&self) -> String {
        self.chars
            .iter()
            .map(|k| k.pinyin.first().map_or(k.folded.as_str(), String::as_str))
            .collect()
    }
}

/// The keys of a firm: its name and its short name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmKeys {
    pub name: NameKeys,
    pub short_name: NameKeys,
}

impl FirmKeys {
    pub fn new(name: &str, short_name: &str) -> FirmKeys {
        FirmKeys {
            name: NameKeys::new(name),
            short_name: NameKeys::new(short_name),
        }
    }
}

/// What matching reads of one name's keys: `NameKeys` as stored, or a name in a `KeyTable`.
pub trait NameView {
    /// The folded characters joined.
    fn folded(&self) -> &str;
    /// The letters a–z anywhere in the keys, as a bit set.
    fn letters(&self) -> u32;
    /// How many characters the name has.
    fn char_count(&self) -> usize;
    /// Character `i` folded ("" for a space).
    fn char_folded(&self, i: usize) -> &str;
    /// Character `i`'s pinyin readings (none unless it is Chinese).
    fn readings(&self, i: usize) -> impl Iterator<Item = &str>;
}

impl NameView for NameKeys {
    fn folded(&self) -> &str {
        &self.folded
    }

    fn letters(&self) -> u32 {
        self.letters
    }

    fn char_count(&self) -> usize {
        self.chars.len()
    }

    fn char_folded(&self, i: usize) -> &str {
        &self.chars[i].folded
    }

    fn readings(&self, i: usize) -> impl Iterator<Item = &str> {
        self.chars[i].pinyin.iter().map(String::as_str)
    }
}

impl<T: NameView + ?Sized> NameView for &T {
    fn folded(&self) -> &str {
        (**self).folded()
    }

    fn letters(&self) -> u32 {
        (**self).letters()
    }

    fn char_count(&self) -> usize {
        (**self).char_count()
    }

    fn char_folded(&self, i: usize) -> &str {
        (**self).char_folded(i)
    }

    fn readings(&self, i: usize) -> impl Iterator<Item = &str> {
        (**self).readings(i)
    }
}

/// A firm's keys as matching reads them: `&FirmKeys`, or a firm in a `KeyTable`.
pub trait FirmView {
    type Name: NameView;
    fn name(&self) -> Self::Name;
    fn short_name(&self) -> Self::Name;
}

impl<'a> FirmView for &'a FirmKeys {
    type Name = &'a NameKeys;

    fn name(&self) -> &'a NameKeys {
        &self.name
    }

    fn short_name(&self) -> &'a NameKeys {
        &self.short_name
    }
}

/// Firms' keys by position: a slice of `FirmKeys` (the command line) or a `KeyTable` (the
/// app).
pub trait FirmKeySource: Sync {
    fn firm_count(&self) -> usize;
    fn firm_keys(&self, i: usize) -> impl FirmView;
}

impl FirmKeySource for [FirmKeys] {
    fn firm_count(&self) -> usize {
        self.len()
    }

    fn firm_keys(&self, i: usize) -> impl FirmView {
        &self[i]
    }
}

impl FirmKeySource for Vec<FirmKeys> {
    fn firm_count(&self) -> usize {
        self.len()
    }

    fn firm_keys(&self, i: usize) -> impl FirmView {
        &self[i]
    }
}

impl FirmKeySource for KeyTable {
    fn firm_count(&self) -> usize {
        self.len()
    }

    fn firm_keys(&self, i: usize) -> impl FirmView {
        self.firm(i)
    }
}

/// The characters whose folded text overlaps the bytes `from..to` of the joined folded text,
/// spaces left out: what a substring match highlights.
fn owners(keys: &impl NameView, from: usize, to: usize) -> Vec<usize> {
    let mut positions = Vec::new();
    let mut start = 0;
    for i in 0..keys.char_count() {
        let len = keys.char_folded(i).len();
        if len > 0 && start < to && start + len > from {
            positions.push(i);
        }
        start += len;
        if start >= to {
            break;
        }
    }
    positions
}

fn fold_char(c: char) -> String {
    if c.is_whitespace() || c == '\u{3000}' {
        return String::new();
    }
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_lowercase().collect()
}

fn letter_mask(text: &str) -> u32 {
    text.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |mask, b| mask | 1 << (b - b'a'))
}

impl NameKeys {
    pub fn new(name: &str) -> NameKeys {
        let chars: Vec<CharKey> = name
            .chars()
            .map(|c| {
                let mut pinyin: Vec<String> = Vec::new();
                if let Some(readings) = c.to_pinyin_multi() {
                    for reading in readings {
                        let plain = reading.plain().to_string();
                        if !pinyin.contains(&plain) {
                            pinyin.push(plain);
                        }
                    }
                }
                CharKey {
                    folded: fold_char(c),
                    pinyin,
                }
            })
            .collect();
        let letters = chars
            .iter()
            .map(|k| {
                letter_mask(&k.folded)
                    | k.pinyin
                        .iter()
                        .map(|p| letter_mask(p))
                        .fold(0, |a, b| a | b)
            })
            .fold(0, |a, b| a | b);
        let mut folded = String::new();
        let mut owner = Vec::new();
        for (i, key) in chars.iter().enumerate() {
            for c in key.folded.chars() {
                folded.push(c);
                owner.push(i as u32);
            }
        }
        NameKeys {
            chars,
            folded,
            owner,
            letters,
        }
    }
}

/// How a name matched; earlier kinds rank first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Exact,
    Prefix,
    Substring,
    PinyinPrefix,
    Pinyin,
    Fuzzy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rank: Rank,
    /// Within a rank, higher is better (the fuzzy matcher's score).
    pub score: u32,
    /// Indices of the matched characters in the name, for highlighting.
    pub positions: Vec<usize>,
}

impl Hit {
    /// Sort key: best first.
    pub fn order(&self) -> (Rank, std::cmp::Reverse<u32>) {
        (self.rank, std::cmp::Reverse(self.score))
    }
}

/// A typed query, prepared once per keystroke.
pub struct Query {
    folded: String,
    letters: u32,
    pinyin_like: bool,
    pattern: Pattern,
}

impl Query {
    pub fn new(text: &str) -> Query {
        let folded: String = text.chars().map(fold_char).collect();
        Query {
            letters: letter_mask(&folded),
            pinyin_like: !folded.is_empty() && folded.bytes().all(|b| b.is_ascii_lowercase()),
            pattern: Pattern::new(
                text,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
            ),
            folded,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Does this query only narrow `previous`? Then only the previous hits need checking.
    pub fn narrows(&self, previous: &Query) -> bool {
        !previous.is_empty() && self.folded.starts_with(&previous.folded)
    }
}

/// Reusable scratch space for matching, one per search.
pub struct Searcher {
    matcher: Matcher,
    buffer: Vec<char>,
    indices: Vec<u32>,
    failed: Vec<bool>,
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            matcher: Matcher::new(Config::DEFAULT),
            buffer: Vec::new(),
            indices: Vec::new(),
            failed: Vec::new(),
        }
    }
}

impl Searcher {
    /// Matches one name; `name` is the text the keys were made from.
    pub fn match_name(&mut self, query: &Query, name: &str, keys: impl NameView) -> Option<Hit> {
        if query.is_empty() {
            return Some(Hit {
                rank: Rank::Exact,
                score: 0,
                positions: Vec::new(),
            });
        }
        let folded = keys.folded();
        if let Some(start) = folded.find(&query.folded) {
            let end = start + query.folded.len();
            let positions = owners(&keys, start, end);
            let rank = if start == 0 && end == folded.len() {
                Rank::Exact
            } else if start == 0 {
                Rank::Prefix
            } else {
                Rank::Substring
            };
            return Some(Hit {
                rank,
                score: 0,
                positions,
            });
        }
        if query.pinyin_like && query.letters & !keys.letters() == 0 {
            if let Some((start, end)) = pinyin_match(&query.folded, &keys, &mut self.failed) {
                let first_visible =
                    (0..keys.char_count()).find(|i| !keys.char_folded(*i).is_empty());
                return Some(Hit {
                    rank: if Some(start) == first_visible {
                        Rank::PinyinPrefix
                    } else {
                        Rank::Pinyin
                    },
                    score: 0,
                    positions: (start..end)
                        .filter(|i| !keys.char_folded(*i).is_empty())
                        .collect(),
                });
            }
        }
        // A fuzzy match needs every character of the query somewhere in the name: checking
        // that first spares the matcher most names.
        if query.folded.chars().any(|c| !folded.contains(c)) {
            return None;
        }
        self.indices.clear();
        let haystack = Utf32Str::new(name, &mut self.buffer);
        let score = query
            .pattern
            .indices(haystack, &mut self.matcher, &mut self.indices)?;
        let mut positions: Vec<usize> = self.indices.iter().map(|i| *i as usize).collect();
        positions.sort_unstable();
        positions.dedup();
        Some(Hit {
            rank: Rank::Fuzzy,
            score,
            positions,
        })
    }

    /// The better of a firm's name and short name. Positions refer to the name; a hit on the
    /// short name is shown on the name where the short name appears in it.
    pub fn match_firm(
        &mut self,
        query: &Query,
        name: &str,
        short_name: &str,
        keys: impl FirmView,
    ) -> Option<Hit> {
        let on_name = self.match_name(query, name, keys.name());
        let on_short = if short_name.is_empty() {
            None
        } else {
            self.match_name(query, short_name, keys.short_name())
        };
        match (on_name, on_short) {
            (Some(a), Some(b)) if b.order() < a.order() => Some(shift_to_name(b, name, short_name)),
            (Some(a), _) => Some(a),
            (None, Some(b)) => Some(shift_to_name(b, name, short_name)),
            (None, None) => None,
        }
    }
}

fn shift_to_name(mut hit: Hit, name: &str, short_name: &str) -> Hit {
    match name.find(short_name) {
        Some(byte) => {
            let offset = name[..byte].chars().count();
            hit.positions.iter_mut().for_each(|p| *p += offset);
        }
        None => hit.positions.clear(),
    }
    hit
}

/// Finds the characters `start..end` of the name whose pinyin spells the query: each
/// character by its full reading or its initial, the last one possibly by the start of its
/// reading (the query is still being typed). Spaces are skipped.
fn pinyin_match(
    query: &str,
    keys: &impl NameView,
    failed: &mut Vec<bool>,
) -> Option<(usize, usize)> {
    let query = query.as_bytes();
    let n = keys.char_count();
    // failed[i * (len + 1) + p]: from character i at query position p there is no match.
    // Reused between names: clearing is cheaper than allocating per name and keystroke.
    failed.clear();
    failed.resize((n + 1) * (query.len() + 1), false);
    let first = query[0];
    for start in 0..n {
        // Only a character whose reading (or itself) begins with the query's first letter
        // can start a match.
        let mut readings = keys.readings(start).peekable();
        let can_start = if readings.peek().is_none() {
            keys.char_folded(start).as_bytes().first() == Some(&first)
        } else {
            readings.any(|r| r.as_bytes()[0] == first)
        };
        if can_start {
            if let Some(end) = spell(query, keys, start, 0, failed) {
                return Some((start, end));
            }
        }
    }
    None
}

fn spell(
    query: &[u8],
    keys: &impl NameView,
    i: usize,
    p: usize,
    failed: &mut [bool],
) -> Option<usize> {
    if p == query.len() {
        return Some(i);
    }
    let n = keys.char_count();
    if i == n || failed[i * (query.len() + 1) + p] {
        return None;
    }
    let folded = keys.char_folded(i);
    let mut readings = keys.readings(i).peekable();
    let rest = &query[p..];
    let found = if folded.is_empty() {
        spell(query, keys, i + 1, p, failed)
    } else if readings.peek().is_none() {
        // A Latin letter or digit spells itself.
        rest.starts_with(folded.as_bytes())
            .then(|| spell(query, keys, i + 1, p + folded.len(), failed))
            .flatten()
    } else {
        readings.find_map(|reading| {
            let reading = reading.as_bytes();
            if rest.len() < reading.len() && reading.starts_with(rest) {
                return Some(i + 1);
            }
            if rest.starts_with(reading) {
                if let Some(end) = spell(query, keys, i + 1, p + reading.len(), failed) {
                    return Some(end);
                }
            }
            if rest[0] == reading[0] {
                return spell(query, keys, i + 1, p + 1, failed);
            }
            None
        })
    };
    if found.is_none() {
        failed[i * (query.len() + 1) + p] = true;
    }
    found
}

#[cfg(test)]
mod tests;

/// Ranks candidates `(index, name, short name, keys)` against a query: best first, then
/// shorter names, then the given order. Only matching candidates are returned.
pub fn rank<'a, K: FirmView>(
    searcher: &mut Searcher,
    query: &Query,
    candidates: impl Iterator<Item = (usize, &'a str, &'a str, K)>,
) -> Vec<(usize, Hit)> {
    let mut hits: Vec<(usize, usize, Hit)> = candidates
        .filter_map(|(i, name, short, keys)| {
            searcher
                .match_firm(query, name, short, keys)
                .map(|hit| (i, name.chars().count(), hit))
        })
        .collect();
    hits.sort_by_key(|(index, chars, hit)| (hit.order(), *chars, *index));
    hits.into_iter().map(|(i, _, hit)| (i, hit)).collect()
}
