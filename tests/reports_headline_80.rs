//! On an 80-column terminal the Reports headline's figures keep names a reader tells apart:
//! the two medians were both cut to "Median days to…".

mod common;

use common::{demo_store, Screen};
use liaison::messages::Lang;

fn headline_names(lang: Lang) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new_in(lang, demo_store(dir.path()), 80, 24);
    screen.keys("4");
    screen
        .lines()
        .iter()
        .skip(3)
        .take(14)
        .map(|l| {
            let inner = l.trim_start_matches('│');
            inner
                .split("  ")
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn at_80_columns_each_headline_figure_keeps_a_name_of_its_own() {
    let en = headline_names(Lang::En);
    assert!(en.contains(&"Answered on time".to_string()), "{en:?}");
    assert!(en.contains(&"Median days to answer".to_string()), "{en:?}");
    let mut distinct = en.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 14, "{en:?}");
    let zh = headline_names(Lang::Zh);
    assert!(zh.contains(&"首次回应天数（中位）".to_string()), "{zh:?}");
    assert!(zh.contains(&"答复天数（中位）".to_string()), "{zh:?}");
}
