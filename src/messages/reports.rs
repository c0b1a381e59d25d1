//! Reports, the brief and the follow-up call (回访), issue 13.

use super::{lang, Lang, Msg};
use crate::model::Verdict;

texts! {
    REPORT_TITLE = "Liaison brief", "政企联络简报";
    REPORT_AS_OF = "open and overdue as of", "未办结与逾期数截至";
    REPORT_OVERVIEW = "Overview", "总体情况";
    REPORT_DEPARTMENTS = "Departments", "各部门办理情况";
    REPORT_OVERDUE = "Overdue items", "逾期事项";
    REPORT_HOT_TOPICS = "Hot topics", "热点问题";
    REPORT_VISITS = "Visits", "走访情况";
    REPORT_CATEGORIES = "Categories", "问题类别";
    REPORT_TOP_FIRMS = "Firms with the most open items", "未办结事项最多的企业";
    REPORT_CHART = "Raised and answered", "提出与答复";
    REPORT_NONE = "none", "无";
    REPORT_NO_DEPARTMENT = "(not handed over)", "（未交办）";
    REPORT_NO_CATEGORY = "(no category)", "（未分类）";
    REPORT_TAGS = "Tags", "标签";
    REPORT_WORDS = "Words in the titles", "标题高频词";
    TAB_REPORTS = "Reports", "报表";
    REPORT_LOADING = "Counting the figures…", "正在统计…";
    KEY_REPORT_PREV = "the previous period", "上一期";
    KEY_REPORT_NEXT = "the next period", "下一期";
    KEY_REPORT_WEEK = "a week", "按周";
    KEY_REPORT_MONTH = "a month", "按月";
    KEY_REPORT_QUARTER = "a quarter", "按季度";
    KEY_REPORT_YEAR = "a year", "按年";
    KEY_REPORT_TODAY = "the period holding today", "回到本期";
    KEY_REPORT_SORT = "order the departments another way", "换一种方式给部门排序";
    KEY_REPORT_OPEN = "the department's items of the period, on the Issues tab", "在事项页查看该部门本期的事项";
    KEY_REPORT_EXPORT = "write the brief to a file (.md, .txt, .csv, .json)", "把简报写入文件（.md、.txt、.csv、.json）";
    FORM_EXPORT_BRIEF = "Write the brief", "导出简报";
    REPORT_VS_PREVIOUS = "vs previous", "较上期";
    REPORT_VS_YEAR = "vs year ago", "较去年同期";
    KEY_CALL = "record the follow-up call (回访) of a closed item: the firm's verdict", "记录已办结事项的回访：企业的评价";
    CALL_NEEDS_CLOSED = "A follow-up call is recorded once the item is closed (x)", "事项办结（x）后才能记录回访";
    FORM_CALL_NOTE = "Follow-up call", "回访";
    LABEL_CALL_NOTE = "Note", "企业意见";
    PICK_VERDICT = "The firm's verdict (回访)", "企业评价（回访）";
    VIEW_AWAITING_CALL = "Awaiting call (回访)", "待回访";
    FIG_VISITS_DONE = "Visits done", "已走访";
    FIG_VISITS_PLANNED = "Visits planned", "计划走访";
    FIG_FIRMS_VISITED = "Firms visited", "走访企业数";
    FIG_RAISED = "Items raised", "提出事项";
    FIG_HANDED = "Handed over", "已交办";
    FIG_ANSWERED = "Answered", "已答复";
    FIG_CLOSED = "Closed", "已办结";
    FIG_OPEN = "Open", "未办结";
    FIG_OVERDUE = "Overdue", "逾期";
    FIG_ON_TIME = "Answered on time", "按期答复率";
    FIG_FIRST_RESPONSE = "Median days to first response", "首次回应天数（中位）";
    FIG_DAYS_TO_ANSWER = "Median days to answer", "答复天数（中位）";
    FIG_CALLS = "Follow-up calls", "回访数";
    FIG_SATISFACTION = "Satisfaction", "满意率";
    HEAD_FIGURE = "Figure", "指标";
    HEAD_THIS_PERIOD = "This period", "本期";
    HEAD_PREVIOUS = "Previous", "上期";
    HEAD_CHANGE = "Change", "变化";
    HEAD_YEAR_EARLIER = "A year earlier", "去年同期";
    HEAD_DEPARTMENT = "Department", "部门";
    HEAD_ON_TIME = "On time", "按期";
    HEAD_MEDIAN_DAYS = "Median days", "中位天数";
    HEAD_NUMBER = "No.", "编号";
    HEAD_FIRM = "Firm", "企业";
    HEAD_TITLE = "Title", "标题";
    HEAD_DAYS_OVERDUE = "Days overdue", "逾期天数";
    HEAD_CATEGORY = "Category", "类别";
    HEAD_RAISED = "Raised", "提出";
    HEAD_DAY = "Day", "日期";
    HEAD_LEAD = "Lead", "带队";
    HEAD_PURPOSE = "Purpose", "事由";
    HEAD_STATUS = "Status", "状态";
    HEAD_HANDED_SHORT = "Handed", "交办";
    HEAD_ANSWERED_SHORT = "Answered", "答复";
    HEAD_MEDIAN_SHORT = "Median d", "中位天";
    HEAD_SATISFACTION_SHORT = "Satisf.", "满意率";
    /// A change of a rate, in percentage points.
    UNIT_POINTS = " pp", "个百分点";
    /// A change of a number of days.
    UNIT_DAYS = " d", "天";
}

/// A rate or median over nothing: never 0% or NaN.
pub const REPORT_NO_VALUE: &str = "—";

pub const REPORT_FIGURE_HEAD: [Msg; 6] = [
    HEAD_FIGURE,
    HEAD_THIS_PERIOD,
    HEAD_PREVIOUS,
    HEAD_CHANGE,
    HEAD_YEAR_EARLIER,
    HEAD_CHANGE,
];
pub const REPORT_FIGURES: [Msg; 14] = [
    FIG_VISITS_DONE,
    FIG_VISITS_PLANNED,
    FIG_FIRMS_VISITED,
    FIG_RAISED,
    FIG_HANDED,
    FIG_ANSWERED,
    FIG_CLOSED,
    FIG_OPEN,
    FIG_OVERDUE,
    FIG_ON_TIME,
    FIG_FIRST_RESPONSE,
    FIG_DAYS_TO_ANSWER,
    FIG_CALLS,
    FIG_SATISFACTION,
];
pub const REPORT_DEPARTMENT_HEAD: [Msg; 7] = [
    HEAD_DEPARTMENT,
    FIG_HANDED,
    FIG_ANSWERED,
    HEAD_ON_TIME,
    FIG_OVERDUE,
    HEAD_MEDIAN_DAYS,
    FIG_SATISFACTION,
];
pub const REPORT_OVERDUE_HEAD: [Msg; 5] = [
    HEAD_NUMBER,
    HEAD_FIRM,
    HEAD_TITLE,
    HEAD_DEPARTMENT,
    HEAD_DAYS_OVERDUE,
];
pub const REPORT_CATEGORY_HEAD: [Msg; 5] = [
    HEAD_CATEGORY,
    HEAD_RAISED,
    FIG_ANSWERED,
    FIG_OPEN,
    FIG_OVERDUE,
];
pub const REPORT_VISIT_HEAD: [Msg; 5] = [HEAD_DAY, HEAD_FIRM, HEAD_LEAD, HEAD_PURPOSE, HEAD_STATUS];
/// The department table's head on the tab, where room is short.
pub const REPORT_DEPARTMENT_SHORT: [Msg; 7] = [
    HEAD_DEPARTMENT,
    HEAD_HANDED_SHORT,
    HEAD_ANSWERED_SHORT,
    HEAD_ON_TIME,
    FIG_OVERDUE,
    HEAD_MEDIAN_SHORT,
    HEAD_SATISFACTION_SHORT,
];
pub const REPORT_SIDE_HEAD: [Msg; 3] = [HEAD_RAISED, FIG_OPEN, FIG_OVERDUE];

/// A follow-up call as the history lists it: `follow-up call 2025-12-20: not satisfied — …`.
pub fn event_call(verdict: Verdict, note: &str, day: chrono::NaiveDate) -> String {
    let mut text = tr!(
        "follow-up call {day}: {}",
        "回访 {day}：{}",
        verdict_name(verdict)
    );
    if !note.is_empty() {
        text.push_str(&format!(" — {note}"));
    }
    text
}

pub fn verdict_name(verdict: Verdict) -> &'static str {
    let (en, zh) = match verdict {
        Verdict::Satisfied => ("satisfied", "满意"),
        Verdict::BasicallySatisfied => ("basically satisfied", "基本满意"),
        Verdict::NotSatisfied => ("not satisfied", "不满意"),
    };
    match lang() {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

pub fn report_more(count: usize) -> String {
    tr!("… and {count} more", "……另有 {count} 项")
}

/// A period as titles name it: `month 2025-12` / `2025年12月`.
pub fn report_period_title(period: &crate::report::Period) -> String {
    use crate::report::PeriodKind;
    use chrono::Datelike;
    let (from, to) = (period.from, period.to);
    match (lang(), period.kind) {
        (Lang::En, kind) => format!("{} {}", kind.code(), period.label()),
        (Lang::Zh, PeriodKind::Month) => format!("{}年{}月", from.year(), from.month()),
        (Lang::Zh, PeriodKind::Quarter) => {
            format!("{}年第{}季度", from.year(), from.month0() / 3 + 1)
        }
        (Lang::Zh, PeriodKind::Year) => format!("{}年", from.year()),
        (Lang::Zh, PeriodKind::Week) => format!("周 {from} 至 {to}"),
        (Lang::Zh, PeriodKind::Range) => format!("{from} 至 {to}"),
    }
}

/// A month as the chart's bars name it: `Sep` / `9月`.
pub fn report_month(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang() {
        Lang::En => day.format("%b").to_string(),
        Lang::Zh => format!("{}月", day.month()),
    }
}

pub fn report_sorted_by(what: &str) -> String {
    tr!("Departments by {}", "部门按{}排序", what.to_lowercase())
}
/// The department table's title after its name: the sort alone.
pub fn report_by(what: &str) -> String {
    tr!("by {}", "按{}排序", what.to_lowercase())
}

/// The Issues filter of a department's items raised in a period, in the words of the
/// language as the built-in views' filters are; `None`: the items not handed over.
pub fn report_department_filter(
    department: Option<&str>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> String {
    match lang() {
        Lang::En => format!(
            "dept:{} raised>={from} raised<={to}",
            department.unwrap_or("none")
        ),
        Lang::Zh => format!(
            "部门:{} 创建>={from} 创建<={to}",
            department.unwrap_or("无")
        ),
    }
}

pub fn report_written(path: &str) -> String {
    tr!("Brief written to {path}", "简报已写入 {path}")
}

pub fn report_change_line(previous: &str, year: &str) -> String {
    tr!(
        "vs previous {previous} · vs a year earlier {year}",
        "较上期 {previous} · 较去年同期 {year}"
    )
}

pub fn confirm_reopen_after_call(items: usize) -> String {
    match (lang(), items) {
        (Lang::En, 1) => "Not satisfied: reopen the item (back in progress)?".into(),
        (Lang::En, n) => format!("Not satisfied: reopen the {n} items (back in progress)?"),
        (Lang::Zh, 1) => "不满意：重新打开该事项（回到办理中）？".into(),
        (Lang::Zh, n) => format!("不满意：重新打开这 {n} 项（回到办理中）？"),
    }
}
