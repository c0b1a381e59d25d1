//! The triage queue as the officer works it: views, the filter language, one-key triage with
//! its history, bulk with a confirmation, undo, and what survives a reopen.

mod common;

use common::{demo_store, Screen};
use liaison::app::{Mode, Tab};
use liaison::model::{Change, Priority, ResolutionKind, Status};
use liaison::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn queue(dir: &tempfile::TempDir) -> Screen {
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3");
    screen
}

/// Types a filter and leaves the filter line.
fn filter(screen: &mut Screen, text: &str) {
    screen.keys("/");
    screen.key_event(ctrl('u'));
    screen.type_text(text).key(KeyCode::Enter);
}

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
    assert_eq!(screen.app.mode, Mode::Filter);
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
fn assign_respond_and_close_take_a_handful_of_keys_and_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut screen = queue(&dir);
        // The unassigned view: #9 研发人才住房需求 first.
        screen.keys("vvv");
        assert_eq!(screen.app.issues.view_name(), Some("Unassigned"));
        assert_eq!(screen.app.issues.selected().unwrap().number, 9);
        screen.keys("a");
        assert_eq!(screen.app.mode, Mode::Picker);
        screen.type_text("rsj").key(KeyCode::Enter);
        assert!(screen.text().contains("#9: handed to 人社局; saved"));
        // It left the unassigned view; find it again.
        filter(&mut screen, "研发人才住房");
        screen
            .keys("r")
            .type_text("已联系人才公寓运营方，")
            .key(KeyCode::Enter)
            .type_text("本月可入住。");
        assert!(screen.text().contains("Response #9"), "{}", screen.text());
        screen.key_event(ctrl('f'));
        assert!(screen
            .text()
            .contains("#9: answer to the firm recorded; saved"));
        screen.keys("x");
        screen.type_text("企业已确认入住安排。").key(KeyCode::Enter);
        assert_eq!(screen.app.mode, Mode::Normal);
        let row = screen.app.issues.row_by_number(9).unwrap();
        assert_eq!(row.status, Status::Closed);
    }
    let store = Store::open(dir.path()).unwrap();
    let issue = store.issue_by_number(9).unwrap().unwrap();
    assert_eq!(issue.status, Status::Closed);
    assert_eq!(
        issue.resolution.as_ref().unwrap().kind,
        ResolutionKind::Answered
    );
    assert_eq!(
        issue.resolution.as_ref().unwrap().text,
        "企业已确认入住安排。"
    );
    let history: Vec<Change> = store
        .events(issue.id)
        .unwrap()
        .records
        .into_iter()
        .map(|e| e.change)
        .collect();
    assert_eq!(
        history.len(),
        4,
        "created, handed over, answered, closed: {history:?}"
    );
    assert!(matches!(history[1], Change::Department { .. }));
    assert!(
        matches!(&history[2], Change::Response { text, to_firm: true } if text == "已联系人才公寓运营方，\n本月可入住。")
    );
    assert!(matches!(
        history[3],
        Change::Status {
            from: Status::Assigned,
            to: Status::Closed,
            ..
        }
    ));
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn every_triage_action_writes_exactly_one_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "研发人才住房");
    let id = screen.app.issues.selected_id().unwrap();
    let number = screen.app.issues.selected().unwrap().number;
    let count = |screen: &Screen| screen.app.store.events(id).unwrap().records.len();
    let mut expected = count(&screen);
    let mut step = |screen: &mut Screen, keys: &dyn Fn(&mut Screen)| {
        keys(screen);
        expected += 1;
        assert_eq!(
            count(screen),
            expected,
            "{}",
            screen
                .app
                .message
                .as_ref()
                .map(|m| m.text.clone())
                .unwrap_or_default()
        );
    };
    step(&mut screen, &|s| {
        s.keys("a").type_text("发改局").key(KeyCode::Enter);
    });
    step(&mut screen, &|s| {
        s.keys("p").type_text("urgent").key(KeyCode::Enter);
    });
    step(&mut screen, &|s| {
        s.keys("D");
        s.key_event(ctrl('u'));
        s.type_text("+10d").key(KeyCode::Enter);
    });
    step(&mut screen, &|s| {
        s.keys("c").type_text("market").key(KeyCode::Enter);
    });
    step(&mut screen, &|s| {
        s.keys("w");
        s.key_event(ctrl('u'));
        s.type_text("王伟").key(KeyCode::Enter);
    });
    step(&mut screen, &|s| {
        s.keys("s").type_text("in").key(KeyCode::Enter);
    });
    step(&mut screen, &|s| {
        s.keys("r").type_text("已转办");
        s.key_event(ctrl('s'));
    });
    step(&mut screen, &|s| {
        s.keys("u");
    });
    // Setting what is already set writes nothing.
    screen.keys("p").type_text("urgent").key(KeyCode::Enter);
    assert_eq!(count(&screen), expected);
    assert!(screen.text().contains("Nothing changed"));
    let row = screen.app.issues.row_by_number(number).unwrap();
    assert_eq!(row.priority, Priority::Urgent);
    assert_eq!(row.owner, "王伟");
}

#[test]
fn a_bad_due_date_is_refused_next_to_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("D");
    screen.key_event(ctrl('u'));
    screen.type_text("someday").key(KeyCode::Enter);
    assert_eq!(screen.app.mode, Mode::Form);
    assert!(screen.text().contains("someday is not a date"));
    screen.key_event(ctrl('u'));
    screen.type_text("2020-01-01").key(KeyCode::Enter);
    assert_eq!(screen.app.mode, Mode::Form);
    assert!(screen
        .text()
        .contains("is before the day the item was raised"));
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode, Mode::Normal);
}

#[test]
fn closing_needs_what_the_firm_was_told() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    let id = screen.app.issues.selected_id().unwrap();
    screen.keys("x").key(KeyCode::Enter);
    assert_eq!(screen.app.mode, Mode::Form);
    assert!(screen.text().contains("is required to close an item"));
    screen.key(KeyCode::BackTab);
    screen.key_event(ctrl('u'));
    screen
        .type_text("maybe")
        .key(KeyCode::Tab)
        .type_text("现场解决")
        .key(KeyCode::Enter);
    assert!(screen
        .text()
        .contains("write answered, on-the-spot or withdrawn"));
    // The problem took the focus to the field.
    screen.key_event(ctrl('u'));
    screen.type_text("现场").key(KeyCode::Enter);
    assert_eq!(screen.app.mode, Mode::Normal);
    let issue = screen.app.store.issue(id).unwrap().unwrap();
    assert_eq!(issue.resolution.unwrap().kind, ResolutionKind::OnTheSpot);
}

#[test]
fn bulk_actions_say_how_many_items_change_and_apply_to_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("vvv");
    assert_eq!(screen.app.issues.shown.len(), 3);
    screen.keys("*");
    assert_eq!(screen.app.issues.marked.len(), 3);
    assert!(screen.text().contains("3 marked"));
    screen.keys("p").type_text("high").key(KeyCode::Enter);
    assert_eq!(screen.app.mode, Mode::Confirm);
    assert!(screen.text().contains("3 marked items: priority high?"));
    screen.keys("n");
    assert!(screen
        .app
        .issues
        .shown_rows()
        .all(|r| r.priority == Priority::Normal));
    screen
        .keys("p")
        .type_text("high")
        .key(KeyCode::Enter)
        .keys("y");
    assert!(screen.text().contains("3 items: priority high; saved"));
    assert!(
        screen.app.issues.marked.is_empty(),
        "marks are cleared after the action"
    );
    assert!(screen
        .app
        .issues
        .shown_rows()
        .all(|r| r.priority == Priority::High));
    // Undo puts all three back, each with an event.
    screen.keys("u");
    assert!(screen.text().contains("Undone on 3 item(s)"));
    assert!(screen
        .app
        .issues
        .shown_rows()
        .all(|r| r.priority == Priority::Normal));
    for number in [9, 13, 19] {
        let history = events_of_screen(&screen, number);
        assert!(
            matches!(
                history.last(),
                Some(Change::Reverted {
                    change: Some(_),
                    ..
                })
            ),
            "{history:?}"
        );
    }
    // Space marks one at a time; Esc drops the marks.
    screen.keys(" ");
    assert_eq!(screen.app.issues.marked.len(), 1);
    screen.key(KeyCode::Esc);
    assert!(screen.app.issues.marked.is_empty());
}

fn events_of_screen(screen: &Screen, number: u32) -> Vec<Change> {
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    screen
        .app
        .store
        .events(issue.id)
        .unwrap()
        .records
        .into_iter()
        .map(|e| e.change)
        .collect()
}

#[test]
fn status_moves_only_along_the_life_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "研发人才住房");
    screen.keys("s");
    let picker = screen.app.picker.as_ref().unwrap();
    let labels: Vec<&str> = picker.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(
        labels,
        vec!["assigned"],
        "a new item can only be assigned (or closed with x)"
    );
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode, Mode::Normal);
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

#[test]
fn enter_opens_the_firm_card_and_help_lists_the_triage_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("?");
    let text = screen.text();
    for key in [
        "hand to a department",
        "undo the last change",
        "mark everything shown",
        "close with what the firm was told",
        "export the items shown",
    ] {
        assert!(text.contains(key), "missing {key}");
    }
    screen.key(KeyCode::Esc).key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Firms);
    assert_eq!(
        screen
            .app
            .firm_name(screen.app.firms.card.as_ref().unwrap().firm),
        "中山朗斯家居股份有限公司"
    );
}

#[test]
fn items_captured_in_a_meeting_join_the_queue_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    let before = screen.app.issues.tally.open;
    screen
        .keys("2")
        .key(KeyCode::Enter)
        .keys("c")
        .type_text("新增一条诉求")
        .key(KeyCode::Enter)
        .key(KeyCode::Esc);
    screen.keys("3");
    assert_eq!(screen.app.issues.tally.open, before + 1);
    filter(&mut screen, "新增一条诉求");
    assert_eq!(screen.app.issues.shown.len(), 1);
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
    assert_eq!(screen.app.mode, Mode::Form);
    assert!(screen.text().contains("Export the items shown"));
    screen.key_event(ctrl('u'));
    screen.type_text(path.to_str().unwrap()).key(KeyCode::Enter);
    assert_eq!(screen.app.mode, Mode::Normal);
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
    assert_eq!(screen.app.mode, Mode::Form);
    assert!(screen.app.form.as_ref().unwrap().fields[0]
        .error
        .as_deref()
        .unwrap()
        .contains("cannot create"));
    screen.key(KeyCode::Esc);

    // A view with nothing in it has nothing to export.
    filter(&mut screen, "firm:nosuchfirm");
    assert!(screen.app.issues.shown.is_empty());
    screen.keys("E");
    assert_eq!(screen.app.mode, Mode::Normal);
    assert_eq!(
        screen.app.message.as_ref().unwrap().text,
        "Nothing to export: this view shows no items."
    );
}

/// A change moves the item within the list, never the selection to another item: the next
/// key (a response, closing) must act on the item just changed.
#[test]
fn the_selection_stays_on_the_item_just_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("vv");
    assert_eq!(screen.app.issues.view_name(), Some("Overdue"));
    let first = screen.app.issues.selected().unwrap().number;
    screen.keys("a").type_text("qyfw").key(KeyCode::Enter);
    assert_eq!(screen.app.issues.selected().unwrap().number, first);
    // Lower its priority: in the order by priority it moves down, and the selection with it.
    filter(&mut screen, "overdue sort:priority");
    let selected = screen.app.issues.selected().unwrap().number;
    screen.keys("p").type_text("low").key(KeyCode::Enter);
    let now = screen.app.issues.selected().unwrap();
    assert_eq!((now.number, now.priority), (selected, Priority::Low));
    assert_eq!(
        screen.app.issues.cursor.selected,
        screen.app.issues.shown.len() - 1,
        "the least urgent comes last"
    );
}
