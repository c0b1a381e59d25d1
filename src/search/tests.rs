use super::*;

fn hit(query: &str, name: &str) -> Option<Hit> {
    Searcher::default().match_name(&Query::new(query), name, NameKeys::new(name))
}

#[test]
fn initials_full_pinyin_and_chinese_all_find_the_firm() {
    let name = "中山生物工程有限公司";
    for query in [
        "zsswgc",
        "zhongshanshengwu",
        "生物",
        "zsswgcyxgs",
        "zhongshansw",
        "shengwugongcheng",
    ] {
        let found = hit(query, name).unwrap_or_else(|| panic!("{query} should match"));
        assert!(found.rank <= Rank::Pinyin, "{query}: {found:?}");
    }
    assert_eq!(hit("zsswgc", name).unwrap().rank, Rank::PinyinPrefix);
    assert_eq!(
        hit("zsswgc", name).unwrap().positions,
        vec![0, 1, 2, 3, 4, 5]
    );
    assert_eq!(hit("生物", name).unwrap().rank, Rank::Substring);
    assert_eq!(hit("生物", name).unwrap().positions, vec![2, 3]);
    assert_eq!(hit("shengwu", name).unwrap().rank, Rank::Pinyin);
}

#[test]
fn a_query_still_being_typed_matches_the_start_of_a_syllable() {
    assert!(hit("zhongsh", "中山生物工程有限公司").is_some());
    assert!(hit("zhon", "中山生物工程有限公司").is_some());
}

#[test]
fn polyphonic_characters_match_every_reading() {
    // 重 is zhong or chong, 行 is xing or hang.
    assert!(hit("chongqing", "重庆银行").is_some());
    assert!(hit("zhongqing", "重庆银行").is_some());
    assert!(hit("yinhang", "重庆银行").is_some());
    assert!(hit("yh", "重庆银行").is_some());
}

#[test]
fn mixed_chinese_and_latin_names() {
    let name = "Zhongshan Apex 光电 Co., Ltd.";
    assert_eq!(hit("apex", name).unwrap().rank, Rank::Substring);
    assert_eq!(hit("apexgd", name).unwrap().rank, Rank::Pinyin);
    assert_eq!(hit("ZHONGSHAN", name).unwrap().rank, Rank::Prefix);
    // Full-width letters fold to half width.
    assert!(hit("ａｐｅｘ", name).is_some());
    assert_eq!(
        hit("Zhongshan Apex 光电 Co., Ltd.", name).unwrap().rank,
        Rank::Exact
    );
}

#[test]
fn fuzzy_catches_typos_in_latin_names_and_nothing_matches_nonsense() {
    let found = hit("zhngshn apx", "Zhongshan Apex Optics Co., Ltd.").unwrap();
    assert_eq!(found.rank, Rank::Fuzzy);
    assert!(!found.positions.is_empty());
    assert!(hit("qqqq", "中山生物工程有限公司").is_none());
    assert!(hit("xyz", "中山生物工程有限公司").is_none());
}

#[test]
fn exact_and_prefix_rank_before_fuzzy() {
    let names = [
        "中山生物工程有限公司",
        "生物工程中山分公司",
        "中山市生活物资工程公司",
    ];
    let mut searcher = Searcher::default();
    let query = Query::new("中山生物");
    let mut hits: Vec<(&str, Hit)> = names
        .iter()
        .filter_map(|n| {
            searcher
                .match_name(&query, n, NameKeys::new(n))
                .map(|h| (*n, h))
        })
        .collect();
    hits.sort_by_key(|(_, h)| h.order());
    assert_eq!(hits[0].0, "中山生物工程有限公司");
    assert_eq!(hits[0].1.rank, Rank::Prefix);
    assert!(hits.iter().skip(1).all(|(_, h)| h.rank == Rank::Fuzzy));
}

#[test]
fn a_hit_on_the_short_name_highlights_it_inside_the_name() {
    let keys = FirmKeys::new("中山未名海济生物医药有限公司", "未名海济");
    let found = Searcher::default()
        .match_firm(
            &Query::new("wmhj"),
            "中山未名海济生物医药有限公司",
            "未名海济",
            &keys,
        )
        .unwrap();
    assert_eq!(found.rank, Rank::PinyinPrefix);
    assert_eq!(found.positions, vec![2, 3, 4, 5]);
}

#[test]
fn narrowing_queries_are_recognised() {
    assert!(Query::new("zss").narrows(&Query::new("zs")));
    assert!(!Query::new("zs").narrows(&Query::new("zss")));
    assert!(!Query::new("zs").narrows(&Query::new("")));
}

#[test]
fn the_quick_sort_key_is_the_keys_sort_key() {
    for name in [
        "中山生物工程有限公司",
        "重庆长安",
        "Ａｐｐｌｅ　中山",
        "ACME Tools (Zhongshan) Ltd.",
        "乐行 银行 行长",
        "",
    ] {
        assert_eq!(sort_key(name), NameKeys::new(name).sort_key(), "{name}");
    }
}
