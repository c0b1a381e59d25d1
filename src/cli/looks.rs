//! The interface language and the colour theme, chosen once at start.

use super::{CliError, CliResult};
use crate::messages::{self as msg, Lang};
use crate::store::Store;
use crate::ui::theme::{self, Theme, ThemeName};
use std::path::PathBuf;

/// The theme file that overrides `theme.toml` in the config directory (tests).
pub const THEME_FILE_ENV: &str = "LIAISON_THEME_FILE";

/// `LIAISON_LANG`, else the database's setting, else the locale.
pub fn apply_lang(store: Option<&Store>) {
    let stored = store
        .and_then(|s| s.lang_code().ok().flatten())
        .as_deref()
        .and_then(Lang::parse);
    msg::set_lang(msg::detect(stored));
}

/// `NO_COLOR` gives monochrome; else the database's theme, changed by the theme file if there
/// is one. A mistake in the file stops the app with `FILE:LINE: what` (exit 2).
pub fn apply_theme(store: Option<&Store>) -> CliResult {
    if theme::no_color() {
        theme::set_theme(Theme::MONOCHROME);
        return Ok(());
    }
    let name = store
        .and_then(|s| s.theme_name().ok().flatten())
        .as_deref()
        .and_then(ThemeName::parse)
        .unwrap_or(ThemeName::Dark);
    let mut chosen = Theme::built_in(name);
    if let Some(path) = theme_file() {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                chosen = chosen.apply_file(&text).map_err(|mistakes| {
                    let lines: Vec<String> = mistakes
                        .iter()
                        .map(|(line, what)| format!("{}:{line}: {what}", path.display()))
                        .collect();
                    CliError::Input(lines.join("\n"))
                })?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(CliError::Input(msg::cannot_read(
                    &path.display().to_string(),
                    &e.to_string(),
                )))
            }
        }
    }
    theme::set_theme(chosen);
    Ok(())
}

/// `LIAISON_THEME_FILE`, else `theme.toml` in the platform's config directory.
fn theme_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(THEME_FILE_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "liaison").map(|d| d.config_dir().join("theme.toml"))
}

pub fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| "zh or en".to_string())
}

pub fn parse_theme(text: &str) -> Result<ThemeName, String> {
    ThemeName::parse(text).ok_or_else(|| theme::unknown_theme(text))
}
