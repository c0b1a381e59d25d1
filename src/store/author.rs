/// The login name, as the user setting would take it; `liaison` when there is none or it is
/// not a name the setting takes (a control character, more than 60 characters). Beside the
/// store's `user` setting, which it stands in for when that is unset.
pub fn default_author() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .and_then(|name| crate::model::clean_author(&name).ok())
        .unwrap_or_else(|| "liaison".into())
}
