use super::*;
use crate::transfer::Encoding;
use chrono::DateTime;
use std::io::Cursor;

/// Tuesday 15 December 2026, 10:00 in Zhongshan.
fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-12-15T10:00:00+08:00").unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn import(store: &Store, text: &str) -> IssuesImportReport {
    import_with(store, text.as_bytes(), ImportOptions::default())
}

fn import_with(store: &Store, bytes: &[u8], options: ImportOptions) -> IssuesImportReport {
    import_issues(store, Cursor::new(bytes.to_vec()), &options, now()).unwrap()
}

/// Every item with its history, in number order.
fn stored(store: &Store) -> Vec<(Issue, Vec<IssueEvent>)> {
    let mut issues = Vec::new();
    store
        .each_issue(|issue| {
            issues.push(issue.unwrap());
            Ok(())
        })
        .unwrap();
    issues.sort_by_key(|i| i.number);
    issues
        .into_iter()
        .map(|issue| {
            let events = store.events(issue.id).unwrap().records;
            (issue, events)
        })
        .collect()
}

fn department_name(store: &Store, id: Option<Id>) -> Option<String> {
    let departments = store.departments().unwrap().records;
    id.and_then(|id| departments.into_iter().find(|d| d.id == id))
        .map(|d| d.name)
}

fn assert_checks(store: &Store) {
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

const LEDGER: &str = "\
企业名称,诉求,详情,类别,责任部门,负责人,优先级,状态,期限,创建时间
中山生物工程有限公司,新厂房用电增容,\"二期厂房投产，
需增容 2000 kVA\",infrastructure,供电局,王伟,急,办理中,2026-12-20,2026-12-01 09:30
中山生物工程有限公司,人才公寓申请,,人才,人社局,,,,,
明阳智能,出口退税提速,,finance,,,low,new,+7d,
";

#[test]
fn rows_become_items_with_their_firms_and_departments() {
    let (_dir, store) = temp_store();
    let report = import(&store, LEDGER);
    assert!(report.is_clean(), "{:?}", report.errors);
    assert!(report.applied);
    assert_eq!((report.rows, report.added), (3, 3));
    assert_eq!(report.new_firms, 2);
    assert_eq!(report.new_firm_names, ["中山生物工程有限公司", "明阳智能"]);
    assert_eq!(report.new_departments, ["供电局", "人社局"]);
    assert_eq!(report.encoding, TextEncoding::Utf8);

    let items = stored(&store);
    let (power, _) = &items[0];
    assert_eq!(power.number, 1);
    assert_eq!(power.title, "新厂房用电增容");
    assert_eq!(power.detail, "二期厂房投产，\n需增容 2000 kVA");
    assert_eq!(power.status, Status::InProgress);
    assert_eq!(power.priority, Priority::Urgent);
    assert_eq!(power.owner, "王伟");
    assert_eq!(power.due, Some(day("2026-12-20")));
    assert_eq!(
        power.created,
        DateTime::parse_from_rfc3339("2026-12-01T09:30:00+08:00").unwrap()
    );
    assert_eq!(department_name(&store, power.department).unwrap(), "供电局");
    let talent = &items[1].0;
    assert_eq!(talent.firm, power.firm, "rows of one firm share it");
    assert_eq!(talent.status, Status::Assigned, "a department assigns it");
    assert_eq!(talent.priority, Priority::Normal);
    assert_eq!(talent.created, now(), "no creation time: now");
    let export = &items[2].0;
    assert_eq!(export.status, Status::New);
    assert_eq!(export.priority, Priority::Low);
    assert_eq!(export.due, Some(day("2026-12-22")), "+7d from today");
    let categories = store.categories().unwrap().records;
    let code = |id: Option<Id>| {
        categories
            .iter()
            .find(|c| Some(c.id) == id)
            .map(|c| c.code.as_str())
    };
    assert_eq!(code(power.category), Some("infrastructure"));
    assert_eq!(code(talent.category), Some("talent"), "by its name 人才");
    assert_eq!(code(export.category), Some("finance"));
    assert_checks(&store);
    assert_eq!(store.counts().unwrap().firms, 2);
}

#[test]
fn the_history_walks_the_life_cycle_to_the_imported_state() {
    let (_dir, store) = temp_store();
    store.set_user("李晓").unwrap();
    let report = import(
        &store,
        "firm,title,department,status,created,updated,resolution,resolution_kind,last_response\n\
         A,closed without answer,发改局,closed,2026-01-05,2026-02-01 10:00,,,\n\
         A,closed on the spot,,已办结,2026-01-05,,现场协调解决,现场解决,\n\
         A,in progress without a department,,in progress,,,,,\n\
         A,answered,人社局,answered,,,已答复企业,,已转交人社局\n",
    );
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!(report.closed_without_resolution, 1);
    assert_eq!(report.answers_kept_as_responses, 1);
    let items = stored(&store);
    let changes =
        |i: usize| -> Vec<Change> { items[i].1.iter().map(|e| e.change.clone()).collect() };

    let (closed, events) = &items[0];
    let department = closed.department;
    assert_eq!(
        changes(0),
        [
            Change::Created,
            Change::Department {
                from: None,
                to: department
            },
            Change::Status {
                from: Status::Assigned,
                to: Status::Closed,
                resolution: Some(Resolution {
                    kind: ResolutionKind::Answered,
                    text: IMPORTED_AS_CLOSED.into()
                })
            }
        ]
    );
    assert!(events.iter().all(|e| e.author == "李晓"));
    let created = DateTime::parse_from_rfc3339("2026-01-05T00:00:00+08:00").unwrap();
    let updated = DateTime::parse_from_rfc3339("2026-02-01T10:00:00+08:00").unwrap();
    assert_eq!(events[0].at, created);
    assert_eq!(events[1].at, updated, "later changes at the last update");
    assert_eq!((closed.created, closed.updated), (created, updated));

    assert_eq!(
        items[1].0.resolution,
        Some(Resolution {
            kind: ResolutionKind::OnTheSpot,
            text: "现场协调解决".into()
        })
    );
    assert_eq!(
        changes(2)[1..],
        [
            Change::Status {
                from: Status::New,
                to: Status::Assigned,
                resolution: None
            },
            Change::Status {
                from: Status::Assigned,
                to: Status::InProgress,
                resolution: None
            }
        ],
        "new cannot become in progress directly"
    );
    assert_eq!(
        changes(3)[2..4],
        [
            Change::Response {
                text: "已转交人社局".into(),
                to_firm: false
            },
            Change::Response {
                text: "已答复企业".into(),
                to_firm: true
            },
        ]
    );
    assert!(store
        .response_text(items[3].0.id)
        .unwrap()
        .contains("已答复企业"));
    assert_checks(&store);
}

#[test]
fn old_ledgers_keep_their_past_due_dates_in_every_spreadsheet_form() {
    let (_dir, store) = temp_store();
    let report = import(
        &store,
        "企业名称,诉求,期限,创建时间\n\
         A,one,2026/12/13,2024-03-01T08:00:00+08:00\n\
         A,two,2024-03-10 00:00:00,2024/3/1 8:00\n\
         A,three,46369,2024-03-01 08:00:00\n\
         A,four,12-13,\n",
    );
    assert!(report.is_clean(), "{:?}", report.errors);
    let dues: Vec<_> = stored(&store).iter().map(|(i, _)| i.due).collect();
    assert_eq!(
        dues,
        [
            Some(day("2026-12-13")),
            Some(day("2024-03-10")),
            Some(day("2026-12-13")),
            Some(day("2026-12-13"))
        ]
    );
    let created: Vec<_> = stored(&store).iter().map(|(i, _)| i.created).collect();
    let eight = DateTime::parse_from_rfc3339("2024-03-01T08:00:00+08:00").unwrap();
    assert_eq!(created[..3], [eight, eight, eight]);
}

#[test]
fn bad_rows_are_reported_by_line_and_column_and_the_others_imported() {
    let (_dir, store) = temp_store();
    let text = "企业名称,诉求,类别,优先级,状态,期限,创建时间\n\
                A,good,,,,,\n\
                \n\
                ,no firm,,,,,\n\
                A,\"two\nlines\",land,soon,done,2026-02-30,\n\
                A,,weather,,,,2030-01-01\n\
                B,also good,用地,高,,,\n";
    let report = import(&store, text);
    assert_eq!((report.rows, report.added, report.bad_rows), (5, 2, 3));
    let found: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (4, "企业名称"),
            (5, "优先级"),
            (5, "状态"),
            (5, "期限"),
            (7, "诉求"),
            (7, "类别"),
            (7, "创建时间"),
        ]
    );
    let message = |line: u64, field: &str| {
        report
            .errors
            .iter()
            .find(|e| e.line == line && e.field == field)
            .unwrap()
            .message
            .clone()
    };
    assert!(
        message(5, "状态").contains("已办结"),
        "{}",
        message(5, "状态")
    );
    assert_eq!(message(5, "期限"), "there is no such day as 2026-02-30");
    assert!(
        message(7, "类别").starts_with("no category weather (known: land 用地, "),
        "{}",
        message(7, "类别")
    );
    assert_eq!(message(7, "诉求"), "must not be empty");
    assert!(report.applied);
    assert_eq!(stored(&store).len(), 2);
    assert_eq!(
        store.counts().unwrap().firms,
        2,
        "no firm is made for bad rows alone"
    );
    assert_checks(&store);
}

#[test]
fn strict_and_dry_run_write_nothing() {
    let bad = "企业名称,诉求,责任部门\nA,good,发改局\nB,,人社局\n";
    for options in [
        ImportOptions {
            strict: true,
            ..Default::default()
        },
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    ] {
        let (_dir, store) = temp_store();
        let report = import_with(&store, bad.as_bytes(), options);
        assert!(!report.applied);
        assert_eq!((report.added, report.bad_rows), (1, 1));
        assert_eq!(report.new_departments, ["发改局"], "what would be created");
        assert!(stored(&store).is_empty());
        assert!(store.departments().unwrap().records.is_empty());
        assert_eq!(store.counts().unwrap().firms, 0);
    }
}

#[test]
fn stored_firms_are_found_by_full_name_or_a_short_name_only_they_have() {
    let (_dir, store) = temp_store();
    let mut bio = Firm::new("中山生物工程有限公司", now()).unwrap();
    bio.short_name = "中山生物".into();
    let mut hj = Firm::new("广东弘景光电科技股份有限公司", now()).unwrap();
    hj.short_name = "弘景".into();
    let mut hj2 = Firm::new("中山弘景电子有限公司", now()).unwrap();
    hj2.short_name = "弘景".into();
    for firm in [&bio, &hj, &hj2] {
        store.put_firm(firm).unwrap();
    }
    store
        .put_department(&Department::new("发改局", "发展和改革局").unwrap())
        .unwrap();
    let report = import(
        &store,
        "企业名称,诉求,责任部门\n\
         中山生物工程有限公司,a,发展和改革局\n\
         中山生物,b,发改局\n\
         弘景,c,\n",
    );
    assert_eq!(report.added, 2);
    assert_eq!(report.new_firms, 0);
    assert!(report.new_departments.is_empty(), "found by full name too");
    assert_eq!(report.errors[0].line, 4);
    assert!(report.errors[0].message.contains("several firms"));
    assert!(stored(&store).iter().all(|(i, _)| i.firm == bio.id));
}

#[test]
fn a_visit_date_links_the_visit_of_that_firm_on_that_day() {
    let (_dir, store) = temp_store();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    store.put_firm(&firm).unwrap();
    let start = DateTime::parse_from_rfc3339("2026-12-13T09:30:00+08:00").unwrap();
    let visit = crate::model::Visit {
        id: Id::new(),
        firm: firm.id,
        start,
        duration_min: 60,
        location: String::new(),
        lead: String::new(),
        attendees: Vec::new(),
        purpose: String::new(),
        status: crate::model::VisitStatus::Done,
        minutes: String::new(),
        created: start,
        updated: start,
    };
    store.put_visit(&visit).unwrap();
    let report = import(
        &store,
        "企业名称,诉求,走访日期\n\
         中山生物工程有限公司,a,2026-12-13\n\
         中山生物工程有限公司,b,2026-12-14\n",
    );
    assert_eq!((report.visits_linked, report.visits_not_found), (1, 1));
    let items = stored(&store);
    assert_eq!(items[0].0.visit, Some(visit.id));
    assert_eq!(items[1].0.visit, None);
}

#[test]
fn the_header_must_name_the_firm_and_title_once() {
    let (_dir, store) = temp_store();
    let fail = |text: &str| {
        import_issues(
            &store,
            Cursor::new(text.as_bytes().to_vec()),
            &ImportOptions::default(),
            now(),
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        fail("企业名称,详情\nA,b\n"),
        "line 1: no 诉求/title column; the header has: 企业名称, 详情"
    );
    assert_eq!(
        fail("Firm,Title,Dept,部门\n"),
        "line 1: the columns Dept and 部门 are the same field; keep one of them"
    );
    assert!(fail("").starts_with("the file is empty"));
    let report = import(&store, "编号,Firm Name,TITLE,标签,备注\n7,A,b,重点,x\n");
    assert_eq!(report.added, 1);
    assert_eq!(report.ignored_columns, ["备注"]);
    let unused: Vec<&str> = report
        .unused_columns
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    // Tags are kept (schema v3); the number is this database's own.
    assert_eq!(unused, ["编号"]);
}

#[test]
fn gb18030_streams_in_and_invalid_bytes_stop_the_import_before_any_write() {
    let (_dir, store) = temp_store();
    let (gb, _, _) = encoding_rs::GB18030.encode(LEDGER);
    let report = import_with(&store, &gb, ImportOptions::default());
    assert_eq!(report.encoding, TextEncoding::Gb18030);
    assert_eq!(report.added, 3);
    assert_eq!(
        stored(&store)[0].0.detail,
        "二期厂房投产，\n需增容 2000 kVA"
    );

    let (_dir, store) = temp_store();
    let mut broken = LEDGER.as_bytes().to_vec();
    broken.extend_from_slice(b"A,bad \xFF byte\n");
    let error = import_issues(
        &store,
        Cursor::new(broken.clone()),
        &ImportOptions {
            encoding: Encoding::Utf8,
            ..Default::default()
        },
        now(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "line 6: bytes that are not valid UTF-8",
        "the good rows before it are not written either"
    );
    assert!(stored(&store).is_empty());
    let error = import_issues(
        &store,
        Cursor::new(broken),
        &ImportOptions::default(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(
        error,
        IssuesImportError::Encoding(EncodingError::Unknown { utf8_line: 6, .. })
    ));
}

#[test]
fn dates_and_moments_in_the_forms_spreadsheets_write() {
    let today = now().date_naive();
    assert_eq!(parse_due("2026/12/13", today), Ok(day("2026-12-13")));
    assert_eq!(
        parse_due("2026-12-13 00:00:00", today),
        Ok(day("2026-12-13"))
    );
    assert_eq!(parse_due("2026-12-13T00:00", today), Ok(day("2026-12-13")));
    assert_eq!(parse_due("46369", today), Ok(day("2026-12-13")));
    assert_eq!(parse_due("明天", today), Ok(day("2026-12-16")));
    assert!(parse_due("soon", today)
        .unwrap_err()
        .starts_with("is not a date"));

    let at = |text: &str| parse_moment(text, now());
    let expected = DateTime::parse_from_rfc3339("2026-12-13T09:30:00+08:00").unwrap();
    for text in [
        "2026-12-13T09:30:00+08:00",
        "2026-12-13T01:30:00Z",
        "2026-12-13 09:30:00",
        "2026/12/13 9:30",
        "12-13 09:30",
    ] {
        assert_eq!(at(text), Ok(expected), "{text}");
    }
    assert_eq!(
        at("2026-12-13"),
        Ok(DateTime::parse_from_rfc3339("2026-12-13T00:00:00+08:00").unwrap())
    );
    assert_eq!(
        at("2027-01-20 09:00"),
        Err("2027-01-20 09:00 is in the future".into())
    );
    assert!(at("noon").is_err());
}
