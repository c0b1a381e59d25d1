use super::*;

/// Every fixed text of every catalog.
fn all() -> Vec<(&'static str, Msg)> {
    [
        frame::ALL,
        firms::ALL,
        agenda::ALL,
        issues::ALL,
        undo::ALL,
        cli::ALL,
        reports::ALL,
        server::ALL,
        keys::ALL,
        check::ALL,
        conflicts::ALL,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect()
}

/// A text with no Chinese letter in its Chinese form was not translated (copied English, or
/// left empty); marks and keys alone (`#`) are allowed where both forms differ.
#[test]
fn every_text_has_both_languages() {
    let mut missing = Vec::new();
    for (name, msg) in all() {
        let has_han = msg
            .zh
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if msg.en.trim().is_empty() || msg.zh.trim().is_empty() || !has_han {
            missing.push(name);
        }
        if msg
            .en
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            && msg.en == msg.zh
        {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "texts without a translation: {missing:?}"
    );
}

#[test]
fn the_catalogs_are_not_empty() {
    assert!(all().len() > 250, "{}", all().len());
}

#[test]
fn a_thread_can_read_either_language() {
    set_thread_lang(Some(Lang::Zh));
    assert_eq!(TAB_FIRMS.get(), "企业");
    assert_eq!(status(crate::model::Status::InProgress), "办理中");
    assert_eq!(weekday(chrono::Weekday::Sun), "周日");
    assert_eq!(
        short_day(chrono::NaiveDate::from_ymd_opt(2026, 12, 13).unwrap()),
        "12月13日"
    );
    set_thread_lang(Some(Lang::En));
    assert_eq!(TAB_FIRMS.get(), "Firms");
    assert_eq!(status(crate::model::Status::InProgress), "in progress");
    set_thread_lang(None);
}

#[test]
fn languages_parse_from_settings_and_locales() {
    assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
    assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
    assert_eq!(Lang::parse("en"), Some(Lang::En));
    assert_eq!(Lang::parse("C.UTF-8"), None);
}
