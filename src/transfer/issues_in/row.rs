//! One row read and checked into a plan: an item to add, one to update, or nothing to do.

use super::*;

// ---- the header ----------------------------------------------------------------------------

impl Column {
    /// The model's field for this column, for the wording of its problems.
    pub(super) fn field(self) -> Field {
        match self {
            Column::Firm => Field::Firm,
            Column::Title => Field::Title,
            Column::Detail => Field::Detail,
            Column::Owner => Field::Owner,
            Column::Status | Column::ResolutionKind => Field::Status,
            Column::Due => Field::Due,
            Column::Resolution | Column::LastResponse => Field::Resolution,
            Column::Tags => Field::Tags,
            Column::Callback => Field::Status,
            _ => Field::Name,
        }
    }
}

impl Layout<Column> {
    /// The trimmed cell, empty when the column is absent or the row is short. Line breaks
    /// inside a quoted cell become `\n`, the only line break the model accepts.
    pub(super) fn cell<'r>(&self, record: &'r csv::StringRecord, column: Column) -> Cow<'r, str> {
        let value = self.text(record, column);
        if value.contains('\r') {
            Cow::Owned(value.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(value)
        }
    }

    pub(super) fn row_is_blank(&self, record: &csv::StringRecord) -> bool {
        record.iter().all(|cell| cell.trim().is_empty())
    }

    pub(super) fn error(&self, line: u64, column: Column, message: impl Into<String>) -> RowError {
        RowError {
            line,
            field: self.label(column).to_string(),
            message: message.into(),
        }
    }

    pub(super) fn problem(&self, line: u64, column: Column, problem: &Problem) -> RowError {
        self.error(
            line,
            column,
            messages::field_problem(column.field(), problem),
        )
    }
}

// ---- one row -------------------------------------------------------------------------------

/// What a good row does.
pub(super) enum Plan {
    Add(Box<Planned>),
    Update(Box<Updated>),
    /// Its item is already as it says.
    Unchanged,
}

/// A good row that changes an item already there (its department may be new).
pub(super) struct Updated {
    pub(super) issue: Issue,
    pub(super) events: Vec<IssueEvent>,
    pub(super) new_department: Option<Department>,
    pub(super) line: u64,
}

/// A good row that adds an item, ready to write: its item and history, and the firm and
/// department to create first, if new.
pub(super) struct Planned {
    pub(super) issue: Issue,
    pub(super) events: Vec<IssueEvent>,
    pub(super) new_firm: Option<Firm>,
    pub(super) new_department: Option<Department>,
}

/// Reads and checks one row. `Ok(Err(..))` is a bad row, with every problem found in it.
pub(super) fn plan_row(
    layout: &Layout<Column>,
    record: &csv::StringRecord,
    line: u64,
    names: &mut Names<'_>,
    report: &mut IssuesImportReport,
) -> Result<Result<Plan, Vec<RowError>>, StoreError> {
    let cell = |column| layout.cell(record, column);
    let today = names.now.date_naive();
    let mut errors = Vec::new();

    let firm_name = cell(Column::Firm);
    let firm = if firm_name.is_empty() {
        errors.push(layout.problem(line, Column::Firm, &Problem::Empty));
        None
    } else {
        names
            .firm(&firm_name)
            .map_err(|message| errors.push(layout.error(line, Column::Firm, message)))
            .ok()
    };
    // The model checks the title with the rest of the item below; an empty one is the common
    // mistake, reported here with the row's other problems.
    if cell(Column::Title).is_empty() {
        errors.push(layout.problem(line, Column::Title, &Problem::Empty));
    }
    let department = optional(&cell(Column::Department), |name| names.department(name))
        .map_err(|message| errors.push(layout.error(line, Column::Department, message)))
        .ok()
        .flatten();
    let category = optional(&cell(Column::Category), |text| names.category(text))
        .map_err(|message| errors.push(layout.error(line, Column::Category, message)))
        .ok()
        .flatten();
    let priority = optional(&cell(Column::Priority), |text| {
        Priority::parse(text).ok_or_else(|| {
            format!("unknown priority {text} (low, normal, high, urgent or 低, 中, 高, 急)")
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::Priority, message)))
    .ok()
    .flatten();
    let status = optional(&cell(Column::Status), |text| {
        Status::parse(text).ok_or_else(|| {
            format!(
                "unknown status {text} (new, assigned, in-progress, answered, closed or {})",
                Status::ALL.map(Status::chinese).join(", ")
            )
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::Status, message)))
    .ok()
    .flatten();
    let resolution_kind = optional(&cell(Column::ResolutionKind), |text| {
        ResolutionKind::parse(text).ok_or_else(|| {
            format!(
                "unknown resolution kind {text} (answered, on-the-spot, withdrawn or {})",
                ResolutionKind::ALL.map(ResolutionKind::chinese).join(", ")
            )
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::ResolutionKind, message)))
    .ok()
    .flatten();
    let verdict = optional(&cell(Column::Callback), |text| {
        crate::model::Verdict::parse(text).ok_or_else(|| {
            format!("unknown verdict {text} (satisfied, basically-satisfied, not-satisfied, 满意, 基本满意, 不满意)")
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::Callback, message)))
    .ok()
    .flatten();
    let due = optional(&cell(Column::Due), |text| parse_due(text, today))
        .map_err(|message| errors.push(layout.error(line, Column::Due, message)))
        .ok()
        .flatten();
    let visit_day = optional(&cell(Column::VisitDate), |text| parse_due(text, today))
        .map_err(|message| errors.push(layout.error(line, Column::VisitDate, message)))
        .ok()
        .flatten();
    let created = optional(&cell(Column::Created), |text| parse_moment(text, names.now))
        .map_err(|message| errors.push(layout.error(line, Column::Created, message)))
        .ok()
        .flatten();
    let updated = optional(&cell(Column::Updated), |text| parse_moment(text, names.now))
        .map_err(|message| errors.push(layout.error(line, Column::Updated, message)))
        .ok()
        .flatten();
    let mut text_of = |column: Column| {
        clean_text(column.field(), &cell(column), false, DETAIL_MAX, true)
            .map_err(|e| errors.push(layout.problem(line, column, &e.problem)))
            .unwrap_or_default()
    };
    let last_response = text_of(Column::LastResponse);
    let answer = text_of(Column::Resolution);
    // 标签 as the app takes them: 专班、省重点; each by the rules of a tag.
    let mut tags = Vec::new();
    for tag in split_tags(&cell(Column::Tags)) {
        match clean_tag(&tag) {
            Ok(tag) => tags.push(tag),
            Err(e) => errors.push(layout.problem(line, Column::Tags, &e.problem)),
        }
    }
    let (Some(firm), true) = (firm, errors.is_empty()) else {
        return Ok(Err(errors));
    };

    let (firm_id, new_firm) = match firm {
        Found::Known(id) => (id, None),
        Found::New(firm) => (firm.id, Some(firm)),
    };
    let (department_id, new_department) = match department {
        None => (None, None),
        Some(Found::Known(id)) => (Some(id), None),
        Some(Found::New(d)) => (Some(d.id), Some(d)),
    };
    let visit = match visit_day {
        Some(day) if new_firm.is_none() => names.visit_on(firm_id, day)?,
        _ => None,
    };
    let raised = created.map(|c| c.date_naive());
    let created = created.unwrap_or(names.now);
    // The events that bring the item to its state happened at its last update, as far as
    // anyone can tell; never before it was created.
    let moment = updated.unwrap_or(names.now).max(created);
    let target = status.unwrap_or(if department_id.is_some() {
        Status::Assigned
    } else {
        Status::New
    });
    let row_answer = answer.clone();
    let closing_text = (target == Status::Closed).then(|| answer.clone());
    let answer_as_response = (target != Status::Closed && !answer.is_empty()).then_some(answer);

    let mut draft = IssueDraft::new(firm_id, &cell(Column::Title));
    let row_owner = (!cell(Column::Owner).is_empty()).then(|| cell(Column::Owner).into_owned());
    draft.detail = cell(Column::Detail).into_owned();
    draft.owner = cell(Column::Owner).into_owned();
    draft.priority = priority.unwrap_or(Priority::Normal);
    draft.category = category;
    draft.visit = visit;
    let built = build_history(
        draft,
        &names.author,
        History {
            // Its place among the items added sets its record group (`new_bulk_id`); the
            // check pass's items are never written, and the search for a group costs.
            id: match names.pass {
                Pass::Check => Id::new(),
                Pass::Write => new_bulk_id(report.added),
            },
            created,
            moment,
            department: department_id,
            due,
            target,
            resolution: closing_text.map(|text| Resolution {
                kind: resolution_kind.unwrap_or(ResolutionKind::Answered),
                text,
            }),
            responses: [(last_response, false)]
                .into_iter()
                .chain(answer_as_response.clone().map(|a| (a, true)))
                .filter(|(text, _)| !text.is_empty())
                .collect(),
            updated_in_file: updated.is_some(),
        },
    );
    let (mut issue, mut events, closed_without_text) = match built {
        Ok(built) => built,
        Err(e) => {
            let column = match e.field {
                Field::Title => Column::Title,
                Field::Detail => Column::Detail,
                Field::Owner => Column::Owner,
                Field::Resolution => Column::Resolution,
                _ => Column::Status,
            };
            return Ok(Err(vec![layout.problem(line, column, &e.problem)]));
        }
    };
    // Checked above, so this cannot refuse; kept in the item's history like any change.
    if let Ok(Some(event)) = issue.change_tags(&tags, &[], &names.author, moment) {
        events.push(event);
    }
    // 回访: the call, on the day of the item's last change; only a closed item has one.
    if let Some(verdict) = verdict {
        match issue.record_call(verdict, "", moment.date_naive(), &names.author, moment) {
            Ok(event) => events.push(event),
            Err(e) => {
                return Ok(Err(vec![layout.problem(
                    line,
                    Column::Callback,
                    &e.problem,
                )]))
            }
        }
    }

    if new_firm.is_none() && !names.new_firms.contains(&firm_id) {
        let key = RowKey {
            number: cell(Column::Number).trim_start_matches('#').parse().ok(),
            title: &issue.title,
            raised,
        };
        if let Some(id) = names.items.take(names.store, firm_id, &key)? {
            let row = RowState {
                department: department_id,
                owner: row_owner,
                priority,
                category,
                due,
                status,
                resolution_kind,
                answer: row_answer,
                last_response: matching::text_of_last(&events),
                tags: (!tags.is_empty()).then_some(tags),
                verdict,
            };
            return matching::plan_update(names, id, row, new_department, layout, line);
        }
    }

    // The row is good: what it creates exists for the rows after it.
    if let Some(firm) = &new_firm {
        names.firms.insert(name_key(&firm.name), firm.id);
        names.new_firms.insert(firm.id);
    }
    if let Some(department) = &new_department {
        names
            .departments
            .insert(name_key(&department.name), department.id);
    }
    if closed_without_text {
        report.closed_without_resolution += 1;
    }
    if answer_as_response.is_some() {
        report.answers_kept_as_responses += 1;
    }
    match (visit_day, visit) {
        (Some(_), Some(_)) => report.visits_linked += 1,
        (Some(_), None) => report.visits_not_found += 1,
        _ => {}
    }
    Ok(Ok(Plan::Add(Box::new(Planned {
        issue,
        events,
        new_firm,
        new_department,
    }))))
}

/// `None` for an empty cell, else what `parse` makes of it.
pub(super) fn optional<T>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if text.is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}
