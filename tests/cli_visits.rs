//! Planning visits and raising items from the shell: firms by pinyin, forgiving dates.

mod common;

use common::{liaison, seeded, stderr, stdout};
use liaison::model::VisitStatus;
use liaison::store::Store;

#[test]
fn visits_add_takes_pinyin_initials_and_forgiving_times_then_done_marks_it() {
    let dir = seeded();
    let db = dir.path();
    let out = liaison(
        db,
        &[
            "visits",
            "add",
            "--firm",
            "zsswgc",
            "--at",
            "tomorrow 14:00",
            "--for",
            "1h30",
            "--location",
            "三楼会议室",
            "--lead",
            "陈文锋",
            "--purpose",
            "了解扩产用地进展",
            "--attendees",
            "李晓，自然资源分局",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    let id = printed.split_whitespace().next().unwrap().to_string();
    let tomorrow = chrono::Local::now().date_naive() + chrono::Duration::days(1);
    assert!(
        printed.contains(&format!("{tomorrow} 14:00  中山生物工程有限公司")),
        "{printed}"
    );
    {
        let store = Store::open(db).unwrap();
        let visit = store.visit(id.parse().unwrap()).unwrap().unwrap();
        assert_eq!(visit.duration_min, 90);
        assert_eq!(visit.start.date_naive(), tomorrow);
        assert_eq!(visit.start.format("%H:%M").to_string(), "14:00");
        assert_eq!(visit.location, "三楼会议室");
        assert_eq!(visit.lead, "陈文锋");
        assert_eq!(visit.attendees, ["李晓", "自然资源分局"]);
        assert_eq!(visit.status, VisitStatus::Planned);
        let firm = store.firm(visit.firm).unwrap().unwrap();
        assert_eq!(firm.name, "中山生物工程有限公司");
    }
    // The list shows the id; its first characters are enough for `done`.
    let list = stdout(&liaison(db, &["visits", "list"]));
    assert!(list.contains(&id), "{list}");
    let out = liaison(db, &["visits", "done", &id[..13]]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{id}: done\n"));
    let store = Store::open(db).unwrap();
    let visit = store.visit(id.parse().unwrap()).unwrap().unwrap();
    assert_eq!(visit.status, VisitStatus::Done);
}

#[test]
fn visits_add_refuses_an_ambiguous_firm_and_bad_times_naming_the_flag() {
    let dir = seeded();
    let db = dir.path();
    let count = || Store::open(db).unwrap().visit_ids_by_time().unwrap().len();
    let before = count();
    let refused = |args: &[&str], needle: &str| {
        let out = liaison(db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    };
    refused(
        &[
            "visits",
            "add",
            "--firm",
            "zhongshan",
            "--at",
            "tomorrow 9:00",
        ],
        "--firm: zhongshan matches 4 firms: 中山生物工程有限公司",
    );
    refused(
        &["visits", "add", "--firm", "qqqqxx", "--at", "tomorrow 9:00"],
        "--firm: no firm named qqqqxx",
    );
    refused(
        &["visits", "add", "--firm", "zsswgc", "--at", "someday"],
        "--at: ",
    );
    refused(
        &[
            "visits",
            "add",
            "--firm",
            "zsswgc",
            "--at",
            "tomorrow 9:00",
            "--for",
            "30h",
        ],
        "--for: 30h: must be at most",
    );
    refused(
        &["visits", "add", "--firm", "zsswgc", "--at", "明天"],
        "--at: 明天: add a time",
    );
    refused(&["visits", "done", "xyz"], "ID: xyz is not a visit id");
    refused(
        &["visits", "done", "01234567"],
        "ID: there is no visit 01234567",
    );
    assert_eq!(count(), before);
}

#[test]
fn issues_add_takes_a_forgiving_due_date_and_a_firm_by_pinyin() {
    let dir = seeded();
    let db = dir.path();
    let out = liaison(
        db,
        &[
            "issues",
            "add",
            "--firm",
            "zsswgc",
            "--title",
            "新增用电",
            "--due",
            "+3d",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let item: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let due = chrono::Local::now().date_naive() + chrono::Duration::days(3);
    assert_eq!(item["due"], due.to_string());
    assert_eq!(item["firm"], "中山生物工程有限公司");
    let out = liaison(
        db,
        &[
            "issues", "add", "--firm", "zsswgc", "--title", "x", "--due", "someday",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value 'someday' for '--due <WHEN>'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_visit_without_a_duration_lasts_an_hour_as_in_the_form() {
    let dir = seeded();
    let out = liaison(
        dir.path(),
        &["visits", "add", "--firm", "中荣印刷", "--at", "+2d 10:00"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let id = stdout(&out).split_whitespace().next().unwrap().to_string();
    let store = Store::open(dir.path()).unwrap();
    let visit = store.visit(id.parse().unwrap()).unwrap().unwrap();
    assert_eq!(visit.duration_min, 60);
}
