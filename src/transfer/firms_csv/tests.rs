use super::*;
use crate::store::Store;
use crate::transfer::TextEncoding;
use chrono::DateTime;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-12-15T10:00:00+08:00").unwrap()
}

fn later() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-12-20T16:00:00+08:00").unwrap()
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn import(store: &Store, text: &str) -> ImportReport {
    import_with(store, text, ImportOptions::default())
}

fn import_with(store: &Store, text: &str, options: ImportOptions) -> ImportReport {
    import_firms(store, text.as_bytes(), &options, now()).unwrap()
}

fn sorted_firms(store: &Store) -> Vec<Firm> {
    let mut firms = store.firms().unwrap().records;
    firms.sort_by(|a, b| a.name.cmp(&b.name));
    firms
}

fn stored(store: &Store, name: &str) -> Firm {
    let id = store.firm_by_name(name).unwrap().expect(name);
    store.firm(id).unwrap().unwrap()
}

fn contact(name: &str, title: &str, phone: &str, email: &str) -> Contact {
    Contact {
        name: name.into(),
        title: title.into(),
        phone: phone.into(),
        email: email.into(),
    }
}

fn export(store: &Store, options: ExportOptions) -> String {
    let mut out = Vec::new();
    export_firms(store, &mut out, &options).unwrap();
    let text = String::from_utf8(out).unwrap();
    text.strip_prefix('\u{FEFF}')
        .expect("exports start with a byte order mark")
        .to_string()
}

const TWO_FIRMS: &str = "\
企业名称,简称,行业,园区,地址,标签,联系人,职务,电话,邮箱,备注
中山生物工程有限公司,中山生物,生物医药,健康基地,火炬区1号,重点企业；规上企业,王婉灵,总经理,0760-8888 1234,wang@example.cn,
中山生物工程有限公司,,,,,,刘芳,行政部经理,138 2620 0102,,
明阳智慧能源集团股份公司,明阳智能,新能源,,,上市公司、重点企业,,,,,\"两行
备注\"
";

#[test]
fn headers_match_in_either_language_ignoring_case_width_and_separators() {
    for text in ["企业名称", " Name ", "NAME", "名称", "ｎａｍｅ"] {
        assert_eq!(Column::from_header(text), Some(Column::Name), "{text}");
    }
    for text in [
        "简称",
        "short_name",
        "Short Name",
        "SHORT-NAME",
        "shortname",
    ] {
        assert_eq!(Column::from_header(text), Some(Column::ShortName), "{text}");
    }
    assert_eq!(Column::from_header("電話"), None);
    for column in Column::ALL {
        assert_eq!(Column::from_header(column.chinese()), Some(column));
        assert_eq!(Column::from_header(column.english()), Some(column));
    }
    // `csv_layout::Layout` finds each column's slot by its index.
    for (index, column) in Column::COLUMNS.iter().enumerate() {
        assert_eq!(column.index(), index);
    }
}

#[test]
fn tags_split_on_every_common_separator() {
    assert_eq!(
        split_tags(" 重点企业;规上企业；上市公司,高新,技术，专精特新、小巨人|外资 ;; "),
        [
            "重点企业",
            "规上企业",
            "上市公司",
            "高新",
            "技术",
            "专精特新",
            "小巨人",
            "外资"
        ]
    );
}

#[test]
fn rows_of_one_firm_become_one_firm_with_its_contacts() {
    let (_dir, store) = temp_store();
    let report = import(&store, TWO_FIRMS);
    assert!(report.is_clean(), "{:?}", report.errors);
    assert!(report.applied);
    assert_eq!((report.added(), report.updated()), (2, 0));
    assert_eq!(report.encoding, TextEncoding::Utf8);
    assert_eq!(report.firms[0].line, 2);
    assert_eq!(report.firms[1].line, 4);

    let bio = stored(&store, "中山生物工程有限公司");
    assert_eq!(bio.short_name, "中山生物");
    assert_eq!(bio.park, "健康基地");
    assert_eq!(bio.tags, ["重点企业", "规上企业"]);
    assert_eq!(
        bio.contacts,
        [
            contact("王婉灵", "总经理", "0760-8888 1234", "wang@example.cn"),
            contact("刘芳", "行政部经理", "138 2620 0102", ""),
        ]
    );
    assert_eq!((bio.created, bio.updated), (now(), now()));
    let wind = stored(&store, "明阳智慧能源集团股份公司");
    assert!(wind.contacts.is_empty());
    assert_eq!(wind.notes, "两行\n备注");
    assert_eq!(store.counts().unwrap().firms, 2);
}

#[test]
fn firm_fields_come_from_the_first_row_with_a_value() {
    let (_dir, store) = temp_store();
    import(
        &store,
        "name,sector,park\n弘景光电,,A区\n弘景光电,光电,B区\n弘景光电,电子,\n",
    );
    let firm = stored(&store, "弘景光电");
    assert_eq!((firm.sector.as_str(), firm.park.as_str()), ("光电", "A区"));
}

#[test]
fn a_firm_already_stored_is_updated_by_name_not_duplicated() {
    let (_dir, store) = temp_store();
    let mut firm = Firm::new("中山ＡＢＣ生物有限公司", now()).unwrap();
    firm.sector = "生物医药".into();
    firm.notes = "老备注".into();
    firm.contacts = vec![
        contact("王婉灵", "总经理", "0760-1111 1111", ""),
        contact("何敏", "董秘", "", ""),
    ];
    store.put_firm(&firm).unwrap();

    let csv = "name,park,contact,title,phone\n\
               中山abc生物有限公司,健康基地,王婉灵,董事长,0760-2222 2222\n\
               中山 ABC 生物有限公司,,周涛,副总经理,\n";
    let report = import_firms(&store, csv.as_bytes(), &ImportOptions::default(), later()).unwrap();
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!(
        report.firms[0].outcome,
        Outcome::Updated {
            fields: vec!["name", "park", "contacts"]
        }
    );
    assert_eq!(store.counts().unwrap().firms, 1);
    let updated = store.firm(firm.id).unwrap().unwrap();
    assert_eq!(updated.name, "中山abc生物有限公司");
    assert_eq!(
        updated.sector, "生物医药",
        "empty cells keep what is stored"
    );
    assert_eq!(updated.notes, "老备注");
    assert_eq!(updated.park, "健康基地");
    assert_eq!(
        updated.contacts,
        [
            contact("王婉灵", "董事长", "0760-2222 2222", ""),
            contact("何敏", "董秘", "", ""),
            contact("周涛", "副总经理", "", ""),
        ]
    );
    assert_eq!((updated.created, updated.updated), (now(), later()));
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let (_dir, store) = temp_store();
    import(&store, TWO_FIRMS);
    let before = sorted_firms(&store);
    let report = import_firms(
        &store,
        TWO_FIRMS.as_bytes(),
        &ImportOptions::default(),
        later(),
    )
    .unwrap();
    assert_eq!(report.unchanged(), 2);
    assert_eq!(sorted_firms(&store), before, "not even `updated` moves");
}

const WITH_BAD_ROWS: &str = "\
企业名称,联系人,电话,邮箱,备注
好企业甲,张三,0760-8888 0001,zhang@example.cn,\"备注跨
两行\"
坏电话企业,李四,call me,,
,王五,0760-8888 0003,,
坏邮箱企业,赵六,,zhao@,
好企业乙,钱七,,,
好企业甲,孙八,,sun@example,
";

#[test]
fn bad_rows_are_reported_with_line_and_column_and_their_firms_are_skipped() {
    let (_dir, store) = temp_store();
    let report = import(&store, WITH_BAD_ROWS);
    let errors: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "line 4: 电话: is not a phone number (digits with spaces, +, -, parentheses)",
            "line 5: 企业名称: must not be empty",
            "line 6: 邮箱: is not an email address (name@example.cn)",
            "line 8: 邮箱: is not an email address (name@example.cn)",
        ]
    );
    assert!(report.applied);
    let outcomes: Vec<(&str, &Outcome)> = report
        .firms
        .iter()
        .map(|f| (f.name.as_str(), &f.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("好企业甲", &Outcome::Rejected),
            ("坏电话企业", &Outcome::Rejected),
            ("坏邮箱企业", &Outcome::Rejected),
            ("好企业乙", &Outcome::Added),
        ]
    );
    let names: Vec<String> = sorted_firms(&store).into_iter().map(|f| f.name).collect();
    assert_eq!(names, ["好企业乙"]);
}

#[test]
fn every_rule_of_the_model_is_checked_and_named_by_column() {
    let (_dir, store) = temp_store();
    let long_name = "长".repeat(101);
    let csv = format!(
        "name,sector,tags,contact,title,phone\n\
         {long_name},,,,,\n\
         控制字符企业,\"生物\u{1b}[2J\",,,,\n\
         标签企业,,{},,,\n\
         无名联系人,,,,经理,0760-8888 0001\n\
         多处错误,,,张三,\"a\nb\",12\n",
        "标".repeat(31)
    );
    let report = import(&store, &csv);
    let errors: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "line 2: name: is longer than 100 characters",
            "line 3: sector: contains a control character",
            "line 4: tags: is longer than 30 characters",
            "line 5: contact: must not be empty",
            "line 6: title: contains a control character",
            "line 6: phone: is not a phone number (digits with spaces, +, -, parentheses)",
        ]
    );
    assert_eq!(report.rejected(), 5);
    assert_eq!(store.counts().unwrap().firms, 0);
}

#[test]
fn strict_writes_nothing_when_any_row_is_bad() {
    let (_dir, store) = temp_store();
    let options = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let report = import_with(&store, WITH_BAD_ROWS, options);
    assert!(!report.applied);
    assert_eq!(report.added(), 1, "it says what would have been added");
    assert_eq!(store.counts().unwrap().firms, 0);

    let clean = import_with(&store, TWO_FIRMS, options);
    assert!(clean.applied);
    assert_eq!(store.counts().unwrap().firms, 2);
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let (_dir, store) = temp_store();
    import(&store, "name,sector\n弘景光电,光电\n");
    let before = sorted_firms(&store);
    let options = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import_with(&store, "name,sector\n弘景光电,电子\n新企业,\n", options);
    assert!(!report.applied);
    assert_eq!(
        report
            .firms
            .iter()
            .map(|f| f.outcome.clone())
            .collect::<Vec<_>>(),
        [
            Outcome::Updated {
                fields: vec!["sector"]
            },
            Outcome::Added
        ]
    );
    assert_eq!(sorted_firms(&store), before);
}

#[test]
fn unknown_columns_are_ignored_but_named_and_the_name_column_is_required() {
    let (_dir, store) = temp_store();
    let report = import(
        &store,
        "统一社会信用代码,名称,,注册资本\n123,弘景光电,,1亿\n",
    );
    assert_eq!(report.ignored_columns, ["统一社会信用代码", "注册资本"]);
    assert_eq!(report.added(), 1);

    let missing = import_firms(
        &store,
        "简称,电话\n弘景,0760\n".as_bytes(),
        &ImportOptions::default(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(missing, ImportError::NoNameColumn { .. }));
    assert_eq!(
        missing.to_string(),
        "line 1: no firm name column (企业名称, 名称 or name); the header has: 简称, 电话"
    );
    let tabs = import_firms(
        &store,
        "企业名称\t简称\n弘景光电\t弘景\n".as_bytes(),
        &ImportOptions::default(),
        now(),
    )
    .unwrap_err();
    assert!(tabs.to_string().contains("separated by tabs"), "{tabs}");
    for empty in ["", "\n\n", "\u{FEFF}"] {
        let error =
            import_firms(&store, empty.as_bytes(), &ImportOptions::default(), now()).unwrap_err();
        assert!(matches!(error, ImportError::NoHeader), "{empty:?}: {error}");
    }
    let twice = import_firms(
        &store,
        "名称,name\n".as_bytes(),
        &ImportOptions::default(),
        now(),
    )
    .unwrap_err();
    assert_eq!(
        twice.to_string(),
        "line 1: the columns 名称 and name are the same field; keep one of them"
    );
}

#[test]
fn blank_rows_and_short_rows_are_fine() {
    let (_dir, store) = temp_store();
    let report = import(&store, "name,sector,phone\r\n\r\n,,\r\n弘景光电\r\n");
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!(report.firms[0].line, 4);
    assert_eq!(report.added(), 1);
}

#[test]
fn line_numbers_count_blank_lines_and_line_breaks_inside_cells() {
    let cases = [
        ("name\n,\n\nA\n", 4),
        ("name\r\n\r\n\r\nA\r\n", 4),
        ("name,notes\nB,\"x\ny\"\n\nA\n", 5),
        ("name,notes\r\nB,\"x\r\ny\"\r\n\r\nA", 5),
        ("\"name\"\n\n\n\"A\"\n", 4),
    ];
    for (text, line) in cases {
        let (_dir, store) = temp_store();
        let report = import(&store, text);
        let a = report.firms.iter().find(|f| f.name == "A").unwrap();
        assert_eq!(a.line, line, "{text:?}");
    }
}

#[test]
fn a_damaged_stored_firm_is_reported_and_left_alone() {
    let (_dir, store) = temp_store();
    let firm = Firm::new("弘景光电", now()).unwrap();
    store.put_firm(&firm).unwrap();
    crate::store::testing::corrupt_value(&store, "firms", firm.id.as_bytes()).unwrap();
    let report = import(&store, "name,sector\n新企业,\n弘景光电,光电\n");
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, 3);
    assert!(report.errors[0].message.contains("cannot be read"));
    assert_eq!(report.added(), 1);
    assert!(store.firm(firm.id).is_err(), "still the damaged bytes");
}

fn demo_like_store() -> (tempfile::TempDir, Store) {
    let (dir, store) = temp_store();
    import(&store, TWO_FIRMS);
    let mut archived = Firm::new("已迁出企业", now()).unwrap();
    archived.archived = true;
    store.put_firm(&archived).unwrap();
    let mut quoted = Firm::new("引号\"和,逗号企业", now()).unwrap();
    quoted.address = "中山市火炬开发区, 康乐大道".into();
    quoted.notes = "第一行\n第二行，\"引用\"".into();
    store.put_firm(&quoted).unwrap();
    (dir, store)
}

#[test]
fn export_writes_a_bom_crlf_and_one_row_per_contact() {
    let (_dir, store) = demo_like_store();
    let text = export(&store, ExportOptions::default());
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "企业名称,简称,行业,园区,地址,标签,联系人,职务,电话,邮箱,备注"
    );
    // In pinyin order: 明阳… (ming), 引号… (yin), 中山… (zhong).
    assert!(lines[1].starts_with("明阳智慧能源"), "{}", lines[1]);
    let quoted = lines.iter().position(|l| l.starts_with("\"引号")).unwrap();
    let first = lines
        .iter()
        .position(|l| l.starts_with("中山生物工程有限公司"))
        .unwrap();
    assert!(quoted < first);
    assert_eq!(
        lines[first],
        "中山生物工程有限公司,中山生物,生物医药,健康基地,火炬区1号,重点企业;规上企业,王婉灵,总经理,0760-8888 1234,wang@example.cn,"
    );
    assert!(lines[first + 1].starts_with(
        "中山生物工程有限公司,中山生物,生物医药,健康基地,火炬区1号,重点企业;规上企业,刘芳,"
    ));
    assert!(!text.contains("已迁出企业"));

    let mut with_archived = Vec::new();
    let summary = export_firms(
        &store,
        &mut with_archived,
        &ExportOptions {
            headers: Headers::English,
            include_archived: true,
        },
    )
    .unwrap();
    assert_eq!((summary.firms, summary.rows), (4, 5));
    let with_archived = String::from_utf8(with_archived).unwrap();
    assert!(with_archived.starts_with(
        "\u{FEFF}name,short_name,sector,park,address,tags,contact,title,phone,email,notes\r\n"
    ));
    assert!(with_archived.contains("已迁出企业"));
}

#[test]
fn an_export_imports_into_a_fresh_database_as_the_same_firms() {
    let (_dir, store) = demo_like_store();
    for headers in [Headers::Chinese, Headers::English] {
        let options = ExportOptions {
            headers,
            include_archived: false,
        };
        let mut file = Vec::new();
        export_firms(&store, &mut file, &options).unwrap();
        let (_fresh_dir, fresh) = temp_store();
        let report = import_firms(&fresh, &file, &ImportOptions::default(), later()).unwrap();
        assert!(report.is_clean(), "{:?}", report.errors);
        assert_eq!(report.added(), 3);

        let content = |firms: Vec<Firm>| -> Vec<Firm> {
            firms
                .into_iter()
                .filter(|f| !f.archived)
                .map(|f| Firm {
                    id: Id::MIN,
                    created: now(),
                    updated: now(),
                    ..f
                })
                .collect()
        };
        assert_eq!(content(sorted_firms(&fresh)), content(sorted_firms(&store)));
    }
}

#[test]
fn an_export_imported_into_its_own_database_changes_nothing() {
    let (_dir, store) = demo_like_store();
    let before = sorted_firms(&store);
    let mut file = Vec::new();
    export_firms(&store, &mut file, &ExportOptions::default()).unwrap();
    let report = import_firms(&store, &file, &ImportOptions::default(), later()).unwrap();
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!((report.unchanged(), report.firms.len()), (3, 3));
    assert_eq!(sorted_firms(&store), before);
}
