use crate::model::{Id, Issue};

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
        // The Chinese names as the queue shows them.
        let text = match text.as_str() {
            "期限" => "due",
            "优先级" => "priority",
            "时长" => "age",
            "企业" => "firm",
            "更新" => "updated",
            other => other,
        };
        SortKey::ALL.into_iter().find(|k| k.code() == text)
    }

    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }
}

/// Sorts items in memory for the orders no index keeps.
pub fn sort_issues(issues: &mut [Issue], sort: SortKey, firm_name: &dyn Fn(Id) -> String) {
    let due_key = |i: &Issue| (!i.status.is_open(), i.due.is_none(), i.due, i.number);
    match sort {
        SortKey::Due => issues.sort_by_key(due_key),
        SortKey::Priority => issues.sort_by_key(|i| {
            (
                !i.status.is_open(),
                std::cmp::Reverse(i.priority),
                due_key(i),
            )
        }),
        SortKey::Age => issues.sort_by_key(|i| (!i.status.is_open(), i.created, i.number)),
        SortKey::Updated => issues.sort_by_key(|i| (std::cmp::Reverse(i.updated), i.number)),
        SortKey::Firm => issues.sort_by_cached_key(|i| (firm_name(i.firm), due_key(i))),
    }
}
