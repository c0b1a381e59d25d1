//! The error types' messages: the filter language (more to come: store, import, restore).

pub fn filter_at(position: usize, message: &str) -> String {
    tr!(
        "at character {position}: {message}",
        "第 {position} 个字符处：{message}"
    )
}
pub fn filter_unknown_status(s: &str) -> String {
    tr!(
        "unknown status {s} (new, assigned, in-progress, answered, closed, open)",
        "没有状态 {s}（新建、已交办、办理中、已答复、已办结、未办结）"
    )
}
pub fn filter_needs_value(key: &str) -> String {
    tr!("{key}: needs a value", "{key}: 需要一个值")
}
pub fn filter_needs_department() -> String {
    tr!(
        "dept: needs a department name, or none",
        "部门: 需要部门名称，或 无"
    )
}
pub fn filter_unknown_priority(p: &str) -> String {
    tr!(
        "unknown priority {p} (low, normal, high, urgent)",
        "没有优先级 {p}（低、中、高、急）"
    )
}
pub fn filter_bad_due(v: &str) -> String {
    tr!(
        "due:{v} — write due:7d, due:today, due:week, due:month, due:2026-01 or due<2026-01-31",
        "期限:{v} — 可写 期限:7天、期限:2周、期限:今天、期限:本周、期限:本月、期限:2026-01 或 期限<2026-01-31"
    )
}
pub fn filter_unknown_sort(v: &str) -> String {
    tr!(
        "unknown sort {v} (due, priority, age, firm, updated)",
        "没有排序 {v}（期限、优先级、时长、企业、更新）"
    )
}
pub fn filter_unknown_condition(key: &str) -> String {
    tr!(
        "unknown condition {key}: (status, dept, firm, cat, prio, due, raised, closed, tag, owner, overdue, visit, callback, sort)",
        "没有条件 {key}:（状态、部门、企业、类别、优先级、期限、创建、办结、标签、经办人、逾期、走访、回访、排序）"
    )
}
pub fn filter_bad_callback(value: &str) -> String {
    tr!(
        "callback:{value} — write callback:due (回访:待) for closed items awaiting their call",
        "回访:{value} —— 待回访的已办结事项写作 回访:待（callback:due）"
    )
}
pub fn filter_no_number(body: &str) -> String {
    tr!("{body}: no such item number", "{body}：没有这个事项编号")
}
pub fn filter_no_department(name: &str, known: &[&str]) -> String {
    let known = names_list(known);
    tr!(
        "no department {name} (known: {known})",
        "没有部门 {name}（已有：{known}）"
    )
}
pub fn filter_no_category(name: &str, known: &[&str]) -> String {
    let known = names_list(known);
    tr!(
        "no category {name} (known: {known})",
        "没有类别 {name}（已有：{known}）"
    )
}
/// Names offered, as each language lists them: `a, b` and `甲、乙`.
fn names_list(names: &[&str]) -> String {
    names.join(match super::lang() {
        super::Lang::En => ", ",
        super::Lang::Zh => "、",
    })
}
pub fn filter_bad_date(word: &str) -> String {
    tr!(
        "{word} — write a day as 2026-01-31 or a month as 2026-01",
        "{word} — 日期写作 2026-01-31，月份写作 2026-01"
    )
}

/// What a store error names (`no firm 12`): the store's own words, as the interface says them.
fn record_kind(what: &'static str) -> &'static str {
    let zh = match what {
        "firm" => "企业",
        "item" => "事项",
        "visit" => "走访",
        "department" => "部门",
        "category" => "类别",
        "view" => "视图",
        "contact" => "联系人",
        "key" => "键",
        "tree" => "数据表",
        "meta entry" => "元数据项",
        _ => what,
    };
    super::Msg::new(what, zh).get()
}

pub fn store_error(e: &crate::store::StoreError) -> String {
    use crate::store::StoreError as E;
    match e {
        E::InUse { path } => {
            let path = path.display();
            tr!(
                "the database at {path} is in use by another liaison process",
                "{path} 的数据库正被另一个 liaison 进程使用"
            )
        }
        E::Open { path, reason } => {
            let path = path.display();
            tr!(
                "cannot open the database at {path}: {reason}",
                "无法打开 {path} 的数据库：{reason}"
            )
        }
        E::TooNew { found, supported } => tr!(
            "this database has schema v{found}, written by a newer liaison; this build reads up to v{supported}",
            "此数据库的结构版本为 v{found}，由更新的 liaison 写入；本版本最多读取 v{supported}"
        ),
        E::Corrupt { tree, key, error } => tr!(
            "damaged record in {tree} (key {key}): {error}",
            "{tree} 中有损坏的记录（键 {key}）：{error}"
        ),
        E::Invalid(e) => super::field_error(e),
        E::DuplicateName { name, .. } => super::duplicate_name(name),
        E::NotFound { what, key } => {
            let what = record_kind(what);
            tr!("no {what} {key}", "没有{what} {key}")
        }
        E::Duplicate { what, key } => {
            let what = record_kind(what);
            tr!("{what} {key} appears twice", "{what} {key} 出现了两次")
        }
        E::NotEmpty { path } => {
            let path = path.display();
            tr!(
                "the database at {path} is not empty; restore only into a new directory or an empty database",
                "{path} 的数据库不是空的；只能恢复到新目录或空数据库"
            )
        }
        E::NoMigration { path, found, from } => {
            let path = path.display();
            tr!(
                "the database at {path} has schema v{found}, which this liaison cannot upgrade (it has no migration from v{from}); it was left unchanged",
                "{path} 的数据库结构版本为 v{found}，本 liaison 无法升级（没有从 v{from} 的迁移）；数据库未改动"
            )
        }
        E::MigrationBackup { path, reason } => {
            let path = path.display();
            tr!(
                "the database needs upgrading, but the backup taken first could not be written ({path}: {reason}); the database was left unchanged",
                "数据库需要升级，但升级前的备份无法写入（{path}：{reason}）；数据库未改动"
            )
        }
        E::MigrationFailed { from, copy, reason } => {
            let copy = copy.display();
            tr!(
                "upgrading the database from schema v{from} failed: {reason}; a copy of it as it was before the upgrade is in {copy}",
                "从结构版本 v{from} 升级数据库失败：{reason}；升级前的副本在 {copy}"
            )
        }
        E::DiskFull {
            path,
            free_bytes,
            last_item,
        } => {
            let mut text = match path {
                Some(path) => {
                    let path = path.display();
                    tr!("the disk holding {path} is full", "{path} 所在的磁盘已满")
                }
                None => tr!(
                    "the disk holding the database is full",
                    "数据库所在的磁盘已满"
                ),
            };
            if let Some(free) = free_bytes {
                let mib = free >> 20;
                text.push_str(&tr!(": {mib} MiB free", "：剩余 {mib} MiB"));
            }
            // sled may have put part of the unconfirmed writes on disk before it ran out of
            // room; what was confirmed is all there.
            text.push_str(&match last_item {
                Some(number) if *number > 0 => tr!(
                    "; every change saved before is kept (items up to #{number}), nothing written after item #{number} was confirmed",
                    "；此前保存的改动都在（事项到 #{number} 为止），#{number} 之后写入的都未确认"
                ),
                Some(_) => tr!(
                    "; every change saved before is kept, nothing after it was confirmed",
                    "；此前保存的改动都在，之后的都未确认"
                ),
                None => tr!("; nothing was written", "；没有写入任何内容"),
            });
            text.push_str(&tr!(
                " (free some space and run it again)",
                "（请腾出空间后重试）"
            ));
            text
        }
        E::Sync { reason } => tr!(
            "the operations were not applied (nothing was): {reason}",
            "这些操作没有应用（一项也没有）：{reason}"
        ),
        E::Engine(reason) => tr!("storage error: {reason}", "存储错误：{reason}"),
    }
}

// ---- the theme file ---------------------------------------------------------------------

pub fn theme_expected_pair(line: &str) -> String {
    tr!(
        "expected name = colour, found {line}",
        "应为 名称 = 颜色，却是 {line}"
    )
}
pub fn theme_not_a_colour(value: &str) -> String {
    tr!(
        "{value} is not a colour (red, light-blue, #1e90ff, 208)",
        "{value} 不是颜色（red、light-blue、#1e90ff、208）"
    )
}
pub fn theme_unknown_key(key: &str, keys: &str) -> String {
    tr!(
        "unknown colour name {key} (one of {keys})",
        "没有颜色名称 {key}（可选：{keys}）"
    )
}
pub fn theme_unknown(name: &str, names: &str) -> String {
    tr!(
        "no theme {name} (one of {names})",
        "没有配色 {name}（可选：{names}）"
    )
}
