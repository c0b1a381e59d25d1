//! Byte layouts of the index keys. Every number is big-endian with its sign bit flipped, so
//! that sled's byte order is the numeric order and key ranges answer "due before today" or
//! "visits from Monday to Sunday" without decoding anything.

use crate::model::{Firm, Id, Issue, Status, Visit};
use chrono::{Datelike, NaiveDate};

const NO_DUE: u32 = u32::MAX;

pub fn day_bytes(day: Option<NaiveDate>) -> [u8; 4] {
    let value = match day {
        Some(d) => (d.num_days_from_ce() as u32) ^ 0x8000_0000,
        None => NO_DUE,
    };
    value.to_be_bytes()
}

/// The day of `day_bytes`, back: `Some(None)` for "no due date", `None` for bytes that no day
/// makes.
pub fn day_from_bytes(bytes: [u8; 4]) -> Option<Option<NaiveDate>> {
    match u32::from_be_bytes(bytes) {
        NO_DUE => Some(None),
        value => NaiveDate::from_num_days_from_ce_opt((value ^ 0x8000_0000) as i32).map(Some),
    }
}

pub fn time_bytes(unix_seconds: i64) -> [u8; 8] {
    ((unix_seconds as u64) ^ (1 << 63)).to_be_bytes()
}

pub fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Issue by status: status byte + issue id.
pub fn issue_status(issue: &Issue) -> Vec<u8> {
    join(&[&[issue.status.as_byte()], issue.id.as_bytes()])
}

/// Issue by firm: firm id + issue id; the value holds the status byte so that a firm's open
/// count needs no decoding.
pub fn issue_firm(issue: &Issue) -> Vec<u8> {
    join(&[issue.firm.as_bytes(), issue.id.as_bytes()])
}

/// Issue by due date: open/closed byte + due day + issue id. Open items come first, so the
/// overdue ones are one key range.
pub fn issue_due(issue: &Issue) -> Vec<u8> {
    let closed = u8::from(issue.status == Status::Closed);
    join(&[&[closed], &day_bytes(issue.due), issue.id.as_bytes()])
}

pub fn issue_due_id(key: &[u8]) -> Option<Id> {
    Id::from_slice(key.get(5..)?)
}

/// The key range of open items due strictly before `day`.
pub fn open_due_before(day: NaiveDate) -> (Vec<u8>, Vec<u8>) {
    (vec![0], join(&[&[0], &day_bytes(Some(day))]))
}

pub fn issue_number(number: u32) -> [u8; 4] {
    number.to_be_bytes()
}

pub fn visit_time(visit: &Visit) -> Vec<u8> {
    join(&[&time_bytes(visit.start.timestamp()), visit.id.as_bytes()])
}

pub fn visit_time_id(key: &[u8]) -> Option<Id> {
    Id::from_slice(key.get(8..)?)
}

/// Visit by firm: firm id + start time + visit id, so a firm's visits come in time order.
pub fn visit_firm(visit: &Visit) -> Vec<u8> {
    join(&[
        visit.firm.as_bytes(),
        &time_bytes(visit.start.timestamp()),
        visit.id.as_bytes(),
    ])
}

pub fn visit_firm_id(key: &[u8]) -> Option<Id> {
    Id::from_slice(key.get(24..)?)
}

pub fn firm_name(firm: &Firm) -> Vec<u8> {
    crate::model::name_key(&firm.name).into_bytes()
}

/// The key of a history event in schema v1 (issue id + event id), one key per event; read
/// only by the migration to v2, which keeps an item's whole history in one value.
pub fn event(issue: Id, event: Id) -> Vec<u8> {
    join(&[issue.as_bytes(), event.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_is_numeric_order() {
        let days = [
            NaiveDate::from_ymd_opt(1969, 12, 31),
            NaiveDate::from_ymd_opt(2025, 12, 13),
            NaiveDate::from_ymd_opt(2026, 1, 2),
            None,
        ];
        let encoded: Vec<[u8; 4]> = days.iter().map(|d| day_bytes(*d)).collect();
        assert!(encoded.windows(2).all(|w| w[0] < w[1]));
        for (day, bytes) in days.iter().zip(&encoded) {
            assert_eq!(day_from_bytes(*bytes), Some(*day));
        }
        let times = [-86_400i64, -1, 0, 1, 1_765_600_000];
        let encoded: Vec<[u8; 8]> = times.iter().map(|t| time_bytes(*t)).collect();
        assert!(encoded.windows(2).all(|w| w[0] < w[1]));
    }
}
