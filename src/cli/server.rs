//! `liaison server init|add-user`: the zone's admin sets up the PostgreSQL database that
//! carries operations between ledgers (issue 15; see README "A zone server").

use super::{CliError, CliResult};
use crate::messages as msg;
use crate::server::schema::{self, Init, Member};
use crate::server::{ServerError, ServerUrl, SERVER_ENV};
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Create the zone's database (if the admin may) and its tables, roles and row-level
    /// security; run again, it changes nothing
    Init(AdminArgs),
    /// Create a login role for an officer (or a department's desk) and make it a member
    AddUser(AddUserArgs),
}

#[derive(Debug, Args)]
pub struct AdminArgs {
    /// The zone's database, as its admin: postgres://ADMIN@HOST:PORT/ZONE
    #[arg(long, value_name = "URL", env = SERVER_ENV)]
    pub url: String,
}

#[derive(Debug, Args)]
pub struct AddUserArgs {
    /// The login name (a PostgreSQL role)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The role is the desk of this department (it answers the items handed to it)
    #[arg(long, value_name = "D")]
    pub department: Option<String>,
    #[command(flatten)]
    pub admin: AdminArgs,
}

pub fn run(command: ServerCommand) -> CliResult {
    match command {
        ServerCommand::Init(args) => init(args),
        ServerCommand::AddUser(args) => add_user(args),
    }
}

/// Bad URLs are bad input; everything else happened at run time.
pub fn cli_error(e: ServerError) -> CliError {
    match e {
        ServerError::BadUrl(_) => CliError::Input(e.to_string()),
        _ => CliError::Runtime(e.to_string()),
    }
}

fn init(args: AdminArgs) -> CliResult {
    let url = ServerUrl::parse(&args.url).map_err(cli_error)?;
    match schema::init(&url).map_err(cli_error)? {
        Init::AlreadyCurrent => say!(
            "{}",
            msg::server_already_zone(&url.describe(), schema::SCHEMA_VERSION)
        ),
        Init::Created { database_created } => {
            if database_created {
                say!("{}", msg::server_created_database(url.database()));
            }
            say!(
                "{}",
                msg::server_zone_ready(&url.describe(), schema::SCHEMA_VERSION)
            );
        }
    }
    Ok(())
}

fn add_user(args: AddUserArgs) -> CliResult {
    let url = ServerUrl::parse(&args.admin.url).map_err(cli_error)?;
    let member = match args.department.as_deref().map(str::trim) {
        Some("") => return Err(CliError::Input(msg::server_department_needed())),
        Some(d) => Member::Department(d.to_string()),
        None => Member::Officer,
    };
    let created = schema::add_user(&url, &args.name, &member).map_err(cli_error)?;
    let department = match &member {
        Member::Officer => None,
        Member::Department(d) => Some(d.as_str()),
    };
    let name = &args.name;
    say!(
        "{}",
        msg::server_role(name, created, department, url.database())
    );
    say!("{}", msg::server_password_hint());
    say!("  psql \"{}\" -c '\\password {name}'", admin_hint(&url));
    say!("{}", msg::server_pgpass_hint(name));
    say!("  {}:{}:{name}:PASSWORD", host_port(&url), url.database());
    say!("{}", msg::server_settings_hint());
    say!(
        "  liaison settings --server postgres://{name}@{}/{}",
        host_port(&url),
        url.database()
    );
    if let Member::Department(d) = &member {
        say!("  liaison settings --department {d}");
    }
    Ok(())
}

fn host_port(url: &ServerUrl) -> String {
    // describe() is user@host:port/database.
    let described = url.describe();
    let after_user = described
        .split_once('@')
        .map_or(described.as_str(), |(_, rest)| rest);
    after_user
        .rsplit_once('/')
        .map_or(after_user, |(hp, _)| hp)
        .to_string()
}

fn admin_hint(url: &ServerUrl) -> String {
    format!(
        "postgres://{}@{}/{}",
        url.user(),
        host_port(url),
        url.database()
    )
}
