//! `microwish-server migrate --from sqlite://… --to postgres://…`: moves a community's data
//! to PostgreSQL whole — every row with its id, the event history, the change log (so phones
//! keep their cursors) and the sync results (so a push replayed after the move is still
//! answered, not applied again); sessions too unless skipped (then everyone signs in again).
//!
//! One transaction on the target: it ends with every table's count compared with the source
//! and every donor's held units (which PostgreSQL's trigger recomputes from the copied claims)
//! compared with the source's; any difference and nothing is kept.

use std::str::FromStr;

use anyhow::{bail, Context};
use futures_util::TryStreamExt;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Postgres, QueryBuilder, Row};

/// The tables in an order where every row's references are already copied, each with the
/// order its rows are read in. A volunteer's `vetted_by` names a worker, never vetted.
const TABLES: &[(&str, &str)] = &[
    ("communities", "id"),
    ("grids", "position, id"),
    ("households", "id"),
    ("campaigns", "id"),
    ("users", "vetted_by IS NOT NULL, id"),
    ("wishes", "id"),
    ("pledges", "id"),
    ("pledge_variants", "pledge_id, position"),
    ("allocations", "id"),
    ("claims", "id"),
    ("buildings", "community_id, position, id"),
    // A duplicate names the request it was merged into: the later merges first (one merged
    // into a request that was itself merged later comes after it).
    ("requests", "merged_into IS NOT NULL, closed_at DESC, id"),
    ("request_photos", "request_id, created_at, id"),
    ("events", "seq"),
    ("sessions", "token_hash"),
    ("change_log", "version"),
    ("lost_versions", "through_version"),
    ("sync_clients", "client_id"),
    ("sync_results", "client_id, mutation_id"),
    ("notices", "created_at, id"),
    ("deliveries", "created_at, id"),
    ("push_subscriptions", "endpoint"),
    ("notice_preferences", "user_id, channel, kind"),
    // The VAPID key: phones' subscriptions are bound to it.
    ("server_keys", "name"),
    ("reminders", "subject, reminder"),
    ("certificates", "issued_at, id"),
    ("shop_years", "shop_id, year"),
    ("pairings", "created_at, id"),
];

/// Tables left behind on purpose: login and sign-up counts (they expire within the hour), push
/// rates (they run down within minutes), the sessions' epoch (each database counts its own)
/// and one-time SMS codes (they expire within five minutes; a new one is asked for).
const NOT_COPIED: &[&str] = &["limit_hits", "rate_limits", "auth_epoch", "phone_codes"];

/// Kept by PostgreSQL's own trigger as the claims arrive (then checked against the source).
const RECOMPUTED: &[(&str, &str)] = &[("users", "held_item_units")];

/// PostgreSQL allows 65,535 bound values in a statement.
const MAX_BOUND: usize = 65_535;

/// One table's rows in the source and in the target after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub source: i64,
    pub target: i64,
}

/// Opens (creating and migrating) the PostgreSQL database at `url`.
pub async fn connect_postgres(url: &str) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect(url)
        .await
        .with_context(|| format!("cannot connect to {}", without_password(url)))?;
    sqlx::migrate!("./migrations-postgres").run(&pool).await?;
    Ok(pool)
}

/// Whether `url` names a PostgreSQL database.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `url` as it may be printed: its password, if any, masked.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// Copies the SQLite database at `from` into the empty PostgreSQL database at `to` (both
/// brought up to the latest schema first); `progress` hears each table as it is copied.
pub async fn sqlite_to_postgres(
    from: &str,
    to: &str,
    with_sessions: bool,
    mut progress: impl FnMut(&str, i64, i64),
) -> anyhow::Result<Vec<Copied>> {
    if !from.starts_with("sqlite:") {
        bail!("--from must be a SQLite database (sqlite://FILE), not {from:?}");
    }
    if !is_postgres(to) {
        bail!("--to must be a PostgreSQL database (postgres://…), not {to:?}");
    }
    let file = SqliteConnectOptions::from_str(from)?
        .get_filename()
        .to_path_buf();
    if !file.exists() {
        bail!("{} does not exist: nothing to migrate", file.display());
    }
    let source = crate::db::connect(from).await?;
    let target = connect_postgres(to).await?;
    let (held,): (i64,) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM grids)")
            .fetch_one(&target)
            .await?;
    if held > 0 {
        bail!(
            "{} already holds data: migrate into a new, empty database",
            without_password(to)
        );
    }

    // A table added by a later migration must be named here, copied or not: never dropped
    // silently.
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&source)
    .await?;
    let unknown: Vec<&str> = tables
        .iter()
        .map(|(name,)| name.as_str())
        .filter(|name| !NOT_COPIED.contains(name) && !TABLES.iter().any(|(t, _)| t == name))
        .collect();
    if !unknown.is_empty() {
        bail!("migrate does not know the tables {unknown:?}: nothing was copied");
    }

    let mut tx = target.begin().await?;
    let mut copied = Vec::new();
    for &(table, order) in TABLES {
        let (source_rows,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&source)
            .await?;
        let skipped = table == "sessions" && !with_sessions;
        if !skipped {
            copy_table(&source, &mut tx, table, order, source_rows, &mut progress)
                .await
                .with_context(|| format!("copying {table}"))?;
        }
        let (target_rows,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *tx)
            .await?;
        let expected = if skipped { 0 } else { source_rows };
        if target_rows != expected {
            bail!("{table}: {source_rows} rows in the source, {target_rows} copied");
        }
        copied.push(Copied {
            table,
            source: source_rows,
            target: target_rows,
        });
    }

    // Ids handed out next continue after the copied ones.
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('events', 'seq'), COALESCE(MAX(seq), 0) + 1, false) \
         FROM events",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE change_clock SET version = GREATEST( \
         (SELECT COALESCE(MAX(version), 0) FROM change_log), \
         (SELECT COALESCE(MAX(through_version) + 1, 0) FROM lost_versions))",
    )
    .execute(&mut *tx)
    .await?;

    let source_held: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, held_item_units FROM users ORDER BY id")
            .fetch_all(&source)
            .await?;
    let target_held: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, held_item_units FROM users ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    if source_held != target_held {
        let differ = source_held
            .iter()
            .zip(&target_held)
            .filter(|(a, b)| a != b)
            .count();
        bail!("the units {differ} donors hold differ after the copy: nothing was kept");
    }
    tx.commit().await?;
    source.close().await;
    target.close().await;
    Ok(copied)
}

/// Copies `table`'s rows, in batches, binding each value as the target's column type.
async fn copy_table(
    source: &sqlx::SqlitePool,
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &'static str,
    order: &str,
    total: i64,
    progress: &mut impl FnMut(&str, i64, i64),
) -> anyhow::Result<()> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    let columns: Vec<(String, Kind)> = columns
        .into_iter()
        .filter(|(name, _)| !RECOMPUTED.contains(&(table, name.as_str())))
        .map(|(name, kind)| match kind.as_str() {
            "bigint" => Ok((name, Kind::Integer)),
            "text" => Ok((name, Kind::Text)),
            "bytea" => Ok((name, Kind::Bytes)),
            other => bail!("{table}.{name}: no copy for the column type {other}"),
        })
        .collect::<anyhow::Result<_>>()?;
    let names = columns
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let batch = (MAX_BOUND / columns.len()).min(1_000);
    // One read of the source, streamed (it may hold millions of claims), written in batches.
    let select = format!("SELECT {names} FROM {table} ORDER BY {order}");
    let mut stream = sqlx::query(&select).fetch(source);
    let mut rows = Vec::with_capacity(batch);
    let mut done = 0_i64;
    loop {
        let row = stream.try_next().await?;
        let last = row.is_none();
        rows.extend(row);
        if rows.len() == batch || (last && !rows.is_empty()) {
            insert_rows(tx, table, &names, &columns, &rows).await?;
            done += rows.len() as i64;
            rows.clear();
            progress(table, done, total);
        }
        if last {
            break;
        }
    }
    Ok(())
}

/// What a column holds, as both engines store it.
#[derive(Clone, Copy)]
enum Kind {
    Integer,
    Text,
    /// A photo's bytes (BLOB, BYTEA).
    Bytes,
}

/// One multi-row `INSERT` of `rows` (read from SQLite) into `table`.
async fn insert_rows(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
    names: &str,
    columns: &[(String, Kind)],
    rows: &[sqlx::sqlite::SqliteRow],
) -> anyhow::Result<()> {
    let mut insert = QueryBuilder::<Postgres>::new(format!("INSERT INTO {table} ({names}) "));
    let mut failed = None;
    insert.push_values(rows, |mut values, row| {
        for (index, (name, kind)) in columns.iter().enumerate() {
            let read = match kind {
                Kind::Integer => row
                    .try_get::<Option<i64>, _>(index)
                    .map(|value| values.push_bind(value))
                    .map(drop),
                Kind::Text => row
                    .try_get::<Option<String>, _>(index)
                    .map(|value| values.push_bind(value))
                    .map(drop),
                Kind::Bytes => row
                    .try_get::<Option<Vec<u8>>, _>(index)
                    .map(|value| values.push_bind(value))
                    .map(drop),
            };
            if let Err(error) = read {
                failed.get_or_insert(format!("{name}: {error}"));
                values.push_bind(None::<String>);
            }
        }
    });
    if let Some(failed) = failed {
        bail!("a row of {table} cannot be read: {failed}");
    }
    insert.build().execute(&mut **tx).await?;
    Ok(())
}
