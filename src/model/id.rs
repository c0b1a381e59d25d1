use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A globally unique, time-ordered id (UUID v7): databases from several laptops can be merged
/// without collisions, and the big-endian bytes sort by creation time, which the store's
/// key ranges rely on.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Id(Uuid);

impl Id {
    pub const LEN: usize = 16;

    /// A new id for the current time.
    pub fn new() -> Self {
        Id(Uuid::now_v7())
    }

    /// An id for a given time and random part: demo data is generated from a seed and must be
    /// the same on every run.
    pub fn from_parts(unix_millis: u64, random: [u8; 10]) -> Self {
        Id(uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid())
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let array: [u8; 16] = bytes.get(..16)?.try_into().ok()?;
        Some(Id(Uuid::from_bytes(array)))
    }

    /// The smallest and largest possible ids, for key ranges.
    pub const MIN: Id = Id(Uuid::nil());
    pub const MAX: Id = Id(Uuid::max());
}

impl Default for Id {
    fn default() -> Self {
        Id::new()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.0.hyphenated())
    }
}

impl FromStr for Id {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_time_and_round_trip_as_text_and_bytes() {
        let early = Id::from_parts(1_000, [9; 10]);
        let late = Id::from_parts(2_000, [0; 10]);
        assert!(early < late);
        assert!(early.as_bytes() < late.as_bytes());
        let text = late.to_string();
        assert_eq!(text.parse::<Id>().unwrap(), late);
        assert_eq!(Id::from_slice(late.as_bytes()), Some(late));
        assert_eq!(Id::from_slice(&[1, 2, 3]), None);
    }

    #[test]
    fn new_ids_are_unique_and_increasing() {
        let ids: Vec<Id> = (0..1000).map(|_| Id::new()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }
}

/// Hashes an id by its random low bytes, without SipHash's cost: filters test a set of ids
/// against every item (a million of them) on each key. Ids are not attacker-chosen keys here.
#[derive(Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_usize(&mut self, _length: usize) {}
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of ids with the cheap hasher.
pub type IdSet = std::collections::HashSet<Id, std::hash::BuildHasherDefault<IdHasher>>;
