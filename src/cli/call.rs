//! `issues call N --verdict V [--note TEXT] [--date DAY] [--reopen]`: the follow-up call (回访)
//! after closing. A "not satisfied" verdict may reopen the item in the same write.

use super::{CliError, CliResult};
use crate::messages as msg;
use crate::model::{Status, Verdict};
use crate::store::Store;
use clap::Args;

#[derive(Debug, Args)]
pub struct CallArgs {
    /// Item numbers: 7, or 1,4,9-12 (closed items)
    #[arg(value_name = "N")]
    pub numbers: String,
    /// The firm's verdict: satisfied, basically-satisfied or not-satisfied (满意, 基本满意, 不满意)
    #[arg(long, value_name = "V", value_parser = parse_verdict)]
    pub verdict: Verdict,
    /// What the firm said
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// The day of the call as the forms take it (2025-12-20, 12-20, yesterday); today if absent
    #[arg(long, value_name = "DAY")]
    pub date: Option<String>,
    /// Reopen the items (back in progress): only with --verdict not-satisfied
    #[arg(long)]
    pub reopen: bool,
}

fn parse_verdict(text: &str) -> Result<Verdict, String> {
    Verdict::parse(text).ok_or_else(|| {
        format!("{text} is not a verdict (satisfied, basically-satisfied, not-satisfied)")
    })
}

pub fn run(store: &Store, args: CallArgs) -> CliResult {
    let today = super::now().date_naive();
    let day = match &args.date {
        None => today,
        Some(text) => crate::model::when::parse_date(text, today)
            .map_err(|_| CliError::Input(format!("--date: {text} is not a day (2025-12-20)")))?,
    };
    if day > today {
        return Err(CliError::Input(format!(
            "--date: {day} is in the future; a call is recorded once made"
        )));
    }
    if args.reopen && args.verdict != Verdict::NotSatisfied {
        return Err(CliError::Input(
            "--reopen goes with --verdict not-satisfied".into(),
        ));
    }
    let what = msg::event_call(args.verdict, &args.note, day);
    super::triage::apply(store, &args.numbers, &what, &|issue, author, now| {
        let mut events = vec![issue.record_call(args.verdict, &args.note, day, author, now)?];
        if args.reopen {
            events.push(issue.change_status(Status::InProgress, None, author, now)?);
        }
        Ok(events)
    })
}
