//! `liaison check`'s, `recover`'s and the unfinished-work lines (what the store finds in a record stays as the store says it).

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

// `liaison recover`.
pub fn recover_into_not_empty(dir: &str) -> String {
    tr!(
        "--into {dir}: not an empty directory; recover only into a new one",
        "--into {dir}：不是空目录；只能恢复到一个新目录"
    )
}
pub fn recover_no_backups(db: &str) -> String {
    tr!("no backups directory for {db}", "{db} 没有备份目录")
}
pub fn recover_skipped(path: &str, why: &str) -> String {
    tr!(
        "skipped the backup {path}: {why}",
        "跳过了备份 {path}：{why}"
    )
}
pub fn recover_from_backup(path: &str, firms: u64, visits: u64, items: u64, events: u64) -> String {
    tr!(
        "from the backup {path}: {firms} firms, {visits} visits, {items} items with {events} history events",
        "从备份 {path}：{firms} 家企业、{visits} 次走访、{items} 项事项及 {events} 条历史记录"
    )
}
pub fn recover_journal(entries: u64, path: &str) -> String {
    tr!(
        "replayed {entries} entries of the journal {path}",
        "重放了日志 {path} 中的 {entries} 条记录"
    )
}
pub fn recover_torn(bytes: u64) -> String {
    tr!(
        "  an unfinished last entry ({bytes} bytes) was ignored: that write was cut short and never confirmed",
        "  忽略了未写完的最后一条记录（{bytes} 字节）：那次写入被中断，从未确认"
    )
}
pub fn recover_lost(what: &str) -> String {
    tr!("could not bring back: {what}", "无法找回：{what}")
}
pub fn recover_rebuilt(
    into: &str,
    firms: u64,
    visits: u64,
    items: u64,
    seconds: f64,
    db: &str,
) -> String {
    tr!(
        "rebuilt {into} with {firms} firms, {visits} visits, {items} items in {seconds:.1} s; {db} was left untouched. Run `liaison --db {into} check`, then use it.",
        "已重建 {into}：{firms} 家企业、{visits} 次走访、{items} 项事项，用时 {seconds:.1} 秒；{db} 未被改动。请先运行 `liaison --db {into} check`，再使用它。"
    )
}
pub fn recover_lost_count(n: usize) -> String {
    tr!(
        "{n} thing(s) could not be brought back (listed above)",
        "有 {n} 项无法找回（见上）"
    )
}

// A database whose last batch command did not finish.
pub fn unfinished_refused(path: &str, mark: &str, remedy: &str) -> String {
    tr!(
        "the database at {path} is refused: {mark} did not finish and it holds only part of what that writes; {remedy} (`liaison check` reports it)",
        "拒绝使用 {path} 的数据库：{mark} 没有完成，数据库只有它要写入的一部分；{remedy}（`liaison check` 会报告此情况）"
    )
}
pub fn unfinished_resuming(mark: &str, what: &str) -> String {
    tr!(
        "liaison: {mark} did not finish; {what}",
        "liaison：{mark} 没有完成；{what}"
    )
}

texts! {
    CHECK_NOTHING_TO_REPAIR = "nothing to repair", "没有需要修复的内容";
    CHECK_QUARANTINE_EMPTY = "the quarantine is empty", "隔离区是空的";
    RECOVER_EMPTY_FROM_START = "from an empty database: the journal reaches back to its creation", "从空数据库开始：日志可追溯到数据库创建时";
    RECOVER_EMPTY_NO_BACKUP = "from an empty database: no automatic backup reads whole", "从空数据库开始：没有一个自动备份能完整读出";
    UNFINISHED_DRY_RUN = "this dry run shows what running it again would do", "此次试运行显示重新运行会做什么";
    UNFINISHED_START_OVER = "starting over: the database is emptied first", "重新开始：先清空数据库";
    UNFINISHED_RESUME_ITEMS = "resuming: rows already imported are matched to their items, the rest are added", "继续：已导入的行与其事项对应，其余的添加";
    UNFINISHED_RESUME_FIRMS = "resuming: firms already imported are matched by name", "继续：已导入的企业按名称对应";
}
