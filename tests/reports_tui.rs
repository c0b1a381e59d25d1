//! The Reports tab driven by keys on the TestBackend: the article's December 2025, stepping
//! periods, a department opening the Issues tab, the brief written to a file, and a
//! follow-up call changing the satisfaction rate.

mod common;

use common::{demo_store, now, Screen};
use liaison::app::{Mode, Tab};
use liaison::model::{Status, Verdict};
use ratatui::crossterm::event::KeyCode;

fn december(width: u16, height: u16) -> (tempfile::TempDir, Screen) {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut screen = Screen::new(store, width, height);
    // The year 2025 (today is in 2026), then its last month.
    screen.keys("4y[m");
    (dir, screen)
}

fn line_with<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!("│{label}")))
        .unwrap_or_else(|| panic!("no {label} in\n{text}"))
}

#[test]
fn december_2025_shows_the_articles_eight_visits_and_their_items() {
    let (_dir, mut screen) = december(160, 45);
    assert_eq!(screen.app.tab, Tab::Reports);
    let text = screen.text();
    assert!(text.contains("month 2025-12"), "{text}");
    let visits: Vec<&str> = line_with(&text, "Visits done").split_whitespace().collect();
    assert_eq!(visits[2], "8", "{text}");
    let firms: Vec<&str> = line_with(&text, "Firms visited")
        .split_whitespace()
        .collect();
    assert_eq!(firms[2], "8");
    let raised: Vec<&str> = line_with(&text, "Items raised")
        .split_whitespace()
        .collect();
    assert_eq!(raised[2], "19", "the article's items raised in December");
    assert!(
        line_with(&text, "Satisfaction").contains('—'),
        "no call yet: no rate"
    );
    assert!(text.contains("▶ 财政金融局"), "{text}");
    assert!(text.contains("Raised and answered — Items raised"));
    // The previous month had nothing: the change is the whole figure.
    assert!(line_with(&text, "Visits done").contains("+8"));
}

#[test]
fn brackets_step_periods_and_letters_switch_their_kind() {
    let (_dir, mut screen) = december(160, 45);
    screen.keys("]");
    assert!(screen.text().contains("month 2026-01"));
    screen.keys("[[");
    assert!(screen.text().contains("month 2025-11"));
    screen.keys("w");
    assert!(
        screen.text().contains("week 2025-11-24 – 2025-11-30"),
        "{}",
        screen.text()
    );
    screen.keys("Q");
    assert!(screen.text().contains("quarter 2025 Q4"));
    screen.keys("t");
    assert!(screen.text().contains("quarter 2026 Q4"));
}

#[test]
fn enter_on_a_department_opens_its_items_of_the_period() {
    let (_dir, mut screen) = december(160, 45);
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Issues);
    assert_eq!(
        screen.app.issues.filter_input.text,
        "dept:财政金融局 raised>=2025-12-01 raised<=2025-12-31"
    );
    let text = screen.text();
    assert!(text.contains("财政金融局"), "{text}");
}

#[test]
fn e_writes_the_brief_to_the_file_named() {
    let (dir, mut screen) = december(160, 45);
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("brief.md");
    screen.keys("E");
    assert_eq!(screen.app.mode(), Mode::Form);
    screen.key_event(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    screen.type_text(path.to_str().unwrap());
    screen.key(KeyCode::Enter);
    let brief = std::fs::read_to_string(&path).unwrap();
    assert!(
        brief.starts_with("# Liaison brief — month 2025-12"),
        "{brief}"
    );
    assert!(brief.contains("| Visits done | 8 |"), "{brief}");
    // Inside the database is refused, beside the field.
    screen.keys("E");
    screen.key_event(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    screen.type_text(dir.path().join("x.md").to_str().unwrap());
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen.text().contains("inside the database"));
}

#[test]
fn a_not_satisfied_call_changes_the_satisfaction_rate() {
    let (_dir, mut screen) = december(160, 45);
    // A December item, closed, called back on the 20th: not satisfied.
    let store = screen.app.store.clone();
    let mut closed = None;
    store
        .each_issue(|item| {
            let item = item.unwrap();
            if item.status == Status::Closed
                && item
                    .closed
                    .is_some_and(|c| c.date_naive().to_string().as_str() < "2025-12-20")
            {
                closed.get_or_insert(item);
            }
            Ok(())
        })
        .unwrap();
    let mut item = closed.expect("the demo has an item closed in December");
    let day = chrono::NaiveDate::from_ymd_opt(2025, 12, 20).unwrap();
    let event = item
        .record_call(Verdict::NotSatisfied, "还没落实", day, "李晓", now())
        .unwrap();
    store.save_issue(&item, &[event]).unwrap();
    // Shown again, the tab reads the ledger anew.
    screen.keys("14");
    let text = screen.text();
    assert!(line_with(&text, "Satisfaction").contains("0.0%"), "{text}");
    let calls: Vec<&str> = line_with(&text, "Follow-up calls")
        .split_whitespace()
        .collect();
    assert_eq!(calls[2], "1");
}

#[test]
fn c_records_a_call_and_not_satisfied_offers_to_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 160, 45);
    screen.keys("3");
    // On an open item the call waits for the close.
    screen.keys("C");
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert!(screen.text().contains("once the item is closed"));
    screen.keys("/");
    screen.key_event(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    screen.type_text("status:closed");
    screen.key(KeyCode::Enter);
    let number = screen.app.issues.selected().unwrap().number;
    screen.keys("C");
    assert_eq!(screen.app.mode(), Mode::Picker);
    let text = screen.text();
    assert!(text.contains("基本满意"), "{text}");
    screen.type_text("not");
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    screen.type_text("还没落实");
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Confirm);
    assert!(screen.text().contains("Not satisfied: reopen the item"));
    screen.keys("y");
    let item = screen.app.store.issue_by_number(number).unwrap().unwrap();
    assert_eq!(item.status, Status::InProgress, "reopened");
    let events = screen.app.store.events(item.id).unwrap().records;
    assert!(events.iter().any(|e| matches!(
        &e.change,
        liaison::model::Change::Call { verdict: Verdict::NotSatisfied, note, .. } if note == "还没落实"
    )));
    // This month's figures count the call.
    screen.keys("4");
    let text = screen.text();
    assert!(line_with(&text, "Satisfaction").contains("0.0%"), "{text}");
}

#[test]
fn a_small_terminal_still_shows_the_headline_and_the_loading_frame_comes_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = liaison::app::App::new_reading_in_background(demo_store(dir.path()), now()).unwrap();
    let mut screen = Screen::with_app(app, 80, 24);
    // Without waiting for the background: the first frame of the tab is drawn at once.
    screen.app.settle();
    liaison::app::update(&mut screen.app, liaison::app::Action::GoTo(Tab::Reports));
    let first = screen.text();
    assert!(
        first.contains("Counting the figures") || first.contains("Visits done"),
        "{first}"
    );
    screen.app.settle();
    let text = screen.text();
    assert!(text.contains("Visits done"), "{text}");
    assert!(text.contains("month 2026-11"), "{text}");
}

#[test]
fn at_80_columns_the_charts_and_tables_keep_whole_titles_labels_and_columns() {
    for lang in [liaison::messages::Lang::En, liaison::messages::Lang::Zh] {
        let dir = tempfile::tempdir().unwrap();
        let mut screen = Screen::new_in(lang, demo_store(dir.path()), 80, 24);
        screen.keys("4y[m");
        let text = screen.text();
        let (raised, median, category) = match lang {
            liaison::messages::Lang::En => {
                ("┌ Items raised ─", "Median d│", "Category      Raised│")
            }
            liaison::messages::Lang::Zh => ("┌ 提出事项 ─", "中位天│", "类别            提出│"),
        };
        // The series' name stands alone rather than cut after the common part.
        assert!(text.contains(raised), "{text}");
        // The most recent weeks with whole labels, the last week of December among them.
        assert!(text.contains("1208 1215 1222 1229"), "{text}");
        // Columns that do not fit are left out whole; the last one shown ends at the border.
        assert!(text.contains(median), "{text}");
        assert!(text.contains(category), "{text}");
        // A period without items: the chart says so instead of drawing bare labels.
        screen.keys("]]]]]]]]]]]]]");
        let later = screen.text();
        let none = match lang {
            liaison::messages::Lang::En => "│none ",
            liaison::messages::Lang::Zh => "│无 ",
        };
        assert!(later.contains(none), "{later}");
    }
}
