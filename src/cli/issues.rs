use super::args::AddIssueArgs;
use super::list::{issue_json, Names};
use super::{CliError, CliResult};
use crate::model::{Id, IssueDraft};
use crate::store::Store;

/// `issues add`: finds the firm, department and category by name, raises the item, prints #N.
pub fn add(store: &Store, args: AddIssueArgs) -> CliResult {
    let firm = find_firm(store, &args.firm)?;
    let mut draft = IssueDraft::new(firm, &args.title);
    draft.detail = args.detail;
    if let Some(p) = args.priority {
        draft.priority = p;
    }
    draft.due = args.due;
    if let Some(name) = &args.department {
        let departments = store.departments()?.records;
        let found = departments
            .iter()
            .find(|d| d.name == name.trim() || d.full_name == name.trim());
        draft.department = Some(found.map(|d| d.id).ok_or_else(|| {
            let known: Vec<&str> = departments.iter().map(|d| d.name.as_str()).collect();
            CliError::Input(format!(
                "--department: no department named {name}; known: {}",
                if known.is_empty() {
                    "none yet".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })?);
    }
    if let Some(code) = &args.category {
        let categories = store.categories()?.records;
        let wanted = code.trim().to_lowercase();
        let found = categories
            .iter()
            .find(|c| c.code == wanted || c.name == code.trim());
        draft.category = Some(found.map(|c| c.id).ok_or_else(|| {
            let known: Vec<&str> = categories.iter().map(|c| c.code.as_str()).collect();
            CliError::Input(format!(
                "--category: no category {code}; known: {}",
                known.join(", ")
            ))
        })?);
    }
    let author = store.user()?.unwrap_or_else(default_author);
    let issue = store
        .create_issue(draft, &author, super::now())
        .map_err(|e| match e {
            crate::store::StoreError::Invalid(field) => CliError::Input(format!(
                "--{}: {}",
                flag_for(field.field),
                crate::messages::problem(&field.problem)
            )),
            other => other.into(),
        })?;
    if args.json {
        let names = Names::load(store)?;
        println!(
            "{}",
            crate::transfer::json::to_string(&issue_json(&issue, &names))
        );
    } else {
        say!("#{}", issue.number);
    }
    Ok(())
}

fn flag_for(field: crate::model::Field) -> &'static str {
    use crate::model::Field;
    match field {
        Field::Title => "title",
        Field::Due => "due",
        Field::Detail => "detail",
        _ => "firm",
    }
}

/// Full name (ignoring case, width and spaces), else the one firm whose short name or name
/// contains the text.
pub fn find_firm(store: &Store, name: &str) -> Result<Id, CliError> {
    if name.trim().is_empty() {
        return Err(CliError::Input("--firm: must not be empty".into()));
    }
    if let Some(id) = store.firm_by_name(name)? {
        return Ok(id);
    }
    let needle = crate::model::name_key(name);
    let firms = store.firms()?.records;
    let matches: Vec<_> = firms
        .iter()
        .filter(|f| {
            crate::model::name_key(&f.short_name) == needle
                || crate::model::name_key(&f.name).contains(&needle)
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.id),
        [] => Err(CliError::Input(format!("--firm: no firm named {name}"))),
        many => Err(CliError::Input(format!(
            "--firm: {name} matches {} firms ({}…); give the full name",
            many.len(),
            many.iter()
                .take(3)
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The login name, as the user setting would take it; `liaison` when there is none or it is
/// not a name the setting takes (a control character, more than 60 characters).
pub fn default_author() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .and_then(|name| crate::model::clean_author(&name).ok())
        .unwrap_or_else(|| "liaison".into())
}
