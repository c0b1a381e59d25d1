use super::*;
use crate::model::{Id, Priority, ResolutionKind, Status};
use chrono::{FixedOffset, NaiveDate, TimeZone};
use proptest::prelude::*;
use std::collections::HashMap;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[\u{4e00}-\u{9fa5}]{1,60}",
        "[a-z中\"\\\\\u{0}-\u{1f}\u{7f}-\u{a0}é]{0,30}",
        "\\PC{0,20}",
    ]
}

fn id(n: u128) -> Id {
    Id::from_slice(&n.to_be_bytes()).unwrap()
}

fn names() -> Names {
    Names {
        firms: HashMap::from([(id(1), "张家边\"泰宏\"\u{85}".to_string())]),
        departments: HashMap::from([(id(2), "财政\\金融局".to_string())]),
        categories: HashMap::from([(id(3), ("fin\u{7f}".to_string(), "金融".to_string()))]),
        visit_days: HashMap::new(),
        damaged: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Field by field, the bytes serde writes for the same struct: with and without a
    /// history, every optional field present or not, texts with every kind of escape.
    #[test]
    fn an_item_is_written_by_hand_as_serde_writes_it(
        (title, detail, owner, response) in (text(), text(), text(), text()),
        tags in proptest::collection::vec(text(), 0..4),
        (number, seconds, nanos, offset) in (any::<u32>(), 0i64..4_000_000_000, 0u32..1_000_000_000, -50_000i32..50_000),
        (some, resolved, due) in (any::<bool>(), any::<bool>(), proptest::option::of(0i32..3_000_000)),
    ) {
        let time = FixedOffset::east_opt(offset).unwrap().timestamp_opt(seconds, nanos).unwrap();
        let issue = Issue {
            id: id(u128::from(number) << 64 | 9),
            number,
            firm: if some { id(1) } else { id(5) },
            visit: some.then(|| id(4)),
            title,
            detail,
            category: some.then(|| id(3)),
            department: some.then(|| id(2)),
            owner,
            priority: Priority::ALL[number as usize % Priority::ALL.len()],
            status: Status::ALL[number as usize % Status::ALL.len()],
            due: due.and_then(NaiveDate::from_num_days_from_ce_opt),
            resolution: resolved.then(|| Resolution {
                kind: ResolutionKind::ALL[number as usize % ResolutionKind::ALL.len()],
                text: response.clone(),
            }),
            created: time,
            updated: time,
            tags,
            closed: resolved.then_some(time),
        };
        let events = vec![
            IssueEvent { id: id(11), issue: issue.id, at: time, author: "王伟\t".into(), change: Change::Created },
            IssueEvent {
                id: id(12),
                issue: issue.id,
                at: time,
                author: String::new(),
                change: Change::Response { text: response, to_firm: some },
            },
        ];
        let names = names();
        for item in [
            item_json(&issue, &events, &names),
            item_json(&issue, &[], &names),
            IssueJson::of(
                &issue,
                ItemNames {
                    firm: "名\u{9b}",
                    department: names.department(issue.department),
                    category: None,
                },
            ),
        ] {
            let mut by_hand = Vec::new();
            item.write_to(&mut by_hand).unwrap();
            prop_assert_eq!(String::from_utf8(by_hand).unwrap(), crate::transfer::json::to_string(&item));
        }
    }
}
