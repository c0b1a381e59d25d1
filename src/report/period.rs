//! The span a report covers: a week (from the week-start setting), a month, a quarter, a
//! year or a range of days, each with the one before it and the same one a year earlier.

use crate::model::when::WeekStart;
use chrono::{Datelike, Duration, Months, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
    Year,
    /// Chosen days, `from` to `to`.
    Range,
}

impl PeriodKind {
    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
            PeriodKind::Range => "range",
        }
    }

    pub fn parse(text: &str) -> Option<PeriodKind> {
        match text.trim().to_lowercase().as_str() {
            "week" | "w" | "周" => Some(PeriodKind::Week),
            "month" | "m" | "月" => Some(PeriodKind::Month),
            "quarter" | "q" | "季度" => Some(PeriodKind::Quarter),
            "year" | "y" | "年" => Some(PeriodKind::Year),
            _ => None,
        }
    }
}

/// Days `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub week_start: WeekStart,
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("day 1 exists")
}

impl Period {
    /// The period of `kind` that holds `day` (not for `Range`, which `range` makes).
    pub fn containing(kind: PeriodKind, day: NaiveDate, week_start: WeekStart) -> Period {
        let (from, to) = match kind {
            PeriodKind::Week => {
                let from = week_start.first_day(day);
                (from, from + Duration::days(6))
            }
            PeriodKind::Month => {
                let from = month_start(day);
                (from, from + Months::new(1) - Duration::days(1))
            }
            PeriodKind::Quarter => {
                let first_month = (day.month0() / 3) * 3 + 1;
                let from = NaiveDate::from_ymd_opt(day.year(), first_month, 1).expect("valid");
                (from, from + Months::new(3) - Duration::days(1))
            }
            PeriodKind::Year | PeriodKind::Range => {
                let from = NaiveDate::from_ymd_opt(day.year(), 1, 1).expect("valid");
                (from, from + Months::new(12) - Duration::days(1))
            }
        };
        let kind = if kind == PeriodKind::Range {
            PeriodKind::Year
        } else {
            kind
        };
        Period {
            kind,
            from,
            to,
            week_start,
        }
    }

    /// Chosen days; `None` when `from` is after `to`.
    pub fn range(from: NaiveDate, to: NaiveDate, week_start: WeekStart) -> Option<Period> {
        (from <= to).then_some(Period {
            kind: PeriodKind::Range,
            from,
            to,
            week_start,
        })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The period just before: the previous week, month …; for a range, as many days
    /// ending the day before.
    pub fn previous(&self) -> Period {
        match self.kind {
            PeriodKind::Range => Period {
                from: self.from - Duration::days(self.days()),
                to: self.from - Duration::days(1),
                ..*self
            },
            kind => Period::containing(kind, self.from - Duration::days(1), self.week_start),
        }
    }

    /// The period just after.
    pub fn next(&self) -> Period {
        match self.kind {
            PeriodKind::Range => Period {
                from: self.to + Duration::days(1),
                to: self.to + Duration::days(self.days()),
                ..*self
            },
            kind => Period::containing(kind, self.to + Duration::days(1), self.week_start),
        }
    }

    /// The same period a year earlier: for a week the one 52 weeks before (same weekdays);
    /// otherwise the same days of the year before (29 February becomes the 28th).
    pub fn year_earlier(&self) -> Period {
        let back = |d: NaiveDate| d - Months::new(12);
        match self.kind {
            PeriodKind::Week => Period {
                from: self.from - Duration::weeks(52),
                to: self.to - Duration::weeks(52),
                ..*self
            },
            PeriodKind::Range => Period {
                from: back(self.from),
                to: back(self.to),
                ..*self
            },
            kind => Period::containing(kind, back(self.from), self.week_start),
        }
    }

    /// How people name it: `2025-12-15 – 2025-12-21`, `2025-12`, `2025 Q4`, `2025`.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => self.from.format("%Y-%m").to_string(),
            PeriodKind::Quarter => format!("{} Q{}", self.from.year(), self.from.month0() / 3 + 1),
            PeriodKind::Year => self.from.year().to_string(),
            PeriodKind::Week | PeriodKind::Range => format!("{} – {}", self.from, self.to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_hold_their_day_and_step_across_year_ends() {
        let w = Period::containing(PeriodKind::Week, day(2025, 12, 17), WeekStart::Monday);
        assert_eq!((w.from, w.to), (day(2025, 12, 15), day(2025, 12, 21)));
        let s = Period::containing(PeriodKind::Week, day(2025, 12, 17), WeekStart::Sunday);
        assert_eq!((s.from, s.to), (day(2025, 12, 14), day(2025, 12, 20)));
        let m = Period::containing(PeriodKind::Month, day(2025, 12, 31), WeekStart::Monday);
        assert_eq!((m.from, m.to), (day(2025, 12, 1), day(2025, 12, 31)));
        assert_eq!(m.next().label(), "2026-01");
        assert_eq!(m.next().previous(), m);
        let q = Period::containing(PeriodKind::Quarter, day(2026, 1, 1), WeekStart::Monday);
        assert_eq!(q.label(), "2026 Q1");
        assert_eq!(q.previous().label(), "2025 Q4");
        assert_eq!(q.previous().to, day(2025, 12, 31));
        let y = Period::containing(PeriodKind::Year, day(2024, 2, 29), WeekStart::Monday);
        assert_eq!(y.year_earlier().label(), "2023");
        let r = Period::range(day(2024, 2, 29), day(2024, 3, 2), WeekStart::Monday).unwrap();
        assert_eq!(r.previous().to, day(2024, 2, 28));
        assert_eq!(r.previous().days(), 3);
        assert_eq!(r.year_earlier().from, day(2023, 2, 28));
        assert!(Period::range(day(2024, 3, 2), day(2024, 3, 1), WeekStart::Monday).is_none());
        assert_eq!(w.year_earlier().from.weekday(), w.from.weekday());
    }
}
