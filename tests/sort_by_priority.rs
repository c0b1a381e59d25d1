//! A kept order not shown falls behind while items change and catches up when next used:
//! after triage changes made in the order by due date, the order by priority shows what an
//! app opened afresh on the same ledger shows, on screen as in the list.

mod common;

use common::queue::{filter, queue};
use common::Screen;
use liaison::app::App;
use liaison::model::Priority;
use liaison::query::SortKey;
use ratatui::crossterm::event::KeyCode;

fn numbers(screen: &Screen) -> Vec<u32> {
    screen.app.issues.shown_rows().map(|r| r.number).collect()
}

#[test]
fn priority_order_after_changes_is_the_fresh_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    assert_eq!(screen.app.issues.sort, SortKey::Due);
    // Two items lowered and one raised while the list is in due order.
    for (step, priority) in [(0, "low"), (2, "low"), (1, "urgent")] {
        screen.app.issues.cursor.select(step);
        screen.keys("p").type_text(priority).key(KeyCode::Enter);
    }
    let raised = screen.app.issues.selected().unwrap();
    assert_eq!(raised.priority, Priority::Urgent);
    // `o`: the next order, by priority.
    screen.keys("o");
    assert_eq!(screen.app.issues.sort, SortKey::Priority);
    let live = numbers(&screen);
    assert!(screen.text().contains(&format!("#{}", live[0])));
    let mut fresh = Screen::with_app(
        App::new(screen.app.store.clone(), common::now()).unwrap(),
        120,
        40,
    );
    fresh.keys("3");
    filter(&mut fresh, "sort:priority");
    let mut live_filtered = screen;
    filter(&mut live_filtered, "sort:priority");
    assert_eq!(numbers(&live_filtered), numbers(&fresh));
    assert!(!numbers(&fresh).is_empty());
    let first = fresh.app.issues.shown_rows().next().unwrap();
    assert_eq!(first.priority, Priority::Urgent, "the most urgent first");
}
