//! The frame (tabs, status line), the lists' columns, the detail panels and the help.

texts! {
    APP_NAME = "Liaison", "企业联络";
    TAB_FIRMS = "Firms", "企业";
    TAB_AGENDA = "Agenda", "日程";
    TAB_ISSUES = "Issues", "事项";
    MODE_NORMAL = "NORMAL", "浏览";
    MODE_HELP = "HELP", "帮助";
    HELP_HINT = "? help  q quit", "? 帮助  q 退出";

    COL_NAME = "Name", "名称";
    COL_SECTOR = "Sector", "行业";
    COL_PARK = "Park", "园区";
    COL_TAGS = "Tags", "标签";
    COL_WHEN = "When", "时间";
    COL_FIRM = "Firm", "企业";
    COL_LEAD = "Lead", "带队";
    COL_STATUS = "Status", "状态";
    COL_NUMBER = "#", "编号";
    COL_TITLE = "Title", "标题";
    COL_DEPARTMENT = "Dept", "部门";
    COL_PRIORITY = "Prio", "优先";
    COL_DUE = "Due", "期限";

    EMPTY_TITLE = "Nothing here yet", "这里还没有内容";
    EMPTY_FIRMS = "No firms in this database.", "数据库里还没有企业。";
    EMPTY_AGENDA = "No visits in this database.", "数据库里还没有走访。";
    EMPTY_ISSUES = "No items in this database.", "数据库里还没有事项。";
    EMPTY_HINT_DEMO = "Try the demo data:   liaison --demo", "试用演示数据：      liaison --demo";
    EMPTY_HINT_SEED = "Seed this database:  liaison --db DIR demo", "向数据库填入演示：  liaison --db DIR demo";
    EMPTY_HINT_RAISE = "Raise an item:       liaison issues add --firm F --title T", "提出事项：          liaison issues add --firm F --title T";
    EMPTY_HINT_KEYS = "Press ? for the keys, q to quit.", "按 ? 查看按键，q 退出。";

    DETAIL = "Detail", "详情";
    NOTHING_SELECTED = "Nothing selected.", "未选中任何内容。";
    LABEL_SHORT_NAME = "Short name", "简称";
    LABEL_SECTOR = "Sector", "行业";
    LABEL_PARK = "Park", "园区";
    LABEL_ADDRESS = "Address", "地址";
    LABEL_TAGS = "Tags", "标签";
    LABEL_CONTACTS = "Contacts", "联系人";
    LABEL_NOTES = "Notes", "备注";
    LABEL_VISITS = "Visits", "走访";
    LABEL_ITEMS = "Items", "事项";
    LABEL_FIRM = "Firm", "企业";
    LABEL_WHEN = "When", "时间";
    LABEL_LOCATION = "Location", "地点";
    LABEL_LEAD = "Lead", "带队";
    LABEL_ATTENDEES = "Attendees", "参加人";
    LABEL_PURPOSE = "Purpose", "事由";
    LABEL_MINUTES = "Minutes", "纪要";
    LABEL_STATUS = "Status", "状态";
    LABEL_CATEGORY = "Category", "类别";
    LABEL_DEPARTMENT = "Department", "部门";
    LABEL_OWNER = "Owner", "经办人";
    LABEL_PRIORITY = "Priority", "优先级";
    LABEL_DUE = "Due", "期限";
    LABEL_RAISED = "Raised", "提出";
    LABEL_RAISED_IN = "Raised in", "提出于";
    LABEL_RESOLUTION = "Resolution", "办结说明";
    LABEL_HISTORY = "History", "记录";
    NO_CONTACTS = "no contacts", "没有联系人";
    UNASSIGNED = "unassigned", "未分配";
    EVENT_CREATED = "raised", "提出";

    HELP_TITLE = "Keys", "按键";
    HELP_FOOTER = "Esc or ? closes this help", "Esc 或 ? 关闭帮助";
    HELP_GLOBAL = "Everywhere", "全局";
    KEY_NEXT_TAB = "next tab", "下一个标签页";
    KEY_PREV_TAB = "previous tab", "上一个标签页";
    KEY_TAB_N = "go to tab 1/2/3", "转到标签页 1/2/3";
    KEY_DOWN = "move down", "下移";
    KEY_UP = "move up", "上移";
    KEY_TOP = "first row", "第一行";
    KEY_BOTTOM = "last row", "最后一行";
    KEY_PAGE_DOWN = "page down", "下一页";
    KEY_PAGE_UP = "page up", "上一页";
    KEY_TODAY = "jump to today", "跳到今天";
    KEY_HELP = "show or hide this help", "显示或隐藏帮助";
    KEY_QUIT = "quit", "退出";
    KEY_SAVE = "save", "保存";
    KEY_CANCEL = "cancel, nothing is written", "取消，不写入任何内容";
    KEY_NEXT_FIELD = "next field", "下一栏";
    KEY_PREV_FIELD = "previous field", "上一栏";
    KEY_YES = "yes", "是";
    KEY_NO = "no", "否";
    HELP_SEARCHING = "While searching", "搜索时";
    HELP_IN_FORM = "In a form", "表单中";
    MODE_SEARCH = "SEARCH", "搜索";
    MODE_FORM = "FORM", "表单";
    MODE_CONFIRM = "CONFIRM", "确认";
    MODE_REPORT = "RESULT", "结果";
    MODE_FILTER = "FILTER", "筛选";
    MODE_PICKER = "CHOOSE", "选择";
    MODE_CAPTURE = "MEETING", "会中记录";
    MODE_EDITOR = "MINUTES", "纪要";
    MODE_RESPONSE = "RESPONSE", "答复";
    FORM_KEYS = "Tab next field · Enter save · Esc cancel", "Tab 下一栏 · Enter 保存 · Esc 取消";
    CONFIRM_KEYS = "y yes · n no", "y 是 · n 否";
    REPORT_KEYS = "↑↓ PgUp PgDn scroll · Esc close", "↑↓ PgUp PgDn 滚动 · Esc 关闭";
    PICK_KEYS = "type to narrow · ↑↓ choose · Enter · Esc", "输入以缩小范围 · ↑↓ 选择 · Enter · Esc";
    KEY_CLOSE_REPORT = "close", "关闭";
    KEY_PICK = "choose", "选定";
    /// The hint bar's word for `?`.
    HINT_HELP = "help", "帮助";
}

/// Not texts: marks whose meaning does not depend on the language.
pub const LOADING: &str = "…";
pub const OVERDUE_MARK: &str = "!";
pub const TODAY_MARK: &str = "▶";
pub const NONE: &str = "—";
pub const MARK: &str = "●";
pub const SEARCH_PROMPT: &str = "/ ";
pub const FILTER_PROMPT: &str = "/ ";
/// Between attendees, as the Agenda tab shows them.
pub const ATTENDEE_SEPARATOR: &str = "、";

pub const EMPTY_HINTS: [super::Msg; 4] = [
    EMPTY_HINT_DEMO,
    EMPTY_HINT_SEED,
    EMPTY_HINT_RAISE,
    EMPTY_HINT_KEYS,
];

pub fn counts_line(
    firms: u64,
    visits: u64,
    open: u64,
    total: u64,
    overdue: Option<usize>,
    unassigned: Option<usize>,
) -> String {
    // Overdue and unassigned are counted once the items are read; "…" until then.
    let show = |n: Option<usize>| n.map_or_else(|| "…".to_string(), |n| n.to_string());
    let (overdue, unassigned) = (show(overdue), show(unassigned));
    tr!(
        "{firms} firms · {visits} visits · {open}/{total} items open · {overdue} overdue · {unassigned} unassigned",
        "{firms} 家企业 · {visits} 次走访 · {open}/{total} 项未办结 · {overdue} 项逾期 · {unassigned} 项未分配"
    )
}

pub fn loading_items(total: u64) -> String {
    tr!("Reading {total} items…", "正在读取 {total} 个事项…")
}

pub fn damaged_warning(count: usize) -> String {
    tr!(
        "{count} damaged record(s) skipped: see `liaison check`; `liaison check --repair` sets them aside",
        "跳过了 {count} 条损坏的记录：见 `liaison check`；`liaison check --repair` 把它们移到一边"
    )
}

/// The visit an item was raised in, on the item's detail; `m` goes there.
pub fn raised_in(when: &str, firm: &str, lead: &str) -> String {
    if lead.is_empty() {
        tr!("visit {when} · {firm} (m)", "走访 {when} · {firm}（m）")
    } else {
        tr!(
            "visit {when} · {firm} · {lead} (m)",
            "走访 {when} · {firm} · {lead}（m）"
        )
    }
}

pub fn visit_counts(total: usize, upcoming: usize, last: Option<&str>) -> String {
    match last {
        Some(last) => tr!(
            "{total} · {upcoming} planned · last {last}",
            "{total} 次 · 已安排 {upcoming} · 最近 {last}"
        ),
        None => tr!(
            "{total} · {upcoming} planned",
            "{total} 次 · 已安排 {upcoming}"
        ),
    }
}

pub fn item_counts(total: usize, open: usize, overdue: usize) -> String {
    if overdue > 0 {
        tr!(
            "{open} open of {total} · {overdue} overdue",
            "{total} 项中 {open} 项未办结 · {overdue} 项逾期"
        )
    } else {
        tr!("{open} open of {total}", "{total} 项中 {open} 项未办结")
    }
}

pub fn overdue_by(days: i64) -> String {
    tr!("overdue by {days} day(s)", "逾期 {days} 天")
}

pub fn history_line(when: &str, author: &str, what: &str) -> String {
    tr!("{when}  {author}: {what}", "{when}  {author}：{what}")
}

pub fn tab_help_heading(tab: &str) -> String {
    tr!("On the {tab} tab", "{tab}页")
}
