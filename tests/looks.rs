//! The language and the colours as the command line sets them: `settings --lang/--theme`,
//! `LIAISON_LANG`, the locale, and a theme file's mistakes.

mod common;

use common::{seeded, stderr, stdout};
use std::process::{Command, Output};

/// Runs the binary with only the language variables given (none of the machine's).
fn run(db: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_liaison"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("LIAISON_DB")
        .env_remove("LIAISON_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("NO_COLOR")
        .env("LIAISON_BACKUPS", db.join(".backups"));
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

const BAD_FILTER: [&str; 4] = ["issues", "list", "--filter", "status:waiting"];

#[test]
fn the_locale_then_the_setting_then_liaison_lang_choose_the_language() {
    let dir = seeded();
    let db = dir.path();
    let english = stderr(&run(db, &[], &BAD_FILTER));
    assert!(english.contains("unknown status waiting"), "{english}");
    let chinese = stderr(&run(db, &[("LANG", "zh_CN.UTF-8")], &BAD_FILTER));
    assert!(chinese.contains("没有状态 waiting"), "{chinese}");
    // LC_ALL comes before LANG.
    let out = run(
        db,
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C.UTF-8")],
        &BAD_FILTER,
    );
    assert!(stderr(&out).contains("unknown status"), "{}", stderr(&out));

    let out = run(db, &[], &["settings", "--lang", "zh"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("语言：zh"), "{}", stdout(&out));
    let stored = stderr(&run(db, &[("LANG", "C.UTF-8")], &BAD_FILTER));
    assert!(
        stored.contains("没有状态"),
        "the setting wins over the locale: {stored}"
    );
    let overridden = stderr(&run(db, &[("LIAISON_LANG", "en")], &BAD_FILTER));
    assert!(overridden.contains("unknown status"), "{overridden}");

    let out = run(db, &[], &["settings", "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("zh or en"), "{}", stderr(&out));
}

#[test]
fn the_theme_is_a_setting_and_a_bad_theme_file_stops_the_app_with_its_lines() {
    let dir = seeded();
    let db = dir.path();
    let out = run(db, &[], &["settings", "--theme", "light"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("theme: light"), "{}", stdout(&out));
    let out = run(db, &[], &["settings", "--theme", "pink"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no theme pink"), "{}", stderr(&out));

    let file = db.join("theme.toml");
    std::fs::write(
        &file,
        "# mine\nerror = \"#ff0000\"\nwarn = yellowish\nshade = red\n",
    )
    .unwrap();
    let out = run(db, &[("LIAISON_THEME_FILE", file.to_str().unwrap())], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    let path = file.display();
    assert!(
        message.contains(&format!("{path}:3: yellowish is not a colour")),
        "{message}"
    );
    assert!(
        message.contains(&format!("{path}:4: unknown colour name shade")),
        "{message}"
    );
    assert!(!message.contains(":2:"), "{message}");
}

#[test]
fn the_command_line_speaks_chinese_when_asked() {
    let dir = seeded();
    let db = dir.path();
    let zh = [("LIAISON_LANG", "zh")];
    let out = run(db, &zh, &["issues", "status", "999", "answered"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("没有事项 #999"), "{}", stderr(&out));
    let out = run(db, &zh, &["issues", "show", "7"]);
    assert!(
        stdout(&out).contains("状态：      已交办"),
        "{}",
        stdout(&out)
    );
    let out = run(db, &zh, &["departments", "add", "测试局"]);
    assert!(
        stdout(&out).contains("已添加部门 测试局"),
        "{}",
        stdout(&out)
    );
    let out = run(db, &zh, &["firms", "merge", "朗斯家居", "朗斯家居"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("是同一家企业"), "{}", stderr(&out));
}
