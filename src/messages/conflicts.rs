//! Values set on two ledgers at once (issue 14): their marks, view and resolution.

texts! {
    VIEW_CONFLICTS = "Conflicts", "冲突";
    // The filter of the Conflicts view, in the words of the language (the filter reads both).
    FILTER_CONFLICTS = "conflict", "冲突";
    LABEL_CONFLICTS = "In conflict (K chooses)", "冲突（K 选择）";
    KEY_RESOLVE_CONFLICT = "choose the value to keep of a field in conflict (or type one)", "选择冲突字段要保留的值（或输入新值）";
    NO_CONFLICT_HERE = "This item has no field in conflict", "此事项没有冲突的字段";
    TYPE_NEW_VALUE = "(type one)", "（输入新值）";
    PICK_CONFLICT = "Which value to keep?", "保留哪个值？";
    FORM_CONFLICT_VALUE = "The value to keep", "要保留的值";
    KEY_EXPORT_BUNDLE = "write a bundle of changes for another ledger (USB stick, mail)", "为其他台账导出同步包（U 盘、邮件）";
    KEY_IMPORT_BUNDLE = "apply a bundle of changes from another ledger", "导入其他台账的同步包";
    FORM_EXPORT_BUNDLE = "Write a bundle of changes", "导出同步包";
    FORM_IMPORT_BUNDLE = "Apply a bundle of changes", "导入同步包";
    BUNDLE_APPLYING = "applying the bundle…", "正在导入同步包…";
    BUNDLE_BUSY = "a bundle is being applied; wait for it", "正在导入同步包，请稍候";
    LABEL_BUNDLE_FILE = "File", "文件";
    LABEL_BUNDLE_PEER = "For ledger", "给台账";
    BUNDLE_PEER_HINT = "its code (`liaison sync status`); empty: every operation", "对方台账代码（见 `liaison sync status`）；留空：全部操作";
}

/// Beside an item in conflict, in the list and the detail's heading.
pub const ITEM_CONFLICT_MARK: &str = "⚠";

/// Who set a value in conflict, on which ledger and when.
/// Who set a value, from which ledger and when, in the local time `offset`.
pub fn head_who(head: &crate::store::Head, offset: &chrono::FixedOffset) -> String {
    let millis = (head.hlc >> 16) as i64;
    let when = chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.with_timezone(offset).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    let author = if head.author.is_empty() {
        "-"
    } else {
        &head.author
    };
    conflict_who(author, &crate::store::ledger_code(head.op.actor), &when)
}

pub fn conflict_who(author: &str, ledger: &str, when: &str) -> String {
    tr!(
        "{author}, ledger {ledger}, {when}",
        "{author}，台账 {ledger}，{when}"
    )
}

/// The status line after a value was chosen.
pub fn conflict_resolved(field: &str, left: usize) -> String {
    tr!(
        "{field}: kept; {left} conflict(s) stand",
        "{field}：已选定；尚有 {left} 处冲突"
    )
}

/// A bundle was written.
pub fn bundle_written(ops: usize, path: &str) -> String {
    tr!(
        "wrote {ops} operation(s) to {path}",
        "已将 {ops} 项操作写入 {path}"
    )
}

/// A bundle was applied: what it brought.
pub fn bundle_imported(
    ledger: &str,
    new: usize,
    records: usize,
    conflicts: usize,
    standing: usize,
) -> String {
    tr!(
        "from ledger {ledger}: {new} new operation(s), {records} record(s) changed, {conflicts} conflict(s) arose; {standing} stand",
        "来自台账 {ledger}：新操作 {new} 项，改动记录 {records} 条，新冲突 {conflicts} 处；现有冲突 {standing} 处"
    )
}

/// A bundle could not be written or applied (nothing of it was).
pub fn bundle_failed(reason: &str) -> String {
    tr!(
        "bundle refused, nothing applied: {reason}",
        "同步包被拒绝，未作任何改动：{reason}"
    )
}

/// A bundle could not be written.
pub fn bundle_not_written(reason: &str) -> String {
    tr!("bundle not written: {reason}", "同步包未写出：{reason}")
}

/// The export's ledger is not known here.
pub fn bundle_no_peer(code: &str) -> String {
    tr!(
        "no ledger {code} is known here (`liaison sync status` lists them)",
        "本台账不认识台账 {code}（`liaison sync status` 可列出）"
    )
}
