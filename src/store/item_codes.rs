//! Item numbers across ledgers (docs/sync.md): each ledger has a short code from its actor,
//! and an item from another ledger is filed under its ledger's code and number (`CODE-N`).
//! Also the firms created on two ledgers under one name.

use super::*;
use std::collections::{BTreeMap, HashSet};

/// A ledger's short code: five letters and digits from its actor's random bits, the same on
/// every laptop. Items are quoted across ledgers as `CODE-N`.
pub fn ledger_code(actor: Id) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = actor.as_bytes();
    let bits = u64::from_be_bytes(bytes[8..16].try_into().expect("8 bytes"));
    (0..5)
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

pub(super) fn item_code_key(code: &str, number: u32) -> Vec<u8> {
    let mut key = code.as_bytes().to_vec();
    key.push(b'-');
    key.extend_from_slice(&number.to_be_bytes());
    key
}

impl Store {
    /// This ledger's code (`ledger_code` of its actor).
    pub fn ledger_code(&self) -> Result<String, StoreError> {
        Ok(ledger_code(self.actor()?))
    }

    /// The item quoted as `CODE-N`: this ledger's own by plain number, another's by the code
    /// its ledger gave it.
    pub fn issue_by_code(&self, code: &str, number: u32) -> Result<Option<Issue>, StoreError> {
        let code = code.to_ascii_uppercase();
        if code == self.ledger_code()? {
            return self.issue_by_number(number);
        }
        match self.trees[ITEM_CODES].get(item_code_key(&code, number))? {
            Some(id) => match Id::from_slice(&id) {
                Some(id) => self.issue(id),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// The code an item is quoted by across ledgers (`CODE-N`).
    pub fn item_code(&self, issue: &Issue) -> Result<String, StoreError> {
        for entry in self.trees[ITEM_CODES].iter() {
            let (key, value) = entry?;
            if value.as_ref() == issue.id.as_bytes() && key.len() > 5 {
                return Ok(format!(
                    "{}-{}",
                    String::from_utf8_lossy(&key[..5]),
                    issue.number
                ));
            }
        }
        Ok(format!("{}-{}", self.ledger_code()?, issue.number))
    }

    /// Items from other ledgers, by code (`CODE-N` → id).
    pub(super) fn foreign_items(&self) -> Result<HashSet<Id>, StoreError> {
        let mut out = HashSet::new();
        for entry in self.trees[ITEM_CODES].iter() {
            out.extend(Id::from_slice(&entry?.1));
        }
        Ok(out)
    }

    /// Firms with the same name (after trimming, ignoring case and width) more than once:
    /// the same firm created on two laptops, for someone to merge (`firms merge`).
    pub fn likely_duplicates(&self) -> Result<Vec<Vec<Firm>>, StoreError> {
        let mut by_name: BTreeMap<String, Vec<Firm>> = BTreeMap::new();
        for firm in self.firms()?.records {
            if firm.archived {
                continue;
            }
            by_name
                .entry(crate::model::name_key(&firm.name))
                .or_default()
                .push(firm);
        }
        Ok(by_name.into_values().filter(|f| f.len() > 1).collect())
    }
}
