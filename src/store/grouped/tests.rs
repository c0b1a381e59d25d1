use super::*;

fn status_layout() -> Layout {
    layout(IDX_ISSUE_STATUS).unwrap()
}

#[test]
fn members_stay_sorted_and_unique() {
    let layout = layout(IDX_ISSUE_FIRM).unwrap();
    let mut group = Vec::new();
    let ids: Vec<[u8; 16]> = [5u8, 1, 9, 3].iter().map(|b| [*b; 16]).collect();
    for id in &ids {
        group = layout.with(&group, id, &[1]);
    }
    group = layout.with(&group, &ids[0], &[4]);
    let members: Vec<(Vec<u8>, Vec<u8>)> = layout
        .members(&group)
        .map(|(s, v)| (s.to_vec(), v.to_vec()))
        .collect();
    let suffixes: Vec<u8> = members.iter().map(|(s, _)| s[0]).collect();
    assert_eq!(suffixes, vec![1, 3, 5, 9]);
    assert_eq!(layout.get(&group, &[5; 16]), Some(vec![4]));
    let group = layout.without(&group, &[3; 16]).unwrap();
    assert_eq!(layout.get(&group, &[3; 16]), None);
    assert_eq!(layout.without(&group, &[3; 16]), None);
    assert_eq!(group.len(), 3 * 17);
}

#[test]
fn a_group_out_of_shape_is_not_well_formed() {
    let layout = status_layout();
    let suffix = [7u8; 16];
    let (key, _) = layout.split(&[[2u8].as_slice(), &suffix].concat()).unwrap();
    let group = layout.with(&[], &suffix, &[]);
    assert!(layout.well_formed(&key, &group));
    assert!(!layout.well_formed(&key, &group[..15]));
    assert!(!layout.well_formed(&key[..2], &group));
    let mut other = key.clone();
    *other.last_mut().unwrap() ^= 1;
    assert!(
        !layout.well_formed(&other, &group),
        "a member in the wrong bucket"
    );
    let twice = [group.clone(), group].concat();
    assert!(!layout.well_formed(&key, &twice), "a member twice");
}

#[test]
fn the_number_index_has_one_bucket_a_group() {
    let layout = layout(IDX_ISSUE_NUMBER).unwrap();
    let id = [3u8; 16];
    let mut group = Vec::new();
    for low in [9u8, 2, 200] {
        group = layout.with(&group, &[low], &id);
    }
    let (key, suffix) = layout.split(&[0, 0, 1, 200]).unwrap();
    assert_eq!(key, vec![0, 0, 1]);
    assert!(layout.well_formed(&key, &group));
    assert_eq!(layout.get(&group, suffix), Some(id.to_vec()));
    let twice = [group.clone(), group].concat();
    assert!(!layout.well_formed(&key, &twice), "members out of order");
}
