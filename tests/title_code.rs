//! Titles are held in the queue's own code (two bytes a Chinese character): typing a word in
//! the filter finds every item whose title holds it, and the others it finds hold it in
//! their details or resolutions (searched beyond titles); a word with a character no title has finds none;
//! the rows on screen show the titles as typed.

mod common;

use common::queue::{filter, queue};
use common::Screen;

/// The numbers shown, and those of every item whose title (lower-cased) holds `word`.
fn shown_and_expected(screen: &mut Screen, word: &str) -> (Vec<u32>, Vec<u32>) {
    filter(screen, "");
    let expected = screen
        .app
        .issues
        .shown_rows()
        .filter(|r| r.title.to_lowercase().contains(&word.to_lowercase()))
        .map(|r| r.number)
        .collect();
    filter(screen, word);
    let shown = screen.app.issues.shown_rows().map(|r| r.number).collect();
    (shown, expected)
}

#[test]
fn words_typed_find_what_the_titles_hold() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    for word in ["新增用地", "审批", "许可", "贴息"] {
        let (shown, expected) = shown_and_expected(&mut screen, word);
        assert!(!expected.is_empty(), "{word}");
        assert!(expected.iter().all(|n| shown.contains(n)), "{word}");
        for n in shown.iter().filter(|n| !expected.contains(n)) {
            let issue = screen.app.store.issue_by_number(*n).unwrap().unwrap();
            assert!(!issue.title.contains(word));
            let resolution = issue.resolution.as_ref().map_or("", |r| r.text.as_str());
            assert!(
                issue.detail.contains(word) || resolution.contains(word),
                "#{n} {word}"
            );
        }
        // The first row on screen shows its title as typed.
        let first = screen.app.issues.shown_rows().next().unwrap();
        assert!(first.title.contains(word), "{}", first.title);
        let cut: String = first.title.chars().take(6).collect();
        assert!(screen.text().contains(&cut), "{cut}");
    }
    // A character no title has: nothing passes, and the list says so.
    let (shown, expected) = shown_and_expected(&mut screen, "龘");
    assert!(shown.is_empty() && expected.is_empty());
    assert!(!screen.text().contains("新增用地"));
}
