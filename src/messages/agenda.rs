//! The Agenda tab: views, the visit screen, meeting mode, minutes, the .ics export.

texts! {
    VIEW_DAY = "Day", "日";
    VIEW_WEEK = "Week", "周";
    TODAY = "today", "今天";
    NO_VISITS_DAY = "no visits", "没有走访";
    CONFLICT_MARK = "⚠ clash", "⚠ 冲突";
    NO_DUE_DATE = "→ no due date", "→ 无期限";
    NO_MINUTES_MARK = "✎ no minutes", "✎ 无纪要";
    NOT_CLOSED_MARK = "! not marked done", "! 未标记已走访";
    LABEL_DURATION = "Duration", "时长";
    LABEL_DATE = "Date", "日期";
    FORM_NEW_VISIT = "New visit", "新建走访";
    FORM_EDIT_VISIT = "Edit visit", "编辑走访";
    FORM_GO_TO_DATE = "Go to date (2025-12-13, 12-13, +3d, mon, 明天)", "转到日期（2025-12-13、12-13、+3d、周一、明天）";
    VISIT_ITEMS = "Items raised in this visit", "本次走访提出的事项";
    CAPTURE_PROMPT = "New item: ", "新事项：";
    CAPTURE_HINT = "Type what the firm asks for, Enter files it, Esc ends the meeting capture", "输入企业的诉求，Enter 记下，Esc 结束会中记录";
    VISIT_KEYS = "c capture items · m minutes · d done · e edit · Enter open item · Esc back", "c 记录事项 · m 纪要 · d 已走访 · e 编辑 · Enter 打开事项 · Esc 返回";
    MINUTES_KEYS = "Ctrl-S save · Esc discard · text wraps by display width", "Ctrl-S 保存 · Esc 放弃 · 按显示宽度折行";
    NO_ITEMS_YET = "none yet: press c to capture what the firm raises", "还没有：按 c 记录企业提出的事项";
    KEY_TOGGLE_VIEW = "day or week view", "日视图或周视图";
    KEY_PREV_PERIOD = "previous day or week", "前一天或前一周";
    KEY_NEXT_PERIOD = "next day or week", "后一天或后一周";
    KEY_GO_TO_DATE = "go to a date", "转到日期";
    KEY_OPEN_VISIT = "open the visit (minutes, items, meeting mode)", "打开走访（纪要、事项、会中记录）";
    KEY_NEW_VISIT = "new visit", "新建走访";
    KEY_EDIT_VISIT = "edit or reschedule the visit", "编辑或改期";
    KEY_MARK_DONE = "mark the visit done", "标记已走访";
    KEY_CANCEL_VISIT = "cancel the visit", "取消走访";
    KEY_CAPTURE = "meeting mode: capture items one after another", "会中记录：逐条记下事项";
    KEY_MINUTES = "write the minutes", "写纪要";
    KEY_OPEN_ITEM = "open the item in the Issues tab", "在事项页打开";
    KEY_BACK_AGENDA = "back to the agenda", "返回日程";
    KEY_SAVE_MINUTES = "save the minutes", "保存纪要";
    HELP_MEETING = "Meeting mode", "会中记录";
    HELP_MINUTES = "Minutes editor", "纪要编辑";
    KEY_CAPTURE_FILE = "file the item and start the next", "记下并开始下一条";
    KEY_CAPTURE_END = "end capturing", "结束记录";
    /// The calendar's name where an app shows one (X-WR-CALNAME).
    CALENDAR_NAME = "Liaison agenda", "企业联络日程";
    /// In place of the name of a firm that is missing or cannot be read.
    UNKNOWN_FIRM = "(unknown firm)", "（未知企业）";
    KEY_EXPORT_AGENDA = "export the agenda as iCalendar (.ics)", "把日程导出为 iCalendar（.ics）";
    FORM_EXPORT_AGENDA = "Export the agenda as iCalendar", "把日程导出为 iCalendar";
}

/// In the visit form, before saving: the visit the new time overlaps.
pub fn clashes_with(start: &str, end: &str, firm: &str) -> String {
    tr!(
        "⚠ clashes with {start}–{end} {firm}",
        "⚠ 与 {start}–{end} {firm} 冲突"
    )
}

pub fn period_title(view: &str, first: &str, last: &str) -> String {
    if first == last {
        format!("{view} {first}")
    } else {
        format!("{view} {first} – {last}")
    }
}

pub fn confirm_done(firm: &str, when: &str) -> String {
    tr!(
        "Mark the visit to {firm} on {when} as done?",
        "把 {when} 走访 {firm} 标记为已走访？"
    )
}
pub fn confirm_cancel_visit(firm: &str, when: &str) -> String {
    tr!(
        "Cancel the visit to {firm} on {when}?",
        "取消 {when} 走访 {firm}？"
    )
}
pub fn visit_marked(firm: &str, status: &str) -> String {
    tr!(
        "Visit to {firm}: {status}; saved",
        "走访 {firm}：{status}；已保存"
    )
}
pub fn visit_added(firm: &str, when: &str) -> String {
    tr!(
        "Visit to {firm} on {when} added; saved",
        "已添加 {when} 走访 {firm}；已保存"
    )
}
pub fn captured(number: u32, title: &str) -> String {
    tr!(
        "#{number} {title} filed; saved",
        "已记下 #{number} {title}；已保存"
    )
}
pub fn minutes_saved(firm: &str) -> String {
    tr!(
        "Minutes of the visit to {firm} saved",
        "走访 {firm} 的纪要已保存"
    )
}
pub fn paste_cut(max: usize) -> String {
    tr!(
        "The paste was cut: minutes hold at most {max} characters",
        "粘贴的内容被截断：纪要最多 {max} 个字符"
    )
}

/// An event's title in the officer's calendar.
pub fn calendar_summary(firm: &str) -> String {
    tr!("Visit: {firm}", "走访：{firm}")
}

/// A line of an event's description: `Lead: 陈文锋`.
pub fn calendar_line(label: &str, value: &str) -> String {
    tr!("{label}: {value}", "{label}：{value}")
}

/// A line of an event's description above a block of text: `Minutes:`.
pub fn calendar_heading(label: &str) -> String {
    tr!("{label}:", "{label}：")
}

pub fn exported_agenda(visits: usize, path: &str) -> String {
    tr!(
        "Exported {visits} visit(s) to {path}",
        "已把 {visits} 次走访导出到 {path}"
    )
}
