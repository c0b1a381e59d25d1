use super::*;

#[test]
fn records_stay_in_key_order_and_come_back_whole() {
    // Keys of one group: found by trying ids until their group matches.
    let target = group_of(&[0u8; 16]);
    let keys: Vec<[u8; 16]> = (0u32..200_000)
        .map(|i| {
            let mut k = [0u8; 16];
            k[12..].copy_from_slice(&i.to_be_bytes());
            k
        })
        .filter(|k| group_of(k) == target)
        .take(3)
        .collect();
    assert_eq!(keys.len(), 3);
    let mut group = Vec::new();
    for (k, v) in [
        (keys[2], &b"third"[..]),
        (keys[0], b"first"),
        (keys[1], b""),
    ] {
        let records = members(&target, &group).unwrap_or_default();
        group = rebuilt(&records, &k, Some(v));
    }
    let records = members(&target, &group).unwrap();
    let found: Vec<(&[u8], &[u8])> = records.clone();
    assert_eq!(found[0], (&keys[0][..], &b"first"[..]));
    assert_eq!(found[1], (&keys[1][..], &b""[..]));
    assert_eq!(found[2], (&keys[2][..], &b"third"[..]));
    let without = rebuilt(&records, &keys[1], None);
    assert_eq!(members(&target, &without).unwrap().len(), 2);
    // Cut short, or filed under another group: out of shape.
    assert!(members(&target, &group[..group.len() - 1]).is_none());
    let mut other = target;
    other[1] ^= 1;
    assert!(members(&other, &group).is_none());
}

#[test]
fn a_packed_group_unpacks_to_its_plain_bytes_and_damage_is_refused() {
    let plain = b"0123456789abcdef\0\0\0\x05fives fives fives fives".to_vec();
    // Items stay plain; histories are packed, and a plain group still reads.
    assert_eq!(packed(ISSUES, plain.clone()), plain);
    let stored = packed(HISTORY, plain.clone());
    assert!(is_packed_group(HISTORY, &stored));
    assert!(!is_packed_group(ISSUES, &stored));
    assert_eq!(unpacked(HISTORY, &stored).unwrap()[..], plain[..]);
    assert_eq!(unpacked(HISTORY, &plain).unwrap()[..], plain[..]);
    // Cut short, or claiming gigabytes: not read (the group is malformed).
    assert!(unpacked(HISTORY, &stored[..stored.len() - 3]).is_none());
    let mut huge = stored.clone();
    huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(unpacked(HISTORY, &huge).is_none());
}
