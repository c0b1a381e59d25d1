use super::rules::{clean_text, Field, FieldError, Problem};
use super::{Id, LocalTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VisitStatus {
    Planned,
    Done,
    Cancelled,
}

impl VisitStatus {
    pub const ALL: [VisitStatus; 3] = [
        VisitStatus::Planned,
        VisitStatus::Done,
        VisitStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VisitStatus::Planned => "planned",
            VisitStatus::Done => "done",
            VisitStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<VisitStatus> {
        let text = text.trim().to_lowercase();
        VisitStatus::ALL.into_iter().find(|s| s.code() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: Id,
    pub firm: Id,
    pub start: LocalTime,
    pub duration_min: u32,
    pub location: String,
    /// Who leads the visit, e.g. the zone's leader.
    pub lead: String,
    pub attendees: Vec<String>,
    pub purpose: String,
    pub status: VisitStatus,
    pub minutes: String,
    pub created: LocalTime,
    pub updated: LocalTime,
}

pub const MAX_DURATION_MIN: u32 = 24 * 60;

impl Visit {
    pub fn validated(mut self) -> Result<Visit, FieldError> {
        if self.duration_min == 0 {
            return Err(FieldError::new(Field::Duration, Problem::ZeroDuration));
        }
        if self.duration_min > MAX_DURATION_MIN {
            return Err(FieldError::new(
                Field::Duration,
                Problem::DurationTooLong {
                    max_minutes: MAX_DURATION_MIN,
                },
            ));
        }
        self.location = clean_text(Field::Location, &self.location, false, 200, false)?;
        self.lead = clean_text(Field::Lead, &self.lead, false, 60, false)?;
        self.purpose = clean_text(Field::Purpose, &self.purpose, false, 2_000, true)?;
        self.minutes = clean_text(Field::Minutes, &self.minutes, false, 100_000, true)?;
        let mut attendees = Vec::new();
        for name in &self.attendees {
            let name = clean_text(Field::Attendees, name, false, 60, false)?;
            if !name.is_empty() {
                attendees.push(name);
            }
        }
        self.attendees = attendees;
        Ok(self)
    }

    pub fn end(&self) -> LocalTime {
        self.start + chrono::Duration::minutes(i64::from(self.duration_min))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn visit() -> Visit {
        let start = DateTime::parse_from_rfc3339("2026-12-13T09:30:00+08:00").unwrap();
        Visit {
            id: Id::new(),
            firm: Id::new(),
            start,
            duration_min: 90,
            location: " 会议室 ".into(),
            lead: "陈文锋".into(),
            attendees: vec!["".into(), "经科局".into()],
            purpose: "了解增资扩产".into(),
            status: VisitStatus::Planned,
            minutes: String::new(),
            created: start,
            updated: start,
        }
    }

    #[test]
    fn a_visit_needs_a_sensible_duration() {
        let ok = visit().validated().unwrap();
        assert_eq!(ok.location, "会议室");
        assert_eq!(ok.attendees, vec!["经科局"]);
        assert_eq!(ok.end().to_rfc3339(), "2026-12-13T11:00:00+08:00");
        let zero = Visit {
            duration_min: 0,
            ..visit()
        };
        assert_eq!(zero.validated().unwrap_err().field, Field::Duration);
        let long = Visit {
            duration_min: 25 * 60,
            ..visit()
        };
        assert_eq!(long.validated().unwrap_err().field, Field::Duration);
    }

    #[test]
    fn visit_status_parses_its_codes() {
        for status in VisitStatus::ALL {
            assert_eq!(VisitStatus::parse(status.code()), Some(status));
        }
        assert_eq!(VisitStatus::parse("maybe"), None);
    }
}
