//! The command line: `liaison [--db DIR] [--demo]` opens the TUI; subcommands do batch work.
//! Exit codes: 0 ok, 1 runtime error, 2 bad usage or bad input.

mod args;
mod backup;
mod bench;
mod check;
mod demo;
mod export;
mod import;
mod issues;
mod list;
#[doc(hidden)]
pub mod torture;
mod torture_app;

pub use args::{Cli, Command};
pub use backup::backups_dir;
pub use issues::default_author;

use crate::model::LocalTime;
use crate::store::{Store, StoreError};
use clap::Parser;
use std::path::{Path, PathBuf};

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub enum CliError {
    /// Bad usage or bad input: exit 2.
    Input(String),
    /// Something failed at run time: exit 1.
    Runtime(String),
    /// The disk is full (exit 1): kept as the store said it until `run`, which knows the
    /// database, names where and what was last saved (`Store::located`).
    DiskFull(StoreError),
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(_)
            | StoreError::DuplicateName { .. }
            | StoreError::Duplicate { .. }
            | StoreError::NotEmpty { .. } => CliError::Input(e.to_string()),
            StoreError::DiskFull { .. } => CliError::DiskFull(e),
            _ => CliError::Runtime(e.to_string()),
        }
    }
}

impl From<crate::model::FieldError> for CliError {
    fn from(e: crate::model::FieldError) -> Self {
        StoreError::Invalid(e).into()
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Runtime(e.to_string())
    }
}

pub type CliResult = Result<(), CliError>;

/// The local time now, with the laptop's offset.
pub fn now() -> LocalTime {
    chrono::Local::now().fixed_offset()
}

/// Parses the arguments, runs, and returns the process exit code.
pub fn main() -> i32 {
    // Before anything is created: sled's files, lock, backups and exports alike.
    crate::store::make_new_files_private();
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(()) => 0,
        Err(CliError::Input(message)) => {
            eprintln!("liaison: {message}");
            2
        }
        Err(CliError::Runtime(message)) => {
            eprintln!("liaison: {message}");
            1
        }
        Err(CliError::DiskFull(e)) => {
            eprintln!("liaison: {e}");
            1
        }
    };
    // The bench measures other commands as whole processes, their memory included.
    if std::env::var_os(bench::PEAK_MEMORY_ENV).is_some() {
        if let Some(kib) = bench::peak_memory_kib() {
            eprintln!("{} {kib}", bench::PEAK_MEMORY_ENV);
        }
    }
    code
}

pub fn run(cli: Cli) -> CliResult {
    if cli.demo {
        if cli.command.is_some() {
            return Err(CliError::Input(
                "--demo opens the app on a temporary demo database and takes no subcommand; use `liaison --db DIR demo` to seed a database".into(),
            ));
        }
        return open_demo();
    }
    if let Some(Command::Bench(args)) = cli.command {
        // The bench makes its own database; it never touches the user's.
        return bench::run(args);
    }
    let default_location = cli.db.is_none();
    let db = database_dir(cli.db)?;
    match cli.command {
        None => {
            let store = open_store(&db, default_location, true)?;
            let store = crate::tui::run(store).map_err(|e| CliError::Runtime(e.to_string()))?;
            backup::after_quit(&store, default_location);
            Ok(())
        }
        Some(command) => {
            if let Command::Restore(_) = command {
                refuse_unrelated_files(&db)?;
            }
            let store = open_store(&db, default_location, false)?;
            if let Some(notice) = store.open_notice() {
                eprintln!("liaison: {notice}");
            }
            run_command(&store, command, default_location).map_err(|e| match e {
                CliError::DiskFull(e) => CliError::DiskFull(store.located(e)),
                other => other,
            })
        }
    }
}

fn run_command(store: &Store, command: Command, default_location: bool) -> CliResult {
    match command {
        Command::Demo(args) => demo::run(store, args),
        Command::Firms(args::FirmsCommand::List(args)) => list::firms(store, args),
        Command::Visits(args::VisitsCommand::List(args)) => list::visits(store, args),
        Command::Issues(args::IssuesCommand::List(args)) => list::issues(store, args),
        Command::Issues(args::IssuesCommand::Add(args)) => issues::add(store, args),
        Command::Import(args::ImportCommand::Firms(args)) => import::firms(store, args),
        Command::Import(args::ImportCommand::Issues(args)) => import::issues(store, args),
        Command::Export(args::ExportCommand::Firms(args)) => export::firms(store, args),
        Command::Export(args::ExportCommand::Agenda(args)) => export::agenda(store, args),
        Command::Export(args::ExportCommand::Issues(args)) => export::issues(store, args),
        Command::Check(args) => check::run(store, args),
        Command::Backup(args) => backup::backup(store, args),
        Command::Restore(args) => backup::restore(store, args),
        Command::Settings(args) => settings(store, args, default_location),
        Command::Torture(args) if args.app => torture_app::run(store, args),
        Command::Torture(args) => torture::run(store, args),
        Command::Bench(_) => unreachable!("handled before a database is opened"),
    }
}

/// `--db`, else `LIAISON_DB` (clap reads it into `--db`), else the platform's data directory.
fn database_dir(db: Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(db) = db {
        if db.as_os_str().is_empty() {
            return Err(CliError::Input(
                "--db: the directory must not be empty".into(),
            ));
        }
        return Ok(db);
    }
    directories::ProjectDirs::from("", "", "liaison")
        .map(|dirs| dirs.data_dir().join("db"))
        .ok_or_else(|| {
            CliError::Runtime("no home directory found: pass --db DIR or set LIAISON_DB".into())
        })
}

/// A restore goes into a new database: a directory that holds anything else is someone's
/// folder, and the database's files would be mixed into it.
fn refuse_unrelated_files(db: &Path) -> CliResult {
    let unrelated = crate::store::unrelated_files(db)
        .map_err(|e| CliError::Input(format!("--db {}: {e}", db.display())))?;
    if unrelated.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = unrelated
        .iter()
        .take(5)
        .map(|name| name.chars().map(crate::text::printable).collect())
        .collect();
    let more = match unrelated.len() {
        n if n > 5 => format!(" and {} more", n - 5),
        _ => String::new(),
    };
    Err(CliError::Input(format!(
        "--db {}: the directory holds files that are not a liaison database ({}{more}); \
         restore into a new directory",
        db.display(),
        shown.join(", ")
    )))
}

/// Opens the database; the copy taken before a schema migration goes where the automatic
/// backups go (`backups_dir`).
fn open_store(db: &Path, default_location: bool, interactive: bool) -> Result<Store, CliError> {
    let defaults = if interactive {
        crate::store::OpenOptions::interactive()
    } else {
        crate::store::OpenOptions::default()
    };
    let options = crate::store::OpenOptions {
        // The default database is `db/` in the data directory: its backups are `backups/`
        // beside it. Elsewhere the store's own default (`DIR.backups`) is the same rule.
        backups_dir: default_location
            .then(|| db.parent().map(|parent| parent.join("backups")))
            .flatten(),
        ..defaults
    };
    Ok(Store::open_with(db, options)?)
}

/// `liaison --demo`: a fresh demo database in a temporary directory, removed on exit; it gets
/// no automatic backup.
fn open_demo() -> CliResult {
    let dir = tempfile::Builder::new().prefix("liaison-demo-").tempdir()?;
    let store = open_seeded_demo(dir.path())?;
    let result = crate::tui::run(store)
        .map(drop)
        .map_err(|e| CliError::Runtime(e.to_string()));
    drop(dir);
    result
}

fn open_seeded_demo(path: &Path) -> Result<Store, CliError> {
    let store = Store::open(path)?;
    crate::demo::seed(&store, &crate::demo::DemoOptions::default(), now())?;
    Ok(store)
}

/// `settings`: changes what the flags name, then prints every setting.
fn settings(store: &Store, args: args::SettingsArgs, default_location: bool) -> CliResult {
    if let Some(user) = &args.user {
        let user = crate::model::clean_text(crate::model::Field::Name, user, true, 60, false)
            .map_err(|e| {
                CliError::Input(format!(
                    "--user: {}",
                    crate::messages::field_problem(e.field, &e.problem)
                ))
            })?;
        store.set_user(&user)?;
    }
    let mut sla = store.sla()?;
    let changes = [
        args.sla_low,
        args.sla_normal,
        args.sla_high,
        args.sla_urgent,
    ];
    if changes.iter().any(Option::is_some) {
        for (slot, change) in sla.days.iter_mut().zip(changes) {
            if let Some(days) = change {
                *slot = days;
            }
        }
        store.set_sla(&sla)?;
    }
    if let Some(kept) = args.backups {
        store.set_backups_kept(kept)?;
    }
    println!("user: {}", store.user()?.unwrap_or_else(default_author));
    println!(
        "due in days by priority: low {} · normal {} · high {} · urgent {}",
        sla.days[0], sla.days[1], sla.days[2], sla.days[3]
    );
    match store.backups_kept()? {
        0 => println!("automatic backups: off"),
        kept => println!(
            "automatic backups: the newest {kept} kept in {}",
            backups_dir(store.path(), default_location)
                .map_or_else(|e| e, |dir| dir.display().to_string())
        ),
    }
    Ok(())
}
