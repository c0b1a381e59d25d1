//! Tags on the Issues tab: `t` on the selected item or the marked ones, what the detail and
//! history then show, the filter's `tag:`, and undo.

mod common;

use common::queue::{filter, queue};
use common::Screen;
use liaison::app::Mode;
use liaison::model::Change;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn tags_of(screen: &Screen, number: u32) -> Vec<String> {
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    issue.tags
}

/// How many events item #`number`'s history holds.
fn event_count(screen: &Screen, number: u32) -> usize {
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    screen.app.store.events(issue.id).unwrap().records.len()
}

fn last_change(screen: &Screen, number: u32) -> Change {
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    let events = screen.app.store.events(issue.id).unwrap().records;
    events.last().unwrap().change.clone()
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| t.to_string()).collect()
}

#[test]
fn t_sets_the_tags_of_the_selected_item_and_the_filter_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#3");
    screen.keys("t");
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(
        screen.text().contains("Tags (专班、省重点"),
        "{}",
        screen.text()
    );
    screen.type_text("专班、省重点").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert_eq!(tags_of(&screen, 3), tags(&["专班", "省重点"]));
    assert_eq!(
        last_change(&screen, 3),
        Change::Tags {
            added: tags(&["专班", "省重点"]),
            removed: vec![]
        }
    );
    let text = screen.text();
    assert!(
        text.contains("专班、省重点"),
        "the detail shows them: {text}"
    );
    assert!(
        text.contains("tags: +专班 +省重点"),
        "and the history: {text}"
    );

    // Opened again the line holds the item's tags; what is typed over them is all it keeps.
    screen.keys("t");
    let form = screen.app.form().unwrap();
    assert_eq!(form.text(liaison::model::Field::Tags), "专班、省重点");
    screen.type_text("省重点").key(KeyCode::Enter);
    assert_eq!(tags_of(&screen, 3), tags(&["省重点"]));
    assert_eq!(
        last_change(&screen, 3),
        Change::Tags {
            added: vec![],
            removed: tags(&["专班"])
        }
    );

    filter(&mut screen, "tag:省重点");
    let numbers: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    assert_eq!(numbers, vec![3]);
    filter(&mut screen, "-tag:省重点");
    assert_eq!(screen.app.issues.shown.len(), 19);

    // Undo puts the tags back as they were; redo takes 专班 off again.
    screen.keys("u");
    assert_eq!(tags_of(&screen, 3), tags(&["专班", "省重点"]));
    screen.key_event(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert_eq!(tags_of(&screen, 3), tags(&["省重点"]));
}

#[test]
fn marked_items_get_tags_added_and_taken_off_after_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#9");
    screen.keys("t").type_text("专班").key(KeyCode::Enter);
    filter(&mut screen, "status:new");
    assert_eq!(screen.app.issues.shown.len(), 3);
    screen.keys("*").keys("t");
    let form = screen.app.form().unwrap();
    assert_eq!(form.text(liaison::model::Field::Tags), "", "several: empty");
    screen.type_text("省重点、-专班").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Confirm);
    assert!(
        screen
            .text()
            .contains("3 marked items: tags: +省重点 −专班?"),
        "{}",
        screen.text()
    );
    screen.keys("y");
    for number in [9, 13, 19] {
        assert_eq!(tags_of(&screen, number), tags(&["省重点"]), "#{number}");
    }
    assert_eq!(
        last_change(&screen, 9),
        Change::Tags {
            added: tags(&["省重点"]),
            removed: tags(&["专班"])
        }
    );
}

#[test]
fn a_bad_tag_stays_in_the_form_with_its_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#3");
    let before = event_count(&screen, 3);
    screen
        .keys("t")
        .type_text(&"长".repeat(31))
        .key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen.text().contains("30"), "{}", screen.text());
    screen.key(KeyCode::Esc);
    assert!(tags_of(&screen, 3).is_empty());
    let after = event_count(&screen, 3);
    assert_eq!(before, after);
}
