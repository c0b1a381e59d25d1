//! While the filter typed has a mistake no item is listed: the list's title must not count
//! the items of the last good filter as shown.

mod common;

use common::ctrl;
use common::queue::queue;
use liaison::app::input::Edit;
use liaison::app::{update, Action};

#[test]
fn a_filter_with_a_mistake_counts_no_item_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("/").key_event(ctrl('u'));
    // Pasted (or typed faster than the screen is drawn): the list is filtered once.
    update(
        &mut screen.app,
        Action::Input(Edit::Paste("foo:bar".into())),
    );
    let text = screen.text();
    assert!(text.contains("unknown condition foo:"), "{text}");
    let title = &screen.lines()[1];
    assert!(title.contains(" 0 of 20 "), "{title}");
}
