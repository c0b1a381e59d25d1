//! The app syncing in the background: the status line, and a department's desk.
use super::*;
use common::{demo_store, Screen};
use liaison::app::App;
use liaison::model::Status;
use liaison::server::StoreLedger;
use liaison::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn status_line(screen: &mut Screen) -> String {
    screen.lines().pop().unwrap()
}

#[test]
fn without_a_server_the_status_line_says_nothing_of_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 30);
    screen.key_event(ctrl('y'));
    let status = status_line(&mut screen);
    assert!(
        !status.contains("sync") && !status.contains("offline"),
        "{status}"
    );
}

#[test]
fn an_unreachable_server_shows_offline_with_the_reason_and_keys_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    // Port 1 on loopback: refused at once.
    store
        .set_server_url(Some("postgres://li@127.0.0.1:1/zone"))
        .unwrap();
    let mut screen = Screen::new(store, 140, 30);
    assert!(status_line(&mut screen).contains("offline: not synced yet"));
    screen.key_event(ctrl('y'));
    let status = status_line(&mut screen);
    assert!(status.contains("offline: Connection refused"), "{status}");
    screen.key(KeyCode::Char('3'));
    assert!(screen.text().contains("All open"), "the app goes on");
}

#[test]
fn a_department_desk_sees_what_was_handed_to_it_and_its_answer_reaches_the_officer() {
    let Some(mut zone) = Zone::new("desk") else {
        return;
    };
    let officer_url = zone.member("li", Member::Officer);
    let desk_url = zone.member_text("fgj", Member::Department("发改局".into()));
    let dir = tempfile::tempdir().unwrap();
    let officer = demo_store(&dir.path().join("officer"));
    let mut ledger = StoreLedger::new(&officer).unwrap();
    sync_ok(&officer_url, &mut ledger);

    let desk = Store::open(&dir.path().join("desk")).unwrap();
    // The URL the tests use carries the password; a person's lives in ~/.pgpass.
    desk.set_desk_department(Some("发改局")).unwrap();
    let mut app = App::new(desk, common::now()).unwrap();
    app.server = liaison::app::server_sync::ServerSync::with_url(&desk_url);
    let mut screen = Screen::with_app(app, 140, 30);
    screen.key_event(ctrl('y'));
    let status = status_line(&mut screen);
    assert!(status.contains("synced just now"), "{status}");
    screen.key(KeyCode::Char('3'));
    assert_eq!(screen.app.issues.view_name(), Some("Handed to us"));
    let text = screen.text();
    assert!(text.contains("Handed to us"), "{text}");
    let row = screen
        .app
        .issues
        .selected()
        .expect("an item handed to 发改局");
    assert_eq!(screen.app.department_name(row.department), Some("发改局"));

    // The desk answers the firm; the officer sees it after the next sync.
    screen.keys("r").type_text("已受理，下周答复。");
    screen.key_event(ctrl('f'));
    assert!(
        screen.text().contains("answer to the firm recorded"),
        "{}",
        screen.text()
    );
    screen.key_event(ctrl('y'));
    assert!(status_line(&mut screen).contains("synced just now"));
    let report = sync_ok(&officer_url, &mut ledger);
    assert_eq!(report.responses, 1, "the desk's answer is announced");
    let answered = officer.issue(row.id).unwrap().unwrap();
    assert_eq!(answered.status, Status::Answered);
}
