//! How this machine shows the app: the interface language and the colour theme. Settings of
//! this machine like the week start, not carried by a backup; stored as their codes, so the
//! store knows nothing of languages or colours.

use super::*;

const META_LANG: &[u8] = b"lang";
const META_THEME: &[u8] = b"theme";

impl Store {
    /// The interface language's code (`zh`, `en`), if one was set.
    pub fn lang_code(&self) -> Result<Option<String>, StoreError> {
        self.get_meta(META_LANG)
    }

    pub fn set_lang_code(&self, code: &str) -> Result<(), StoreError> {
        self.trees[META].insert(META_LANG, codec::encode(&code.to_string()))?;
        self.flush()
    }

    /// The colour theme's name (`dark`, `light`, …), if one was set.
    pub fn theme_name(&self) -> Result<Option<String>, StoreError> {
        self.get_meta(META_THEME)
    }

    pub fn set_theme_name(&self, name: &str) -> Result<(), StoreError> {
        self.trees[META].insert(META_THEME, codec::encode(&name.to_string()))?;
        self.flush()
    }
}
