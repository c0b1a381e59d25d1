//! Many firms' search keys in a few flat vectors: what the app holds for a whole directory.
//! `FirmKeys` as stored spends a `String` per character and per reading (about 1.5 KB a
//! firm, 15 MiB for 10,000 firms); here a firm costs about 300 bytes and matching reads the
//! same keys through `NameView`, so every search answers as before.

use super::{FirmKeys, FirmView, NameKeys, NameView};
use std::collections::HashMap;

/// The keys of many firms, in the order they were pushed (the app's directory order).
#[derive(Debug, Default, Clone)]
pub struct KeyTable {
    /// Every name's folded text, one after another.
    text: String,
    /// Per name (two a firm: name, then short name), where its text and characters start;
    /// one more at the end, so name `k` ends where `k + 1` starts.
    names: Vec<NameStart>,
    /// Per character of every name, where its folded text and its readings end (each starts
    /// where the previous character's ends).
    chars: Vec<CharEnd>,
    /// The characters' pinyin readings, as indices into `syllables`.
    readings: Vec<u32>,
    /// The distinct readings (a few hundred plain syllables).
    syllables: Vec<Box<str>>,
    /// Building only: where each syllable is in `syllables`.
    interned: HashMap<Box<str>, u32>,
}

#[derive(Debug, Clone, Copy, Default)]
struct NameStart {
    text: u32,
    chars: u32,
    letters: u32,
}

#[derive(Debug, Clone, Copy)]
struct CharEnd {
    text: u32,
    readings: u32,
}

impl KeyTable {
    pub fn new() -> KeyTable {
        KeyTable {
            names: vec![NameStart::default()],
            ..KeyTable::default()
        }
    }

    /// How many firms it holds.
    pub fn len(&self) -> usize {
        self.names.len().saturating_sub(1) / 2
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a firm's keys after the others.
    pub fn push(&mut self, keys: &FirmKeys) {
        if self.names.is_empty() {
            self.names.push(NameStart::default());
        }
        self.push_name(&keys.name);
        self.push_name(&keys.short_name);
    }

    fn push_name(&mut self, keys: &NameKeys) {
        for key in &keys.chars {
            self.text.push_str(&key.folded);
            for reading in &key.pinyin {
                let next = self.syllables.len() as u32;
                let index = *self.interned.entry(reading.as_str().into()).or_insert(next);
                if index == next {
                    self.syllables.push(reading.as_str().into());
                }
                self.readings.push(index);
            }
            self.chars.push(CharEnd {
                text: self.text.len() as u32,
                readings: self.readings.len() as u32,
            });
        }
        let last = self.names.len() - 1;
        self.names[last].letters = keys.letters;
        self.names.push(NameStart {
            text: self.text.len() as u32,
            chars: self.chars.len() as u32,
            letters: 0,
        });
    }

    /// Done adding: gives back the room the vectors grew into and the building map.
    pub fn finish(&mut self) {
        self.interned = HashMap::new();
        self.text.shrink_to_fit();
        self.names.shrink_to_fit();
        self.chars.shrink_to_fit();
        self.readings.shrink_to_fit();
        self.syllables.shrink_to_fit();
    }

    /// The keys of firm `i` (in push order).
    pub fn firm(&self, i: usize) -> PackedFirm<'_> {
        PackedFirm { table: self, i }
    }

    fn name(&self, k: usize) -> PackedName<'_> {
        let (start, end) = (self.names[k], self.names[k + 1]);
        PackedName {
            table: self,
            text: start.text as usize..end.text as usize,
            chars: start.chars as usize..end.chars as usize,
            letters: start.letters,
        }
    }
}

/// One firm's keys in a `KeyTable`.
#[derive(Clone, Copy)]
pub struct PackedFirm<'a> {
    table: &'a KeyTable,
    i: usize,
}

impl<'a> FirmView for PackedFirm<'a> {
    type Name = PackedName<'a>;

    fn name(&self) -> PackedName<'a> {
        self.table.name(2 * self.i)
    }

    fn short_name(&self) -> PackedName<'a> {
        self.table.name(2 * self.i + 1)
    }
}

/// One name's keys in a `KeyTable`.
#[derive(Clone)]
pub struct PackedName<'a> {
    table: &'a KeyTable,
    text: std::ops::Range<usize>,
    chars: std::ops::Range<usize>,
    letters: u32,
}

impl PackedName<'_> {
    /// Where character `i`'s folded text and readings start in the table.
    fn starts(&self, i: usize) -> (usize, usize) {
        let at = self.chars.start + i;
        match at.checked_sub(1) {
            Some(before) => {
                let end = self.table.chars[before];
                (end.text as usize, end.readings as usize)
            }
            None => (0, 0),
        }
    }
}

impl NameView for PackedName<'_> {
    fn folded(&self) -> &str {
        &self.table.text[self.text.clone()]
    }

    fn letters(&self) -> u32 {
        self.letters
    }

    fn char_count(&self) -> usize {
        self.chars.len()
    }

    fn char_folded(&self, i: usize) -> &str {
        let (start, _) = self.starts(i);
        let end = self.table.chars[self.chars.start + i].text as usize;
        &self.table.text[start..end]
    }

    fn readings(&self, i: usize) -> impl Iterator<Item = &str> {
        let (_, start) = self.starts(i);
        let end = self.table.chars[self.chars.start + i].readings as usize;
        self.table.readings[start..end]
            .iter()
            .map(|s| &*self.table.syllables[*s as usize])
    }
}

#[cfg(test)]
mod tests;
