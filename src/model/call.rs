//! The follow-up call (回访): after an item is closed, the officer calls the firm and records
//! its verdict. It is a history event (`Change::Call`), so no record changes shape.

use serde::{Deserialize, Serialize};

/// What the firm said of how its item was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Verdict {
    Satisfied,
    BasicallySatisfied,
    NotSatisfied,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [
        Verdict::Satisfied,
        Verdict::BasicallySatisfied,
        Verdict::NotSatisfied,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Satisfied => "satisfied",
            Verdict::BasicallySatisfied => "basically-satisfied",
            Verdict::NotSatisfied => "not-satisfied",
        }
    }

    /// The word Chinese ledgers use.
    pub fn chinese(self) -> &'static str {
        match self {
            Verdict::Satisfied => "满意",
            Verdict::BasicallySatisfied => "基本满意",
            Verdict::NotSatisfied => "不满意",
        }
    }

    /// Satisfied and basically satisfied both count towards the satisfaction rate, as the
    /// zones' 满意率 counts them.
    pub fn is_satisfied(self) -> bool {
        self != Verdict::NotSatisfied
    }

    /// Accepts the English code (spaces or underscores for hyphens) or the Chinese word.
    pub fn parse(text: &str) -> Option<Verdict> {
        let text = text.trim().to_lowercase().replace(['_', ' '], "-");
        Verdict::ALL
            .into_iter()
            .find(|v| v.code() == text || v.chinese() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_parse_their_codes_and_chinese_words() {
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.code()), Some(v));
            assert_eq!(Verdict::parse(v.chinese()), Some(v));
        }
        assert_eq!(
            Verdict::parse("Basically satisfied"),
            Some(Verdict::BasicallySatisfied)
        );
        assert_eq!(Verdict::parse("happy"), None);
        assert!(!Verdict::NotSatisfied.is_satisfied());
    }
}
