use super::*;
use chrono::DateTime;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-12-16T15:00:00+08:00").unwrap()
}

fn issue() -> Issue {
    IssueDraft::new(Id::new(), "新厂房用电增容")
        .into_issue(Id::new(), 1, now())
        .unwrap()
}

#[test]
fn tags_are_added_and_removed_once_with_one_event_that_undoes() {
    let mut item = issue();
    let tags = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let event = item
        .change_tags(&tags(&["专班", " 省重点 ", "专班", ""]), &[], "李晓", now())
        .unwrap()
        .unwrap();
    assert_eq!(item.tags, tags(&["专班", "省重点"]));
    assert_eq!(
        event.change,
        Change::Tags {
            added: tags(&["专班", "省重点"]),
            removed: vec![]
        }
    );
    assert!(item
        .change_tags(&tags(&["专班"]), &tags(&["不在"]), "李晓", now())
        .unwrap()
        .is_none());
    let before = item.clone();
    let removed = item
        .change_tags(&[], &tags(&["专班"]), "李晓", now())
        .unwrap()
        .unwrap();
    assert_eq!(item.tags, tags(&["省重点"]));
    assert_eq!(
        removed.change.inverse(),
        Some(Change::Tags {
            added: tags(&["专班"]),
            removed: vec![]
        })
    );
    item.revert(&removed, &before, "李晓", now());
    assert_eq!(item.tags, before.tags);
    let err = item
        .change_tags(&tags(&["专班、省重点"]), &[], "李晓", now())
        .unwrap_err();
    assert_eq!(err, FieldError::new(Field::Tags, Problem::Malformed));
    let err = item
        .change_tags(&tags(&["专\u{1b}班"]), &[], "李晓", now())
        .unwrap_err();
    assert_eq!(err.problem, Problem::ControlCharacter);
}

#[test]
fn a_draft_needs_a_title_and_a_due_date_not_in_the_past() {
    let err = IssueDraft::new(Id::new(), "  ")
        .into_issue(Id::new(), 1, now())
        .unwrap_err();
    assert_eq!(err, FieldError::new(Field::Title, Problem::Empty));
    let mut draft = IssueDraft::new(Id::new(), "用地");
    draft.due = NaiveDate::from_ymd_opt(2026, 12, 15);
    assert_eq!(
        draft
            .clone()
            .into_issue(Id::new(), 1, now())
            .unwrap_err()
            .field,
        Field::Due
    );
    draft.due = NaiveDate::from_ymd_opt(2026, 12, 16);
    assert!(draft.into_issue(Id::new(), 1, now()).is_ok());
}

#[test]
fn a_draft_with_a_department_starts_assigned() {
    let mut draft = IssueDraft::new(Id::new(), "用地");
    assert_eq!(
        draft
            .clone()
            .into_issue(Id::new(), 1, now())
            .unwrap()
            .status,
        Status::New
    );
    draft.department = Some(Id::new());
    assert_eq!(
        draft.into_issue(Id::new(), 1, now()).unwrap().status,
        Status::Assigned
    );
}

#[test]
fn status_transitions_follow_the_life_cycle() {
    use Status::*;
    let allowed: Vec<(Status, Status)> = Status::ALL
        .into_iter()
        .flat_map(|a| Status::ALL.into_iter().map(move |b| (a, b)))
        .filter(|(a, b)| a.can_become(*b))
        .collect();
    assert!(allowed.contains(&(New, Assigned)));
    assert!(allowed.contains(&(Answered, Closed)));
    assert!(allowed.contains(&(Closed, InProgress)));
    assert!(!allowed.contains(&(New, Answered)));
    assert!(!allowed.contains(&(Closed, New)));
    assert!(allowed.iter().all(|(a, b)| a != b));
}

#[test]
fn closing_needs_a_resolution_and_records_an_event() {
    let mut item = issue();
    let err = item
        .change_status(Status::Closed, None, "me", now())
        .unwrap_err();
    assert_eq!(err.field, Field::Resolution);
    assert_eq!(
        item.status,
        Status::New,
        "a refused change leaves the item as it was"
    );
    let event = item
        .change_status(
            Status::Closed,
            Some(Resolution {
                kind: ResolutionKind::OnTheSpot,
                text: " 现场协调供电局 ".into(),
            }),
            "me",
            now(),
        )
        .unwrap();
    assert_eq!(item.status, Status::Closed);
    assert_eq!(item.resolution.as_ref().unwrap().text, "现场协调供电局");
    assert!(matches!(
        event.change,
        Change::Status {
            from: Status::New,
            to: Status::Closed,
            ..
        }
    ));
    let err = item
        .change_status(Status::Answered, None, "me", now())
        .unwrap_err();
    assert_eq!(err.field, Field::Status);
}

#[test]
fn each_triage_change_writes_one_event_and_nothing_when_unchanged() {
    let mut item = issue();
    let dept = Id::new();
    let e = item.assign(Some(dept), "me", now()).unwrap();
    assert_eq!(
        e.change,
        Change::Department {
            from: None,
            to: Some(dept)
        }
    );
    assert_eq!(
        item.status,
        Status::Assigned,
        "handing a new item over assigns it"
    );
    assert!(item.assign(Some(dept), "me", now()).is_none());
    assert!(item.set_priority(Priority::Urgent, "me", now()).is_some());
    assert!(item.set_priority(Priority::Urgent, "me", now()).is_none());
    let due = NaiveDate::from_ymd_opt(2026, 12, 31);
    assert!(item.set_due(due, "me", now()).unwrap().is_some());
    assert_eq!(
        item.set_due(NaiveDate::from_ymd_opt(2020, 1, 1), "me", now())
            .unwrap_err()
            .field,
        Field::Due
    );
    assert!(item.set_owner(" 李晓 ", "me", now()).unwrap().is_some());
    assert_eq!(item.owner, "李晓");
    assert!(item.respond("  ", false, "me", now()).is_err());
    let answer = item.respond("已协调", true, "me", now()).unwrap();
    assert!(matches!(
        answer.change,
        Change::Response { to_firm: true, .. }
    ));
    let back = item.assign(None, "me", now()).unwrap();
    assert!(matches!(back.change, Change::Department { to: None, .. }));
    assert_eq!(item.status, Status::New, "given back, it is new again");
}

#[test]
fn revert_restores_the_state_before_and_says_what_it_undid() {
    let mut item = issue();
    let before = item.clone();
    let event = item.assign(Some(Id::new()), "me", now()).unwrap();
    let undo = item.revert(&event, &before, "me", now());
    assert_eq!(item.department, None);
    assert_eq!(item.status, Status::New);
    match undo.change {
        Change::Reverted {
            event: undone,
            change,
        } => {
            assert_eq!(undone, event.id);
            assert!(matches!(
                *change.unwrap(),
                Change::Department { to: None, .. }
            ));
        }
        other => panic!("{other:?}"),
    }
    let before = item.clone();
    let response = item.respond("答复", false, "me", now()).unwrap();
    let undo = item.revert(&response, &before, "me", now());
    assert!(
        matches!(undo.change, Change::Reverted { change: None, .. }),
        "a response is withdrawn, not erased"
    );
}

#[test]
fn redo_sets_the_state_after_and_writes_each_change_again() {
    let mut item = issue();
    let before = item.clone();
    let department = Some(Id::new());
    let event = item.assign(department, "me", now()).unwrap();
    let after = item.clone();
    item.revert(&event, &before, "me", now());
    let redone = item.redo(std::slice::from_ref(&event), &after, "李晓", now());
    assert_eq!(item.department, department);
    assert_eq!(item.status, Status::Assigned);
    assert_eq!(redone.len(), 1);
    assert_ne!(redone[0].id, event.id, "a new event");
    assert_eq!(redone[0].change, event.change);
    assert_eq!(redone[0].author, "李晓");
}

#[test]
fn overdue_is_open_and_past_due() {
    let mut item = issue();
    let today = now().date_naive();
    assert!(!item.is_overdue(today));
    item.due = today.pred_opt();
    assert!(item.is_overdue(today));
    item.due = Some(today);
    assert!(!item.is_overdue(today), "due today is not yet overdue");
    item.due = today.pred_opt();
    item.status = Status::Closed;
    assert!(!item.is_overdue(today));
}

#[test]
fn priority_and_status_parse_their_codes() {
    assert_eq!(Priority::parse("H"), Some(Priority::High));
    assert_eq!(Priority::parse("急"), Some(Priority::Urgent));
    assert_eq!(Priority::parse("soon"), None);
    assert_eq!(Status::parse("in progress"), Some(Status::InProgress));
    for s in Status::ALL {
        assert_eq!(Status::from_byte(s.as_byte()), Some(s));
        assert_eq!(Status::parse(s.code()), Some(s));
    }
    assert_eq!(Status::from_byte(9), None);
}

#[test]
fn chinese_words_parse_back_to_their_values() {
    assert_eq!(Status::parse("办理中"), Some(Status::InProgress));
    assert_eq!(Status::parse(" 已办结 "), Some(Status::Closed));
    assert_eq!(Status::parse("办结"), None);
    for s in Status::ALL {
        assert_eq!(Status::parse(s.chinese()), Some(s));
    }
    for p in Priority::ALL {
        assert_eq!(Priority::parse(p.chinese()), Some(p));
    }
    assert_eq!(
        ResolutionKind::parse("on the spot"),
        Some(ResolutionKind::OnTheSpot)
    );
    assert_eq!(ResolutionKind::parse("later"), None);
    for k in ResolutionKind::ALL {
        assert_eq!(ResolutionKind::parse(k.code()), Some(k));
        assert_eq!(ResolutionKind::parse(k.chinese()), Some(k));
    }
}
