//! The user's `keys.toml`: what is wrong with a line, and `liaison keys`'s heading.

pub fn keys_unknown_context(name: &str, known: &str) -> String {
    tr!(
        "unknown context [{name}] (known: {known})",
        "未知的场景 [{name}]（可用：{known}）"
    )
}
pub fn keys_expected_binding(text: &str) -> String {
    tr!(
        "expected `action = \"KEY\"`, found `{text}`",
        "应为 `动作 = \"按键\"`，实为 `{text}`"
    )
}
pub fn keys_before_context(action: &str) -> String {
    tr!(
        "`{action}` comes before any [context]",
        "`{action}` 出现在任何 [场景] 之前"
    )
}
pub fn keys_unknown_key(name: &str, action: &str) -> String {
    tr!(
        "unknown key name \"{name}\" for {action}",
        "{action} 的按键名 \"{name}\" 无法识别"
    )
}
pub fn keys_unknown_action(action: &str) -> String {
    tr!("unknown action {action}", "未知的动作 {action}")
}
pub fn keys_shadowed(key: &str, hidden: &str, by: &str) -> String {
    tr!(
        "{key} is on {by}, which is looked up first: {hidden} is out of reach (give it another key in keys.toml)",
        "{key} 已用于 {by}（先查找它）：{hidden} 按不到了（请在 keys.toml 中给它换个键）"
    )
}
pub fn keys_clash(key: &str, context: &str, a: &str, b: &str) -> String {
    tr!(
        "{key} is on two actions in [{context}]: {a} and {b}",
        "{key} 在 [{context}] 中同时用于两个动作：{a} 和 {b}"
    )
}
pub fn keys_expected_quoted(text: &str) -> String {
    tr!(
        "expected a key name in quotes, found `{text}`",
        "应为带引号的按键名，实为 `{text}`"
    )
}
pub fn keys_list_unclosed(text: &str) -> String {
    tr!(
        "a list of keys must end with ], found `{text}`",
        "按键列表必须以 ] 结尾，实为 `{text}`"
    )
}
pub fn keys_unreadable(why: &str) -> String {
    tr!(
        "cannot read the keys file: {why}",
        "无法读取按键文件：{why}"
    )
}

texts! {
    KEYS_HEAD_ACTION = "Action", "动作";
    KEYS_HEAD_KEYS = "Keys", "按键";
    KEYS_HEAD_WHAT = "What it does", "作用";
}
