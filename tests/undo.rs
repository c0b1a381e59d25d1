//! One undo history for the whole app (issue 12, point 17): `u` puts back the last change on
//! whatever tab it was made, `Ctrl-R` does it again, a new change forgets what was undone.

mod common;

use common::{ctrl, demo_store, Screen};
use liaison::app::{Mode, Tab};
use liaison::model::{Change, Priority, ResolutionKind, Status, VisitStatus};
use liaison::store::Store;
use ratatui::crossterm::event::KeyCode;

fn screen(dir: &tempfile::TempDir) -> Screen {
    Screen::new(demo_store(dir.path()), 120, 40)
}

const LANGSI: &str = "中山朗斯家居股份有限公司";

/// Selects a firm in the directory by pinyin and leaves the search, the firm selected.
fn select_firm(screen: &mut Screen, query: &str, name: &str) {
    screen.keys("1/").type_text(query).key(KeyCode::Enter);
    screen.key(KeyCode::Esc).key(KeyCode::Esc);
    screen.select_listed_firm(name);
}

fn archived(screen: &Screen, name: &str) -> bool {
    let store = &screen.app.store;
    let id = store.firm_by_name(name).unwrap().unwrap();
    store.firm(id).unwrap().unwrap().archived
}

fn events(screen: &Screen, number: u32) -> Vec<Change> {
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    let events = screen.app.store.events(issue.id).unwrap().records;
    events.into_iter().map(|e| e.change).collect()
}

#[test]
fn an_archived_firm_comes_back_with_u_and_goes_again_with_ctrl_r() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    select_firm(&mut screen, "langsi", LANGSI);
    screen.keys("dy");
    assert!(archived(&screen, LANGSI));
    screen.keys("u");
    assert!(!archived(&screen, LANGSI), "undo restores the firm");
    assert!(screen
        .text()
        .contains("Undone: 中山朗斯家居股份有限公司 archived"));
    assert_eq!(screen.app.firms.shown.len(), 8);
    screen.key_event(ctrl('r'));
    assert!(archived(&screen, LANGSI), "redo archives it again");
    assert!(screen
        .text()
        .contains("Redone: 中山朗斯家居股份有限公司 archived"));
    assert_eq!(screen.app.firms.shown.len(), 7);
    // Nothing more to redo; the undo list still holds the step.
    screen.key_event(ctrl('r'));
    assert!(screen.text().contains("Nothing to redo"));
    screen.keys("u");
    assert!(!archived(&screen, LANGSI));
    drop(screen);
    let store = Store::open(dir.path()).unwrap();
    let id = store.firm_by_name(LANGSI).unwrap().unwrap();
    assert!(
        !store.firm(id).unwrap().unwrap().archived,
        "written to disk"
    );
}

#[test]
fn an_edited_contact_is_put_back_and_done_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("/").type_text("wmhj").key(KeyCode::Enter);
    let firm = screen.app.firms.card.as_ref().unwrap().firm;
    let old = screen.app.firm(firm).unwrap().contacts[0].clone();
    // The first row of the card is the contact.
    screen.keys("ge");
    assert_eq!(screen.app.mode(), Mode::Form);
    screen.key_event(ctrl('u'));
    screen.type_text("王新").key(KeyCode::Enter);
    let contact = |screen: &Screen| {
        let firm = screen.app.store.firm(firm).unwrap().unwrap();
        firm.contacts[0].name.clone()
    };
    assert_eq!(contact(&screen), "王新");
    screen.keys("u");
    assert_eq!(contact(&screen), old.name, "undo puts the old contact back");
    assert!(screen.text().contains("Undone: contact 王新 of"));
    assert_eq!(screen.app.firm(firm).unwrap().contacts[0], old);
    screen.key_event(ctrl('r'));
    assert_eq!(contact(&screen), "王新");
    // A removed contact comes back too.
    screen.keys("gdy");
    assert!(screen
        .app
        .store
        .firm(firm)
        .unwrap()
        .unwrap()
        .contacts
        .is_empty());
    screen.keys("u");
    assert_eq!(contact(&screen), "王新");
}

#[test]
fn a_visit_marked_done_or_cancelled_is_planned_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    // The tests' today is a Saturday: the planned follow-ups are in the next week.
    screen.keys("2]");
    let id = screen.app.agenda.selected().unwrap().id;
    let status = |screen: &Screen| screen.app.store.visit(id).unwrap().unwrap().status;
    assert_eq!(status(&screen), VisitStatus::Planned);
    screen.keys("dy");
    assert_eq!(status(&screen), VisitStatus::Done);
    screen.keys("u");
    assert_eq!(status(&screen), VisitStatus::Planned);
    assert_eq!(
        screen.app.agenda.selected().unwrap().status,
        VisitStatus::Planned,
        "the agenda shows it"
    );
    assert!(screen.text().contains("Undone: visit to"));
    screen.key_event(ctrl('r'));
    assert_eq!(status(&screen), VisitStatus::Done);
    screen.keys("u");
    screen.keys("Xy");
    assert_eq!(status(&screen), VisitStatus::Cancelled);
    screen.keys("u");
    assert_eq!(status(&screen), VisitStatus::Planned);
    // A rescheduled visit goes back to its time.
    let start = screen.app.store.visit(id).unwrap().unwrap().start;
    screen.keys("e").key(KeyCode::Tab);
    screen.key_event(ctrl('u'));
    screen.type_text("+5d 16:00").key(KeyCode::Enter);
    assert_ne!(screen.app.store.visit(id).unwrap().unwrap().start, start);
    screen.keys("u");
    assert_eq!(screen.app.store.visit(id).unwrap().unwrap().start, start);
}

#[test]
fn an_item_triage_is_undone_and_redone_each_in_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("3");
    let number = screen.app.issues.selected().unwrap().number;
    let priority = |screen: &Screen| {
        let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
        issue.priority
    };
    let before = priority(&screen);
    assert_ne!(before, Priority::Urgent);
    screen.keys("p").type_text("urgent").key(KeyCode::Enter);
    assert_eq!(priority(&screen), Priority::Urgent);
    screen.keys("u");
    assert_eq!(priority(&screen), before);
    assert!(screen.text().contains("Undone on 1 item(s)"));
    screen.key_event(ctrl('r'));
    assert_eq!(priority(&screen), Priority::Urgent);
    assert!(screen.text().contains("Redone on 1 item(s)"));
    let history = events(&screen, number);
    let n = history.len();
    let set = Change::Priority {
        from: before,
        to: Priority::Urgent,
    };
    assert_eq!(history[n - 3], set);
    assert!(
        matches!(&history[n - 2], Change::Reverted { change: Some(c), .. }
        if **c == Change::Priority { from: Priority::Urgent, to: before })
    );
    assert_eq!(history[n - 1], set, "the redo is a new event of the change");
    // Undoing the redo reverts the redo's event.
    screen.keys("u");
    assert_eq!(priority(&screen), before);
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    let events = screen.app.store.events(issue.id).unwrap().records;
    let redo = &events[events.len() - 2];
    assert!(
        matches!(&events[events.len() - 1].change, Change::Reverted { event, .. } if *event == redo.id)
    );
}

#[test]
fn a_new_change_after_an_undo_clears_what_could_be_redone() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("3");
    let number = screen.app.issues.selected().unwrap().number;
    screen.keys("p").type_text("urgent").key(KeyCode::Enter);
    screen.keys("u");
    assert!(screen.app.history.can_redo());
    screen.keys("p").type_text("low").key(KeyCode::Enter);
    assert!(!screen.app.history.can_redo());
    screen.key_event(ctrl('r'));
    assert!(screen.text().contains("Nothing to redo"));
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    assert_eq!(issue.priority, Priority::Low);
}

#[test]
fn u_undoes_the_last_change_whatever_tab_it_was_made_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("3");
    let number = screen.app.issues.selected().unwrap().number;
    screen.keys("p").type_text("urgent").key(KeyCode::Enter);
    select_firm(&mut screen, "langsi", LANGSI);
    screen.keys("dy");
    // On the agenda, u undoes the firm's archive and shows the Firms tab.
    screen.keys("2u");
    assert!(!archived(&screen, LANGSI));
    assert_eq!(screen.app.tab, Tab::Firms);
    // Then the item, from the Firms tab: the Issues tab shows it.
    screen.keys("u");
    assert_eq!(screen.app.tab, Tab::Issues);
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    assert_ne!(issue.priority, Priority::Urgent);
    screen.keys("u");
    assert!(screen.text().contains("Nothing to undo"));
    // Redo goes forward in the same order.
    screen.key_event(ctrl('r'));
    assert_eq!(screen.app.tab, Tab::Issues);
    screen.keys("1").key_event(ctrl('r'));
    assert!(archived(&screen, LANGSI));
}

#[test]
fn an_item_filed_by_mistake_is_withdrawn_by_undo_and_reopened_by_redo() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("2]").key(KeyCode::Enter).keys("c");
    assert_eq!(screen.app.mode(), Mode::Capture);
    screen
        .type_text("误录的事项")
        .key(KeyCode::Enter)
        .key(KeyCode::Esc);
    let number = screen.app.store.next_issue_number().unwrap() - 1;
    let issue = |screen: &Screen| screen.app.store.issue_by_number(number).unwrap().unwrap();
    assert_eq!(issue(&screen).title, "误录的事项");
    screen.keys("u");
    let closed = issue(&screen);
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.resolution.unwrap().kind, ResolutionKind::Withdrawn);
    assert!(screen.text().contains("Undone on 1 item(s)"));
    screen.key_event(ctrl('r'));
    assert_eq!(issue(&screen).status, Status::New);
    let history = events(&screen, number);
    assert!(matches!(
        history.as_slice(),
        [
            Change::Created,
            Change::Status {
                to: Status::Closed,
                ..
            },
            Change::Reverted { .. }
        ]
    ));
}

#[test]
fn help_lists_undo_and_redo_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("2?");
    let text = screen.text();
    assert!(text.contains("Ctrl-R"), "{text}");
    assert!(text.contains("redo the last change undone"));
    assert!(text.contains("undo the last change, on any tab"));
}

#[test]
fn a_new_firm_is_archived_by_undo_and_a_new_visit_cancelled_nothing_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    let name = "中山翠亨新能源有限公司";
    screen.keys("n").type_text(name).key(KeyCode::Enter);
    assert!(screen.text().contains("Added 中山翠亨新能源有限公司"));
    screen.keys("u");
    assert!(archived(&screen, name), "kept, archived");
    assert!(screen
        .text()
        .contains("Undone: firm 中山翠亨新能源有限公司 added"));
    screen.key_event(ctrl('r'));
    assert!(!archived(&screen, name));

    let visits = screen.app.counts.visits;
    screen
        .keys("2n")
        .type_text("zsswgc")
        .key(KeyCode::Tab)
        .type_text("tomorrow 14:00")
        .key(KeyCode::Enter);
    assert_eq!(screen.app.counts.visits, visits + 1);
    let id = screen.app.agenda.selected().unwrap().id;
    let status = |screen: &Screen| screen.app.store.visit(id).unwrap().unwrap().status;
    screen.keys("1u");
    assert_eq!(status(&screen), VisitStatus::Cancelled);
    assert_eq!(screen.app.tab, Tab::Agenda);
    assert_eq!(screen.app.counts.visits, visits + 1, "kept, cancelled");
    screen.key_event(ctrl('r'));
    assert_eq!(status(&screen), VisitStatus::Planned);
}

#[test]
fn saved_minutes_are_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("2]").key(KeyCode::Enter);
    let id = screen.app.agenda.open_visit().unwrap().id;
    let minutes = |screen: &Screen| screen.app.store.visit(id).unwrap().unwrap().minutes;
    let before = minutes(&screen);
    screen.keys("m").type_text("企业提出用地需求");
    screen.key_event(ctrl('s'));
    assert!(minutes(&screen).contains("企业提出用地需求"));
    screen.keys("u");
    assert_eq!(minutes(&screen), before);
    assert!(
        !screen.text().contains("企业提出用地需求"),
        "the screen too"
    );
    screen.key_event(ctrl('r'));
    assert!(minutes(&screen).contains("企业提出用地需求"));
}

#[test]
fn an_answer_to_the_firm_is_withdrawn_and_given_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    screen.keys("3");
    let number = screen.app.issues.selected().unwrap().number;
    screen.keys("r").type_text("已协调供电局");
    screen.key_event(ctrl('f'));
    let count = events(&screen, number).len();
    screen.keys("u");
    screen.key_event(ctrl('r'));
    let history = events(&screen, number);
    assert_eq!(history.len(), count + 4, "{history:?}");
    // The undo withdraws the answer and puts the status back, each named in the history.
    assert!(matches!(
        &history[count],
        Change::Reverted {
            change: Some(_),
            ..
        }
    ));
    assert!(matches!(
        &history[count + 1],
        Change::Reverted { change: None, .. }
    ));
    // The redo gives the answer again, as the officer first gave it.
    assert_eq!(history[count - 2..count], history[count + 2..]);
    assert!(matches!(
        &history[count + 2],
        Change::Response { to_firm: true, .. }
    ));
    let issue = screen.app.store.issue_by_number(number).unwrap().unwrap();
    assert!(screen
        .app
        .store
        .response_text(issue.id)
        .unwrap()
        .contains("已协调供电局"));
}

#[test]
fn a_firm_changed_since_by_something_else_is_not_overwritten_by_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = screen(&dir);
    select_firm(&mut screen, "langsi", LANGSI);
    screen.keys("dy");
    // As an import of firms would: a change the undo history does not hold.
    let id = screen.app.store.firm_by_name(LANGSI).unwrap().unwrap();
    let mut firm = screen.app.store.firm(id).unwrap().unwrap();
    firm.sector = "家居".into();
    screen.app.store.put_firm(&firm).unwrap();
    screen.keys("u");
    assert!(screen.text().contains("changed since by an import"));
    let now = screen.app.store.firm(id).unwrap().unwrap();
    assert!(now.archived, "not restored");
    assert_eq!(now.sector, "家居", "the other change is kept");
    assert!(!screen.app.history.can_undo() && !screen.app.history.can_redo());
}
