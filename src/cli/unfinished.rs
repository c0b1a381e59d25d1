//! A database marked as holding half of a long write (`Store::unfinished`) is refused by the
//! app and every command, except the same operation again, which resumes it or starts over
//! (and says which), and `check`, which reports the mark.

use super::args::{Command, ImportCommand};
use super::CliError;
use crate::messages as msg;
use crate::store::{Operation, Store, Unfinished, WhenUnfinished};

/// The mark `command` would set, if it is one of the long writes.
pub fn mark_of(command: &Command) -> Option<Unfinished> {
    let (operation, file) = match command {
        Command::Restore(args) => (Operation::Restore, Some(args.file.as_path())),
        Command::Demo(_) => (Operation::Demo, None),
        Command::Import(ImportCommand::Issues(args)) => {
            (Operation::ImportIssues, Some(args.file.as_path()))
        }
        Command::Import(ImportCommand::Firms(args)) => {
            (Operation::ImportFirms, Some(args.file.as_path()))
        }
        _ => return None,
    };
    Some(Unfinished::new(operation, file))
}

/// `Ok` when `command` (`None`: the app) may run on this database; when it resumes an
/// unfinished operation, says so on standard error first.
pub fn refuse_unless_resumed(store: &Store, command: Option<&Command>) -> Result<(), CliError> {
    if matches!(command, Some(Command::Check(_))) {
        return Ok(());
    }
    let own = command.and_then(mark_of);
    let when = match &own {
        Some(own) => WhenUnfinished::Resume(own),
        None => WhenUnfinished::Refuse,
    };
    if let Err(mark) = store.refuse_if_unfinished(when) {
        return Err(CliError::Runtime(msg::unfinished_refused(
            &store.path().display().to_string(),
            &mark.to_string(),
            mark.remedy(),
        )));
    }
    if let (Some(mark), Some(_)) = (store.unfinished()?, own) {
        let dry_run = matches!(
            command,
            Some(Command::Import(ImportCommand::Issues(args))) if args.dry_run
        ) || matches!(
            command,
            Some(Command::Import(ImportCommand::Firms(args))) if args.dry_run
        );
        let what = match mark.operation {
            _ if dry_run => msg::UNFINISHED_DRY_RUN,
            Operation::Restore | Operation::Demo => msg::UNFINISHED_START_OVER,
            Operation::ImportIssues => msg::UNFINISHED_RESUME_ITEMS,
            Operation::ImportFirms => msg::UNFINISHED_RESUME_FIRMS,
        };
        esay!("{}", msg::unfinished_resuming(&mark.to_string(), &what));
    }
    Ok(())
}
