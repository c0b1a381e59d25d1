use crate::model::{Id, IdSet, Priority, Status};
use chrono::{Duration, NaiveDate};
use std::collections::HashSet;

use crate::messages as msg;

mod dates;
pub use dates::DateField;

/// A mistake in a filter, with the character position where it starts (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub position: usize,
    pub message: String,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::messages::filter_at(
            self.position + 1,
            &self.message,
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// `status:open` (not closed), `status:new,assigned`.
    Status(Vec<Status>),
    Open,
    /// `dept:发改局`; `dept:none` for unassigned.
    Department(Option<String>),
    /// `firm:zsswgc` — the same search as the Firms tab.
    Firm(String),
    /// `cat:land` (code or name).
    Category(String),
    /// `prio:high,urgent`; `prio>=high`.
    Priority(Vec<Priority>),
    /// Open and past due.
    Overdue,
    /// `conflict` (`冲突`): a field holds values set on two ledgers at once.
    Conflict,
    /// `due:7d` — open and due within N days (overdue included).
    DueWithin(i64),
    /// Due by the end of this calendar week (Sunday).
    DueThisWeek,
    /// `visit` — raised in a visit; `-visit` for the others.
    RaisedInVisit,
    /// `owner:me`, `owner:王伟`.
    Owner(String),
    /// Any other word: searched in the title, detail and responses.
    Text(String),
    /// `#12`
    Number(u32),
    /// `callback:due` (`回访:待`): closed, its follow-up call not yet made.
    AwaitingCall,
    /// `tag:专班` (`标签:专班`).
    Tag(String),
    /// `due<2027-01-01`, `raised>=2025-12-01`, `closed:2025-12`: the item's date lies within
    /// the days from `from` to `to`, both included (none: open-ended).
    Date {
        field: DateField,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub negated: bool,
    pub kind: TermKind,
    /// Where an error found after resolving points: the term's start, or the name of a
    /// department or category.
    pub position: usize,
}

/// A parsed filter: every term must hold (and `-term` must not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub terms: Vec<Term>,
    /// `sort:due` in the text; the caller's sort applies otherwise.
    pub sort: Option<super::SortKey>,
}

fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([',', '，', '|'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// `7d`, `7天`, `7` days; `2w`, `2周` weeks.
fn weeks_or_days(v: &str) -> Result<i64, std::num::ParseIntError> {
    match v.strip_suffix('w').or_else(|| v.strip_suffix('周')) {
        Some(weeks) => weeks.parse::<i64>().map(|w| w * 7),
        None => v
            .trim_end_matches('d')
            .trim_end_matches('天')
            .parse::<i64>(),
    }
}

fn err(position: usize, message: impl Into<String>) -> FilterError {
    FilterError {
        position,
        message: message.into(),
    }
}

/// Parses a filter. Words are separated by spaces; `key:value` words are conditions, `-` in
/// front negates, other words are text to find.
pub fn parse(text: &str) -> Result<Filter, FilterError> {
    let mut filter = Filter::default();
    let mut chars = 0;
    let mut position_of = Vec::new();
    for word in text.split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        if !trimmed.trim().is_empty() {
            position_of.push((
                chars + (word.chars().count() - word.trim_start().chars().count()),
                trimmed.trim(),
            ));
        }
        chars += word.chars().count();
    }
    for (position, word) in position_of {
        let (negated, body) = match word.strip_prefix('-').or_else(|| word.strip_prefix('!')) {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, word),
        };
        let lower = body.to_lowercase();
        if let Some(kind) = dates::comparison(&lower, position + usize::from(negated)) {
            filter.terms.push(Term {
                negated,
                kind: kind?,
                position,
            });
            continue;
        }
        let (key, value) = match lower.split_once([':', '：']) {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => match lower.split_once(">=") {
                Some((k, v)) if k == "prio" || k == "priority" || k == "优先级" => {
                    (format!("{k}>="), Some(v.to_string()))
                }
                _ => (lower.clone(), None),
            },
        };
        // The original spelling of the value (names are case-sensitive Chinese anyway).
        let raw_value = body
            .split_once([':', '：'])
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        let value_position =
            position + body.chars().count() - raw_value.chars().count() + usize::from(negated);
        let kind =
            match (key.as_str(), value.as_deref()) {
                ("overdue" | "逾期", None) => TermKind::Overdue,
                ("conflict" | "conflicts" | "冲突", None) => TermKind::Conflict,
                ("open" | "未办结", None) => TermKind::Open,
                ("未分配", None) => TermKind::Department(None),
                ("visit" | "visited" | "走访", None) => TermKind::RaisedInVisit,
                ("status" | "状态", Some(v)) => {
                    if v == "open" || v == "未办结" {
                        TermKind::Open
                    } else {
                        let mut list = Vec::new();
                        for s in split_list(v) {
                            list.push(Status::parse(s).ok_or_else(|| {
                                err(value_position, msg::filter_unknown_status(s))
                            })?);
                        }
                        if list.is_empty() {
                            return Err(err(value_position, msg::filter_needs_value(&key)));
                        }
                        TermKind::Status(list)
                    }
                }
                ("dept" | "department" | "部门", Some(_)) => {
                    let v = raw_value.trim();
                    if v.is_empty() {
                        return Err(err(value_position, msg::filter_needs_department()));
                    }
                    TermKind::Department(if v == "none" || v == "无" {
                        None
                    } else {
                        Some(v.to_string())
                    })
                }
                ("firm" | "企业", Some(_)) if !raw_value.trim().is_empty() => {
                    TermKind::Firm(raw_value.trim().to_string())
                }
                ("cat" | "category" | "类别", Some(_)) if !raw_value.trim().is_empty() => {
                    TermKind::Category(raw_value.trim().to_string())
                }
                ("owner" | "负责人" | "经办人", Some(_)) if !raw_value.trim().is_empty() => {
                    TermKind::Owner(raw_value.trim().to_string())
                }
                ("prio" | "priority" | "优先级", Some(v)) => {
                    let mut list = Vec::new();
                    for p in split_list(v) {
                        list.push(
                            Priority::parse(p).ok_or_else(|| {
                                err(value_position, msg::filter_unknown_priority(p))
                            })?,
                        );
                    }
                    if list.is_empty() {
                        return Err(err(value_position, msg::filter_needs_value(&key)));
                    }
                    TermKind::Priority(list)
                }
                ("prio>=" | "priority>=" | "优先级>=", Some(v)) => {
                    // `raw_value` is cut at a colon; here the value follows `>=`.
                    let at = position + usize::from(negated) + key.chars().count();
                    if v.trim().is_empty() {
                        return Err(err(at, msg::filter_needs_value(&key)));
                    }
                    let floor = Priority::parse(v)
                        .ok_or_else(|| err(at, msg::filter_unknown_priority(v)))?;
                    TermKind::Priority(Priority::ALL.into_iter().filter(|p| *p >= floor).collect())
                }
                ("due" | "期限", Some("week" | "本周" | "周")) => TermKind::DueThisWeek,
                ("due" | "期限", Some(v)) if dates::period(v).is_some() => {
                    dates::on(DateField::Due, v, value_position, word)?
                }
                (
                    "raised" | "created" | "创建时间" | "创建" | "closed" | "办结" | "办结时间",
                    Some(v),
                ) => {
                    let field = DateField::from_key(&key).expect("a date key");
                    dates::on(field, v, value_position, word)?
                }
                ("tag" | "标签", Some(_)) if !raw_value.trim().is_empty() => {
                    TermKind::Tag(raw_value.trim().to_string())
                }
                ("callback" | "call" | "回访", Some("due" | "待" | "待回访")) => {
                    TermKind::AwaitingCall
                }
                ("callback" | "call" | "回访", Some(v)) => {
                    return Err(err(value_position, msg::filter_bad_callback(v)))
                }
                ("due" | "期限", Some(v)) => {
                    let days = match v {
                        "today" | "今天" => 0,
                        "month" | "本月" => 30,
                        _ => weeks_or_days(v)
                            .map_err(|_| err(value_position, msg::filter_bad_due(v)))?,
                    };
                    TermKind::DueWithin(days)
                }
                ("sort" | "排序", Some(v)) => {
                    filter.sort = Some(
                        super::SortKey::parse(v)
                            .ok_or_else(|| err(value_position, msg::filter_unknown_sort(v)))?,
                    );
                    continue;
                }
                (_, Some(_)) if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic()) => {
                    return Err(err(position, msg::filter_unknown_condition(&key)))
                }
                (_, Some(_)) if raw_value.trim().is_empty() => {
                    return Err(err(value_position, msg::filter_needs_value(&key)))
                }
                // `#12`: the item officers quote by its number.
                _ if body.len() > 1
                    && body.starts_with('#')
                    && body[1..].chars().all(|c| c.is_ascii_digit()) =>
                {
                    TermKind::Number(
                        body[1..]
                            .parse()
                            .map_err(|_| err(position, msg::filter_no_number(body)))?,
                    )
                }
                _ => TermKind::Text(body.to_lowercase()),
            };
        // A name is looked up later: a mistake there is said at the name, as others here are.
        let position = match kind {
            TermKind::Department(Some(_)) | TermKind::Category(_) => value_position,
            _ => position,
        };
        filter.terms.push(Term {
            negated,
            kind,
            position,
        });
    }
    Ok(filter)
}

/// A lower-cased word to find in texts, with its searcher built once.
#[derive(Debug, Clone)]
pub struct Needle {
    finder: memchr::memmem::Finder<'static>,
}

impl Needle {
    pub fn new(text: &str) -> Needle {
        Needle {
            finder: memchr::memmem::Finder::new(text.as_bytes()).into_owned(),
        }
    }

    pub fn text(&self) -> &str {
        // Built from a `&str`, so the bytes are UTF-8.
        std::str::from_utf8(self.finder.needle()).unwrap_or_default()
    }

    pub fn found_in(&self, haystack: &str) -> bool {
        self.finder.find(haystack.as_bytes()).is_some()
    }

    /// Where it occurs in `haystack`, leftmost first, occurrences not overlapping.
    pub fn find_iter<'h>(&'h self, haystack: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
        self.finder.find_iter(haystack)
    }
}

impl PartialEq for Needle {
    fn eq(&self, other: &Needle) -> bool {
        self.finder.needle() == other.finder.needle()
    }
}

impl Eq for Needle {}

/// What an item offers to the filter.
pub trait Item {
    fn status(&self) -> Status;
    fn priority(&self) -> Priority;
    fn department(&self) -> Option<Id>;
    fn category(&self) -> Option<Id>;
    fn firm(&self) -> Id;
    fn due(&self) -> Option<NaiveDate>;
    fn raised_in_visit(&self) -> bool;
    fn owner(&self) -> &str;
    /// Does the lower-cased `needle` occur in the title, detail or responses?
    fn contains_text(&self, needle: &Needle) -> bool;
    fn number(&self) -> u32;
    fn has_tag(&self, tag: &str) -> bool;
    /// The day it was raised.
    fn raised(&self) -> NaiveDate;
    /// The day it was last closed; none while open.
    fn closed(&self) -> Option<NaiveDate>;
    /// Closed and awaiting its follow-up call (`Issue::awaiting_call`).
    fn awaiting_call(&self) -> bool;
}

/// The names a filter can mention, for resolving them to ids.
pub struct Names<'a> {
    pub departments: Vec<(Id, &'a str, &'a str)>,
    /// (id, code, name)
    pub categories: Vec<(Id, &'a str, &'a str)>,
    /// Resolves a firm term to the firms it means.
    pub firms: &'a dyn Fn(&str) -> HashSet<Id>,
    /// Who `owner:me` is.
    pub me: &'a str,
    /// The numbers of the items with a field in conflict (`conflict`).
    pub conflicted: &'a HashSet<u32>,
}

/// One condition of a resolved filter. Public so that a store of items can compile the
/// conditions into its own form (the queue tests a million rows per key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Status(Vec<Status>),
    Open,
    Department(Option<Id>),
    Departments(IdSet),
    Firms(IdSet),
    Categories(IdSet),
    Priority(Vec<Priority>),
    Overdue,
    /// The item's number is among these (those in conflict when the filter was resolved).
    Conflicted(Box<HashSet<u32>>),
    DueWithin(i64),
    /// Due by the end of this calendar week (Sunday).
    DueThisWeek,
    RaisedInVisit,
    Owner(String),
    Text(Box<Needle>),
    Number(u32),
    Tag(String),
    AwaitingCall,
    Date {
        field: DateField,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
}

/// A filter whose names are ids, ready to test items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    checks: Vec<(bool, Check)>,
}

impl Filter {
    /// Turns names into ids; an unknown department or category is an error at its position.
    pub fn resolve(&self, names: &Names) -> Result<Resolved, FilterError> {
        let mut checks = Vec::new();
        for term in &self.terms {
            let check = match &term.kind {
                TermKind::Status(list) => Check::Status(list.clone()),
                TermKind::Open => Check::Open,
                TermKind::Overdue => Check::Overdue,
                TermKind::Conflict => Check::Conflicted(Box::new(names.conflicted.clone())),
                TermKind::DueWithin(days) => Check::DueWithin(*days),
                TermKind::DueThisWeek => Check::DueThisWeek,
                TermKind::RaisedInVisit => Check::RaisedInVisit,
                TermKind::Priority(list) => Check::Priority(list.clone()),
                TermKind::Text(text) => Check::Text(Box::new(Needle::new(text))),
                TermKind::Number(n) => Check::Number(*n),
                TermKind::AwaitingCall => Check::AwaitingCall,
                TermKind::Tag(tag) => Check::Tag(tag.clone()),
                TermKind::Date { field, from, to } => Check::Date {
                    field: *field,
                    from: *from,
                    to: *to,
                },
                TermKind::Owner(who) => Check::Owner(if who == "me" || who == "我" {
                    names.me.to_string()
                } else {
                    who.clone()
                }),
                TermKind::Department(None) => Check::Department(None),
                TermKind::Department(Some(name)) => {
                    let exact: IdSet = names
                        .departments
                        .iter()
                        .filter(|(_, short, full)| short == name || full == name)
                        .map(|(id, ..)| *id)
                        .collect();
                    let found = if exact.is_empty() {
                        names
                            .departments
                            .iter()
                            .filter(|(_, short, full)| {
                                short.contains(name.as_str()) || full.contains(name.as_str())
                            })
                            .map(|(id, ..)| *id)
                            .collect()
                    } else {
                        exact
                    };
                    if found.is_empty() {
                        let known: Vec<&str> = names
                            .departments
                            .iter()
                            .map(|(_, short, _)| *short)
                            .collect();
                        return Err(err(term.position, msg::filter_no_department(name, &known)));
                    }
                    Check::Departments(found)
                }
                TermKind::Category(name) => {
                    let lower = name.to_lowercase();
                    let found: IdSet = names
                        .categories
                        .iter()
                        .filter(|(_, code, label)| *code == lower || *label == name)
                        .map(|(id, ..)| *id)
                        .collect();
                    if found.is_empty() {
                        let known: Vec<&str> =
                            names.categories.iter().map(|(_, code, _)| *code).collect();
                        return Err(err(term.position, msg::filter_no_category(name, &known)));
                    }
                    Check::Categories(found)
                }
                TermKind::Firm(text) => Check::Firms((names.firms)(text).into_iter().collect()),
            };
            checks.push((term.negated, check));
        }
        Ok(Resolved { checks })
    }
}

impl Resolved {
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// The conditions, each with whether it is negated.
    pub fn checks(&self) -> &[(bool, Check)] {
        &self.checks
    }

    /// Does everything this filter passes also pass `before`? True when it keeps each of
    /// `before`'s conditions, a word only growing (typing `用` then `用地`), and adds more: the
    /// items can then be found among those `before` passed, not among all.
    pub fn narrows(&self, before: &Resolved) -> bool {
        self.checks.len() >= before.checks.len()
            && self
                .checks
                .iter()
                .zip(&before.checks)
                .all(|(now, was)| match (now, was) {
                    ((false, Check::Text(now)), (false, Check::Text(was))) => {
                        now.text().contains(was.text())
                    }
                    _ => now == was,
                })
    }

    /// The words searched for in the text of items.
    pub fn text_terms(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter_map(|(_, check)| match check {
                Check::Text(needle) => Some(needle.text()),
                _ => None,
            })
            .collect()
    }

    /// Does the item pass every condition? `today` decides what is overdue.
    pub fn matches(&self, item: &impl Item, today: NaiveDate) -> bool {
        self.checks.iter().all(|(negated, check)| {
            let holds = match check {
                Check::Status(list) => list.contains(&item.status()),
                Check::Open => item.status().is_open(),
                Check::Department(None) => item.department().is_none(),
                Check::Department(Some(id)) => item.department() == Some(*id),
                Check::Departments(ids) => item.department().is_some_and(|d| ids.contains(&d)),
                Check::Firms(ids) => ids.contains(&item.firm()),
                Check::Categories(ids) => item.category().is_some_and(|c| ids.contains(&c)),
                Check::Priority(list) => list.contains(&item.priority()),
                Check::Overdue => item.status().is_open() && item.due().is_some_and(|d| d < today),
                Check::Conflicted(numbers) => numbers.contains(&item.number()),
                Check::DueWithin(days) => {
                    item.status().is_open()
                        && item
                            .due()
                            .is_some_and(|d| d <= today + Duration::days(*days))
                }
                Check::DueThisWeek => {
                    let sunday =
                        crate::model::when::WeekStart::Monday.first_day(today) + Duration::days(6);
                    item.status().is_open() && item.due().is_some_and(|d| d <= sunday)
                }
                Check::RaisedInVisit => item.raised_in_visit(),
                Check::Owner(who) => item.owner() == who,
                Check::Text(text) => item.contains_text(text),
                Check::Number(n) => item.number() == *n,
                Check::Tag(tag) => item.has_tag(tag),
                Check::AwaitingCall => item.awaiting_call(),
                Check::Date { field, from, to } => {
                    let day = match field {
                        DateField::Due => item.due(),
                        DateField::Raised => Some(item.raised()),
                        DateField::Closed => item.closed(),
                    };
                    day.is_some_and(|d| from.is_none_or(|f| f <= d) && to.is_none_or(|t| d <= t))
                }
            };
            holds != *negated
        })
    }
}

mod items;
pub use items::WithResponses;

#[cfg(test)]
mod tests;
