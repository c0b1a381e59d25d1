/// The orders of the queue.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum SortKey {
    /// Open first, soonest due first, no due date last.
    #[default]
    Due,
    /// Most urgent first, then soonest due.
    Priority,
    /// Oldest first: what has waited longest.
    Age,
    /// By firm (pinyin order), then due.
    Firm,
    /// Most recently changed first.
    Updated,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Due,
        SortKey::Priority,
        SortKey::Age,
        SortKey::Firm,
        SortKey::Updated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortKey::Due => "due",
            SortKey::Priority => "priority",
            SortKey::Age => "age",
            SortKey::Firm => "firm",
            SortKey::Updated => "updated",
        }
    }

    pub fn parse(text: &str) -> Option<SortKey> {
        let text = text.trim().to_lowercase();
        let text = if text == "prio" {
            "priority".to_string()
        } else {
            text
        };
        SortKey::ALL.into_iter().find(|k| k.code() == text)
    }

    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }
}
