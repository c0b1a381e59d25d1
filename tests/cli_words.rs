//! A word to find is looked up in the word index (pairs of characters) and the whole filter
//! runs on the items it names: the answers must be those of reading every item, for Chinese,
//! Latin and mixed words, one character, words in responses and negated words.

mod common;

use common::listing::{json_array, numbers};
use common::{liaison, seeded_with, stderr};
use liaison::query::{Item, Needle, WithResponses};
use liaison::store::Store;
use serde_json::Value;
use std::collections::BTreeMap;

/// The numbers of the items a filter lists, in increasing order.
fn listed(dir: &std::path::Path, filter: &str) -> Vec<u64> {
    let mut numbers = numbers(&json_array(
        dir,
        &["issues", "list", "--filter", filter, "--json"],
    ));
    numbers.sort_unstable();
    numbers
}

#[test]
fn words_through_the_index_match_a_walk_over_all() {
    let dir = seeded_with(&["--firms", "30", "--visits", "40", "--issues", "400"]);

    let words = [
        "用地",
        "新增用地",
        "road-works",
        "xyz新区",
        "供地方案",
        "qq供",
        "用",
        "x",
        "企业",
        "許可",
    ];
    // Texts the demo does not write: a Latin and a mixed title, and words only in a
    // response, written through the store (as the app writes them).
    let mut walked: BTreeMap<&str, (Vec<u64>, Vec<u64>)> = BTreeMap::new();
    {
        let store = Store::open(dir.path()).unwrap();
        let now = liaison::model::when::now();
        let mut items = Vec::new();
        store
            .each_issue(|i| {
                items.push(i.unwrap());
                Ok(())
            })
            .unwrap();
        let mut first = items[0].clone();
        first.title = "XYZ新区 Road-Works 许可".into();
        store.save_issue(&first, &[]).unwrap();
        let mut second = items[1].clone();
        let event = second
            .respond("已协调QQ供地方案", false, "王伟", now)
            .unwrap();
        store.save_issue(&second, &[event]).unwrap();
        // A response replaced by a later title change keeps its words.
        second.title = "另一个标题".into();
        store.save_issue(&second, &[]).unwrap();

        let mut all = Vec::new();
        store
            .each_issue_with_text(|i| {
                all.push(i.unwrap());
                Ok(())
            })
            .unwrap();
        for word in words {
            let needle = Needle::new(word);
            let (mut with, mut without) = (Vec::new(), Vec::new());
            for (issue, responses) in &all {
                let item = WithResponses { issue, responses };
                if item.contains_text(&needle) {
                    with.push(u64::from(issue.number));
                } else {
                    without.push(u64::from(issue.number));
                }
            }
            with.sort_unstable();
            without.sort_unstable();
            walked.insert(word, (with, without));
        }
        assert!(!walked["road-works"].0.is_empty());
        assert!(!walked["供地方案"].0.is_empty());
        assert!(!walked["用地"].0.is_empty());
    }
    for word in words {
        let (with, without) = &walked[word];
        assert_eq!(&listed(dir.path(), word), with, "{word}");
        // Negated, a word bounds nothing: every other item.
        assert_eq!(&listed(dir.path(), &format!("-{word}")), without, "-{word}");
    }
    // Two words: both hold.
    let both: Vec<u64> = walked["用地"]
        .0
        .iter()
        .filter(|n| walked["企业"].0.contains(n))
        .copied()
        .collect();
    assert_eq!(listed(dir.path(), "用地 企业"), both);
    // Upper case in the filter finds the lower-cased text.
    assert_eq!(&listed(dir.path(), "ROAD-works"), &walked["road-works"].0);

    // The export reads the index's items in the due order and in another: the same items,
    // fields and order as a walk (`-#0` bounds nothing) kept to those holding the word.
    let export = |filter: &str, sort: &str| -> Vec<Value> {
        let args = [
            "export", "issues", "--format", "json", "--filter", filter, "--sort", sort,
        ];
        let out = liaison(dir.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    for sort in ["due", "priority"] {
        for word in ["用地", "供地方案"] {
            let walk: Vec<Value> = export("-#0", sort)
                .into_iter()
                .filter(|i| walked[word].0.contains(&i["number"].as_u64().unwrap()))
                .collect();
            assert_eq!(export(word, sort), walk, "{word} by {sort}");
        }
    }

    // The index agrees with the items: `check` finds nothing.
    let out = liaison(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A key of the index lost, and one with bytes of another kind: both findings, both
    // rebuilt by `repair`, and the answers are those of the walk again.
    {
        use liaison::store::testing;
        let store = Store::open(dir.path()).unwrap();
        let keys = testing::keys_raw(&store, "idx_issue_words").unwrap();
        assert!(keys.len() > 100 && keys.len() <= 8192, "{}", keys.len());
        testing::remove_raw(&store, "idx_issue_words", &keys[0]).unwrap();
        testing::put_raw(&store, "idx_issue_words", &keys[1], b"junk").unwrap();
        let report = store.check().unwrap();
        let found: Vec<&str> = report
            .problems
            .iter()
            .filter(|p| p.tree == "idx_issue_words")
            .map(|p| p.what.as_str())
            .collect();
        assert_eq!(found.len(), 2, "{:?}", report.problems);
        let repaired = store.repair(liaison::model::when::now()).unwrap();
        assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    }
    for word in words {
        assert_eq!(
            &listed(dir.path(), word),
            &walked[word].0,
            "{word} after repair"
        );
    }
}
