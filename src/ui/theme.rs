//! The colours of the interface, in one place: a `Theme` names what each colour is for, and
//! the ui asks [`theme`] for them. Built in: dark (the first colours), light, high contrast and
//! monochrome; `NO_COLOR` gives monochrome; a theme file can change single colours.
//!
//! Nothing is told by colour alone: overdue keeps its `!`, marks their `●`, and whatever is
//! drawn on a coloured background (the selected row, the tab shown, the mode) is drawn
//! reversed in monochrome, where there are no backgrounds.

use crate::messages as msg;
use ratatui::style::{Color, Modifier, Style};
use std::cell::Cell;
use std::sync::RwLock;

/// What each colour is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    /// Hints, labels, borders: what is there to read but not first.
    pub dim: Color,
    /// Done, low, inactive.
    pub muted: Color,
    /// Headings, the field being typed into, the day shown.
    pub accent: Color,
    /// Warnings, high priority, today, a clash.
    pub warn: Color,
    /// Errors, overdue, urgent.
    pub error: Color,
    /// Planned, a hint that helps, a candidate accepted.
    pub ok: Color,
    /// Marked items.
    pub mark: Color,
    /// The background of the selected row.
    pub selected_bg: Color,
    /// Text on a dark coloured background (the selected row, an error badge).
    pub bright: Color,
    /// Text on a light coloured background (the tab shown, the mode, a warning badge).
    pub dark: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
    HighContrast,
    Monochrome,
}

impl ThemeName {
    pub const ALL: [ThemeName; 4] = [
        ThemeName::Dark,
        ThemeName::Light,
        ThemeName::HighContrast,
        ThemeName::Monochrome,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
            ThemeName::Monochrome => "monochrome",
        }
    }

    pub fn parse(text: &str) -> Option<ThemeName> {
        let text = text.trim().to_lowercase().replace(['_', ' '], "-");
        let text = match text.as_str() {
            "mono" | "none" | "no-color" => "monochrome",
            "contrast" | "high" => "high-contrast",
            other => other,
        };
        ThemeName::ALL.into_iter().find(|t| t.code() == text)
    }
}

impl Theme {
    pub const DARK: Theme = Theme {
        name: ThemeName::Dark,
        dim: Color::DarkGray,
        muted: Color::Gray,
        accent: Color::Cyan,
        warn: Color::Yellow,
        error: Color::Red,
        ok: Color::Green,
        mark: Color::Magenta,
        selected_bg: Color::Blue,
        bright: Color::White,
        dark: Color::Black,
    };

    pub const LIGHT: Theme = Theme {
        name: ThemeName::Light,
        dim: Color::Indexed(244),
        muted: Color::Indexed(240),
        accent: Color::Blue,
        warn: Color::Indexed(130),
        error: Color::Red,
        ok: Color::Indexed(28),
        mark: Color::Magenta,
        selected_bg: Color::Indexed(153),
        bright: Color::Black,
        dark: Color::White,
    };

    pub const HIGH_CONTRAST: Theme = Theme {
        name: ThemeName::HighContrast,
        dim: Color::White,
        muted: Color::White,
        accent: Color::LightCyan,
        warn: Color::LightYellow,
        error: Color::LightRed,
        ok: Color::LightGreen,
        mark: Color::LightMagenta,
        selected_bg: Color::White,
        bright: Color::Black,
        dark: Color::Black,
    };

    pub const MONOCHROME: Theme = Theme {
        name: ThemeName::Monochrome,
        dim: Color::Reset,
        muted: Color::Reset,
        accent: Color::Reset,
        warn: Color::Reset,
        error: Color::Reset,
        ok: Color::Reset,
        mark: Color::Reset,
        selected_bg: Color::Reset,
        bright: Color::Reset,
        dark: Color::Reset,
    };

    pub fn built_in(name: ThemeName) -> Theme {
        match name {
            ThemeName::Dark => Theme::DARK,
            ThemeName::Light => Theme::LIGHT,
            ThemeName::HighContrast => Theme::HIGH_CONTRAST,
            ThemeName::Monochrome => Theme::MONOCHROME,
        }
    }

    fn is_mono(&self) -> bool {
        self.name == ThemeName::Monochrome
    }

    /// `fg` on `bg`; reversed where there are no colours, so that it still stands out.
    pub fn on(&self, fg: Color, bg: Color) -> Style {
        if self.is_mono() {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(fg).bg(bg)
        }
    }

    /// The selected row of a list.
    pub fn selected(&self) -> Style {
        self.on(self.bright, self.selected_bg)
            .add_modifier(Modifier::BOLD)
    }

    /// The slot of each colour a theme file may set.
    fn slot(&mut self, key: &str) -> Option<&mut Color> {
        Some(match key {
            "dim" => &mut self.dim,
            "muted" => &mut self.muted,
            "accent" => &mut self.accent,
            "warn" => &mut self.warn,
            "error" => &mut self.error,
            "ok" => &mut self.ok,
            "mark" => &mut self.mark,
            "selected_bg" => &mut self.selected_bg,
            "bright" => &mut self.bright,
            "dark" => &mut self.dark,
            _ => return None,
        })
    }

    pub const KEYS: [&'static str; 10] = [
        "dim",
        "muted",
        "accent",
        "warn",
        "error",
        "ok",
        "mark",
        "selected_bg",
        "bright",
        "dark",
    ];

    /// Applies a theme file: `name = colour` lines (TOML-compatible: quotes and `#` comments
    /// allowed); `theme = light` picks the built-in theme the others change. A colour is a
    /// name (`red`, `light-blue`, `dark-gray`), `#rrggbb` or a 0-255 index. Every mistake is
    /// reported as `LINE: what`.
    pub fn apply_file(mut self, text: &str) -> Result<Theme, Vec<(usize, String)>> {
        let mut mistakes = Vec::new();
        for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                mistakes.push((number, msg::theme_expected_pair(line)));
                continue;
            };
            let key = key.trim().trim_matches('"');
            let value = unquoted_value(value);
            if key == "theme" {
                match ThemeName::parse(value) {
                    Some(name) => {
                        let base = Theme::built_in(name);
                        self = Theme { name, ..base };
                    }
                    None => mistakes.push((number, unknown_theme(value))),
                }
                continue;
            }
            let Some(slot) = self.slot(key) else {
                mistakes.push((number, msg::theme_unknown_key(key, &Theme::KEYS.join(", "))));
                continue;
            };
            match value.parse::<Color>() {
                Ok(colour) => *slot = colour,
                Err(_) => mistakes.push((number, msg::theme_not_a_colour(value))),
            }
        }
        if mistakes.is_empty() {
            Ok(self)
        } else {
            Err(mistakes)
        }
    }
}

/// A value without its quotes and a trailing `# comment` (`"#ff0000" # red` → `#ff0000`).
fn unquoted_value(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(quote) {
            return rest.split(quote).next().unwrap_or("");
        }
    }
    value.split_whitespace().next().unwrap_or("")
}

pub fn unknown_theme(name: &str) -> String {
    let names: Vec<&str> = ThemeName::ALL.iter().map(|t| t.code()).collect();
    msg::theme_unknown(name, &names.join(", "))
}

static THEME: RwLock<Theme> = RwLock::new(Theme::DARK);

thread_local! {
    /// A test's own theme, so that tests of different themes can run side by side.
    static THREAD_THEME: Cell<Option<Theme>> = const { Cell::new(None) };
}

/// The theme of the whole process; set once at start.
pub fn set_theme(theme: Theme) {
    if let Ok(mut current) = THEME.write() {
        *current = theme;
    }
}

/// Sets the theme of this thread only (tests); `None` undoes it.
pub fn set_thread_theme(theme: Option<Theme>) {
    THREAD_THEME.with(|t| t.set(theme));
}

pub fn theme() -> Theme {
    if let Some(theme) = THREAD_THEME.with(Cell::get) {
        return theme;
    }
    THEME.read().map_or(Theme::DARK, |t| *t)
}

/// `NO_COLOR` (any value but empty) asks for no colours: it wins over the setting.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_file_changes_single_colours_and_names_its_mistakes() {
        let file = "# mine\ntheme = \"light\"\nerror = \"#ff0000\" # red\nwarn = 208\n\nmark = light-blue\n";
        let theme = Theme::DARK.apply_file(file).unwrap();
        assert_eq!(theme.name, ThemeName::Light);
        assert_eq!(theme.error, Color::Rgb(255, 0, 0));
        assert_eq!(theme.warn, Color::Indexed(208));
        assert_eq!(theme.mark, Color::LightBlue);
        assert_eq!(theme.accent, Theme::LIGHT.accent);
        let mistakes = Theme::DARK
            .apply_file("error = redish\nshade = red\nno equals\ntheme = pink\n")
            .unwrap_err();
        let lines: Vec<usize> = mistakes.iter().map(|m| m.0).collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
        assert!(
            mistakes[0].1.contains("redish is not a colour"),
            "{mistakes:?}"
        );
        assert!(mistakes[1].1.contains("unknown colour name shade"));
    }

    #[test]
    fn theme_names_parse() {
        assert_eq!(
            ThemeName::parse("high_contrast"),
            Some(ThemeName::HighContrast)
        );
        assert_eq!(ThemeName::parse("Mono"), Some(ThemeName::Monochrome));
        assert_eq!(ThemeName::parse("pink"), None);
    }
}
