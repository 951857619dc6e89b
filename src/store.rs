//! The device's copy of everything the user may see, in IndexedDB: one object store per
//! entity (values are the server's JSON, keyed by id; the signed-in user's notices too), the
//! outbox of mutations not yet
//! answered by the server, the answered mutations kept in case the server is restored from an
//! older backup (sent again then, see core's `sync::to_resend`), meta (client id, pull cursor, mutation counter, who is logged in),
//! and the photos of requests waiting to be sent ([`photos`]).
//!
//! Every write the sync engine asks for is one transaction, so the cache is never
//! half-updated; the outbox is written before anything is sent, so a closed tab loses
//! nothing; and mutation ids are handed out inside a transaction with the counter, so two
//! tabs of one phone never give two mutations the same number.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use microwish_core::command::Command;
use microwish_core::engine::{renumber, Meta, Renumber, Save, Snapshot};
use microwish_core::overlay::LocalState;
use microwish_core::sync::{kept_to_drop, to_resend, Change, Mutation, Op, PullResponse};
use microwish_core::{
    Building, CallView, ClaimView, Grid, Household, Notice, Pledge, PublicCampaign, PublicWish,
    RequestView, StaffMember, VolunteerView,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub const DB_NAME: &str = "microwish";
/// 2: households and volunteers (workers' data) have stores of their own; 3: pledges;
/// 4: residents' requests, calls, buildings, staff, and the photos waiting to be sent;
/// 5: the user's notices (通知); 6: answered mutations kept (for a server restored from an
/// older backup).
const DB_VERSION: u32 = 6;

const WISHES: &str = "wishes";
const CLAIMS: &str = "claims";
const CAMPAIGNS: &str = "campaigns";
const GRIDS: &str = "grids";
const HOUSEHOLDS: &str = "households";
const VOLUNTEERS: &str = "volunteers";
const PLEDGES: &str = "pledges";
const REQUESTS: &str = "requests";
const CALLS: &str = "calls";
const BUILDINGS: &str = "buildings";
const STAFF: &str = "staff";
const NOTICES: &str = "notices";
const PHOTOS: &str = "photos";
const OUTBOX: &str = "outbox";
const KEPT: &str = "kept";
const META: &str = "meta";
const ENTITY_STORES: [&str; 12] = [
    WISHES, CLAIMS, CAMPAIGNS, GRIDS, HOUSEHOLDS, VOLUNTEERS, PLEDGES, REQUESTS, CALLS, BUILDINGS,
    STAFF, NOTICES,
];
/// Logging out (a wipe) empties every one, the waiting photos too.
const ALL_STORES: [&str; 16] = [
    WISHES, CLAIMS, CAMPAIGNS, GRIDS, HOUSEHOLDS, VOLUNTEERS, PLEDGES, REQUESTS, CALLS, BUILDINGS,
    STAFF, NOTICES, PHOTOS, OUTBOX, KEPT, META,
];

mod photos;

/// Why the local store failed (quota, private mode, a corrupt record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl<E: std::fmt::Display> From<E> for StoreError {
    fn from(error: E) -> Self {
        StoreError(error.to_string())
    }
}

pub struct Store {
    db: Database,
}

type ObjectStore<'a> = indexed_db_futures::object_store::ObjectStore<'a>;

/// Outbox keys sort as text, so ids are zero-padded to keep them in numeric order.
fn outbox_key(id: u64) -> String {
    format!("{id:020}")
}

fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    Ok(serde_json::to_string(value)?)
}

impl Store {
    /// Opens (creating on first use) the database named `name`. A cache from before notices
    /// were kept (version < 5) pulls everything again: its cursor is past notices it dropped.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        let upgraded_from = std::rc::Rc::new(std::cell::Cell::new(None));
        let seen = upgraded_from.clone();
        let db = Database::open(name)
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(move |event, db| {
                seen.set(Some(event.old_version()));
                if event.old_version() < 1.0 {
                    for store in [WISHES, CLAIMS, CAMPAIGNS, GRIDS, OUTBOX, META] {
                        db.create_object_store(store).build()?;
                    }
                }
                if event.old_version() < 2.0 {
                    for store in [HOUSEHOLDS, VOLUNTEERS] {
                        db.create_object_store(store).build()?;
                    }
                }
                if event.old_version() < 3.0 {
                    db.create_object_store(PLEDGES).build()?;
                }
                if event.old_version() < 4.0 {
                    for store in [REQUESTS, CALLS, BUILDINGS, STAFF, PHOTOS] {
                        db.create_object_store(store).build()?;
                    }
                }
                if event.old_version() < 5.0 {
                    db.create_object_store(NOTICES).build()?;
                }
                if event.old_version() < 6.0 {
                    db.create_object_store(KEPT).build()?;
                }
                Ok(())
            })
            .await?;
        let store = Store { db };
        if upgraded_from
            .get()
            .is_some_and(|old| (1.0..5.0).contains(&old))
        {
            store.pull_from_start().await?;
        }
        Ok(store)
    }

    /// Sets the pull cursor back to the start (the next pull is a whole copy); the client,
    /// its outbox and mutation numbers stay.
    async fn pull_from_start(&self) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(META)?;
        if let Some(mut meta) = read_meta(&store).await? {
            meta.cursor = 0;
            write_meta(&store, &meta).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub fn close(self) {
        self.db.close();
    }

    /// Reads every store in one read-only transaction. Notices are the signed-in user's only:
    /// one of anybody else's (never written, as a wipe comes with every change of user) is
    /// left out all the same.
    pub async fn load(&self) -> Result<Snapshot, StoreError> {
        let tx = self.db.transaction(ALL_STORES).build()?;
        let meta = read_meta(&tx.object_store(META)?).await?;
        let user = meta
            .as_ref()
            .and_then(|meta| meta.me.as_ref())
            .map(|me| me.id);
        let mut notices = read_all(&tx.object_store(NOTICES)?, |n: &Notice| n.id).await?;
        notices.retain(|_, notice| Some(notice.user) == user);
        let state = LocalState {
            wishes: read_all(&tx.object_store(WISHES)?, |w: &PublicWish| w.id).await?,
            claims: read_all(&tx.object_store(CLAIMS)?, |c: &ClaimView| c.id).await?,
            campaigns: read_all(&tx.object_store(CAMPAIGNS)?, |c: &PublicCampaign| c.id).await?,
            grids: read_all(&tx.object_store(GRIDS)?, |g: &Grid| g.id.clone()).await?,
            households: read_all(&tx.object_store(HOUSEHOLDS)?, |h: &Household| h.id).await?,
            volunteers: read_all(&tx.object_store(VOLUNTEERS)?, |v: &VolunteerView| v.id).await?,
            pledges: read_all(&tx.object_store(PLEDGES)?, |p: &Pledge| p.id).await?,
            requests: read_all(&tx.object_store(REQUESTS)?, |r: &RequestView| r.id).await?,
            calls: read_all(&tx.object_store(CALLS)?, |c: &CallView| c.id).await?,
            buildings: read_all(&tx.object_store(BUILDINGS)?, |b: &Building| b.id).await?,
            staff: read_all(&tx.object_store(STAFF)?, |s: &StaffMember| s.id).await?,
            notices,
        };
        let outbox = read_list(&tx.object_store(OUTBOX)?).await?;
        let kept = read_list(&tx.object_store(KEPT)?).await?;
        Ok(Snapshot {
            state,
            outbox,
            kept,
            meta,
        })
    }

    /// Carries out one write the sync engine asked for, in one transaction.
    pub async fn save(&self, save: &Save) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(ALL_STORES)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        match save {
            Save::Drop(ids) => {
                let outbox = tx.object_store(OUTBOX)?;
                for id in ids {
                    outbox.delete(outbox_key(*id)).primitive()?.await?;
                }
            }
            Save::Pulled(page) => write_pull(&tx, page).await?,
            Save::Resend { after } => {
                // The kept mutations the server no longer has go back into the outbox (the
                // outbox read that follows numbers them in line).
                let kept = tx.object_store(KEPT)?;
                let outbox = tx.object_store(OUTBOX)?;
                let held: Vec<Mutation> = read_list(&kept).await?;
                for mutation in to_resend(&held, *after) {
                    outbox
                        .put(json(&mutation)?)
                        .with_key(outbox_key(mutation.id))
                        .primitive()?
                        .await?;
                    kept.delete(outbox_key(mutation.id)).primitive()?.await?;
                }
            }
            Save::Meta(meta) => {
                let store = tx.object_store(META)?;
                let stored = read_meta(&store).await?;
                let mut meta = meta.clone();
                // Another tab may have numbered mutations since this one read the counter.
                if let Some(stored) = stored.filter(|stored| stored.client_id == meta.client_id) {
                    meta.next_mutation_id = meta.next_mutation_id.max(stored.next_mutation_id);
                }
                write_meta(&store, &meta).await?;
            }
            Save::Wipe(meta) => {
                for store in ALL_STORES {
                    tx.object_store(store)?.clear()?.await?;
                }
                write_meta(&tx.object_store(META)?, meta).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds a command to the outbox with the next mutation id, in one transaction with the
    /// counter, and returns the mutation.
    pub async fn enqueue(&self, command: &Command) -> Result<Mutation, StoreError> {
        let tx = self
            .db
            .transaction([OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let meta_store = tx.object_store(META)?;
        let mut meta = read_meta(&meta_store)
            .await?
            .ok_or_else(|| StoreError("no meta record".to_owned()))?;
        let id = meta.next_mutation_id.max(meta.last_mutation_id + 1);
        meta.next_mutation_id = id + 1;
        let mutation = Mutation {
            id,
            command: command.clone(),
        };
        tx.object_store(OUTBOX)?
            .put(json(&mutation)?)
            .with_key(outbox_key(id))
            .primitive()?
            .await?;
        write_meta(&meta_store, &meta).await?;
        tx.commit().await?;
        Ok(mutation)
    }

    /// The whole outbox (every tab's), first renumbered when asked, in one transaction.
    pub async fn read_outbox(
        &self,
        renumber_with: Option<Renumber>,
    ) -> Result<Vec<Mutation>, StoreError> {
        let tx = self
            .db
            .transaction([OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let outbox_store = tx.object_store(OUTBOX)?;
        let mut outbox: Vec<Mutation> = read_list(&outbox_store).await?;
        if let Some(how) = renumber_with {
            outbox = renumber(outbox, how);
            outbox_store.clear()?.await?;
            for mutation in &outbox {
                outbox_store
                    .put(json(mutation)?)
                    .with_key(outbox_key(mutation.id))
                    .primitive()?
                    .await?;
            }
            let meta_store = tx.object_store(META)?;
            if let Some(mut meta) = read_meta(&meta_store).await? {
                meta.next_mutation_id = outbox.last().map_or(how.from, |last| last.id + 1);
                write_meta(&meta_store, &meta).await?;
            }
        }
        tx.commit().await?;
        Ok(outbox)
    }
}

/// A pull page in the transaction: on `reset` the entity stores are emptied first; every
/// change is put or deleted; the cursor, the acknowledged mutation id and the hold policy
/// move; acknowledged mutations leave the outbox for the kept ones (of which core says which
/// may go).
async fn write_pull(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    pull: &PullResponse,
) -> Result<(), StoreError> {
    if pull.reset {
        for store in ENTITY_STORES {
            tx.object_store(store)?.clear()?.await?;
        }
    }
    let wishes = tx.object_store(WISHES)?;
    let claims = tx.object_store(CLAIMS)?;
    let campaigns = tx.object_store(CAMPAIGNS)?;
    let grids = tx.object_store(GRIDS)?;
    let households = tx.object_store(HOUSEHOLDS)?;
    let volunteers = tx.object_store(VOLUNTEERS)?;
    let pledges = tx.object_store(PLEDGES)?;
    let requests = tx.object_store(REQUESTS)?;
    let calls = tx.object_store(CALLS)?;
    let buildings = tx.object_store(BUILDINGS)?;
    let staff = tx.object_store(STAFF)?;
    let notices = tx.object_store(NOTICES)?;
    for change in &pull.changes {
        // Requests go out as they are built; the commit waits for all of them.
        let (store, key, value) = match change {
            Change::Wish { id, op, data } => (&wishes, id.to_string(), put_value(*op, data)?),
            Change::Claim { id, op, data } => (&claims, id.to_string(), put_value(*op, data)?),
            Change::Campaign { id, op, data } => {
                (&campaigns, id.to_string(), put_value(*op, data)?)
            }
            Change::Grid { id, op, data } => (&grids, id.to_string(), put_value(*op, data)?),
            Change::Household { id, op, data } => {
                (&households, id.to_string(), put_value(*op, data)?)
            }
            Change::Volunteer { id, op, data } => {
                (&volunteers, id.to_string(), put_value(*op, data)?)
            }
            Change::Pledge { id, op, data } => (&pledges, id.to_string(), put_value(*op, data)?),
            Change::Request { id, op, data } => (&requests, id.to_string(), put_value(*op, data)?),
            Change::Call { id, op, data } => (&calls, id.to_string(), put_value(*op, data)?),
            Change::Building { id, op, data } => {
                (&buildings, id.to_string(), put_value(*op, data)?)
            }
            Change::Staff { id, op, data } => (&staff, id.to_string(), put_value(*op, data)?),
            Change::Notice { id, op, data } => (&notices, id.to_string(), put_value(*op, data)?),
        };
        match value {
            Some(value) => drop(store.put(value).with_key(key).primitive()?),
            None => drop(store.delete(key).primitive()?),
        }
    }
    let meta_store = tx.object_store(META)?;
    if let Some(mut meta) = read_meta(&meta_store).await? {
        meta.cursor = pull.cursor;
        meta.last_mutation_id = pull.last_mutation_id;
        meta.next_mutation_id = meta.next_mutation_id.max(pull.last_mutation_id + 1);
        meta.policy = pull.policy;
        write_meta(&meta_store, &meta).await?;
    }
    let outbox = tx.object_store(OUTBOX)?;
    let kept = tx.object_store(KEPT)?;
    let waiting: Vec<Mutation> = read_list(&outbox).await?;
    for mutation in waiting
        .iter()
        .filter(|mutation| mutation.id <= pull.last_mutation_id)
    {
        let key = outbox_key(mutation.id);
        kept.put(json(mutation)?)
            .with_key(key.clone())
            .primitive()?
            .await?;
        outbox.delete(key).primitive()?.await?;
    }
    let held: Vec<u64> = kept
        .get_all_keys::<String>()
        .primitive()?
        .await?
        .filter_map(|key| key.ok()?.parse().ok())
        .collect();
    for id in kept_to_drop(&held, pull.last_mutation_id) {
        kept.delete(outbox_key(id)).primitive()?.await?;
    }
    Ok(())
}

/// The JSON to store for a change, or `None` to delete it.
fn put_value<T: Serialize>(op: Op, data: &Option<T>) -> Result<Option<String>, StoreError> {
    match (op, data) {
        (Op::Put, Some(data)) => Ok(Some(json(data)?)),
        _ => Ok(None),
    }
}

async fn read_list<T: DeserializeOwned>(store: &ObjectStore<'_>) -> Result<Vec<T>, StoreError> {
    let texts = store.get_all::<String>().primitive()?.await?;
    texts
        .map(|text| Ok(serde_json::from_str(&text?)?))
        .collect()
}

async fn read_all<K: std::hash::Hash + Eq, T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    key: impl Fn(&T) -> K,
) -> Result<std::collections::HashMap<K, T>, StoreError> {
    let list: Vec<T> = read_list(store).await?;
    Ok(list.into_iter().map(|value| (key(&value), value)).collect())
}

async fn read_meta(store: &ObjectStore<'_>) -> Result<Option<Meta>, StoreError> {
    let text: Option<String> = store.get(META).primitive()?.await?;
    text.map(|text| Ok(serde_json::from_str(&text)?))
        .transpose()
}

async fn write_meta(store: &ObjectStore<'_>, meta: &Meta) -> Result<(), StoreError> {
    store.put(json(meta)?).with_key(META).primitive()?.await?;
    Ok(())
}
