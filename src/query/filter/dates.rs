//! The filter's dates: `due<2027-01-01`, `raised>=2025-12-01`, `closed:2025-12`. A date is
//! a day (`2025-12-13`) or a month (`2025-12`); each term becomes an inclusive range of days.

use super::{err, FilterError, TermKind};
use chrono::{Datelike, Duration, NaiveDate};

/// Which date of an item a term compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Due,
    /// The day it was raised (its creation, in the time zone it was written with).
    Raised,
    /// The day it was last closed; an open item has none.
    Closed,
}

impl DateField {
    /// The keys of the filter, English and Chinese (as the CSV's columns say them).
    pub(super) fn from_key(key: &str) -> Option<DateField> {
        match key {
            "due" | "期限" => Some(DateField::Due),
            "raised" | "created" | "创建时间" | "创建" => Some(DateField::Raised),
            "closed" | "办结" | "办结时间" => Some(DateField::Closed),
            _ => None,
        }
    }
}

/// The first and last day a day or month names.
pub(super) fn period(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some((day, day));
    }
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || !(1..=2).contains(&month.len()) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next - Duration::days(1)))
}

fn bad_date(position: usize, word: &str) -> FilterError {
    err(position, crate::messages::filter_bad_date(word))
}

/// `key:DAY` or `key:MONTH` for `key`'s date.
pub(super) fn on(
    field: DateField,
    value: &str,
    position: usize,
    word: &str,
) -> Result<TermKind, FilterError> {
    let (from, to) = period(value.trim()).ok_or_else(|| bad_date(position, word))?;
    Ok(TermKind::Date {
        field,
        from: Some(from),
        to: Some(to),
    })
}

/// A comparison such as `due<2027-01-01` (also `<=`, `>`, `>=`); none when the word is not
/// one. `position` is where the word (after any `-`) starts.
pub(super) fn comparison(word: &str, position: usize) -> Option<Result<TermKind, FilterError>> {
    let at = word.find(['<', '>'])?;
    let field = DateField::from_key(&word[..at])?;
    let rest = &word[at..];
    let (op, value) = ["<=", ">=", "<", ">"]
        .into_iter()
        .find_map(|op| rest.strip_prefix(op).map(|v| (op, v)))?;
    let value_position = position + word[..at].chars().count() + op.chars().count();
    let Some((first, last)) = period(value.trim()) else {
        return Some(Err(bad_date(value_position, word)));
    };
    let (from, to) = match op {
        "<" => (None, first.pred_opt()),
        "<=" => (None, Some(last)),
        ">" => (last.succ_opt(), None),
        _ => (Some(first), None),
    };
    Some(Ok(TermKind::Date { field, from, to }))
}
