//! The follow-up call's note is asked for under a label the form's label column holds whole,
//! in both languages.

mod common;

use common::queue::{filter, queue};
use liaison::messages::Lang;
use ratatui::crossterm::event::KeyCode;

fn call_form_line(lang: Lang) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    liaison::messages::set_thread_lang(Some(lang));
    filter(&mut screen, "callback:due");
    screen.keys("gC").key(KeyCode::Enter);
    let lines = screen.lines();
    let title = lines
        .iter()
        .position(|l| l.contains("┌ Follow-up call ") || l.contains("┌ 回访 "))
        .unwrap_or_else(|| panic!("no call form:\n{}", lines.join("\n")));
    lines[title + 1].clone()
}

#[test]
fn the_call_note_label_is_not_cut() {
    let en = call_form_line(Lang::En);
    assert!(en.contains("│Note "), "{en}");
    assert!(!en.contains('…'), "{en}");
    let zh = call_form_line(Lang::Zh);
    assert!(zh.contains("│企业意见 "), "{zh}");
}
