//! Every text the TUI shows a person comes from here, so that a Chinese interface can be added
//! by changing this one module and no screen.

use crate::model::{Field, FieldError, Priority, Problem, Status, VisitStatus};

pub fn field_name(field: Field) -> &'static str {
    match field {
        Field::Name => "name",
        Field::ShortName => "short name",
        Field::Sector => "sector",
        Field::Park => "park",
        Field::Address => "address",
        Field::Tags => "tag",
        Field::Notes => "notes",
        Field::ContactTitle => "title",
        Field::Location => "location",
        Field::Lead => "lead",
        Field::Attendees => "attendee",
        Field::Purpose => "purpose",
        Field::Minutes => "minutes",
        Field::Owner => "owner",
        Field::Author => "author",
        Field::File => "file",
        Field::Response => "response",
        Field::Title => "title",
        Field::Detail => "detail",
        Field::Category => "category",
        Field::Firm => "firm",
        Field::Start => "start",
        Field::Duration => "duration",
        Field::Due => "due date",
        Field::Status => "status",
        Field::Resolution => "resolution",
        Field::ContactName => "contact name",
        Field::Phone => "phone",
        Field::Email => "email",
        Field::Code => "code",
        Field::Filter => "filter",
    }
}

pub fn problem(problem: &Problem) -> String {
    match problem {
        Problem::Empty => "must not be empty".into(),
        Problem::TooLong { max_chars } => format!("is longer than {max_chars} characters"),
        Problem::ControlCharacter => "contains a control character".into(),
        Problem::DueBeforeCreated => "is before the day the item was raised".into(),
        Problem::ZeroDuration => "must be at least one minute".into(),
        Problem::DurationTooLong { max_minutes } => {
            format!("must be at most {max_minutes} minutes")
        }
        Problem::Transition { from, to } => format!("cannot go from {from} to {to}"),
        Problem::ResolutionRequired => "is required to close an item".into(),
        Problem::Unknown => "names nothing known".into(),
        Problem::AssignedNeedsDepartment => {
            "cannot be assigned without a department: hand the item over (a)".into()
        }
        Problem::Malformed => "is not well formed".into(),
    }
}

/// A problem as shown next to its field: malformed values say what is expected.
pub fn field_problem(field: Field, p: &Problem) -> String {
    match (field, p) {
        (Field::Phone, Problem::Malformed) => {
            "is not a phone number (digits with spaces, +, -, parentheses)".into()
        }
        (Field::Email, Problem::Malformed) => "is not an email address (name@example.cn)".into(),
        (Field::Code, Problem::Malformed) => "may only hold Latin letters, digits, - and _".into(),
        (Field::Tags, Problem::Malformed) => {
            "may not hold , ， 、 ; or ； (they separate tags)".into()
        }
        _ => problem(p),
    }
}

pub fn field_error(error: &FieldError) -> String {
    format!(
        "{} {}",
        field_name(error.field),
        field_problem(error.field, &error.problem)
    )
}

pub fn priority(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Normal => "normal",
        Priority::High => "high",
        Priority::Urgent => "urgent",
    }
}

pub fn status(s: Status) -> &'static str {
    match s {
        Status::New => "new",
        Status::Assigned => "assigned",
        Status::InProgress => "in progress",
        Status::Answered => "answered",
        Status::Closed => "closed",
    }
}

pub fn visit_status(s: VisitStatus) -> &'static str {
    match s {
        VisitStatus::Planned => "planned",
        VisitStatus::Done => "done",
        VisitStatus::Cancelled => "cancelled",
    }
}

// ---- tabs and frame ------------------------------------------------------------------

pub const APP_NAME: &str = "Liaison";
pub const TAB_FIRMS: &str = "Firms";
pub const TAB_AGENDA: &str = "Agenda";
pub const TAB_ISSUES: &str = "Issues";
pub const MODE_NORMAL: &str = "NORMAL";
pub const MODE_HELP: &str = "HELP";
pub const HELP_HINT: &str = "? help  q quit";

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
    format!(
        "{firms} firms · {visits} visits · {open}/{total} items open · {} overdue · {} unassigned",
        show(overdue),
        show(unassigned)
    )
}

pub fn loading_items(total: u64) -> String {
    format!("Reading {total} items…")
}

pub fn damaged_warning(count: usize) -> String {
    format!("{count} damaged record(s) skipped: see `liaison check`; `liaison check --repair` sets them aside")
}

// ---- repair ------------------------------------------------------------------------------

/// The title of an item rebuilt by `liaison check --repair` from its index entries and
/// history: the title itself was only in the damaged record.
pub const REBUILT_ISSUE_TITLE: &str = "(damaged item: title lost)";

/// The notes of a rebuilt firm and the detail of a rebuilt item.
pub fn rebuilt_note(day: chrono::NaiveDate) -> String {
    format!("Rebuilt by `liaison check --repair` on {day}: the damaged record is kept in quarantine (`liaison check --quarantine`); enter what was lost again.")
}

/// The name of a rebuilt firm whose name is not known from the name index.
pub fn rebuilt_firm_name(id: crate::model::Id) -> String {
    format!("damaged firm {id}")
}

// ---- lists -----------------------------------------------------------------------------

pub const COL_NAME: &str = "Name";
pub const COL_SECTOR: &str = "Sector";
pub const COL_PARK: &str = "Park";
pub const COL_TAGS: &str = "Tags";
pub const COL_WHEN: &str = "When";
pub const COL_FIRM: &str = "Firm";
pub const COL_LEAD: &str = "Lead";
pub const COL_STATUS: &str = "Status";
pub const COL_NUMBER: &str = "#";
pub const COL_TITLE: &str = "Title";
pub const COL_DEPARTMENT: &str = "Dept";
pub const COL_PRIORITY: &str = "Prio";
pub const COL_DUE: &str = "Due";
pub const LOADING: &str = "…";
pub const OVERDUE_MARK: &str = "!";
pub const TODAY_MARK: &str = "▶";

pub const EMPTY_TITLE: &str = "Nothing here yet";
pub const EMPTY_FIRMS: &str = "No firms in this database.";
pub const EMPTY_AGENDA: &str = "No visits in this database.";
pub const EMPTY_ISSUES: &str = "No items in this database.";
pub const EMPTY_HINTS: [&str; 4] = [
    "Try the demo data:   liaison --demo",
    "Seed this database:  liaison --db DIR demo",
    "Raise an item:       liaison issues add --firm F --title T",
    "Press ? for the keys, q to quit.",
];

// ---- detail panels -------------------------------------------------------------------

pub const DETAIL: &str = "Detail";
pub const NOTHING_SELECTED: &str = "Nothing selected.";
pub const LABEL_SHORT_NAME: &str = "Short name";
pub const LABEL_SECTOR: &str = "Sector";
pub const LABEL_PARK: &str = "Park";
pub const LABEL_ADDRESS: &str = "Address";
pub const LABEL_TAGS: &str = "Tags";
pub const LABEL_CONTACTS: &str = "Contacts";
pub const LABEL_NOTES: &str = "Notes";
pub const LABEL_VISITS: &str = "Visits";
pub const LABEL_ITEMS: &str = "Items";
pub const LABEL_FIRM: &str = "Firm";
pub const LABEL_WHEN: &str = "When";
pub const LABEL_LOCATION: &str = "Location";
pub const LABEL_LEAD: &str = "Lead";
pub const LABEL_ATTENDEES: &str = "Attendees";
pub const LABEL_PURPOSE: &str = "Purpose";
pub const LABEL_MINUTES: &str = "Minutes";
pub const LABEL_STATUS: &str = "Status";
pub const LABEL_CATEGORY: &str = "Category";
pub const LABEL_DEPARTMENT: &str = "Department";
pub const LABEL_OWNER: &str = "Owner";
pub const LABEL_PRIORITY: &str = "Priority";
pub const LABEL_DUE: &str = "Due";
pub const LABEL_RAISED: &str = "Raised";
pub const LABEL_RAISED_IN: &str = "Raised in";
/// The visit an item was raised in, on the item's detail; `m` goes there.
pub fn raised_in(when: &str, firm: &str, lead: &str) -> String {
    if lead.is_empty() {
        format!("visit {when} · {firm} (m)")
    } else {
        format!("visit {when} · {firm} · {lead} (m)")
    }
}
pub const LABEL_RESOLUTION: &str = "Resolution";
pub const LABEL_HISTORY: &str = "History";
pub const NONE: &str = "—";
pub const NO_CONTACTS: &str = "no contacts";
pub const UNASSIGNED: &str = "unassigned";

pub fn visit_counts(total: usize, upcoming: usize, last: Option<&str>) -> String {
    match last {
        Some(last) => format!("{total} · {upcoming} planned · last {last}"),
        None => format!("{total} · {upcoming} planned"),
    }
}

pub fn item_counts(total: usize, open: usize, overdue: usize) -> String {
    if overdue > 0 {
        format!("{open} open of {total} · {overdue} overdue")
    } else {
        format!("{open} open of {total}")
    }
}

pub fn overdue_by(days: i64) -> String {
    format!("overdue by {days} day(s)")
}

pub fn history_line(when: &str, author: &str, what: &str) -> String {
    format!("{when}  {author}: {what}")
}

pub const EVENT_CREATED: &str = "raised";

pub fn event_department(to: &str) -> String {
    format!("handed to {to}")
}
pub fn event_owner(to: &str) -> String {
    format!("owner set to {to}")
}
pub fn event_priority(from: Priority, to: Priority) -> String {
    format!("priority {} → {}", priority(from), priority(to))
}
pub fn event_due(to: &str) -> String {
    format!("due set to {to}")
}
pub fn event_category(to: &str) -> String {
    format!("category set to {to}")
}
pub fn event_response(text: &str, to_firm: bool) -> String {
    if to_firm {
        format!("answer to the firm: {text}")
    } else {
        format!("response: {text}")
    }
}
pub fn event_status(from: Status, to: Status) -> String {
    format!("{} → {}", status(from), status(to))
}

// ---- help ----------------------------------------------------------------------------

pub const HELP_TITLE: &str = "Keys";
pub const HELP_FOOTER: &str = "Esc or ? closes this help";
pub const HELP_GLOBAL: &str = "Everywhere";

pub const KEY_NEXT_TAB: &str = "next tab";
pub const KEY_PREV_TAB: &str = "previous tab";
pub const KEY_TAB_N: &str = "go to tab 1/2/3";
pub const KEY_DOWN: &str = "move down";
pub const KEY_UP: &str = "move up";
pub const KEY_TOP: &str = "first row";
pub const KEY_BOTTOM: &str = "last row";
pub const KEY_PAGE_DOWN: &str = "page down";
pub const KEY_PAGE_UP: &str = "page up";
pub const KEY_TODAY: &str = "jump to today";
pub const KEY_HELP: &str = "show or hide this help";
pub const KEY_QUIT: &str = "quit";

pub const KEY_SEARCH: &str = "search (name, pinyin, initials)";
pub const KEY_OPEN_CARD: &str = "open the firm's card";
pub const KEY_CLEAR_SEARCH: &str = "clear the search";
pub const KEY_NEW_FIRM: &str = "new firm";
pub const KEY_EDIT_FIRM: &str = "edit the firm";
pub const KEY_ARCHIVE: &str = "archive (or restore) the firm";
pub const KEY_TOGGLE_ARCHIVED: &str = "show or hide archived firms";
pub const KEY_OPEN_ROW: &str = "open the visit or item in its tab";
pub const KEY_BACK: &str = "back to the list";
pub const KEY_EDIT_CARD: &str = "edit the firm, or the contact under the cursor";
pub const KEY_ADD_CONTACT: &str = "add a contact";
pub const KEY_REMOVE_CONTACT: &str = "remove the contact under the cursor";
pub const KEY_SAVE: &str = "save";
pub const KEY_CANCEL: &str = "cancel, nothing is written";
pub const KEY_NEXT_FIELD: &str = "next field";
pub const KEY_PREV_FIELD: &str = "previous field";
pub const KEY_YES: &str = "yes";
pub const KEY_NO: &str = "no";
pub const HELP_SEARCHING: &str = "While searching";
pub const HELP_IN_FORM: &str = "In a form";

pub fn tab_help_heading(tab: &str) -> String {
    format!("On the {tab} tab")
}

// ---- Firms: search, card, forms --------------------------------------------------------

pub const MODE_SEARCH: &str = "SEARCH";
pub const MODE_FORM: &str = "FORM";
pub const MODE_CONFIRM: &str = "CONFIRM";
pub const SEARCH_PROMPT: &str = "/ ";
pub const SEARCH_HINT: &str =
    "type a name, pinyin (zhongshan) or initials (zsswgc); Enter opens, Esc clears";
pub const ARCHIVED_MARK: &str = "archived";
pub const SHOWING_ARCHIVED: &str = "Showing archived firms";
pub const HIDING_ARCHIVED: &str = "Archived firms hidden";
pub const NO_MATCH: &str = "No firm matches";
pub const CARD_INFO: &str = "Firm";
pub const CARD_VISITS: &str = "Visits";
pub const CARD_ITEMS: &str = "Items";
pub const NO_VISITS: &str = "no visits";
pub const NO_ITEMS: &str = "no items";
pub const CARD_KEYS: &str = "Enter open · e edit · a add contact · d remove contact · Esc back";
pub const FORM_NEW_FIRM: &str = "New firm";
pub const FORM_EDIT_FIRM: &str = "Edit firm";
pub const FORM_NEW_CONTACT: &str = "New contact";
pub const FORM_EDIT_CONTACT: &str = "Edit contact";
pub const FORM_KEYS: &str = "Tab next field · Enter save · Esc cancel";
pub const CONFIRM_KEYS: &str = "y yes · n no";
pub const LABEL_NAME: &str = "Name";
pub const LABEL_CONTACT_NAME: &str = "Name";
pub const LABEL_CONTACT_TITLE: &str = "Title";
pub const LABEL_PHONE: &str = "Phone";
pub const LABEL_EMAIL: &str = "Email";
/// Never shown: a new firm's name before the form fills it in.
pub const PLACEHOLDER_NAME: &str = "new firm";

pub fn matches(count: usize, total: usize) -> String {
    format!("{count} of {total}")
}
pub fn confirm_archive(name: &str) -> String {
    format!("Archive {name}? Its visits and items are kept.")
}
pub fn confirm_restore(name: &str) -> String {
    format!("Restore {name} to the directory?")
}
pub fn confirm_remove_contact(name: &str) -> String {
    format!("Remove the contact {name}?")
}
pub fn archived(name: &str) -> String {
    format!("Archived {name}")
}
pub fn restored(name: &str) -> String {
    format!("Restored {name}")
}
pub fn contact_removed(name: &str) -> String {
    format!("Removed contact {name}; saved")
}
pub fn saved(name: &str) -> String {
    format!("Saved {name}")
}
pub fn firm_added(name: &str) -> String {
    format!("Added {name}; saved")
}
pub fn duplicate_name(name: &str) -> String {
    format!("a firm named {name} already exists")
}

pub const KEY_IMPORT: &str = "import firms from a CSV file";
pub const FORM_IMPORT_FIRMS: &str = "Import firms from CSV (UTF-8 or GB18030)";
pub const LABEL_FILE: &str = "File";

pub fn cannot_read(path: &str, reason: &str) -> String {
    format!("cannot read {path}: {reason}")
}

pub fn imported(
    path: &str,
    added: usize,
    updated: usize,
    unchanged: usize,
    bad_rows: usize,
) -> String {
    format!("Imported {path}: {added} added, {updated} updated, {unchanged} unchanged, {bad_rows} bad row(s)")
}

pub fn bad_row(line: u64, field: &str, message: &str) -> String {
    format!("line {line} {field}: {message}")
}
pub const KEY_CLOSE_REPORT: &str = "close";
pub const MODE_REPORT: &str = "RESULT";
pub const REPORT_KEYS: &str = "↑↓ PgUp PgDn scroll · Esc close";

// ---- Agenda: views, visit screen, meeting mode --------------------------------------------

pub const VIEW_DAY: &str = "Day";
pub const VIEW_WEEK: &str = "Week";
pub const MODE_CAPTURE: &str = "MEETING";
pub const MODE_EDITOR: &str = "MINUTES";
pub const MODE_RESPONSE: &str = "RESPONSE";
pub const TODAY: &str = "today";
pub const NO_VISITS_DAY: &str = "no visits";
pub const CONFLICT_MARK: &str = "⚠ clash";
pub const NO_DUE_DATE: &str = "→ no due date";
/// In the visit form, before saving: the visit the new time overlaps.
pub fn clashes_with(start: &str, end: &str, firm: &str) -> String {
    format!("⚠ clashes with {start}–{end} {firm}")
}
pub const NO_MINUTES_MARK: &str = "✎ no minutes";
pub const NOT_CLOSED_MARK: &str = "! not marked done";
pub const LABEL_DURATION: &str = "Duration";
pub const LABEL_DATE: &str = "Date";
pub const FORM_NEW_VISIT: &str = "New visit";
pub const FORM_EDIT_VISIT: &str = "Edit visit";
pub const FORM_GO_TO_DATE: &str = "Go to date (2025-12-13, 12-13, +3d, mon, 明天)";
pub const VISIT_ITEMS: &str = "Items raised in this visit";
pub const CAPTURE_PROMPT: &str = "New item: ";
pub const CAPTURE_HINT: &str =
    "Type what the firm asks for, Enter files it, Esc ends the meeting capture";
pub const VISIT_KEYS: &str =
    "c capture items · m minutes · d done · e edit · Enter open item · Esc back";
pub const MINUTES_KEYS: &str = "Ctrl-S save · Esc discard · text wraps by display width";
pub const NO_ITEMS_YET: &str = "none yet: press c to capture what the firm raises";
pub const KEY_TOGGLE_VIEW: &str = "day or week view";
pub const KEY_PREV_PERIOD: &str = "previous day or week";
pub const KEY_NEXT_PERIOD: &str = "next day or week";
pub const KEY_GO_TO_DATE: &str = "go to a date";
pub const KEY_OPEN_VISIT: &str = "open the visit (minutes, items, meeting mode)";
pub const KEY_NEW_VISIT: &str = "new visit";
pub const KEY_EDIT_VISIT: &str = "edit or reschedule the visit";
pub const KEY_MARK_DONE: &str = "mark the visit done";
pub const KEY_CANCEL_VISIT: &str = "cancel the visit";
pub const KEY_CAPTURE: &str = "meeting mode: capture items one after another";
pub const KEY_MINUTES: &str = "write the minutes";
pub const KEY_OPEN_ITEM: &str = "open the item in the Issues tab";
pub const KEY_BACK_AGENDA: &str = "back to the agenda";
pub const KEY_SAVE_MINUTES: &str = "save the minutes";
pub const HELP_MEETING: &str = "Meeting mode";
pub const HELP_MINUTES: &str = "Minutes editor";

pub fn period_title(view: &str, first: &str, last: &str) -> String {
    if first == last {
        format!("{view} {first}")
    } else {
        format!("{view} {first} – {last}")
    }
}

pub fn minutes(m: u32) -> String {
    if m >= 60 && m.is_multiple_of(60) {
        format!("{} h", m / 60)
    } else if m > 60 {
        format!("{} h {} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

pub fn when_error(e: &crate::model::when::WhenError) -> String {
    use crate::model::when::WhenError;
    match e {
        WhenError::Empty => "must not be empty".into(),
        WhenError::Date(t) => {
            format!("{t} is not a date (try 2026-12-13, 12-13, tomorrow, +2d, fri)")
        }
        WhenError::Time(t) => format!("{t} is not a time (try 9:30, 14:00, 2pm, 下午2点)"),
        WhenError::MissingTime => "add a time, e.g. tomorrow 14:00".into(),
        WhenError::NoSuchDate(t) => format!("{t} does not exist"),
        WhenError::Negative(t) => {
            format!("{t} is a negative number, not a date (five days ago is -5d)")
        }
        WhenError::Duration(t) => format!("{t} is not a duration (try 90, 1h30, 1.5h)"),
    }
}

pub fn confirm_done(firm: &str, when: &str) -> String {
    format!("Mark the visit to {firm} on {when} as done?")
}
pub fn confirm_cancel_visit(firm: &str, when: &str) -> String {
    format!("Cancel the visit to {firm} on {when}?")
}
pub fn visit_marked(firm: &str, status: &str) -> String {
    format!("Visit to {firm}: {status}; saved")
}
pub fn visit_added(firm: &str, when: &str) -> String {
    format!("Visit to {firm} on {when} added; saved")
}
pub fn captured(number: u32, title: &str) -> String {
    format!("#{number} {title} filed; saved")
}
pub fn minutes_saved(firm: &str) -> String {
    format!("Minutes of the visit to {firm} saved")
}
pub fn paste_cut(max: usize) -> String {
    format!("The paste was cut: minutes hold at most {max} characters")
}
pub const KEY_CAPTURE_FILE: &str = "file the item and start the next";
pub const KEY_CAPTURE_END: &str = "end capturing";

// ---- the agenda in a calendar app (.ics export) ----------------------------------------

/// The calendar's name where an app shows one (X-WR-CALNAME).
pub const CALENDAR_NAME: &str = "Liaison agenda";
/// In place of the name of a firm that is missing or cannot be read.
pub const UNKNOWN_FIRM: &str = "(unknown firm)";
/// Between attendees, as the Agenda tab shows them.
pub const ATTENDEE_SEPARATOR: &str = "、";

/// An event's title in the officer's calendar.
pub fn calendar_summary(firm: &str) -> String {
    format!("Visit: {firm}")
}

/// A line of an event's description: `Lead: 陈文锋`.
pub fn calendar_line(label: &str, value: &str) -> String {
    format!("{label}: {value}")
}

/// A line of an event's description above a block of text: `Minutes:`.
pub fn calendar_heading(label: &str) -> String {
    format!("{label}:")
}
pub const KEY_EXPORT_AGENDA: &str = "export the agenda as iCalendar (.ics)";
pub const FORM_EXPORT_AGENDA: &str = "Export the agenda as iCalendar";

pub fn exported_agenda(visits: usize, path: &str) -> String {
    format!("Exported {visits} visit(s) to {path}")
}

// ---- Issues: the triage queue -------------------------------------------------------------

pub const MODE_FILTER: &str = "FILTER";
pub const MODE_PICKER: &str = "CHOOSE";
pub const VIEW_ALL_OPEN: &str = "All open";
pub const VIEW_MY_OPEN: &str = "My open";
pub const VIEW_OVERDUE: &str = "Overdue";
pub const VIEW_UNASSIGNED: &str = "Unassigned";
pub const VIEW_DUE_WEEK: &str = "Due this week";
pub const VIEW_ANSWERED: &str = "Answered, not closed";
pub const VIEW_EVERYTHING: &str = "Everything";
pub const VIEW_CUSTOM: &str = "Filter";
pub const FILTER_PROMPT: &str = "/ ";
pub const FILTER_HAS_MISTAKE: &str =
    "The filter has a mistake (see below the list); no items are listed until it is fixed.";
pub const FILTER_HINT: &str = "status:open dept:发改局 firm:zsswgc cat:land prio>=high due:7d overdue visit owner:me -word sort:due";
pub const NO_ITEMS_MATCH: &str = "No item matches this view";
pub const MARK: &str = "●";
pub const LABEL_HOW: &str = "How";
pub const LABEL_VIEW_NAME: &str = "View name";
pub const FORM_SET_DUE: &str = "Due date (2026-12-31, +7d, fri, 12-20; empty clears)";
pub const FORM_SET_OWNER: &str = "Owner";
pub const FORM_SET_TAGS: &str = "Tags (专班、省重点; -tag takes one off)";
pub const FORM_CLOSE: &str = "Close: what the firm was told";
pub const CLOSE_HOW_HINT: &str = "answered, on-the-spot or withdrawn";
pub const FORM_SAVE_VIEW: &str = "Save this filter and order as a view";
pub const RESOLUTION_KINDS: &str = "write answered, on-the-spot or withdrawn";
pub const NOTHING_CHANGED: &str = "Nothing changed";
pub const NOTHING_TO_UNDO: &str = "Nothing to undo in this session";
pub const NOTHING_TO_REDO: &str = "Nothing to redo";
pub const WITHDRAWN_BY_UNDO: &str = "Raised by mistake: withdrawn by undo";
pub const NO_STATUS_MOVES: &str =
    "Hand the item to a department (a) to make it assigned, or close it (x)";
pub const PICK_DEPARTMENT: &str = "Hand to a department";
/// Beside a typed name no department has, in the department picker.
pub const NEW_DEPARTMENT_HINT: &str = "new department: Enter adds it";
pub const PICK_PRIORITY: &str = "Priority";
pub const PICK_CATEGORY: &str = "Category";
pub const PICK_STATUS: &str = "Move to";
pub const PICK_VIEW: &str = "Views (Ctrl-D deletes a saved one)";
pub const PICK_LISTS: &str = "Departments and categories";
pub const PICK_LIST_ACTION: &str = "Do what with it";
pub const PICK_MERGE_INTO: &str = "Move its items to";
pub const KEY_LISTS: &str = "departments and categories: rename, merge, retire";
pub const FORM_RENAME_LIST: &str = "Rename";
pub const LABEL_NEW_NAME: &str = "New name";
pub const LIST_DEPARTMENT: &str = "department";
pub const LIST_CATEGORY: &str = "category";
pub const LIST_RETIRED: &str = " · retired";
pub const LIST_RENAME: &str = "Rename…";
pub const LIST_MERGE: &str = "Merge into…";
pub const LIST_RETIRE: &str = "Retire (no longer offered for new items)";
pub const LIST_OFFER_AGAIN: &str = "Offer again";
pub const LIST_NAME_TAKEN: &str = "another one has this name";

pub fn list_retired(name: &str, retired: bool) -> String {
    if retired {
        format!("{name} retired: no longer offered; its items keep it")
    } else {
        format!("{name} is offered again")
    }
}

pub fn list_merged(from: &str, into: &str, items: usize) -> String {
    format!("{from} merged into {into}: {items} item(s) moved; {from} retired")
}

pub fn list_renamed(name: &str) -> String {
    format!("renamed to {name}")
}
pub const PICK_KEYS: &str = "type to narrow · ↑↓ choose · Enter · Esc";
pub const RESPONSE_KEYS: &str = "Ctrl-S save · Ctrl-F save as the answer to the firm · Esc discard";
pub const LABEL_RESPONSE: &str = "Response";
pub const EVENT_REVERTED_RESPONSE: &str = "undo: response withdrawn";
pub const KEY_FILTER: &str =
    "filter: status:open dept:发改局 firm:zsswgc overdue due:7d prio>=high #12 用地 -visit sort:age";
pub const KEY_CLEAR_FILTER: &str = "clear marks, else back to the first view";
pub const KEY_NEXT_VIEW: &str = "next view";
pub const KEY_PICK_VIEW: &str = "choose a view (Ctrl-D there deletes a saved one)";
pub const KEY_SAVE_VIEW: &str = "save the filter and order as a view";
pub const KEY_SORT: &str = "change the order (due, priority, age, firm, updated)";
pub const KEY_MARK: &str = "mark the item (actions then apply to all marked)";
pub const KEY_MARK_ALL: &str = "mark everything shown, or clear the marks";
pub const KEY_ASSIGN: &str = "hand to a department";
pub const KEY_PRIORITY: &str = "set the priority";
pub const KEY_DUE: &str = "set the due date";
pub const KEY_CATEGORY: &str = "set the category";
pub const KEY_OWNER: &str = "set the owner";
pub const KEY_TAGS: &str = "tags (add, or take off with -)";
pub const KEY_RESPOND: &str = "add a response (or the answer to the firm)";
pub const KEY_STATUS: &str = "change the status";
pub const KEY_CLOSE: &str = "close with what the firm was told";
pub const KEY_UNDO: &str = "undo the last change, on any tab (an item's in its history)";
pub const KEY_REDO: &str = "redo the last change undone";
pub const KEY_OPEN_FIRM: &str = "open the firm's card";
pub const KEY_FORM_DOWN: &str = "the next candidate firm, else the next field";
pub const KEY_FORM_UP: &str = "the previous candidate firm, else the previous field";
pub const KEY_EDIT_ITEM: &str = "fix the item: title, detail, category";
pub const KEY_NEW_ITEM: &str = "raise an item for a firm";
pub const FORM_EDIT_ISSUE: &str = "Fix the item";
pub const FORM_NEW_ISSUE: &str = "New item";
pub const LABEL_TITLE: &str = "Title";
pub const LABEL_DETAIL: &str = "Detail";
pub const EDITED: &str = "edited";
pub const EVENT_DETAIL: &str = "detail rewritten";
pub const KEY_MERGE_FIRM: &str = "merge into another firm (the same firm recorded twice)";
pub const FORM_MERGE_FIRM: &str = "Merge this firm into";
pub const LABEL_MERGE_INTO: &str = "Into";
pub const MERGE_SAME_FIRM: &str = "that is the firm being merged";
pub fn confirm_merge_firms(from: &str, into: &str) -> String {
    format!("Merge {from} into {into}? Its visits, items and contacts move; {from} is archived. A merge is not undone.")
}
pub fn firms_merged(from: &str, into: &str, visits: usize, items: usize) -> String {
    format!("{from} merged into {into}: {visits} visit(s), {items} item(s) moved")
}
pub fn event_firm(to: &str) -> String {
    format!("moved to {to} (two records of one firm merged)")
}
/// A change of tags, as the history lists it: `tags: +专班 −省重点`.
pub fn event_tags(added: &[String], removed: &[String]) -> String {
    let mut words: Vec<String> = added.iter().map(|t| format!("+{t}")).collect();
    words.extend(removed.iter().map(|t| format!("−{t}")));
    format!("tags: {}", words.join(" "))
}
pub fn event_title(to: &str) -> String {
    format!("title: {to}")
}
pub fn edited(number: u32, changes: usize) -> String {
    format!("#{number}: {changes} change(s) saved")
}
pub fn unknown_category(known: &str) -> String {
    format!("no such category (one of {known})")
}
pub const KEY_OPEN_RAISED_VISIT: &str = "open the visit the item was raised in";
pub const NOT_RAISED_IN_A_VISIT: &str = "This item was not raised in a visit";
pub const KEY_EXPORT_ISSUES: &str =
    "export the items shown as CSV (a .json name: JSON with history)";
pub const FORM_EXPORT_ISSUES: &str = "Export the items shown";
pub const NOTHING_TO_EXPORT: &str = "Nothing to export: this view shows no items.";
pub const STILL_LOADING: &str = "The items are still being read; try again in a moment.";

pub fn exported_issues(items: usize, path: &str, damaged: usize) -> String {
    if damaged > 0 {
        format!("Exported {items} item(s) to {path}; {damaged} damaged record(s) left out or incomplete: run `liaison check`")
    } else {
        format!("Exported {items} item(s) to {path}")
    }
}

pub fn set_priority(p: Priority) -> String {
    format!("priority {}", priority(p))
}
pub fn set_status(s: Status) -> String {
    format!("status {}", status(s))
}
pub fn responded(to_firm: bool) -> String {
    if to_firm {
        "answer to the firm recorded".into()
    } else {
        "response recorded".into()
    }
}
pub fn triaged_one(number: u32, what: &str) -> String {
    format!("#{number}: {what}; saved")
}
pub fn triaged_many(count: usize, what: &str, refused: usize) -> String {
    if refused > 0 {
        format!("{count} items: {what}; saved ({refused} could not change)")
    } else {
        format!("{count} items: {what}; saved")
    }
}
pub fn confirm_bulk(count: usize, what: &str) -> String {
    format!("{count} marked items: {what}?")
}
pub fn undone(what: &str, count: usize) -> String {
    format!("Undone on {count} item(s): {what}")
}
pub fn redone(what: &str, count: usize) -> String {
    format!("Redone on {count} item(s): {what}")
}
// What an undo step was, as "Undone: …" and "Redone: …" name it.
pub fn step_firm_added(name: &str) -> String {
    format!("firm {name} added")
}
pub fn step_firm_edited(name: &str) -> String {
    format!("{name} edited")
}
pub fn step_archived(name: &str, archived: bool) -> String {
    if archived {
        format!("{name} archived")
    } else {
        format!("{name} restored")
    }
}
pub fn step_contact(contact: &str, firm: &str, what: &str) -> String {
    format!("contact {contact} of {firm} {what}")
}
pub const STEP_ADDED: &str = "added";
pub const STEP_EDITED: &str = "edited";
pub const STEP_REMOVED: &str = "removed";
pub fn step_visit(firm: &str, what: &str) -> String {
    format!("visit to {firm} {what}")
}
pub const STEP_PLANNED: &str = "planned";
pub const STEP_MINUTES: &str = "minutes saved";
pub fn step_raised(number: u32) -> String {
    format!("#{number} raised")
}
pub fn changed_since(what: &str) -> String {
    format!("Not undone or redone: {what}; changed since by an import, which undo would lose (the step is dropped)")
}
pub fn undone_change(what: &str) -> String {
    format!("Undone: {what}")
}
pub fn redone_change(what: &str) -> String {
    format!("Redone: {what}")
}
pub fn sorted_by(key: &str) -> String {
    format!("Ordered by {key}")
}
pub fn view_deleted(name: &str) -> String {
    format!("View {name} deleted")
}
pub fn confirm_delete_view(name: &str) -> String {
    format!("Delete the saved view {name}?")
}
pub fn builtin_view(name: &str) -> String {
    format!("{name} is built in: only a saved view can be deleted")
}
pub const NO_VIEW_TO_DELETE: &str = "No view is shown: choose one with V, then Ctrl-D";
pub const KEY_DELETE_VIEW: &str =
    "delete the saved view shown (in the V list: the one chosen), after a confirmation";
pub fn step_view_saved(name: &str) -> String {
    format!("view {name} saved")
}
pub fn step_view_deleted(name: &str) -> String {
    format!("view {name} deleted")
}
pub fn view_saved(name: &str) -> String {
    format!("View {name} saved")
}
pub fn queue_title(view: &str, shown: usize, total: usize, sort: &str, marked: usize) -> String {
    let mut title = format!("{view} · {shown} of {total} · by {sort}");
    if marked > 0 {
        title.push_str(&format!(" · {marked} marked"));
    }
    title
}
pub fn queue_counts(open: usize, overdue: usize, unassigned: usize) -> String {
    format!("{open} open · {overdue} overdue · {unassigned} unassigned")
}
pub fn firm_overdue(count: usize) -> String {
    format!("{count} overdue")
}
pub fn event_reverted(what: &str) -> String {
    format!("undo: {what}")
}
pub const KEY_FILTER_DONE: &str = "done typing (the filter stays)";
pub const KEY_PICK: &str = "choose";

// The zone server (issue 15).

pub const KEY_SYNC: &str = "sync with the zone server now";
/// The built-in view of a department's desk (`settings --department`).
pub const VIEW_HANDED_TO_US: &str = "Handed to us";

/// Said when a sync brought changes made on other ledgers.
pub fn sync_arrived(new: u64, responses: u64, conflicts: u64) -> String {
    let mut text = format!("sync: {new} changes from other ledgers");
    if responses > 0 {
        text += &format!(", {responses} new responses");
    }
    if conflicts > 0 {
        text += &format!(", {conflicts} new conflicts (Conflicts view)");
    }
    text
}

/// The sync's part of the status line.
pub fn sync_status(status: &crate::app::server_sync::SyncStatus) -> String {
    use crate::app::server_sync::SyncStatus;
    match status {
        SyncStatus::Syncing => "syncing…".to_string(),
        SyncStatus::Synced {
            minutes: 0,
            to_send: 0,
        } => "synced just now".to_string(),
        SyncStatus::Synced {
            minutes,
            to_send: 0,
        } => format!("synced {minutes} min ago"),
        SyncStatus::Synced { to_send, .. } => format!("{to_send} to send"),
        SyncStatus::Offline(reason) => format!("offline: {reason}"),
    }
}
