//! Text laid out by display width: a CJK character takes two terminal columns, so lengths in
//! `char`s or bytes would misalign every column after a Chinese name.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub const ELLIPSIS: char = '…';

/// Columns a text takes on a terminal.
pub fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    if c.is_control() {
        // Shown as a replacement glyph, never sent raw to the terminal.
        1
    } else {
        c.width().unwrap_or(0)
    }
}

/// Control characters (escape sequences, carriage returns …) are replaced so stored text can
/// never drive the terminal: C0 and DEL by their Control Pictures (ESC shows as `␛`, a line
/// break as `␊`), C1, which has no pictures, by `�`. One column each, like the glyph they
/// stand for. The app and the command line both show text through this.
pub fn printable(c: char) -> char {
    match c {
        // A tab in minutes or notes is spacing, not a threat.
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => '\u{FFFD}',
        c => c,
    }
}

/// Text as the command line may print it on one line: every control character made visible
/// by `printable`, so that a name, a file name or an argument echoed back cannot drive the
/// terminal (or split a message over lines). Borrowed when there is nothing to replace.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(text.chars().map(printable).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Cuts `text` to at most `max` columns at a character boundary, ending with an ellipsis when
/// something was cut. A wide character that would straddle the edge is dropped whole.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.chars().map(printable).collect();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(printable(c));
        used += w;
    }
    out.push(ELLIPSIS);
    out
}

/// Exactly `columns` wide: truncated with an ellipsis, or padded with spaces.
pub fn fit(text: &str, columns: usize) -> String {
    let mut out = truncate(text, columns);
    let w = UnicodeWidthStr::width(out.as_str());
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// Marks a wrapped Chinese line must not start with (they close what came before).
pub const NO_LINE_START: &str = "。，、；：？！）》」』”’．,.;:?!)]}…";
/// Marks a wrapped Chinese line must not end with (they open what follows).
pub const NO_LINE_END: &str = "（《「『“‘([{";

/// Exactly `columns` wide, right-aligned.
pub fn fit_right(text: &str, columns: usize) -> String {
    let cut = truncate(text, columns);
    let w = UnicodeWidthStr::width(cut.as_str());
    let mut out: String = std::iter::repeat_n(' ', columns.saturating_sub(w)).collect();
    out.push_str(&cut);
    out
}

/// The first line of a possibly multi-line text.
pub fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Splits characters (each with its own mark, a style for the `ui`) into rows of at most
/// `width` columns. Chinese breaks between any two characters; a Latin word is moved whole
/// to the next row when there is a space to break at, and that space is dropped; a closing
/// mark never starts a row and an opening one never ends it.
pub fn wrap_cells<T: Copy>(
    cells: impl IntoIterator<Item = (char, T)>,
    width: usize,
) -> Vec<Vec<(char, T)>> {
    let width = width.max(2);
    let is_word = |c: char| c.is_ascii_graphic();
    let cell_width = |cells: &[(char, T)]| cells.iter().map(|(c, _)| char_width(*c)).sum();
    let opens = |cells: &[(char, T)]| cells.last().is_some_and(|(c, _)| NO_LINE_END.contains(*c));
    let mut rows = Vec::new();
    let mut current: Vec<(char, T)> = Vec::new();
    let mut used = 0;
    for (c, mark) in cells {
        let c = printable(c);
        let w = char_width(c);
        if used + w > width {
            if c == ' ' {
                // The break falls on a space: it ends the row and is not carried.
                rows.push(std::mem::take(&mut current));
                used = 0;
                continue;
            }
            let mut carry = Vec::new();
            if is_word(c) {
                if let Some(space) = current.iter().rposition(|(ch, _)| *ch == ' ') {
                    if space > 0 && current[space + 1..].iter().all(|(ch, _)| is_word(*ch)) {
                        carry = current.split_off(space + 1);
                        current.pop();
                    }
                }
            }
            if carry.is_empty()
                && current.len() > 1
                && (NO_LINE_START.contains(c) || opens(&current))
            {
                carry = current.split_off(current.len() - 1);
                // A carried closing mark takes the character before it too (`c）；`).
                while current.len() > 1 && (opens(&current) || NO_LINE_START.contains(carry[0].0)) {
                    carry.splice(0..0, current.split_off(current.len() - 1));
                }
            }
            rows.push(std::mem::replace(&mut current, carry));
            used = cell_width(&current);
        }
        current.push((c, mark));
        used += w;
    }
    rows.push(current);
    rows
}

/// A plain text in rows of at most `width` columns (see [`wrap_cells`]).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_cells(text.chars().map(|c| (c, ())), width)
        .into_iter()
        .map(|row| row.into_iter().map(|(c, _)| c).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_and_fits_chinese_by_width() {
        assert_eq!(
            wrap("undo the last change, on any tab", 14),
            ["undo the last", "change, on any", "tab"]
        );
        let rows = wrap("撤销上一次更改（任何标签页）", 9);
        assert!(rows.iter().all(|r| width(r) <= 9), "{rows:?}");
        assert_eq!(rows.concat(), "撤销上一次更改（任何标签页）");
        // A closing mark does not start a row, also two of them in a row.
        assert!(rows.iter().all(|r| !r.starts_with('）')), "{rows:?}");
        let hint = "输入名称、拼音（zhongshan）或首字母（zsswgc）；Enter 打开";
        let rows = wrap(hint, 46);
        assert!(
            rows.iter().all(|r| !r.starts_with(['）', '；'])),
            "{rows:?}"
        );
    }

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(width("中山"), 4);
        assert_eq!(width("ab中"), 4);
    }

    #[test]
    fn truncation_cuts_at_a_character_and_keeps_the_width() {
        let name = "中山未名海济生物医药有限公司";
        assert_eq!(truncate(name, 10), "中山未名…");
        assert_eq!(width(&truncate(name, 10)), 9);
        // An odd width cannot hold half a character: pad instead.
        assert_eq!(fit(name, 10), "中山未名… ");
        assert_eq!(width(&fit(name, 10)), 10);
        assert_eq!(fit(name, 11), "中山未名海…");
        assert_eq!(fit("短", 5), "短   ");
        assert_eq!(fit_right("12", 4), "  12");
        assert_eq!(truncate(name, 0), "");
        assert_eq!(truncate(name, 1), "…");
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let hostile = "ok\u{1b}[2J\r";
        let shown = fit(hostile, 20);
        assert!(!shown.contains('\u{1b}'));
        assert!(!shown.contains('\r'));
        assert_eq!(width(&shown), 20);
    }

    #[test]
    fn control_characters_are_made_visible_for_the_command_line() {
        assert_eq!(
            for_terminal("a\u{1b}]0;x\u{7}b\nc\u{7f}\u{9b}2J\td"),
            "a\u{241b}]0;x\u{2407}b\u{240a}c\u{2421}\u{FFFD}2J d"
        );
        assert!(matches!(for_terminal("中山 ok"), Cow::Borrowed("中山 ok")));
        // Every C0, DEL and C1 character is replaced; nothing replaced is a control itself.
        for c in (0..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let shown = for_terminal(&c.to_string()).into_owned();
            assert!(!shown.chars().any(char::is_control), "{c:?} -> {shown:?}");
            assert_eq!(width(&shown), 1, "{c:?}");
        }
    }
}
