//! The queue's views, the filter language and the orders: what is listed, in what order,
//! and what the current view exports.

use super::*;

#[test]
fn the_overdue_view_lists_the_overdue_items() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("vv");
    assert_eq!(screen.app.issues.view_name(), Some("Overdue"));
    let numbers: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    assert_eq!(numbers, vec![7, 14, 3, 10, 17]);
    let text = screen.text();
    assert!(text.contains("Overdue · 5 of 20 · by due"), "{text}");
    assert!(text.contains("/ overdue"));
    assert!(
        text.contains("15/20 items open · 5 overdue · 3 unassigned"),
        "{text}"
    );
}

#[test]
fn the_filter_language_narrows_the_queue_and_shows_mistakes_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "dept:自然资源分局 status:open");
    let titles: Vec<String> = screen.app.issues.shown_rows().map(|r| r.title).collect();
    assert_eq!(
        titles,
        vec!["扩大产能需新增用地", "增资扩产需新增用地约30亩"]
    );
    // Pinyin initials of the firm, and text in a response.
    filter(&mut screen, "firm:zsswgc");
    assert_eq!(screen.app.issues.shown.len(), 3);
    filter(&mut screen, "招聘会");
    assert_eq!(
        screen.app.issues.selected().unwrap().number,
        4,
        "found in the response, not the title"
    );
    // A mistake keeps the last good list and says where it is.
    screen.keys("/");
    screen.key_event(ctrl('u'));
    screen.type_text("overdue prio:soon");
    let error = screen.app.issues.filter_error.clone().expect("an error");
    assert_eq!(error.position, 13);
    let text = screen.text();
    assert!(
        text.contains("at character 14: unknown priority soon"),
        "{text}"
    );
    assert_eq!(screen.app.mode(), Mode::Filter);
    screen.key(KeyCode::Esc);
    screen.key(KeyCode::Esc);
    assert_eq!(
        screen.app.issues.view_name(),
        Some("All open"),
        "Esc goes back to the first view"
    );
}

#[test]
fn the_order_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("o");
    assert!(screen.text().contains("by priority"));
    let priorities: Vec<Priority> = screen.app.issues.shown_rows().map(|r| r.priority).collect();
    assert!(
        priorities.windows(2).all(|w| w[0] >= w[1]),
        "{priorities:?}"
    );
    filter(&mut screen, "status:open sort:age");
    let created: Vec<_> = screen.app.issues.shown_rows().map(|r| r.created).collect();
    assert!(created.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn a_saved_view_is_kept_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut screen = queue(&dir);
        filter(&mut screen, "dept:供电局");
        screen.keys("S").type_text("供电").key(KeyCode::Enter);
        assert!(screen.text().contains("View 供电 saved"));
    }
    let mut screen = queue(&dir);
    screen.keys("V").type_text("供电").key(KeyCode::Enter);
    assert_eq!(screen.app.issues.view_name(), Some("供电"));
    assert!(screen
        .app
        .issues
        .shown_rows()
        .all(|r| r.title.contains("电")));
}

/// The queue moves a changed item within its kept orders instead of sorting again; after a
/// run of changes every order must be exactly what a fresh start works out.
#[test]
fn changed_items_take_the_same_places_as_after_a_fresh_start() {
    let dir = tempfile::tempdir().unwrap();
    let sorts = ["due", "priority", "age", "firm", "updated"];
    let lists = |screen: &mut Screen, with_filter: &str| -> Vec<Vec<u32>> {
        sorts
            .iter()
            .map(|sort| {
                filter(screen, &format!("{with_filter} sort:{sort}"));
                screen.app.issues.shown_rows().map(|r| r.number).collect()
            })
            .collect()
    };
    let (placed, everything, open) = {
        let mut screen = queue(&dir);
        // Keep every order, then change items while the list is sorted by priority.
        lists(&mut screen, "");
        filter(&mut screen, "status:open sort:priority");
        for (moves, priority) in [(0, "low"), (3, "urgent"), (2, "normal"), (5, "high")] {
            for _ in 0..moves {
                screen.keys("j");
            }
            screen.keys("p").type_text(priority).key(KeyCode::Enter);
        }
        screen
            .keys("j")
            .keys("x")
            .type_text("已协调完毕")
            .key(KeyCode::Enter);
        screen.keys("kk").keys("u");
        let placed: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
        (
            placed,
            lists(&mut screen, ""),
            lists(&mut screen, "status:open"),
        )
    };
    assert!(everything.iter().all(|l| l.len() == 20), "{everything:?}");
    let mut fresh = Screen::new(Store::open(dir.path()).unwrap(), 120, 40);
    fresh.keys("3");
    filter(&mut fresh, "status:open sort:priority");
    let worked_out: Vec<u32> = fresh.app.issues.shown_rows().map(|r| r.number).collect();
    assert_eq!(placed, worked_out);
    assert_eq!(lists(&mut fresh, ""), everything);
    assert_eq!(lists(&mut fresh, "status:open"), open);
}

#[test]
fn the_current_view_exports_to_a_private_file_in_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("vv");
    assert_eq!(screen.app.issues.view_name(), Some("Overdue"));
    let shown: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    assert_eq!(shown, vec![7, 14, 3, 10, 17]);

    // Files go outside the database's directory (inside is refused).
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("overdue.csv");
    screen.keys("E");
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen.text().contains("Export the items shown"));
    screen.key_event(ctrl('u'));
    screen.type_text(path.to_str().unwrap()).key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    let message = &screen.app.message.as_ref().unwrap().text;
    assert!(message.starts_with("Exported 5 item(s) to "), "{message}");

    let bytes = std::fs::read(&path).unwrap();
    let text = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a byte order mark for spreadsheets");
    let mut reader = csv::Reader::from_reader(text);
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers[..3], ["编号", "企业名称", "诉求"]);
    let numbers: Vec<u32> = reader
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    assert_eq!(numbers, shown, "the rows of the view, in its order");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A name ending in .json: JSON with each item's history.
    let json_path = out.path().join("overdue.json");
    screen.keys("E");
    screen.key_event(ctrl('u'));
    screen
        .type_text(json_path.to_str().unwrap())
        .key(KeyCode::Enter);
    let items: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["number"], 7);
    assert_eq!(items[0]["history"][0]["change"]["kind"], "created");

    // A path that cannot be written keeps the form, with the reason.
    screen.keys("E");
    screen.key_event(ctrl('u'));
    screen
        .type_text("/no/such/dir/items.csv")
        .key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen.app.form().unwrap().fields[0]
        .error
        .as_deref()
        .unwrap()
        .contains("cannot create"));
    screen.key(KeyCode::Esc);

    // A view with nothing in it has nothing to export.
    filter(&mut screen, "firm:nosuchfirm");
    assert!(screen.app.issues.shown.is_empty());
    screen.keys("E");
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert_eq!(
        screen.app.message.as_ref().unwrap().text,
        "Nothing to export: this view shows no items."
    );
}

/// Issue 12, bug 2: on a view, `/` then `firm:zsswgc` read `overduefirm:zsswgc`; and a
/// filter with a mistake kept listing (and acting on) the rows of the last good one.
#[test]
fn typing_after_a_views_filter_starts_a_new_term_and_a_mistake_lists_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("vv");
    assert_eq!(screen.app.issues.view_name(), Some("Overdue"));
    screen.keys("/").type_text("firm:zsswgc");
    assert!(screen.app.issues.filter_error.is_none());
    assert_eq!(screen.app.issues.filter_input.text, "overdue firm:zsswgc");
    let numbers: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    assert_eq!(numbers, vec![14], "overdue and of 中山生物");
    // One key that makes the filter wrong: the row of the last good filter goes.
    screen.type_text(" 用地:");
    assert!(screen.app.issues.filter_error.is_some());
    assert_eq!(
        screen.app.issues.shown.len(),
        1,
        "the last good list is kept"
    );
    let text = screen.text();
    assert!(text.contains("The filter has a mistake"), "{text}");
    assert!(!text.contains("扩大产能需新增用地"), "no stale row: {text}");
    screen.key(KeyCode::Enter);
    screen.keys("p");
    assert_eq!(
        screen.app.mode(),
        Mode::Normal,
        "nothing unseen is acted on"
    );
}

/// Issue 12, point 18: "Due this week" is due by Sunday and not yet overdue (Overdue has its
/// own view).
#[test]
fn due_this_week_leaves_the_overdue_to_their_own_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen
        .keys("V")
        .type_text("Due this week")
        .key(KeyCode::Enter);
    assert_eq!(screen.app.issues.view_name(), Some("Due this week"));
    let today = common::now().date_naive();
    let rows: Vec<_> = screen.app.issues.shown_rows().collect();
    assert!(!rows.is_empty());
    for row in rows {
        let due = row.due.unwrap();
        assert!(due >= today, "#{} is overdue", row.number);
        assert!(
            due <= today + chrono::Duration::days(1),
            "#{}: by Sunday",
            row.number
        );
    }
}

#[test]
fn a_filter_narrowing_an_earlier_one_lists_items_changed_since() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    // A word of two characters: bounded by the word index, every title holding it is found.
    filter(&mut screen, "用地");
    let shown: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    let titled: Vec<u32> = all_items(&screen)
        .into_iter()
        .filter(|i| i.title.contains("用地"))
        .map(|i| i.number)
        .collect();
    assert!(!titled.is_empty());
    assert!(titled.iter().all(|n| shown.contains(n)), "{shown:?}");
    filter(&mut screen, "prio:low");
    let low: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    // Narrowed on: the list of `prio:low` is kept to narrow from.
    screen.keys("/").type_text(" #5").key(KeyCode::Enter);
    // An item becomes low meanwhile (as a sync or another screen would change it).
    let mut changed = all_items(&screen)
        .into_iter()
        .find(|i| i.priority != Priority::Low)
        .unwrap();
    changed.priority = Priority::Low;
    let today = screen.app.today();
    screen.app.issues.upsert(&changed, today);
    // Back to `prio:low`, which narrows the kept list: made before the change, not used.
    screen.keys("/");
    while screen.app.issues.filter_input.text.trim() != "prio:low" {
        screen.key(KeyCode::Backspace);
    }
    assert_eq!(screen.app.issues.filter_input.text.trim(), "prio:low");
    let now: Vec<u32> = screen.app.issues.shown_rows().map(|r| r.number).collect();
    assert!(now.contains(&changed.number), "{now:?}");
    assert_eq!(now.len(), low.len() + 1);
}
