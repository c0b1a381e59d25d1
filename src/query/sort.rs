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
        SortKey::Due => sort_by_small_key(issues, due_key),
        SortKey::Priority => sort_by_small_key(issues, |i| {
            (
                !i.status.is_open(),
                std::cmp::Reverse(i.priority),
                due_key(i),
            )
        }),
        SortKey::Age => sort_by_small_key(issues, |i| (!i.status.is_open(), i.created, i.number)),
        SortKey::Updated => sort_by_small_key(issues, |i| (std::cmp::Reverse(i.updated), i.number)),
        SortKey::Firm => sort_by_small_key(issues, |i| (firm_name(i.firm), due_key(i))),
    }
}

/// A stable sort by `key` that sorts the keys and moves each item once: an item is a few
/// hundred bytes, which a sort of tens of thousands moves many times over.
fn sort_by_small_key<K: Ord>(issues: &mut [Issue], key: impl Fn(&Issue) -> K) {
    // The position breaks ties: the order of a stable sort.
    let mut order: Vec<(K, usize)> = issues.iter().map(&key).zip(0..).collect();
    order.sort_unstable();
    // Position `k` receives the item at `from[k]`; each cycle is followed once.
    let mut from: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        let mut at = start;
        loop {
            let source = from[at];
            from[at] = at;
            if source == start || source == at {
                break;
            }
            issues.swap(at, source);
            at = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_key_sort_is_a_stable_sort() {
        // Keys with ties, in an order with long and short cycles.
        let keys = [5u8, 3, 5, 1, 0, 3, 9, 1, 1, 0, 7, 5, 2, 2, 8, 0];
        let mut issues: Vec<Issue> = keys
            .iter()
            .zip(0..)
            .map(|(&k, n)| {
                let now = chrono::DateTime::parse_from_rfc3339("2026-12-16T15:00:00+08:00");
                let draft = crate::model::IssueDraft::new(Id::new(), "t");
                let mut issue = draft.into_issue(Id::new(), n, now.unwrap()).unwrap();
                issue.owner = k.to_string();
                issue
            })
            .collect();
        let mut expected = issues.clone();
        expected.sort_by_key(|i| i.owner.clone());
        sort_by_small_key(&mut issues, |i| i.owner.clone());
        let numbers = |v: &[Issue]| v.iter().map(|i| i.number).collect::<Vec<_>>();
        assert_eq!(numbers(&issues), numbers(&expected));
        assert_ne!(numbers(&issues), (0..16).collect::<Vec<_>>());
    }
}
