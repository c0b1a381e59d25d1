//! `liaison-dev`: the bench and the torture, for developers and the crash harness. A second
//! binary (`src/bin/liaison-dev.rs`), so they stay off the user's `liaison --help`.

use super::args::{DevCli, DevCommand};
use super::{backup, bench, database_dir, open_store, torture, torture_app, unfinished, CliError};
use clap::Parser;

/// Parses the arguments, runs, and returns the process exit code (as `cli::main`).
pub fn main() -> i32 {
    crate::store::make_new_files_private();
    let cli = match DevCli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match run(cli) {
        Ok(()) => 0,
        Err(CliError::Input(message)) => {
            esay!("liaison-dev: {message}");
            2
        }
        Err(CliError::Runtime(message)) => {
            esay!("liaison-dev: {message}");
            1
        }
        Err(CliError::DiskFull(e)) => {
            esay!("liaison-dev: {e}");
            1
        }
    }
}

fn run(cli: DevCli) -> Result<(), CliError> {
    match cli.command {
        // The bench makes its own database (or uses --data); it never touches the user's.
        DevCommand::Bench(args) => bench::run(args),
        DevCommand::Torture(args) => {
            let default_location = cli.db.is_none();
            let db = database_dir(cli.db)?;
            let store = open_store(
                &db,
                default_location,
                false,
                crate::store::DamagedStamp::Refuse,
            )?;
            if let Some(notice) = store.open_notice() {
                esay!("liaison-dev: {notice}");
            }
            unfinished::refuse_unless_resumed(&store, None)?;
            if args.app {
                torture_app::run(&store, args)?;
            } else {
                torture::run(&store, args)?;
            }
            // As after any command that wrote: the automatic backup when one is due.
            backup::after_command(&store, default_location);
            Ok(())
        }
    }
}

/// The user's binary, beside this one: the bench runs its commands as whole processes.
pub(super) fn liaison_exe() -> std::io::Result<std::path::PathBuf> {
    let dev = std::env::current_exe()?;
    Ok(dev.with_file_name(format!("liaison{}", std::env::consts::EXE_SUFFIX)))
}
