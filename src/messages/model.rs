//! The words of the model: fields, their problems, statuses, priorities, dates and durations.

use super::{lang, Lang};
use crate::model::{Field, FieldError, Priority, Problem, Status, VisitStatus};

pub fn field_name(field: Field) -> &'static str {
    let (en, zh) = match field {
        Field::Name => ("name", "名称"),
        Field::ShortName => ("short name", "简称"),
        Field::Sector => ("sector", "行业"),
        Field::Park => ("park", "园区"),
        Field::Address => ("address", "地址"),
        Field::Tags => ("tag", "标签"),
        Field::Notes => ("notes", "备注"),
        Field::ContactTitle => ("title", "职务"),
        Field::Location => ("location", "地点"),
        Field::Lead => ("lead", "带队"),
        Field::Attendees => ("attendee", "参加人"),
        Field::Purpose => ("purpose", "事由"),
        Field::Minutes => ("minutes", "纪要"),
        Field::Owner => ("owner", "经办人"),
        Field::Author => ("author", "记录人"),
        Field::File => ("file", "文件"),
        Field::Response => ("response", "答复"),
        Field::Title => ("title", "标题"),
        Field::Detail => ("detail", "详情"),
        Field::Category => ("category", "类别"),
        Field::Firm => ("firm", "企业"),
        Field::Start => ("start", "开始"),
        Field::Duration => ("duration", "时长"),
        Field::Due => ("due date", "期限"),
        Field::Status => ("status", "状态"),
        Field::Resolution => ("resolution", "办结说明"),
        Field::ContactName => ("contact name", "联系人姓名"),
        Field::Phone => ("phone", "电话"),
        Field::Email => ("email", "邮箱"),
        Field::Code => ("code", "代码"),
        Field::Filter => ("filter", "筛选"),
    };
    pick(en, zh)
}

fn pick(en: &'static str, zh: &'static str) -> &'static str {
    match lang() {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

pub fn problem(problem: &Problem) -> String {
    match problem {
        Problem::Empty => pick("must not be empty", "不能为空").into(),
        Problem::TooLong { max_chars } => tr!(
            "is longer than {max_chars} characters",
            "超过 {max_chars} 个字符"
        ),
        Problem::ControlCharacter => pick("contains a control character", "含有控制字符").into(),
        Problem::DueBeforeCreated => pick(
            "is before the day the item was raised",
            "早于事项提出的日期",
        )
        .into(),
        Problem::ZeroDuration => pick("must be at least one minute", "至少一分钟").into(),
        Problem::DurationTooLong { max_minutes } => {
            tr!(
                "must be at most {max_minutes} minutes",
                "最多 {max_minutes} 分钟"
            )
        }
        Problem::Transition { from, to } => {
            let word = |code: &'static str| Status::parse(code).map_or(code, status);
            let (from, to) = (word(from), word(to));
            tr!("cannot go from {from} to {to}", "不能从{from}改为{to}")
        }
        Problem::ResolutionRequired => {
            pick("is required to close an item", "办结事项时必须填写").into()
        }
        Problem::Unknown => pick("names nothing known", "不存在").into(),
        Problem::CallNeedsClosed => {
            pick("must be closed before the follow-up call", "回访前须先办结").into()
        }
        Problem::AssignedNeedsDepartment => pick(
            "cannot be assigned without a department: hand the item over (a)",
            "没有部门不能设为已交办：先交办给部门（a）",
        )
        .into(),
        Problem::Malformed => pick("is not well formed", "格式不对").into(),
    }
}

/// A problem as shown next to its field: malformed values say what is expected.
pub fn field_problem(field: Field, p: &Problem) -> String {
    match (field, p) {
        (Field::Phone, Problem::Malformed) => pick(
            "is not a phone number (digits with spaces, +, -, parentheses)",
            "不是电话号码（数字，可带空格、+、-、括号）",
        )
        .into(),
        (Field::Email, Problem::Malformed) => pick(
            "is not an email address (name@example.cn)",
            "不是邮箱地址（name@example.cn）",
        )
        .into(),
        (Field::Code, Problem::Malformed) => pick(
            "may only hold Latin letters, digits, - and _",
            "只能含拉丁字母、数字、- 和 _",
        )
        .into(),
        (Field::Tags, Problem::Malformed) => pick(
            "may not hold , ， 、 ; or ； (they separate tags)",
            "不能含 , ， 、 ; 或 ；（它们用来分隔标签）",
        )
        .into(),
        _ => problem(p),
    }
}

pub fn field_error(error: &FieldError) -> String {
    let (field, problem) = (
        field_name(error.field),
        field_problem(error.field, &error.problem),
    );
    tr!("{field} {problem}", "{field}{problem}")
}

/// The words are those the Chinese CSV files use (`Priority::chinese`): one vocabulary.
pub fn priority(p: Priority) -> &'static str {
    pick(p.code(), p.chinese())
}

/// The words are those the Chinese CSV files use (`Status::chinese`): one vocabulary.
pub fn status(s: Status) -> &'static str {
    let en = match s {
        Status::New => "new",
        Status::Assigned => "assigned",
        Status::InProgress => "in progress",
        Status::Answered => "answered",
        Status::Closed => "closed",
    };
    pick(en, s.chinese())
}

pub fn visit_status(s: VisitStatus) -> &'static str {
    match s {
        VisitStatus::Planned => pick("planned", "已安排"),
        VisitStatus::Done => pick("done", "已走访"),
        VisitStatus::Cancelled => pick("cancelled", "已取消"),
    }
}

pub fn minutes(m: u32) -> String {
    let (h, rest) = (m / 60, m % 60);
    if m >= 60 && rest == 0 {
        tr!("{h} h", "{h} 小时")
    } else if m > 60 {
        tr!("{h} h {rest} min", "{h} 小时 {rest} 分")
    } else {
        tr!("{m} min", "{m} 分钟")
    }
}

pub fn when_error(e: &crate::model::when::WhenError) -> String {
    use crate::model::when::WhenError;
    match e {
        WhenError::Empty => pick("must not be empty", "不能为空").into(),
        WhenError::Date(t) => tr!(
            "{t} is not a date (try 2026-12-13, 12-13, tomorrow, +2d, fri)",
            "{t} 不是日期（可写 2026-12-13、12-13、明天、+2d、周五）"
        ),
        WhenError::Time(t) => tr!(
            "{t} is not a time (try 9:30, 14:00, 2pm, 下午2点)",
            "{t} 不是时间（可写 9:30、14:00、下午2点）"
        ),
        WhenError::MissingTime => pick(
            "add a time, e.g. tomorrow 14:00",
            "请加上时间，如 明天 14:00",
        )
        .into(),
        WhenError::NoSuchDate(t) => tr!("{t} does not exist", "{t} 这一天不存在"),
        WhenError::Negative(t) => tr!(
            "{t} is a negative number, not a date (five days ago is -5d)",
            "{t} 是负数，不是日期（五天前写 -5d）"
        ),
        WhenError::Duration(t) => tr!(
            "{t} is not a duration (try 90, 1h30, 1.5h)",
            "{t} 不是时长（可写 90、1h30、1.5h）"
        ),
    }
}

/// A weekday's short name: `Mon` or `周一`.
pub fn weekday(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    let (en, zh) = match day {
        Mon => ("Mon", "周一"),
        Tue => ("Tue", "周二"),
        Wed => ("Wed", "周三"),
        Thu => ("Thu", "周四"),
        Fri => ("Fri", "周五"),
        Sat => ("Sat", "周六"),
        Sun => ("Sun", "周日"),
    };
    pick(en, zh)
}

/// A day with its weekday: `2026-12-13 Sun` or `2026-12-13 周日`.
pub fn day_with_weekday(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", day.format("%Y-%m-%d"), weekday(day.weekday()))
}

/// A moment with its weekday: `2026-12-13 Sun 09:30`.
pub fn moment_with_weekday(t: chrono::NaiveDateTime) -> String {
    format!("{} {}", day_with_weekday(t.date()), t.format("%H:%M"))
}

/// A day in the short form: `12-13` or `12月13日`.
/// A day with its year, in the form `short_day` continues: `2026-11-30` / `2026年11月30日`.
pub fn long_day(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, d) = (day.year(), day.month(), day.day());
    tr!("{y}-{m:02}-{d:02}", "{y}年{m}月{d}日")
}

pub fn short_day(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (m, d) = (day.month(), day.day());
    tr!("{m:02}-{d:02}", "{m}月{d}日")
}
