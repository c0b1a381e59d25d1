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
fn assign_respond_and_close_take_a_handful_of_keys_and_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut screen = queue(&dir);
        // The unassigned view: #9 研发人才住房需求 first.
        screen.keys("vvv");
        assert_eq!(screen.app.issues.view_name(), Some("Unassigned"));
        assert_eq!(screen.app.issues.selected().unwrap().number, 9);
        screen.keys("a");
        assert_eq!(screen.app.mode(), Mode::Picker);
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
        // The answer is filled in; the officer writes what the firm confirmed instead.
        screen
            .key_event(ctrl('u'))
            .type_text("企业已确认入住安排。")
            .key(KeyCode::Enter);
        assert_eq!(screen.app.mode(), Mode::Normal);
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
        5,
        "created, handed over, the answer, answered, closed: {history:?}"
    );
    assert!(matches!(history[1], Change::Department { .. }));
    assert!(
        matches!(&history[2], Change::Response { text, to_firm: true } if text == "已联系人才公寓运营方，\n本月可入住。")
    );
    assert!(matches!(
        history[3],
        Change::Status {
            from: Status::Assigned,
            to: Status::Answered,
            ..
        }
    ));
    assert!(matches!(
        history[4],
        Change::Status {
            from: Status::Answered,
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
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen.text().contains("someday is not a date"));
    screen.key_event(ctrl('u'));
    screen.type_text("2020-01-01").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    assert!(screen
        .text()
        .contains("is before the day the item was raised"));
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode(), Mode::Normal);
}

#[test]
fn closing_needs_what_the_firm_was_told() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    let id = screen.app.issues.selected_id().unwrap();
    screen.keys("x").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
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
    assert_eq!(screen.app.mode(), Mode::Normal);
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
    assert_eq!(screen.app.mode(), Mode::Confirm);
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
    // A new item becomes assigned by being handed over (a), or is closed (x).
    filter(&mut screen, "研发人才住房");
    screen.keys("s");
    assert!(screen.app.picker().is_none());
    // An assigned one moves on; back to new only by taking its department away.
    filter(&mut screen, "#7");
    assert_eq!(
        screen.app.issues.selected().unwrap().status,
        Status::Assigned
    );
    screen.keys("s");
    let picker = screen.app.picker().unwrap();
    let labels: Vec<&str> = picker.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, vec!["in progress", "answered"]);
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode(), Mode::Normal);
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
        "mark everything shown",
        "close with what the firm was told",
        "export the items shown",
    ] {
        assert!(text.contains(key), "missing {key}");
    }
    // The global keys are further down: the help scrolls to them.
    assert!(!text.contains("show or hide this help"), "{text}");
    screen.keys("G");
    let text = screen.text();
    assert!(text.contains("show or hide this help"), "{text}");
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
    // The tests' today is a Saturday: the planned visits are in the next week.
    screen
        .keys("2]")
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

fn all_items(screen: &Screen) -> Vec<liaison::model::Issue> {
    let mut items = Vec::new();
    screen
        .app
        .store
        .each_issue(|i| {
            items.push(i.expect("no damage"));
            Ok(())
        })
        .unwrap();
    items
}

/// Every key that moves a list, pressed while a picker or form is open.
fn every_moving_key(screen: &mut Screen) {
    for code in [
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Up,
        KeyCode::PageDown,
        KeyCode::PageUp,
        KeyCode::Down,
        KeyCode::End,
        KeyCode::Home,
        KeyCode::Tab,
        KeyCode::BackTab,
    ] {
        screen.key(code);
    }
    screen.key_event(ctrl('n'));
    screen.key_event(ctrl('p'));
    screen.key(KeyCode::Down);
}

/// Issue 12, bug 0: ↓ in the priority picker moved the list behind it, and Enter then set
/// the priority of whichever item had become selected.
#[test]
fn every_picker_and_form_changes_only_the_item_it_was_opened_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    // Everything, so that no change takes the item out of the view.
    screen.keys("V").type_text("Everything").key(KeyCode::Enter);
    screen.keys("jjj");
    let target = screen.app.issues.selected().unwrap().id;
    let before = all_items(&screen);
    let steps: &[(&str, &str)] = &[
        ("p", ""),
        ("a", ""),
        ("c", ""),
        ("s", ""),
        ("D", "2027-01-15"),
        ("w", "李晓"),
        ("x", "已答复企业"),
    ];
    for (key, text) in steps {
        screen.keys(key);
        let mode = screen.app.mode();
        assert!(matches!(mode, Mode::Picker | Mode::Form), "{key}: {mode:?}");
        if mode == Mode::Picker {
            let shown_before = screen.app.issues.cursor.selected;
            every_moving_key(&mut screen);
            assert_eq!(
                screen.app.issues.cursor.selected, shown_before,
                "{key}: the list behind the picker stayed where it was"
            );
            assert_ne!(
                screen.app.picker().unwrap().cursor.selected,
                0,
                "{key}: the picker's own choice moved"
            );
        } else {
            every_moving_key(&mut screen);
            // The text goes into the last field (the close form's resolution).
            let fields = screen.app.form().unwrap().fields.len();
            while screen.app.form().unwrap().focus != fields - 1 {
                screen.key(KeyCode::Down);
            }
            screen
                .key(KeyCode::End)
                .key_event(ctrl('u'))
                .type_text(text);
        }
        // Whatever happens behind it (items arriving in the background reorder the list),
        // the change goes to the item the picker or form was opened on.
        screen.app.issues.cursor.select(0);
        screen.key(KeyCode::Enter);
        let mode = screen.app.mode();
        assert_eq!(mode, Mode::Normal, "{key}: {}", screen.text());
        let after = all_items(&screen);
        for (b, a) in before.iter().zip(&after) {
            if b.id != target {
                assert_eq!(b, a, "{key} changed #{} as well", b.number);
            }
        }
        let pos = screen.app.issues.shown_position(target).unwrap();
        screen.app.issues.cursor.select(pos);
    }
    let changed = all_items(&screen)
        .into_iter()
        .find(|i| i.id == target)
        .unwrap();
    let original = before.iter().find(|i| i.id == target).unwrap();
    assert_ne!(changed.priority, original.priority);
    assert_eq!(changed.status, Status::Closed);
    assert_eq!(changed.owner, "李晓");
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

/// Issue 12, bug 7: `s` on a new item offered `assigned`, which then had no department.
#[test]
fn assigned_follows_from_handing_over_not_from_the_status_picker() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("vvv");
    assert_eq!(screen.app.issues.view_name(), Some("Unassigned"));
    let item = screen.app.issues.selected().unwrap();
    assert_eq!((item.status, item.department), (Status::New, None));
    screen.keys("s");
    assert_eq!(screen.app.mode(), Mode::Normal, "nothing to choose");
    assert!(screen.text().contains("Hand the item to a department (a)"));
    let mut issue = screen.app.store.issue(item.id).unwrap().unwrap();
    let refused = issue.set_status(Status::Assigned, None, "李晓", common::now());
    assert!(refused.is_err(), "{refused:?}");
    // Handing it over makes it assigned.
    screen.keys("a").type_text("rsj").key(KeyCode::Enter);
    let issue = screen.app.store.issue(item.id).unwrap().unwrap();
    assert_eq!(issue.status, Status::Assigned);
    assert!(issue.department.is_some());
}

/// Issue 12, bug 5: the mode label said MINUTES while a response was written.
#[test]
fn the_mode_label_names_a_response_as_a_response() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("r");
    let status = screen.lines().last().cloned().unwrap();
    assert!(status.starts_with(" RESPONSE "), "{status}");
    screen
        .key(KeyCode::Esc)
        .keys("2]")
        .key(KeyCode::Enter)
        .keys("m");
    let status = screen.lines().last().cloned().unwrap();
    assert!(status.starts_with(" MINUTES "), "{status}");
}

/// Issue 12, point 12: the answer given to the firm (Ctrl-F) makes the item answered, and
/// closing it starts from that answer.
#[test]
fn answering_the_firm_answers_the_item_and_closing_starts_from_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#7");
    assert_eq!(
        screen.app.issues.selected().unwrap().status,
        Status::Assigned
    );
    screen
        .keys("r")
        .type_text("已协调交警在上下班高峰疏导货车")
        .key_event(ctrl('f'));
    assert_eq!(screen.app.mode(), Mode::Normal);
    let item = screen.app.store.issue_by_number(7).unwrap().unwrap();
    assert_eq!(item.status, Status::Answered);
    let changes = events_of_screen(&screen, 7);
    assert!(matches!(
        &changes[changes.len() - 2..],
        [
            Change::Response { to_firm: true, .. },
            Change::Status { .. }
        ]
    ));
    screen.keys("x");
    let form = screen.app.form().unwrap();
    assert_eq!(
        form.text(liaison::model::Field::Resolution),
        "已协调交警在上下班高峰疏导货车"
    );
    screen.key(KeyCode::Enter);
    let item = screen.app.store.issue_by_number(7).unwrap().unwrap();
    assert_eq!(item.status, Status::Closed);
    assert_eq!(
        item.resolution.unwrap().text,
        "已协调交警在上下班高峰疏导货车"
    );
}

/// Issue 12, point 16: a filled-in field is replaced by typing (the due-date form appended:
/// `2026-12-18下周五`) and says how the date was read.
#[test]
fn typing_replaces_a_filled_in_due_date_and_the_form_says_how_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#7");
    screen.keys("D");
    assert_eq!(
        screen.app.form().unwrap().text(liaison::model::Field::Due),
        "2026-11-19"
    );
    screen.type_text("2026-12-18");
    assert_eq!(
        screen.app.form().unwrap().text(liaison::model::Field::Due),
        "2026-12-18"
    );
    assert!(
        screen.text().contains("→ 2026-12-18 Fri"),
        "{}",
        screen.text()
    );
    // A moving key first keeps the text to edit.
    screen
        .key(KeyCode::Esc)
        .keys("D")
        .key(KeyCode::End)
        .key(KeyCode::Backspace);
    assert_eq!(
        screen.app.form().unwrap().text(liaison::model::Field::Due),
        "2026-11-1"
    );
    screen.key(KeyCode::Esc);
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

/// Issue 12, point 11: `e` fixes an item's title, detail and category (each change in its
/// history, undone in one step); `n` raises an item for any firm, every problem shown at once.
#[test]
fn an_item_is_fixed_with_e_and_raised_with_n() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#7");
    screen.keys("e");
    assert_eq!(screen.app.mode(), Mode::Form);
    screen.type_text("厂区门前道路货车通行拥堵问题");
    screen.key(KeyCode::Tab).key(KeyCode::Tab);
    screen.type_text("用地");
    assert!(screen.text().contains("→ 用地"), "{}", screen.text());
    screen.key(KeyCode::Enter);
    let mode = screen.app.mode();
    assert_eq!(mode, Mode::Normal, "{}", screen.text());
    let item = screen.app.store.issue_by_number(7).unwrap().unwrap();
    assert_eq!(item.title, "厂区门前道路货车通行拥堵问题");
    let changes = events_of_screen(&screen, 7);
    assert!(changes
        .iter()
        .any(|c| matches!(c, Change::Title { to, .. } if to == "厂区门前道路货车通行拥堵问题")));
    assert!(
        screen.text().contains("title: 厂区门前"),
        "{}",
        screen.text()
    );
    screen.keys("u");
    let item = screen.app.store.issue_by_number(7).unwrap().unwrap();
    assert_eq!(item.title, "厂区门前道路货车通行拥堵");

    let before = screen.app.store.counts().unwrap().issues();
    screen.keys("n").key(KeyCode::Enter);
    let form = screen.app.form().expect("the form stays");
    let errors = form.fields.iter().filter(|f| f.error.is_some()).count();
    assert_eq!(errors, 2, "the firm and the title, at once");
    screen
        .type_text("zsswgc")
        .key(KeyCode::Tab)
        .type_text("申报省级专精特新");
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert_eq!(screen.app.store.counts().unwrap().issues(), before + 1);
    let selected = screen.app.issues.selected().unwrap();
    assert_eq!(selected.title, "申报省级专精特新");
    assert_eq!(screen.app.firm_name(selected.firm), "中山生物工程有限公司");
}

/// Issue 12, point 6: the close form's title and a long problem under a field are whole,
/// wrapped where they do not fit, at 80 columns too.
#[test]
fn dialogs_wrap_instead_of_cutting() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 80, 24);
    screen.keys("3");
    filter(&mut screen, "#7");
    screen.keys("x");
    let text = screen.text();
    assert!(text.contains("Close: what the firm was told ─"), "{text}");
    assert!(
        text.contains("answered, on-the-spot or withdrawn"),
        "{text}"
    );
    screen.key(KeyCode::Esc);
    // A problem longer than the field: whole, wrapped under it.
    screen.keys("D").type_text("someday-or-other-next-spring");
    screen.key(KeyCode::Enter);
    let text = screen.text();
    assert!(text.contains("is not a date (try 2026-12-13,"), "{text}");
    assert!(text.contains("12-13, tomorrow, +2d, fri)"), "{text}");
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
