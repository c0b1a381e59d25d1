use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "liaison",
    version,
    about = "Visit firms, capture their follow-up items, and make sure every item gets an answer.",
    after_help = "Without a subcommand, opens the terminal app.\nExit codes: 0 ok, 1 runtime error, 2 bad usage or bad input."
)]
pub struct Cli {
    /// The database directory [default: the platform's data directory]
    #[arg(long, global = true, value_name = "DIR", env = "LIAISON_DB")]
    pub db: Option<PathBuf>,

    /// Open the app on a fresh demo database in a temporary directory
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Seed the database with the article's data, then synthetic rows up to the counts
    Demo(DemoArgs),
    /// Firms
    #[command(subcommand)]
    Firms(FirmsCommand),
    /// Visits
    #[command(subcommand)]
    Visits(VisitsCommand),
    /// The departments items are handed to: list, add, rename, merge, retire
    #[command(subcommand)]
    Departments(super::lists::DepartmentsCommand),
    /// The categories items are filed under: list, add, rename, merge, retire
    #[command(subcommand)]
    Categories(super::lists::CategoriesCommand),
    /// Follow-up items
    #[command(subcommand)]
    Issues(IssuesCommand),
    /// Read records from a file
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write records to a file or standard output
    #[command(subcommand)]
    Export(ExportCommand),
    /// The brief of a week, month, quarter, year or range: the overview against the previous
    /// period and a year earlier, departments, overdue items, hot topics, visits
    ///
    /// Figures count from the items' histories, so a past period reads the same later; the
    /// rules are in docs/reports.md. csv and json carry every figure.
    Report(super::report::ReportArgs),
    /// Decode every record and verify every index entry; exit 1 if anything is wrong
    Check(CheckArgs),
    /// Write everything in the database to FILE as JSON lines (readable by its owner only)
    ///
    /// Firms, visits, items with their numbers and full history, departments, categories,
    /// saved views and the settings, one record per line after a header line. An unchanged
    /// database always gives the same bytes.
    Backup(BackupArgs),
    /// Load a backup into an empty database (a new directory)
    ///
    /// Every line is checked first; a bad line is named and nothing is written. Records keep
    /// their ids, item numbers and times.
    Restore(RestoreArgs),
    /// Rebuild a database that cannot be opened into a new directory, from the newest
    /// automatic backup that reads whole plus the journal written since
    ///
    /// The damaged database is left untouched; what could not be brought back is listed and
    /// the exit code is 1 if anything was.
    Recover(RecoverArgs),
    /// Print the keys of the app, per context: `context.action  KEYS  what it does`
    ///
    /// The built-in keys with `keys.toml` (in the config directory, or LIAISON_KEYS=FILE)
    /// over them. In that file, e.g. `[list]` then `down = ["n", "Down"]`.
    Keys(KeysArgs),
    /// Show or change the settings: your name in the history, days per priority for due
    /// dates, automatic backups kept
    Settings(SettingsArgs),
    /// Merge ledgers: alone, through the zone server (`--server`, `settings --server` or
    /// LIAISON_SERVER); by files: export the operations a peer lacks, import a peer's bundle
    Sync(super::server_sync::SyncArgs),
    /// The zone server (PostgreSQL) that carries operations between ledgers: set it up, add
    /// the people who sync through it
    #[command(subcommand)]
    Server(super::server::ServerCommand),
    /// Values set on two ledgers at once: list them, choose one
    #[command(subcommand)]
    Conflicts(super::sync::ConflictsCommand),
}

/// `liaison-dev`: the developers' tools, kept off the user's command line.
#[derive(Debug, Parser)]
#[command(
    name = "liaison-dev",
    about = "Developer tools for Liaison: the bench and the crash harness's torture."
)]
pub struct DevCli {
    /// The database directory (torture)
    #[arg(long, global = true, value_name = "DIR", env = "LIAISON_DB")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: DevCommand,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Measure interactive speed on generated data (prints medians and tails)
    Bench(BenchArgs),
    /// Random confirmed writes, each reported once durable, for the crash harness
    Torture(TortureArgs),
}

#[derive(Debug, Args)]
pub struct KeysArgs {
    /// The built-in keys, without the user's file
    #[arg(long)]
    pub default: bool,
    /// As the README's key table (Markdown)
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Move damaged values to the quarantine, rebuild indexes, counters and derived data from
    /// the records, then check again (exit 0 if the database is now consistent)
    #[arg(long, conflicts_with = "quarantine")]
    pub repair: bool,
    /// List the values set aside by --repair: where each was, why, and its size
    #[arg(long)]
    pub quarantine: bool,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The new directory to rebuild into (must not exist, or be empty)
    #[arg(long, value_name = "NEWDIR")]
    pub into: PathBuf,
}

#[derive(Debug, Args)]
pub struct TortureArgs {
    /// Seed of the random choices
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Stop after this many writes
    #[arg(long, default_value_t = 1_000, value_name = "N")]
    pub writes: u64,
    /// Triage through the app's actions (`update`) instead of the store's API
    #[arg(long)]
    pub app: bool,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Your name, written as the author of history events
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Days a low-priority item gets before it is due
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub sla_low: Option<u16>,
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub sla_normal: Option<u16>,
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub sla_high: Option<u16>,
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub sla_urgent: Option<u16>,
    /// How many automatic backups (written when the app quits) to keep; 0 turns them off
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(0..=1000))]
    pub backups: Option<u16>,
    /// The first day of a week on the Agenda: monday (the default) or sunday
    #[arg(long, value_name = "DAY", value_parser = parse_week_start)]
    pub week_start: Option<crate::model::when::WeekStart>,
    /// The interface language: zh or en (LIAISON_LANG overrides it; without either, the locale)
    #[arg(long, value_name = "LANG", value_parser = super::looks::parse_lang)]
    pub lang: Option<crate::messages::Lang>,
    /// The colours: dark, light, high-contrast or monochrome (NO_COLOR gives monochrome);
    /// theme.toml in the config directory may change single colours
    #[arg(long, value_name = "NAME", value_parser = super::looks::parse_theme)]
    pub theme: Option<crate::ui::theme::ThemeName>,
    /// The zone server this ledger syncs with (postgres://USER@HOST:PORT/ZONE); "" forgets it.
    /// This machine's only; the password goes in ~/.pgpass, never here
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// The department this desk answers for: its items show under "Handed to us"; ""
    /// forgets it. This machine's only
    #[arg(long, value_name = "NAME")]
    pub department: Option<String>,
}

fn parse_week_start(text: &str) -> Result<crate::model::when::WeekStart, String> {
    crate::model::when::WeekStart::parse(text).ok_or_else(|| "monday or sunday".to_string())
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write (replaced in one step if it exists)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `liaison backup` or by the app's automatic backups
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// The two named sizes of generated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DataSize {
    /// 1,000 firms, 10,000 visits, 100,000 items: a zone after some years
    Standard,
    /// 10,000 firms, 100,000 visits, 1,000,000 items: ten times that
    Large,
}

impl DataSize {
    /// (firms, visits, items)
    pub fn counts(self) -> (usize, usize, usize) {
        match self {
            DataSize::Standard => (1_000, 10_000, 100_000),
            DataSize::Large => (10_000, 100_000, 1_000_000),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DataSize::Standard => "standard",
            DataSize::Large => "large",
        }
    }
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The database to measure. An empty or missing one is first filled with generated data
    /// of --size; without --data a temporary database is generated and thrown away. The
    /// bench writes triage changes into it.
    #[arg(long, value_name = "DIR")]
    pub data: Option<std::path::PathBuf>,
    /// Size of the data to generate when there is none
    #[arg(long, value_enum, default_value_t = DataSize::Standard)]
    pub size: DataSize,
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// How many times each replayed session is typed
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub rounds: usize,
    /// Compare with medians saved earlier (--save-baseline) and flag any more than 25%
    /// slower; the exit code is 1 when one is
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<std::path::PathBuf>,
    /// Save this run's medians as a baseline for later runs
    #[arg(long, value_name = "FILE")]
    pub save_baseline: Option<std::path::PathBuf>,
    /// Measure syncing through a zone server instead, given as its admin's URL: a scratch
    /// zone database is made there and dropped afterwards
    #[arg(long, value_name = "ADMIN_URL")]
    pub server: Option<String>,
    /// Only open the app on --data, wait until everything is read, and print its resident
    /// memory, then again with the Reports tab open (the bench runs itself so, to measure the
    /// app's memory in a process of its own)
    #[arg(long, hide = true, requires = "data")]
    pub memory_only: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Firms in all (the article's 8 count towards it)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub firms: usize,
    /// Visits in all
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub visits: usize,
    /// Items in all
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub issues: usize,
    /// Seed of the synthetic data: the same seed gives the same data
    #[arg(long, default_value_t = 20221216, value_name = "S")]
    pub seed: u64,
    /// A named size: standard (1,000 firms, 10,000 visits, 100,000 items) or large (ten
    /// times that); --firms, --visits and --issues override its counts
    #[arg(long, value_enum, value_name = "SIZE")]
    pub size: Option<DataSize>,
    /// Empty a non-empty database first
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum FirmsCommand {
    /// List firms, or search them by name, pinyin or initials
    List(FirmsListArgs),
    /// Merge two records of one firm: FROM's visits, items and contacts move to INTO, FROM
    /// is archived
    Merge(super::firm_merge::FirmsMergeArgs),
}

#[derive(Debug, Args)]
pub struct FirmsListArgs {
    /// One JSON array instead of a table
    #[arg(long)]
    pub json: bool,
    /// Only firms matching this text (Chinese, pinyin such as zhongshan, or initials such as
    /// zsswgc), best match first
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Include archived firms
    #[arg(long)]
    pub archived: bool,
}

#[derive(Debug, Subcommand)]
pub enum VisitsCommand {
    /// List visits in time order
    List(ListArgs),
    /// Plan a visit
    Add(super::visits::AddVisitArgs),
    /// Mark visits done
    Done(super::visits::DoneArgs),
}

#[derive(Debug, Subcommand)]
pub enum IssuesCommand {
    /// List items: open first, soonest due first, or as a filter and sort say
    List(IssuesListArgs),
    /// Raise an item for a firm and print its #N
    Add(AddIssueArgs),
    /// An item with its history
    Show(super::show::ShowArgs),
    /// Change category, priority, due date or owner of items
    Edit(super::triage::EditArgs),
    /// Hand items to a department (none takes them back)
    Assign(super::triage::AssignArgs),
    /// Move items to assigned, in progress or answered
    Status(super::triage::StatusArgs),
    /// Record a department's response; --answer marks it as the answer given to the firm
    Respond(super::triage::RespondArgs),
    /// Close items with what the firm was told
    Close(super::triage::CloseArgs),
    /// Add tags to items (--remove takes them off)
    Tag(super::triage::TagArgs),
    /// Record the follow-up call (回访) of closed items: the firm's verdict and a note
    Call(super::call::CallArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Add or update firms from a CSV file
    ///
    /// The first row names the columns, in Chinese or English: 企业名称/name, 简称/short_name,
    /// 行业/sector, 园区/park, 地址/address, 标签/tags, 联系人/contact, 职务/title, 电话/phone,
    /// 邮箱/email, 备注/notes; only the name is required, other columns are ignored. Rows naming
    /// the same firm each add a contact. A firm already stored (same name, ignoring case, width
    /// and spaces) is updated: non-empty cells overwrite, contacts are merged by name. A firm
    /// with a bad row is skipped; exit 2 if any row is bad.
    Firms(ImportFirmsArgs),
    /// Add items from a CSV file, one item per row
    ///
    /// The first row names the columns, in Chinese or English: 企业名称/firm and 诉求/title are
    /// required; 详情/detail, 类别/category, 责任部门/department, 负责人/owner, 优先级/priority,
    /// 状态/status, 期限/due, 创建时间/created, 更新时间/updated, 走访日期/visit_date,
    /// 办结方式/resolution_kind, 办结答复/resolution, 最新回复/last_response, 标签/tags and
    /// 回访/callback (the follow-up call's verdict) are read too (the columns `export issues`
    /// writes). Missing firms and departments are created; a category
    /// must exist. Each item gets a history that leads to its state. A bad row is skipped;
    /// exit 2 if any row is bad.
    Issues(ImportIssuesArgs),
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the firms as CSV, one row per contact
    ///
    /// UTF-8 with a byte order mark (so that Excel on Chinese Windows reads it), in the columns
    /// `import firms` reads, sorted by name; archived firms only with --archived.
    Firms(ExportFirmsArgs),
    /// Write the visits as an iCalendar (.ics) file for calendar apps
    ///
    /// One event per visit in time order, in UTC times, each with a stable UID so that
    /// importing a newer export updates the events of an older one; cancelled visits are
    /// written with STATUS:CANCELLED (so that apps remove them) unless --no-cancelled.
    Agenda(ExportAgendaArgs),
    /// Write the items as CSV or JSON
    ///
    /// CSV: UTF-8 with a byte order mark, one row per item in the columns `import issues`
    /// reads; the header language also picks the words for priority and status (办理中 or
    /// in-progress); a cell that starts with = + - or @ gets a leading apostrophe so that
    /// spreadsheets show it as text (import takes it off). JSON: one array, each item with
    /// the fields of `issues list --json` and its history, oldest first (undo entries
    /// included).
    Issues(ExportIssuesArgs),
}

#[derive(Debug, Args)]
pub struct ImportFirmsArgs {
    /// The CSV file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// How the file is encoded; auto reads UTF-8, else GB18030 (Excel's "CSV" on Chinese Windows)
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto, value_name = "ENCODING")]
    pub encoding: EncodingArg,
    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write nothing if any row is bad
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ImportIssuesArgs {
    /// The CSV file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// How the file is encoded; auto reads UTF-8, else GB18030 (Excel's "CSV" on Chinese Windows)
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto, value_name = "ENCODING")]
    pub encoding: EncodingArg,
    /// Show what would be added and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write nothing if any row is bad
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ExportIssuesArgs {
    /// Write to FILE (created readable by its owner only) instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// csv for spreadsheets and `import issues`, json with each item's history
    #[arg(long, value_enum, default_value_t = FormatArg::Csv, value_name = "FORMAT")]
    pub format: FormatArg,
    /// Only the items this filter matches, e.g. 'dept:发改局 status:open overdue 用地'
    // A filter may start with a negation (`-tag:专班`).
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// due, priority, age, firm or updated [default: due]
    #[arg(long, value_name = "KEY", value_parser = parse_sort)]
    pub sort: Option<crate::query::SortKey>,
    /// The language of the CSV header row and of its priority and status words
    #[arg(long, value_enum, default_value_t = HeadersArg::Zh, value_name = "LANG")]
    pub headers: HeadersArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One row per item, for spreadsheets and `import issues`
    Csv,
    /// One array of items with their history, for scripts
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    Auto,
    #[value(alias = "utf-8")]
    Utf8,
    /// Also reads GBK and GB2312, which it extends
    #[value(alias = "gbk", alias = "gb2312")]
    Gb18030,
}

#[derive(Debug, Args)]
pub struct ExportFirmsArgs {
    /// Write to FILE (created readable by its owner only) instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The language of the header row
    #[arg(long, value_enum, default_value_t = HeadersArg::Zh, value_name = "LANG")]
    pub headers: HeadersArg,
    /// Include archived firms
    #[arg(long)]
    pub archived: bool,
}

#[derive(Debug, Args)]
pub struct ExportAgendaArgs {
    /// Write to FILE (created readable by its owner only) instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only visits on or after this day (in each visit's local date)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Only visits on or before this day (in each visit's local date)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Leave cancelled visits out
    #[arg(long)]
    pub no_cancelled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HeadersArg {
    /// 企业名称, 简称, 行业 …
    Zh,
    /// name, short_name, sector …
    En,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON array instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IssuesListArgs {
    /// One JSON array instead of a table
    #[arg(long)]
    pub json: bool,
    /// The filter language of the Issues tab, e.g. 'dept:发改局 status:open overdue 用地'
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// due, priority, age, firm or updated
    #[arg(long, value_name = "KEY", value_parser = parse_sort)]
    pub sort: Option<crate::query::SortKey>,
    /// Only this firm's items (name, short name, pinyin or initials)
    #[arg(long, value_name = "F")]
    pub firm: Option<String>,
    /// Only items in this status (open, new, assigned, in-progress, answered, closed)
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Only open items past their due date
    #[arg(long)]
    pub overdue: bool,
}

fn parse_sort(text: &str) -> Result<crate::query::SortKey, String> {
    crate::query::SortKey::parse(text)
        .ok_or_else(|| "expected due, priority, age, firm or updated".to_string())
}

#[derive(Debug, Args)]
pub struct AddIssueArgs {
    /// The firm's full or short name
    #[arg(long, value_name = "NAME")]
    pub firm: String,
    /// What the firm needs, in a line
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// low, normal, high or urgent (also l/n/h/u, 低/中/高/急)
    #[arg(long, value_name = "P", value_parser = parse_priority)]
    pub priority: Option<crate::model::Priority>,
    /// Due date as the forms take it: 2026-12-13, 12-13, +3d, fri, 下周五
    #[arg(long, value_name = "WHEN", value_parser = parse_due)]
    pub due: Option<NaiveDate>,
    /// The department it is handed to, by name
    #[arg(long, value_name = "D")]
    pub department: Option<String>,
    /// Category code (land, finance, talent, approvals, policy, infrastructure, market, other)
    #[arg(long, value_name = "CODE")]
    pub category: Option<String>,
    /// Longer description
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub detail: String,
    /// Print the new item as JSON
    #[arg(long)]
    pub json: bool,
}

pub(super) fn parse_priority(text: &str) -> Result<crate::model::Priority, String> {
    crate::model::Priority::parse(text)
        .ok_or_else(|| "expected low, normal, high or urgent".to_string())
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|e| format!("expected a date as YYYY-MM-DD ({e})"))
}

/// A due date as the forms take it, counted from today on the laptop's clock.
pub(super) fn parse_due(text: &str) -> Result<NaiveDate, String> {
    crate::model::when::parse_date(text, super::now().date_naive())
        .map_err(|e| crate::messages::when_error(&e))
}

/// The `--due` of `issues edit`: a date, or `none` to clear it.
#[derive(Debug, Clone, Copy)]
pub struct DueChange(pub Option<NaiveDate>);

pub(super) fn parse_due_change(text: &str) -> Result<DueChange, String> {
    match text.trim() {
        "none" | "-" => Ok(DueChange(None)),
        day => parse_due(day).map(|d| DueChange(Some(d))),
    }
}
