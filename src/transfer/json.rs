//! JSON as liaison writes it everywhere (backups, exports, `--json` output): serde_json's
//! compact form, except that the control characters serde_json leaves raw — DEL and the C1
//! controls U+0080–U+009F, which a terminal acts on as it does on ESC — are written as
//! `\u` escapes too, like the C0 ones. A reader gets back exactly the same text.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// serde_json's compact formatter (the trait's defaults) with DEL and C1 escaped.
struct Escaping;

impl Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // C0, quotes and backslashes never reach a fragment: serde_json escapes them itself.
        // DEL is 0x7f and every C1 control starts with 0xc2 in UTF-8 (a byte no other
        // character has inside it): a fragment without either is written as it is.
        if !fragment.bytes().any(|b| b == 0x7f || b == 0xc2) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if c.is_control() {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// `serde_json::to_writer`, with every control character escaped.
pub fn to_writer<W: Write, T: ?Sized + Serialize>(writer: W, value: &T) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, Escaping);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// `serde_json::to_string`, with every control character escaped.
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    to_writer(&mut out, value).expect("writing JSON into memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// `text` as a JSON string, the bytes `to_writer` writes for it (serde_json's escapes and
/// DEL and C1 as `\u` escapes), checked eight bytes at a time: a listing's titles and details
/// are long runs of Chinese with nothing to escape, and serde_json looks at each byte.
pub fn write_str<W: Write + ?Sized>(out: &mut W, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = bytes.get(at..at + 8) {
            if !needs_a_look(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                at += 8;
                continue;
            }
        }
        let b = bytes[at];
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            _ => None,
        };
        // A C1 control is 0xc2 then 0x80–0x9f; other characters with 0xc2 are written as
        // they are.
        let control = match b {
            0..=0x1f | 0x7f => Some((u32::from(b), 1)),
            0xc2 if matches!(bytes.get(at + 1), Some(0x80..=0x9f)) => {
                Some((u32::from(bytes[at + 1]), 2))
            }
            _ => None,
        };
        if let Some(escape) = escape {
            out.write_all(&bytes[start..at])?;
            out.write_all(escape)?;
            at += 1;
            start = at;
        } else if let Some((code, len)) = control {
            out.write_all(&bytes[start..at])?;
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.write_all(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(code >> 4) as usize],
                HEX[(code & 0xf) as usize],
            ])?;
            at += len;
            start = at;
        } else {
            at += 1;
        }
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

/// Whether any of eight bytes may need an escape: below 0x20, `"`, `\`, DEL, or 0xc2 (the
/// first byte of a C1 control). May say yes for a byte after one that does; never no
/// wrongly.
fn needs_a_look(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    (below_space
        | zero_in(x ^ (ONES * u64::from(b'"')))
        | zero_in(x ^ (ONES * u64::from(b'\\')))
        | zero_in(x ^ (ONES * 0x7f))
        | zero_in(x ^ (ONES * 0xc2)))
        != 0
}

/// An id as a JSON string (`0183e02a-067b-…`), written from a buffer on the stack: a list
/// writes two or three per item.
pub struct IdText(pub crate::model::Id);

impl Serialize for IdText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let uuid = uuid::Uuid::from_bytes(*self.0.as_bytes());
        serializer.serialize_str(uuid.hyphenated().encode_lower(&mut buf))
    }
}

/// A day as a JSON string, as `NaiveDate`'s `Display` writes it (`2025-03-04`).
pub struct Day(pub chrono::NaiveDate);

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use chrono::Datelike;
        let d = self.0;
        if !(0..=9999).contains(&d.year()) {
            return serializer.serialize_str(&d.to_string());
        }
        let mut buf = [0u8; 10];
        put_digits(&mut buf[0..4], d.year() as u32);
        buf[4] = b'-';
        put_digits(&mut buf[5..7], d.month());
        buf[7] = b'-';
        put_digits(&mut buf[8..10], d.day());
        serializer.serialize_str(std::str::from_utf8(&buf).expect("ASCII digits"))
    }
}

/// A time stamp as a JSON string, as `to_rfc3339` writes it (`2025-03-04T09:15:00+08:00`, a
/// fraction of 3, 6 or 9 digits when there is one). The common shape is written by hand; a
/// year past 9999, a leap second or an offset of odd seconds is chrono's to write.
pub struct Stamp(pub crate::model::LocalTime);

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 35];
        match rfc3339(&self.0, &mut buf) {
            Some(len) => serializer.serialize_str(std::str::from_utf8(&buf[..len]).expect("ASCII")),
            None => serializer.serialize_str(&self.0.to_rfc3339()),
        }
    }
}

/// `to_rfc3339` into `buf`: its length, or `None` for what chrono writes otherwise.
fn rfc3339(time: &crate::model::LocalTime, buf: &mut [u8; 35]) -> Option<usize> {
    use chrono::{Datelike, Timelike};
    let offset = time.offset().local_minus_utc();
    let local = time.naive_local();
    let nanos = local.nanosecond();
    if offset % 60 != 0 || !(0..=9999).contains(&local.year()) || nanos >= 1_000_000_000 {
        return None;
    }
    put_digits(&mut buf[0..4], local.year() as u32);
    buf[4] = b'-';
    put_digits(&mut buf[5..7], local.month());
    buf[7] = b'-';
    put_digits(&mut buf[8..10], local.day());
    buf[10] = b'T';
    put_digits(&mut buf[11..13], local.hour());
    buf[13] = b':';
    put_digits(&mut buf[14..16], local.minute());
    buf[16] = b':';
    put_digits(&mut buf[17..19], local.second());
    let mut len = 19;
    // chrono's `SecondsFormat::AutoSi`: as few groups of three digits as say it exactly.
    let (digits, fraction) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (3, n / 1_000_000),
        n if n % 1_000 == 0 => (6, n / 1_000),
        n => (9, n),
    };
    if digits > 0 {
        buf[len] = b'.';
        put_digits(&mut buf[len + 1..len + 1 + digits], fraction);
        len += 1 + digits;
    }
    buf[len] = if offset < 0 { b'-' } else { b'+' };
    let minutes = offset.unsigned_abs() / 60;
    put_digits(&mut buf[len + 1..len + 3], minutes / 60);
    buf[len + 3] = b':';
    put_digits(&mut buf[len + 4..len + 6], minutes % 60);
    Some(len + 6)
}

/// `n` in decimal, zero-padded to fill `out`.
fn put_digits(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_control_character_is_written_raw_and_the_text_reads_back() {
        let text = "a\u{1b}[2J\u{7}\u{7f}\u{85}\u{9b}31m\"\\\n中山";
        let written = to_string(&serde_json::json!({ "title": text }));
        assert!(!written.chars().any(char::is_control), "{written:?}");
        assert_eq!(
            written,
            r#"{"title":"a\u001b[2J\u0007\u007f\u0085\u009b31m\"\\\n中山"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(back["title"], text);
        // Without controls, the same bytes as serde_json.
        let plain = serde_json::json!({"n": 1, "t": "中山", "l": [true, null]});
        assert_eq!(to_string(&plain), serde_json::to_string(&plain).unwrap());
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn a_string_is_written_as_serde_json_and_the_escaping_formatter_write_it(
            text in prop_oneof![
                "\\PC*",
                ".*",
                "[\u{0}-\u{a0}\"\\\\中山é]{0,40}",
                "[a-z中\u{7f}\u{80}-\u{9f}\u{a0}-\u{ff}\"]{0,40}",
            ],
        ) {
            let mut by_hand = Vec::new();
            write_str(&mut by_hand, &text).unwrap();
            prop_assert_eq!(String::from_utf8(by_hand).unwrap(), to_string(&text));
        }

        #[test]
        fn stamps_and_days_are_written_as_chrono_writes_them(
            seconds in -70_000_000_000i64..260_000_000_000,
            nanos in prop_oneof![
                Just(0u32),
                0u32..2_000_000_000,
                (0u32..1000).prop_map(|m| m * 1_000_000),
                (0u32..1_000_000).prop_map(|m| m * 1_000),
            ],
            offset in prop_oneof![(-1439i32..1440).prop_map(|m| m * 60), -86_399i32..86_400],
        ) {
            use chrono::TimeZone;
            let Some(time) = chrono::FixedOffset::east_opt(offset)
                .unwrap()
                .timestamp_opt(seconds, nanos)
                .single()
            else {
                return Ok(());
            };
            prop_assert_eq!(to_string(&Stamp(time)), format!("\"{}\"", time.to_rfc3339()));
            let day = time.date_naive();
            prop_assert_eq!(to_string(&Day(day)), format!("\"{day}\""));
            let id = crate::model::Id::from_slice(&(seconds as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835).to_be_bytes()).unwrap();
            prop_assert_eq!(to_string(&IdText(id)), format!("\"{id}\""));
        }
    }
}
