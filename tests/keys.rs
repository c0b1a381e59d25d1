//! Keys as data (issue 11, parts 3 and 5): the user's keys.toml, the help and the hint bar
//! made from the live table, the README's table, a broken file refused by line.

mod common;

use common::{demo_store, stderr, stdout, Screen};
use liaison::app::keymap::Keymap;
use liaison::app::{keys, update, Action, MessageKind, Mode, Tab};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn screen(dir: &Path, width: u16, height: u16) -> Screen {
    Screen::new(demo_store(dir), width, height)
}

fn keymap(text: &str) -> Result<Keymap, keys::KeysError> {
    let mut map = Keymap::default();
    keys::apply(&mut map, text, Path::new("keys.toml"))?;
    Ok(map)
}

const MOVED: &str = "# j/k on n/e, triage's a on A\n[list]\ndown = [\"n\", \"Down\"]\nup = [\"e\", \"Up\"]\n\n[issues]\nassign = \"A\"\n";

#[test]
fn a_keys_file_moves_keys_and_the_help_and_hints_follow() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(dir.path(), 120, 40);
    screen.app = screen.app.with_keys(keymap(MOVED).unwrap());
    // The status line says which keys the moved ones hid.
    let status = screen.lines().last().cloned().unwrap();
    assert!(status.contains("out of reach"), "{status}");
    screen.keys("3");
    assert_eq!(screen.app.tab, Tab::Issues);
    assert_eq!(screen.app.issues.cursor.selected, 0);
    screen.keys("nn");
    assert_eq!(screen.app.issues.cursor.selected, 2);
    screen.keys("e");
    assert_eq!(screen.app.issues.cursor.selected, 1);
    // j and k no longer move; a no longer assigns.
    screen.keys("jja");
    assert_eq!(screen.app.issues.cursor.selected, 1);
    assert_eq!(screen.app.mode(), Mode::Normal);
    // The bottom line offers A for handing over.
    let status = screen.lines().last().cloned().unwrap();
    assert!(status.contains("A hand to a department"), "{status}");
    screen.keys("A");
    assert_eq!(screen.app.mode(), Mode::Picker);
    screen.key(KeyCode::Esc).keys("?");
    let text = screen.text();
    assert!(text.contains("n / ↓"), "{text}");
    assert!(text.contains("e / ↑"), "{text}");
    assert!(!text.contains("j / ↓"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("hand to a department"))
        .unwrap();
    assert!(line.contains(" A "), "{line}");
}

#[test]
fn a_broken_keys_file_names_its_line() {
    let unknown_action = keymap("[list]\ndown = \"n\"\nsideways = \"x\"\n").unwrap_err();
    assert_eq!(unknown_action.line, 3);
    assert!(
        unknown_action
            .to_string()
            .starts_with("keys.toml:3: unknown action list.sideways"),
        "{unknown_action}"
    );
    let unknown_key = keymap("\n[issues]\nassign = \"Hyper-Q\"\n").unwrap_err();
    assert_eq!(unknown_key.line, 3, "{unknown_key}");
    assert!(unknown_key.what.contains("Hyper-Q"), "{unknown_key}");
    let unknown_context = keymap("[nowhere]\n").unwrap_err();
    assert_eq!(unknown_context.line, 1, "{unknown_context}");
    // p is the priority key already.
    let clash = keymap("[issues]\n\nassign = \"p\"\n").unwrap_err();
    assert_eq!(clash.line, 3, "{clash}");
    assert!(
        clash.what.contains("assign") && clash.what.contains("priority"),
        "{clash}"
    );
    assert!(keymap("[list]\ndown = [\"n\"\n").is_err());
}

/// The file's mistakes and `liaison keys` speak the interface's language.
#[test]
fn keys_errors_and_the_listing_are_in_chinese_too() {
    liaison::messages::set_thread_lang(Some(liaison::messages::Lang::Zh));
    let unknown_action = keymap("[list]\nsideways = \"x\"\n").unwrap_err();
    let clash = keymap("[issues]\nassign = \"p\"\n").unwrap_err();
    let unknown_key = keymap("[issues]\nassign = \"Hyper-Q\"\n").unwrap_err();
    let before = keymap("down = \"n\"\n").unwrap_err();
    liaison::messages::set_thread_lang(None);
    assert_eq!(
        unknown_action.to_string(),
        "keys.toml:2: 未知的动作 list.sideways"
    );
    assert!(clash.what.contains("同时用于两个动作"), "{clash}");
    assert!(unknown_key.what.contains("无法识别"), "{unknown_key}");
    assert!(before.what.contains("之前"), "{before}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(["keys", "--default"])
        .env("LIAISON_LANG", "zh")
        .output()
        .unwrap();
    let text = stdout(&out);
    let mut lines = text.lines();
    let head = lines.next().unwrap();
    assert!(head.starts_with("动作") && head.contains("按键"), "{head}");
    let down = lines.find(|l| l.starts_with("list.down ")).unwrap();
    assert!(down.contains("下移"), "{down}");
}

/// The app does not start on a broken file: `FILE:LINE: what`, exit 2; `liaison keys`
/// prints the live bindings, `--default` the built-in ones.
#[test]
fn the_command_line_refuses_a_broken_file_and_prints_the_live_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.toml");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .arg("--db")
            .arg(dir.path().join("db"))
            .args(args)
            .env("LIAISON_KEYS", &file)
            .env_remove("LIAISON_DB")
            .output()
            .unwrap()
    };
    std::fs::write(&file, "[list]\ndown = \"n\"\n[issues]\nassign = \"p\"\n").unwrap();
    for args in [&[][..], &["keys"][..], &["--demo"][..]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let expected = format!("{}:4: ", file.display());
        assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    }
    assert!(!dir.path().join("db").exists(), "nothing was opened");
    std::fs::write(&file, MOVED).unwrap();
    let live = stdout(&run(&["keys"]));
    let line = live.lines().find(|l| l.starts_with("list.down ")).unwrap();
    assert!(line.contains("n Down"), "{line}");
    // n and e now move in every list: the new and edit keys they hid are named, once.
    let warned = stderr(&run(&["keys"]));
    assert!(
        warned.contains("n is on list.down") && warned.contains("issues.new is out of reach"),
        "{warned}"
    );
    assert!(warned.contains("issues.edit"), "{warned}");
    let builtin = stdout(&run(&["keys", "--default"]));
    let line = builtin
        .lines()
        .find(|l| l.starts_with("issues.assign "))
        .unwrap();
    assert!(line.contains(" a "), "{line}");
}

#[test]
fn the_readme_key_table_is_the_one_the_table_makes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- keys:start -->\n").expect("start marker") + 20;
    let end = readme.find("<!-- keys:end -->").expect("end marker");
    assert_eq!(
        &readme[start..end],
        Keymap::default().markdown(),
        "README's key table is out of date: `liaison keys --default --markdown` makes it"
    );
}

#[test]
fn every_key_name_reads_back_as_itself() {
    let map = Keymap::default();
    for scope in liaison::app::keymap::Scope::ALL {
        for b in map.context(scope) {
            assert!(!b.keys.is_empty(), "{}.{}", scope.name(), b.name);
            for key in &b.keys {
                assert_eq!(keys::Key::parse(&key.name()), Some(*key), "{}", key.name());
            }
        }
    }
}

/// The help scrolls, and at 80x24 its last line can be reached.
#[test]
fn help_scrolls_to_its_last_line_at_80_by_24() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(dir.path(), 80, 24);
    screen.keys("3?");
    assert_eq!(screen.app.mode(), Mode::Help);
    let total = liaison::app::help::lines(&screen.app).len();
    let last = format!("-{total}/{total}");
    let first = screen.text();
    assert!(first.contains("On the Issues tab"), "{first}");
    assert!(first.contains(" 1-"), "{first}");
    assert!(!first.contains(&last), "{first}");
    screen.key(KeyCode::PageDown).keys("j");
    let paged = screen.text();
    assert!(!paged.contains("On the Issues tab"), "{paged}");
    screen.keys("G");
    let bottom = screen.text();
    assert!(bottom.contains(&last), "{bottom}");
    // The last line of the help sits right above its bottom border, on the screen.
    let lines = screen.lines();
    let border = lines.iter().position(|l| l.contains('└')).unwrap();
    assert!(lines[border - 1].contains("G / End"), "{lines:#?}");
    screen.keys("j");
    assert_eq!(screen.text(), bottom, "no further than the last line");
    screen.keys("g");
    assert!(screen.text().contains("On the Issues tab"));
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode(), Mode::Normal);
}

/// The bottom line offers the keys of what has focus: never `q quit` while `q` types.
#[test]
fn the_bottom_line_shows_the_keys_of_what_has_focus() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(dir.path(), 120, 40);
    let status = |screen: &mut Screen| screen.lines().last().cloned().unwrap();
    let normal = status(&mut screen);
    assert!(normal.contains("/ search"), "{normal}");
    assert!(normal.contains("q quit"), "{normal}");
    screen.keys("n");
    assert_eq!(screen.app.mode(), Mode::Form);
    let form = status(&mut screen);
    assert!(form.contains("Enter save"), "{form}");
    assert!(form.contains("Esc cancel"), "{form}");
    assert!(!form.contains("q quit"), "{form}");
    screen.key(KeyCode::Esc).keys("/");
    let search = status(&mut screen);
    assert!(search.contains("Esc clear the search"), "{search}");
    assert!(!search.contains("quit"), "{search}");
    screen.key(KeyCode::Esc).keys("3");
    let issues = status(&mut screen);
    assert!(issues.contains("a hand to a department"), "{issues}");
}

/// A message stays until the next key or its time is up; then the counts come back. The
/// tick clears nothing else.
#[test]
fn a_message_goes_with_the_next_key_or_after_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(dir.path(), 120, 40);
    let counts = screen.lines().last().cloned().unwrap();
    assert!(counts.contains("open"), "{counts}");
    screen.keys("A");
    let shown = screen.lines().last().cloned().unwrap();
    assert!(shown.contains("archived"), "{shown}");
    let now = std::time::Instant::now();
    update(&mut screen.app, Action::Tick(now));
    assert!(screen.app.message.is_some(), "not yet");
    update(
        &mut screen.app,
        Action::Tick(now + liaison::app::MESSAGE_TIME + std::time::Duration::from_secs(1)),
    );
    assert!(screen.app.message.is_none());
    assert_eq!(screen.lines().last().cloned().unwrap(), counts);
    // The next key takes a message away too.
    screen.app.say(MessageKind::Info, "something happened");
    screen.key_event(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    assert!(!screen.text().contains("something happened"));
}

/// A form's foot and the bottom line show a moved key where it is, and it works there.
#[test]
fn a_moved_form_key_is_shown_and_works() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(dir.path(), 120, 40);
    screen.app.keys = keymap("[form]\nsave = \"Ctrl-S\"\n").unwrap();
    screen.keys("n");
    assert_eq!(screen.app.mode(), Mode::Form);
    let text = screen.text();
    assert!(
        text.contains("Tab next field · Ctrl-S save · Esc cancel"),
        "{text}"
    );
    assert!(!text.contains("Enter save"), "{text}");
    screen.type_text("测试企业");
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form, "Enter no longer saves");
    screen.key_event(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert_eq!(screen.app.mode(), Mode::Normal, "{}", screen.text());
    assert!(screen.app.firms.all.iter().any(|f| f.name == "测试企业"));
}

/// At 80x24 a description too long for the help goes on in the next row, under the
/// description column, in both languages: read page by page, every description is whole.
#[test]
fn help_wraps_long_descriptions_at_80_by_24_in_both_languages() {
    use liaison::app::help::KEYS_COLUMNS;
    use liaison::app::keymap::Scope;
    use liaison::messages::Lang;
    for lang in Lang::ALL {
        let dir = tempfile::tempdir().unwrap();
        for tab in ["1", "2", "3"] {
            let mut screen = Screen::new_in(lang, demo_store(dir.path()), 80, 24);
            screen.keys(tab).keys("?");
            let total = liaison::app::help::lines(&screen.app).len();
            let mut rows: Vec<Option<String>> = vec![None; total];
            screen.keys("g");
            for _ in 0..total {
                if rows.iter().all(Option::is_some) {
                    break;
                }
                let lines = screen.lines();
                let top = lines
                    .iter()
                    .position(|l| {
                        l.contains(&format!(" {total}─")) || l.contains(&format!("/{total}"))
                    })
                    .expect("the help's title shows where it is");
                let title = &lines[top];
                let range = title
                    .split(|c: char| !c.is_ascii_digit() && c != '-' && c != '/')
                    .find(|p| p.contains('/') && p.contains('-'))
                    .unwrap();
                let (from, to) = range.split_once('-').unwrap();
                let from: usize = from.parse().unwrap();
                let to: usize = to.split_once('/').unwrap().0.parse().unwrap();
                for (i, line) in lines[top + 1..].iter().take(to + 1 - from).enumerate() {
                    // The help's inside is the widest piece between borders.
                    let inside = line.split('│').max_by_key(|p| p.len()).unwrap();
                    rows[from - 1 + i] = Some(inside.to_string());
                }
                screen.key(KeyCode::PageDown);
            }
            assert!(
                rows.iter().all(Option::is_some),
                "{lang:?} {tab}: {}",
                screen.text()
            );
            // Rebuild each description from its rows: a row blank under the keys goes on.
            let mut shown: Vec<String> = Vec::new();
            for row in rows.into_iter().flatten() {
                let mut used = 0;
                let split = row
                    .char_indices()
                    .find(|(_, c)| {
                        used += liaison::text::width(&c.to_string());
                        used > KEYS_COLUMNS
                    })
                    .map_or(row.len(), |(i, _)| i);
                let (keys, text) = row.split_at(split);
                let text = text.trim();
                if !row.starts_with("  ") || text.is_empty() {
                    continue;
                }
                if keys.trim().is_empty() {
                    shown.last_mut().unwrap().push_str(text);
                } else {
                    shown.push(text.to_string());
                }
            }
            let squeeze = |t: &str| t.replace(' ', "");
            let mut known: Vec<String> = Scope::ALL
                .iter()
                .flat_map(|s| screen.app.keys.context(*s).iter())
                .map(|b| squeeze(b.help.in_lang(lang)))
                .collect();
            // The keys to the tabs share one row: `1-4  Firms · Agenda · …`.
            let tabs: Vec<&str> = liaison::app::Tab::ALL
                .iter()
                .map(|t| t.title_msg().in_lang(lang))
                .collect();
            known.push(squeeze(&tabs.join(" · ")));
            assert!(shown.len() > 10, "{lang:?} {tab}: {shown:#?}");
            for text in &shown {
                assert!(
                    known.contains(&squeeze(text)),
                    "{lang:?} tab {tab}: cut or garbled: {text:?}"
                );
            }
            let undo = squeeze(liaison::messages::KEY_UNDO.in_lang(lang));
            assert!(
                shown.iter().any(|t| squeeze(t) == undo),
                "{lang:?}: {shown:#?}"
            );
        }
        liaison::messages::set_thread_lang(None);
    }
}
