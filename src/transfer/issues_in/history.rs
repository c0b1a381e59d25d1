//! The history an imported item gets, and the dates and moments rows write.

use super::*;

/// The state a row gives its item, for `build_history`.
pub(super) struct History {
    pub(super) id: Id,
    pub(super) created: LocalTime,
    /// When the changes after creation are recorded.
    pub(super) moment: LocalTime,
    pub(super) department: Option<Id>,
    pub(super) due: Option<NaiveDate>,
    pub(super) target: Status,
    /// For a closed item: what the firm was told (empty when the file says nothing).
    pub(super) resolution: Option<Resolution>,
    /// (text, to_firm), oldest first.
    pub(super) responses: Vec<(String, bool)>,
    pub(super) updated_in_file: bool,
}

/// The item in its imported state and the events that lead there, each a change the app could
/// have made; `true` when a closed item got `IMPORTED_AS_CLOSED` for want of a resolution.
pub(super) fn build_history(
    draft: IssueDraft,
    author: &str,
    state: History,
) -> Result<(Issue, Vec<IssueEvent>, bool), FieldError> {
    // The draft is checked without its department and due date: the department comes as its
    // own event below, and an old ledger's due dates may well be past.
    let mut issue = draft.into_issue(state.id, 0, state.created)?;
    let mut events = vec![IssueEvent::new(
        issue.id,
        state.created,
        author,
        Change::Created,
    )];
    issue.due = state.due;
    if let Some(department) = state.department {
        issue.department = Some(department);
        // Handing an item to a department is what makes it assigned, as in `into_issue`.
        issue.status = Status::Assigned;
        events.push(IssueEvent::new(
            issue.id,
            state.moment,
            author,
            Change::Department {
                from: None,
                to: Some(department),
            },
        ));
    }
    for (text, to_firm) in state.responses {
        events.push(IssueEvent::new(
            issue.id,
            state.moment,
            author,
            Change::Response { text, to_firm },
        ));
    }
    let mut closed_without_text = false;
    let steps = if issue.status == state.target {
        vec![]
    } else if issue.status.can_become(state.target) {
        vec![state.target]
    } else {
        // From new to in progress or answered, by way of assigned.
        vec![Status::Assigned, state.target]
    };
    for step in steps {
        let resolution = match (step, &state.resolution) {
            (Status::Closed, Some(r)) if r.text.is_empty() => {
                closed_without_text = true;
                Some(Resolution {
                    kind: r.kind,
                    text: IMPORTED_AS_CLOSED.to_string(),
                })
            }
            (Status::Closed, r) => r.clone(),
            _ => None,
        };
        events.push(issue.change_status(step, resolution, author, state.moment)?);
    }
    issue.updated = if events.len() > 1 || state.updated_in_file {
        state.moment
    } else {
        state.created
    };
    Ok((issue, events, closed_without_text))
}

// ---- dates ---------------------------------------------------------------------------------

pub(super) fn when_message(error: &WhenError) -> String {
    match error {
        WhenError::NoSuchDate(text) => format!("there is no such day as {text}"),
        WhenError::Negative(text) => format!("{text} is a negative number, not a date"),
        _ => "is not a date (2026-12-13, 2026/12/13, 12-13, +7d, 周五 …)".to_string(),
    }
}

/// A day as people and spreadsheets write it: the forms of `parse_date` (relative ones
/// counted from `today`), a date with a time (`2026-12-13 00:00:00`, what Excel writes for a
/// date cell), or Excel's serial day number (`46369`) when a date cell lost its format.
pub(super) fn parse_due(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let first = match parse_date(text, today) {
        Ok(day) => return Ok(day),
        Err(e) => e,
    };
    if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
        let serial: i64 = text.parse().unwrap_or(0);
        // Excel counts from 1899-12-30 once past its fictitious 1900-02-29; five digits
        // cover 1927 to 2173.
        if let Some(day) = NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_signed(Duration::days(serial)))
        {
            return Ok(day);
        }
    }
    if let Some((day, time)) = text.split_once([' ', 'T']) {
        if parse_clock(time.trim()).is_some() {
            return parse_date(day, today).map_err(|e| when_message(&e));
        }
    }
    Err(when_message(&first))
}

/// `09:30`, `9:30:15`, `09:30:15.250`: the times spreadsheets write.
pub(super) fn parse_clock(text: &str) -> Option<NaiveTime> {
    ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
}

/// A moment: RFC 3339 as exports write it (`2026-12-13T09:30:00+08:00`), a date and a time in
/// the laptop's offset (`2026-12-13 09:30:00`, `2026/12/13 9:30`), or a day alone (its start).
/// A moment more than a day ahead of `now` is refused: it is a typo, not a record.
pub(super) fn parse_moment(text: &str, now: LocalTime) -> Result<LocalTime, String> {
    let moment = DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| {
            let (day, time) = text.split_once([' ', 'T'])?;
            let time = parse_clock(time.trim())?;
            let day = parse_date(day, now.date_naive()).ok()?;
            now.offset()
                .from_local_datetime(&day.and_time(time))
                .single()
        })
        .or_else(|| parse_when(text, now).ok())
        .or_else(|| {
            let day = parse_date(text, now.date_naive()).ok()?;
            now.offset()
                .from_local_datetime(&day.and_time(NaiveTime::MIN))
                .single()
        })
        .ok_or_else(|| {
            "is not a date and time (2026-12-13 09:30, 2026-12-13T09:30:00+08:00 …)".to_string()
        })?;
    if moment > now + Duration::days(1) {
        return Err(format!("{text} is in the future"));
    }
    Ok(moment)
}
