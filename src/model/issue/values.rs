//! The values an item's priority, status and resolution take: codes, Chinese words, rules.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// The word Chinese ledgers use, as files exported for them write it.
    pub fn chinese(self) -> &'static str {
        match self {
            Priority::Low => "低",
            Priority::Normal => "中",
            Priority::High => "高",
            Priority::Urgent => "急",
        }
    }

    /// Accepts the English code, its first letter, or the Chinese word (低/中/高/急).
    pub fn parse(text: &str) -> Option<Priority> {
        let text = text.trim().to_lowercase();
        Priority::ALL.into_iter().find(|p| {
            let code = p.code();
            text == code || text == code[..1] || text == p.chinese()
        })
    }
}

/// Where an item stands. The order is the life cycle: new → assigned → in progress → answered
/// → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    New,
    Assigned,
    InProgress,
    Answered,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::Assigned,
        Status::InProgress,
        Status::Answered,
        Status::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Assigned => "assigned",
            Status::InProgress => "in-progress",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }

    /// The word Chinese ledgers use, as files exported for them write it.
    pub fn chinese(self) -> &'static str {
        match self {
            Status::New => "新建",
            Status::Assigned => "已交办",
            Status::InProgress => "办理中",
            Status::Answered => "已答复",
            Status::Closed => "已办结",
        }
    }

    /// Accepts the English code (`in progress` and `in_progress` too) or the Chinese word.
    pub fn parse(text: &str) -> Option<Status> {
        let text = text.trim().to_lowercase().replace(['_', ' '], "-");
        Status::ALL
            .into_iter()
            .find(|s| s.code() == text || s.chinese() == text)
    }

    /// One byte for index keys; stable across versions.
    pub fn as_byte(self) -> u8 {
        self as u8
    }

    pub fn from_byte(byte: u8) -> Option<Status> {
        Status::ALL.get(usize::from(byte)).copied()
    }

    pub fn is_open(self) -> bool {
        self != Status::Closed
    }

    /// The allowed moves. Closing is possible from every open state (an item can be resolved on
    /// the spot or withdrawn); a closed item can only be reopened into progress.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (New, Assigned)
                | (New, Closed)
                | (Assigned, New)
                | (Assigned, InProgress)
                | (Assigned, Answered)
                | (Assigned, Closed)
                | (InProgress, Assigned)
                | (InProgress, Answered)
                | (InProgress, Closed)
                | (Answered, InProgress)
                | (Answered, Closed)
                | (Closed, InProgress)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResolutionKind {
    /// The answer was given to the firm.
    Answered,
    /// Solved during the meeting itself.
    OnTheSpot,
    /// The firm withdrew it, or it turned out not to be needed.
    Withdrawn,
}

impl ResolutionKind {
    pub const ALL: [ResolutionKind; 3] = [
        ResolutionKind::Answered,
        ResolutionKind::OnTheSpot,
        ResolutionKind::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ResolutionKind::Answered => "answered",
            ResolutionKind::OnTheSpot => "on-the-spot",
            ResolutionKind::Withdrawn => "withdrawn",
        }
    }

    /// The word Chinese ledgers use, as files exported for them write it.
    pub fn chinese(self) -> &'static str {
        match self {
            ResolutionKind::Answered => "答复办结",
            ResolutionKind::OnTheSpot => "现场解决",
            ResolutionKind::Withdrawn => "企业撤回",
        }
    }

    /// Accepts the English code (`on the spot` too) or the Chinese word.
    pub fn parse(text: &str) -> Option<ResolutionKind> {
        let text = text.trim().to_lowercase().replace(['_', ' '], "-");
        ResolutionKind::ALL
            .into_iter()
            .find(|k| k.code() == text || k.chinese() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub kind: ResolutionKind,
    /// What the firm was told.
    pub text: String,
}
