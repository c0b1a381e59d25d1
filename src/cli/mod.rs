//! The command line: `liaison [--db DIR] [--demo]` opens the TUI; subcommands do batch work.
//! Exit codes: 0 ok, 1 runtime error, 2 bad usage or bad input.

/// `println!` for everything the command line says to a person: the line with every control
/// character made visible (`text::for_terminal`), so that a name, a file name or an argument
/// it echoes cannot drive the terminal. Data written as a file (`export` to standard output)
/// and JSON do not pass here; they escape their own way.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::text::for_terminal(&format!($($arg)*)))
    };
}

/// `eprintln!` as `say!` does it.
macro_rules! esay {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::text::for_terminal(&format!($($arg)*)))
    };
}

mod args;
mod backup;
mod bench;
mod bench_server;
mod bench_sync;
mod call;
mod check;
mod demo;
pub mod demo_dirs;
pub mod dev;
mod export;
mod firm_merge;
mod import;
mod issues;
mod list;
mod lists;
mod looks;
mod recover;
mod report;
mod server;
mod server_sync;
mod show;
mod sync;
#[doc(hidden)]
pub mod torture;
mod torture_app;
mod triage;
mod unfinished;
mod visits;

pub use args::{Cli, Command, DevCli, DevCommand};
pub use backup::backups_dir;
pub use issues::default_author;

use crate::messages as msg;
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
    crate::model::when::now()
}

/// Parses the arguments, runs, and returns the process exit code.
pub fn main() -> i32 {
    // Before anything is created: sled's files, lock, backups and exports alike.
    crate::store::make_new_files_private();
    // The locale's language until a database names its own.
    looks::apply_lang(None);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let code = match run(cli) {
        Ok(()) => 0,
        Err(CliError::Input(message)) => {
            esay!("liaison: {message}");
            2
        }
        Err(CliError::Runtime(message)) => {
            esay!("liaison: {message}");
            1
        }
        Err(CliError::DiskFull(e)) => {
            esay!("liaison: {e}");
            1
        }
    };
    // The bench measures other commands as whole processes, their memory included.
    if std::env::var_os(bench::PEAK_MEMORY_ENV).is_some() {
        if let Some(kib) = bench::peak_memory_kib() {
            esay!("{} {kib}", bench::PEAK_MEMORY_ENV);
        }
    }
    code
}

/// clap's own messages, as clap prints them (in colour on a terminal), unless the arguments
/// hold a control character: a usage error quotes the value it refused and `--help` shows the
/// value of `LIAISON_DB`, which clap would print raw. The arguments are then parsed again
/// without styles, so that the message holds nothing but its text and theirs, and printed
/// with control characters made visible.
pub(crate) fn usage_error(e: clap::Error) -> i32 {
    use clap::CommandFactory;
    let mut typed = std::env::args_os().chain(std::env::var_os("LIAISON_DB"));
    if !typed.any(|arg| arg.to_string_lossy().chars().any(char::is_control)) {
        let _ = e.print();
        return e.exit_code();
    }
    let plain = Cli::command()
        .styles(clap::builder::Styles::plain())
        .try_get_matches_from(std::env::args_os())
        .err()
        .unwrap_or(e);
    let text = plain.render().ansi().to_string();
    for line in text.lines() {
        if plain.use_stderr() {
            esay!("{line}");
        } else {
            say!("{line}");
        }
    }
    plain.exit_code()
}

pub fn run(cli: Cli) -> CliResult {
    if cli.demo {
        if cli.command.is_some() {
            return Err(CliError::Input(msg::demo_takes_no_command()));
        }
        let keys = user_keys()?;
        return open_demo(keys);
    }
    if let Some(Command::Keys(args)) = cli.command {
        // No database: the keys are the program's and the user's file.
        return print_keys(args);
    }
    if let Some(Command::Server(command)) = cli.command {
        // Setting up the zone server needs no ledger.
        return server::run(command);
    }
    let default_location = cli.db.is_none();
    let db = database_dir(cli.db)?;
    // A killed automatic backup's temporary file, if any (`transfer::stale`).
    if let Ok(backups) = backups_dir(&db, default_location) {
        crate::transfer::remove_stale_temp_files(&backups);
    }
    if let Some(Command::Recover(args)) = cli.command {
        // The database is not opened: it may be what cannot be (and an in-progress mark on
        // it never stops a recovery).
        return recover::run(&db, default_location, args);
    }
    match cli.command {
        None => {
            // A broken keys file stops the app before anything is opened.
            let keys = user_keys()?;
            let store = open_store(&db, default_location, true, Default::default())?;
            looks::apply_lang(Some(&store));
            looks::apply_theme(Some(&store))?;
            unfinished::refuse_unless_resumed(&store, None)?;
            let store =
                crate::tui::run(store, keys).map_err(|e| CliError::Runtime(e.to_string()))?;
            backup::after_quit(&store, default_location);
            Ok(())
        }
        Some(command) => {
            if !creates_database(&command) && !has_database(&db) {
                return Err(CliError::Runtime(msg::no_database(
                    &db.display().to_string(),
                )));
            }
            if let Command::Restore(_) = &command {
                refuse_unrelated_files(&db)?;
            }
            // Only a repair opens a database whose schema stamp is damaged (and rebuilds it).
            let stamp = match &command {
                Command::Check(args) if args.repair => crate::store::DamagedStamp::Rebuild,
                _ => crate::store::DamagedStamp::Refuse,
            };
            let store = open_store(&db, default_location, false, stamp)?;
            looks::apply_lang(Some(&store));
            if let Some(notice) = store.open_notice() {
                esay!("liaison: {notice}");
            }
            unfinished::refuse_unless_resumed(&store, Some(&command))?;
            let reads_only = reads_only(&command);
            run_command(&store, command, default_location).map_err(|e| match e {
                CliError::DiskFull(e) => CliError::DiskFull(store.located(e)),
                other => other,
            })?;
            backup::after_command(&store, default_location);
            if reads_only {
                // The process ends next: its exit frees the memory at once.
                store.close_at_exit()?;
            }
            Ok(())
        }
    }
}

fn run_command(store: &Store, command: Command, default_location: bool) -> CliResult {
    match command {
        Command::Demo(args) => demo::run(store, args),
        Command::Firms(args::FirmsCommand::List(args)) => list::firms(store, args),
        Command::Firms(args::FirmsCommand::Merge(args)) => firm_merge::run(store, args),
        Command::Visits(args::VisitsCommand::List(args)) => list::visits(store, args),
        Command::Issues(args::IssuesCommand::List(args)) => list::issues(store, args),
        Command::Issues(args::IssuesCommand::Add(args)) => issues::add(store, args),
        Command::Issues(args::IssuesCommand::Show(args)) => show::run(store, args),
        Command::Issues(args::IssuesCommand::Edit(args)) => triage::edit(store, args),
        Command::Issues(args::IssuesCommand::Assign(args)) => triage::assign(store, args),
        Command::Issues(args::IssuesCommand::Status(args)) => triage::status(store, args),
        Command::Issues(args::IssuesCommand::Respond(args)) => triage::respond(store, args),
        Command::Issues(args::IssuesCommand::Close(args)) => triage::close(store, args),
        Command::Issues(args::IssuesCommand::Tag(args)) => triage::tag(store, args),
        Command::Issues(args::IssuesCommand::Call(args)) => call::run(store, args),
        Command::Visits(args::VisitsCommand::Add(args)) => visits::add(store, args),
        Command::Visits(args::VisitsCommand::Done(args)) => visits::done(store, args),
        Command::Departments(command) => lists::departments(store, command),
        Command::Categories(command) => lists::categories(store, command),
        Command::Import(args::ImportCommand::Firms(args)) => import::firms(store, args),
        Command::Import(args::ImportCommand::Issues(args)) => import::issues(store, args),
        Command::Export(args::ExportCommand::Firms(args)) => export::firms(store, args),
        Command::Export(args::ExportCommand::Agenda(args)) => export::agenda(store, args),
        Command::Export(args::ExportCommand::Issues(args)) => export::issues(store, args),
        Command::Check(args) => check::run(store, args),
        Command::Report(args) => report::run(store, args),
        Command::Backup(args) => backup::backup(store, args),
        Command::Restore(args) => backup::restore(store, args),
        Command::Settings(args) => settings(store, args, default_location),
        Command::Sync(args) => match args.bundle {
            Some(command) => sync::sync(store, command),
            None => server_sync::run(store, args.server),
        },
        Command::Conflicts(command) => sync::conflicts(store, command),
        Command::Recover(_) | Command::Keys(_) | Command::Server(_) => {
            unreachable!("handled before a database is opened")
        }
    }
}

/// Commands that only read the ledger (a `check` that repairs nothing included).
fn reads_only(command: &Command) -> bool {
    use args::{FirmsCommand, IssuesCommand, VisitsCommand};
    match command {
        Command::Firms(FirmsCommand::List(_))
        | Command::Visits(VisitsCommand::List(_))
        | Command::Issues(IssuesCommand::List(_) | IssuesCommand::Show(_))
        | Command::Export(_)
        | Command::Report(_) => true,
        Command::Check(args) => !args.repair,
        _ => false,
    }
}

/// Commands that may start a new database. The others read or change records that must
/// already be there: on a mistyped `--db` they say so instead of creating an empty database.
fn creates_database(command: &Command) -> bool {
    matches!(
        command,
        Command::Demo(_)
            | Command::Import(_)
            | Command::Restore(_)
            | Command::Sync(server_sync::SyncArgs {
                bundle: Some(sync::SyncCommand::Import(_)),
                ..
            })
            // A new desk's first sync with the zone server fills an empty ledger.
            | Command::Sync(server_sync::SyncArgs { bundle: None, .. })
    )
}

/// Whether DIR holds a sled database, judged before sled is asked (it would create one). Either
/// of sled's two files is enough, so that `check` still runs on a database missing the other.
fn has_database(dir: &Path) -> bool {
    ["conf", "db"].iter().any(|file| dir.join(file).is_file())
}

/// `--db`, else `LIAISON_DB` (clap reads it into `--db`), else the platform's data directory.
pub(crate) fn database_dir(db: Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(db) = db {
        if db.as_os_str().is_empty() {
            return Err(CliError::Input(msg::db_empty()));
        }
        return Ok(db);
    }
    directories::ProjectDirs::from("", "", "liaison")
        .map(|dirs| dirs.data_dir().join("db"))
        .ok_or_else(|| CliError::Runtime(msg::no_home()))
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
pub(crate) fn open_store(
    db: &Path,
    default_location: bool,
    interactive: bool,
    damaged_stamp: crate::store::DamagedStamp,
) -> Result<Store, CliError> {
    let defaults = if interactive {
        crate::app::background::keep_large_blocks_apart();
        crate::app::background::share_one_heap();
        crate::store::OpenOptions::interactive()
    } else {
        crate::store::OpenOptions::default()
    };
    let options = crate::store::OpenOptions {
        // The default database is `db/` in the data directory: its backups are `backups/`
        // beside it. Elsewhere the store's own default (`DIR.backups`) is the same rule.
        backups_dir: backup::backups_override().or_else(|| {
            default_location
                .then(|| db.parent().map(|parent| parent.join("backups")))
                .flatten()
        }),
        journal: crate::store::Journaling::Beside,
        damaged_stamp,
        ..defaults
    };
    Store::open_with(db, options).map_err(|e| recover::explain_open_error(e, db, default_location))
}

/// `liaison --demo`: a fresh demo database in a temporary directory, removed on exit (or by
/// the next demo, if this one is killed); it gets no automatic backup.
fn open_demo(keys: crate::app::keymap::Keymap) -> CliResult {
    // Those a killed demo left (a closed terminal ends it without this cleanup).
    demo_dirs::remove_abandoned(&std::env::temp_dir(), demo_dirs::MIN_AGE);
    let dir = tempfile::Builder::new()
        .prefix(demo_dirs::PREFIX)
        .tempdir()?;
    let store = open_seeded_demo(dir.path())?;
    looks::apply_theme(None)?;
    let result = crate::tui::run(store, keys)
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
        let user = crate::model::clean_author(user).map_err(|e| {
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
    if let Some(start) = args.week_start {
        store.set_week_start(start)?;
    }
    if let Some(lang) = args.lang {
        store.set_lang_code(lang.code())?;
        looks::apply_lang(Some(store));
    }
    if let Some(theme) = args.theme {
        store.set_theme_name(theme.code())?;
    }
    server_sync::change_settings(store, args.server.as_deref(), args.department.as_deref())?;
    say!(
        "{}",
        msg::settings_user(&store.user()?.unwrap_or_else(default_author))
    );
    say!("{}", msg::settings_sla(sla.days));
    say!("{}", msg::settings_week_start(store.week_start()?.code()));
    say!(
        "{}",
        msg::settings_lang(
            msg::lang().code(),
            std::env::var_os(msg::LANG_ENV).is_some()
        )
    );
    say!(
        "{}",
        msg::settings_theme(&store.theme_name()?.unwrap_or_else(|| "dark".into()))
    );
    server_sync::print_settings(store)?;
    match store.backups_kept()? {
        0 => say!("{}", msg::settings_backups_off()),
        kept => say!(
            "{}",
            msg::settings_backups(
                kept,
                &backups_dir(store.path(), default_location)
                    .map_or_else(|e| e, |dir| dir.display().to_string())
            )
        ),
    }
    Ok(())
}

/// The built-in keys with the user's `keys.toml` over them; a file that cannot be used is
/// bad input (exit 2), named by line.
fn user_keys() -> Result<crate::app::keymap::Keymap, CliError> {
    crate::app::keys::load_user().map_err(|e| CliError::Input(e.to_string()))
}

/// `liaison keys`: the live bindings (`--default`: the built-in ones; `--markdown`: the
/// README's table).
fn print_keys(args: args::KeysArgs) -> CliResult {
    let keys = if args.default {
        crate::app::keymap::Keymap::default()
    } else {
        user_keys()?
    };
    let text = if args.markdown {
        keys.markdown()
    } else {
        keys.listing()
    };
    for line in text.lines() {
        say!("{line}");
    }
    for (key, hidden, by) in keys.shadowed() {
        esay!("{}", crate::messages::keys_shadowed(&key, &hidden, &by));
    }
    Ok(())
}
