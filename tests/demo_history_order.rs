//! Generated items' histories read in the order they happened: an item's status changes
//! chain from one to the next and end at its status, also for the items whose last
//! events all fall at the moment the demo was made (they were stored out of order, so a
//! closed item's history ended "in progress → answered" and the Reports counted it open).

mod common;

use liaison::model::{Change, Status};

#[test]
fn every_generated_history_ends_at_its_items_status() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::generated_store(dir.path());
    let issues = common::all_issues(&store);
    let mut wrong = Vec::new();
    for issue in &issues {
        let events = store.events(issue.id).unwrap().records;
        let mut status = Status::New;
        for event in &events {
            match &event.change {
                // Handing a new item over makes it assigned.
                Change::Department { to: Some(_), .. } if status == Status::New => {
                    status = Status::Assigned
                }
                Change::Status { from, to, .. } => {
                    if *from != status {
                        wrong.push(format!("#{}: {from:?} after {status:?}", issue.number));
                    }
                    status = *to;
                }
                _ => {}
            }
        }
        if status != issue.status {
            wrong.push(format!(
                "#{}: history ends {status:?}, item is {:?}",
                issue.number, issue.status
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
}
