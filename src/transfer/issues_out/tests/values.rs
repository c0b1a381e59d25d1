//! The JSON export against the `serde_json::Value` maps it was first built from.

use super::*;

/// The export's JSON as it was built before it was written from structs (`json_item`): a
/// `serde_json::Value` map per item and per event. The bytes must stay the same.
fn value_json(issue: &Issue, events: &[IssueEvent], names: &Names) -> serde_json::Value {
    use serde_json::json;
    let resolution = |r: &Option<crate::model::Resolution>| {
        r.as_ref()
            .map(|r| json!({"kind": r.kind.code(), "text": r.text}))
    };
    fn change_json(change: &Change, names: &Names) -> serde_json::Value {
        let resolution = |r: &Option<crate::model::Resolution>| {
            r.as_ref()
                .map(|r| json!({"kind": r.kind.code(), "text": r.text}))
        };
        match change {
            Change::Created => json!({"kind": "created"}),
            Change::Department { from, to } => json!({"kind": "department",
                "from": names.department(*from), "to": names.department(*to)}),
            Change::Owner { from, to } => json!({"kind": "owner", "from": from, "to": to}),
            Change::Priority { from, to } => {
                json!({"kind": "priority", "from": from.code(), "to": to.code()})
            }
            Change::Due { from, to } => json!({"kind": "due",
                "from": from.map(|d| d.to_string()), "to": to.map(|d| d.to_string())}),
            Change::Category { from, to } => json!({"kind": "category",
                "from": names.category_code(*from), "to": names.category_code(*to)}),
            Change::Response { text, to_firm } => {
                json!({"kind": "response", "text": text, "to_firm": to_firm})
            }
            Change::Title { from, to } => json!({"kind": "title", "from": from, "to": to}),
            Change::Detail { from, to } => json!({"kind": "detail", "from": from, "to": to}),
            Change::Tags { added, removed } => {
                json!({"kind": "tags", "added": added, "removed": removed})
            }
            Change::Firm { from, to } => json!({"kind": "firm",
                "from": names.firms.get(from).cloned().unwrap_or_else(|| from.to_string()),
                "to": names.firms.get(to).cloned().unwrap_or_else(|| to.to_string())}),
            Change::Call { verdict, note, day } => json!({"kind": "call",
                "verdict": verdict.code(), "note": note, "day": day.to_string()}),
            Change::Status {
                from,
                to,
                resolution: r,
            } => json!({"kind": "status", "from": from.code(), "to": to.code(),
                "resolution": resolution(r)}),
            Change::Reverted { event, change } => json!({"kind": "reverted",
                "event": event.to_string(),
                "change": change.as_deref().map(|c| change_json(c, names))}),
        }
    }
    json!({
        "id": issue.id.to_string(),
        "number": issue.number,
        "firm": names.firms.get(&issue.firm).map_or("?", String::as_str),
        "firm_id": issue.firm.to_string(),
        "visit": issue.visit.map(|v| v.to_string()),
        "title": issue.title,
        "detail": issue.detail,
        "category": names.category_code(issue.category),
        "department": names.department(issue.department),
        "owner": issue.owner,
        "tags": issue.tags,
        "priority": issue.priority.code(),
        "status": issue.status.code(),
        "due": issue.due.map(|d| d.to_string()),
        "resolution": resolution(&issue.resolution),
        "created": issue.created.to_rfc3339(),
        "updated": issue.updated.to_rfc3339(),
        "closed": issue.closed.map(|c| c.to_rfc3339()),
        "history": events.iter().map(|e| json!({
            "id": e.id.to_string(),
            "at": e.at.to_rfc3339(),
            "author": e.author,
            "change": change_json(&e.change, names),
        })).collect::<Vec<_>>(),
    })
}

#[test]
fn an_item_with_every_kind_of_change_is_written_as_the_value_maps_wrote_it() {
    use crate::model::{Priority, Resolution, ResolutionKind, Verdict};
    let (_dir, store, mut issue) = one_item("中山生物工程有限公司", "新厂房用电增容");
    let mut names = Names::load(&store).unwrap();
    let department = Id::new();
    names.departments.insert(department, "发改局".into());
    let category = *names.categories.keys().next().unwrap();
    let gone = Id::new();
    let resolution = Some(Resolution {
        kind: ResolutionKind::Answered,
        text: "已办结\"引号\"\n第二行".into(),
    });
    let changes = vec![
        Change::Created,
        Change::Department {
            from: None,
            to: Some(department),
        },
        Change::Owner {
            from: String::new(),
            to: "李晓".into(),
        },
        Change::Priority {
            from: Priority::Normal,
            to: Priority::Urgent,
        },
        Change::Due {
            from: None,
            to: Some(now().date_naive()),
        },
        Change::Category {
            from: Some(category),
            to: None,
        },
        Change::Response {
            text: "已转供电局".into(),
            to_firm: true,
        },
        Change::Status {
            from: Status::New,
            to: Status::Closed,
            resolution: resolution.clone(),
        },
        Change::Reverted {
            event: Id::new(),
            change: Some(Box::new(Change::Owner {
                from: "李晓".into(),
                to: String::new(),
            })),
        },
        Change::Reverted {
            event: Id::new(),
            change: None,
        },
        Change::Title {
            from: "旧".into(),
            to: "新".into(),
        },
        Change::Detail {
            from: String::new(),
            to: "详情".into(),
        },
        Change::Tags {
            added: vec!["专班".into()],
            removed: vec![],
        },
        Change::Firm {
            from: gone,
            to: issue.firm,
        },
        Change::Call {
            verdict: Verdict::BasicallySatisfied,
            note: "满意".into(),
            day: now().date_naive(),
        },
    ];
    let events: Vec<IssueEvent> = changes
        .into_iter()
        .map(|change| IssueEvent::new(issue.id, now(), "李晓", change))
        .collect();
    issue.resolution = resolution;
    // Held only in memory: a stored text cannot have controls, a written one escapes them.
    issue.detail = "DEL\u{7f} C1\u{85} 中文".into();
    issue.department = Some(department);
    issue.tags = vec!["专班".into(), "省重点".into()];
    issue.closed = Some(now());
    names.visit_days.clear();
    let written = crate::transfer::json::to_string(&json_item::item_json(&issue, &events, &names));
    assert_eq!(
        written,
        crate::transfer::json::to_string(&value_json(&issue, &events, &names))
    );
    assert!(written.contains(r#""kind":"reverted""#) && written.contains(r"\u007f"));
}

#[test]
fn every_exported_item_is_written_as_the_value_maps_wrote_it() {
    let (_dir, store) = demo();
    let names = Names::load(&store).unwrap();
    let text = export(&store, &options(IssuesFormat::Json));
    let items: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(items.len(), 20);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(lines.len(), items.len());
    for (line, item) in lines.iter().zip(&items) {
        let id: Id = item["id"].as_str().unwrap().parse().unwrap();
        let issue = store.issue(id).unwrap().unwrap();
        let events = store.events(id).unwrap().records;
        let expected = crate::transfer::json::to_string(&value_json(&issue, &events, &names));
        assert_eq!(line.trim_end_matches(','), expected);
    }
}
