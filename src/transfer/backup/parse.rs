//! Reading one line of a backup: the header, a record, and serde_json's errors in its terms.

use super::{Header, Kind, LineIn, Probe, Record, FORMAT_NAME, FORMAT_VERSION};
use crate::model::Id;
use crate::store::SCHEMA_VERSION;

/// serde_json's message without its own "at line 1 column N" (every line is line 1 to it),
/// with the column in characters of the whole line instead.
pub(super) fn json_error(error: &serde_json::Error, line: &str, offset: usize) -> String {
    let text = error.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    if error.column() == 0 {
        return message.to_string();
    }
    let mut byte = (offset + error.column()).saturating_sub(1).min(line.len());
    // Inside a character (serde_json counts bytes): the character it is in.
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    let column = line[..byte].chars().count() + 1;
    format!("{message} (column {column})")
}

pub(super) fn parse_header(text: &str) -> Result<Header, String> {
    let probe: Probe = serde_json::from_str(text).map_err(|e| {
        format!(
            "not a liaison backup: the first line must be its header ({})",
            json_error(&e, text, 0)
        )
    })?;
    match probe.format.as_deref() {
        Some(FORMAT_NAME) => {}
        Some(other) => {
            return Err(format!(
                "not a liaison backup: the header names the format \"{other}\", \
                 not \"{FORMAT_NAME}\""
            ))
        }
        None => {
            return Err(format!(
                "not a liaison backup: the first line has no \"format\":\"{FORMAT_NAME}\""
            ))
        }
    }
    match probe.version {
        // Version 1 holds the same lines without the operation log.
        Some(1 | FORMAT_VERSION) => {}
        Some(v) if v > FORMAT_VERSION => {
            return Err(format!(
                "backup format version {v} is newer than this liaison reads (version \
                 {FORMAT_VERSION}); restore it with a newer liaison"
            ))
        }
        Some(v) => return Err(format!("unknown backup format version {v}")),
        None => return Err("the header has no format version".into()),
    }
    let header: Header = serde_json::from_str(text)
        .map_err(|e| format!("the header is malformed: {}", json_error(&e, text, 0)))?;
    if header.schema > SCHEMA_VERSION {
        return Err(format!(
            "the records follow schema v{}, newer than this liaison reads (v{SCHEMA_VERSION}); \
             restore it with a newer liaison",
            header.schema
        ));
    }
    // The records are written as JSON, not as the store keeps them: from v1 to v2 only the
    // store's layout of an item's history changed, so a v1 backup restores as it is; v3 gave
    // items tags, which an item of v1 or v2 lacks and reads as none (`serde(default)`).
    if header.schema < 1 {
        return Err(format!("unknown schema v{} in the header", header.schema));
    }
    Ok(header)
}

pub(super) fn parse_record(text: &str) -> Result<Record, String> {
    let line: LineIn = serde_json::from_str(text).map_err(|e| json_error(&e, text, 0))?;
    let Some(kind) = Kind::parse(&line.kind) else {
        return Err(format!(
            "unknown kind of record \"{}\" (a backup holds {})",
            line.kind,
            Kind::ALL.map(Kind::name).join(", ")
        ));
    };
    let raw = line.record.get();
    // The record's place in the line, so that its errors point at the right column.
    let offset = raw.as_ptr() as usize - text.as_ptr() as usize;
    let shape = |e: serde_json::Error| format!("{}: {}", kind.name(), json_error(&e, text, offset));
    Ok(match kind {
        Kind::Settings => Record::Settings(serde_json::from_str(raw).map_err(shape)?),
        Kind::Department => Record::Department(serde_json::from_str(raw).map_err(shape)?),
        Kind::Category => Record::Category(serde_json::from_str(raw).map_err(shape)?),
        Kind::View => Record::View(serde_json::from_str(raw).map_err(shape)?),
        Kind::Firm => Record::Firm(serde_json::from_str(raw).map_err(shape)?),
        Kind::Visit => Record::Visit(serde_json::from_str(raw).map_err(shape)?),
        Kind::Issue => Record::Issue(serde_json::from_str(raw).map_err(shape)?),
        Kind::Event => Record::Event(serde_json::from_str(raw).map_err(shape)?),
        Kind::Ledger => Record::Ledger(serde_json::from_str(raw).map_err(shape)?),
        Kind::Op => Record::Op(serde_json::from_str(raw).map_err(shape)?),
        Kind::Heads => Record::Heads(serde_json::from_str(raw).map_err(shape)?),
        Kind::Peer => Record::Peer(serde_json::from_str(raw).map_err(shape)?),
        Kind::ItemCode => Record::ItemCode(serde_json::from_str(raw).map_err(shape)?),
    })
}

impl Record {
    pub(super) fn kind(&self) -> Kind {
        match self {
            Record::Settings(_) => Kind::Settings,
            Record::Department(_) => Kind::Department,
            Record::Category(_) => Kind::Category,
            Record::View(_) => Kind::View,
            Record::Firm(_) => Kind::Firm,
            Record::Visit(_) => Kind::Visit,
            Record::Issue(_) => Kind::Issue,
            Record::Event(_) => Kind::Event,
            Record::Ledger(_) => Kind::Ledger,
            Record::Op(_) => Kind::Op,
            Record::Heads(_) => Kind::Heads,
            Record::Peer(_) => Kind::Peer,
            Record::ItemCode(_) => Kind::ItemCode,
        }
    }

    /// The order within a kind: the store's key order.
    pub(super) fn key(&self) -> (Id, Id) {
        match self {
            Record::Settings(_) => (Id::MIN, Id::MIN),
            Record::Department(d) => (d.id, Id::MIN),
            Record::Category(c) => (c.id, Id::MIN),
            Record::View(v) => (v.id, Id::MIN),
            Record::Firm(f) => (f.id, Id::MIN),
            Record::Visit(v) => (v.id, Id::MIN),
            Record::Issue(i) => (i.id, Id::MIN),
            Record::Event(e) => (e.issue, e.id),
            // Their order is checked by `ledger::LogValidation`.
            _ => (Id::MIN, Id::MIN),
        }
    }
}
