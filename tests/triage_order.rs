//! A triage action moves one item within the list shown (and the kept sort orders) instead
//! of sorting again: the list after any run of actions must be exactly the one a fresh app
//! sorts from scratch, and the item acted on stays selected.

mod common;

use common::{demo_store, Screen};
use liaison::model::Id;
use proptest::prelude::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone)]
enum Step {
    Priority(&'static str),
    Due(&'static str),
    Assign(&'static str),
    Undo,
    Sort,
}

fn step() -> impl Strategy<Value = (usize, Step)> {
    let action = prop_oneof![
        prop::sample::select(vec!["urgent", "high", "normal", "low"]).prop_map(Step::Priority),
        prop::sample::select(vec!["+1d", "+30d", "2026-01-05", "-3d"]).prop_map(Step::Due),
        prop::sample::select(vec!["发改局", "人社局"]).prop_map(Step::Assign),
        Just(Step::Undo),
        Just(Step::Sort),
    ];
    (0usize..12, action)
}

fn act(screen: &mut Screen, step: &Step) {
    match step {
        Step::Priority(p) => screen.keys("p").type_text(p).key(KeyCode::Enter),
        Step::Due(d) => screen
            .keys("D")
            .key_event(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))
            .type_text(d)
            .key(KeyCode::Enter),
        Step::Assign(d) => screen.keys("a").type_text(d).key(KeyCode::Enter),
        Step::Undo => screen.keys("u"),
        Step::Sort => screen.keys("o"),
    };
}

/// The list a new app shows on the same database, sorted `sorts` steps on.
fn from_scratch(store: &liaison::store::Store, sorts: usize) -> Vec<Id> {
    let mut fresh = Screen::new(store.clone(), 120, 40);
    fresh.keys("3");
    for _ in 0..sorts {
        fresh.keys("o");
    }
    fresh.app.issues.shown_ids()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn the_list_after_triage_is_the_list_sorted_anew(steps in prop::collection::vec(step(), 1..10)) {
        let dir = tempfile::tempdir().unwrap();
        let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
        screen.keys("3");
        let mut sorts = 0;
        for (moves, step) in &steps {
            screen.keys("g");
            for _ in 0..*moves {
                screen.keys("j");
            }
            let selected = screen.app.issues.selected_id();
            act(&mut screen, step);
            if matches!(step, Step::Sort) {
                sorts += 1;
            }
            let shown = screen.app.issues.shown_ids();
            prop_assert!(!shown.is_empty());
            prop_assert_eq!(&shown, &from_scratch(&screen.app.store, sorts), "after {:?}", step);
            if !matches!(step, Step::Sort | Step::Undo) && selected.is_some_and(|id| shown.contains(&id)) {
                prop_assert_eq!(screen.app.issues.selected_id(), selected, "after {:?}", step);
            }
            // What is drawn is that list: the selected item's row is on screen.
            let number = screen.app.issues.selected().map(|r| format!("#{}", r.number));
            if let Some(number) = number {
                prop_assert!(screen.text().contains(&number), "{}", number);
            }
        }
    }
}
