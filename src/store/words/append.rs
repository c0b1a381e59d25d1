//! Postings only added to, merged into a key's value as bytes: a bulk write's items are new,
//! and every transaction of an import touches all 8,192 keys of the current range of numbers.
//! Decoding each value into a map of vectors and encoding it back cost an allocation per pair
//! held; here the pairs no change touches are copied as they are, byte for byte.

use super::*;

/// `WordChanges::apply`'s value for changes that all add; `None` when one removes, or when
/// the value is not as `encode` writes it (pairs in order, numbers sorted), for `apply` to
/// decode (and report it damaged).
pub(super) fn merge_additions(
    value: Option<&[u8]>,
    changes: &[(Gram, u32, bool)],
) -> Option<Vec<u8>> {
    if changes.iter().any(|&(_, _, added)| !added) {
        return None;
    }
    let mut added: Vec<(Gram, u32)> = changes.iter().map(|&(g, n, _)| (g, n)).collect();
    added.sort_unstable();
    let old = value.unwrap_or(&[FORMAT]);
    if old.first() != Some(&FORMAT) {
        return None;
    }
    let mut out = Vec::with_capacity(old.len() + added.len() * 3);
    out.push(FORMAT);
    let mut next = 0;
    let mut at = 1;
    let mut previous: Option<Gram> = None;
    let mut numbers = Vec::new();
    while at < old.len() {
        let start = at;
        let gram = get_varint(old, &mut at)?;
        if previous.is_some_and(|p| p >= gram) {
            return None;
        }
        previous = Some(gram);
        let count = get_varint(old, &mut at)?;
        while next < added.len() && added[next].0 < gram {
            next = put_added(&mut out, &added, next, &mut numbers);
        }
        if added.get(next).is_some_and(|a| a.0 == gram) {
            numbers.clear();
            let mut last = 0u64;
            for _ in 0..count {
                last += get_varint(old, &mut at)?;
                numbers.push(u32::try_from(last).ok()?);
            }
            let end = run_end(&added, next);
            numbers.extend(added[next..end].iter().map(|&(_, n)| n));
            numbers.sort_unstable();
            put_entry(&mut out, gram, &numbers);
            next = end;
        } else {
            for _ in 0..count {
                get_varint(old, &mut at)?;
            }
            out.extend_from_slice(&old[start..at]);
        }
    }
    while next < added.len() {
        next = put_added(&mut out, &added, next, &mut numbers);
    }
    Some(out)
}

/// The end of the run of `added` (sorted) sharing the pair at `from`.
fn run_end(added: &[(Gram, u32)], from: usize) -> usize {
    let gram = added[from].0;
    added[from..]
        .iter()
        .position(|&(g, _)| g != gram)
        .map_or(added.len(), |k| from + k)
}

/// A pair the value did not hold, with its added numbers; returns where the next pair starts.
fn put_added(
    out: &mut Vec<u8>,
    added: &[(Gram, u32)],
    from: usize,
    numbers: &mut Vec<u32>,
) -> usize {
    let end = run_end(added, from);
    numbers.clear();
    numbers.extend(added[from..end].iter().map(|&(_, n)| n));
    put_entry(out, added[from].0, numbers);
    end
}

/// One pair and its numbers (sorted), as `encode` writes them.
fn put_entry(out: &mut Vec<u8>, gram: Gram, numbers: &[u32]) {
    put_varint(out, gram);
    put_varint(out, numbers.len() as u64);
    let mut last = 0;
    for &n in numbers {
        put_varint(out, u64::from(n - last));
        last = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each change applied the slow way, for comparison.
    fn decoded(value: Option<&[u8]>, changes: &[(Gram, u32, bool)]) -> Option<Vec<u8>> {
        WordChanges::apply(&[0; 4], value, changes).unwrap()
    }

    /// Additions merged as bytes give the bytes decoding, adding and encoding give: into
    /// nothing, before, between and after held pairs, to a held pair, and a number twice.
    #[test]
    fn merged_additions_are_what_decoding_writes() {
        let mut held = Postings::new();
        held.insert(5, vec![1, 300, 70_000]);
        held.insert(1 << 40, vec![2]);
        held.insert(9_999, vec![4, 4, 128]);
        let value = encode(&held);
        let changes = vec![
            (9_999, 5, true),
            (1, 131_071, true),
            (5, 2, true),
            (7, 3, true),
            (u64::MAX >> 1, 200, true),
            (9_999, 4, true),
            (7, 1, true),
        ];
        for value in [None, Some(&value[..])] {
            let merged = merge_additions(value, &changes);
            assert!(merged.is_some());
            assert_eq!(merged, decoded(value, &changes));
        }
    }

    /// A removal, or a value not in `encode`'s order, goes the slow way.
    #[test]
    fn removals_and_odd_values_are_left_to_decoding() {
        assert_eq!(merge_additions(None, &[(1, 1, true), (1, 1, false)]), None);
        let mut out = vec![FORMAT];
        put_entry(&mut out, 9, &[1]);
        put_entry(&mut out, 3, &[1]);
        assert_eq!(merge_additions(Some(&out), &[(4, 2, true)]), None);
        assert_eq!(merge_additions(Some(b"\x02junk"), &[(4, 2, true)]), None);
    }
}
