//! Enter on a department of the Reports tab writes the Issues filter in the words of the
//! interface, as the built-in views do (状态:未办结): in Chinese 部门: and 创建, not dept: and
//! raised.

mod common;

use common::{demo_store, Screen};
use liaison::app::Tab;
use liaison::messages::Lang;
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_departments_items_are_filtered_in_chinese_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new_in(Lang::Zh, demo_store(dir.path()), 160, 45);
    screen.keys("4y[m").key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Issues);
    assert_eq!(
        screen.app.issues.filter_input.text,
        "部门:财政金融局 创建>=2025-12-01 创建<=2025-12-31"
    );
    let text = screen.text();
    assert!(text.contains("财政金融局"), "{text}");
    assert!(!text.contains("筛选条件有误"), "{text}");
}
