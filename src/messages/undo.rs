//! What happened: an item's history, undo and redo steps, records rebuilt by a repair.

use crate::model::{Priority, Status};

texts! {
    STEP_ADDED = "added", "已添加";
    STEP_EDITED = "edited", "已修改";
    STEP_REMOVED = "removed", "已删除";
    STEP_PLANNED = "planned", "已安排";
    STEP_MINUTES = "minutes saved", "纪要已保存";
    /// The title of an item rebuilt by `liaison check --repair` from its index entries and
    /// history: the title itself was only in the damaged record.
    REBUILT_ISSUE_TITLE = "(damaged item: title lost)", "（损坏的事项：标题已丢失）";
}

pub fn event_department(to: &str) -> String {
    tr!("handed to {to}", "交办给 {to}")
}
pub fn event_owner(to: &str) -> String {
    tr!("owner set to {to}", "经办人设为 {to}")
}
pub fn event_priority(from: Priority, to: Priority) -> String {
    let (from, to) = (super::priority(from), super::priority(to));
    tr!("priority {from} → {to}", "优先级 {from} → {to}")
}
pub fn event_due(to: &str) -> String {
    tr!("due set to {to}", "期限设为 {to}")
}
pub fn event_category(to: &str) -> String {
    tr!("category set to {to}", "类别设为 {to}")
}
pub fn event_response(text: &str, to_firm: bool) -> String {
    if to_firm {
        tr!("answer to the firm: {text}", "给企业的答复：{text}")
    } else {
        tr!("response: {text}", "答复：{text}")
    }
}
pub fn event_status(from: Status, to: Status) -> String {
    format!("{} → {}", super::status(from), super::status(to))
}
pub fn event_firm(to: &str) -> String {
    tr!(
        "moved to {to} (two records of one firm merged)",
        "移到 {to}（同一企业的两条记录已合并）"
    )
}
/// A change of tags, as the history lists it: `tags: +专班 −省重点`.
pub fn event_tags(added: &[String], removed: &[String]) -> String {
    let mut words: Vec<String> = added.iter().map(|t| format!("+{t}")).collect();
    words.extend(removed.iter().map(|t| format!("−{t}")));
    let words = words.join(" ");
    tr!("tags: {words}", "标签：{words}")
}
pub fn event_title(to: &str) -> String {
    tr!("title: {to}", "标题：{to}")
}
pub fn event_reverted(what: &str) -> String {
    tr!("undo: {what}", "撤销：{what}")
}
pub fn edited(number: u32, changes: usize) -> String {
    tr!(
        "#{number}: {changes} change(s) saved",
        "#{number}：已保存 {changes} 处改动"
    )
}
pub fn undone(what: &str, count: usize) -> String {
    tr!(
        "Undone on {count} item(s): {what}",
        "已在 {count} 个事项上撤销：{what}"
    )
}
pub fn redone(what: &str, count: usize) -> String {
    tr!(
        "Redone on {count} item(s): {what}",
        "已在 {count} 个事项上重做：{what}"
    )
}
// What an undo step was, as "Undone: …" and "Redone: …" name it.
pub fn step_firm_added(name: &str) -> String {
    tr!("firm {name} added", "添加企业 {name}")
}
pub fn step_firm_edited(name: &str) -> String {
    tr!("{name} edited", "修改 {name}")
}
pub fn step_archived(name: &str, archived: bool) -> String {
    if archived {
        tr!("{name} archived", "归档 {name}")
    } else {
        tr!("{name} restored", "恢复 {name}")
    }
}
pub fn step_contact(contact: &str, firm: &str, what: &str) -> String {
    tr!(
        "contact {contact} of {firm} {what}",
        "{firm} 的联系人 {contact} {what}"
    )
}
pub fn step_visit(firm: &str, what: &str) -> String {
    tr!("visit to {firm} {what}", "走访 {firm} {what}")
}
pub fn step_raised(number: u32) -> String {
    tr!("#{number} raised", "提出 #{number}")
}
pub fn step_view_saved(name: &str) -> String {
    tr!("view {name} saved", "保存视图 {name}")
}
pub fn step_view_deleted(name: &str) -> String {
    tr!("view {name} deleted", "删除视图 {name}")
}
pub fn changed_since(what: &str) -> String {
    tr!(
        "Not undone or redone: {what}; changed since by an import, which undo would lose (the step is dropped)",
        "未撤销或重做：{what}；之后被导入改过，撤销会丢失那些改动（此步已舍弃）"
    )
}
pub fn undone_change(what: &str) -> String {
    tr!("Undone: {what}", "已撤销：{what}")
}
pub fn redone_change(what: &str) -> String {
    tr!("Redone: {what}", "已重做：{what}")
}

/// The notes of a rebuilt firm and the detail of a rebuilt item.
pub fn rebuilt_note(day: chrono::NaiveDate) -> String {
    tr!(
        "Rebuilt by `liaison check --repair` on {day}: the damaged record is kept in quarantine (`liaison check --quarantine`); enter what was lost again.",
        "{day} 由 `liaison check --repair` 重建：损坏的记录保存在隔离区（`liaison check --quarantine`）；请重新录入丢失的内容。"
    )
}

/// The name of a rebuilt firm whose name is not known from the name index.
pub fn rebuilt_firm_name(id: crate::model::Id) -> String {
    tr!("damaged firm {id}", "损坏的企业 {id}")
}
