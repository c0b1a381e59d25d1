use super::super::{rank, FirmKeys, FirmView, NameView, Query, Searcher};
use super::KeyTable;
use proptest::prelude::*;

const FIRMS: [(&str, &str); 8] = [
    ("中山生物工程有限公司", "中山生物"),
    ("中山未名海济生物医药有限公司", "未名海济"),
    ("重庆银行", ""),
    ("Zhongshan Apex 光电 Co., Ltd.", "Apex"),
    ("Ａｐｐｌｅ　中山", "Ａｐｐｌｅ"),
    ("乐行 银行 行长", "乐行"),
    ("", ""),
    ("İstanbul 中山 Trading", "İst"),
];

const QUERIES: [&str; 16] = [
    "zsswgc",
    "zhongshanshengwu",
    "生物",
    "wmhj",
    "chongqing",
    "yinhang",
    "yh",
    "apex",
    "apexgd",
    "ZHONGSHAN",
    "ａｐｅｘ",
    "zhngshn apx",
    "中山生物",
    "i",
    "lehang",
    "xyz",
];

fn table(firms: &[(&str, &str)]) -> KeyTable {
    let mut table = KeyTable::new();
    for (name, short) in firms {
        table.push(&FirmKeys::new(name, short));
    }
    table.finish();
    table
}

#[test]
fn the_table_gives_back_every_character_and_reading() {
    let table = table(&FIRMS);
    assert_eq!(table.len(), FIRMS.len());
    for (i, (name, short)) in FIRMS.iter().enumerate() {
        let keys = FirmKeys::new(name, short);
        let packed = table.firm(i);
        for (stored, view) in [
            (&keys.name, packed.name()),
            (&keys.short_name, packed.short_name()),
        ] {
            assert_eq!(view.folded(), stored.folded, "{name}");
            assert_eq!(view.letters(), stored.letters, "{name}");
            assert_eq!(view.char_count(), stored.chars.len(), "{name}");
            for (c, key) in stored.chars.iter().enumerate() {
                assert_eq!(view.char_folded(c), key.folded, "{name} #{c}");
                assert_eq!(
                    view.readings(c).collect::<Vec<_>>(),
                    key.pinyin,
                    "{name} #{c}"
                );
            }
        }
    }
}

#[test]
fn searching_the_table_finds_what_the_stored_keys_find() {
    let table = table(&FIRMS);
    let stored: Vec<FirmKeys> = FIRMS.iter().map(|(n, s)| FirmKeys::new(n, s)).collect();
    let mut found_some = 0;
    for text in QUERIES {
        let query = Query::new(text);
        let by_stored = rank(
            &mut Searcher::default(),
            &query,
            FIRMS
                .iter()
                .enumerate()
                .map(|(i, (n, s))| (i, *n, *s, &stored[i])),
        );
        let by_table = rank(
            &mut Searcher::default(),
            &query,
            FIRMS
                .iter()
                .enumerate()
                .map(|(i, (n, s))| (i, *n, *s, table.firm(i))),
        );
        assert_eq!(by_table, by_stored, "{text}");
        found_some += usize::from(!by_table.is_empty());
    }
    assert!(found_some >= 12, "the queries should mostly find firms");
    // Pinyin and Chinese, through the table: the known answers.
    let hits = rank(
        &mut Searcher::default(),
        &Query::new("wmhj"),
        FIRMS
            .iter()
            .enumerate()
            .map(|(i, (n, s))| (i, *n, *s, table.firm(i))),
    );
    assert_eq!(hits[0].0, 1);
    assert_eq!(hits[0].1.positions, vec![2, 3, 4, 5]);
}

proptest! {
    #[test]
    fn any_names_match_alike(
        names in proptest::collection::vec(
            ("[中山生物重庆银行乐长a-zA-Z 　Ａｐ0-9]{0,12}", "[中山生物行a-z ]{0,5}"),
            1..6,
        ),
        text in "[中山生物zhongsanyiqgwx ]{1,8}",
    ) {
        let firms: Vec<(&str, &str)> =
            names.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
        let table = table(&firms);
        let query = Query::new(&text);
        let mut searcher = Searcher::default();
        for (i, (name, short)) in firms.iter().enumerate() {
            let stored = FirmKeys::new(name, short);
            // A substring's characters, as the stored `owner` list gave them before.
            if let Some(hit) = searcher.match_name(&query, name, &stored.name) {
                let keys = &stored.name;
                if hit.rank <= super::super::Rank::Substring && !query.is_empty() {
                    let folded: String = text.chars().map(super::super::fold_char).collect();
                    let start = keys.folded.find(&folded).unwrap();
                    let first = keys.folded[..start].chars().count();
                    let mut owners: Vec<usize> = keys.owner[first..first + folded.chars().count()]
                        .iter()
                        .map(|o| *o as usize)
                        .collect();
                    owners.dedup();
                    prop_assert_eq!(hit.positions, owners);
                }
            }
            prop_assert_eq!(
                searcher.match_firm(&query, name, short, table.firm(i)),
                searcher.match_firm(&query, name, short, &stored)
            );
        }
    }
}
