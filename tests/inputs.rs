//! Hostile or damaged input files through the binary: what is quoted back is capped, what
//! means nothing is refused, and a problem is reported where it is.

mod common;

use common::{liaison, seeded, stderr, stdout};

#[test]
fn a_huge_header_cell_is_not_echoed_back_whole() {
    let db = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let huge = "诉".repeat(2_000_000);
    for (file, kind) in [("items.csv", "issues"), ("firms.csv", "firms")] {
        let path = dir.path().join(file);
        // No required column, one cell of 6 MB, and many more cells.
        let cells: Vec<String> = (0..200).map(|n| format!("column {n}")).collect();
        std::fs::write(&path, format!("{huge},{}\n甲,乙\n", cells.join(","))).unwrap();
        let out = liaison(db.path(), &["import", kind, path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        let said = stderr(&out);
        assert!(said.len() < 4_000, "{kind}: {} bytes echoed", said.len());
        assert!(said.contains("… (2000000 characters)"), "{said}");
        assert!(said.contains("and 181 more"), "{said}");

        // A header cell of the right name with a huge one beside it: the row errors and the
        // ignored columns quote it cut too.
        std::fs::write(
            &path,
            format!("企业名称,诉求,{huge}\n,没有企业的诉求,x\n中山测试有限公司,好的诉求,y\n"),
        )
        .unwrap();
        let out = liaison(
            db.path(),
            &["import", kind, path.to_str().unwrap(), "--dry-run"],
        );
        assert!(stdout(&out).len() + stderr(&out).len() < 4_000, "{kind}");
    }
}

#[test]
fn a_negative_number_is_not_a_due_date() {
    let db = seeded();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("items.csv");
    std::fs::write(
        &path,
        "企业名称,诉求,期限\n艾特网能技术有限公司,负数期限,-5\n艾特网能技术有限公司,五天前,-5d\n",
    )
    .unwrap();
    let out = liaison(db.path(), &["import", "issues", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let said = stderr(&out);
    assert!(
        said.contains(":2: 期限: -5 is a negative number, not a date"),
        "{said}"
    );
    assert!(!said.contains(":3:"), "-5d is five days ago: {said}");
}

#[test]
fn a_blank_line_in_a_backup_is_reported_at_that_line() {
    let db = seeded();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("ledger.jsonl");
    let out = liaison(db.path(), &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&backup).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    // An item's record replaced by a blank line, as a careless edit leaves it.
    let item = lines
        .iter()
        .position(|l| l.starts_with("{\"kind\":\"issue\""))
        .unwrap();
    lines[item] = "";
    let edited = dir.path().join("edited.jsonl");
    std::fs::write(&edited, lines.join("\n") + "\n").unwrap();

    let target = dir.path().join("restored");
    let out = liaison(&target, &["restore", edited.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let said = stderr(&out);
    assert!(
        said.contains(&format!("edited.jsonl:{}: a blank line", item + 1)),
        "{said}"
    );
}
