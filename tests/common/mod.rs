//! Shared by the integration tests: a demo database at a fixed moment, and the screen as text.
#![allow(dead_code)]

use chrono::DateTime;
use liaison::app::{keymap, update, Action, App};
use liaison::messages::Lang;
use liaison::model::LocalTime;
use liaison::store::Store;
use ratatui::backend::TestBackend;
use terminal::TerminalLike;

mod directory;
pub mod ledgers;
pub mod listing;
pub mod queue;
mod terminal;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

/// The day these tests live in: the article's visits fall in December 2025.
pub fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

pub fn demo_store(dir: &std::path::Path) -> Store {
    let store = Store::open(dir).unwrap();
    liaison::demo::seed(&store, &liaison::demo::DemoOptions::default(), now()).unwrap();
    store
}

/// A smaller generated ledger (60 firms, 100 visits, 3,000 items) for tests that look at
/// every item.
pub fn generated_store(dir: &std::path::Path) -> Store {
    let store = Store::open(dir).unwrap();
    let options = liaison::demo::DemoOptions {
        firms: 60,
        visits: 100,
        issues: 3_000,
        ..Default::default()
    };
    liaison::demo::seed(&store, &options, now()).unwrap();
    store
}

/// Every item of the store, in the order of a walk.
pub fn all_issues(store: &Store) -> Vec<liaison::model::Issue> {
    let mut issues = Vec::new();
    store
        .each_issue(|issue| {
            issues.push(issue.unwrap());
            Ok(())
        })
        .unwrap();
    issues
}

pub struct Screen {
    pub app: App,
    terminal: Terminal<TerminalLike>,
}

impl Screen {
    /// The app in English, as most tests read it.
    pub fn new(store: Store, width: u16, height: u16) -> Screen {
        Screen::new_in(Lang::En, store, width, height)
    }

    /// The app in a language (of this test's thread).
    pub fn new_in(lang: Lang, store: Store, width: u16, height: u16) -> Screen {
        liaison::messages::set_thread_lang(Some(lang));
        Screen::with_app(App::new(store, now()).unwrap(), width, height)
    }

    /// The screen of an app opened some other way (reading its items in the background).
    pub fn with_app(mut app: App, width: u16, height: u16) -> Screen {
        update(&mut app, Action::Resize(liaison::ui::layout(width, height)));
        let terminal = Terminal::new(TerminalLike(TestBackend::new(width, height))).unwrap();
        Screen { app, terminal }
    }

    /// Sends a key as the terminal would: through the keymap, then `update`.
    pub fn key(&mut self, code: KeyCode) -> &mut Screen {
        let modifiers = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            KeyCode::BackTab => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        self.key_event(KeyEvent::new(code, modifiers))
    }

    pub fn key_event(&mut self, event: KeyEvent) -> &mut Screen {
        if let Some(action) = keymap::map_key(&self.app, event) {
            update(&mut self.app, action);
            self.app.settle();
        }
        self
    }

    pub fn keys(&mut self, text: &str) -> &mut Screen {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    pub fn release(&mut self, code: KeyCode) -> &mut Screen {
        let mut event = KeyEvent::new(code, KeyModifiers::NONE);
        event.kind = KeyEventKind::Release;
        self.key_event(event)
    }

    /// The screen as lines of text, as a person sees it (a wide character once).
    pub fn lines(&mut self) -> Vec<String> {
        let app = &self.app;
        self.terminal
            .draw(|frame| liaison::ui::draw(frame, app))
            .unwrap();
        let buffer = self.terminal.backend().0.buffer();
        let area = buffer.area;
        (0..area.height)
            .map(|y| {
                let mut line = String::new();
                let mut x = 0;
                while x < area.width {
                    let symbol = buffer[(x, y)].symbol();
                    line.push_str(symbol);
                    x += (symbol.width() as u16).max(1);
                }
                line
            })
            .collect()
    }

    /// The drawn cells, styles included.
    pub fn buffer(&mut self) -> ratatui::buffer::Buffer {
        self.lines();
        self.terminal.backend().0.buffer().clone()
    }

    pub fn text(&mut self) -> String {
        self.lines().join("\n")
    }

    /// Where the terminal cursor was put by the last draw (an input method's window follows
    /// it), if it is shown.
    pub fn cursor(&mut self) -> Option<(u16, u16)> {
        self.lines();
        let backend = self.terminal.backend_mut();
        use ratatui::backend::Backend;
        let position = backend.get_cursor_position().ok()?;
        Some((position.x, position.y))
    }

    /// Types text as a person would, character by character.
    pub fn type_text(&mut self, text: &str) -> &mut Screen {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }
}

/// The display column at which `needle` starts in `line`.
pub fn column_of(line: &str, needle: &str) -> Option<usize> {
    line.find(needle).map(|i| line[..i].width())
}

/// Runs the binary on a database, never the one `LIAISON_DB` names.
pub fn liaison(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("LIAISON_DB")
        .env_remove("LIAISON_BACKUPS")
        // The tests read the English messages, whatever the machine's locale.
        .env("LIAISON_LANG", "en")
        .env_remove("NO_COLOR");
    // A temporary directory used as the database itself would get its backups and journal
    // beside it, outside the directory the test removes: they go inside it instead.
    let is_temp_root = db.parent() == Some(std::env::temp_dir().as_path())
        && db
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(".tmp"));
    if is_temp_root {
        command.env("LIAISON_BACKUPS", db.join(".backups"));
    }
    command.output().unwrap()
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary database seeded by `liaison demo`.
pub fn seeded() -> tempfile::TempDir {
    seeded_with(&[])
}

/// A temporary database seeded by `liaison demo` with these options (`--issues 400`, …).
pub fn seeded_with(options: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<&str> = ["demo"].iter().chain(options).copied().collect();
    let out = liaison(dir.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// The path of a committed CSV fixture, tests/fixtures/csv/NAME.
pub fn csv_fixture(name: &str) -> String {
    let path: std::path::PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", "csv", name]
        .iter()
        .collect();
    path.to_str().unwrap().to_string()
}

/// Runs a command that must succeed; its standard output.
pub fn run_ok(db: &std::path::Path, args: &[&str]) -> String {
    let out = liaison(db, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Runs a command that must be refused as bad input (exit 2, nothing on standard output);
/// its message.
pub fn run_refused(db: &std::path::Path, args: &[&str]) -> String {
    let out = liaison(db, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
    assert_eq!(stdout(&out), "", "{args:?}");
    stderr(&out)
}

/// Item #number and its history, read from the database.
pub fn item(
    db: &std::path::Path,
    number: u32,
) -> (liaison::model::Issue, Vec<liaison::model::IssueEvent>) {
    let store = Store::open(db).unwrap();
    let issue = store.issue_by_number(number).unwrap().unwrap();
    let events = store.events(issue.id).unwrap().records;
    (issue, events)
}

/// A backup's records without the operation log: the journal holds records, so a recovery
/// starts the log again (a new actor), and only the records can be equal.
pub fn records_only(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut lines = text.lines();
    let mut header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let counts = header["counts"].as_object_mut().unwrap();
    for key in ["ops", "heads", "peers", "item_codes"] {
        counts.remove(key);
    }
    let mut out = header.to_string() + "\n";
    for line in lines.take_while(|l| !l.starts_with("{\"kind\":\"ledger\"")) {
        out += line;
        out += "\n";
    }
    out.into_bytes()
}

/// A committed fixture database (`tests/fixtures/NAME`) copied to `DIR/db`, opened at the
/// current schema (migrated), with `check` clean; its path and store.
#[allow(dead_code)]
pub fn open_fixture(
    dir: &std::path::Path,
    name: &str,
) -> (std::path::PathBuf, liaison::store::Store) {
    let db = dir.join("db");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        &db,
    );
    let store = liaison::store::Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        liaison::store::SCHEMA_VERSION
    );
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{name}: {:?}", report.problems);
    (db, store)
}

/// Copies a database directory (a committed fixture) with its subdirectories.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Ctrl and a letter, as the terminal sends it.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}
