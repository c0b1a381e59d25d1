//! Titles in memory in a code of the table's own: UTF-8 spends three bytes on a Chinese
//! character, and a million titles were 28 MiB. Here ASCII stays itself (one byte) and every
//! other character is its place in a list of the characters met so far: two bytes for the
//! first 3,072 (a zone's titles use a few thousand), three or four beyond.
//!
//! Like UTF-8 the code is self-synchronising: a code starts with an ASCII byte or a lead
//! byte (0xC0..=0xFF), and the bytes after a lead are trail bytes (0x80..=0xBF), which start
//! nothing. An encoded word is therefore found in encoded text exactly where the word is
//! found in the text, and a byte search of the buffer keeps working.

use std::collections::HashMap;

/// Characters with two-byte codes: leads 0xC0..=0xEF, one trail.
const TWO: u32 = 48 * 64;
/// Then three-byte codes: leads 0xF0..=0xF7, two trails.
const THREE: u32 = TWO + 8 * 64 * 64;
/// Then four-byte codes: leads 0xF8..=0xFF, three trails (more than every character).
const FOUR: u32 = THREE + 8 * 64 * 64 * 64;

/// The common Chinese characters (CJK unified ideographs), looked up in a flat list rather
/// than hashed: the load encodes some ten million characters.
const CJK: std::ops::Range<u32> = 0x4e00..0xa000;

#[derive(Debug, Default, Clone)]
pub(super) struct TitleCode {
    /// The character of each code number.
    chars: Vec<char>,
    /// Code number + 1 of each CJK character met (0 = not met), indexed from `CJK.start`.
    cjk: Vec<u32>,
    /// Code numbers of the other non-ASCII characters met.
    others: HashMap<char, u32, foldhash::fast::RandomState>,
}

impl TitleCode {
    /// The code number of `c` (not ASCII), if it has been met.
    fn number(&self, c: char) -> Option<u32> {
        let u = c as u32;
        if CJK.contains(&u) {
            match self.cjk.get((u - CJK.start) as usize) {
                Some(n) if *n > 0 => Some(n - 1),
                _ => None,
            }
        } else {
            self.others.get(&c).copied()
        }
    }

    /// The code number of `c` (not ASCII), given one when it is new.
    fn number_or_new(&mut self, c: char) -> u32 {
        if let Some(n) = self.number(c) {
            return n;
        }
        let n = self.chars.len() as u32;
        debug_assert!(n < FOUR);
        self.chars.push(c);
        let u = c as u32;
        if CJK.contains(&u) {
            if self.cjk.is_empty() {
                self.cjk = vec![0; CJK.len()];
            }
            self.cjk[(u - CJK.start) as usize] = n + 1;
        } else {
            self.others.insert(c, n);
        }
        n
    }

    /// Appends the code of `text` to `out`, giving new characters their numbers.
    pub(super) fn encode_into(&mut self, text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                let n = self.number_or_new(c);
                push_number(n, out);
            }
        }
    }

    /// The code of `text`, or `None` when it holds a character no title has (then no title
    /// holds it).
    pub(super) fn encode_known(&self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                push_number(self.number(c)?, &mut out);
            }
        }
        Some(out)
    }

    /// Appends the text of `code` (made by this table) to `out`.
    pub(super) fn decode_into(&self, code: &[u8], out: &mut String) {
        for unit in units(code) {
            match unit {
                Unit::Ascii(b) => out.push(b as char),
                // Codes are only ever made by `encode_into`: every number has its character.
                Unit::Number(n) => out.extend(self.chars.get(n as usize)),
            }
        }
    }

    /// This table's numbers for the characters of `other`, in `other`'s order (characters
    /// new here are given theirs).
    pub(super) fn numbers_of(&mut self, other: &TitleCode) -> Vec<u32> {
        other.chars.iter().map(|c| self.number_or_new(*c)).collect()
    }

    /// Appends `code`, made by a table whose numbers `numbers` gives in this one's, in this
    /// table's code.
    pub(super) fn transcode_into(numbers: &[u32], code: &[u8], out: &mut Vec<u8>) {
        for unit in units(code) {
            match unit {
                Unit::Ascii(b) => out.push(b),
                Unit::Number(n) => {
                    if let Some(mine) = numbers.get(n as usize) {
                        push_number(*mine, out);
                    }
                }
            }
        }
    }

    pub(super) fn decode(&self, code: &[u8]) -> String {
        let mut out = String::with_capacity(code.len() * 3 / 2);
        self.decode_into(code, &mut out);
        out
    }
}

/// One character's code: an ASCII byte, or a number.
enum Unit {
    Ascii(u8),
    Number(u32),
}

fn units(code: &[u8]) -> impl Iterator<Item = Unit> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let b = *code.get(at)?;
        if b < 0x80 {
            at += 1;
            return Some(Unit::Ascii(b));
        }
        let (base, lead, trails) = match b {
            0xc0..=0xef => (0, b - 0xc0, 1),
            0xf0..=0xf7 => (TWO, b - 0xf0, 2),
            _ => (THREE, b.wrapping_sub(0xf8), 3),
        };
        let mut n = u32::from(lead);
        for t in code.iter().skip(at + 1).take(trails) {
            n = n << 6 | u32::from(t & 0x3f);
        }
        at += 1 + trails;
        Some(Unit::Number(base + n))
    })
}

fn push_number(n: u32, out: &mut Vec<u8>) {
    let trail = |n: u32, shift: u32| 0x80 | ((n >> shift) & 0x3f) as u8;
    if n < TWO {
        out.extend([0xc0 + (n >> 6) as u8, trail(n, 0)]);
    } else if n < THREE {
        let n = n - TWO;
        out.extend([0xf0 + (n >> 12) as u8, trail(n, 6), trail(n, 0)]);
    } else {
        let n = n - THREE;
        out.extend([
            0xf8 + (n >> 18) as u8,
            trail(n, 12),
            trail(n, 6),
            trail(n, 0),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A table that has met `warm` characters first, so that codes of every length occur.
    fn warmed(warm: u32) -> TitleCode {
        let mut code = TitleCode::default();
        let mut sink = Vec::new();
        for c in (0x100..).filter_map(char::from_u32).take(warm as usize) {
            code.encode_into(&c.to_string(), &mut sink);
        }
        code
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn codes_of_each_length_round_trip_and_keep_ascii() {
        let mut code = warmed(THREE + 10);
        for text in ["abc 12", "新增用地（改）", "Ünïcode ✓ 𝄞 мир"] {
            let mut out = Vec::new();
            code.encode_into(text, &mut out);
            assert_eq!(code.decode(&out), text);
            assert_eq!(code.encode_known(text), Some(out));
        }
        let mut ascii = Vec::new();
        code.encode_into("plain ASCII", &mut ascii);
        assert_eq!(ascii, b"plain ASCII");
        assert_eq!(code.encode_known("未见过的字"), None);
    }

    #[test]
    fn chinese_takes_two_bytes_a_character() {
        let mut code = TitleCode::default();
        let mut out = Vec::new();
        code.encode_into("消防验收咨询（123）", &mut out);
        assert_eq!(out.len(), 8 * 2 + 3);
    }

    proptest! {
        /// Round trip, and a word is found in the code exactly where it is in the text,
        /// whatever lengths the characters' codes have.
        #[test]
        fn round_trips_and_finds_what_the_text_holds(
            warm in prop_oneof![Just(0u32), Just(TWO - 3), Just(THREE - 3)],
            hay in "[a-cA-C1 新增用地改（）ÄäЖж𝄞]{0,12}",
            needle in "[a-c 新增地（ä𝄞]{0,3}",
        ) {
            let mut code = warmed(warm);
            let mut encoded = Vec::new();
            code.encode_into(&hay, &mut encoded);
            prop_assert_eq!(code.decode(&encoded), hay.clone());
            let found = code
                .encode_known(&needle)
                .is_some_and(|n| contains(&encoded, &n));
            prop_assert_eq!(found, hay.contains(needle.as_str()));
        }
    }
}
