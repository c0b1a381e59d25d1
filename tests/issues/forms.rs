//! The pickers and forms of triage: what they accept, refuse and show, and that each changes
//! only the item it was opened on.

use super::*;

#[test]
fn a_bad_due_date_is_refused_next_to_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("D");
    screen.key_event(ctrl('u'));
    screen.type_text("someday").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen.text().contains("someday is not a date"));
    screen.key_event(ctrl('u'));
    screen.type_text("2020-01-01").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen
        .text()
        .contains("is before the day the item was raised"));
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode(), Mode::Normal);
}

/// Every key that moves a list, pressed while a picker or form is open.
fn every_moving_key(screen: &mut Screen) {
    for code in [
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Up,
        KeyCode::PageDown,
        KeyCode::PageUp,
        KeyCode::Down,
        KeyCode::End,
        KeyCode::Home,
        KeyCode::Tab,
        KeyCode::BackTab,
    ] {
        screen.key(code);
    }
    screen.key_event(ctrl('n'));
    screen.key_event(ctrl('p'));
    screen.key(KeyCode::Down);
}

/// Issue 12, bug 0: ↓ in the priority picker moved the list behind it, and Enter then set
/// the priority of whichever item had become selected.
#[test]
fn every_picker_and_form_changes_only_the_item_it_was_opened_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    // Everything, so that no change takes the item out of the view.
    screen.keys("V").type_text("Everything").key(KeyCode::Enter);
    screen.keys("jjj");
    let target = screen.app.issues.selected().unwrap().id;
    let before = all_items(&screen);
    let steps: &[(&str, &str)] = &[
        ("p", ""),
        ("a", ""),
        ("c", ""),
        ("s", ""),
        ("D", "2027-01-15"),
        ("w", "李晓"),
        ("x", "已答复企业"),
    ];
    for (key, text) in steps {
        screen.keys(key);
        let mode = screen.app.mode();
        assert!(matches!(mode, Mode::Picker | Mode::Form), "{key}: {mode:?}");
        if mode == Mode::Picker {
            let shown_before = screen.app.issues.cursor.selected;
            every_moving_key(&mut screen);
            assert_eq!(
                screen.app.issues.cursor.selected, shown_before,
                "{key}: the list behind the picker stayed where it was"
            );
            assert_ne!(
                screen.app.picker().unwrap().cursor.selected,
                0,
                "{key}: the picker's own choice moved"
            );
        } else {
            every_moving_key(&mut screen);
            // The text goes into the last field (the close form's resolution).
            let fields = screen.app.form().unwrap().fields.len();
            while screen.app.form().unwrap().focus != fields - 1 {
                screen.key(KeyCode::Down);
            }
            screen
                .key(KeyCode::End)
                .key_event(ctrl('u'))
                .type_text(text);
        }
        // Whatever happens behind it (items arriving in the background reorder the list),
        // the change goes to the item the picker or form was opened on.
        screen.app.issues.cursor.select(0);
        screen.key(KeyCode::Enter);
        let mode = screen.app.mode();
        assert_eq!(mode, Mode::Normal, "{key}: {}", screen.text());
        let after = all_items(&screen);
        for (b, a) in before.iter().zip(&after) {
            if b.id != target {
                assert_eq!(b, a, "{key} changed #{} as well", b.number);
            }
        }
        let pos = screen.app.issues.shown_position(target).unwrap();
        screen.app.issues.cursor.select(pos);
    }
    let changed = all_items(&screen)
        .into_iter()
        .find(|i| i.id == target)
        .unwrap();
    let original = before.iter().find(|i| i.id == target).unwrap();
    assert_ne!(changed.priority, original.priority);
    assert_eq!(changed.status, Status::Closed);
    assert_eq!(changed.owner, "李晓");
}

/// Issue 12, point 16: a filled-in field is replaced by typing (the due-date form appended:
/// `2026-12-18下周五`) and says how the date was read.
#[test]
fn typing_replaces_a_filled_in_due_date_and_the_form_says_how_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#7");
    screen.keys("D");
    assert_eq!(
        screen.app.form().unwrap().text(liaison::model::Field::Due),
        "2026-11-19"
    );
    screen.type_text("2026-12-18");
    assert_eq!(
        screen.app.form().unwrap().text(liaison::model::Field::Due),
        "2026-12-18"
    );
    assert!(
        screen.text().contains("→ 2026-12-18 Fri"),
        "{}",
        screen.text()
    );
    // A moving key first keeps the text to edit.
    screen
        .key(KeyCode::Esc)
        .keys("D")
        .key(KeyCode::End)
        .key(KeyCode::Backspace);
    assert_eq!(
        screen.app.form().unwrap().text(liaison::model::Field::Due),
        "2026-11-1"
    );
    screen.key(KeyCode::Esc);
}

/// Issue 12, point 6: the close form's title and a long problem under a field are whole,
/// wrapped where they do not fit, at 80 columns too.
#[test]
fn dialogs_wrap_instead_of_cutting() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 80, 24);
    screen.keys("3");
    filter(&mut screen, "#7");
    screen.keys("x");
    let text = screen.text();
    assert!(text.contains("Close: what the firm was told ─"), "{text}");
    assert!(
        text.contains("answered, on-the-spot or withdrawn"),
        "{text}"
    );
    screen.key(KeyCode::Esc);
    // A problem longer than the field: whole, wrapped under it.
    screen.keys("D").type_text("someday-or-other-next-spring");
    screen.key(KeyCode::Enter);
    let text = screen.text();
    assert!(text.contains("is not a date (try 2026-12-13,"), "{text}");
    assert!(text.contains("12-13, tomorrow, +2d, fri)"), "{text}");
}
