//! The device's copy of everything the user may see, in IndexedDB: one object store per
//! entity (values are the server's JSON, keyed by id), the outbox of mutations not yet
//! acknowledged by the server, and meta (client id, pull cursor, who is logged in).
//!
//! A pull batch is written in one transaction, so the cache is never half-updated; the
//! outbox is written before anything is sent, so a closed tab loses nothing.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use microwish_core::command::Command;
use microwish_core::sync::{Change, Mutation, Op, PullResponse};
use microwish_core::{ClaimView, Grid, Id, Me, PublicCampaign, PublicWish};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub const DB_NAME: &str = "microwish";
const DB_VERSION: u32 = 1;

const WISHES: &str = "wishes";
const CLAIMS: &str = "claims";
const CAMPAIGNS: &str = "campaigns";
const GRIDS: &str = "grids";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const ENTITY_STORES: [&str; 4] = [WISHES, CLAIMS, CAMPAIGNS, GRIDS];

/// Why the local store failed (quota, private mode, a corrupt record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl<E: std::fmt::Display> From<E> for StoreError {
    fn from(error: E) -> Self {
        StoreError(error.to_string())
    }
}

/// Facts about this device's sync, kept in the `meta` store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Made once per database: a new login gets a new database, hence a new client.
    pub client_id: Option<Id>,
    pub cursor: u64,
    pub last_mutation_id: u64,
    /// The id the next mutation gets.
    pub next_mutation_id: u64,
    /// Who this cache belongs to (absent: public data only).
    pub me: Option<Me>,
}

/// A mutation waiting in the outbox, and the command it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub mutation: Mutation,
    pub command: Command,
}

/// Everything in the store, read in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub wishes: Vec<PublicWish>,
    pub claims: Vec<ClaimView>,
    pub campaigns: Vec<PublicCampaign>,
    pub grids: Vec<Grid>,
    pub outbox: Vec<Pending>,
    pub meta: Meta,
}

pub struct Store {
    db: Database,
}

/// Outbox keys sort as text, so ids are zero-padded to keep them in numeric order.
fn outbox_key(id: u64) -> String {
    format!("{id:020}")
}

fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    Ok(serde_json::to_string(value)?)
}

impl Store {
    /// Opens (creating on first use) the database named `name`.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        let db = Database::open(name)
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    for store in ENTITY_STORES.into_iter().chain([OUTBOX, META]) {
                        db.create_object_store(store).build()?;
                    }
                }
                Ok(())
            })
            .await?;
        Ok(Store { db })
    }

    pub fn close(self) {
        self.db.close();
    }

    /// Empties every store and starts `meta` afresh, in one transaction: at logout nothing
    /// of the user stays on the device. (Deleting the database instead would wait for
    /// every other open tab to let go of it.)
    pub async fn wipe(&self, meta: &Meta) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction([WISHES, CLAIMS, CAMPAIGNS, GRIDS, OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        for store in ENTITY_STORES.into_iter().chain([OUTBOX, META]) {
            tx.object_store(store)?.clear()?.await?;
        }
        tx.object_store(META)?
            .put(json(meta)?)
            .with_key(META)
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads every store in one read-only transaction.
    pub async fn load(&self) -> Result<Snapshot, StoreError> {
        let tx = self
            .db
            .transaction([WISHES, CLAIMS, CAMPAIGNS, GRIDS, OUTBOX, META])
            .build()?;
        let wishes = read_all(&tx.object_store(WISHES)?).await?;
        let claims = read_all(&tx.object_store(CLAIMS)?).await?;
        let campaigns = read_all(&tx.object_store(CAMPAIGNS)?).await?;
        let grids = read_all(&tx.object_store(GRIDS)?).await?;
        let mutations: Vec<Mutation> = read_all(&tx.object_store(OUTBOX)?).await?;
        let meta = read_meta(&tx.object_store(META)?).await?;
        let outbox = mutations
            .into_iter()
            .map(|mutation| {
                let command = mutation.command().map_err(StoreError)?;
                Ok(Pending { mutation, command })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Snapshot {
            wishes,
            claims,
            campaigns,
            grids,
            outbox,
            meta,
        })
    }

    /// The meta record (defaults on a new database).
    pub async fn meta(&self) -> Result<Meta, StoreError> {
        let tx = self.db.transaction(META).build()?;
        read_meta(&tx.object_store(META)?).await
    }

    pub async fn save_meta(&self, meta: &Meta) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?
            .put(json(meta)?)
            .with_key(META)
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a pull batch in one transaction: on `reset` the entity stores are emptied
    /// first; every change is put or deleted; the cursor and the acknowledged mutation id
    /// move; acknowledged mutations leave the outbox.
    pub async fn apply_pull(&self, pull: &PullResponse) -> Result<Meta, StoreError> {
        let tx = self
            .db
            .transaction([WISHES, CLAIMS, CAMPAIGNS, GRIDS, OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        if pull.reset {
            for store in ENTITY_STORES {
                tx.object_store(store)?.clear()?.await?;
            }
        }
        let wishes = tx.object_store(WISHES)?;
        let claims = tx.object_store(CLAIMS)?;
        let campaigns = tx.object_store(CAMPAIGNS)?;
        let grids = tx.object_store(GRIDS)?;
        for change in &pull.changes {
            // Requests go out as they are built; the commit below waits for all of them.
            let (store, key, value) = match change {
                Change::Wish { id, op, data } => (&wishes, id.to_string(), put_value(*op, data)?),
                Change::Claim { id, op, data } => (&claims, id.to_string(), put_value(*op, data)?),
                Change::Campaign { id, op, data } => {
                    (&campaigns, id.to_string(), put_value(*op, data)?)
                }
                Change::Grid { id, op, data } => (&grids, id.clone(), put_value(*op, data)?),
            };
            match value {
                Some(value) => drop(store.put(value).with_key(key).primitive()?),
                None => drop(store.delete(key).primitive()?),
            }
        }
        let meta_store = tx.object_store(META)?;
        let mut meta = read_meta(&meta_store).await?;
        meta.cursor = pull.cursor;
        meta.last_mutation_id = pull.last_mutation_id;
        meta.next_mutation_id = meta.next_mutation_id.max(pull.last_mutation_id + 1);
        meta_store
            .put(json(&meta)?)
            .with_key(META)
            .primitive()?
            .await?;
        let outbox = tx.object_store(OUTBOX)?;
        let acknowledged: Vec<String> = outbox
            .get_all_keys::<String>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        for key in acknowledged {
            if key
                .parse::<u64>()
                .is_ok_and(|id| id <= pull.last_mutation_id)
            {
                outbox.delete(key).primitive()?.await?;
            }
        }
        tx.commit().await?;
        Ok(meta)
    }

    /// Adds a command to the outbox with the next mutation id, in one transaction with
    /// the counter, and returns the mutation.
    pub async fn enqueue(&self, command: &Command) -> Result<Mutation, StoreError> {
        let tx = self
            .db
            .transaction([OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let meta_store = tx.object_store(META)?;
        let mut meta = read_meta(&meta_store).await?;
        let id = meta.next_mutation_id.max(meta.last_mutation_id + 1);
        meta.next_mutation_id = id + 1;
        let mutation = Mutation::new(id, command);
        tx.object_store(OUTBOX)?
            .put(json(&mutation)?)
            .with_key(outbox_key(id))
            .primitive()?
            .await?;
        meta_store
            .put(json(&meta)?)
            .with_key(META)
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(mutation)
    }

    /// Removes mutations the server has answered (applied or rejected).
    pub async fn remove_mutations(&self, ids: &[u64]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let tx = self
            .db
            .transaction(OUTBOX)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let outbox = tx.object_store(OUTBOX)?;
        for id in ids {
            outbox.delete(outbox_key(*id)).primitive()?.await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The outbox in mutation order.
    pub async fn outbox(&self) -> Result<Vec<Pending>, StoreError> {
        let tx = self.db.transaction(OUTBOX).build()?;
        let mutations: Vec<Mutation> = read_all(&tx.object_store(OUTBOX)?).await?;
        mutations
            .into_iter()
            .map(|mutation| {
                let command = mutation.command().map_err(StoreError)?;
                Ok(Pending { mutation, command })
            })
            .collect()
    }
}

/// The JSON to store for a change, or `None` to delete it.
fn put_value<T: Serialize>(op: Op, data: &Option<T>) -> Result<Option<String>, StoreError> {
    match (op, data) {
        (Op::Put, Some(data)) => Ok(Some(json(data)?)),
        _ => Ok(None),
    }
}

async fn read_all<T: DeserializeOwned>(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<Vec<T>, StoreError> {
    let texts = store.get_all::<String>().primitive()?.await?;
    texts
        .map(|text| Ok(serde_json::from_str(&text?)?))
        .collect()
}

async fn read_meta(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<Meta, StoreError> {
    let text: Option<String> = store.get(META).primitive()?.await?;
    match text {
        Some(text) => Ok(serde_json::from_str(&text)?),
        None => Ok(Meta::default()),
    }
}
