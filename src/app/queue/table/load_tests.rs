//! The load path of `Table`: items read at start (`push_read`, `index_numbers`) make the
//! table that `upsert` of each makes, and the lower-casing shortcut agrees with `str`.

use super::*;
use crate::model::IssueDraft;
use proptest::prelude::*;

#[test]
fn items_read_at_start_make_the_table_upsert_makes() {
    let created = chrono::DateTime::parse_from_rfc3339("2025-11-01T10:00:00+08:00").unwrap();
    let firms = [Id::new(), Id::new(), Id::new()];
    // Numbers repeat (items merged from other ledgers) and run past 65,536.
    let issues: Vec<Issue> = (0..2_000u32)
        .map(|i| {
            let number = if i % 2 == 0 { i % 500 } else { i * 37 + 60_000 };
            let title = [
                "扩大产能需新增用地",
                "Export LICENCE",
                "ΣΟΦΙΑ",
                "3 号楼 Ｂ座",
            ][i as usize % 4];
            let mut issue = IssueDraft::new(firms[i as usize % 3], title)
                .into_issue(Id::new(), number, created)
                .unwrap();
            issue.owner = ["李晓", "", "Wang"][i as usize % 3].to_string();
            issue.tags = match i % 5 {
                0 => vec!["专班".into()],
                1 => vec!["专班".into(), "省重点".into()],
                _ => vec![],
            };
            issue
        })
        .collect();
    let mut upserted = Table::default();
    for issue in &issues {
        upserted.upsert(issue);
    }
    let (mut first, mut second) = (Table::default(), Table::default());
    for issue in &issues[..900] {
        first.push_read(&issue.summary());
    }
    for issue in &issues[900..] {
        second.push_read(&issue.summary());
    }
    first.append(&second);
    let mut whole = Table::default();
    for issue in &issues {
        whole.push_read(&issue.summary());
    }
    whole.index_numbers();
    for read in [&first, &whole] {
        assert_eq!(read.len(), upserted.len());
        for (position, issue) in issues.iter().enumerate() {
            assert_eq!(read.row(position), upserted.row(position));
            assert_eq!(read.position_of(issue.id, issue.number), Some(position));
            assert_eq!(
                read.position_of_number(issue.number),
                upserted.position_of_number(issue.number)
            );
            assert_eq!(
                read.lowered_text(&read.rows[position]),
                upserted.lowered_text(&upserted.rows[position])
            );
        }
    }
    assert_eq!(whole.lowered_text(&whole.rows[1]), "export licence");
    assert_eq!(whole.lowered_text(&whole.rows[2]), "σοφια");
}

proptest! {
    #[test]
    fn a_title_said_unchanged_by_lower_casing_is(
        title in "[a-zA-Z0-9 ,.!\u{3000}-\u{303f}\u{4e00}-\u{4e20}\u{9fa0}-\u{9fff}\u{ff01}-\u{ff5a}ÄΣς]{0,30}"
    ) {
        if lowercase_changes_nothing(&title) {
            prop_assert_eq!(title.to_lowercase(), title);
        }
    }
}

#[test]
fn the_shortcut_takes_chinese_and_lower_case_ascii_only() {
    assert!(lowercase_changes_nothing(
        "扩大产能需新增用地（二期），3 号楼"
    ));
    assert!(lowercase_changes_nothing("licence 2025"));
    for title in ["Licence", "ＡＢＣ", "ΣΟΦΙΑ", "Äpfel"] {
        assert!(!lowercase_changes_nothing(title), "{title}");
    }
}
