//! Every text a person sees comes from here, in Chinese and in English.
//!
//! The language is chosen once at start ([`set_lang`], from `LIAISON_LANG`, the database's
//! setting or the locale: [`detect`]) and read everywhere through [`lang`]. A missing
//! translation does not compile: a fixed text is a [`Msg`] made by [`texts!`], which takes
//! both strings, and a text with values is a function whose `match lang()` (or [`tr!`]) must
//! name both languages. The test at the bottom also refuses an empty or untranslated text.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

/// The language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `en`, `zh`, and locale-like forms (`zh_CN.UTF-8`, `zh-Hans`, `中文`, `english`).
    pub fn parse(text: &str) -> Option<Lang> {
        let text = text.trim().to_lowercase();
        if text.starts_with("zh") || text == "中文" || text == "chinese" {
            Some(Lang::Zh)
        } else if text.starts_with("en") || text == "英文" {
            Some(Lang::En)
        } else {
            None
        }
    }

    fn as_byte(self) -> u8 {
        match self {
            Lang::En => 1,
            Lang::Zh => 2,
        }
    }
}

/// 0: not set (English).
static LANG: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A test's own language, so that tests in both languages can run side by side.
    static THREAD_LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language of the whole process; set once at start.
pub fn set_lang(lang: Lang) {
    LANG.store(lang.as_byte(), Ordering::Relaxed);
}

/// Sets the language of this thread only (tests), over the process's; `None` undoes it.
pub fn set_thread_lang(lang: Option<Lang>) {
    THREAD_LANG.with(|l| l.set(lang));
}

pub fn lang() -> Lang {
    if let Some(lang) = THREAD_LANG.with(Cell::get) {
        return lang;
    }
    match LANG.load(Ordering::Relaxed) {
        2 => Lang::Zh,
        _ => Lang::En,
    }
}

/// The environment variable that overrides the stored language setting.
pub const LANG_ENV: &str = "LIAISON_LANG";

/// The language the environment asks for: `LIAISON_LANG`, else the stored setting, else the
/// locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: Chinese when it starts with `zh`).
pub fn detect(stored: Option<Lang>) -> Lang {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(lang) = var(LANG_ENV).as_deref().and_then(Lang::parse) {
        return lang;
    }
    if let Some(lang) = stored {
        return lang;
    }
    let locale = var("LC_ALL")
        .or_else(|| var("LC_MESSAGES"))
        .or_else(|| var("LANG"))
        .unwrap_or_default();
    if locale.to_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// A fixed text in both languages; reads as the current language's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Msg {
    pub const fn new(en: &'static str, zh: &'static str) -> Msg {
        Msg { en, zh }
    }

    /// The text in the current language.
    pub fn get(self) -> &'static str {
        self.in_lang(lang())
    }

    pub fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

impl std::ops::Deref for Msg {
    type Target = str;
    fn deref(&self) -> &str {
        self.get()
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.get())
    }
}

impl From<Msg> for &'static str {
    fn from(m: Msg) -> &'static str {
        m.get()
    }
}

impl From<Msg> for String {
    fn from(m: Msg) -> String {
        m.get().to_string()
    }
}

impl From<Msg> for std::borrow::Cow<'static, str> {
    fn from(m: Msg) -> Self {
        std::borrow::Cow::Borrowed(m.get())
    }
}

/// No text (a column without a heading).
pub const BLANK: Msg = Msg::new("", "");

/// Fixed texts: `NAME = "English", "中文";`. Both are required by the pattern, so a missing
/// translation does not compile; `ALL` lists them for the test that refuses empty ones.
macro_rules! texts {
    ($( $(#[$meta:meta])* $name:ident = $en:literal, $zh:literal; )*) => {
        $( $(#[$meta])* pub const $name: $crate::messages::Msg = $crate::messages::Msg::new($en, $zh); )*
        #[cfg(test)]
        pub(crate) const ALL: &[(&str, $crate::messages::Msg)] = &[ $( (stringify!($name), $name) ),* ];
    };
}

/// A text with values: `tr!("Saved {name}", "已保存 {name}")`, both formats required.
macro_rules! tr {
    ($en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        match $crate::messages::lang() {
            $crate::messages::Lang::En => format!($en $(, $arg)*),
            $crate::messages::Lang::Zh => format!($zh $(, $arg)*),
        }
    };
}

mod agenda;
mod check;
mod cli;
mod conflicts;
mod errors;
mod firms;
mod frame;
mod issues;
mod keys;
mod model;
mod reports;
mod server;
mod sync;
mod transfer;
mod undo;

pub use agenda::*;
pub use check::*;
pub use cli::*;
pub use conflicts::*;
pub use errors::*;
pub use firms::*;
pub use frame::*;
pub use issues::*;
pub use keys::*;
pub use model::*;
pub use reports::*;
pub use server::*;
pub use sync::*;
pub use transfer::*;
pub use undo::*;

#[cfg(test)]
mod tests;
