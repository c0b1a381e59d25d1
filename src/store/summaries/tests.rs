use super::*;
use crate::model::{LocalTime, Resolution};
use chrono::{FixedOffset, TimeZone};
use proptest::prelude::*;

fn time(seconds: i64, nanos: u32, offset: i32) -> LocalTime {
    FixedOffset::east_opt(offset)
        .unwrap()
        .timestamp_opt(seconds, nanos)
        .unwrap()
}

fn any_time() -> impl Strategy<Value = LocalTime> {
    (
        -62_000_000_000i64..253_000_000_000,
        prop_oneof![
            Just(0u32),
            0u32..1_000_000_000,
            (0u32..1000).prop_map(|m| m * 1_000_000)
        ],
        // Offsets of whole minutes (as laptops have) and odd ones chrono writes rounded.
        prop_oneof![(-1439i32..1440).prop_map(|m| m * 60), -86_399i32..86_400],
    )
        .prop_map(|(s, n, o)| time(s, n, o))
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9 ]{0,20}",
        "[\u{4e00}-\u{9fa5}]{1,80}",
        "[a-z\u{4e00}-\u{4e10}ÄÖß]{200,400}",
    ]
}

fn any_issue() -> impl Strategy<Value = Issue> {
    let ids = || any::<u128>().prop_map(|n| Id::from_slice(&n.to_be_bytes()).unwrap());
    (
        (
            ids(),
            prop_oneof![0u32..300, 0u32..70_000, any::<u32>()],
            ids(),
            proptest::option::of(ids()),
            any_text(),
            any_text(),
            proptest::option::of(ids()),
            proptest::option::of(ids()),
        ),
        (
            any_text(),
            0usize..4,
            0usize..5,
            proptest::option::of(-400_000i32..3_000_000),
            proptest::option::of((0usize..3, any_text())),
            any_time(),
            any_time(),
            proptest::collection::vec(any_text(), 0..300),
            proptest::option::of(any_time()),
        ),
    )
        .prop_map(
            |(
                (id, number, firm, visit, title, detail, category, department),
                (owner, priority, status, due, resolution, created, updated, tags, closed),
            )| Issue {
                id,
                number,
                firm,
                visit,
                title,
                detail,
                category,
                department,
                owner,
                priority: Priority::ALL[priority],
                status: Status::ALL[status],
                due: due.and_then(NaiveDate::from_num_days_from_ce_opt),
                resolution: resolution.map(|(kind, text)| Resolution {
                    kind: ResolutionKind::ALL[kind],
                    text,
                }),
                created,
                updated,
                tags,
                closed,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_stored_item_reads_as_the_summary_of_the_decoded_item(issue in any_issue()) {
        let value = codec::encode(&issue);
        let summary = decode_summary(&value);
        // chrono writes an offset rounded to minutes, and refuses to read back ±24:00.
        let Ok(whole) = codec::decode::<Issue>(&value) else {
            prop_assert!(summary.is_none());
            return Ok(());
        };
        // Times past 9999 are left to chrono; everything else is read here.
        let ordinary = [Some(&issue.created), Some(&issue.updated), issue.closed.as_ref()]
            .into_iter()
            .flatten()
            .all(|t| (0..=9999).contains(&chrono::Datelike::year(&t.naive_local())));
        if ordinary && issue.updated.offset().local_minus_utc().abs() < 86_340 {
            prop_assert!(summary.is_some());
        }
        if let Some(summary) = summary {
            prop_assert_eq!(&summary, &whole.summary());
            prop_assert_eq!(summary.awaiting_call(), whole.awaiting_call());
        }
    }

    #[test]
    fn damaged_bytes_read_alike_both_ways(issue in any_issue(), at in any::<usize>(), byte in any::<u8>()) {
        let mut value = codec::encode(&issue);
        let at = codec::HEADER_LEN + at % (value.len() - codec::HEADER_LEN);
        value[at] = byte;
        // A fresh checksum: the payload itself is what is wrong, as a buggy writer would leave it.
        let crc = crc32fast::hash(&value[codec::HEADER_LEN..]).to_be_bytes();
        value[3..7].copy_from_slice(&crc);
        let full = codec::decode::<Issue>(&value);
        match (decode_summary(&value), full) {
            (Some(summary), Ok(whole)) => prop_assert_eq!(summary, whole.summary()),
            (Some(summary), Err(e)) => prop_assert!(false, "read {summary:?}, but the decoder says {e}"),
            (None, _) => {}
        }
    }
}

#[test]
fn awaiting_call_compares_instants_not_offsets() {
    let closed = time(1_750_000_000, 0, 8 * 3600);
    let issue = Issue {
        status: Status::Closed,
        updated: closed.with_timezone(&FixedOffset::east_opt(0).unwrap()),
        closed: Some(closed),
        ..sample()
    };
    assert!(issue.awaiting_call());
    let value = codec::encode(&issue);
    let summary = decode_summary(&value).unwrap();
    assert!(summary.awaiting_call());
    let later = Issue {
        updated: time(1_750_000_000, 1_000_000, 0),
        ..issue
    };
    let value = codec::encode(&later);
    assert!(!decode_summary(&value).unwrap().awaiting_call());
    assert!(!later.awaiting_call());
}

#[test]
fn a_stored_time_chrono_refuses_is_the_full_decoder_s_error() {
    let good = sample();
    let raw = |created: &str, due: Option<&str>| {
        crate::store::testing::issue_with_text_times(&good, created, due)
    };
    for (created, due) in [
        ("2025-02-30T09:15:00+08:00", None),
        ("2025-03-04T09:15:00+08:00", Some("2025-02-30")),
        ("2025-03-04T09:15:00", None),
        ("昨天", None),
        ("2025-03-04T25:15:00+08:00", None),
        ("2025-03-04T09:15:00+08:00", Some("2025-3-4x")),
    ] {
        let value = raw(created, due);
        assert!(decode_summary(&value).is_none(), "{created} {due:?}");
        assert!(matches!(
            codec::decode::<Issue>(&value),
            Err(codec::DecodeError::Payload { .. })
        ));
    }
    // Spellings chrono accepts read the same both ways.
    for (created, due) in [
        ("2025-03-04 09:15:00+08:00", Some("2025-03-04")),
        ("2016-12-31T23:59:60Z", Some("+12025-01-01")),
        ("2025-03-04T09:15:00.1+05:45", None),
    ] {
        let value = raw(created, due);
        let whole: Issue = codec::decode(&value).unwrap();
        assert_eq!(
            decode_summary(&value).unwrap(),
            whole.summary(),
            "{created}"
        );
    }
}

fn sample() -> Issue {
    Issue {
        id: Id::new(),
        number: 1,
        firm: Id::new(),
        visit: None,
        title: "用地指标".into(),
        detail: "详情".into(),
        category: None,
        department: None,
        owner: "李".into(),
        priority: Priority::Normal,
        status: Status::New,
        due: None,
        resolution: None,
        created: time(1_700_000_000, 0, 8 * 3600),
        updated: time(1_700_000_000, 0, 8 * 3600),
        tags: Vec::new(),
        closed: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The item read by hand is the full decoder's to the offset of every time stamp (`==`
    /// on times compares instants only, so they are compared as written out).
    #[test]
    fn a_stored_item_reads_by_hand_as_the_full_decoder_reads_it(issue in any_issue()) {
        let value = codec::encode(&issue);
        match (decode_issue(&value), codec::decode::<Issue>(&value)) {
            (Ok(by_hand), Ok(whole)) => {
                prop_assert_eq!(format!("{by_hand:?}"), format!("{whole:?}"));
                prop_assert_eq!(&by_hand, &whole);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "by hand {a:?}, full decoder {b:?}"),
        }
        // The ordinary shape is read by hand, not handed on.
        let ordinary = [Some(&issue.created), Some(&issue.updated), issue.closed.as_ref()]
            .into_iter()
            .flatten()
            .all(|t| {
                (0..=9999).contains(&chrono::Datelike::year(&t.naive_local()))
                    && t.offset().local_minus_utc() % 60 == 0
                    && t.offset().local_minus_utc().abs() < 86_340
            });
        if ordinary {
            prop_assert!(decode_issue_by_hand(&value).is_some());
        }
    }

    #[test]
    fn a_damaged_item_reads_alike_by_hand_and_by_the_full_decoder(issue in any_issue(), at in any::<usize>(), byte in any::<u8>()) {
        let mut value = codec::encode(&issue);
        let at = codec::HEADER_LEN + at % (value.len() - codec::HEADER_LEN);
        value[at] = byte;
        let crc = crc32fast::hash(&value[codec::HEADER_LEN..]).to_be_bytes();
        value[3..7].copy_from_slice(&crc);
        match (decode_issue(&value), codec::decode::<Issue>(&value)) {
            (Ok(by_hand), Ok(whole)) => prop_assert_eq!(format!("{by_hand:?}"), format!("{whole:?}")),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "by hand {a:?}, full decoder {b:?}"),
        }
    }
}

#[test]
fn stamps_in_z_and_in_odd_spellings_read_as_chrono_reads_them() {
    for text in [
        "2025-03-04T09:15:00Z",
        "2025-03-04T09:15:00.123+08:00",
        "2025-03-04T09:15:00.123456789-05:30",
        "2025-03-04T09:15:00+00:00",
        "2025-03-04 09:15:00+08:00",
        "2025-03-04T09:15:00+0800",
        "2025-06-30T23:59:60.5+00:00",
    ] {
        let mut stored = Vec::new();
        let len = u8::try_from(text.len()).unwrap();
        stored.push(len);
        stored.extend_from_slice(text.as_bytes());
        let by_hand = Reader(&stored).time().and_then(stamp);
        match text.parse::<LocalTime>() {
            Ok(time) => {
                if let Some(by_hand) = by_hand {
                    assert_eq!(format!("{by_hand:?}"), format!("{time:?}"), "{text}");
                }
            }
            Err(_) => assert!(by_hand.is_none(), "{text}"),
        }
    }
    assert!(Reader(b"\x14 2025-03-04T09:15:00Z".as_slice())
        .time()
        .and_then(stamp)
        .is_none());
    assert!(Reader(b"\x142025-03-04T09:15:00Z".as_slice())
        .time()
        .and_then(stamp)
        .is_some());
}
