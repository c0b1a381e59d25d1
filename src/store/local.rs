//! Settings of this machine that no other ledger shares and no backup carries: the zone
//! server to sync with, the department whose desk this is, and how far this ledger has
//! pulled from the server (issue 15). Losing them costs a `settings` line and a pull from the
//! start, which the idempotent merge makes harmless.

use super::*;

const META_SERVER_URL: &[u8] = b"server_url";
const META_DEPARTMENT: &[u8] = b"desk_department";
const META_SERVER_CURSOR: &[u8] = b"server_cursor";

impl Store {
    /// The server's URL set with `settings --server` (never a password: that is in the
    /// libpq password file).
    pub fn server_url(&self) -> Result<Option<String>, StoreError> {
        self.get_meta(META_SERVER_URL)
    }

    /// Sets (or with `None` forgets) the server.
    pub fn set_server_url(&self, url: Option<&str>) -> Result<(), StoreError> {
        self.set_local(META_SERVER_URL, url.map(str::to_string))
    }

    /// The department this ledger answers for (`settings --department`), if any.
    pub fn desk_department(&self) -> Result<Option<String>, StoreError> {
        self.get_meta(META_DEPARTMENT)
    }

    pub fn set_desk_department(&self, name: Option<&str>) -> Result<(), StoreError> {
        self.set_local(META_DEPARTMENT, name.map(str::to_string))
    }

    /// How far this ledger has pulled: the server's zone id and the last serial applied.
    pub fn server_cursor(&self) -> Result<Option<(String, i64)>, StoreError> {
        self.get_meta(META_SERVER_CURSOR)
    }

    pub fn set_server_cursor(&self, zone: &str, serial: i64) -> Result<(), StoreError> {
        self.set_local(META_SERVER_CURSOR, Some((zone.to_string(), serial)))
    }

    fn set_local<T: Serialize>(&self, key: &[u8], value: Option<T>) -> Result<(), StoreError> {
        match value {
            Some(value) => self.trees[META].insert(key, codec::encode(&value))?,
            None => self.trees[META].remove(key)?,
        };
        self.flush()
    }
}
