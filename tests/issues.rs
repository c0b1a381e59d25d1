//! The triage queue as the officer works it: views, the filter language, one-key triage with
//! its history, bulk with a confirmation, undo, and what survives a reopen.

mod common;

use common::queue::{filter, queue};
use common::{ctrl, demo_store, Screen};
use liaison::app::{Mode, Tab};
use liaison::model::{Change, Priority, ResolutionKind, Status};
use liaison::store::Store;
use ratatui::crossterm::event::KeyCode;

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

#[path = "issues/forms.rs"]
mod forms;
#[path = "issues/views.rs"]
mod views;
