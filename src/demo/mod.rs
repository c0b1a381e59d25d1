//! Demo data: the article's firms, visits and items, then synthetic rows at any scale.

pub mod article;
mod rng;
pub mod synth;

pub use rng::Rng;

use crate::model::{Id, LocalTime, VisitStatus};
use crate::store::{Store, StoreError};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Totals wanted; the article's records count towards them and are always written.
    pub firms: usize,
    pub visits: usize,
    pub issues: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            firms: 0,
            visits: 0,
            issues: 0,
            seed: 20221216,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub firms: usize,
    pub visits: usize,
    pub issues: usize,
}

/// Writes the demo into `store` (which should be empty) and flushes it.
pub fn seed(store: &Store, options: &DemoOptions, now: LocalTime) -> Result<Seeded, StoreError> {
    seed_into(store, options, now, false)
}

/// As `seed`, into a new database nobody reads until it is done (a scratch database that is
/// thrown away if this stops part way): items are written without transactions
/// (`Store::load_into_empty`), several times faster at a million items.
pub fn seed_scratch(
    store: &Store,
    options: &DemoOptions,
    now: LocalTime,
) -> Result<Seeded, StoreError> {
    seed_into(store, options, now, true)
}

fn seed_into(
    store: &Store,
    options: &DemoOptions,
    now: LocalTime,
    scratch: bool,
) -> Result<Seeded, StoreError> {
    let mut rng = Rng::new(options.seed);
    let categories: Vec<(String, Id)> = store
        .categories()?
        .records
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect();
    let category_map: HashMap<String, Id> = categories.iter().cloned().collect();
    let article = article::load(now, &mut rng, &category_map);
    if store.user()?.is_none() {
        store.set_user(&article.user)?;
    }
    for department in &article.departments {
        store.put_department(department)?;
    }
    let department_ids: Vec<Id> = article.departments.iter().map(|d| d.id).collect();
    let department_names: Vec<String> =
        article.departments.iter().map(|d| d.name.clone()).collect();

    let mut firm_ids: Vec<Id> = article.firms.iter().map(|f| f.id).collect();
    let mut taken: HashSet<String> = article
        .firms
        .iter()
        .map(|f| crate::model::name_key(&f.name))
        .collect();
    // Past visits that took place: the synthetic items are raised in them.
    let mut held: Vec<(Id, Id, LocalTime)> = article
        .visits
        .iter()
        .filter(|v| v.status == VisitStatus::Done)
        .map(|v| (v.id, v.firm, v.start))
        .collect();
    let mut seeded = Seeded {
        firms: article.firms.len(),
        visits: article.visits.len(),
        issues: article.issues.len(),
    };

    let mut bulk = if scratch {
        store.load_into_empty()?
    } else {
        store.bulk()
    };
    for firm in article.firms {
        bulk.firm(firm)?;
    }
    for visit in article.visits {
        bulk.visit(visit)?;
    }
    for (issue, events) in article.issues {
        bulk.issue(issue, events)?;
    }

    let ctx = synth::Context {
        now,
        user: &article.user,
        departments: &department_ids,
        categories: &categories,
    };
    while seeded.firms < options.firms {
        let firm = synth::firm(&mut rng, &ctx, &mut taken);
        firm_ids.push(firm.id);
        bulk.firm(firm)?;
        seeded.firms += 1;
    }
    while seeded.visits < options.visits {
        let visit = synth::visit(&mut rng, &ctx, &firm_ids, &department_names);
        if visit.status == VisitStatus::Done {
            held.push((visit.id, visit.firm, visit.start));
        }
        bulk.visit(visit)?;
        seeded.visits += 1;
    }
    while seeded.issues < options.issues {
        let origin = if !held.is_empty() && rng.chance(0.7) {
            let (visit, firm, start) = *rng.pick(&held);
            (
                firm,
                Some(visit),
                (start + chrono::Duration::minutes(45)).min(now),
            )
        } else {
            let days_ago = rng.range(1, 3 * 365);
            let raised = now
                - chrono::Duration::days(days_ago)
                - chrono::Duration::minutes(rng.range(0, 600));
            (*rng.pick(&firm_ids), None, raised)
        };
        let (issue, events) = synth::issue(&mut rng, &ctx, origin);
        bulk.issue(issue, events)?;
        seeded.issues += 1;
    }
    bulk.finish()?;
    Ok(seeded)
}

#[cfg(test)]
mod tests;
