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
        "unknown condition {key}: (status, dept, firm, cat, prio, due, raised, closed, tag, owner, overdue, visit, sort)",
        "没有条件 {key}:（状态、部门、企业、类别、优先级、期限、创建、办结、标签、经办人、逾期、走访、排序）"
    )
}
pub fn filter_no_number(body: &str) -> String {
    tr!("{body}: no such item number", "{body}：没有这个事项编号")
}
pub fn filter_no_department(name: &str, known: &str) -> String {
    tr!(
        "no department {name} (known: {known})",
        "没有部门 {name}（已有：{known}）"
    )
}
pub fn filter_no_category(name: &str, known: &str) -> String {
    tr!(
        "no category {name} (known: {known})",
        "没有类别 {name}（已有：{known}）"
    )
}
pub fn filter_bad_date(word: &str) -> String {
    tr!(
        "{word} — write a day as 2026-01-31 or a month as 2026-01",
        "{word} — 日期写作 2026-01-31，月份写作 2026-01"
    )
}
