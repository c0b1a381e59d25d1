use super::args::AddIssueArgs;
use super::list::{issue_json, Names};
use super::{CliError, CliResult};
use crate::messages as msg;
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
        let id = find_department(store, name, "--department")?;
        draft.department = Some(super::lists::offered(store, id, "--department", name)?);
    }
    if let Some(code) = &args.category {
        let id = find_category(store, code, "--category")?;
        draft.category = Some(super::lists::offered(store, id, "--category", code)?);
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

/// A date, time or duration refused, naming the flag and what was typed.
pub fn when_problem(flag: &str, text: &str, e: &crate::model::when::WhenError) -> CliError {
    let message = crate::messages::when_error(e);
    let lowered = text.trim().to_lowercase();
    if message.contains(&lowered) {
        CliError::Input(format!("{flag}: {message}"))
    } else {
        CliError::Input(format!("{flag}: {}: {message}", text.trim()))
    }
}

/// A department by name or full name.
pub fn find_department(store: &Store, name: &str, flag: &str) -> Result<Id, CliError> {
    let departments = store.departments()?.records;
    let found = departments
        .iter()
        .find(|d| d.name == name.trim() || d.full_name == name.trim());
    found.map(|d| d.id).ok_or_else(|| {
        let known: Vec<&str> = departments.iter().map(|d| d.name.as_str()).collect();
        CliError::Input(msg::no_department_named(
            flag,
            name,
            &if known.is_empty() {
                msg::none_yet().to_string()
            } else {
                known.join(", ")
            },
        ))
    })
}

/// A category by code (any case) or name.
pub fn find_category(store: &Store, code: &str, flag: &str) -> Result<Id, CliError> {
    let categories = store.categories()?.records;
    let wanted = code.trim().to_lowercase();
    let found = categories
        .iter()
        .find(|c| c.code == wanted || c.name == code.trim());
    found.map(|c| c.id).ok_or_else(|| {
        let known: Vec<&str> = categories.iter().map(|c| c.code.as_str()).collect();
        CliError::Input(msg::no_category_named(flag, code, &known.join(", ")))
    })
}

/// The firm a `--firm` names: its full name (ignoring case, width and spaces), else the
/// firm search of the app (Chinese, pinyin, initials) when its best matches are one firm.
/// Several equally good matches are refused with their names: a write must not guess.
pub fn find_firm(store: &Store, name: &str) -> Result<Id, CliError> {
    if name.trim().is_empty() {
        return Err(CliError::Input(msg::firm_empty()));
    }
    if let Some(id) = store.firm_by_name(name)? {
        return Ok(id);
    }
    let mut firms = store.firms()?.records;
    firms.retain(|f| !f.archived);
    let keys = firms
        .iter()
        .map(|f| store.firm_keys(f))
        .collect::<Result<Vec<_>, _>>()?;
    let hits = crate::search::rank(
        &mut crate::search::Searcher::default(),
        &crate::search::Query::new(name),
        firms
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.name.as_str(), f.short_name.as_str(), &keys[i])),
    );
    let Some(best) = hits.first().map(|(_, hit)| hit.rank) else {
        return Err(CliError::Input(msg::no_firm_named(name)));
    };
    let top: Vec<&str> = hits
        .iter()
        .take_while(|(_, hit)| hit.rank == best)
        .map(|(i, _)| firms[*i].name.as_str())
        .collect();
    match top.as_slice() {
        [_] => Ok(firms[hits[0].0].id),
        many => Err(CliError::Input(msg::firm_ambiguous(
            name,
            many.len(),
            &format!(
                "{}{}",
                many.iter().take(10).copied().collect::<Vec<_>>().join(", "),
                if many.len() > 10 { " …" } else { "" }
            ),
        ))),
    }
}

pub use crate::store::default_author;
