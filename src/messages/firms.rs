//! The Firms tab: search, the card, the forms, import and merge.

texts! {
    KEY_SEARCH = "search (name, pinyin, initials)", "搜索（名称、拼音、首字母）";
    KEY_OPEN_CARD = "open the firm's card", "打开企业卡片";
    KEY_CLEAR_SEARCH = "clear the search", "清除搜索";
    KEY_NEW_FIRM = "new firm", "新建企业";
    KEY_EDIT_FIRM = "edit the firm", "编辑企业";
    KEY_ARCHIVE = "archive (or restore) the firm", "归档（或恢复）企业";
    KEY_TOGGLE_ARCHIVED = "show or hide archived firms", "显示或隐藏已归档企业";
    KEY_OPEN_ROW = "open the visit or item in its tab", "在其标签页打开走访或事项";
    KEY_BACK = "back to the list", "返回列表";
    /// Esc on a card or a visit opened from an item (the table's words name the list).
    KEY_BACK_TO_ITEM = "back to the item", "返回事项";
    /// Esc on a visit opened from a firm's card.
    KEY_BACK_TO_CARD = "back to the firm's card", "返回企业卡片";
    KEY_EDIT_CARD = "edit the firm, or the contact under the cursor", "编辑企业，或光标处的联系人";
    KEY_ADD_CONTACT = "add a contact", "添加联系人";
    KEY_REMOVE_CONTACT = "remove the contact under the cursor", "删除光标处的联系人";
    SEARCH_HINT = "type a name, pinyin (zhongshan) or initials (zsswgc); Enter opens, Esc clears", "输入名称、拼音（zhongshan）或首字母（zsswgc）；Enter 打开，Esc 清除";
    ARCHIVED_MARK = "archived", "已归档";
    SHOWING_ARCHIVED = "Showing archived firms", "显示已归档企业";
    HIDING_ARCHIVED = "Archived firms hidden", "已隐藏已归档企业";
    NO_MATCH = "No firm matches", "没有匹配的企业";
    CARD_INFO = "Firm", "企业";
    CARD_VISITS = "Visits", "走访";
    CARD_ITEMS = "Items", "事项";
    NO_VISITS = "no visits", "没有走访";
    NO_ITEMS = "no items", "没有事项";
    CARD_KEYS = "Enter open · e edit · a add contact · d remove contact · Esc back", "Enter 打开 · e 编辑 · a 添加联系人 · d 删除联系人 · Esc 返回";
    FORM_NEW_FIRM = "New firm", "新建企业";
    FORM_EDIT_FIRM = "Edit firm", "编辑企业";
    FORM_NEW_CONTACT = "New contact", "新建联系人";
    FORM_EDIT_CONTACT = "Edit contact", "编辑联系人";
    LABEL_NAME = "Name", "名称";
    LABEL_CONTACT_NAME = "Name", "姓名";
    LABEL_CONTACT_TITLE = "Title", "职务";
    LABEL_PHONE = "Phone", "电话";
    LABEL_EMAIL = "Email", "邮箱";
    /// Never shown: a new firm's name before the form fills it in.
    PLACEHOLDER_NAME = "new firm", "新企业";
    KEY_IMPORT = "import firms from a CSV file", "从 CSV 文件导入企业";
    FORM_IMPORT_FIRMS = "Import firms from CSV (UTF-8 or GB18030)", "从 CSV 导入企业（UTF-8 或 GB18030）";
    LABEL_FILE = "File", "文件";
    KEY_MERGE_FIRM = "merge into another firm (the same firm recorded twice)", "并入另一家企业（同一企业记了两次）";
    FORM_MERGE_FIRM = "Merge this firm into", "把本企业并入";
    LABEL_MERGE_INTO = "Into", "并入";
    MERGE_SAME_FIRM = "that is the firm being merged", "这就是要合并的企业";
}

pub fn matches(count: usize, total: usize) -> String {
    tr!("{count} of {total}", "{count} / {total}")
}
pub fn confirm_archive(name: &str) -> String {
    tr!(
        "Archive {name}? Its visits and items are kept.",
        "归档 {name}？其走访和事项都会保留。"
    )
}
pub fn confirm_restore(name: &str) -> String {
    tr!("Restore {name} to the directory?", "把 {name} 恢复到名录？")
}
pub fn confirm_remove_contact(name: &str) -> String {
    tr!("Remove the contact {name}?", "删除联系人 {name}？")
}
pub fn archived(name: &str) -> String {
    tr!("Archived {name}", "已归档 {name}")
}
pub fn restored(name: &str) -> String {
    tr!("Restored {name}", "已恢复 {name}")
}
pub fn contact_removed(name: &str) -> String {
    tr!(
        "Removed contact {name}; saved",
        "已删除联系人 {name}；已保存"
    )
}
pub fn saved(name: &str) -> String {
    tr!("Saved {name}", "已保存 {name}")
}
pub fn firm_added(name: &str) -> String {
    tr!("Added {name}; saved", "已添加 {name}；已保存")
}
pub fn duplicate_name(name: &str) -> String {
    tr!(
        "a firm named {name} already exists",
        "已有名为 {name} 的企业"
    )
}
pub fn cannot_read(path: &str, reason: &str) -> String {
    tr!("cannot read {path}: {reason}", "无法读取 {path}：{reason}")
}
pub fn imported(
    path: &str,
    added: usize,
    updated: usize,
    unchanged: usize,
    bad_rows: usize,
) -> String {
    tr!(
        "Imported {path}: {added} added, {updated} updated, {unchanged} unchanged, {bad_rows} bad row(s)",
        "已导入 {path}：新增 {added}，更新 {updated}，未变 {unchanged}，有误 {bad_rows} 行"
    )
}
pub fn bad_row(line: u64, field: &str, message: &str) -> String {
    tr!(
        "line {line} {field}: {message}",
        "第 {line} 行 {field}：{message}"
    )
}
pub fn confirm_merge_firms(from: &str, into: &str) -> String {
    tr!(
        "Merge {from} into {into}? Its visits, items and contacts move; {from} is archived. A merge is not undone.",
        "把 {from} 并入 {into}？其走访、事项和联系人都会移过去；{from} 将归档。合并不能撤销。"
    )
}
pub fn firms_merged(from: &str, into: &str, visits: usize, items: usize) -> String {
    tr!(
        "{from} merged into {into}: {visits} visit(s), {items} item(s) moved",
        "{from} 已并入 {into}：移动了 {visits} 次走访、{items} 个事项"
    )
}
pub fn firm_overdue(count: usize) -> String {
    tr!("{count} overdue", "{count} 项逾期")
}
