//! An exported item as JSON, written from structs rather than built as `serde_json::Value`
//! maps: tens of thousands of items with their histories are written without a map per item
//! and per event. The keys are in the alphabetical order the maps wrote them in (serde_json's
//! map is sorted), so the bytes are those of the earlier export.

use super::Names;
use crate::model::{Change, Issue, IssueEvent, Resolution};
use crate::transfer::json::{write_str, Day, IdText, Stamp};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::io::{self, Write};

/// An item as `issues list --json` and `issues show --json` write it and, with `history`,
/// as the export does: one shape for both (the cli names the ids; `transfer` writes them).
#[derive(Serialize)]
pub struct IssueJson<'a> {
    category: Option<&'a str>,
    closed: Option<Stamp>,
    created: Stamp,
    department: Option<&'a str>,
    detail: &'a str,
    due: Option<Day>,
    firm: &'a str,
    firm_id: IdText,
    /// The export's only: a listing has no such key.
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Vec<EventJson<'a>>>,
    id: IdText,
    number: u32,
    owner: &'a str,
    priority: &'static str,
    resolution: Option<ResolutionJson<'a>>,
    status: &'static str,
    tags: &'a [String],
    title: &'a str,
    updated: Stamp,
    visit: Option<IdText>,
}

/// What an item's ids are shown as: its firm's name, its department's, its category's code.
pub struct ItemNames<'a> {
    pub firm: &'a str,
    pub department: Option<&'a str>,
    pub category: Option<&'a str>,
}

impl<'a> IssueJson<'a> {
    /// The item without its history.
    pub fn of(issue: &'a Issue, names: ItemNames<'a>) -> IssueJson<'a> {
        IssueJson {
            category: names.category,
            closed: issue.closed.map(Stamp),
            created: Stamp(issue.created),
            department: names.department,
            detail: &issue.detail,
            due: issue.due.map(Day),
            firm: names.firm,
            firm_id: IdText(issue.firm),
            history: None,
            id: IdText(issue.id),
            number: issue.number,
            owner: &issue.owner,
            priority: issue.priority.code(),
            resolution: issue.resolution.as_ref().map(ResolutionJson::of),
            status: issue.status.code(),
            tags: &issue.tags,
            title: &issue.title,
            updated: Stamp(issue.updated),
            visit: issue.visit.map(IdText),
        }
    }
}

impl IssueJson<'_> {
    /// The bytes `json::to_writer` writes for this item, written field by field with
    /// `json::write_str` (the history through serde): a listing of a quarter of a million
    /// items spent a seventh of its time in serde_json's string scan.
    pub fn write_to<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b"{\"category\":")?;
        opt_str(out, self.category)?;
        out.write_all(b",\"closed\":")?;
        match &self.closed {
            Some(closed) => serialized(out, closed)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b",\"created\":")?;
        serialized(out, &self.created)?;
        out.write_all(b",\"department\":")?;
        opt_str(out, self.department)?;
        out.write_all(b",\"detail\":")?;
        write_str(out, self.detail)?;
        out.write_all(b",\"due\":")?;
        match &self.due {
            Some(due) => serialized(out, due)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b",\"firm\":")?;
        write_str(out, self.firm)?;
        out.write_all(b",\"firm_id\":")?;
        serialized(out, &self.firm_id)?;
        if let Some(history) = &self.history {
            out.write_all(b",\"history\":")?;
            serialized(out, history)?;
        }
        out.write_all(b",\"id\":")?;
        serialized(out, &self.id)?;
        write!(out, ",\"number\":{}", self.number)?;
        out.write_all(b",\"owner\":")?;
        write_str(out, self.owner)?;
        out.write_all(b",\"priority\":")?;
        write_str(out, self.priority)?;
        out.write_all(b",\"resolution\":")?;
        match &self.resolution {
            Some(resolution) => {
                out.write_all(b"{\"kind\":")?;
                write_str(out, resolution.kind)?;
                out.write_all(b",\"text\":")?;
                write_str(out, resolution.text)?;
                out.write_all(b"}")?;
            }
            None => out.write_all(b"null")?,
        }
        out.write_all(b",\"status\":")?;
        write_str(out, self.status)?;
        out.write_all(b",\"tags\":[")?;
        for (n, tag) in self.tags.iter().enumerate() {
            if n > 0 {
                out.write_all(b",")?;
            }
            write_str(out, tag)?;
        }
        out.write_all(b"],\"title\":")?;
        write_str(out, self.title)?;
        out.write_all(b",\"updated\":")?;
        serialized(out, &self.updated)?;
        out.write_all(b",\"visit\":")?;
        match &self.visit {
            Some(visit) => serialized(out, visit)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b"}")
    }
}

fn opt_str<W: Write + ?Sized>(out: &mut W, text: Option<&str>) -> io::Result<()> {
    match text {
        Some(text) => write_str(out, text),
        None => out.write_all(b"null"),
    }
}

/// A value through serde (the small ones write their strings from stack buffers).
fn serialized<W: Write + ?Sized>(out: &mut W, value: &impl Serialize) -> io::Result<()> {
    crate::transfer::json::to_writer(out, value)
}

pub(super) fn item_json<'a>(
    issue: &'a Issue,
    events: &'a [IssueEvent],
    names: &'a Names,
) -> IssueJson<'a> {
    let item_names = ItemNames {
        firm: names.firms.get(&issue.firm).map_or("?", String::as_str),
        department: names.department(issue.department),
        category: names.category_code(issue.category),
    };
    IssueJson {
        history: Some(
            events
                .iter()
                .map(|event| EventJson {
                    at: Stamp(event.at),
                    author: &event.author,
                    change: ChangeJson {
                        change: &event.change,
                        names,
                    },
                    id: IdText(event.id),
                })
                .collect(),
        ),
        ..IssueJson::of(issue, item_names)
    }
}

/// One history entry, with names instead of ids so that it reads without the database. The
/// entry's id is there for an undo (`reverted`) that names it.
#[derive(Serialize)]
struct EventJson<'a> {
    at: Stamp,
    author: &'a str,
    change: ChangeJson<'a>,
    id: IdText,
}

#[derive(Serialize)]
struct ResolutionJson<'a> {
    kind: &'static str,
    text: &'a str,
}

impl ResolutionJson<'_> {
    fn of(resolution: &Resolution) -> ResolutionJson<'_> {
        ResolutionJson {
            kind: resolution.kind.code(),
            text: &resolution.text,
        }
    }
}

/// A change as an object whose `kind` names it; its other keys depend on the kind.
struct ChangeJson<'a> {
    change: &'a Change,
    names: &'a Names,
}

impl Serialize for ChangeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let names = self.names;
        let mut map = serializer.serialize_map(None)?;
        // Each arm writes its keys in alphabetical order.
        match self.change {
            Change::Created => map.serialize_entry("kind", "created")?,
            Change::Department { from, to } => {
                map.serialize_entry("from", &names.department(*from))?;
                map.serialize_entry("kind", "department")?;
                map.serialize_entry("to", &names.department(*to))?;
            }
            Change::Owner { from, to } => {
                map.serialize_entry("from", from)?;
                map.serialize_entry("kind", "owner")?;
                map.serialize_entry("to", to)?;
            }
            Change::Priority { from, to } => {
                map.serialize_entry("from", from.code())?;
                map.serialize_entry("kind", "priority")?;
                map.serialize_entry("to", to.code())?;
            }
            Change::Due { from, to } => {
                map.serialize_entry("from", &from.map(Day))?;
                map.serialize_entry("kind", "due")?;
                map.serialize_entry("to", &to.map(Day))?;
            }
            Change::Category { from, to } => {
                map.serialize_entry("from", &names.category_code(*from))?;
                map.serialize_entry("kind", "category")?;
                map.serialize_entry("to", &names.category_code(*to))?;
            }
            Change::Response { text, to_firm } => {
                map.serialize_entry("kind", "response")?;
                map.serialize_entry("text", text)?;
                map.serialize_entry("to_firm", to_firm)?;
            }
            Change::Title { from, to } => {
                map.serialize_entry("from", from)?;
                map.serialize_entry("kind", "title")?;
                map.serialize_entry("to", to)?;
            }
            Change::Detail { from, to } => {
                map.serialize_entry("from", from)?;
                map.serialize_entry("kind", "detail")?;
                map.serialize_entry("to", to)?;
            }
            Change::Tags { added, removed } => {
                map.serialize_entry("added", added)?;
                map.serialize_entry("kind", "tags")?;
                map.serialize_entry("removed", removed)?;
            }
            Change::Firm { from, to } => {
                // A firm no longer there is named by its id.
                let name = |id: &crate::model::Id| {
                    names
                        .firms
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string())
                };
                map.serialize_entry("from", &name(from))?;
                map.serialize_entry("kind", "firm")?;
                map.serialize_entry("to", &name(to))?;
            }
            Change::Call { verdict, note, day } => {
                map.serialize_entry("day", &Day(*day))?;
                map.serialize_entry("kind", "call")?;
                map.serialize_entry("note", note)?;
                map.serialize_entry("verdict", verdict.code())?;
            }
            Change::Status {
                from,
                to,
                resolution,
            } => {
                map.serialize_entry("from", from.code())?;
                map.serialize_entry("kind", "status")?;
                map.serialize_entry("resolution", &resolution.as_ref().map(ResolutionJson::of))?;
                map.serialize_entry("to", to.code())?;
            }
            // An undo: `event` is the id of the entry undone, `change` what was put back (null
            // when a response was withdrawn).
            Change::Reverted { event, change } => {
                let put_back = change.as_deref().map(|change| ChangeJson { change, names });
                map.serialize_entry("change", &put_back)?;
                map.serialize_entry("event", &IdText(*event))?;
                map.serialize_entry("kind", "reverted")?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests;
