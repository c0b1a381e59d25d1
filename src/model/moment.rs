//! A stored time stamp as the queue uses it, read without building a `chrono` value.
//!
//! Records keep their times as chrono writes them (RFC 3339: `2025-03-04T09:15:00+08:00`,
//! a fraction of 3, 6 or 9 digits when there is one, `Z` for UTC). Reading a million items
//! parsed three of them per item with chrono's general parser, a tenth of the start. The
//! fixed shape chrono writes is read here by hand; anything else (years past 9999, a leap
//! second, other spellings) goes through chrono, so both read every stamp alike.

use super::LocalTime;
use chrono::{Datelike, NaiveDate, Timelike};

/// An instant and the local day it fell on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// Seconds since 1970 (UTC), as `DateTime::timestamp`.
    pub seconds: i64,
    /// Nanoseconds within the second (beyond 10^9 in a leap second, as chrono keeps it).
    pub nanos: u32,
    /// The date where it was written (its own offset).
    pub local_date: NaiveDate,
}

/// Days from 0001-01-01 (day 1 in `num_days_from_ce`) to 1970-01-01.
const UNIX_EPOCH_DAY: i64 = 719_163;

impl Moment {
    pub fn of(time: &LocalTime) -> Moment {
        Moment {
            seconds: time.timestamp(),
            nanos: time.nanosecond(),
            local_date: time.date_naive(),
        }
    }

    /// Parses a stamp as chrono's `DateTime<FixedOffset>::from_str` does (same results,
    /// same refusals), the shape chrono writes without its general parser.
    pub fn parse(text: &str) -> Result<Moment, chrono::ParseError> {
        match Moment::parse_written(text.as_bytes()) {
            Some(moment) => Ok(moment),
            None => text.parse::<LocalTime>().map(|time| Moment::of(&time)),
        }
    }

    /// `parse` of stored bytes: `None` when they are not UTF-8 or not a time stamp. The
    /// shape read by hand is ASCII, so only other bytes need checking as text.
    pub fn parse_stored(bytes: &[u8]) -> Option<Moment> {
        Moment::parse_written(bytes)
            .or_else(|| Moment::parse(std::str::from_utf8(bytes).ok()?).ok())
    }

    /// The date, as `DateTime::date_naive`.
    pub fn date_naive(&self) -> NaiveDate {
        self.local_date
    }

    /// The same instant (what `==` on two `DateTime`s compares; the offsets may differ).
    pub fn same_instant(&self, other: &Moment) -> bool {
        self.seconds == other.seconds && self.nanos == other.nanos
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff](Z|±HH:MM)`, or `None` for anything
    /// else (left to chrono, which may still accept it or says why not).
    fn parse_written(b: &[u8]) -> Option<Moment> {
        if b.len() < 20 {
            return None;
        }
        let year = digits(&b[0..4])? as i32;
        let month = two(b, 5)?;
        let day = two(b, 8)?;
        let (hour, minute, second) = (two(b, 11)?, two(b, 14)?, two(b, 17)?);
        if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        // A leap second (60) is chrono's to place.
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut rest = &b[19..];
        let mut nanos = 0;
        if rest.first() == Some(&b'.') {
            let width = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if !matches!(width, 3 | 6 | 9) {
                return None;
            }
            nanos = digits(&rest[1..1 + width])? * 10u32.pow(9 - width as u32);
            rest = &rest[1 + width..];
        }
        let offset = match rest {
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (h, m) = (two(rest, 1)?, two(rest, 4)?);
                if h > 23 || m > 59 {
                    return None;
                }
                let seconds = (h * 3600 + m * 60) as i64;
                if *sign == b'-' {
                    -seconds
                } else {
                    seconds
                }
            }
            _ => return None,
        };
        let local_date = NaiveDate::from_ymd_opt(year, month, day)?;
        let days = local_date.num_days_from_ce() as i64 - UNIX_EPOCH_DAY;
        let clock = (hour * 3600 + minute * 60 + second) as i64;
        Some(Moment {
            seconds: days * 86_400 + clock - offset,
            nanos,
            local_date,
        })
    }
}

/// Two ASCII digits at `at`.
fn two(b: &[u8], at: usize) -> Option<u32> {
    digits(b.get(at..at + 2)?)
}

/// ASCII digits as a number (at most nine of them).
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};
    use proptest::prelude::*;

    fn by_chrono(text: &str) -> Result<Moment, String> {
        text.parse::<LocalTime>()
            .map(|t| Moment::of(&t))
            .map_err(|e| e.to_string())
    }

    fn by_hand(text: &str) -> Result<Moment, String> {
        Moment::parse(text).map_err(|e| e.to_string())
    }

    #[test]
    fn written_stamps_read_by_hand_as_chrono_reads_them() {
        for text in [
            "2025-03-04T09:15:00+08:00",
            "2025-03-04T00:15:00+08:00",
            "2025-03-04T23:59:59-11:30",
            "1969-12-31T23:59:59Z",
            "1960-01-01T00:00:30+00:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59.999999999-23:59",
            "2024-02-29T12:00:00.5000+05:45",
            "2025-06-30T12:00:00.123+05:45",
            "2025-06-30T12:00:00.123456-00:00",
        ] {
            assert_eq!(by_hand(text), by_chrono(text), "{text}");
        }
        // Read by hand (not left to chrono): the shape written.
        assert!(Moment::parse_written(b"2025-06-30T12:00:00.123456+05:45").is_some());
        assert!(Moment::parse_written(b"2025-03-04T09:15:00Z").is_some());
    }

    #[test]
    fn other_spellings_are_chrono_s_to_read_or_refuse() {
        for text in [
            "2025-03-04 09:15:00+08:00",
            "2025-03-04t09:15:00z",
            "+12025-03-04T09:15:00+08:00",
            "2016-12-31T23:59:60Z",
            "2025-03-04T09:15:00.1234+08:00",
            "2025-03-04T09:15:00+0800",
            "2025-03-04T09:15:00+08",
            "2025-03-04T09:15+08:00",
            "2025-03-04T09:15:00+08:00 ",
        ] {
            assert!(Moment::parse_written(text.as_bytes()).is_none(), "{text}");
            assert_eq!(by_hand(text), by_chrono(text), "{text}");
        }
    }

    #[test]
    fn bad_stamps_are_refused_as_chrono_refuses_them() {
        for text in [
            "",
            "2025",
            "2025-02-30T09:15:00+08:00",
            "2025-13-01T09:15:00+08:00",
            "2025-00-10T09:15:00+08:00",
            "2025-03-04T24:00:00+08:00",
            "2025-03-04T09:60:00+08:00",
            "2025-03-04T09:15:00+24:00",
            "2025-03-04T09:15:00+08:60",
            "2025-03-04T09:15:00",
            "2025-03-04T09:15:00+08:00x",
            "２０２５-03-04T09:15:00+08:00",
            "2025-03-04T09:15:00.+08:00",
            "二〇二五年三月四日",
        ] {
            let chrono = by_chrono(text);
            assert!(chrono.is_err(), "{text}");
            assert_eq!(by_hand(text), chrono, "{text}");
            assert_eq!(Moment::parse_stored(text.as_bytes()), None, "{text}");
        }
        // Bytes that are not text are no time stamp.
        assert_eq!(Moment::parse_stored(b"2025-03-04T09:15:00+08:0\xff"), None);
        assert_eq!(Moment::parse_stored(b"\xe6\x98"), None);
    }

    proptest! {
        #[test]
        fn any_time_written_by_chrono_reads_alike(
            seconds in -62_000_000_000i64..253_000_000_000i64,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000, (0u32..1000).prop_map(|m| m * 1_000_000)],
            offset in -86_399i32..86_400,
        ) {
            let zone = FixedOffset::east_opt(offset).unwrap();
            let time = zone.timestamp_opt(seconds, nanos).unwrap();
            let text = serde_json::to_value(time).unwrap();
            let text = text.as_str().unwrap();
            prop_assert_eq!(by_hand(text), by_chrono(text));
            prop_assert_eq!(Moment::parse_stored(text.as_bytes()), by_chrono(text).ok());
            // Written with a whole-minute offset, the stamp reads back the same instant.
            if offset % 60 == 0 {
                let read = Moment::parse(text).unwrap();
                prop_assert!(read.same_instant(&Moment::of(&time)));
                prop_assert_eq!(read, Moment::of(&time));
            }
        }
    }
}
