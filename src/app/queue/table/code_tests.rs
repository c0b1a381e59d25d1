//! Titles kept in the table's code (`TitleCode`): a title whose lower-cased copy's code has
//! another length than its own (a capital met as the 3,072nd character, its small letter
//! after it) is kept aside, shown as typed and found by the filter, scanning or title by
//! title, as testing each item finds; a table read in two shares and joined holds the same.

use super::lowered_tests::{item, numbers};
use super::*;

/// Titles that give 3,071 characters their two-byte codes, twenty distinct ones each.
fn warming() -> Vec<String> {
    let chars: Vec<char> = (0x4e00..).filter_map(char::from_u32).take(3_071).collect();
    chars.chunks(20).map(|c| c.iter().collect()).collect()
}

const ODD: &str = "Éclair ÉTÉ 审批";

#[test]
fn a_title_whose_copy_codes_longer_is_kept_aside_and_found() {
    let firm = Id::new();
    let mut table = Table::default();
    let mut titles = warming();
    titles.push(ODD.to_string());
    titles.push("éclair 审批".to_string());
    for n in 1..=30_000u32 {
        let title = &titles[(n as usize - 1) % titles.len()];
        table.upsert(&item(firm, n, title));
    }
    let odd: Vec<usize> = (0..table.len())
        .filter(|p| (table.number(*p) as usize - 1) % titles.len() == titles.len() - 2)
        .collect();
    assert!(odd.len() > 100);
    assert_eq!(table.odd_titles.len(), odd.len());
    for p in odd {
        assert_eq!(table.title(p), ODD);
        assert_eq!(table.row(p).title, ODD);
        assert!(!table.rows[p].flags.lowered());
        assert_eq!(table.lowered_text(&table.rows[p]), ODD.to_lowercase());
    }
    let order = table.sorted(SortKey::Due, &|_| 0);
    let part: Positions = order.iter().filter(|p| p % 3 != 0).collect();
    for text in [
        "éclair",
        "été",
        "clair",
        "审批",
        "éclair 审",
        "一丁",
        "未有",
    ] {
        for list in [&order, &part] {
            let (fast, slow) = numbers(&table, text, list);
            assert_eq!(fast, slow, "{text}");
        }
    }
    let (ete, _) = numbers(&table, "été", &order);
    assert_eq!(ete.len(), 30_000 / titles.len());
    assert!(numbers(&table, "未有", &order).0.is_empty());
}

#[test]
fn shares_joined_keep_their_titles_in_one_code() {
    let firm = Id::new();
    let (mut first, mut second) = (Table::default(), Table::default());
    let mut titles = warming();
    titles.push(ODD.to_string());
    // The second share meets these in another order, so its numbers differ from the
    // first's and É and é fall on either side of the two-byte codes' end there.
    let mut others = titles.clone();
    others.reverse();
    others.push("Über ÜBER 用地".to_string());
    let mut expected = Vec::new();
    for n in 1..=2 * others.len() as u32 {
        let (share, list) = match n % 2 {
            0 => (&mut first, &titles),
            _ => (&mut second, &others),
        };
        let title = &list[(n as usize - 1) / 2 % list.len()];
        share.push_read(&item(firm, n, title).summary());
        expected.push((n, title.clone()));
    }
    first.index_numbers();
    first.append(&second);
    // The first share's own, and the second's whose codes came out of unequal lengths here.
    assert_eq!(first.odd_titles.len(), 2);
    for (n, title) in &expected {
        let p = first.position_of_number(*n).unwrap();
        assert_eq!(&first.title(p), title);
        assert_eq!(first.lowered_text(&first.rows[p]), title.to_lowercase());
    }
    let order = first.sorted(SortKey::Due, &|_| 0);
    for text in ["éclair", "über", "ber 用", "审批", "丁"] {
        let (fast, slow) = numbers(&first, text, &order);
        assert_eq!(fast, slow, "{text}");
        assert!(!fast.is_empty(), "{text}");
    }
}
