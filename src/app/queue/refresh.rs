//! Applying the filter and sort: items changed put in their places, matches shown.

use super::*;

/// Re-applies the filter and sort, keeping the selected item selected. Items changed since
/// the last time are put in their places; the rest is only redone when the filter, the sort
/// or the day changed.
pub fn refresh(app: &mut App) {
    app.issues.refresh_pending = false;
    if !app.issues.loaded {
        return;
    }
    let today = app.today();
    if app.issues.tally_day != Some(today) {
        app.issues.tally = app.issues.table.tally(today);
        app.issues.tally_day = Some(today);
        // What is overdue moved with the day.
        app.issues.applied = None;
    }
    let selected = app
        .issues
        .reselect
        .take()
        .or_else(|| app.issues.selected_number());
    // A `firm:` term is matched with the Firms search's keys.
    app.firms.wait_for_keys();
    match resolve(app, &app.issues.filter_input.text.clone()) {
        Ok((resolved, sort)) => {
            app.issues.filter_error = None;
            let unsearched: Vec<String> = resolved
                .text_terms()
                .into_iter()
                .filter(|w| !app.issues.table.searched_deep(w))
                .map(str::to_string)
                .collect();
            if !unsearched.is_empty() && app.mode() != Mode::Filter {
                search_deep(app, unsearched);
            }
            if let Some(sort) = sort {
                app.issues.sort = sort;
            }
            let unchanged = app
                .issues
                .applied
                .as_ref()
                .is_some_and(|(f, s)| *f == resolved && *s == app.issues.sort);
            if unchanged && app.issues.orders.contains_key(&app.issues.sort) {
                place_changed(app, today);
            } else {
                show_matches(app, resolved, today);
            }
        }
        // A filter still being typed may not parse; the last good list stays.
        Err(e) => {
            app.issues.filter_error = Some(e);
            place_changed(app, today);
        }
    }
    let at = selected.and_then(|n| shown_index(app, n));
    let queue = &mut app.issues;
    queue.cursor.set_len(queue.shown.len());
    if let Some(at) = at {
        queue.cursor.select(at);
    }
}

/// Where the item numbered `number` is in the list shown: found by its key (a binary
/// search), not by a walk through a list that may hold a million items.
fn shown_index(app: &App, number: u32) -> Option<usize> {
    let queue = &app.issues;
    let table = &queue.table;
    let position = table.position_of_number(number)?;
    let sort = queue.shown_sort();
    let rank = firm_rank(app);
    let key = table.sort_key(position, sort, &rank);
    queue.shown.index_of(position as u32, |i| {
        table.sort_key(i as usize, sort, &rank) < key
    })
}

fn firm_rank(app: &App) -> impl Fn(Id) -> u32 + '_ {
    |id: Id| {
        app.lookup
            .firms
            .get(&id)
            .map(|i| *i as u32)
            .unwrap_or(u32::MAX)
    }
}

/// Puts the items changed since the last refresh back into each kept order and, when they
/// pass the filter, into the list.
fn place_changed(app: &mut App, today: NaiveDate) {
    let placing = std::mem::take(&mut app.issues.placing);
    if placing.is_empty() {
        return;
    }
    let mut orders = std::mem::take(&mut app.issues.orders);
    let mut shown = std::mem::take(&mut app.issues.shown);
    let mut behind = std::mem::take(&mut app.issues.behind);
    place_in(app, &placing, &mut orders, &mut behind, &mut shown, today);
    app.issues.orders = orders;
    app.issues.behind = behind;
    app.issues.shown = shown;
}

fn place_in(
    app: &App,
    placing: &[u32],
    orders: &mut HashMap<SortKey, Positions>,
    behind: &mut HashMap<SortKey, Vec<u32>>,
    shown: &mut Positions,
    today: NaiveDate,
) {
    let rank = firm_rank(app);
    let queue = &app.issues;
    let table = &queue.table;
    let key = |p: u32, sort: SortKey| table.sort_key(p as usize, sort, &rank);
    // The order shown only; the others catch up when next used (`catch_up`).
    let shown_sort = queue.shown_sort();
    for (sort, order) in orders.iter_mut() {
        if *sort != shown_sort {
            let behind = behind.entry(*sort).or_default();
            for p in placing {
                if !behind.contains(p) {
                    behind.push(*p);
                }
            }
            continue;
        }
        for p in placing {
            let k = key(*p, *sort);
            order.insert_sorted(*p, |i| key(i, *sort) < k);
        }
    }
    for p in placing {
        let passes = queue
            .applied
            .as_ref()
            .is_none_or(|(f, _)| f.matches(&table.view(*p as usize), today));
        if passes {
            let k = key(*p, queue.sort);
            shown.insert_sorted(*p, |i| key(i, queue.sort) < k);
        }
    }
}

fn resolve(app: &App, text: &str) -> Result<(Resolved, Option<SortKey>), FilterError> {
    let filter = query::parse(text)?;
    let state = &app.firms;
    let firms = |q: &str| {
        let mut memo = app.issues.firm_matches.borrow_mut();
        match memo.as_ref() {
            Some((text, count, ids)) if text == q && *count == state.all.len() => ids.clone(),
            _ => {
                let ids = query::firms_matching(q, &state.all, &state.keys);
                *memo = Some((q.to_string(), state.all.len(), ids.clone()));
                ids
            }
        }
    };
    let departments = &app.lookup.department_list;
    let categories = &app.lookup.category_list;
    let names = query::Names {
        departments: departments
            .iter()
            .map(|d| (d.id, d.name.as_str(), d.full_name.as_str()))
            .collect(),
        categories: categories
            .iter()
            .map(|c| (c.id, c.code.as_str(), c.name.as_str()))
            .collect(),
        firms: &firms,
        me: &app.user,
        conflicted: &app.issues.conflicted,
    };
    Ok((filter.resolve(&names)?, filter.sort))
}

/// Filters every item in the order of the current sort (sorted once per sort and kept).
fn show_matches(app: &mut App, filter: Resolved, today: NaiveDate) {
    // Changed items go back into the kept orders first; the list is then made anew.
    place_changed(app, today);
    let sort = app.issues.sort;
    if !app.issues.orders.contains_key(&sort) {
        let order = app.issues.table.sorted(sort, &firm_rank(app));
        app.issues.orders.insert(sort, order);
        app.issues.behind.remove(&sort);
    }
    let rank: Vec<(Id, u32)> = if sort == SortKey::Firm {
        app.lookup
            .firms
            .iter()
            .map(|(id, i)| (*id, *i as u32))
            .collect()
    } else {
        Vec::new()
    };
    let rank: HashMap<Id, u32> = rank.into_iter().collect();
    app.issues
        .catch_up(sort, &|id| rank.get(&id).copied().unwrap_or(u32::MAX));
    if app.issues.applied.is_none() {
        // The lists of earlier filters may miss changed items.
        app.issues.earlier.clear();
    }
    let queue = &app.issues;
    // Typing on at the end of a filter only narrows it: look among what is shown, or what
    // an earlier filter it narrows showed (`due:7d -v` after `due:7d`), the shortest.
    // Words found in details and responses may pass items the shorter word did not.
    let deep = filter
        .text_terms()
        .iter()
        .any(|w| queue.table.searched_deep(w));
    let narrowed = queue
        .applied
        .as_ref()
        .map(|(f, s)| (f, *s, &queue.shown))
        .into_iter()
        .chain(queue.earlier.iter().map(|(f, s, list)| (f, *s, list)))
        .filter(|(before, s, _)| !deep && *s == sort && filter.narrows(before))
        .map(|(_, _, list)| list)
        .min_by_key(|list| list.len());
    let narrowing = narrowed.is_some();
    let order = narrowed.unwrap_or(&queue.orders[&sort]);
    let among = if filter.is_empty() {
        None
    } else {
        candidates(app, &filter, order.len(), narrowing)
    };
    let shown = if filter.is_empty() {
        order.clone()
    } else {
        queue.table.filter(order, &filter, today, among.as_deref())
    };
    let queue = &mut app.issues;
    let before = std::mem::replace(&mut queue.shown, shown);
    if let Some((f, s)) = queue.applied.replace((filter, sort)) {
        // Kept while short enough to pay: a few megabytes at most.
        if before.len() <= queue.table.len() / 2 {
            queue.earlier.push((f, s, before));
            if queue.earlier.len() > EARLIER_KEPT {
                queue.earlier.remove(0);
            }
        }
    }
}

/// Lists of earlier filters kept to narrow from.
const EARLIER_KEPT: usize = 4;

/// The rows that can hold the filter's words of two or more characters, from the store's
/// word index (a superset: the whole filter still runs on each), when the list to filter is
/// long enough for the index's read (about a millisecond at a million items) to pay.
fn candidates(app: &App, filter: &Resolved, list: usize, narrowing: bool) -> Option<Vec<u64>> {
    if narrowing && list < 20_000 {
        return None;
    }
    let words: Vec<&str> = filter
        .checks()
        .iter()
        .filter_map(|(negated, check)| match check {
            crate::query::Check::Text(needle) if !negated => Some(needle.text()),
            _ => None,
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    // A store that cannot answer leaves the filter to test every row.
    let numbers = app.store.numbers_with_words(&words).ok()??;
    Some(app.issues.table.positions_numbered(&numbers))
}
