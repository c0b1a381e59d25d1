//! `liaison sync` without a subcommand: one sync with the zone server (issue 15), and the
//! server's lines of `settings`.

use super::{CliError, CliResult};
use crate::messages as msg;
use crate::server::{self, ServerUrl, StoreLedger, SyncOptions, SERVER_ENV};
use crate::store::Store;
use clap::Args;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub bundle: Option<super::sync::SyncCommand>,
    /// The zone server [default: `settings --server`, else LIAISON_SERVER]
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
}

/// The server to sync with: the flag, the setting, the environment, in that order.
pub fn server_url(store: &Store, flag: Option<String>) -> Result<Option<String>, CliError> {
    if let Some(url) = flag {
        return Ok(Some(url));
    }
    if let Some(url) = store.server_url()? {
        return Ok(Some(url));
    }
    Ok(std::env::var(SERVER_ENV)
        .ok()
        .filter(|url| !url.trim().is_empty()))
}

pub fn run(store: &Store, flag: Option<String>) -> CliResult {
    let Some(text) = server_url(store, flag)? else {
        return Err(CliError::Input(msg::server_none(SERVER_ENV)));
    };
    let url = ServerUrl::parse(&text).map_err(super::server::cli_error)?;
    let mut ledger = StoreLedger::new(store).map_err(|e| CliError::Runtime(e.to_string()))?;
    let report = server::sync(&url, &mut ledger, SyncOptions::default(), &mut |_| {})
        .map_err(|e| CliError::Runtime(msg::server_offline(&e.to_string(), &url.describe())))?;
    say!(
        "{}",
        msg::server_synced(
            &url.describe(),
            report.pushed,
            report.pulled,
            report.new,
            report.conflicts
        )
    );
    if report.rejected > 0 {
        say!("{}", msg::server_rejected(report.rejected));
    }
    let conflicts = store.conflict_count();
    if conflicts > 0 {
        say!("{}", msg::server_conflicts_stand(conflicts));
    }
    Ok(())
}

/// `settings --server URL --department NAME`; "" forgets either.
pub fn change_settings(store: &Store, server: Option<&str>, department: Option<&str>) -> CliResult {
    if let Some(text) = server.map(str::trim) {
        if text.is_empty() {
            store.set_server_url(None)?;
        } else {
            let url = ServerUrl::parse(text)
                .map_err(|e| CliError::Input(msg::server_flag(&e.to_string())))?;
            if text.contains("password=") || has_url_password(text) {
                return Err(CliError::Input(msg::server_url_password(&url.describe())));
            }
            store.set_server_url(Some(text))?;
        }
    }
    if let Some(name) = department.map(str::trim) {
        store.set_desk_department((!name.is_empty()).then_some(name))?;
    }
    Ok(())
}

/// `postgres://user:secret@host`: a password between the scheme's user and the `@`.
fn has_url_password(text: &str) -> bool {
    let Some(rest) = text.split_once("://").map(|(_, rest)| rest) else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

pub fn print_settings(store: &Store) -> CliResult {
    let url = store.server_url()?;
    say!("{}", msg::server_setting(url.as_deref(), SERVER_ENV));
    if let Some(department) = store.desk_department()? {
        say!("{}", msg::server_desk(&department));
    }
    Ok(())
}
