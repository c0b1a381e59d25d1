//! The zone's schema on PostgreSQL, version 1, created by `liaison server init`.
//!
//! - `ops`: the append-only log, `(serial, actor, seq, payload, received_at)`, one row per
//!   operation, unique per `(actor, seq)`. Members may insert and read; nobody but the owner
//!   may update or delete.
//! - `members`: one row per login role (an officer, or a department's desk).
//! - `actors`: each ledger's actor id, claimed by the role that first synced it.
//! - `liaison_meta`: the schema version, the zone's id, the members' group role.
//!
//! Row-level security: a role inserts only operations of actors it claimed, and claims actors
//! only under its own name; it reads everything of the zone.

use super::connect::{connect, ServerUrl};
use super::error::ServerError;
use postgres::Client;

pub const SCHEMA_VERSION: i32 = 1;

/// Serialises pushes (`pg_advisory_xact_lock`) so that serials are handed out in commit order:
/// a reader that has seen serial n can never later find a committed n-1 it skipped.
pub const PUSH_LOCK: i64 = 0x004c_6961_6973_6f6e; // "Liaison" in ASCII

/// `"name"` with inner quotes doubled: a role name in a statement.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// What `init` found and did.
#[derive(Debug, PartialEq, Eq)]
pub enum Init {
    Created { database_created: bool },
    AlreadyCurrent,
}

/// Creates the zone's database (when the admin may) and its schema; run again, it changes
/// nothing. Refuses a database holding tables that are not a Liaison zone's, or a newer schema.
pub fn init(url: &ServerUrl) -> Result<Init, ServerError> {
    let database_created = create_database(url)?;
    let mut client = connect(url)?;
    let mut tx = client.transaction()?;
    let has_meta: bool = tx
        .query_one("SELECT to_regclass('liaison_meta') IS NOT NULL", &[])?
        .get(0);
    if has_meta {
        let version = version_of(&mut tx)?;
        return match version {
            SCHEMA_VERSION => Ok(Init::AlreadyCurrent),
            v => Err(ServerError::Schema(format!(
                "the zone's schema is version {v}; this program knows version {SCHEMA_VERSION}: update Liaison"
            ))),
        };
    }
    let foreign: Option<String> = tx
        .query_opt(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' \
             AND tablename IN ('ops', 'actors', 'members') LIMIT 1",
            &[],
        )?
        .map(|row| row.get(0));
    if let Some(table) = foreign {
        return Err(ServerError::Schema(format!(
            "database {} already has a table {table:?} that Liaison did not make; use a new database",
            url.database()
        )));
    }
    let group = format!("liaison_{}", url.database());
    let exists = tx
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&group])?
        .is_some();
    if !exists {
        tx.batch_execute(&format!("CREATE ROLE {} NOLOGIN", quote_ident(&group)))?;
    }
    let g = quote_ident(&group);
    tx.batch_execute(&format!(
        "CREATE TABLE liaison_meta (key text PRIMARY KEY, value text NOT NULL);
         CREATE TABLE members (
             role name PRIMARY KEY,
             kind text NOT NULL CHECK (kind IN ('officer', 'department')),
             name text NOT NULL);
         CREATE TABLE actors (
             actor text PRIMARY KEY,
             kind text NOT NULL,
             name text NOT NULL,
             role name NOT NULL REFERENCES members(role),
             joined_at timestamptz NOT NULL DEFAULT now());
         CREATE INDEX actors_role ON actors(role);
         CREATE TABLE ops (
             serial bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             actor text NOT NULL REFERENCES actors(actor),
             seq bigint NOT NULL CHECK (seq > 0),
             payload bytea NOT NULL,
             received_at timestamptz NOT NULL DEFAULT now(),
             UNIQUE (actor, seq));
         ALTER TABLE ops ENABLE ROW LEVEL SECURITY;
         CREATE POLICY ops_read ON ops FOR SELECT USING (true);
         CREATE POLICY ops_own ON ops FOR INSERT WITH CHECK (EXISTS (
             SELECT 1 FROM actors a WHERE a.actor = ops.actor AND a.role = current_user));
         ALTER TABLE actors ENABLE ROW LEVEL SECURITY;
         CREATE POLICY actors_read ON actors FOR SELECT USING (true);
         CREATE POLICY actors_own ON actors FOR INSERT WITH CHECK (
             role = current_user AND EXISTS (SELECT 1 FROM members m
                 WHERE m.role = current_user AND m.kind = actors.kind AND m.name = actors.name));
         REVOKE ALL ON liaison_meta, members, actors, ops FROM PUBLIC;
         GRANT SELECT ON liaison_meta, members, actors, ops TO {g};
         GRANT INSERT ON actors TO {g};
         GRANT INSERT (actor, seq, payload) ON ops TO {g};"
    ))?;
    tx.execute(
        "INSERT INTO liaison_meta (key, value) VALUES \
         ('schema_version', $1), ('zone_id', gen_random_uuid()::text), ('group_role', $2)",
        &[&SCHEMA_VERSION.to_string(), &group],
    )?;
    tx.commit()?;
    Ok(Init::Created { database_created })
}

/// Creates the URL's database from the `postgres` database if it does not exist. When the
/// admin cannot reach `postgres`, the database is taken to exist (connecting says if not).
fn create_database(url: &ServerUrl) -> Result<bool, ServerError> {
    let Ok(mut admin) = connect(&url.with_database("postgres")) else {
        return Ok(false);
    };
    let name = url.database();
    if admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])?
        .is_some()
    {
        return Ok(false);
    }
    admin.batch_execute(&format!("CREATE DATABASE {}", quote_ident(name)))?;
    Ok(true)
}

fn version_of(client: &mut impl postgres::GenericClient) -> Result<i32, ServerError> {
    let value: String = client
        .query_one(
            "SELECT value FROM liaison_meta WHERE key = 'schema_version'",
            &[],
        )?
        .get(0);
    value
        .parse()
        .map_err(|_| ServerError::Schema(format!("unreadable schema version {value:?}")))
}

/// The zone's id and group role, after checking that the database is a zone of this
/// schema version.
pub fn check(client: &mut Client) -> Result<(String, String), ServerError> {
    let has_meta: bool = client
        .query_one("SELECT to_regclass('liaison_meta') IS NOT NULL", &[])?
        .get(0);
    if !has_meta {
        return Err(ServerError::Schema(
            "the database is not a Liaison zone (run `liaison server init` there)".into(),
        ));
    }
    match version_of(client)? {
        SCHEMA_VERSION => {}
        v => {
            return Err(ServerError::Schema(format!(
                "the zone's schema is version {v}; this program knows version {SCHEMA_VERSION}"
            )))
        }
    }
    let meta = |client: &mut Client, key: &str| -> Result<String, ServerError> {
        Ok(client
            .query_one("SELECT value FROM liaison_meta WHERE key = $1", &[&key])?
            .get(0))
    };
    Ok((meta(client, "zone_id")?, meta(client, "group_role")?))
}

/// Who a member is: an officer, or the desk of a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Officer,
    Department(String),
}

/// Creates a login role (or takes an existing one) and makes it a member of the zone. No
/// password is set here: the admin gives one with `\password` and the member keeps it in
/// the password file.
pub fn add_user(url: &ServerUrl, role: &str, member: &Member) -> Result<bool, ServerError> {
    if role.is_empty() || role.len() > 63 {
        return Err(ServerError::BadUrl(format!(
            "a role name is 1 to 63 bytes: {role:?}"
        )));
    }
    let mut client = connect(url)?;
    let (_, group) = check(&mut client)?;
    let mut tx = client.transaction()?;
    let exists = tx
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&role])?
        .is_some();
    if !exists {
        tx.batch_execute(&format!("CREATE ROLE {} LOGIN", quote_ident(role)))?;
    }
    tx.batch_execute(&format!(
        "GRANT {} TO {}",
        quote_ident(&group),
        quote_ident(role)
    ))?;
    let (kind, name) = match member {
        Member::Officer => ("officer", role.to_string()),
        Member::Department(d) => ("department", d.clone()),
    };
    tx.execute(
        "INSERT INTO members (role, kind, name) VALUES ($1, $2, $3) \
         ON CONFLICT (role) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name",
        &[&role, &kind, &name],
    )?;
    tx.commit()?;
    Ok(!exists)
}
