//! Ctrl-E and Ctrl-O take their file as the other file fields do: by default in the home
//! folder, named in full, and `~/` standing for it. A bundle went to the directory the app
//! was started from, said only as "liaison.bundle".

mod common;

use common::ctrl;
use common::queue::queue;
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_bundle_is_written_to_the_home_folder_and_read_back_with_a_tilde() {
    let home = tempfile::tempdir().unwrap();
    // This file's only test: the process's HOME is its own.
    std::env::set_var("HOME", home.path());
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    let file = home.path().join("liaison.bundle");
    screen.key_event(ctrl('e'));
    let text = screen.text();
    assert!(text.contains(&file.display().to_string()), "{text}");
    screen.key(KeyCode::Enter);
    let text = screen.text();
    assert!(
        text.contains(&format!("operation(s) to {}", file.display())),
        "{text}"
    );
    assert!(file.exists());
    screen.key_event(ctrl('o')).type_text("~/liaison.bundle");
    screen.key(KeyCode::Enter);
    screen.app.settle();
    let text = screen.text();
    assert!(!text.contains("No such file"), "{text}");
    assert!(
        text.contains("operation(s)") || text.contains("record(s)"),
        "{text}"
    );
}
