//! The rules of an item's text fields and of its history, in one place: raising an item,
//! changing it and restoring a backup all check through these.

use super::super::rules::{clean_text, Field, FieldError};
use super::{
    Change, Issue, IssueEvent, Resolution, AUTHOR_MAX, DETAIL_MAX, OWNER_MAX, TAG_MAX, TITLE_MAX,
};
use crate::model::Problem;

/// A name as the author of history events (the user setting) takes it.
pub fn clean_author(name: &str) -> Result<String, FieldError> {
    clean_text(Field::Author, name, true, AUTHOR_MAX, false)
}

/// An item's title: one line, required.
pub(super) fn clean_title(text: &str) -> Result<String, FieldError> {
    clean_text(Field::Title, text, true, TITLE_MAX, false)
}

/// An item's detail: several lines, may be empty.
pub(super) fn clean_detail(text: &str) -> Result<String, FieldError> {
    clean_text(Field::Detail, text, false, DETAIL_MAX, true)
}

/// Who in the department handles the item.
pub(super) fn clean_owner(name: &str) -> Result<String, FieldError> {
    clean_text(Field::Owner, name, false, OWNER_MAX, false)
}

/// What separates tags typed as one line (a form, a CSV cell, the command line).
const TAG_SEPARATORS: [char; 5] = [',', '，', '、', ';', '；'];

/// Tags typed as one line, in order, blanks dropped (they are cleaned when applied).
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(TAG_SEPARATORS)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// One tag: a short line without the separators, so that tags typed as one line and CSV
/// cells read back the same.
pub fn clean_tag(text: &str) -> Result<String, FieldError> {
    let tag = clean_text(Field::Tags, text, true, TAG_MAX, false)?;
    if tag.contains(TAG_SEPARATORS) {
        return Err(FieldError::new(Field::Tags, Problem::Malformed));
    }
    Ok(tag)
}

/// Tags cleaned, blanks and repeats dropped, in the order given.
pub(super) fn clean_tags(tags: &[String]) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        if tag.trim().is_empty() {
            continue;
        }
        let tag = clean_tag(tag)?;
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// A department's response.
pub(super) fn clean_response(text: &str) -> Result<String, FieldError> {
    clean_text(Field::Response, text, true, DETAIL_MAX, true)
}

/// The note of a follow-up call: may be empty.
pub(super) fn clean_call_note(text: &str) -> Result<String, FieldError> {
    clean_text(Field::Notes, text, false, DETAIL_MAX, true)
}

/// What the firm was told, as closing an item takes it.
pub(super) fn clean_resolution(resolution: Resolution) -> Result<Resolution, FieldError> {
    let text = clean_text(Field::Resolution, &resolution.text, true, DETAIL_MAX, true)?;
    Ok(Resolution {
        kind: resolution.kind,
        text,
    })
}

impl Issue {
    /// The item with its text fields trimmed, or the first that breaks the rules every way of
    /// writing one applies (a restore checks a backup's items with this too).
    pub fn validated(mut self) -> Result<Issue, FieldError> {
        self.title = clean_title(&self.title)?;
        self.detail = clean_detail(&self.detail)?;
        self.owner = clean_owner(&self.owner)?;
        self.resolution = self.resolution.map(clean_resolution).transpose()?;
        self.tags = clean_tags(&self.tags)?;
        Ok(self)
    }
}

impl IssueEvent {
    /// The event with its texts trimmed, or the first that breaks the rules of the change it
    /// records (an owner as `set_owner` takes it, a response as `respond` does …) or of its
    /// author (as the user setting takes a name; an event may have none).
    pub fn validated(mut self) -> Result<IssueEvent, FieldError> {
        self.author = clean_text(Field::Author, &self.author, false, AUTHOR_MAX, false)?;
        self.change = self.change.validated()?;
        Ok(self)
    }
}

impl Change {
    fn validated(self) -> Result<Change, FieldError> {
        Ok(match self {
            firm @ Change::Firm { .. } => firm,
            Change::Call { verdict, note, day } => Change::Call {
                verdict,
                note: clean_call_note(&note)?,
                day,
            },
            Change::Owner { from, to } => Change::Owner {
                from: clean_owner(&from)?,
                to: clean_owner(&to)?,
            },
            Change::Response { text, to_firm } => Change::Response {
                text: clean_response(&text)?,
                to_firm,
            },
            Change::Status {
                from,
                to,
                resolution,
            } => Change::Status {
                from,
                to,
                resolution: resolution.map(clean_resolution).transpose()?,
            },
            Change::Title { from, to } => Change::Title {
                from: clean_title(&from)?,
                to: clean_title(&to)?,
            },
            Change::Detail { from, to } => Change::Detail {
                from: clean_detail(&from)?,
                to: clean_detail(&to)?,
            },
            Change::Tags { added, removed } => Change::Tags {
                added: clean_tags(&added)?,
                removed: clean_tags(&removed)?,
            },
            Change::Reverted { event, change } => Change::Reverted {
                event,
                change: match change {
                    Some(change) => Some(Box::new(change.validated()?)),
                    None => None,
                },
            },
            other @ (Change::Created
            | Change::Department { .. }
            | Change::Priority { .. }
            | Change::Due { .. }
            | Change::Category { .. }) => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Id, IssueDraft, ResolutionKind, Status};
    use super::*;
    use crate::model::Problem;

    fn now() -> crate::model::LocalTime {
        chrono::DateTime::parse_from_rfc3339("2026-12-16T15:00:00+08:00").unwrap()
    }

    #[test]
    fn an_event_is_held_to_the_rules_of_its_change_however_deeply_undone() {
        let mut issue = IssueDraft::new(Id::new(), "用地")
            .into_issue(Id::new(), 1, now())
            .unwrap();
        let closed = issue
            .change_status(
                Status::Closed,
                Some(Resolution {
                    kind: ResolutionKind::Answered,
                    text: "已答复".into(),
                }),
                "李晓",
                now(),
            )
            .unwrap();
        assert!(closed.clone().validated().is_ok());
        assert!(issue.clone().validated().is_ok());

        let control = |field| FieldError::new(field, Problem::ControlCharacter);
        let mut hostile = closed.clone();
        hostile.author = "李\u{1b}]0;x\u{7}".into();
        assert_eq!(hostile.validated().unwrap_err(), control(Field::Author));
        let mut hostile = closed;
        hostile.change = Change::Reverted {
            event: Id::new(),
            change: Some(Box::new(Change::Owner {
                from: String::new(),
                to: "\u{9b}2J".into(),
            })),
        };
        assert_eq!(hostile.validated().unwrap_err(), control(Field::Owner));

        issue.title = "长".repeat(TITLE_MAX + 1);
        assert_eq!(
            issue.validated().unwrap_err().problem,
            Problem::TooLong {
                max_chars: TITLE_MAX
            }
        );
    }
}
