//! `import firms` and `export firms` as people and scripts use them: the committed fixtures in
//! each encoding, bad rows, `--strict`, `--dry-run`, round trips and exit codes.

mod common;

use common::csv_fixture as fixture;
use common::{liaison, seeded, stderr, stdout};

use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn import(db: &Path, file: &str, flags: &[&str]) -> Output {
    let mut args = vec!["import", "firms", file];
    args.extend_from_slice(flags);
    liaison(db, &args)
}

fn firms_json(db: &Path) -> Vec<Value> {
    let out = liaison(db, &["firms", "list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let firms: Value = serde_json::from_slice(&out.stdout).unwrap();
    firms.as_array().unwrap().clone()
}

/// The firms' content without what a database assigns itself (ids and times).
fn content(db: &Path) -> Vec<Value> {
    firms_json(db)
        .into_iter()
        .map(|mut firm| {
            let object = firm.as_object_mut().unwrap();
            for key in ["id", "created", "updated"] {
                object.remove(key);
            }
            firm
        })
        .collect()
}

#[test]
fn every_encoding_and_header_language_imports_the_same_firms() {
    let mut imported = Vec::new();
    for (file, encoding) in [
        ("firms-utf8.csv", "UTF-8"),
        ("firms-utf8-bom.csv", "UTF-8"),
        ("firms-gb18030.csv", "GB18030"),
        ("firms-en.csv", "UTF-8"),
    ] {
        let db = tempfile::tempdir().unwrap();
        let out = import(db.path(), &fixture(file), &[]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        assert!(
            stdout(&out).ends_with(&format!(
                "3 added, 0 updated, 0 unchanged, 0 skipped (read as {encoding})\n"
            )),
            "{file}: {}",
            stdout(&out)
        );
        imported.push((file, content(db.path())));
    }
    let (_, first) = &imported[0];
    let bio = first
        .iter()
        .find(|f| f["name"] == "中山生物工程有限公司")
        .unwrap();
    assert_eq!(bio["tags"], serde_json::json!(["重点企业", "规上企业"]));
    assert_eq!(bio["contacts"][1]["name"], "刘芳");
    assert_eq!(bio["address"], "中山市火炬开发区康乐大道 1 号");
    let hj = first
        .iter()
        .find(|f| f["short_name"] == "弘景光电")
        .unwrap();
    assert_eq!(hj["notes"], "扩产用地已选址，待审批");
    for (file, firms) in &imported[1..] {
        assert_eq!(firms, first, "{file}");
    }
}

#[test]
fn an_explicit_encoding_is_obeyed_and_invalid_bytes_are_named_by_line() {
    let db = tempfile::tempdir().unwrap();
    let gb = fixture("firms-gb18030.csv");
    let explicit = import(db.path(), &gb, &["--encoding", "gb18030"]);
    assert_eq!(explicit.status.code(), Some(0), "{}", stderr(&explicit));

    let wrong = import(db.path(), &gb, &["--encoding", "utf8", "--dry-run"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert_eq!(
        stderr(&wrong),
        format!("liaison: {gb}: line 1: bytes that are not valid UTF-8\n")
    );
    let unknown = import(db.path(), &gb, &["--encoding", "big5"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("--encoding"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn bad_rows_are_reported_as_file_line_field_and_the_good_firms_imported() {
    let db = tempfile::tempdir().unwrap();
    let file = fixture("firms-bad.csv");
    let out = import(db.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout(&out),
        format!("{file}: 2 added, 0 updated, 0 unchanged, 2 skipped (read as UTF-8)\n")
    );
    assert_eq!(
        stderr(&out),
        format!(
            "{file}:3: 电话: is not a phone number (digits with spaces, +, -, parentheses)\n\
             {file}:4: 企业名称: must not be empty\n\
             {file}:5: 邮箱: is not an email address (name@example.cn)\n\
             liaison: 3 bad row(s) in {file}; the firms they belong to were skipped, the others imported\n"
        )
    );
    let names: Vec<Value> = firms_json(db.path())
        .into_iter()
        .map(|f| f["name"].clone())
        .collect();
    // Listed in pinyin order: ai… before zhong….
    assert_eq!(names, ["艾特网能技术有限公司", "中山生物工程有限公司"]);
}

#[test]
fn strict_writes_nothing_when_a_row_is_bad() {
    let db = tempfile::tempdir().unwrap();
    let out = import(db.path(), &fixture("firms-bad.csv"), &["--strict"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("bad rows under --strict, nothing written: 2 to add"));
    assert!(stderr(&out).contains("nothing was written (--strict)"));
    assert!(firms_json(db.path()).is_empty());
}

#[test]
fn a_dry_run_shows_the_changes_and_writes_nothing() {
    let db = seeded();
    let before = firms_json(db.path());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("changes.csv");
    std::fs::write(
        &file,
        "企业名称,行业\n中山生物工程有限公司,生物制药\n新来的企业有限公司,\n",
    )
    .unwrap();
    let out = import(db.path(), file.to_str().unwrap(), &["--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "would update 中山生物工程有限公司: sector\nwould add 新来的企业有限公司\n"
        ),
        "{text}"
    );
    assert!(text.contains("dry run, nothing written: 1 to add, 1 to update, 0 unchanged"));
    // The same report in Chinese.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("--db")
        .arg(db.path())
        .args(["import", "firms", file.to_str().unwrap(), "--dry-run"])
        .env("LIAISON_LANG", "zh")
        .env_remove("LIAISON_DB")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("将更新 中山生物工程有限公司：sector\n将添加 新来的企业有限公司\n"),
        "{text}"
    );
    assert!(
        text.contains("试运行，未写入任何内容：待添加 1，待更新 1，未变 0"),
        "{text}"
    );
    assert_eq!(firms_json(db.path()), before);
}

#[test]
fn a_firm_already_stored_is_updated_by_name_and_its_contacts_merged() {
    let db = seeded();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("update.csv");
    // The demo firm has 林海 and 许静. The second row's name differs only in width and
    // spacing: the same firm.
    std::fs::write(
        &file,
        "name,contact,title,phone\n\
         中山生物工程有限公司,许静,副总经理,135 3070 9999\n\
         \u{3000}中山生物工程 有限公司,周新,采购经理,\n",
    )
    .unwrap();
    let out = import(db.path(), file.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(": 0 added, 1 updated, 0 unchanged, 0 skipped"),
        "{}",
        stdout(&out)
    );
    let firms = firms_json(db.path());
    assert_eq!(firms.len(), 8, "no duplicate");
    let bio = firms
        .iter()
        .find(|f| f["name"] == "中山生物工程有限公司")
        .unwrap();
    let contacts: Vec<(&str, &str, &str)> = bio["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["title"].as_str().unwrap(),
                c["phone"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        contacts,
        [
            ("林海", "总经理", "0760-8559 0701"),
            ("许静", "副总经理", "135 3070 9999"),
            ("周新", "采购经理", ""),
        ]
    );
    assert_eq!(liaison(db.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn an_export_imports_into_a_fresh_database_as_the_same_firms() {
    let db = seeded();
    let dir = tempfile::tempdir().unwrap();
    for headers in ["zh", "en"] {
        let file = dir.path().join(format!("firms-{headers}.csv"));
        let file = file.to_str().unwrap();
        let out = liaison(
            db.path(),
            &["export", "firms", "-o", file, "--headers", headers],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
        assert!(
            stderr(&out).contains("exported 8 firms"),
            "{}",
            stderr(&out)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let fresh = tempfile::tempdir().unwrap();
        let out = import(fresh.path(), file, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("8 added"), "{}", stdout(&out));
        assert_eq!(content(fresh.path()), content(db.path()), "{headers}");
    }
}

#[test]
fn an_export_imported_into_its_own_database_is_all_unchanged() {
    let db = seeded();
    let before = firms_json(db.path());
    let export = liaison(db.path(), &["export", "firms"]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    assert!(export
        .stdout
        .starts_with("\u{FEFF}企业名称,简称,".as_bytes()));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("firms.csv");
    std::fs::write(&file, &export.stdout).unwrap();
    let out = import(db.path(), file.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(": 0 added, 0 updated, 8 unchanged, 0 skipped"),
        "{}",
        stdout(&out)
    );
    assert_eq!(firms_json(db.path()), before);
}

#[test]
fn unusable_files_exit_2_naming_the_file() {
    let db = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.csv");
    let missing = missing.to_str().unwrap();
    let out = import(db.path(), missing, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("liaison: {missing}: cannot read: no such file\n")
    );

    let no_name = dir.path().join("no-name.csv");
    std::fs::write(&no_name, "简称,电话\n弘景,0760-8559 0201\n").unwrap();
    let out = import(db.path(), no_name.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-name.csv: line 1: no firm name column"),
        "{}",
        stderr(&out)
    );

    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let out = import(db.path(), empty.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("empty.csv: the file is empty"));

    let nowhere = dir.path().join("no/such/dir/out.csv");
    let out = liaison(
        db.path(),
        &["export", "firms", "-o", nowhere.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("out.csv: cannot create"));
    for args in [
        &["export", "firms", "--headers", "fr"][..],
        &["import", "firms"],
        &["import", "visits", "x.csv"],
    ] {
        let out = liaison(db.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn ten_thousand_firms_import_in_one_go() {
    const FIRMS: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.csv");
    let mut text = String::from("企业名称,行业,标签,联系人,电话,邮箱\n");
    for n in 0..FIRMS {
        text.push_str(&format!(
            "中山第{n}号科技有限公司,电子,规上企业;高新技术企业,联系人{n},0760-8{:03} {:04},c{n}@example.cn\n",
            n % 1000,
            n
        ));
    }
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("db");
    let started = std::time::Instant::now();
    let out = import(&db, file.to_str().unwrap(), &[]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("{FIRMS} added")),
        "{}",
        stdout(&out)
    );
    let store = liaison::store::Store::open(&db).unwrap();
    assert_eq!(store.counts().unwrap().firms, FIRMS as u64);
    assert!(store
        .firm_by_name("中山第9999号科技有限公司")
        .unwrap()
        .is_some());
    eprintln!("imported {FIRMS} firms in {took:?}");
}

/// Issue 12, bug 9: the export was in code-point order (中… before 广…), not the pinyin
/// order of the directory, `firms list` and every screen.
#[test]
fn the_export_lists_firms_in_the_directorys_pinyin_order() {
    let db = seeded();
    let list = liaison(db.path(), &["firms", "list", "--json"]);
    let listed: Vec<String> = serde_json::from_slice::<Vec<serde_json::Value>>(&list.stdout)
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    let export = liaison(db.path(), &["export", "firms"]);
    let text = String::from_utf8(export.stdout).unwrap();
    let mut exported: Vec<String> = Vec::new();
    for line in text.lines().skip(1) {
        let name = line.split(',').next().unwrap().to_string();
        if exported.last() != Some(&name) {
            exported.push(name);
        }
    }
    assert_eq!(exported, listed);
    assert_eq!(
        exported.first().map(String::as_str),
        Some("艾特网能技术有限公司")
    );
}
