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
}
