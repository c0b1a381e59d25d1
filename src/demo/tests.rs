use super::*;
use crate::model::Status;
use chrono::{DateTime, NaiveDate};

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

#[test]
fn the_article_visits_fall_in_the_latest_past_december() {
    assert_eq!(
        article::article_year(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()),
        2025
    );
    assert_eq!(
        article::article_year(NaiveDate::from_ymd_opt(2026, 12, 16).unwrap()),
        2025
    );
    assert_eq!(
        article::article_year(NaiveDate::from_ymd_opt(2026, 12, 17).unwrap()),
        2026
    );
}

#[test]
fn the_demo_has_the_article_firms_visits_and_items() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let seeded = seed(&store, &DemoOptions::default(), now()).unwrap();
    assert_eq!(
        seeded,
        Seeded {
            firms: 8,
            visits: 13,
            issues: 20
        }
    );
    let firms = store.firms().unwrap().records;
    assert!(firms.iter().any(|f| f.name == "中山生物工程有限公司"));
    assert!(firms
        .iter()
        .any(|f| f.name == "中山未名海济生物医药有限公司"));
    let visits: Vec<_> = store
        .visit_ids_by_time()
        .unwrap()
        .into_iter()
        .map(|id| store.visit(id).unwrap().unwrap())
        .collect();
    let december: Vec<_> = visits
        .iter()
        .filter(|v| v.start.date_naive().to_string().starts_with("2025-12-1"))
        .collect();
    assert_eq!(december.len(), 8);
    assert!(december
        .iter()
        .all(|v| v.lead == "陈文锋" && v.status == VisitStatus::Done && !v.minutes.is_empty()));
    assert!(visits
        .iter()
        .any(|v| v.start > now() && v.status == VisitStatus::Planned));
    let counts = store.counts().unwrap();
    assert_eq!(counts.issues(), 20);
    assert!(counts.issues_by_status[Status::Closed.as_byte() as usize] >= 3);
    assert!(counts.issues_by_status[Status::Answered.as_byte() as usize] >= 2);
    assert!(store.overdue_count(now().date_naive()).unwrap() >= 3);
    assert_eq!(store.user().unwrap().as_deref(), Some("企业服务中心 李晓"));
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn synthetic_data_is_deterministic_and_consistent() {
    let options = DemoOptions {
        firms: 60,
        visits: 200,
        issues: 500,
        seed: 7,
    };
    let mut dumps = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let seeded = seed(&store, &options, now()).unwrap();
        assert_eq!(
            seeded,
            Seeded {
                firms: 60,
                visits: 200,
                issues: 500
            }
        );
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        let mut issues = Vec::new();
        store
            .each_issue(|i| {
                issues.push(i.unwrap());
                Ok(())
            })
            .unwrap();
        assert!(issues
            .iter()
            .all(|i| i.due.unwrap() >= i.created.date_naive()));
        assert!(issues.iter().all(|i| i.created <= now()));
        let closed = issues.iter().filter(|i| i.status == Status::Closed).count();
        assert!((150..=400).contains(&closed), "closed: {closed}");
        let mut firm_names: Vec<String> = store
            .firms()
            .unwrap()
            .records
            .into_iter()
            .map(|f| f.name)
            .collect();
        firm_names.sort();
        dumps.push((
            firm_names,
            issues
                .iter()
                .map(|i| (i.id, i.title.clone(), i.status))
                .collect::<Vec<_>>(),
        ));
    }
    assert_eq!(dumps[0], dumps[1]);
}
