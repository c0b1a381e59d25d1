//! Key names and the user's `keys.toml`: one key as a file and the help write it, and the
//! file read over the built-in table, with `FILE:LINE: what is wrong` for anything it does
//! not understand.

use super::keymap::{Keymap, Scope};
use crate::messages as msg;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

/// One key, with or without Ctrl. Shift is in the character itself (`A`), or `Shift-Tab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

/// Named keys: the first name of each is how it is written back.
const NAMES: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Escape", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("Shift-Tab", KeyCode::BackTab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PgUp", KeyCode::PageUp),
    ("PageUp", KeyCode::PageUp),
    ("PgDn", KeyCode::PageDown),
    ("PageDown", KeyCode::PageDown),
    ("Space", KeyCode::Char(' ')),
];

impl Key {
    /// `j`, `G`, `Enter`, `PgDn`, `Ctrl-R`, `F2`, `Space`; names are case-insensitive,
    /// single characters are not (`a` and `A` are two keys).
    pub fn parse(text: &str) -> Option<Key> {
        let (ctrl, rest) = match text.get(..5) {
            Some(prefix) if prefix.eq_ignore_ascii_case("ctrl-") && text.len() > 5 => {
                (true, &text[5..])
            }
            _ => (false, text),
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => {
                if let Some((_, code)) = NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(rest)) {
                    *code
                } else {
                    let n: u8 = rest
                        .strip_prefix(['F', 'f'])
                        .and_then(|n| n.parse().ok())
                        .filter(|n| (1..=12).contains(n))?;
                    KeyCode::F(n)
                }
            }
        };
        Some(Key { code, ctrl })
    }

    /// How a file writes it (parses back to the same key).
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            code => NAMES
                .iter()
                .find(|(_, c)| *c == code)
                .map_or("?".to_string(), |(n, _)| n.to_string()),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }

    /// How the help and the hint bar show it: arrows for the arrow keys.
    pub fn label(&self) -> String {
        match (self.code, self.ctrl) {
            (KeyCode::Up, false) => "↑".into(),
            (KeyCode::Down, false) => "↓".into(),
            (KeyCode::Left, false) => "←".into(),
            (KeyCode::Right, false) => "→".into(),
            _ => self.name(),
        }
    }

    /// Whether a key press is this key (Shift is already in the character).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl {
            return false;
        }
        match (event.code, self.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) if ctrl => a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        }
    }
}

/// A `keys.toml` that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysError {
    pub file: PathBuf,
    pub line: usize,
    pub what: String,
}

impl std::fmt::Display for KeysError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.what)
    }
}

/// Where the user's keys are: `LIAISON_KEYS`, else `keys.toml` in the platform's config
/// directory.
pub fn user_file() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("LIAISON_KEYS") {
        return Some(PathBuf::from(file));
    }
    directories::ProjectDirs::from("", "", "liaison").map(|d| d.config_dir().join("keys.toml"))
}

/// The built-in keys with the user's file over them (when there is one).
pub fn load_user() -> Result<Keymap, KeysError> {
    let mut keys = Keymap::default();
    if let Some(file) = user_file() {
        match std::fs::read_to_string(&file) {
            Ok(text) => apply(&mut keys, &text, &file)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(KeysError {
                    file,
                    line: 0,
                    what: msg::keys_unreadable(&e.to_string()),
                })
            }
        }
    }
    Ok(keys)
}

/// Reads a keys file over `keys`: only the actions it names change. The file is the small
/// part of TOML a key table needs: `[context]` headers, `action = "KEY"` or
/// `action = ["KEY", "KEY"]`, comments and blank lines.
pub fn apply(keys: &mut Keymap, text: &str, file: &Path) -> Result<(), KeysError> {
    let error = |line: usize, what: String| KeysError {
        file: file.to_path_buf(),
        line,
        what,
    };
    let mut scope: Option<Scope> = None;
    // Where each binding was set, to name both lines of a clash.
    let mut set_at: Vec<(Scope, &'static str, usize)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let text = strip_comment(raw).trim();
        if text.is_empty() {
            continue;
        }
        if let Some(name) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let name = name.trim();
            scope = Some(Scope::parse(name).ok_or_else(|| {
                error(
                    line,
                    msg::keys_unknown_context(name, &Scope::ALL.map(|s| s.name()).join(", ")),
                )
            })?);
            continue;
        }
        let Some((action, value)) = text.split_once('=') else {
            return Err(error(line, msg::keys_expected_binding(text)));
        };
        let action = action.trim();
        let Some(scope) = scope else {
            return Err(error(line, msg::keys_before_context(action)));
        };
        let names = parse_value(value.trim()).map_err(|what| error(line, what))?;
        let mut parsed = Vec::new();
        for name in names {
            let key = Key::parse(&name).ok_or_else(|| {
                error(
                    line,
                    msg::keys_unknown_key(&name, &format!("{}.{action}", scope.name())),
                )
            })?;
            parsed.push(key);
        }
        let binding = keys
            .context_mut(scope)
            .iter_mut()
            .find(|b| b.name == action)
            .ok_or_else(|| {
                error(
                    line,
                    msg::keys_unknown_action(&format!("{}.{action}", scope.name())),
                )
            })?;
        binding.keys = parsed;
        set_at.push((scope, binding.name, line));
    }
    // Two actions on one key in one context: the first set in the file is named too.
    for scope in Scope::ALL {
        let bindings = keys.context(scope);
        for (i, a) in bindings.iter().enumerate() {
            for b in &bindings[i + 1..] {
                if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                    let line_of = |name| {
                        set_at
                            .iter()
                            .rev()
                            .find(|(s, n, _)| *s == scope && *n == name)
                            .map(|(_, _, l)| *l)
                    };
                    let line = line_of(b.name).or(line_of(a.name)).unwrap_or(0);
                    return Err(error(
                        line,
                        msg::keys_clash(&key.name(), scope.name(), a.name, b.name),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A line without its `#` comment (a `#` inside quotes is a key).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

/// `"KEY"` or `["KEY", "KEY"]` (an empty list takes the action off every key).
fn parse_value(value: &str) -> Result<Vec<String>, String> {
    let string = |s: &str| -> Result<String, String> {
        let s = s.trim();
        let inner = s
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .filter(|_| s.len() >= 2)
            .ok_or_else(|| msg::keys_expected_quoted(s))?;
        Ok(inner.replace("\\\"", "\"").replace("\\\\", "\\"))
    };
    if let Some(list) = value.strip_prefix('[') {
        let list = list
            .strip_suffix(']')
            .ok_or_else(|| msg::keys_list_unclosed(value))?;
        return list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(string)
            .collect();
    }
    Ok(vec![string(value)?])
}
