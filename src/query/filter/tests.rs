use super::*;
use crate::model::{Id, Issue, IssueDraft, LocalTime};
use chrono::DateTime;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

#[test]
fn a_filter_parses_conditions_negations_and_text() {
    let f = parse("dept:发改局 status:open overdue firm:zsswgc 用地 -visit prio>=high sort:age")
        .unwrap();
    let kinds: Vec<&TermKind> = f.terms.iter().map(|t| &t.kind).collect();
    assert_eq!(
        kinds,
        vec![
            &TermKind::Department(Some("发改局".into())),
            &TermKind::Open,
            &TermKind::Overdue,
            &TermKind::Firm("zsswgc".into()),
            &TermKind::Text("用地".into()),
            &TermKind::RaisedInVisit,
            &TermKind::Priority(vec![Priority::High, Priority::Urgent]),
        ]
    );
    assert!(f.terms[5].negated);
    assert_eq!(f.sort, Some(super::super::SortKey::Age));
    assert_eq!(f.terms[4].position, 41, "counted in characters");
    assert_eq!(parse("").unwrap(), Filter::default());
    assert_eq!(
        parse("status:new,assigned").unwrap().terms[0].kind,
        TermKind::Status(vec![Status::New, Status::Assigned])
    );
    assert_eq!(
        parse("due:7d").unwrap().terms[0].kind,
        TermKind::DueWithin(7)
    );
    assert_eq!(
        parse("状态：closed").unwrap().terms[0].kind,
        TermKind::Status(vec![Status::Closed])
    );
}

#[test]
fn mistakes_are_reported_at_their_position() {
    let e = parse("overdue status:waiting").unwrap_err();
    assert_eq!(e.position, 15);
    assert!(e.message.contains("unknown status waiting"), "{e}");
    let e = parse("colour:red").unwrap_err();
    assert_eq!(e.position, 0);
    assert!(e.message.contains("unknown condition colour"));
    let e = parse("用地  prio:soon").unwrap_err();
    assert_eq!(e.position, 9);
    let e = parse("due:later").unwrap_err();
    assert!(e.message.contains("due:7d"));
    assert_eq!(e.to_string(), format!("at character 5: {}", e.message));
    let e = parse("sort:random").unwrap_err();
    assert!(e.message.contains("unknown sort"));
}

fn item(title: &str, status: Status, due: Option<&str>) -> Issue {
    let mut draft = IssueDraft::new(Id::new(), title);
    draft.due = due.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let mut issue = draft
        .into_issue(
            Id::new(),
            1,
            DateTime::parse_from_rfc3339("2026-11-01T10:00:00+08:00").unwrap(),
        )
        .unwrap();
    issue.status = status;
    issue
}

#[test]
fn resolved_filters_match_items() {
    let dept = Id::new();
    let other_dept = Id::new();
    let land = Id::new();
    let firm = Id::new();
    let firms = move |q: &str| -> HashSet<Id> {
        if q == "zsswgc" {
            [firm].into()
        } else {
            HashSet::new()
        }
    };
    let names = Names {
        departments: vec![
            (dept, "发改局", "发展和改革局"),
            (other_dept, "人社局", "人力资源和社会保障局"),
        ],
        categories: vec![(land, "land", "用地")],
        firms: &firms,
        me: "李晓",
        conflicted: &HashSet::new(),
    };
    let today = now().date_naive();
    let mut a = item("扩大产能需新增用地", Status::Assigned, Some("2026-11-20"));
    a.department = Some(dept);
    a.category = Some(land);
    a.firm = firm;
    let b = item("人才住房", Status::New, Some("2026-12-20"));
    let mut c = item("已办结的用地事项", Status::Closed, Some("2026-11-01"));
    c.department = Some(dept);

    let check = |text: &str| -> Vec<bool> {
        let r = parse(text).unwrap().resolve(&names).unwrap();
        vec![
            r.matches(&a, today),
            r.matches(&b, today),
            r.matches(&c, today),
        ]
    };
    assert_eq!(check("dept:发改局"), vec![true, false, true]);
    assert_eq!(
        check("dept:发展和改革局 status:open"),
        vec![true, false, false]
    );
    assert_eq!(
        check("overdue"),
        vec![true, false, false],
        "a closed item is never overdue"
    );
    assert_eq!(check("用地"), vec![true, false, true]);
    assert_eq!(check("-用地"), vec![false, true, false]);
    assert_eq!(check("firm:zsswgc"), vec![true, false, false]);
    assert_eq!(check("cat:land"), vec![true, false, false]);
    assert_eq!(check("cat:用地"), vec![true, false, false]);
    assert_eq!(check("dept:none"), vec![false, true, false]);
    assert_eq!(check("due:30d"), vec![true, true, false]);
    assert_eq!(check("due:7d"), vec![true, false, false]);
    assert_eq!(check(""), vec![true, true, true]);
    let e = parse("status:open dept:交通局")
        .unwrap()
        .resolve(&names)
        .unwrap_err();
    assert_eq!(e.position, 17);
    assert!(e.message.contains("known: 发改局, 人社局"));
}

#[test]
fn overdue_turns_at_midnight_in_the_officers_day() {
    let a = item("x", Status::New, Some("2026-11-27"));
    let r = parse("overdue")
        .unwrap()
        .resolve(&Names {
            departments: vec![],
            categories: vec![],
            firms: &|_| HashSet::new(),
            me: "",
            conflicted: &HashSet::new(),
        })
        .unwrap();
    assert!(
        !r.matches(&a, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()),
        "due today is not overdue"
    );
    assert!(r.matches(&a, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()));
}

/// Typing on at the end of a filter narrows it; anything else (a word cut short, a negated
/// word growing, a changed condition) does not.
#[test]
fn a_filter_narrows_when_it_only_adds_or_lengthens_words() {
    let firms = |_: &str| -> HashSet<Id> { HashSet::new() };
    let names = Names {
        departments: vec![(Id::new(), "发改局", "发展和改革局")],
        categories: vec![],
        firms: &firms,
        me: "李晓",
        conflicted: &HashSet::new(),
    };
    let resolve = |text: &str| parse(text).unwrap().resolve(&names).unwrap();
    let narrows = |now: &str, before: &str| resolve(now).narrows(&resolve(before));
    assert!(narrows("用地", "用"));
    assert!(narrows("status:open 用地", "status:open 用"));
    assert!(narrows("status:open 用 overdue", "status:open 用"));
    assert!(narrows("dept:发改局 status:open", "dept:发改局"));
    assert!(!narrows("用", "用地"), "a shorter word finds more");
    assert!(
        !narrows("-用地", "-用"),
        "a longer excluded word excludes less"
    );
    assert!(!narrows("status:closed", "status:open"));
    assert!(!narrows("status:open", "status:open overdue"));
    assert!(narrows("", ""));
}

#[test]
fn an_item_number_finds_that_item() {
    let filter = parse("#12 status:open").unwrap();
    assert_eq!(filter.terms[0].kind, TermKind::Number(12));
    assert_eq!(
        parse("#12a").unwrap().terms[0].kind,
        TermKind::Text("#12a".into())
    );
    assert_eq!(
        parse("#").unwrap().terms[0].kind,
        TermKind::Text("#".into())
    );
    let firms = |_: &str| -> HashSet<Id> { HashSet::new() };
    let names = Names {
        departments: vec![],
        categories: vec![],
        firms: &firms,
        me: "李晓",
        conflicted: &HashSet::new(),
    };
    let resolved = filter.resolve(&names).unwrap();
    let today = now().date_naive();
    let mut twelve = item("用电增容", Status::New, None);
    twelve.number = 12;
    let mut other = item("用电增容", Status::New, None);
    other.number = 120;
    assert!(resolved.matches(&twelve, today));
    assert!(!resolved.matches(&other, today));
    twelve.status = Status::Closed;
    assert!(!resolved.matches(&twelve, today));
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[test]
fn dates_compare_by_day_or_month_and_tags_match_whole() {
    let kind = |text: &str| parse(text).unwrap().terms[0].kind.clone();
    let date = |field: DateField, from: Option<&str>, to: Option<&str>| TermKind::Date {
        field,
        from: from.and_then(day),
        to: to.and_then(day),
    };
    assert_eq!(
        kind("due<2027-01-01"),
        date(DateField::Due, None, Some("2026-12-31"))
    );
    assert_eq!(
        kind("due<=2027-01-01"),
        date(DateField::Due, None, Some("2027-01-01"))
    );
    assert_eq!(
        kind("due>2027-01-01"),
        date(DateField::Due, Some("2027-01-02"), None)
    );
    assert_eq!(
        kind("期限>=2027-01"),
        date(DateField::Due, Some("2027-01-01"), None)
    );
    assert_eq!(
        kind("due<=2027-02"),
        date(DateField::Due, None, Some("2027-02-28"))
    );
    assert_eq!(
        kind("raised>=2025-12-01"),
        date(DateField::Raised, Some("2025-12-01"), None)
    );
    assert_eq!(
        kind("closed:2025-12"),
        date(DateField::Closed, Some("2025-12-01"), Some("2025-12-31"))
    );
    assert_eq!(
        kind("办结：2025-12-13"),
        date(DateField::Closed, Some("2025-12-13"), Some("2025-12-13"))
    );
    assert_eq!(
        kind("due:2026-02"),
        date(DateField::Due, Some("2026-02-01"), Some("2026-02-28"))
    );
    assert_eq!(kind("tag:专班"), TermKind::Tag("专班".into()));
    assert_eq!(kind("标签:省重点"), TermKind::Tag("省重点".into()));
    let negated = parse("-tag:专班 -due<2027-01-01").unwrap();
    assert!(negated.terms.iter().all(|t| t.negated));
    assert_eq!(negated.terms[1].position, 8);

    // Mistakes name the word, at the date.
    let e = parse("open due<2027-13-01").unwrap_err();
    assert_eq!(e.position, 9);
    assert!(e.message.contains("due<2027-13-01"), "{}", e.message);
    assert!(e.message.contains("2026-01-31"), "{}", e.message);
    let e = parse("-closed:12月").unwrap_err();
    assert_eq!(e.position, 8);
    let e = parse("raised>=").unwrap_err();
    assert_eq!(e.position, 8);
    assert!(parse("tag:").is_err());

    let names = Names {
        departments: vec![],
        categories: vec![],
        firms: &|_| HashSet::new(),
        me: "",
        conflicted: &HashSet::new(),
    };
    let mut issue = item("用地", Status::Closed, Some("2026-12-20"));
    issue.tags = vec!["专班".into()];
    issue.closed = Some(DateTime::parse_from_rfc3339("2026-12-02T09:00:00+08:00").unwrap());
    let today = now().date_naive();
    let passes = |text: &str| {
        parse(text)
            .unwrap()
            .resolve(&names)
            .unwrap()
            .matches(&issue, today)
    };
    for (text, expected) in [
        ("tag:专班", true),
        ("tag:专", false),
        ("-tag:专班", false),
        ("-tag:省重点", true),
        ("due<2027-01-01", true),
        ("due<2026-12-20", false),
        ("due<=2026-12-20", true),
        ("raised:2026-11", true),
        ("raised>2026-11-28", false),
        ("closed:2026-12", true),
        ("closed:2026-12-01", false),
        ("closed>=2026-12-02 closed<=2026-12-02", true),
    ] {
        assert_eq!(passes(text), expected, "{text}");
    }
    let open = item("用地", Status::New, None);
    let filter = parse("closed<2030-01").unwrap().resolve(&names).unwrap();
    assert!(
        !filter.matches(&open, today),
        "an open item was never closed"
    );
    let filter = parse("-due>2000-01-01").unwrap().resolve(&names).unwrap();
    assert!(filter.matches(&open, today), "no due date: not due after");
}

#[test]
fn the_chinese_words_mean_what_the_english_ones_do() {
    let f = parse("部门:发改局 状态:办理中 逾期 优先级>=高 期限:7天 未分配 走访 未办结 排序:企业")
        .unwrap();
    let kinds: Vec<&TermKind> = f.terms.iter().map(|t| &t.kind).collect();
    assert_eq!(
        kinds,
        vec![
            &TermKind::Department(Some("发改局".into())),
            &TermKind::Status(vec![Status::InProgress]),
            &TermKind::Overdue,
            &TermKind::Priority(vec![Priority::High, Priority::Urgent]),
            &TermKind::DueWithin(7),
            &TermKind::Department(None),
            &TermKind::RaisedInVisit,
            &TermKind::Open,
        ]
    );
    assert_eq!(f.sort, Some(super::super::SortKey::Firm));
    assert_eq!(
        parse("期限:2周").unwrap().terms[0].kind,
        TermKind::DueWithin(14)
    );
    assert_eq!(
        parse("due:2w").unwrap().terms[0].kind,
        TermKind::DueWithin(14)
    );
    assert_eq!(
        parse("期限:本周").unwrap().terms[0].kind,
        TermKind::DueThisWeek
    );
    let kinds = |text: &str| -> Vec<TermKind> {
        parse(text)
            .unwrap()
            .terms
            .into_iter()
            .map(|t| t.kind)
            .collect()
    };
    assert_eq!(
        kinds("状态:未办结 经办人:王伟 优先级:急"),
        kinds("status:open owner:王伟 prio:urgent")
    );
}

#[test]
fn filter_mistakes_are_told_in_the_interface_language() {
    crate::messages::set_thread_lang(Some(crate::messages::Lang::Zh));
    let e = parse("状态:等待").unwrap_err();
    assert!(e.message.contains("没有状态 等待"), "{e}");
    assert!(e.to_string().starts_with("第 4 个字符处"), "{e}");
    crate::messages::set_thread_lang(None);
}
