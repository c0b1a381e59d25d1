//! Reading the items in the background, searching their details in the background, and
//! taking in what arrives.

use super::*;

/// Reads the saved views, then starts reading the items in the background.
pub(in crate::app) fn start_loading(app: &mut App) -> Result<(), StoreError> {
    let queue = &mut app.issues;
    queue.views = builtin_views();
    if let Some(department) = app.store.desk_department()? {
        // A department's desk opens on what was handed to it.
        queue.views.insert(0, handed_to_us(&department));
    }
    for view in app.store.views()?.records {
        queue.views.push(View {
            name: view.name,
            filter: view.filter,
            sort: SortKey::parse(&view.sort).unwrap_or_default(),
            saved: Some(view.id),
        });
    }
    if queue.view.is_none() && queue.filter_input.text.is_empty() {
        queue.view = Some(0);
        queue.filter_input = TextInput::with_text(&queue.views[0].filter);
        queue.sort = queue.views[0].sort;
    }
    let store = app.store.clone();
    queue.loaded = false;
    queue.reading = true;
    // The firms' places by name as they are now: the order by firm is sorted with the others
    // (its first switch would otherwise sort a million items on a keystroke) and kept only if
    // no firm was added or renamed meanwhile.
    let firm_ranks = app.lookup.firms.clone();
    background::keep_large_blocks_apart();
    background::share_one_heap();
    background::spawn(
        &app.outbox,
        crate::messages::ITEMS_READING_STOPPED.get(),
        move || read_table(&store, firm_ranks),
        |read| Done::Items(read.map(Box::new)),
    );
    Ok(())
}

fn read_table(store: &Store, firm_ranks: HashMap<Id, usize>) -> Result<Loaded, StoreError> {
    let items = store.counts()?.issues() as usize;
    let numbers = store.next_issue_number()? as usize + 1;
    // Decoding a million items is most of the start: two threads (the machines this runs on
    // have two cores or more) each read half of the groups into a table of their own.
    let parts = if items < 20_000 { 1 } else { 2 };
    let read_part = |part: usize| -> Result<(Table, Vec<Damaged>), StoreError> {
        let mut table = Table::default();
        let mut damaged = Vec::new();
        let share = items / parts + items / 50;
        table.reserve(share, numbers);
        let mut read = 0;
        store.each_issue_summary_part(part, parts, |item| {
            match item {
                Ok(issue) => {
                    table.push_read(&issue);
                    read += 1;
                    if read == 1000 {
                        table.reserve(share, numbers);
                    }
                }
                Err(d) => damaged.push(d),
            }
            Ok(())
        })?;
        Ok((table, damaged))
    };
    let (mut table, mut damaged) = std::thread::scope(|scope| {
        let others: Vec<_> = (1..parts)
            .map(|part| scope.spawn(move || read_part(part)))
            .collect();
        let (mut table, mut damaged) = read_part(0)?;
        if parts == 1 {
            table.index_numbers();
        }
        for other in others {
            let (part, more) = other.join().map_err(|_| {
                StoreError::Engine(crate::messages::ITEMS_READING_STOPPED.get().to_string())
            })??;
            table.append(&part);
            damaged.extend(more);
        }
        Ok::<_, StoreError>((table, damaged))
    })?;
    table.shrink_to_fit();
    damaged.shrink_to_fit();
    let rank = |id: Id| firm_ranks.get(&id).map_or(u32::MAX, |i| *i as u32);
    // The kept orders, sorted on both threads.
    let sorts: Vec<SortKey> = SortKey::ALL.into_iter().collect();
    let (first, second) = sorts.split_at(sorts.len() / 2);
    let table_ref = &table;
    let rank_ref = &rank;
    let orders: HashMap<SortKey, Positions> = std::thread::scope(|scope| {
        let sort_all = move |list: &[SortKey]| -> Vec<(SortKey, Positions)> {
            list.iter()
                .map(|s| (*s, table_ref.sorted(*s, rank_ref)))
                .collect()
        };
        let other = scope.spawn(move || sort_all(second));
        let mut orders = sort_all(first);
        orders.extend(other.join().unwrap_or_default());
        orders.into_iter().collect()
    });
    // A million items decoded one by one and four sorts' keys leave tens of megabytes freed
    // in this thread's heap, which the allocator would otherwise keep for the whole session.
    background::return_freed_memory();
    Ok(Loaded {
        table,
        orders,
        firm_ranks,
        damaged,
    })
}

/// Is the background load or a search still running?
pub fn loading(app: &App) -> bool {
    app.issues.reading || app.issues.deep_search.is_some()
}

/// Searches details, resolutions and responses for the filter's words not searched yet, in
/// the background: they are not in memory, and reading a million items takes seconds. Runs
/// once the officer has finished typing the filter; titles are matched as they type.
pub(super) fn search_deep(app: &mut App, needles: Vec<String>) {
    if app.issues.deep_search.is_some() {
        return;
    }
    let store = app.store.clone();
    let words = needles.clone();
    let sent = needles.clone();
    let work = move || {
        let mut found = vec![Vec::new(); words.len()];
        store.each_issue_with_text(|item| {
            if let Ok((issue, responses)) = item {
                for (word, numbers) in words.iter().zip(found.iter_mut()) {
                    if deep_text_holds(&issue, &responses, word) {
                        numbers.push((issue.id, issue.number));
                    }
                }
            }
            Ok(())
        })?;
        Ok(found)
    };
    background::spawn(
        &app.outbox,
        crate::messages::SEARCH_STOPPED.get(),
        work,
        move |found| Done::Search { words: sent, found },
    );
    app.issues.deep_search = Some(needles);
}

/// Takes in the result of background work. Returns the damaged records the load found.
pub(in crate::app) fn arrived(app: &mut App, done: Done) -> Result<Vec<Damaged>, StoreError> {
    // Firms may have come with it (a sync, a bundle) or their search keys.
    app.issues.firm_matches.take();
    match done {
        Done::Items(result) => finish_loading(app, result),
        Done::FirmKeys => {
            app.firms.wait_for_keys();
            Ok(Vec::new())
        }
        Done::Synced(outcome) => {
            crate::app::server_sync::arrived(app, outcome);
            Ok(Vec::new())
        }
        Done::Reports(read) => crate::app::reports::arrived(app, read.map(|read| *read)),
        Done::ReportsAhead(ahead) => {
            crate::app::reports::ahead_arrived(app, ahead.map(|ahead| *ahead));
            Ok(Vec::new())
        }
        Done::Bundle(outcome) => {
            crate::app::conflicts::imported(app, outcome)?;
            Ok(Vec::new())
        }
        Done::Search { words, found } => {
            // A search for words no longer wanted (the load started another) is dropped.
            if app.issues.deep_search.as_ref() != Some(&words) {
                return Ok(Vec::new());
            }
            app.issues.deep_search = None;
            for (needle, numbers) in words.into_iter().zip(found?) {
                app.issues.table.add_deep(needle, &numbers);
            }
            app.issues.applied = None;
            refresh(app);
            Ok(Vec::new())
        }
    }
}

/// An item's responses or detail changed: searches already made are brought up to date.
pub fn texts_changed(app: &mut App, issue: &Issue) -> Result<(), StoreError> {
    if !app.issues.table.has_deep() {
        // Nothing searched beyond titles yet: no need to read the responses.
        return Ok(());
    }
    let responses = app.store.response_text(issue.id)?;
    app.issues.table.update_deep(issue, &responses);
    Ok(())
}

/// Takes the items read in the background. Returns the records that could not be read.
fn finish_loading(
    app: &mut App,
    result: Result<Box<Loaded>, StoreError>,
) -> Result<Vec<Damaged>, StoreError> {
    app.issues.reading = false;
    let loaded = *result?;
    let queue = &mut app.issues;
    queue.table = loaded.table;
    queue.loaded = true;
    queue.tally_day = None;
    queue.orders = loaded.orders;
    if loaded.firm_ranks != app.lookup.firms {
        // A firm was added or renamed while the items were read.
        queue.orders.remove(&SortKey::Firm);
    }
    queue.behind.clear();
    let pending = std::mem::take(&mut queue.pending);
    if !pending.is_empty() {
        // Written while the items were read: sort again rather than place each.
        for issue in pending {
            queue.table.upsert(&issue);
        }
        queue.orders.clear();
    }
    queue.applied = None;
    refresh(app);
    Ok(loaded.damaged)
}

/// Called after firms were added or renamed: the order by firm name is worked out again.
pub fn firms_changed(app: &mut App) {
    app.issues.firm_matches.take();
    app.issues.orders.remove(&SortKey::Firm);
    app.issues.behind.remove(&SortKey::Firm);
    if app.issues.sort == SortKey::Firm {
        app.issues.applied = None;
    }
}
