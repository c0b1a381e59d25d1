use super::*;
use crate::model::{LocalTime, Status};
use crate::query::parse;
use crate::transfer::{import_issues, ImportOptions, IssuesImportReport};
use chrono::DateTime;
use serde_json::Value;

/// The day the demo's visits are a year old and some items overdue.
fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    crate::demo::seed(&store, &crate::demo::DemoOptions::default(), now()).unwrap();
    (dir, store)
}

fn options(format: IssuesFormat) -> IssuesExportOptions {
    IssuesExportOptions::new(format, now().date_naive())
}

fn export(store: &Store, options: &IssuesExportOptions) -> String {
    let mut out = Vec::new();
    let summary = export_issues(store, &mut out, options).unwrap();
    assert!(summary.damaged.is_empty(), "{:?}", summary.damaged);
    String::from_utf8(out).unwrap()
}

fn rows(csv_text: &str) -> Vec<csv::StringRecord> {
    let text = csv_text
        .strip_prefix('\u{FEFF}')
        .expect("a CSV export starts with a byte order mark");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

fn filtered(store: &Store, text: &str) -> Option<Resolved> {
    let filter = parse(text).unwrap();
    Some(
        crate::query::StoreNames::load(store)
            .unwrap()
            .resolve(&filter)
            .unwrap(),
    )
}

#[test]
fn csv_has_a_bom_crlf_the_headers_and_words_of_its_language() {
    let (_dir, store) = demo();
    let chinese = export(&store, &options(IssuesFormat::Csv));
    assert!(chinese.starts_with(
        "\u{FEFF}编号,企业名称,诉求,详情,类别,责任部门,负责人,优先级,状态,期限,创建时间,更新时间,走访日期,办结方式,办结答复,最新回复,标签,回访\r\n"
    ));
    let records = rows(&chinese);
    assert_eq!(records.len(), 20);
    let statuses: Vec<&str> = records.iter().map(|r| &r[8]).collect();
    assert!(statuses.contains(&"已办结") && statuses.contains(&"办理中"));
    assert!(records
        .iter()
        .all(|r| ["低", "中", "高", "急"].contains(&&r[7])));

    let english = export(
        &store,
        &IssuesExportOptions {
            headers: Headers::English,
            ..options(IssuesFormat::Csv)
        },
    );
    assert!(english.starts_with("\u{FEFF}number,firm,title,detail,category,department,"));
    let records = rows(&english);
    let closed = records.iter().find(|r| &r[8] == "closed").unwrap();
    assert!(["answered", "on-the-spot", "withdrawn"].contains(&&closed[13]));
    assert!(!closed[14].is_empty(), "the resolution text");
    let raised_in_visits = records.iter().filter(|r| !r[12].is_empty()).count();
    assert!(raised_in_visits > 0);
    assert!(records
        .iter()
        .any(|r| &r[1] == "中山生物工程有限公司" && &r[5] == "自然资源分局"));
}

#[test]
fn the_due_order_streams_the_index_and_other_orders_sort_in_memory() {
    let (_dir, store) = demo();
    let numbers = |sort: SortKey| -> Vec<u32> {
        let text = export(
            &store,
            &IssuesExportOptions {
                sort,
                ..options(IssuesFormat::Csv)
            },
        );
        rows(&text).iter().map(|r| r[0].parse().unwrap()).collect()
    };
    let by_index: Vec<u32> = store
        .issue_ids_by_due()
        .unwrap()
        .into_iter()
        .map(|id| store.issue(id).unwrap().unwrap().number)
        .collect();
    assert_eq!(numbers(SortKey::Due), by_index);
    let mut all = Vec::new();
    store
        .each_issue(|i| {
            all.push(i.unwrap());
            Ok(())
        })
        .unwrap();
    sort_issues(&mut all, SortKey::Priority, &|_| String::new());
    let expected: Vec<u32> = all.iter().map(|i| i.number).collect();
    assert_eq!(numbers(SortKey::Priority), expected);
}

#[test]
fn a_filter_limits_the_items_in_any_order() {
    let (_dir, store) = demo();
    for sort in [SortKey::Due, SortKey::Age] {
        let text = export(
            &store,
            &IssuesExportOptions {
                filter: filtered(&store, "status:closed"),
                sort,
                headers: Headers::English,
                ..options(IssuesFormat::Csv)
            },
        );
        let records = rows(&text);
        let closed = store.counts().unwrap().issues_by_status[Status::Closed.as_byte() as usize];
        assert_eq!(records.len() as u64, closed);
        assert!(records.iter().all(|r| &r[8] == "closed"));
    }
    let text = export(
        &store,
        &IssuesExportOptions {
            filter: filtered(&store, "no-such-words-anywhere"),
            ..options(IssuesFormat::Json)
        },
    );
    assert_eq!(text, "[]\n");
}

#[test]
fn json_has_every_item_with_its_history_in_readable_form() {
    let (_dir, store) = demo();
    let text = export(&store, &options(IssuesFormat::Json));
    let items: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(items.len(), 20);
    for item in &items {
        let history = item["history"].as_array().unwrap();
        assert_eq!(history[0]["change"]["kind"], "created");
        let times: Vec<&str> = history.iter().map(|e| e["at"].as_str().unwrap()).collect();
        let parsed: Vec<_> = times
            .iter()
            .map(|t| DateTime::parse_from_rfc3339(t).unwrap())
            .collect();
        assert!(parsed.windows(2).all(|w| w[0] <= w[1]), "oldest first");
        assert!(history.iter().all(|e| e["author"].is_string()));
    }
    let changes: Vec<&Value> = items
        .iter()
        .flat_map(|i| i["history"].as_array().unwrap())
        .map(|e| &e["change"])
        .collect();
    let department = changes.iter().find(|c| c["kind"] == "department").unwrap();
    assert!(department["from"].is_null());
    assert!(department["to"].as_str().unwrap().ends_with('局'));
    let response = changes.iter().find(|c| c["kind"] == "response").unwrap();
    assert!(response["text"].is_string() && response["to_firm"].is_boolean());
    let closing = changes
        .iter()
        .find(|c| c["kind"] == "status" && c["to"] == "closed")
        .unwrap();
    assert!(closing["resolution"]["text"].is_string());
    let closed = items.iter().find(|i| i["status"] == "closed").unwrap();
    let kind = closed["resolution"]["kind"].as_str().unwrap();
    assert!(
        ["answered", "on-the-spot", "withdrawn"].contains(&kind),
        "{kind}"
    );
}

#[test]
fn a_list_of_ids_is_written_in_its_own_order() {
    let (_dir, store) = demo();
    let mut ids = store.issue_ids_by_due().unwrap();
    ids.truncate(3);
    ids.reverse();
    ids.insert(1, Id::new());
    let mut out = Vec::new();
    let summary = export_issue_ids(
        &store,
        &mut out,
        ids.clone(),
        IssuesFormat::Json,
        Headers::Chinese,
    )
    .unwrap();
    assert_eq!(summary.issues, 3, "an unknown id is skipped");
    let items: Vec<Value> = serde_json::from_slice(&out).unwrap();
    let written: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().into())
        .collect();
    let expected: Vec<String> = [ids[0], ids[2], ids[3]].map(|id| id.to_string()).to_vec();
    assert_eq!(written, expected);
}

#[test]
fn damaged_items_are_reported_and_the_rest_exported() {
    let (_dir, store) = demo();
    let victim = store.issue_ids_by_due().unwrap()[0];
    crate::store::testing::corrupt_value(&store, "issues", victim.as_bytes()).unwrap();
    for sort in [SortKey::Due, SortKey::Updated] {
        let mut out = Vec::new();
        let summary = export_issues(
            &store,
            &mut out,
            &IssuesExportOptions {
                sort,
                ..options(IssuesFormat::Csv)
            },
        )
        .unwrap();
        assert_eq!(summary.issues, 19);
        assert_eq!(summary.damaged.len(), 1);
        assert_eq!(summary.damaged[0].key, victim.to_string());
    }
}

/// `text` imported into an empty database, which must take every row.
fn import_into_empty(text: String) -> (tempfile::TempDir, Store, IssuesImportReport) {
    let dir = tempfile::tempdir().unwrap();
    let copy = Store::open(dir.path()).unwrap();
    let report = import_issues(
        &copy,
        std::io::Cursor::new(text.into_bytes()),
        &ImportOptions::default(),
        now(),
    )
    .unwrap();
    assert!(report.is_clean(), "{:?}", report.errors);
    (dir, copy, report)
}

#[test]
fn an_export_imports_into_an_empty_database_as_the_same_items() {
    let (_dir, store) = demo();
    for headers in [Headers::Chinese, Headers::English] {
        let text = export(
            &store,
            &IssuesExportOptions {
                headers,
                ..options(IssuesFormat::Csv)
            },
        );
        let (_copy_dir, copy, report) = import_into_empty(text);
        assert_eq!(report.added, 20);
        assert!(copy.check().unwrap().is_ok());

        let content = |store: &Store| {
            let names = Names::load(store).unwrap();
            let mut items = Vec::new();
            store
                .each_issue(|issue| {
                    let i = issue.unwrap();
                    items.push((
                        i.title.clone(),
                        names.firms[&i.firm].clone(),
                        names.department(i.department).map(String::from),
                        names.category_code(i.category).map(String::from),
                        i.status,
                        i.priority,
                        i.due,
                        i.resolution.clone(),
                        i.created,
                        i.owner.clone(),
                        i.detail.clone(),
                    ));
                    Ok(())
                })
                .unwrap();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            items
        };
        assert_eq!(content(&copy), content(&store));
        let last_responses = |store: &Store| {
            let text = export(store, &options(IssuesFormat::Csv));
            let mut found: Vec<(String, String)> = rows(&text)
                .iter()
                .map(|r| (r[2].to_string(), r[15].to_string()))
                .collect();
            found.sort();
            found
        };
        assert_eq!(last_responses(&copy), last_responses(&store));
    }
}

/// A firm and one item in an empty database.
fn one_item(firm: &str, title: &str) -> (tempfile::TempDir, Store, Issue) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let firm = crate::model::Firm::new(firm, now()).unwrap();
    store.put_firm(&firm).unwrap();
    let issue = store
        .create_issue(crate::model::IssueDraft::new(firm.id, title), "李晓", now())
        .unwrap();
    (dir, store, issue)
}

#[test]
fn formula_like_cells_are_written_as_text_and_import_back_unchanged() {
    let title = "=HYPERLINK(\"http://evil.example\",\"详情\")";
    let (_dir, store, mut issue) = one_item("=1+1 生物工程有限公司", title);
    let response = issue
        .respond("+86 760 8888 1234 已联系", false, "李晓", now())
        .unwrap();
    store.save_issue(&issue, &[response]).unwrap();
    let text = export(&store, &options(IssuesFormat::Csv));
    let records = rows(&text);
    assert_eq!(&records[0][1], "'=1+1 生物工程有限公司");
    assert_eq!(&records[0][2], format!("'{title}"));
    assert_eq!(&records[0][15], "'+86 760 8888 1234 已联系");
    assert!(
        records[0]
            .iter()
            .all(|cell| !cell.starts_with(['=', '+', '-', '@'])),
        "{:?}",
        records[0]
    );

    let (_copy_dir, copy, _) = import_into_empty(text);
    let mut imported = Vec::new();
    copy.each_issue(|i| {
        imported.push(i.unwrap());
        Ok(())
    })
    .unwrap();
    assert_eq!(imported[0].title, title);
    assert_eq!(
        copy.firm(imported[0].firm).unwrap().unwrap().name,
        "=1+1 生物工程有限公司"
    );
    assert!(copy
        .response_text(imported[0].id)
        .unwrap()
        .contains("+86 760 8888 1234 已联系"));
}

#[test]
fn an_undo_is_in_the_history_and_a_withdrawn_response_is_not_the_last() {
    let (_dir, store, mut issue) = one_item("中山生物工程有限公司", "新厂房用电增容");
    let before = issue.clone();
    let first = issue.respond("已转供电局", false, "李晓", now()).unwrap();
    store.save_issue(&issue, &[first]).unwrap();
    let before_second = issue.clone();
    let second = issue.respond("写错了", false, "李晓", now()).unwrap();
    let raised = issue
        .set_priority(crate::model::Priority::Urgent, "李晓", now())
        .unwrap();
    store
        .save_issue(&issue, &[second.clone(), raised.clone()])
        .unwrap();
    let undo_priority = issue.revert(&raised, &before_second, "李晓", now());
    let undo_response = issue.revert(&second, &before_second, "李晓", now());
    store
        .save_issue(&issue, &[undo_priority, undo_response])
        .unwrap();
    assert_eq!(issue.priority, before.priority);

    let csv_text = export(&store, &options(IssuesFormat::Csv));
    assert_eq!(
        &rows(&csv_text)[0][15],
        "已转供电局",
        "the withdrawn response is not the last one"
    );

    let json_text = export(&store, &options(IssuesFormat::Json));
    let items: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    let history = items[0]["history"].as_array().unwrap();
    assert_eq!(history.len(), 6, "{history:#?}");
    let id_of = |kind: &str, nth: usize| -> String {
        history
            .iter()
            .filter(|e| e["change"]["kind"] == kind)
            .nth(nth)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let reverted: Vec<&serde_json::Value> = history
        .iter()
        .filter(|e| e["change"]["kind"] == "reverted")
        .map(|e| &e["change"])
        .collect();
    assert_eq!(reverted.len(), 2);
    assert_eq!(reverted[0]["event"], id_of("priority", 0).as_str());
    assert_eq!(
        reverted[0]["change"],
        serde_json::json!({"kind": "priority", "from": "urgent", "to": "normal"})
    );
    assert_eq!(reverted[1]["event"], id_of("response", 1).as_str());
    assert!(reverted[1]["change"].is_null(), "a response is withdrawn");
}

#[test]
fn every_column_is_at_its_index() {
    // `csv_layout::Layout` finds each column's slot by its index.
    for (index, column) in Column::COLUMNS.iter().enumerate() {
        assert_eq!(column.index(), index);
    }
}

mod values;
