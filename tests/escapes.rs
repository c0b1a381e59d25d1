//! Nothing the command line prints can drive the terminal: text with escape sequences (ESC,
//! BEL, C1 controls) is refused on every way in — `issues add`, imports, `restore` — and
//! whatever it prints (stored text, file names, argument values) shows control characters
//! made visible, as the app does. Files keep the data exact without raw controls. Every
//! assertion is on the raw bytes the real binary wrote.

mod common;

use common::{liaison, seeded, stderr, stdout};
use liaison::model::{Department, SavedView};
use liaison::store::Store;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// A title that sets the terminal's title, rings the bell and starts a C1 control sequence.
const HOSTILE: &str = "标题\u{1b}]0;pwned\u{7}\u{9b}31m尾";
/// How `HOSTILE` is shown: ESC and BEL as their Control Pictures, C1 as the replacement sign.
const SHOWN: &str = "标题\u{241b}]0;pwned\u{2407}\u{FFFD}31m尾";

/// No control character but the ones `allowed` (line ends) in what was written.
fn assert_no_controls(what: &str, bytes: &[u8], allowed: &[char]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    let found: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && !allowed.contains(c))
        .collect();
    assert!(found.is_empty(), "{what}: raw {found:?} in {text:?}");
}

/// Standard output and error hold nothing a terminal would act on.
fn assert_clean(what: &str, out: &Output) {
    assert_no_controls(&format!("{what} (stdout)"), &out.stdout, &['\n']);
    assert_no_controls(&format!("{what} (stderr)"), &out.stderr, &['\n']);
}

fn run(db: &Path, args: &[&str]) -> Output {
    let out = liaison(db, args);
    assert_clean(&format!("liaison {args:?}"), &out);
    out
}

fn ok(db: &Path, args: &[&str]) -> Output {
    let out = run(db, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    out
}

fn refused(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    stderr(&out)
}

fn item_count(db: &Path) -> usize {
    let list: Value =
        serde_json::from_slice(&ok(db, &["issues", "list", "--json"]).stdout).unwrap();
    list.as_array().unwrap().len()
}

#[test]
fn a_title_with_escapes_is_refused_by_issues_add_and_import() {
    let dir = seeded();
    // Files written go outside the database directory (writing into it is refused).
    let files = tempfile::tempdir().unwrap();
    let db = dir.path();
    let before = item_count(db);
    let firm = "中山生物工程有限公司";
    for title in [HOSTILE, "\u{9b}2J", "响铃\u{7}"] {
        let said = refused(db, &["issues", "add", "--firm", firm, "--title", title]);
        assert_eq!(said, "liaison: --title: contains a control character\n");
    }
    let long = "x".repeat(100_000);
    let said = refused(db, &["issues", "add", "--firm", firm, "--title", &long]);
    assert_eq!(said, "liaison: --title: is longer than 200 characters\n");

    let file = files.path().join("items.csv");
    std::fs::write(
        &file,
        format!("企业名称,诉求\n{firm},\"{HOSTILE}\"\n{firm},好的标题\n"),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let out = run(db, &["import", "issues", file]);
    assert_eq!(out.status.code(), Some(2));
    let errors = stderr(&out);
    assert!(
        errors.starts_with(&format!("{file}:2: 诉求: contains a control character\n")),
        "{errors}"
    );
    assert_eq!(item_count(db), before + 1, "only the good row is added");
}

/// The demo's backup, its lines as JSON values.
fn demo_backup(db: &Path, file: &Path) -> Vec<Value> {
    // A saved view, so that views are checked too.
    {
        let store = Store::open(db).unwrap();
        store
            .put_view(&SavedView {
                id: liaison::model::Id::new(),
                name: "逾期".into(),
                filter: "overdue".into(),
                sort: "due".into(),
            })
            .unwrap();
    }
    ok(db, &["backup", file.to_str().unwrap()]);
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A copy of the backup with one record changed: the first of `kind` for which `change`
/// returns true. Returns the file, the line changed and the record's id.
fn changed_backup(
    lines: &[Value],
    to: &Path,
    kind: &str,
    change: impl Fn(&mut Value) -> bool,
) -> (String, usize, String) {
    let mut lines = lines.to_vec();
    let index = lines
        .iter_mut()
        .position(|l| l["kind"] == kind && change(&mut l["record"]))
        .unwrap_or_else(|| panic!("no {kind} record to change"));
    let id = lines[index]["record"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(to, text).unwrap();
    (to.to_str().unwrap().to_string(), index + 1, id)
}

fn set(field: &'static str, value: &str) -> impl Fn(&mut Value) -> bool {
    let value = value.to_string();
    move |record| {
        record[field] = Value::String(value.clone());
        true
    }
}

#[test]
fn restore_checks_every_field_by_the_rules_of_every_other_way_in() {
    let dir = seeded();
    // Files written go outside the database directory (writing into it is refused).
    let files = tempfile::tempdir().unwrap();
    let lines = demo_backup(dir.path(), &files.path().join("good.jsonl"));
    let long_title = "长".repeat(100_000);
    let esc = "a\u{1b}[2Jb";
    type Change = Box<dyn Fn(&mut Value) -> bool>;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "issue",
            Box::new(set("title", HOSTILE)),
            "title: contains a control character",
        ),
        (
            "issue",
            Box::new(set("title", "a\u{85}b")),
            "title: contains a control character",
        ),
        (
            "issue",
            Box::new(set("title", &long_title)),
            "title: is longer than 200 characters",
        ),
        (
            "issue",
            Box::new(set("detail", esc)),
            "detail: contains a control character",
        ),
        (
            "issue",
            Box::new(set("owner", esc)),
            "owner: contains a control character",
        ),
        (
            "issue",
            Box::new(|r: &mut Value| {
                r["resolution"].is_object() && {
                    r["resolution"]["text"] = "\u{1b}]0;x\u{7}".into();
                    true
                }
            }),
            "resolution: contains a control character",
        ),
        (
            "department",
            Box::new(set("name", esc)),
            "name: contains a control character",
        ),
        (
            "department",
            Box::new(set("name", &"局".repeat(31))),
            "name: is longer than 30 characters",
        ),
        (
            "category",
            Box::new(set("name", "\u{9b}")),
            "name: contains a control character",
        ),
        (
            "view",
            Box::new(set("name", esc)),
            "name: contains a control character",
        ),
        (
            "view",
            Box::new(set("filter", esc)),
            "filter: contains a control character",
        ),
        (
            "firm",
            Box::new(set("name", esc)),
            "name: contains a control character",
        ),
        (
            "visit",
            Box::new(set("lead", esc)),
            "lead: contains a control character",
        ),
        (
            "event",
            Box::new(set("author", esc)),
            "author: contains a control character",
        ),
        (
            "event",
            Box::new(|r: &mut Value| {
                r["change"]["Response"].is_object() && {
                    r["change"]["Response"]["text"] = "\u{7}".into();
                    true
                }
            }),
            "response: contains a control character",
        ),
        (
            "settings",
            Box::new(set("user", esc)),
            "settings: user: contains a control character",
        ),
    ];
    for (n, (kind, change, expected)) in cases.into_iter().enumerate() {
        let file = files.path().join(format!("changed-{n}.jsonl"));
        let (file, line, id) = changed_backup(&lines, &file, kind, change);
        let into = files.path().join(format!("restored-{n}"));
        let said = refused(&into, &["restore", &file]);
        let named = if kind == "settings" {
            String::new()
        } else {
            format!("{kind} {id}: ")
        };
        assert_eq!(
            said,
            format!("liaison: {file}:{line}: {named}{expected}\n"),
            "{kind}: {expected}"
        );
        assert_eq!(item_count(&into), 0, "{kind}: nothing was written");
    }
    // The unchanged backup restores: the rules refuse nothing the app writes.
    let into = files.path().join("restored-good");
    ok(
        &into,
        &["restore", files.path().join("good.jsonl").to_str().unwrap()],
    );
    assert_eq!(item_count(&into), 20);
}

/// A database holding control characters, as one restored by an older liaison could: an item
/// title, a department name and the user name.
fn hostile_ledger() -> (tempfile::TempDir, String) {
    let dir = seeded();
    let store = Store::open(dir.path()).unwrap();
    let mut issue = store.issue_by_number(1).unwrap().unwrap();
    issue.title = HOSTILE.into();
    store.save_issue(&issue, &[]).unwrap();
    let department = Department {
        name: "局\u{1b}[2J".into(),
        ..Department::new("恶意局", "").unwrap()
    };
    store.put_department(&department).unwrap();
    store.set_user("值班\u{1b}]0;x\u{7}").unwrap();
    (dir, issue.id.to_string())
}

#[test]
fn stored_control_characters_are_shown_visible_and_written_escaped() {
    let (dir, id) = hostile_ledger();
    let db = dir.path();
    // Files written go outside the database directory (writing into it is refused).
    let files = tempfile::tempdir().unwrap();

    let said = stdout(&ok(db, &["settings"]));
    assert!(
        said.starts_with("user: 值班\u{241b}]0;x\u{2407}\n"),
        "{said}"
    );

    let table = stdout(&ok(db, &["issues", "list"]));
    assert!(table.contains("标题\u{241b}]0;pwned\u{2407}"), "{table}");

    // JSON keeps the text exact, every control escaped (serde_json alone leaves C1 raw).
    for args in [
        &["issues", "list", "--json"][..],
        &["export", "issues", "--format", "json"],
    ] {
        let out = ok(db, args);
        let raw = stdout(&out);
        assert!(
            raw.contains(r"标题\u001b]0;pwned\u0007\u009b31m尾"),
            "{args:?}"
        );
        let items: Value = serde_json::from_slice(&out.stdout).unwrap();
        let item = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id.as_str())
            .unwrap();
        assert_eq!(item["title"], HOSTILE, "{args:?}");
    }

    // CSV cannot escape: the character is written as it is shown.
    let out = liaison(db, &["export", "issues"]);
    assert_eq!(out.status.code(), Some(0));
    assert_no_controls("export issues (CSV)", &out.stdout, &['\r', '\n', '\t']);
    assert!(stdout(&out).contains(SHOWN));

    // The backup keeps the text exact, escaped, and restores it.
    let file = files.path().join("backup.jsonl");
    ok(db, &["backup", file.to_str().unwrap()]);
    let bytes = std::fs::read(&file).unwrap();
    assert_no_controls("backup", &bytes, &['\n']);
    assert!(String::from_utf8(bytes).unwrap().contains(r"\u009b31m"));

    // The known names listed in an error.
    let said = refused(
        db,
        &[
            "issues",
            "add",
            "--firm",
            "中山生物工程有限公司",
            "--title",
            "t",
            "--department",
            "无",
        ],
    );
    assert!(said.contains("局\u{241b}[2J"), "{said}");
}

#[test]
fn argument_values_are_echoed_visible() {
    let dir = seeded();
    let db = dir.path();
    let firm = "中山生物工程有限公司";
    let said = refused(
        db,
        &[
            "issues",
            "add",
            "--firm",
            "\u{1b}]0;pwned\u{7}",
            "--title",
            "t",
        ],
    );
    assert_eq!(
        said,
        "liaison: --firm: no firm named \u{241b}]0;pwned\u{2407}\n"
    );
    let said = refused(db, &["issues", "list", "--firm", "\u{9b}2J"]);
    assert_eq!(said, "liaison: --firm: no firm matches \u{FFFD}2J\n");
    let said = refused(
        db,
        &[
            "issues",
            "add",
            "--firm",
            firm,
            "--title",
            "t",
            "--department",
            "\u{1b}[2J",
        ],
    );
    assert!(said.starts_with("liaison: --department: no department named \u{241b}[2J; known: "));
    let said = refused(
        db,
        &[
            "issues",
            "add",
            "--firm",
            firm,
            "--title",
            "t",
            "--category",
            "\u{1b}[2J",
        ],
    );
    assert!(said.starts_with("liaison: --category: no category \u{241b}[2J; known: "));
    refused(db, &["issues", "list", "--filter", "dept:\u{1b}[2J"]);

    // clap quotes a refused value; on a terminal (forced here) it would print it raw. Its
    // messages keep their colour when nothing typed holds a control character.
    let clap = |args: &[&str], env: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"));
        command
            .env("LIAISON_LANG", "en")
            .args(args)
            .env("CLICOLOR_FORCE", "1");
        match env {
            Some(value) => command.env("LIAISON_DB", value),
            None => command.env_remove("LIAISON_DB"),
        };
        let out = command.output().unwrap();
        (out.status.code(), stdout(&out), stderr(&out))
    };
    let add = ["issues", "add", "--firm", firm, "--title", "t"];
    for (flag, value, shown) in [
        ("--priority", "\u{1b}]0;x\u{7}", "\u{241b}]0;x\u{2407}"),
        ("--due", "\u{9b}2J", "\u{FFFD}2J"),
    ] {
        let args = [&["--db", db.to_str().unwrap()], &add[..], &[flag, value]].concat();
        let (code, _, said) = clap(&args, None);
        assert_eq!(code, Some(2));
        assert_no_controls("a refused value", said.as_bytes(), &['\n']);
        assert!(
            said.starts_with(&format!("error: invalid value '{shown}' for '{flag} <")),
            "{said}"
        );
    }
    let args = [
        &["--db", db.to_str().unwrap()],
        &add[..],
        &["--priority", "zz"],
    ]
    .concat();
    let (code, _, said) = clap(&args, None);
    assert_eq!(code, Some(2));
    assert!(said.starts_with("\u{1b}[1m"), "still in colour: {said:?}");
    // --help shows LIAISON_DB's value.
    let (code, help, _) = clap(&["--help"], Some("/tmp/\u{1b}]0;x\u{7}"));
    assert_eq!(code, Some(0));
    assert_no_controls("--help", help.as_bytes(), &['\n']);
    assert!(
        help.contains("LIAISON_DB=/tmp/\u{241b}]0;x\u{2407}]"),
        "{help}"
    );
}

#[test]
fn file_names_with_escapes_are_shown_visible() {
    let dir = seeded();
    // Files written go outside the database directory (writing into it is refused).
    let files = tempfile::tempdir().unwrap();
    let db = dir.path();
    let name = "evil\u{1b}]0;pwned\u{7}";
    let shown = "evil\u{241b}]0;pwned\u{2407}";
    let path = |ext: &str| files.path().join(format!("{name}.{ext}"));
    let text = |p: &Path| p.to_str().unwrap().to_string();
    let visible = |p: &Path| text(p).replace(name, shown);

    // Import: a missing file, then one with a bad row and a good one.
    let csv = path("csv");
    let said = refused(db, &["import", "issues", &text(&csv)]);
    assert_eq!(
        said,
        format!("liaison: {}: cannot read: no such file\n", visible(&csv))
    );
    std::fs::write(
        &csv,
        "企业名称,诉求,优先级\n中山生物工程有限公司,好,很急\n中山生物工程有限公司,好\n",
    )
    .unwrap();
    let out = run(db, &["import", "issues", &text(&csv)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(&format!("{}:2: 优先级", visible(&csv))));
    assert!(stdout(&out).starts_with(&format!("{}: 1 added", visible(&csv))));
    let firms_csv = path("firms.csv");
    std::fs::write(&firms_csv, "企业名称\n新企业\n").unwrap();
    let out = ok(db, &["import", "firms", &text(&firms_csv)]);
    assert!(stdout(&out).starts_with(&format!("{}: 1 added", visible(&firms_csv))));

    // Export, backup and restore name their files.
    let out = ok(db, &["export", "issues", "-o", &text(&path("out.csv"))]);
    assert!(stderr(&out).ends_with(&format!(" to {}\n", visible(&path("out.csv")))));
    let backup = path("jsonl");
    let out = ok(db, &["backup", &text(&backup)]);
    assert!(stderr(&out).contains(&format!(" to {} in ", visible(&backup))));
    let out = ok(&files.path().join("restored"), &["restore", &text(&backup)]);
    assert!(stderr(&out).contains(&format!(" from {} into ", visible(&backup))));
    let said = refused(
        &files.path().join("restored-2"),
        &["restore", &text(&path("missing"))],
    );
    assert!(said.starts_with(&format!(
        "liaison: {}: cannot open",
        visible(&path("missing"))
    )));
}
