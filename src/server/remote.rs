//! One connection to a zone: claiming this ledger's actor, the server's head of an actor,
//! pushing a batch of operations, pulling a batch after a serial.

use super::connect::{connect, ServerUrl};
use super::error::ServerError;
use super::ledger::Op;
use super::schema::{self, PUSH_LOCK};
use postgres::Client;

pub struct Remote {
    client: Client,
    zone: String,
}

impl Remote {
    /// Connects and checks that the database is a zone this program knows.
    pub fn open(url: &ServerUrl) -> Result<Remote, ServerError> {
        let mut client = connect(url)?;
        let (zone, _) = schema::check(&mut client)?;
        Ok(Remote { client, zone })
    }

    /// The zone's id: a server rebuilt from scratch has a new one.
    pub fn zone(&self) -> &str {
        &self.zone
    }

    /// Makes sure `actor` is claimed by the role logged in (claiming it on first sync).
    /// Refused when another role claimed it, or when the role is not a member.
    pub fn claim(&mut self, actor: &str) -> Result<(), ServerError> {
        let me: String = self
            .client
            .query_one("SELECT current_user::text", &[])?
            .get(0);
        let mut owner = self.owner(actor)?;
        if owner.is_none() {
            // Only a member gets a row: the kind and name are the member's.
            self.client.execute(
                "INSERT INTO actors (actor, kind, name, role) \
                 SELECT $1, kind, name, role FROM members WHERE role = current_user \
                 ON CONFLICT (actor) DO NOTHING",
                &[&actor],
            )?;
            owner = self.owner(actor)?;
        }
        match owner {
            Some(role) if role == me => Ok(()),
            Some(role) => Err(ServerError::Refused(format!(
                "this ledger's actor {actor} syncs as role {role:?}, not {me:?}"
            ))),
            None => Err(ServerError::Refused(format!(
                "role {me:?} is not a member of this zone (the admin runs `liaison server add-user {me}`)"
            ))),
        }
    }

    fn owner(&mut self, actor: &str) -> Result<Option<String>, ServerError> {
        Ok(self
            .client
            .query_opt("SELECT role::text FROM actors WHERE actor = $1", &[&actor])?
            .map(|row| row.get(0)))
    }

    /// The highest sequence number the server holds for `actor` (0 for none). The server
    /// always holds a prefix 1..=head: pushes go in order, each batch in one transaction.
    pub fn head(&mut self, actor: &str) -> Result<u64, ServerError> {
        let head: i64 = self
            .client
            .query_one(
                "SELECT coalesce(max(seq), 0) FROM ops WHERE actor = $1",
                &[&actor],
            )?
            .get(0);
        Ok(head as u64)
    }

    /// Inserts a batch of one actor's operations in one transaction; those the server holds
    /// already are skipped. Returns how many were new.
    pub fn push(&mut self, ops: &[Op]) -> Result<u64, ServerError> {
        let Some(first) = ops.first() else {
            return Ok(0);
        };
        if ops.iter().any(|op| op.actor != first.actor) {
            return Err(ServerError::Ledger("a push batch mixes actors".into()));
        }
        let seqs: Vec<i64> = ops.iter().map(|op| op.seq as i64).collect();
        let payloads: Vec<&[u8]> = ops.iter().map(|op| op.payload.as_slice()).collect();
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])?;
        let inserted = tx.execute(
            "INSERT INTO ops (actor, seq, payload) \
             SELECT $1, s, p FROM unnest($2::bigint[], $3::bytea[]) AS t(s, p) \
             ON CONFLICT (actor, seq) DO NOTHING",
            &[&first.actor, &seqs, &payloads],
        )?;
        tx.commit()?;
        Ok(inserted)
    }

    /// Up to `limit` operations with a serial above `after`, in serial order.
    pub fn pull(&mut self, after: i64, limit: usize) -> Result<Vec<(i64, Op)>, ServerError> {
        let rows = self.client.query(
            "SELECT serial, actor, seq, payload FROM ops WHERE serial > $1 ORDER BY serial LIMIT $2",
            &[&after, &(limit as i64)],
        )?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let seq: i64 = row.get(2);
                (
                    row.get(0),
                    Op {
                        actor: row.get(1),
                        seq: seq as u64,
                        payload: row.get(3),
                    },
                )
            })
            .collect())
    }

    /// Operations on the server, and the highest serial.
    pub fn totals(&mut self) -> Result<(i64, i64), ServerError> {
        let row = self
            .client
            .query_one("SELECT count(*), coalesce(max(serial), 0) FROM ops", &[])?;
        Ok((row.get(0), row.get(1)))
    }
}
