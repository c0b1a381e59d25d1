//! `departments …` and `categories …`: list, add, rename, merge and retire the lists items
//! are handed to and filed under.

use super::issues::{default_author, find_category, find_department};
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::model::{Category, Department, FieldError, Id};
use crate::store::{ListKind, Store};
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum DepartmentsCommand {
    /// List the departments (retired ones marked)
    List,
    /// Add a department
    Add(AddDepartmentArgs),
    /// Rename a department; its items follow (they refer to it, not to its name)
    Rename(RenameArgs),
    /// Hand every item of FROM to INTO (each with its history event), then retire FROM
    Merge(MergeArgs),
    /// Stop offering a department for new items; its items keep it
    Retire(RetireArgs),
}

#[derive(Debug, Subcommand)]
pub enum CategoriesCommand {
    /// List the categories (retired ones marked)
    List,
    /// Add a category
    Add(AddCategoryArgs),
    /// Give a category a new name (and with --code a new code)
    Rename(RenameCategoryArgs),
    /// File every item of FROM under INTO (each with its history event), then retire FROM
    Merge(MergeArgs),
    /// Stop offering a category for new items; its items keep it
    Retire(RetireArgs),
}

#[derive(Debug, Args)]
pub struct AddDepartmentArgs {
    /// The name used day to day, e.g. 发改局
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The full name, e.g. 发展和改革局
    #[arg(long, value_name = "F", default_value = "", hide_default_value = true)]
    pub full_name: String,
}

#[derive(Debug, Args)]
pub struct AddCategoryArgs {
    /// A short Latin code for filters and the command line, e.g. land
    #[arg(value_name = "CODE")]
    pub code: String,
    /// The name shown, e.g. 用地
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    #[arg(value_name = "OLD")]
    pub old: String,
    #[arg(value_name = "NEW")]
    pub new: String,
}

#[derive(Debug, Args)]
pub struct RenameCategoryArgs {
    /// The category's code or name
    #[arg(value_name = "OLD")]
    pub old: String,
    /// Its new name
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Its new code
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    #[arg(value_name = "FROM")]
    pub from: String,
    #[arg(value_name = "INTO")]
    pub into: String,
}

#[derive(Debug, Args)]
pub struct RetireArgs {
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Offer it again
    #[arg(long)]
    pub undo: bool,
}

/// The department or category `id` unless it is retired: new hand-overs and filings take
/// only those still offered, as the app's pickers do.
pub fn offered(store: &Store, id: Id, arg: &str, name: &str) -> Result<Id, CliError> {
    if store.is_retired(id)? {
        return Err(CliError::Input(msg::list_is_retired(arg, name.trim())));
    }
    Ok(id)
}

fn invalid(arg: &str, value: &str, e: &FieldError) -> CliError {
    CliError::Input(format!(
        "{arg}: {value}: {}",
        msg::field_problem(e.field, &e.problem)
    ))
}

fn retired_mark(retired: &[Id], id: Id) -> &'static str {
    if retired.contains(&id) {
        "  (retired)"
    } else {
        ""
    }
}

pub fn departments(store: &Store, command: DepartmentsCommand) -> CliResult {
    match command {
        DepartmentsCommand::List => {
            let retired = store.retired()?;
            for d in store.departments()?.records {
                say!(
                    "{}  {}{}",
                    d.name,
                    d.full_name,
                    retired_mark(&retired, d.id)
                );
            }
            Ok(())
        }
        DepartmentsCommand::Add(args) => {
            // Both are checked as names: the name alone first tells which one is wrong.
            Department::new(&args.name, "").map_err(|e| invalid("NAME", &args.name, &e))?;
            let department = Department::new(&args.name, &args.full_name)
                .map_err(|e| invalid("--full-name", &args.full_name, &e))?;
            department_name_free(store, &department.name, None, "NAME")?;
            store.put_department(&department)?;
            say!("{}", msg::added_department(&department.name));
            Ok(())
        }
        DepartmentsCommand::Rename(args) => {
            let id = find_department(store, &args.old, "OLD")?;
            let old = department(store, id)?;
            let renamed = Department {
                name: args.new.clone(),
                ..old.clone()
            }
            .validated()
            .map_err(|e| invalid("NEW", &args.new, &e))?;
            department_name_free(store, &renamed.name, Some(id), "NEW")?;
            store.put_department(&renamed)?;
            say!("{}", msg::renamed_department(&old.name, &renamed.name));
            Ok(())
        }
        DepartmentsCommand::Merge(args) => {
            let from = find_department(store, &args.from, "FROM")?;
            let into = find_department(store, &args.into, "INTO")?;
            merge(store, ListKind::Department, from, into, &args)
        }
        DepartmentsCommand::Retire(args) => {
            let id = find_department(store, &args.name, "NAME")?;
            retire(store, id, &department(store, id)?.name, args.undo)
        }
    }
}

pub fn categories(store: &Store, command: CategoriesCommand) -> CliResult {
    match command {
        CategoriesCommand::List => {
            let retired = store.retired()?;
            for c in store.categories()?.records {
                say!("{}  {}{}", c.code, c.name, retired_mark(&retired, c.id));
            }
            Ok(())
        }
        CategoriesCommand::Add(args) => {
            let category = Category::new(&args.code, &args.name).map_err(|e| match e.field {
                crate::model::Field::Code => invalid("CODE", &args.code, &e),
                _ => invalid("NAME", &args.name, &e),
            })?;
            category_free(store, &category, None)?;
            store.put_category(&category)?;
            say!("{}", msg::added_category(&category.code, &category.name));
            Ok(())
        }
        CategoriesCommand::Rename(args) => {
            let id = find_category(store, &args.old, "OLD")?;
            let old = category(store, id)?;
            let renamed = Category {
                name: args.new.clone(),
                code: args.code.clone().unwrap_or_else(|| old.code.clone()),
                ..old.clone()
            }
            .validated()
            .map_err(|e| match e.field {
                crate::model::Field::Code => {
                    invalid("--code", args.code.as_deref().unwrap_or(""), &e)
                }
                _ => invalid("NEW", &args.new, &e),
            })?;
            category_free(store, &renamed, Some(id))?;
            store.put_category(&renamed)?;
            say!(
                "{}",
                msg::renamed_category(
                    &format!("{} {}", old.code, old.name),
                    &format!("{} {}", renamed.code, renamed.name)
                )
            );
            Ok(())
        }
        CategoriesCommand::Merge(args) => {
            let from = find_category(store, &args.from, "FROM")?;
            let into = find_category(store, &args.into, "INTO")?;
            merge(store, ListKind::Category, from, into, &args)
        }
        CategoriesCommand::Retire(args) => {
            let id = find_category(store, &args.name, "NAME")?;
            retire(store, id, &category(store, id)?.code, args.undo)
        }
    }
}

fn department(store: &Store, id: Id) -> Result<Department, CliError> {
    store
        .departments()?
        .records
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| CliError::Runtime(format!("department {id} vanished")))
}

fn category(store: &Store, id: Id) -> Result<Category, CliError> {
    store
        .categories()?
        .records
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| CliError::Runtime(format!("category {id} vanished")))
}

/// Names are how people pick a department: no two may share one (name or full name).
fn department_name_free(store: &Store, name: &str, except: Option<Id>, arg: &str) -> CliResult {
    let taken = store
        .departments()?
        .records
        .into_iter()
        .any(|d| Some(d.id) != except && (d.name == name || d.full_name == name));
    if taken {
        return Err(CliError::Input(msg::department_name_taken(arg, name)));
    }
    Ok(())
}

/// Codes and names pick a category: each must be its own.
fn category_free(store: &Store, category: &Category, except: Option<Id>) -> CliResult {
    for c in store.categories()?.records {
        if Some(c.id) == except {
            continue;
        }
        if c.code == category.code {
            return Err(CliError::Input(msg::category_code_taken(&category.code)));
        }
        if c.name == category.name {
            return Err(CliError::Input(msg::category_name_taken(&category.name)));
        }
    }
    Ok(())
}

fn merge(store: &Store, kind: ListKind, from: Id, into: Id, args: &MergeArgs) -> CliResult {
    if from == into {
        return Err(CliError::Input(msg::merge_into_itself(&args.into)));
    }
    if store.is_retired(into)? {
        return Err(CliError::Input(msg::merge_into_retired(&args.into)));
    }
    let author = store.user()?.unwrap_or_else(default_author);
    let moved = store.merge_into(kind, from, into, &author, super::now())?;
    store.set_retired(from, true)?;
    for number in &moved {
        say!("{}", msg::item_moved_to(*number, args.into.trim()));
    }
    say!(
        "{}",
        msg::lists_merged(args.from.trim(), args.into.trim(), moved.len())
    );
    Ok(())
}

fn retire(store: &Store, id: Id, name: &str, undo: bool) -> CliResult {
    store.set_retired(id, !undo)?;
    if undo {
        say!("{}", msg::list_offered_again(name));
    } else {
        say!("{}", msg::list_retired_now(name));
    }
    Ok(())
}
