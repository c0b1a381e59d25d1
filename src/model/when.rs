//! Dates, times and durations as people type them: `2026-12-13 09:30`, `12-13 9:30`,
//! `tomorrow 14:00`, `+2d 10:00`, `周五 15:00`, `明天 下午2点`, `90`, `1h30`. Parsing is
//! relative to "now", passed in, so it is testable and follows the laptop's clock.

use super::LocalTime;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Weekday};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    Empty,
    /// The text is not a date this parser knows.
    Date(String),
    /// The text is not a time of day.
    Time(String),
    /// A date without a time where a moment is needed.
    MissingTime,
    /// A well-formed date that does not exist, such as 02-30.
    NoSuchDate(String),
    /// A bare negative number (`-5`): a spreadsheet's number, not "five days ago" (`-5d`).
    Negative(String),
    Duration(String),
}

fn weekday(word: &str) -> Option<Weekday> {
    use Weekday::*;
    Some(match word {
        "mon" | "monday" | "周一" | "星期一" | "礼拜一" => Mon,
        "tue" | "tues" | "tuesday" | "周二" | "星期二" | "礼拜二" => Tue,
        "wed" | "wednesday" | "周三" | "星期三" | "礼拜三" => Wed,
        "thu" | "thur" | "thurs" | "thursday" | "周四" | "星期四" | "礼拜四" => Thu,
        "fri" | "friday" | "周五" | "星期五" | "礼拜五" => Fri,
        "sat" | "saturday" | "周六" | "星期六" | "礼拜六" => Sat,
        "sun" | "sunday" | "周日" | "周天" | "星期日" | "星期天" | "礼拜天" => Sun,
        _ => return None,
    })
}

/// A month and day without a year: the occurrence nearest to today, so that in December
/// `01-05` means next January and in January `12-20` means last December.
fn nearest(month: u32, day: u32, today: NaiveDate, text: &str) -> Result<NaiveDate, WhenError> {
    let candidates: Vec<NaiveDate> = [today.year() - 1, today.year(), today.year() + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .collect();
    candidates
        .into_iter()
        .min_by_key(|d| (*d - today).num_days().abs())
        .ok_or_else(|| WhenError::NoSuchDate(text.to_string()))
}

fn numbers(text: &str) -> Option<Vec<u32>> {
    let parts: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || parts.iter().any(|p| p.len() > 4) {
        return None;
    }
    parts.iter().map(|p| p.parse().ok()).collect()
}

/// One date: absolute (`2026-12-13`, `2026/12/13`, `2026年12月13日`), without a year
/// (`12-13`, `12月13日`), relative (`today`, `明天`, `+2d`, `-1w`) or a weekday (`fri`,
/// `周五`, `next fri`: the coming one, today included, or the one a week later).
/// The clock, in the local time zone: what every command and the app take as "now".
pub fn now() -> LocalTime {
    chrono::Local::now().fixed_offset()
}

pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Err(WhenError::Empty);
    }
    let bad = || WhenError::Date(text.clone());
    match text.as_str() {
        "today" | "今天" | "今日" => return Ok(today),
        "tomorrow" | "tmr" | "明天" | "明日" => return Ok(today + Duration::days(1)),
        "yesterday" | "昨天" => return Ok(today - Duration::days(1)),
        "后天" => return Ok(today + Duration::days(2)),
        _ => {}
    }
    if let Some(sign) = text.chars().next().filter(|c| *c == '+' || *c == '-') {
        let body = &text[1..];
        let (count, unit) = body.split_at(
            body.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(body.len()),
        );
        let count: i64 = count.parse().map_err(|_| bad())?;
        if sign == '-' && unit.is_empty() {
            return Err(WhenError::Negative(text.clone()));
        }
        let days = match unit {
            "" | "d" | "day" | "days" | "天" => count,
            "w" | "week" | "weeks" | "周" => count * 7,
            _ => return Err(bad()),
        };
        return Ok(today + Duration::days(if sign == '-' { -days } else { days }));
    }
    let (next_week, word) = match text
        .strip_prefix("next ")
        .or_else(|| text.strip_prefix("下"))
    {
        Some(rest) => (true, rest.trim()),
        None => (false, text.as_str()),
    };
    if let Some(day) = weekday(word) {
        let ahead = (7 + day.num_days_from_monday() as i64
            - today.weekday().num_days_from_monday() as i64)
            % 7;
        return Ok(today + Duration::days(ahead + if next_week { 7 } else { 0 }));
    }
    let nums = numbers(&text).ok_or_else(bad)?;
    match nums.as_slice() {
        [y, m, d] if *y >= 1000 => NaiveDate::from_ymd_opt(*y as i32, *m, *d)
            .ok_or_else(|| WhenError::NoSuchDate(text.clone())),
        [m, d] if (1..=12).contains(m) && (1..=31).contains(d) => nearest(*m, *d, today, &text),
        [m, d] if *m <= 12 => Err(WhenError::NoSuchDate(text.clone())),
        [ymd] if *ymd >= 1000 => Err(bad()),
        _ => Err(bad()),
    }
}

/// A time of day: `9:30`, `09:30`, `14`, `14h`, `2pm`, `2:30pm`, `14点`, `14点30`, `下午2点`,
/// `上午9点半`.
pub fn parse_time(text: &str) -> Result<NaiveTime, WhenError> {
    let original = text.trim().to_lowercase();
    let bad = || WhenError::Time(original.clone());
    let mut text = original.as_str();
    let mut afternoon = false;
    let mut morning = false;
    for (prefix, pm) in [
        ("下午", true),
        ("晚上", true),
        ("中午", true),
        ("上午", false),
        ("早上", false),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest;
            afternoon = pm;
            morning = !pm;
        }
    }
    if let Some(rest) = text.strip_suffix("pm") {
        text = rest.trim();
        afternoon = true;
    } else if let Some(rest) = text.strip_suffix("am") {
        text = rest.trim();
        morning = true;
    }
    let half = text.ends_with('半');
    let text = text.trim_end_matches(['半', '分']).trim_end_matches('h');
    let nums = numbers(text).ok_or_else(bad)?;
    let (mut hour, minute) = match nums.as_slice() {
        [h] if *h < 100 => (*h, if half { 30 } else { 0 }),
        [h, m] => (*h, *m),
        _ => return Err(bad()),
    };
    if afternoon && hour < 12 {
        hour += 12;
    }
    if morning && hour == 12 {
        hour = 0;
    }
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(bad)
}

fn looks_like_time(token: &str) -> bool {
    let t = token.to_lowercase();
    t.contains(':')
        || t.ends_with("am")
        || t.ends_with("pm")
        || t.contains('点')
        || t.starts_with("上午")
        || t.starts_with("下午")
        || t.starts_with("晚上")
        || t.starts_with("中午")
        || t.starts_with("早上")
        || (t.ends_with('h') && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

/// A moment: a date and a time (`tomorrow 14:00`, `12-13 9:30`), or a time alone for today.
/// The result has `now`'s offset: visits are planned in the officer's local time.
pub fn parse_when(text: &str, now: LocalTime) -> Result<LocalTime, WhenError> {
    let mut text = text.trim().to_string();
    if text.is_empty() {
        return Err(WhenError::Empty);
    }
    // `明天下午2点` has no space before its time: put one there.
    for period in ["上午", "下午", "晚上", "中午", "早上"] {
        if let Some(i) = text.find(period).filter(|i| *i > 0) {
            text.insert(i, ' ');
        }
    }
    let text = text.as_str();
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let (date_part, time_part) = match tokens.iter().rposition(|t| looks_like_time(t)) {
        Some(i) if i == tokens.len() - 1 => (tokens[..i].join(" "), tokens[i]),
        Some(_) => return Err(WhenError::Time(text.to_string())),
        None => {
            parse_date(text, now.date_naive())?;
            return Err(WhenError::MissingTime);
        }
    };
    let date = if date_part.trim().is_empty() {
        now.date_naive()
    } else {
        parse_date(&date_part, now.date_naive())?
    };
    let time = parse_time(time_part)?;
    now.offset()
        .from_local_datetime(&date.and_time(time))
        .single()
        .ok_or(WhenError::NoSuchDate(text.to_string()))
}

/// Minutes: `90`, `90m`, `90min`, `1h`, `1h30`, `1.5h`, `1:30`, `2小时`, `半小时`.
pub fn parse_duration(text: &str) -> Result<u32, WhenError> {
    let text = text.trim().to_lowercase().replace(' ', "");
    let bad = || WhenError::Duration(text.clone());
    if text.is_empty() {
        return Err(WhenError::Empty);
    }
    if text == "半小时" {
        return Ok(30);
    }
    let minutes = if let Some((h, m)) = text.split_once(':') {
        let h: u32 = h.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        h * 60 + m
    } else if let Some((h, rest)) = text.split_once('h').or_else(|| text.split_once("小时")) {
        let hours: f64 = h.parse().map_err(|_| bad())?;
        let rest = rest
            .trim_end_matches("min")
            .trim_end_matches('m')
            .trim_end_matches("分钟")
            .trim_end_matches("分");
        let extra: u32 = if rest.is_empty() {
            0
        } else {
            rest.parse().map_err(|_| bad())?
        };
        (hours * 60.0).round() as u32 + extra
    } else {
        let digits = text
            .trim_end_matches("min")
            .trim_end_matches('m')
            .trim_end_matches("分钟");
        digits.parse().map_err(|_| bad())?
    };
    if minutes == 0 {
        return Err(bad());
    }
    Ok(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    /// Saturday 28 November 2026, 10:00 in Zhongshan.
    fn now() -> LocalTime {
        DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_in_every_form() {
        let today = now().date_naive();
        let table = [
            ("2026-12-13", "2026-12-13"),
            ("2026/12/13", "2026-12-13"),
            ("2026年12月13日", "2026-12-13"),
            ("12-13", "2026-12-13"),
            ("12月13日", "2026-12-13"),
            ("1-5", "2027-01-05"),
            ("03-01", "2027-03-01"),
            ("10-01", "2026-10-01"),
            ("today", "2026-11-28"),
            ("Tomorrow", "2026-11-29"),
            ("明天", "2026-11-29"),
            ("后天", "2026-11-30"),
            ("+2d", "2026-11-30"),
            ("+2", "2026-11-30"),
            ("-1w", "2026-11-21"),
            ("+1周", "2026-12-05"),
            ("mon", "2026-11-30"),
            ("sat", "2026-11-28"),
            ("next sat", "2026-12-05"),
            ("周五", "2026-12-04"),
            ("下周一", "2026-12-07"),
        ];
        for (text, expected) in table {
            assert_eq!(parse_date(text, today), Ok(day(expected)), "{text}");
        }
    }

    #[test]
    fn bad_dates_say_what_was_wrong() {
        let today = now().date_naive();
        assert_eq!(parse_date("", today), Err(WhenError::Empty));
        assert_eq!(
            parse_date("2026-02-30", today),
            Err(WhenError::NoSuchDate("2026-02-30".into()))
        );
        assert_eq!(
            parse_date("13-01", today),
            Err(WhenError::Date("13-01".into()))
        );
        assert_eq!(
            parse_date("02-30", today),
            Err(WhenError::NoSuchDate("02-30".into()))
        );
        assert!(matches!(
            parse_date("someday", today),
            Err(WhenError::Date(_))
        ));
        assert!(matches!(parse_date("+2x", today), Err(WhenError::Date(_))));
        // A bare negative number is a spreadsheet's number, not five days ago.
        assert_eq!(
            parse_date("-5", today),
            Err(WhenError::Negative("-5".into()))
        );
        assert_eq!(parse_date("-5d", today), Ok(day("2026-11-23")));
        assert!(matches!(
            parse_date("20261213", today),
            Err(WhenError::Date(_))
        ));
    }

    #[test]
    fn times_in_every_form() {
        let table = [
            ("9:30", "09:30"),
            ("09:30", "09:30"),
            ("14", "14:00"),
            ("14h", "14:00"),
            ("2pm", "14:00"),
            ("2:30pm", "14:30"),
            ("12am", "00:00"),
            ("14点", "14:00"),
            ("14点30", "14:30"),
            ("下午2点", "14:00"),
            ("上午9点半", "09:30"),
        ];
        for (text, expected) in table {
            assert_eq!(
                parse_time(text).map(|t| t.format("%H:%M").to_string()),
                Ok(expected.to_string()),
                "{text}"
            );
        }
        assert!(parse_time("25:00").is_err());
        assert!(parse_time("9:61").is_err());
        assert!(parse_time("noon-ish").is_err());
    }

    #[test]
    fn moments_combine_a_date_and_a_time_in_local_time() {
        let table = [
            ("2026-12-13 09:30", "2026-12-13T09:30:00+08:00"),
            ("12-13 9:30", "2026-12-13T09:30:00+08:00"),
            ("tomorrow 14:00", "2026-11-29T14:00:00+08:00"),
            ("+2d 10:00", "2026-11-30T10:00:00+08:00"),
            ("15:00", "2026-11-28T15:00:00+08:00"),
            ("周五 下午3点", "2026-12-04T15:00:00+08:00"),
            ("明天下午2点", "2026-11-29T14:00:00+08:00"),
            ("next mon 9am", "2026-12-07T09:00:00+08:00"),
        ];
        for (text, expected) in table {
            assert_eq!(
                parse_when(text, now()).map(|t| t.to_rfc3339()),
                Ok(expected.to_string()),
                "{text}"
            );
        }
        assert_eq!(parse_when("tomorrow", now()), Err(WhenError::MissingTime));
        assert_eq!(parse_when("  ", now()), Err(WhenError::Empty));
        assert!(matches!(
            parse_when("tomorrow 25:00", now()),
            Err(WhenError::Time(_))
        ));
        assert!(matches!(
            parse_when("9:30 tomorrow", now()),
            Err(WhenError::Time(_))
        ));
        assert!(matches!(
            parse_when("someday 9:30", now()),
            Err(WhenError::Date(_))
        ));
    }

    #[test]
    fn durations() {
        let table = [
            ("90", 90),
            ("90m", 90),
            ("90min", 90),
            ("1h", 60),
            ("1h30", 90),
            ("1.5h", 90),
            ("1:30", 90),
            ("2小时", 120),
            ("半小时", 30),
            ("45分钟", 45),
        ];
        for (text, expected) in table {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("long").is_err());
        assert_eq!(parse_duration(""), Err(WhenError::Empty));
    }
}

/// The first day of a week on the Agenda: Monday in China, Sunday where the officer wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
}

impl WeekStart {
    pub fn parse(text: &str) -> Option<WeekStart> {
        match text.trim().to_lowercase().as_str() {
            "monday" | "mon" | "周一" | "星期一" => Some(WeekStart::Monday),
            "sunday" | "sun" | "周日" | "星期日" | "星期天" => Some(WeekStart::Sunday),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            WeekStart::Monday => "monday",
            WeekStart::Sunday => "sunday",
        }
    }

    /// The first day of the week holding `day`.
    pub fn first_day(self, day: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let back = match self {
            WeekStart::Monday => day.weekday().num_days_from_monday(),
            WeekStart::Sunday => day.weekday().num_days_from_sunday(),
        };
        day - chrono::Duration::days(i64::from(back))
    }
}
