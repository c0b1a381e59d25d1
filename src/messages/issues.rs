//! The Issues tab: the triage queue, its views, pickers, forms and exports.

use crate::model::{Priority, Status};

texts! {
    ITEMS_READING_STOPPED = "the background reading of the items stopped", "后台读取事项中断了";
    SEARCH_STOPPED = "the search stopped", "搜索中断了";
    VIEW_ALL_OPEN = "All open", "全部未办结";
    VIEW_MY_OPEN = "My open", "我的未办结";
    VIEW_OVERDUE = "Overdue", "逾期";
    VIEW_UNASSIGNED = "Unassigned", "未分配";
    VIEW_DUE_WEEK = "Due this week", "本周到期";
    VIEW_ANSWERED = "Answered, not closed", "已答复未办结";
    VIEW_EVERYTHING = "Everything", "全部";
    VIEW_CUSTOM = "Filter", "筛选";
    // The built-in views' filters, in the words of the language (the filter reads both).
    FILTER_ALL_OPEN = "status:open", "状态:未办结";
    FILTER_MY_OPEN = "owner:me status:open", "经办人:我 状态:未办结";
    FILTER_OVERDUE = "overdue", "逾期";
    FILTER_UNASSIGNED = "dept:none status:open", "部门:无 状态:未办结";
    FILTER_DUE_WEEK = "due:week -overdue", "期限:本周 -逾期";
    FILTER_ANSWERED = "status:answered", "状态:已答复";
    FILTER_AWAITING_CALL = "callback:due", "回访:待";
    FILTER_HAS_MISTAKE = "The filter has a mistake (see below the list); no items are listed until it is fixed.", "筛选条件有误（见列表下方）；改正之前不列出事项。";
    FILTER_HINT = "status:open dept:发改局 firm:zsswgc cat:land prio>=high due:7d overdue visit owner:me -word sort:due", "状态:未办结 部门:发改局 企业:zsswgc 类别:用地 优先级>=高 期限:7天 逾期 走访 经办人:我 -词 排序:期限";
    NO_ITEMS_MATCH = "No item matches this view", "没有符合此视图的事项";
    LABEL_HOW = "How", "方式";
    LABEL_VIEW_NAME = "View name", "视图名称";
    FORM_SET_DUE = "Due date (2026-12-31, +7d, fri, 12-20; empty clears)", "期限（2026-12-31、+7d、周五、12-20；留空即清除）";
    FORM_SET_OWNER = "Owner", "经办人";
    FORM_SET_TAGS = "Tags (专班、省重点; -tag takes one off)", "标签（专班、省重点；-标签 去掉一个）";
    FORM_CLOSE = "Close: what the firm was told", "办结：告诉企业的答复";
    CLOSE_HOW_HINT = "answered, on-the-spot or withdrawn", "已答复、现场解决或撤回";
    CLOSE_HOW_ANSWERED = "answered", "已答复";
    FORM_SAVE_VIEW = "Save this filter and order as a view", "把筛选和排序存为视图";
    RESOLUTION_KINDS = "write answered, on-the-spot or withdrawn", "请写 已答复、现场解决 或 撤回";
    NOTHING_CHANGED = "Nothing changed", "没有改动";
    NOTHING_TO_UNDO = "Nothing to undo in this session", "本次没有可撤销的操作";
    NOTHING_TO_REDO = "Nothing to redo", "没有可重做的操作";
    WITHDRAWN_BY_UNDO = "Raised by mistake: withdrawn by undo", "误提：已被撤销收回";
    NO_STATUS_MOVES = "Hand the item to a department (a) to make it assigned, or close it (x)", "交办给部门（a）即为已交办，或办结（x）";
    PICK_DEPARTMENT = "Hand to a department", "交办给部门";
    /// Beside a typed name no department has, in the department picker.
    NEW_DEPARTMENT_HINT = "new department: Enter adds it", "新部门：Enter 添加";
    PICK_PRIORITY = "Priority", "优先级";
    PICK_CATEGORY = "Category", "类别";
    PICK_STATUS = "Move to", "改为";
    PICK_VIEW = "Views (Ctrl-D deletes a saved one)", "视图（Ctrl-D 删除已保存的）";
    PICK_LISTS = "Departments and categories", "部门和类别";
    PICK_LIST_ACTION = "Do what with it", "怎么处理";
    PICK_MERGE_INTO = "Move its items to", "把其事项移到";
    KEY_LISTS = "departments and categories: rename, merge, retire", "部门和类别：改名、合并、停用";
    FORM_RENAME_LIST = "Rename", "改名";
    LABEL_NEW_NAME = "New name", "新名称";
    LIST_DEPARTMENT = "department", "部门";
    LIST_CATEGORY = "category", "类别";
    LIST_RETIRED = " · retired", " · 已停用";
    LIST_RENAME = "Rename…", "改名…";
    LIST_MERGE = "Merge into…", "并入…";
    LIST_RETIRE = "Retire (no longer offered for new items)", "停用（新事项不再可选）";
    LIST_OFFER_AGAIN = "Offer again", "重新启用";
    LIST_NAME_TAKEN = "another one has this name", "已有同名的";
    RESPONSE_KEYS = "Ctrl-S save · Ctrl-F save as the answer to the firm · Esc discard", "Ctrl-S 保存 · Ctrl-F 存为给企业的答复 · Esc 放弃";
    LABEL_RESPONSE = "Response", "答复";
    EVENT_REVERTED_RESPONSE = "undo: response withdrawn", "撤销：收回答复";
    KEY_FILTER = "filter: status:open dept:发改局 firm:zsswgc overdue due:7d prio>=high #12 用地 -visit sort:age", "筛选：状态:未办结 部门:发改局 企业:zsswgc 逾期 期限:7天 优先级>=高 #12 用地 -走访 排序:时长";
    KEY_CLEAR_FILTER = "clear marks, else back to the first view", "清除标记，否则回到第一个视图";
    KEY_NEXT_VIEW = "next view", "下一个视图";
    KEY_PICK_VIEW = "choose a view (Ctrl-D there deletes a saved one)", "选择视图（其中 Ctrl-D 删除已保存的）";
    KEY_SAVE_ANSWER = "save as the answer given to the firm", "存为给企业的答复";
    KEY_SAVE_VIEW = "save the filter and order as a view", "把筛选和排序存为视图";
    KEY_SORT = "change the order (due, priority, age, firm, updated)", "改变排序（期限、优先级、时长、企业、更新）";
    KEY_MARK = "mark the item (actions then apply to all marked)", "标记事项（之后的操作作用于全部标记）";
    KEY_MARK_ALL = "mark everything shown, or clear the marks", "标记所显示的全部，或清除标记";
    KEY_ASSIGN = "hand to a department", "交办给部门";
    KEY_PRIORITY = "set the priority", "设置优先级";
    KEY_DUE = "set the due date", "设置期限";
    KEY_CATEGORY = "set the category", "设置类别";
    KEY_OWNER = "set the owner", "设置经办人";
    KEY_TAGS = "tags (add, or take off with -)", "标签（添加，或用 - 去掉）";
    KEY_RESPOND = "add a response (or the answer to the firm)", "添加答复（或给企业的答复）";
    KEY_STATUS = "change the status", "改变状态";
    KEY_CLOSE = "close with what the firm was told", "办结并写明告诉企业的答复";
    KEY_UNDO = "undo the last change, on any tab (an item's in its history)", "撤销上一次改动，任何标签页都可（事项的记在其记录中）";
    KEY_REDO = "redo the last change undone", "重做上一次撤销的改动";
    KEY_OPEN_FIRM = "open the firm's card", "打开企业卡片";
    KEY_FORM_DOWN = "the next candidate firm, else the next field", "下一个候选企业，否则下一栏";
    KEY_FORM_UP = "the previous candidate firm, else the previous field", "上一个候选企业，否则上一栏";
    KEY_EDIT_ITEM = "fix the item: title, detail, category", "修改事项：标题、详情、类别";
    KEY_NEW_ITEM = "raise an item for a firm", "为企业提出事项";
    FORM_EDIT_ISSUE = "Fix the item", "修改事项";
    FORM_NEW_ISSUE = "New item", "新建事项";
    LABEL_TITLE = "Title", "标题";
    LABEL_DETAIL = "Detail", "详情";
    EDITED = "edited", "已修改";
    EVENT_DETAIL = "detail rewritten", "详情已重写";
    KEY_OPEN_RAISED_VISIT = "open the visit the item was raised in", "打开提出该事项的走访";
    NOT_RAISED_IN_A_VISIT = "This item was not raised in a visit", "该事项不是在走访中提出的";
    KEY_EXPORT_ISSUES = "export the items shown as CSV (a .json name: JSON with history)", "把所显示的事项导出为 CSV（.json 文件名：含记录的 JSON）";
    FORM_EXPORT_ISSUES = "Export the items shown", "导出所显示的事项";
    NOTHING_TO_EXPORT = "Nothing to export: this view shows no items.", "没有可导出的：此视图没有事项。";
    STILL_LOADING = "The items are still being read; try again in a moment.", "事项还在读取中，请稍后再试。";
    NO_VIEW_TO_DELETE = "No view is shown: choose one with V, then Ctrl-D", "没有显示视图：先用 V 选择，再按 Ctrl-D";
    KEY_DELETE_VIEW = "delete the saved view shown (in the V list: the one chosen), after a confirmation", "删除显示的已保存视图（在 V 列表中：选中的那个），需确认";
    KEY_FILTER_DONE = "done typing (the filter stays)", "输入完毕（筛选保留）";
}

pub fn list_retired(name: &str, retired: bool) -> String {
    if retired {
        tr!(
            "{name} retired: no longer offered; its items keep it",
            "{name} 已停用：不再可选；其事项保留"
        )
    } else {
        tr!("{name} is offered again", "{name} 已重新启用")
    }
}
pub fn list_merged(from: &str, into: &str, items: usize) -> String {
    tr!(
        "{from} merged into {into}: {items} item(s) moved; {from} retired",
        "{from} 已并入 {into}：移动了 {items} 个事项；{from} 已停用"
    )
}
pub fn list_renamed(name: &str) -> String {
    tr!("renamed to {name}", "改名为 {name}")
}
pub fn unknown_category(known: &str) -> String {
    tr!(
        "no such category (one of {known})",
        "没有这个类别（可选：{known}）"
    )
}
pub fn exported_issues(items: usize, path: &str, damaged: usize) -> String {
    if damaged > 0 {
        tr!(
            "Exported {items} item(s) to {path}; {damaged} damaged record(s) left out or incomplete: run `liaison check`",
            "已把 {items} 个事项导出到 {path}；{damaged} 条损坏的记录未导出或不完整：请运行 `liaison check`"
        )
    } else {
        tr!(
            "Exported {items} item(s) to {path}",
            "已把 {items} 个事项导出到 {path}"
        )
    }
}
pub fn set_priority(p: Priority) -> String {
    let p = super::priority(p);
    tr!("priority {p}", "优先级 {p}")
}
pub fn set_status(s: Status) -> String {
    let s = super::status(s);
    tr!("status {s}", "状态 {s}")
}
pub fn responded(to_firm: bool) -> String {
    if to_firm {
        tr!("answer to the firm recorded", "已记下给企业的答复")
    } else {
        tr!("response recorded", "已记下答复")
    }
}
pub fn triaged_one(number: u32, what: &str) -> String {
    tr!("#{number}: {what}; saved", "#{number}：{what}；已保存")
}
pub fn triaged_many(count: usize, what: &str, refused: usize) -> String {
    if refused > 0 {
        tr!(
            "{count} items: {what}; saved ({refused} could not change)",
            "{count} 个事项：{what}；已保存（{refused} 个不能改）"
        )
    } else {
        tr!(
            "{count} items: {what}; saved",
            "{count} 个事项：{what}；已保存"
        )
    }
}
pub fn confirm_bulk(count: usize, what: &str) -> String {
    tr!(
        "{count} marked items: {what}?",
        "已标记的 {count} 个事项：{what}？"
    )
}
pub fn sorted_by(key: &str) -> String {
    tr!("Ordered by {key}", "按{key}排序")
}
pub fn view_deleted(name: &str) -> String {
    tr!("View {name} deleted", "视图 {name} 已删除")
}
pub fn confirm_delete_view(name: &str) -> String {
    tr!("Delete the saved view {name}?", "删除已保存的视图 {name}？")
}
pub fn builtin_view(name: &str) -> String {
    tr!(
        "{name} is built in: only a saved view can be deleted",
        "{name} 是内置视图：只能删除已保存的视图"
    )
}
pub fn view_saved(name: &str) -> String {
    tr!("View {name} saved", "视图 {name} 已保存")
}
pub fn queue_title(view: &str, shown: usize, total: usize, sort: &str, marked: usize) -> String {
    let mut title = tr!(
        "{view} · {shown} of {total} · by {sort}",
        "{view} · {shown} / {total} · 按{sort}"
    );
    if marked > 0 {
        title.push_str(&tr!(" · {marked} marked", " · 已标记 {marked}"));
    }
    title
}
pub fn queue_counts(open: usize, overdue: usize, unassigned: usize) -> String {
    tr!(
        "{open} open · {overdue} overdue · {unassigned} unassigned",
        "{open} 项未办结 · {overdue} 项逾期 · {unassigned} 项未分配"
    )
}
/// An order's name, as the queue's title and "Ordered by …" say it.
pub fn sort_key(key: crate::query::SortKey) -> &'static str {
    use crate::query::SortKey;
    let (en, zh) = match key {
        SortKey::Due => ("due", "期限"),
        SortKey::Priority => ("priority", "优先级"),
        SortKey::Age => ("age", "时长"),
        SortKey::Firm => ("firm", "企业"),
        SortKey::Updated => ("updated", "更新"),
    };
    super::Msg::new(en, zh).get()
}
