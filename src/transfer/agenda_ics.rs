//! The agenda as iCalendar (RFC 5545), so that the visits show up in the calendar on an
//! officer's phone or desktop next to everything else in their day.
//!
//! One VEVENT per visit, in start-time order, written while the time index is walked: a
//! visit is decoded, written and dropped, so a ledger of any size exports in little memory.
//! The writer is ours and small: it streams, and it folds long lines at 75 octets
//! without cutting a UTF-8 character in two, which matters for Chinese text. The tests read
//! the output back with an independent parser (the `icalendar` crate).
//!
//! Choices that make the file work well in calendar apps:
//! - Times are written in UTC (`20261213T013000Z`). A visit carries a fixed UTC offset, not a
//!   named zone, so a VTIMEZONE would need a made-up TZID such as "UTC+08:00". Apps such as
//!   Google Calendar and Outlook match TZIDs by name against their own zone tables and treat
//!   an unknown one differently from app to app (ignored, read as floating time, or refused),
//!   while UTC times are the one form every app must read; each app then shows the visit in
//!   the viewer's own zone, which for officers in the zone is the offset the visit was entered
//!   with. The instant is exact; only the original offset is not kept in the file.
//! - DTSTAMP is the visit's `updated` time, not the export time: without a METHOD property
//!   RFC 5545 defines DTSTAMP as when the event was last revised in the store, and it keeps
//!   repeated exports of an unchanged ledger byte-identical (so they diff and sync cleanly).
//! - UID is `<visit id>@liaison`: visit ids are UUIDs that never change, so importing a newer
//!   export updates the events of the older one instead of duplicating them.
//! - Cancelled visits are kept by default with STATUS:CANCELLED: an app that imported the visit
//!   earlier can then mark or remove it, which leaving it out of the file would not do.

use super::ExportError;
use crate::messages;
use crate::model::{Id, LocalTime, Visit, VisitStatus};
use crate::store::{Damaged, Store, StoreError};
use chrono::{Days, NaiveDate, Utc};
use std::collections::hash_map::{Entry, HashMap};
use std::io::Write;

/// Which visits an agenda export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaExportOptions {
    /// The first day, inclusive, compared with each visit's own local date.
    pub from: Option<NaiveDate>,
    /// The last day, inclusive, compared with each visit's own local date.
    pub to: Option<NaiveDate>,
    /// Cancelled visits are written with STATUS:CANCELLED unless this is unset.
    pub include_cancelled: bool,
}

impl Default for AgendaExportOptions {
    fn default() -> Self {
        AgendaExportOptions {
            from: None,
            to: None,
            include_cancelled: true,
        }
    }
}

impl AgendaExportOptions {
    fn includes(&self, visit: &Visit) -> bool {
        let day = visit.start.date_naive();
        self.from.is_none_or(|from| day >= from)
            && self.to.is_none_or(|to| day <= to)
            && (self.include_cancelled || visit.status != VisitStatus::Cancelled)
    }

    /// The Unix-time window of the index to walk: wide enough for any offset (they are
    /// under a day), so that the exact test on local dates above decides.
    fn scan_window(&self) -> (Option<i64>, Option<i64>) {
        const DAY: i64 = 86_400;
        let midnight_utc = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc();
        let from = self.from.map(|d| midnight_utc(d).timestamp() - DAY);
        let before = self
            .to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .map(|d| midnight_utc(d).timestamp() + DAY);
        (from, before)
    }
}

#[derive(Debug, Default)]
pub struct AgendaExportSummary {
    /// Events written.
    pub visits: usize,
    /// Of those, the cancelled ones.
    pub cancelled: usize,
    /// Visits that could not be decoded and so are missing from the file, and firms that could
    /// not be decoded (their visits are written with a placeholder name).
    pub damaged: Vec<Damaged>,
}

/// Writes the visits as an iCalendar file, in start-time order. An agenda with no visit in
/// the range gives a calendar with no event, which calendar apps import as empty.
pub fn export_agenda(
    store: &Store,
    out: &mut impl Write,
    options: &AgendaExportOptions,
) -> Result<AgendaExportSummary, ExportError> {
    let mut summary = AgendaExportSummary::default();
    let mut firms = FirmCache::default();
    let mut ics = ContentWriter::new(out);
    ics.raw("BEGIN", "VCALENDAR")?;
    ics.raw("VERSION", "2.0")?;
    ics.raw(
        "PRODID",
        concat!("-//Liaison//Liaison ", env!("CARGO_PKG_VERSION"), "//EN"),
    )?;
    ics.raw("CALSCALE", "GREGORIAN")?;
    ics.text("X-WR-CALNAME", messages::CALENDAR_NAME.get())?;

    let (from, before) = options.scan_window();
    for id in store.visit_ids_between(from, before) {
        let visit = match store.visit(id?) {
            Ok(Some(visit)) => visit,
            // An index entry without its record: `liaison check` reports it.
            Ok(None) => continue,
            Err(StoreError::Corrupt { tree, key, error }) => {
                summary.damaged.push(Damaged { tree, key, error });
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if !options.includes(&visit) {
            continue;
        }
        let firm = firms.get(store, visit.firm, &mut summary.damaged)?;
        write_event(&mut ics, &visit, firm)?;
        summary.visits += 1;
        if visit.status == VisitStatus::Cancelled {
            summary.cancelled += 1;
        }
    }

    ics.raw("END", "VCALENDAR")?;
    Ok(summary)
}

/// What an event shows of its firm.
struct FirmInfo {
    name: String,
    address: String,
}

/// Firms read once each: a zone has hundreds of firms and thousands of visits to them.
#[derive(Default)]
struct FirmCache {
    firms: HashMap<Id, Option<FirmInfo>>,
}

impl FirmCache {
    fn get(
        &mut self,
        store: &Store,
        id: Id,
        damaged: &mut Vec<Damaged>,
    ) -> Result<Option<&FirmInfo>, StoreError> {
        let info = match self.firms.entry(id) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let info = match store.firm(id) {
                    Ok(firm) => firm.map(|firm| FirmInfo {
                        name: firm.name,
                        address: firm.address,
                    }),
                    // Reported once; its visits are still worth having in the calendar.
                    Err(StoreError::Corrupt { tree, key, error }) => {
                        damaged.push(Damaged { tree, key, error });
                        None
                    }
                    Err(e) => return Err(e),
                };
                entry.insert(info)
            }
        };
        Ok(info.as_ref())
    }
}

fn write_event<W: Write>(
    ics: &mut ContentWriter<'_, W>,
    visit: &Visit,
    firm: Option<&FirmInfo>,
) -> std::io::Result<()> {
    ics.raw("BEGIN", "VEVENT")?;
    ics.raw("UID", &uid(visit.id))?;
    ics.raw("DTSTAMP", &utc(visit.updated))?;
    ics.raw("CREATED", &utc(visit.created))?;
    ics.raw("LAST-MODIFIED", &utc(visit.updated))?;
    ics.raw("DTSTART", &utc(visit.start))?;
    ics.raw("DTEND", &utc(visit.end()))?;
    let name = firm.map_or(messages::UNKNOWN_FIRM.get(), |f| f.name.as_str());
    ics.text("SUMMARY", &messages::calendar_summary(name))?;
    // The meeting room when one was entered, else the firm's address: either way the place
    // a phone can navigate to.
    let location = match firm {
        Some(firm) if visit.location.is_empty() => firm.address.as_str(),
        _ => visit.location.as_str(),
    };
    if !location.is_empty() {
        ics.text("LOCATION", location)?;
    }
    let description = description(visit);
    if !description.is_empty() {
        ics.text("DESCRIPTION", &description)?;
    }
    ics.raw("STATUS", status(visit.status))?;
    ics.raw("END", "VEVENT")
}

/// Stable across exports and databases: the visit's id never changes and is globally unique.
pub(crate) fn uid(id: Id) -> String {
    format!("{id}@liaison")
}

/// A DATE-TIME in UTC (RFC 5545 form #2); see the module notes for why not local time.
fn utc(time: LocalTime) -> String {
    time.with_timezone(&Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn status(status: VisitStatus) -> &'static str {
    match status {
        // Planned visits are agreed with the firm, so they are not tentative.
        VisitStatus::Planned | VisitStatus::Done => "CONFIRMED",
        VisitStatus::Cancelled => "CANCELLED",
    }
}

/// Purpose, lead and attendees, and the minutes of a visit that took place, one per line.
fn description(visit: &Visit) -> String {
    let mut lines = Vec::new();
    if !visit.purpose.is_empty() {
        lines.push(messages::calendar_line(
            messages::LABEL_PURPOSE.get(),
            &visit.purpose,
        ));
    }
    if !visit.lead.is_empty() {
        lines.push(messages::calendar_line(
            messages::LABEL_LEAD.get(),
            &visit.lead,
        ));
    }
    if !visit.attendees.is_empty() {
        lines.push(messages::calendar_line(
            messages::LABEL_ATTENDEES.get(),
            &visit.attendees.join(messages::ATTENDEE_SEPARATOR),
        ));
    }
    // Minutes record what happened; only a visit that took place has them to show.
    if visit.status == VisitStatus::Done && !visit.minutes.is_empty() {
        lines.push(messages::calendar_heading(messages::LABEL_MINUTES.get()));
        lines.push(visit.minutes.clone());
    }
    lines.join("\n")
}

// ---- content lines ---------------------------------------------------------------------

/// RFC 5545 3.1: a line is at most 75 octets, excluding the CRLF; longer ones continue on
/// lines that start with one space, which counts towards their 75.
const MAX_LINE_OCTETS: usize = 75;

/// Writes content lines: `NAME:value`, folded, ending in CRLF.
struct ContentWriter<'w, W: Write> {
    out: &'w mut W,
    line: String,
}

impl<'w, W: Write> ContentWriter<'w, W> {
    fn new(out: &'w mut W) -> Self {
        ContentWriter {
            out,
            line: String::new(),
        }
    }

    /// A value that is already in its wire form (a date-time, a code, a UID).
    fn raw(&mut self, name: &str, value: &str) -> std::io::Result<()> {
        self.line.clear();
        self.line.push_str(name);
        self.line.push(':');
        self.line.push_str(value);
        write_folded(self.out, &self.line)
    }

    /// A TEXT value, escaped.
    fn text(&mut self, name: &str, value: &str) -> std::io::Result<()> {
        self.raw(name, &escape_text(value))
    }
}

/// Writes `line` folded at 75 octets, never inside a UTF-8 character (a reader that unfolds
/// byte-wise would otherwise be fine, but many show each physical line on its own).
fn write_folded(out: &mut impl Write, line: &str) -> std::io::Result<()> {
    let mut rest = line;
    let mut room = MAX_LINE_OCTETS;
    while rest.len() > room {
        // A character is at most 4 octets and `room` at least 74, so `cut` stays above 0.
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.write_all(&rest.as_bytes()[..cut])?;
        out.write_all(b"\r\n ")?;
        rest = &rest[cut..];
        room = MAX_LINE_OCTETS - 1;
    }
    out.write_all(rest.as_bytes())?;
    out.write_all(b"\r\n")
}

/// RFC 5545 3.3.11: backslash, semicolon and comma are escaped and a line break becomes `\n`.
/// TEXT may hold no other control character than tab, so any that slipped into a record
/// (a CR from pasted text) is dropped rather than written as an invalid file; so is a C1
/// control, which RFC 5545 lets through but a terminal showing the file would act on.
fn escape_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() + value.len() / 8);
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push('\t'),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests;
