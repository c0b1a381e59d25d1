//! The app left open for hours or overnight: a change records the moment it was made, and
//! what is overdue moves with the day, not with the moment the app was started.

mod common;

use chrono::Duration;
use common::queue::{filter, queue};
use common::{ctrl, now};
use liaison::app::{update, Action};
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_change_made_later_in_the_session_records_the_time_it_was_made() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#12");
    // Two days and three hours after the app was opened.
    update(
        &mut screen.app,
        Action::Clock(now() + Duration::days(2) + Duration::hours(3)),
    );
    screen
        .keys("D")
        .key_event(ctrl('u'))
        .type_text("+7d")
        .key(KeyCode::Enter);
    let text = screen.text();
    // +7d counts from the day it is now; the history says when the change was made.
    let line = text
        .lines()
        .find(|l| l.contains("due set to"))
        .unwrap_or_else(|| panic!("no due change in the history:\n{text}"));
    assert!(
        line.contains("2026-11-30 13:00") && line.contains("due set to 2026-12-07"),
        "{line}"
    );
}

#[test]
fn an_item_due_yesterday_is_overdue_once_the_day_has_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#12");
    let row = |screen: &mut common::Screen| {
        screen
            .lines()
            .into_iter()
            .find(|l| l.contains("#12 弘景光电"))
            .expect("#12 listed")
    };
    assert!(
        row(&mut screen).contains("2026-11-29   "),
        "{}",
        row(&mut screen)
    );
    update(&mut screen.app, Action::Clock(now() + Duration::days(2)));
    assert!(
        row(&mut screen).contains("2026-11-29 !"),
        "{}",
        row(&mut screen)
    );
    screen
        .keys("/")
        .key_event(ctrl('u'))
        .type_text("overdue #12");
    assert!(screen.text().contains("#12 弘景光电"), "{}", screen.text());
}
