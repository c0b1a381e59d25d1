//! The order by firm is sorted with the other orders while the items are read (so its first
//! switch does not sort every item on a keystroke); it must be the order a sort made on the
//! keystroke gives, and one made anew once firms change.

mod common;

use common::queue::{filter, queue};
use liaison::app::queue::{firms_changed, refresh};
use liaison::query::SortKey;

#[test]
fn the_firm_order_read_at_load_is_the_one_sorted_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    // Every item, not the first view's.
    filter(&mut screen, "");
    while screen.app.issues.sort != SortKey::Firm {
        screen.keys("o");
    }
    let kept: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    assert!(kept.len() >= 20, "{}", kept.len());
    // Firms changed: the kept order is dropped and sorted again on the next refresh.
    firms_changed(&mut screen.app);
    refresh(&mut screen.app);
    let sorted: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    assert_eq!(kept, sorted);
    // Firm by firm: every firm's items are together.
    let firms: Vec<_> = screen.app.issues.shown_rows().map(|r| r.firm).collect();
    let mut seen = std::collections::HashSet::new();
    let mut runs = 0;
    for (i, firm) in firms.iter().enumerate() {
        if i == 0 || firms[i - 1] != *firm {
            runs += 1;
            assert!(seen.insert(*firm), "the items of a firm apart");
        }
    }
    assert!(runs > 3, "{runs}");
}
