//! The items' summaries (what a queue row needs) read straight from their stored bytes.
//!
//! Reading a million items at start decoded each into an `Issue`: its detail, resolution and
//! tags allocated and freed, three times parsed by chrono's general parser, the key and value
//! copied out of their group. Here the bincode payload of an item is read in place, in the
//! order `Issue` declares its fields (bincode's standard configuration: variable-length
//! integers, a byte for an option, a variant's index, a length before bytes), the texts not
//! kept only checked to be UTF-8 as decoding them would, and the times read by `Moment`.
//!
//! Anything this reader does not expect — a varint in a longer form than needed, an unknown
//! variant, trailing bytes, a stamp chrono refuses — sends the record to the full decoder,
//! so a record reads alike both ways and a bad one is reported with the same error.

use super::*;
use crate::model::{IssueSummary, LocalTime, Moment, Priority, Resolution, ResolutionKind};

impl Store {
    /// The summaries of share `part` of `parts` of the items (as `each_issue_part`), each
    /// borrowed from the stored group for the length of the call.
    pub fn each_issue_summary_part(
        &self,
        part: usize,
        parts: usize,
        mut visit: impl FnMut(Result<IssueSummary<'_>, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let tree = &self.trees[ISSUES];
        for entry in self.part_walk(ISSUES, part, parts) {
            let (group_key, group) = entry?;
            records::let_the_cache_evict(tree, &group_key);
            let plain = records::unpacked(ISSUES, &group);
            let Some(members) = plain
                .as_deref()
                .and_then(|plain| records::members(&group_key, plain))
            else {
                if let Some(damaged) = self.damaged_group(ISSUES, &group_key) {
                    visit(Err(damaged))?;
                }
                continue;
            };
            for (key, value) in members {
                match decode_summary(value) {
                    Some(summary) => visit(Ok(summary))?,
                    None => match codec::decode::<Issue>(value) {
                        Ok(issue) => visit(Ok(issue.summary()))?,
                        Err(error) => visit(Err(Damaged {
                            tree: TREE_NAMES[ISSUES],
                            key: key_text(key),
                            error,
                        }))?,
                    },
                }
            }
        }
        Ok(())
    }
}

/// An item's stored fields read in place, in the order `Issue` declares them, the times
/// left as their stored text (a summary wants only the instant, an item the offset too).
struct Fields<'a> {
    id: Id,
    number: u32,
    firm: Id,
    visit: Option<Id>,
    title: &'a str,
    detail: &'a str,
    category: Option<Id>,
    department: Option<Id>,
    owner: &'a str,
    priority: Priority,
    status: Status,
    due: Option<NaiveDate>,
    resolution: Option<(ResolutionKind, &'a str)>,
    created: &'a [u8],
    updated: &'a [u8],
    tags: Vec<&'a str>,
    closed: Option<&'a [u8]>,
}

fn fields(value: &[u8]) -> Option<Fields<'_>> {
    let mut r = Reader(codec::current_payload(value).ok()?);
    let id = r.id()?;
    let number = u32::try_from(r.varint()?).ok()?;
    let firm = r.id()?;
    let visit = r.option(Reader::id)?;
    let title = r.text()?;
    let detail = r.text()?;
    let category = r.option(Reader::id)?;
    let department = r.option(Reader::id)?;
    let owner = r.text()?;
    let priority = *Priority::ALL.get(r.varint()? as usize)?;
    let status = *Status::ALL.get(r.varint()? as usize)?;
    let due = r.option(Reader::date)?;
    let resolution = r.option(|r| {
        let kind = *ResolutionKind::ALL.get(r.varint()? as usize)?;
        Some((kind, r.text()?))
    })?;
    let created = r.time()?;
    let updated = r.time()?;
    let count = r.varint()?;
    // Each tag takes at least a byte: a longer count is damage, for the full decoder.
    if count > r.0.len() as u64 {
        return None;
    }
    let tags = (0..count).map(|_| r.text()).collect::<Option<Vec<_>>>()?;
    let closed = r.option(Reader::time)?;
    if !r.0.is_empty() {
        return None;
    }
    Some(Fields {
        id,
        number,
        firm,
        visit,
        title,
        detail,
        category,
        department,
        owner,
        priority,
        status,
        due,
        resolution,
        created,
        updated,
        tags,
        closed,
    })
}

/// An item's summary from its stored value, or `None` when only the full decoder can say
/// what the value holds (or what is wrong with it).
pub(super) fn decode_summary(value: &[u8]) -> Option<IssueSummary<'_>> {
    let f = fields(value)?;
    Some(IssueSummary {
        id: f.id,
        number: f.number,
        firm: f.firm,
        visit: f.visit,
        title: f.title,
        category: f.category,
        department: f.department,
        owner: f.owner,
        priority: f.priority,
        status: f.status,
        due: f.due,
        created: Moment::parse_stored(f.created)?,
        updated: Moment::parse_stored(f.updated)?,
        tags: f.tags,
        closed: match f.closed {
            None => None,
            Some(time) => Some(Moment::parse_stored(time)?),
        },
    })
}

/// An item from its stored value, read as `decode_summary` reads it (no serde, no chrono
/// parser) when its bytes have the ordinary shape, else by the full decoder: the same item
/// either way, and the same error for a bad value. A listing of tens of thousands of items
/// spent a sixth of its time in bincode's serde path and chrono's general parser.
pub(super) fn decode_issue(value: &[u8]) -> Result<Issue, codec::DecodeError> {
    match decode_issue_by_hand(value) {
        Some(issue) => Ok(issue),
        None => codec::decode(value),
    }
}

fn decode_issue_by_hand(value: &[u8]) -> Option<Issue> {
    let f = fields(value)?;
    Some(Issue {
        id: f.id,
        number: f.number,
        firm: f.firm,
        visit: f.visit,
        title: f.title.to_string(),
        detail: f.detail.to_string(),
        category: f.category,
        department: f.department,
        owner: f.owner.to_string(),
        priority: f.priority,
        status: f.status,
        due: f.due,
        resolution: f.resolution.map(|(kind, text)| Resolution {
            kind,
            text: text.to_string(),
        }),
        created: stamp(f.created)?,
        updated: stamp(f.updated)?,
        tags: f.tags.into_iter().map(str::to_string).collect(),
        closed: match f.closed {
            None => None,
            Some(time) => Some(stamp(time)?),
        },
    })
}

/// A time stamp as chrono would read it: the instant from `Moment`, the offset from the
/// stamp's end (`Z` or `±HH:MM`, what chrono writes). A leap second or another ending is
/// the full decoder's.
fn stamp(bytes: &[u8]) -> Option<LocalTime> {
    let moment = Moment::parse_stored(bytes)?;
    if moment.nanos >= 1_000_000_000 {
        return None;
    }
    let offset = match bytes {
        [.., b'Z'] => 0,
        [.., sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let number = |a: u8, b: u8| {
                (a.is_ascii_digit() && b.is_ascii_digit())
                    .then(|| i32::from(a - b'0') * 10 + i32::from(b - b'0'))
            };
            let seconds = number(*h1, *h2)? * 3600 + number(*m1, *m2)? * 60;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let offset = chrono::FixedOffset::east_opt(offset)?;
    Some(chrono::DateTime::from_timestamp(moment.seconds, moment.nanos)?.with_timezone(&offset))
}

/// The unread rest of a payload.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }

    /// bincode's variable-length integer in its shortest form (up to 32 bits).
    fn varint(&mut self) -> Option<u64> {
        match self.byte()? {
            small @ 0..=250 => Some(u64::from(small)),
            251 => {
                let n = u16::from_le_bytes(self.bytes(2)?.try_into().ok()?);
                (n > 250).then_some(u64::from(n))
            }
            252 => {
                let n = u32::from_le_bytes(self.bytes(4)?.try_into().ok()?);
                (n > u32::from(u16::MAX)).then_some(u64::from(n))
            }
            _ => None,
        }
    }

    fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    fn text(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.varint()?).ok()?;
        std::str::from_utf8(self.bytes(len)?).ok()
    }

    /// An id: its 16 bytes, with their length first.
    fn id(&mut self) -> Option<Id> {
        if self.varint()? != Id::LEN as u64 {
            return None;
        }
        Id::from_slice(self.bytes(Id::LEN)?)
    }

    /// A time stamp's stored text.
    fn time(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.varint()?).ok()?;
        self.bytes(len)
    }

    /// A date as chrono writes it (`2025-03-04`); another spelling is chrono's to read.
    fn date(&mut self) -> Option<NaiveDate> {
        let text = self.text()?;
        let b = text.as_bytes();
        let number = |range: std::ops::Range<usize>| {
            b[range].iter().try_fold(0u32, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            if let (Some(y), Some(m), Some(d)) = (number(0..4), number(5..7), number(8..10)) {
                return NaiveDate::from_ymd_opt(y as i32, m, d);
            }
        }
        text.parse().ok()
    }
}

#[cfg(test)]
mod tests;
