//! `liaison check`'s own lines (what the store finds in a record stays as the store says it).

pub fn check_quarantined(n: u64) -> String {
    tr!(
        "; {n} value(s) in quarantine (liaison check --quarantine)",
        "；隔离区有 {n} 个值（liaison check --quarantine）"
    )
}
pub fn check_ok(records: u64, entries: u64, path: &str, quarantined: &str) -> String {
    tr!(
        "ok: {records} records and {entries} index entries checked in {path}{quarantined}",
        "正常：已检查 {path} 中的 {records} 条记录和 {entries} 条索引{quarantined}"
    )
}
pub fn check_repair_hint() -> String {
    tr!(
        "; `liaison check --repair` sets damaged values aside and rebuilds the rest",
        "；`liaison check --repair` 会把损坏的值移入隔离区并重建其余部分"
    )
}
pub fn check_problems(problems: usize, path: &str, records: u64, entries: u64) -> String {
    tr!(
        "{problems} problem(s) found in {path} ({records} records, {entries} index entries checked)",
        "在 {path} 中发现 {problems} 个问题（已检查 {records} 条记录、{entries} 条索引）"
    )
}
pub fn check_quarantine_entry(key: &str, why: &str) -> String {
    tr!(
        "quarantine: {key}: this entry is damaged: {why}",
        "隔离区：{key}：此条目已损坏：{why}"
    )
}
pub fn check_set_aside(what: &str, bytes: usize, at: &str) -> String {
    tr!(
        "{what} ({bytes} bytes, set aside {at})",
        "{what}（{bytes} 字节，移入隔离区于 {at}）"
    )
}

texts! {
    CHECK_NOTHING_TO_REPAIR = "nothing to repair", "没有需要修复的内容";
    CHECK_QUARANTINE_EMPTY = "the quarantine is empty", "隔离区是空的";
}
