//! `export issues` and `import issues` as people and scripts use them: CSV with a byte order
//! mark and Chinese or English headers, JSON with each item's history, filters, round trips,
//! the committed fixtures in each encoding, bad rows, `--dry-run`, `--strict`, and a ledger of
//! 10,000 rows (1,000,000 by hand: `cargo test --release --test issues_io -- --ignored`).

mod common;

use common::csv_fixture as fixture;
use common::{liaison, seeded, stderr, stdout};

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::Output;

fn ok(out: &Output) -> &Output {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    out
}

fn assert_check_passes(db: &Path) {
    let check = liaison(db, &["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
}

/// The CSV's records after its byte order mark, which every export must have.
fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a CSV export starts with a byte order mark");
    let mut reader = csv::Reader::from_reader(text);
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

fn items_json(db: &Path) -> Vec<Value> {
    let out = liaison(db, &["issues", "list", "--json"]);
    ok(&out);
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// What an item says, without what a database gives it (ids, numbers, links to visits).
fn content(items: &[Value]) -> Vec<Vec<Value>> {
    let mut found: Vec<Vec<Value>> = items
        .iter()
        .map(|i| {
            [
                "title",
                "firm",
                "status",
                "department",
                "due",
                "priority",
                "category",
                "resolution",
                "detail",
                "tags",
            ]
            .iter()
            .map(|key| i[key].clone())
            .collect()
        })
        .collect();
    found.sort_by_key(|values| values[0].to_string());
    found
}

#[test]
fn csv_export_has_a_bom_chinese_headers_and_chinese_text_intact() {
    let db = seeded();
    let out = liaison(db.path(), &["export", "issues", "--format", "csv"]);
    ok(&out);
    assert!(out
        .stdout
        .starts_with(b"\xEF\xBB\xBF\xE7\xBC\x96\xE5\x8F\xB7,"));
    let (headers, rows) = csv_rows(&out.stdout);
    assert_eq!(
        headers.join(","),
        "编号,企业名称,诉求,详情,类别,责任部门,负责人,优先级,状态,期限,创建时间,更新时间,走访日期,办结方式,办结答复,最新回复,标签,回访"
    );
    assert_eq!(rows.len(), 20);
    assert!(rows
        .iter()
        .any(|r| r[1] == "中山生物工程有限公司" && r[2] == "扩大产能需新增用地"));

    let english = liaison(db.path(), &["export", "issues", "--headers", "en"]);
    ok(&english);
    let (headers, rows) = csv_rows(&english.stdout);
    assert_eq!(&headers[..3], ["number", "firm", "title"]);
    assert!(
        rows.iter()
            .all(|r| ["new", "assigned", "in-progress", "answered", "closed"]
                .contains(&r[8].as_str()))
    );
}

#[test]
fn json_export_has_the_fields_of_issues_list_and_each_history() {
    let db = seeded();
    let out = liaison(db.path(), &["export", "issues", "--format", "json"]);
    ok(&out);
    let exported: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let listed = items_json(db.path());
    assert_eq!(exported.len(), listed.len());
    for (exported, listed) in exported.iter().zip(&listed) {
        for (key, value) in listed.as_object().unwrap() {
            assert_eq!(&exported[key], value, "{key} of #{}", listed["number"]);
        }
        let history = exported["history"].as_array().unwrap();
        assert_eq!(history[0]["change"]["kind"], "created");
    }
    let all_changes: Vec<&Value> = exported
        .iter()
        .flat_map(|i| i["history"].as_array().unwrap())
        .map(|e| &e["change"])
        .collect();
    for kind in ["department", "response", "status"] {
        assert!(all_changes.iter().any(|c| c["kind"] == kind), "{kind}");
    }
}

#[test]
fn a_filter_limits_the_rows_and_a_bad_one_exits_2() {
    let db = seeded();
    let filter = "dept:发改局 status:open";
    let out = liaison(db.path(), &["export", "issues", "--filter", filter]);
    ok(&out);
    let (_, rows) = csv_rows(&out.stdout);
    let listed = items_json(db.path());
    let expected = listed
        .iter()
        .filter(|i| i["department"] == "发改局" && i["status"] != "closed")
        .count();
    assert!(expected > 0 && expected < listed.len());
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|r| r[5] == "发改局" && r[8] != "已办结"));

    let sorted = liaison(
        db.path(),
        &["export", "issues", "--format", "json", "--sort", "priority"],
    );
    ok(&sorted);
    let items: Vec<Value> = serde_json::from_slice(&sorted.stdout).unwrap();
    assert_eq!(items.len(), 20);

    for (bad, message) in [
        (
            "status:done",
            "liaison: --filter: at character 8: unknown status done",
        ),
        (
            "dept:不存在",
            "liaison: --filter: at character 6: no department 不存在",
        ),
    ] {
        let out = liaison(db.path(), &["export", "issues", "--filter", bad]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).starts_with(message), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn output_to_a_file_is_private() {
    let db = seeded();
    // Outside the database's directory (inside is refused).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("items.json");
    let out = liaison(
        db.path(),
        &[
            "export",
            "issues",
            "--format",
            "json",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    ok(&out);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).starts_with("exported 20 items to "));
    let items: Vec<Value> = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(items.len(), 20);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn an_export_imports_into_an_empty_database_as_the_same_items() {
    let db = seeded();
    let dir = tempfile::tempdir().unwrap();
    for headers in ["zh", "en"] {
        let file = dir.path().join(format!("items-{headers}.csv"));
        let path = file.to_str().unwrap();
        ok(&liaison(
            db.path(),
            &["export", "issues", "--headers", headers, "-o", path],
        ));
        let copy = tempfile::tempdir().unwrap();
        let out = liaison(copy.path(), &["import", "issues", path]);
        ok(&out);
        assert!(
            stdout(&out).ends_with(
                "20 added (8 new firm(s), 12 new department(s)), 0 skipped (read as UTF-8)\n"
            ),
            "{}",
            stdout(&out)
        );
        assert_check_passes(copy.path());
        assert_eq!(
            content(&items_json(copy.path())),
            content(&items_json(db.path())),
            "{headers}"
        );
    }
}

#[test]
fn every_encoding_imports_the_same_items() {
    let mut imported = Vec::new();
    for (file, encoding) in [
        ("issues-utf8.csv", "UTF-8"),
        ("issues-utf8-bom.csv", "UTF-8"),
        ("issues-gb18030.csv", "GB18030"),
    ] {
        let db = tempfile::tempdir().unwrap();
        let out = liaison(db.path(), &["import", "issues", &fixture(file)]);
        ok(&out);
        let summary = stdout(&out);
        assert!(
            summary.ends_with(&format!(
                "5 added (4 new firm(s), 3 new department(s)), 0 skipped (read as {encoding})\n"
            )),
            "{file}: {summary}"
        );
        assert!(summary.contains("not kept: 编号 (items are numbered by this database)"));
        // Tags are kept since schema v3.
        assert!(!summary.contains("标签"), "{summary}");
        assert!(summary.contains("1 closed item(s) without 办结答复/resolution"));
        assert_check_passes(db.path());
        imported.push((file, content(&items_json(db.path()))));
    }
    let (_, first) = &imported[0];
    let land = first.iter().find(|i| i[0] == "扩大产能需新增用地").unwrap();
    assert_eq!(land[1], "中山生物工程有限公司");
    assert_eq!(land[2], "in-progress");
    assert_eq!(land[3], "自然资源分局");
    assert_eq!(land[4], "2026-01-20");
    assert_eq!(land[5], "urgent");
    assert_eq!(land[6], "land");
    assert_eq!(land[8], "利用总部资源扩大产能，\n需在健康基地内新增用地。");
    assert_eq!(land[9], serde_json::json!(["重点企业"]));
    let closed = first.iter().find(|i| i[0] == "人才公寓申请").unwrap();
    assert_eq!(closed[4], "2026-02-15");
    assert_eq!(closed[7]["text"], "imported as closed");
    let on_the_spot = first.iter().find(|i| i[0] == "出口退税办理提速").unwrap();
    assert_eq!(on_the_spot[7]["kind"], "on-the-spot");
    for (file, items) in &imported[1..] {
        assert_eq!(items, first, "{file}");
    }
}

#[test]
fn bad_rows_are_named_by_file_line_and_column_and_exit_2() {
    let db = tempfile::tempdir().unwrap();
    let bad = fixture("issues-bad.csv");
    let out = liaison(db.path(), &["import", "issues", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let errors = stderr(&out);
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 6, "{errors}");
    assert_eq!(lines[0], format!("{bad}:3: 企业名称: must not be empty"));
    assert!(lines[1].starts_with(&format!("{bad}:4: 类别: no category 天气 (known: ")));
    assert!(lines[2].starts_with(&format!("{bad}:5: 优先级: unknown priority 很急")));
    assert!(lines[3].starts_with(&format!("{bad}:5: 状态: unknown status 完成")));
    assert_eq!(
        lines[4],
        format!("{bad}:5: 期限: there is no such day as 2026-02-30")
    );
    assert_eq!(
        lines[5],
        format!("liaison: 3 bad row(s) in {bad}; those rows were skipped, the others imported")
    );
    assert_eq!(items_json(db.path()).len(), 2);
    assert_check_passes(db.path());
}

#[test]
fn control_characters_in_a_file_never_reach_the_terminal() {
    let db = tempfile::tempdir().unwrap();
    let path = db.path().join("hostile.csv");
    std::fs::write(
        &path,
        "企业名称,诉求,优先级,\x1b]0;pwned\x07备注\n明阳智能,出口退税,\x1b[2J急,x\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let out = liaison(db.path(), &["import", "issues", file]);
    assert_eq!(out.status.code(), Some(2));
    let (said, errors) = (stdout(&out), stderr(&out));
    assert!(
        !said.contains('\x1b') && !errors.contains('\x1b'),
        "{said:?} {errors:?}"
    );
    assert!(
        said.contains("ignored columns: \u{241B}]0;pwned\u{2407}备注"),
        "{said}"
    );
    assert!(
        errors.starts_with(&format!("{file}:2: 优先级: unknown priority \u{241B}[2J急")),
        "{errors}"
    );
}

#[test]
fn dry_run_and_strict_write_nothing() {
    let db = tempfile::tempdir().unwrap();
    let good = fixture("issues-utf8.csv");
    let out = liaison(db.path(), &["import", "issues", &good, "--dry-run"]);
    ok(&out);
    let said = stdout(&out);
    assert!(
        said.contains("would create firm 中山生物工程有限公司\n"),
        "{said}"
    );
    assert!(
        said.contains("would create department 自然资源分局\n"),
        "{said}"
    );
    assert!(
        said.contains("dry run, nothing written: 5 to add"),
        "{said}"
    );

    let bad = fixture("issues-bad.csv");
    let strict = liaison(db.path(), &["import", "issues", &bad, "--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(stderr(&strict).ends_with("nothing was written (--strict)\n"));
    let dry = liaison(db.path(), &["import", "issues", &bad, "--dry-run"]);
    assert_eq!(dry.status.code(), Some(2));
    assert!(stderr(&dry).ends_with("dry run, nothing was written\n"));

    assert!(items_json(db.path()).is_empty());
    let firms = liaison(db.path(), &["firms", "list", "--json"]);
    assert_eq!(stdout(&firms).trim(), "[]");
    assert_check_passes(db.path());
}

#[test]
fn files_that_cannot_be_read_exit_2_and_name_the_problem() {
    let db = tempfile::tempdir().unwrap();
    let gb = fixture("issues-gb18030.csv");
    let wrong = liaison(db.path(), &["import", "issues", &gb, "--encoding", "utf8"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert_eq!(
        stderr(&wrong),
        format!("liaison: {gb}: line 1: bytes that are not valid UTF-8\n")
    );
    let missing = liaison(db.path(), &["import", "issues", "/no/such/file.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "liaison: /no/such/file.csv: cannot read: no such file\n"
    );
    let firms = fixture("firms-utf8.csv");
    let no_title = liaison(db.path(), &["import", "issues", &firms]);
    assert_eq!(no_title.status.code(), Some(2));
    assert!(stderr(&no_title).contains("line 1: no 诉求/title column"));
    assert!(items_json(db.path()).is_empty());
}

// ---- large ledgers -------------------------------------------------------------------------

const DEPARTMENTS: [&str; 6] = [
    "发改局",
    "人社局",
    "住建局",
    "供电局",
    "财政金融局",
    "投促局",
];
const STATUSES: [&str; 7] = [
    "新建",
    "已交办",
    "办理中",
    "answered",
    "已办结",
    "closed",
    "",
];
const CATEGORIES: [&str; 4] = ["land", "人才", "finance", ""];
const PRIORITIES: [&str; 5] = ["低", "中", "高", "急", "normal"];

/// A ledger of `rows` items over 1,000 firms, written row by row: every column, a two-line
/// detail now and then, past and future due dates, closed items with and without answers.
fn write_ledger(path: &Path, rows: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut out = std::io::BufWriter::new(file);
    out.write_all(b"\xEF\xBB\xBF").unwrap();
    writeln!(
        out,
        "企业名称,诉求,详情,类别,责任部门,负责人,优先级,状态,期限,创建时间,办结答复,最新回复"
    )
    .unwrap();
    for n in 0..rows {
        let detail = if n % 10 == 0 {
            format!("\"第 {n} 项：\n企业反映的情况，需协调\"")
        } else {
            String::new()
        };
        let status = STATUSES[n % STATUSES.len()];
        let department = if status == "新建" || n % 13 == 0 {
            ""
        } else {
            DEPARTMENTS[n % DEPARTMENTS.len()]
        };
        writeln!(
            out,
            "中山测试{}有限公司,诉求事项 {n}：用地、用电、用工,{detail},{},{department},{},{},{status},2026-{:02}-{:02},2025-{:02}-{:02} 09:30,{},{}",
            n % 1000,
            CATEGORIES[n % CATEGORIES.len()],
            if n % 3 == 0 { "王伟" } else { "" },
            PRIORITIES[n % PRIORITIES.len()],
            1 + n % 12,
            1 + n % 28,
            1 + (n / 7) % 12,
            1 + n % 28,
            if n % 2 == 0 { "已与企业沟通并办结" } else { "" },
            if n % 5 == 0 { "部门已受理" } else { "" },
        )
        .unwrap();
    }
    out.flush().unwrap();
}

fn import_ledger(rows: usize) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ledger.csv");
    write_ledger(&file, rows);
    let db = dir.path().join("db");
    let started = std::time::Instant::now();
    let out = liaison(&db, &["import", "issues", file.to_str().unwrap()]);
    let took = started.elapsed();
    ok(&out);
    eprintln!("imported {rows} rows in {took:.1?}");
    assert!(
        stdout(&out).ends_with(&format!(
            "{rows} added (1000 new firm(s), 6 new department(s)), 0 skipped (read as UTF-8)\n"
        )),
        "{}",
        stdout(&out)
    );
    // The due index and counters hold every item; `check` decodes them all.
    let export = liaison(&db, &["export", "issues", "--filter", "status:closed"]);
    ok(&export);
    let (_, closed) = csv_rows(&export.stdout);
    let expected = (0..rows)
        .filter(|n| ["已办结", "closed"].contains(&STATUSES[n % STATUSES.len()]))
        .count();
    assert_eq!(closed.len(), expected);
    assert_check_passes(&db);
}

#[test]
fn ten_thousand_rows_import_in_one_run() {
    import_ledger(10_000);
}

/// By hand, in a release build: `cargo test --release --test issues_io -- --ignored`.
/// `scripts/measure-issues-import.sh` measures the time, memory and database size.
#[test]
#[ignore]
fn a_million_rows_import_in_one_run() {
    import_ledger(1_000_000);
}
