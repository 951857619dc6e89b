//! PostgreSQL: its schema kept in step with SQLite's, the change cursor that no late commit can
//! slip under, and `migrate` moving a community across whole. Each test gets a new database in
//! the project's own throw-away cluster (`scripts/pg-cluster.sh`; `make test` starts and
//! removes it, or `MICROWISH_TEST_POSTGRES` names another cluster's admin URL).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use microwish_core::command::{Actor, ClaimWish, Command, Policy};
use microwish_core::decide::Context;
use microwish_core::sync::{MutationStatus, Received};
use microwish_core::{ClaimId, ClientId, Role, RuleError, UserId, WishId, WishKind};
use microwish_server::apply::apply_in;
use microwish_server::error::ApiError;
use microwish_server::migrate::{connect_postgres, sqlite_to_postgres, Copied};
use microwish_server::store::Pool;
use microwish_server::sync::push::{push_in, Pushed};
use microwish_server::writer::{Writer, QUEUE_MAX};
use microwish_server::{ServeConfig, Server};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{postgres_database, spawn_demo_app};

/// Every table's columns: name → (type class, NOT NULL, has a default).
type Columns = BTreeMap<String, BTreeMap<String, (String, bool, bool)>>;

async fn sqlite_columns(db: &sqlx::SqlitePool) -> Columns {
    // A key column counts as NOT NULL: SQLite lets a TEXT PRIMARY KEY hold NULL (a quirk kept
    // for old versions), PostgreSQL does not, and no code writes one.
    let rows: Vec<(String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT m.name, c.name, c.type, c.\"notnull\" OR c.pk > 0, c.dflt_value \
         FROM sqlite_master m JOIN pragma_table_info(m.name) c \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut tables = Columns::new();
    for (table, column, kind, not_null, default) in rows {
        // The event log's INTEGER PRIMARY KEY is the row id: never NULL, numbered by SQLite
        // (an identity column on PostgreSQL).
        let numbered = table == "events" && column == "seq";
        let entry = (
            kind.to_lowercase(),
            not_null == 1 || numbered,
            default.is_some() || numbered,
        );
        tables.entry(table).or_default().insert(column, entry);
    }
    tables
}

async fn postgres_columns(db: &PgPool) -> Columns {
    let rows: Vec<(String, String, String, String, bool)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, \
         data_type::text || COALESCE(' collate ' || collation_name::text, ''), is_nullable::text, \
         column_default IS NOT NULL OR is_identity = 'YES' \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name NOT IN ('_sqlx_migrations', 'change_clock')",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut tables = Columns::new();
    for (table, column, kind, nullable, default) in rows {
        // Text compares byte by byte, as in SQLite, whatever the database's locale.
        let kind = match kind.as_str() {
            "bigint" => "integer".to_owned(),
            "text collate C" => "text".to_owned(),
            "bytea" => "blob".to_owned(),
            other => other.to_owned(),
        };
        tables
            .entry(table)
            .or_default()
            .insert(column, (kind, nullable == "NO", default));
    }
    tables
}

fn migration_names(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn both_engines_are_migrated_in_step_to_the_same_tables_and_columns() {
    assert_eq!(
        migration_names("migrations"),
        migration_names("migrations-postgres"),
        "each SQLite migration has its PostgreSQL twin of the same name"
    );
    let dir = tempfile::tempdir().unwrap();
    let sqlite = microwish_server::db::connect(&format!(
        "sqlite://{}",
        dir.path().join("schema.db").display()
    ))
    .await
    .unwrap();
    let postgres = connect_postgres(&postgres_database().await).await.unwrap();
    let (sqlite, postgres) = (
        sqlite_columns(&sqlite).await,
        postgres_columns(&postgres).await,
    );
    assert!(sqlite.len() >= 15, "{:?}", sqlite.keys());
    // The one column that differs on purpose: the change log's version is numbered as the row
    // is written on SQLite (its row id), at commit on PostgreSQL (NULL until then, see
    // 0003_sync.sql).
    let mut expected = sqlite;
    let version = expected
        .get_mut("change_log")
        .and_then(|columns| columns.get_mut("version"))
        .unwrap();
    assert_eq!(*version, ("integer".to_owned(), true, false));
    version.1 = false;
    assert_eq!(postgres, expected);
}

#[tokio::test]
async fn each_postgres_check_lists_exactly_its_enums_values() {
    let db = connect_postgres(&postgres_database().await).await.unwrap();
    // `CHECK ((status = ANY (ARRAY['draft'::text, …])))`: the column, then the quoted values.
    let checks: Vec<(String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE contype = 'c' AND connamespace = current_schema()::regnamespace",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let mut found = crate::schema::Lists::new();
    for (table, check) in checks {
        let column: String = check
            .trim_start_matches("CHECK")
            .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let values: BTreeSet<String> = check
            .split('\'')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        if !values.is_empty() {
            found.insert((table, column), values);
        }
    }
    assert_eq!(found, crate::schema::expected_lists());
}

#[tokio::test]
async fn the_migration_rewrites_every_older_time_to_the_fixed_width_on_postgres() {
    let url = postgres_database().await;
    let db = sqlx::PgPool::connect(&url).await.unwrap();
    let (_older, migrator) =
        crate::schema::migrations_before_precise_times("migrations-postgres").await;
    migrator.run(&db).await.unwrap();
    crate::schema::store_old_times(&Pool::Postgres(db.clone())).await;
    db.close().await;

    let db = connect_postgres(&url).await.unwrap();
    crate::schema::assert_times_rewritten(&Pool::Postgres(db)).await;
}

/// The versions a reader sees after `cursor`, oldest first.
async fn changes_after(db: &PgPool, table: &str, cursor: i64) -> Vec<(i64, String)> {
    sqlx::query_as(&format!(
        "SELECT version, entity_id FROM {table} WHERE version > $1 ORDER BY version"
    ))
    .bind(cursor)
    .fetch_all(db)
    .await
    .unwrap()
}

/// Numbers what has committed in the change log, as a server does after each of its commits
/// (migrations-postgres/0030); the newest version.
async fn number_committed(db: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT change_log_stamp()")
        .fetch_one(db)
        .await
        .unwrap()
}

/// Two transactions writing a change each to `table` with `insert`: "late" begins first and
/// commits last, each commit followed by `after_commit` when given. A reader pulls after
/// "early" commits and again after "late" does; what each pull saw.
async fn pulls_around_a_late_commit(
    db: &PgPool,
    table: &str,
    insert: &str,
    after_commit: Option<&str>,
) -> (Vec<(i64, String)>, Vec<(i64, String)>) {
    let committed = || async {
        if let Some(sql) = after_commit {
            sqlx::query(sql).execute(db).await.unwrap();
        }
    };
    let mut late = db.begin().await.unwrap();
    sqlx::query(insert)
        .bind("late")
        .execute(&mut *late)
        .await
        .unwrap();
    let mut early = db.begin().await.unwrap();
    sqlx::query(insert)
        .bind("early")
        .execute(&mut *early)
        .await
        .unwrap();
    early.commit().await.unwrap();
    committed().await;
    let first = changes_after(db, table, 0).await;
    late.commit().await.unwrap();
    committed().await;
    let cursor = first.last().map_or(0, |(version, _)| *version);
    (first, changes_after(db, table, cursor).await)
}

#[tokio::test]
async fn a_change_that_commits_late_takes_a_later_version_so_no_cursor_skips_it() {
    let db = connect_postgres(&postgres_database().await).await.unwrap();
    let (first, second) = pulls_around_a_late_commit(
        &db,
        "change_log",
        "INSERT INTO change_log (entity, entity_id) VALUES ('wish', $1)",
        Some("SELECT change_log_stamp()"),
    )
    .await;
    assert_eq!(first, [(1, "early".to_owned())]);
    assert_eq!(second, [(2, "late".to_owned())], "the late commit is seen");

    // The same interleaving with a plain sequence: the late change is numbered below a
    // cursor that has already passed, and is never pulled. This is what the design prevents.
    sqlx::query("CREATE TABLE plain_log (version BIGSERIAL, entity_id TEXT)")
        .execute(&db)
        .await
        .unwrap();
    let (first, second) = pulls_around_a_late_commit(
        &db,
        "plain_log",
        "INSERT INTO plain_log (entity_id) VALUES ($1)",
        None,
    )
    .await;
    assert_eq!(first, [(2, "early".to_owned())]);
    assert!(second.is_empty(), "the late change was skipped: {second:?}");
}

/// Each round of numbering tells every listening server its top version, once, and only once
/// the changes have committed (a rolled-back transaction tells nobody, a round with nothing to
/// number neither).
#[tokio::test]
async fn numbered_changes_notify_listeners_of_their_version_and_a_rollback_does_not() {
    let url = postgres_database().await;
    let db = connect_postgres(&url).await.unwrap();
    let mut listener = sqlx::postgres::PgListener::connect(&url).await.unwrap();
    listener.listen("microwish_changes").await.unwrap();
    let log = "INSERT INTO change_log (entity, entity_id) VALUES ('wish', $1)";

    let mut undone = db.begin().await.unwrap();
    sqlx::query(log)
        .bind("undone")
        .execute(&mut *undone)
        .await
        .unwrap();
    undone.rollback().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    for id in ["a", "b"] {
        sqlx::query(log).bind(id).execute(&mut *tx).await.unwrap();
    }
    assert_eq!(number_committed(&db).await, 0, "nothing committed yet");
    let early = tokio::time::timeout(Duration::from_millis(300), listener.recv()).await;
    assert!(
        early.is_err(),
        "nothing is heard before the commit: {early:?}"
    );
    tx.commit().await.unwrap();
    assert_eq!(number_committed(&db).await, 2);
    assert_eq!(
        number_committed(&db).await,
        2,
        "a round with nothing to number"
    );
    let heard = tokio::time::timeout(Duration::from_secs(1), listener.recv())
        .await
        .expect("heard within 1 s")
        .unwrap();
    assert_eq!(
        heard.payload(),
        "2",
        "one notice, with the commit's top version"
    );
    let more = tokio::time::timeout(Duration::from_millis(300), listener.recv()).await;
    assert!(more.is_err(), "one round, one notice: {more:?}");
}

/// Two transactions in flight at once both commit without waiting for each other: a change
/// holds no lock through its commit (migration 0030). "slow" logs a change, then a row whose
/// check at commit takes a second; while it commits, "quick" logs a change and commits. Under
/// 0003's design "slow" held the change clock from its numbering to the end of its commit,
/// and "quick" waited the second out.
#[tokio::test]
async fn commits_that_log_changes_overlap_and_wait_for_none() {
    let db = connect_postgres(&postgres_database().await).await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE slow_to_commit (n INT); \
         CREATE FUNCTION take_a_second() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END; $$; \
         CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON slow_to_commit \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION take_a_second();",
    )
    .execute(&db)
    .await
    .unwrap();
    let log = "INSERT INTO change_log (entity, entity_id) VALUES ('wish', $1)";

    let mut slow = db.begin().await.unwrap();
    sqlx::query(log)
        .bind("slow")
        .execute(&mut *slow)
        .await
        .unwrap();
    sqlx::query("INSERT INTO slow_to_commit VALUES (1)")
        .execute(&mut *slow)
        .await
        .unwrap();
    let slow_commit = tokio::spawn(async move {
        let started = std::time::Instant::now();
        slow.commit().await.unwrap();
        started.elapsed()
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut quick = db.begin().await.unwrap();
    sqlx::query(log)
        .bind("quick")
        .execute(&mut *quick)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    quick.commit().await.unwrap();
    let quick_took = started.elapsed();
    assert!(
        quick_took < Duration::from_millis(500),
        "the quick commit waited {quick_took:?} for the slow one"
    );
    assert!(
        !slow_commit.is_finished(),
        "the slow one was still committing"
    );
    assert_eq!(
        number_committed(&db).await,
        1,
        "what has committed is numbered"
    );
    assert_eq!(
        changes_after(&db, "change_log", 0).await,
        [(1, "quick".to_owned())]
    );
    assert!(slow_commit.await.unwrap() >= Duration::from_secs(1));
    assert_eq!(number_committed(&db).await, 2);
    assert_eq!(
        changes_after(&db, "change_log", 1).await,
        [(2, "slow".to_owned())],
        "the slow commit is numbered after the cursor that passed it"
    );
}

#[tokio::test]
async fn racing_writers_never_let_a_polling_cursor_skip_a_change() {
    const WRITERS: usize = 6;
    const TRANSACTIONS: usize = 25;
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(WRITERS as u32 + 2)
        .connect(&postgres_database().await)
        .await
        .unwrap();
    sqlx::migrate!("./migrations-postgres")
        .run(&db)
        .await
        .unwrap();

    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let db = db.clone();
        writers.push(tokio::spawn(async move {
            let mut written = Vec::new();
            let mut seed = writer as u64 * 7919 + 1;
            let mut next = move |below: u64| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 33) % below
            };
            for transaction in 0..TRANSACTIONS {
                let mut tx = db.begin().await.unwrap();
                for change in 0..=next(3) {
                    let id = format!("{writer}-{transaction}-{change}");
                    sqlx::query("INSERT INTO change_log (entity, entity_id) VALUES ('claim', $1)")
                        .bind(&id)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    written.push(id);
                    // Transactions overlap and commit in another order than they began.
                    tokio::time::sleep(Duration::from_millis(next(4))).await;
                }
                tx.commit().await.unwrap();
                // As a server's writer does, each numbering everything committed so far
                // (six at once, taking turns).
                number_committed(&db).await;
            }
            written
        }));
    }

    let mut cursor = 0;
    let mut pulled: Vec<(i64, String)> = Vec::new();
    loop {
        let done = writers.iter().all(|writer| writer.is_finished());
        let page = changes_after(&db, "change_log", cursor).await;
        if let Some((last, _)) = page.last() {
            cursor = *last;
        }
        pulled.extend(page);
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mut written = BTreeSet::new();
    for writer in writers {
        written.extend(writer.await.unwrap());
    }
    let versions: Vec<i64> = pulled.iter().map(|(version, _)| *version).collect();
    assert_eq!(
        versions,
        (1..=written.len() as i64).collect::<Vec<_>>(),
        "every version seen once, in order, none missing"
    );
    let seen: BTreeSet<String> = pulled.into_iter().map(|(_, id)| id).collect();
    assert_eq!(seen, written, "the polling reader saw every change");
}

/// Every row of `table` as text, in a stable order, from either engine.
async fn rows_of_sqlite(db: &Pool, sql: &str) -> Vec<(String, String, i64)> {
    db.fetch_all(sql, &[]).await.unwrap()
}

#[tokio::test]
async fn a_community_moves_to_postgres_whole_and_its_rules_hold_there() {
    let app = spawn_demo_app().await;
    // Some life first: a claim, a claim pushed by a phone, a worker's login.
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 2).await;
    let claim = app.claim_ok(&donor, wish.id, 2).await;
    let client = ClientId::generate();
    let other = app.open_wish(WishKind::Item, 1).await;
    let pushed = app
        .post(
            Some(&donor),
            "/api/sync/push",
            json!({"client_id": client, "mutations": [{"id": 1, "name": "claim_wish",
                "args": {"id": microwish_core::ClaimId::generate(), "wish_id": other.id, "quantity": 1}}]}),
        )
        .await;
    assert_eq!(pushed.status(), 200);
    app.worker().await;
    // A request's photo: bytes, not text.
    let photo: Vec<u8> = vec![0xff, 0xd8, 0x00, 0x80, 0xff, 0xd9];
    app.db
        .execute(
            "INSERT INTO request_photos (id, request_id, stage, width, height, bytes, created_at) \
             SELECT 'photo-1', id, 'before', 1, 1, ?, created_at FROM requests LIMIT 1",
            microwish_server::args![photo],
        )
        .await
        .unwrap();

    let target = postgres_database().await;
    let mut heard = Vec::new();
    let copied = sqlite_to_postgres(&app.database_url, &target, true, |table, done, total| {
        heard.push((table.to_owned(), done, total))
    })
    .await
    .expect("migrated");
    assert!(copied.iter().all(|c| c.source == c.target), "{copied:?}");
    let count = |table: &str| copied.iter().find(|c| c.table == table).unwrap().target;
    assert!(count("wishes") > 0 && count("claims") >= 2 && count("events") > 0);
    assert!(count("sessions") >= 2 && count("sync_results") == 1);
    assert!(heard.contains(&("claims".to_owned(), count("claims"), count("claims"))));
    assert!(count("buildings") == 40 && count("requests") >= 10);

    let pg = connect_postgres(&target).await.unwrap();
    let (moved,): (Vec<u8>,) =
        sqlx::query_as("SELECT bytes FROM request_photos WHERE id = 'photo-1'")
            .fetch_one(&pg)
            .await
            .unwrap();
    assert_eq!(moved, photo);
    // The rows themselves, not only their number.
    let claims_sql = "SELECT id, status || ' ' || hold_until || ' ' || user_id, quantity \
                      FROM claims ORDER BY id";
    let in_sqlite = rows_of_sqlite(&app.db, claims_sql).await;
    let in_postgres: Vec<(String, String, i64)> =
        sqlx::query_as(claims_sql).fetch_all(&pg).await.unwrap();
    assert_eq!(in_postgres, in_sqlite);
    let log_sql = "SELECT entity_id, entity, version FROM change_log ORDER BY version";
    let in_postgres: Vec<(String, String, i64)> =
        sqlx::query_as(log_sql).fetch_all(&pg).await.unwrap();
    assert_eq!(in_postgres, rows_of_sqlite(&app.db, log_sql).await);
    let top = in_postgres.last().unwrap().2;

    // Phones keep their cursors: the next change on PostgreSQL comes after every copied one,
    // and so does the next event.
    let (held,): (i64,) = sqlx::query_as("SELECT held_item_units FROM users WHERE id = $1")
        .bind(donor.me.id.to_string())
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!(
        held, 3,
        "the donor's 2 + 1 units, recomputed by PostgreSQL's trigger"
    );
    let mut tx = pg.begin().await.unwrap();
    sqlx::query("UPDATE claims SET status = 'released' WHERE id = $1")
        .bind(claim.id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("INSERT INTO change_log (entity, entity_id) VALUES ('claim', $1)")
        .bind(claim.id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO events (at, entity, entity_id, action) VALUES ('t', 'claim', $1, 'release') \
         RETURNING seq",
    )
    .bind(claim.id.to_string())
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    number_committed(&pg).await;
    let (max_copied_seq,): (i64,) = sqlx::query_as("SELECT MAX(seq) FROM events WHERE seq < $1")
        .bind(seq)
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!(seq, max_copied_seq + 1);
    assert_eq!(
        changes_after(&pg, "change_log", top).await,
        [(top + 1, claim.id.to_string())]
    );
    let (held,): (i64,) = sqlx::query_as("SELECT held_item_units FROM users WHERE id = $1")
        .bind(donor.me.id.to_string())
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!(held, 1, "the released claim's units are no longer held");

    // The quantity rule is held by PostgreSQL too.
    let overclaimed = sqlx::query("UPDATE wishes SET claimed = quantity + 1 WHERE id = $1")
        .bind(wish.id.to_string())
        .execute(&pg)
        .await;
    assert!(
        overclaimed.is_err(),
        "the CHECK refused a wish claimed beyond its quantity"
    );

    // A database that holds data is never migrated into; sessions can be left behind.
    let again = sqlite_to_postgres(&app.database_url, &target, true, |_, _, _| {}).await;
    assert!(again
        .unwrap_err()
        .to_string()
        .contains("already holds data"));
    let without = sqlite_to_postgres(
        &app.database_url,
        &postgres_database().await,
        false,
        |_, _, _| {},
    )
    .await
    .unwrap();
    assert_eq!(
        without.iter().find(|c| c.table == "sessions"),
        Some(&Copied {
            table: "sessions",
            source: count("sessions"),
            target: 0
        })
    );
}

/// A wish of 25 units and new donors, moved whole onto a new PostgreSQL database, and two
/// servers' writers on it.
struct Racing {
    wish: WishId,
    donors: Vec<UserId>,
    target: String,
    servers: [Writer; 2],
}

async fn racing(donors: usize, connections: usize) -> Racing {
    let app = spawn_demo_app().await;
    let wish = app.open_wish(WishKind::Item, 1).await.id;
    app.set_quantity(wish, 25).await;
    let mut registered = Vec::new();
    for _ in 0..donors {
        registered.push(app.register(Role::Donor).await.me.id);
    }
    let target = postgres_database().await;
    sqlite_to_postgres(&app.database_url, &target, true, |_, _, _| {})
        .await
        .expect("migrated");
    let servers = [
        Writer::start_postgres(&target, connections, QUEUE_MAX)
            .await
            .unwrap(),
        Writer::start_postgres(&target, connections, QUEUE_MAX)
            .await
            .unwrap(),
    ];
    Racing {
        wish,
        donors: registered,
        target,
        servers,
    }
}

fn as_donor(donor: UserId) -> Context {
    Context {
        actor: Actor::User {
            id: donor,
            role: Role::Donor,
        },
        now: chrono::Utc::now(),
        policy: Policy::default(),
    }
}

fn claim_one(wish: WishId) -> Command {
    Command::ClaimWish(ClaimWish {
        id: ClaimId::generate(),
        wish_id: wish,
        quantity: 1,
        note: None,
        slot_start: None,
        slot_end: None,
    })
}

/// The command path on PostgreSQL, as two servers run it (each with 4 writer connections):
/// 25 donors race for a wish's 25 units through both at once. Each claim's compare-and-set
/// finds the row moved by the others' commits again and again; reading and deciding again,
/// every donor gets a unit, none is refused while units are left, and the wish is claimed
/// exactly 25 times. The 26th is refused by the rules, and the database agrees with itself.
#[tokio::test]
async fn claims_racing_through_two_servers_on_postgres_are_each_applied_once() {
    let Racing {
        wish,
        donors,
        target,
        servers,
    } = racing(26, 4).await;
    let claim = |writer: &Writer, donor| {
        let (writer, ctx, command) = (writer.clone(), as_donor(donor), claim_one(wish));
        async move { writer.write(move |tx| apply_in(tx, &ctx, &command)).await }
    };
    let racing: Vec<_> = donors[..25]
        .iter()
        .enumerate()
        .map(|(n, donor)| tokio::spawn(claim(&servers[n % 2], *donor)))
        .collect();
    for (n, task) in racing.into_iter().enumerate() {
        let claimed = task.await.unwrap();
        assert!(claimed.is_ok(), "donor {n} was refused: {claimed:?}");
    }
    let late = claim(&servers[1], donors[25]).await;
    assert!(
        matches!(
            late,
            Err(ApiError::Rule(
                RuleError::WishFullyClaimed
                    | RuleError::InvalidState { .. }
                    | RuleError::Moved { .. }
            ))
        ),
        "{late:?}"
    );

    let pg = connect_postgres(&target).await.unwrap();
    let (claimed, status): (i64, String) =
        sqlx::query_as("SELECT claimed, status FROM wishes WHERE id = $1")
            .bind(wish.to_string())
            .fetch_one(&pg)
            .await
            .unwrap();
    assert_eq!((claimed, status.as_str()), (25, "claimed"));
    let (claims, units, claimers): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(quantity) AS BIGINT), COUNT(DISTINCT user_id) FROM claims \
         WHERE wish_id = $1",
    )
    .bind(wish.to_string())
    .fetch_one(&pg)
    .await
    .unwrap();
    assert_eq!((claims, units, claimers), (25, 25, 25));
    let (held,): (i64,) = sqlx::query_as(
        "SELECT CAST(SUM(held_item_units) AS BIGINT) FROM users WHERE role = 'donor'",
    )
    .fetch_one(&pg)
    .await
    .unwrap();
    assert!(held >= 25, "each new claim is held by its donor ({held})");
    let (logged,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM change_log WHERE entity = 'wish' AND entity_id = $1")
            .bind(wish.to_string())
            .fetch_one(&pg)
            .await
            .unwrap();
    assert!(
        logged >= 25,
        "every claim told phones the wish changed ({logged})"
    );
}

/// A phone's push that times out and is sent again through the other server, on
/// PostgreSQL, while the first is still being applied: 8 phones, each pushing its claim
/// through both servers at the same moment. Each claim is applied once; both answers are
/// the same result (the second from the stored one), never an error.
#[tokio::test]
async fn a_push_sent_through_two_servers_on_postgres_at_once_is_applied_once() {
    let Racing {
        wish,
        donors,
        target,
        servers,
    } = racing(8, 2).await;
    let push = |writer: &Writer, donor: UserId, client: ClientId, mutation: &Received| {
        let (writer, mutation, ctx) = (writer.clone(), mutation.clone(), as_donor(donor));
        tokio::spawn(async move {
            writer
                .write(move |tx| push_in(tx, &ctx, donor, client, &mutation))
                .await
        })
    };
    let mut pairs = Vec::new();
    for donor in &donors {
        let client = ClientId::generate();
        let mutation = Received {
            id: 1,
            command: Ok(claim_one(wish)),
        };
        pairs.push([
            push(&servers[0], *donor, client, &mutation),
            push(&servers[1], *donor, client, &mutation),
        ]);
    }
    for (n, [first, second]) in pairs.into_iter().enumerate() {
        let answers = [first.await.unwrap(), second.await.unwrap()];
        let mut applied = 0;
        let mut results = Vec::new();
        for answer in answers {
            match answer {
                Ok(Pushed::Applied(result, _)) => {
                    applied += 1;
                    results.push(result)
                }
                Ok(Pushed::Answered(result)) => results.push(result),
                other => panic!("phone {n}: {other:?}"),
            }
        }
        assert_eq!(applied, 1, "phone {n}: applied once");
        assert_eq!(results[0], results[1], "phone {n}: the same answer twice");
        assert_eq!(results[0].status, MutationStatus::Applied);
    }
    let pg = connect_postgres(&target).await.unwrap();
    let (claimed,): (i64,) = sqlx::query_as("SELECT claimed FROM wishes WHERE id = $1")
        .bind(wish.to_string())
        .fetch_one(&pg)
        .await
        .unwrap();
    let (claims,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM claims WHERE wish_id = $1")
        .bind(wish.to_string())
        .fetch_one(&pg)
        .await
        .unwrap();
    let (results,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sync_results")
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!((claimed, claims), (8, 8));
    assert_eq!(results, 8, "one result per phone");
}

/// The command line an operator runs: progress on stderr, every table's count on stdout, and
/// a refusal (exit 1, a reason) when run a second time into the same database.
#[tokio::test]
async fn the_migrate_command_reports_each_table_and_refuses_a_second_run() {
    let app = spawn_demo_app().await;
    let target = postgres_database().await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_microwish-server"))
            .args(["migrate", "--from", &app.database_url, "--to", &target])
            .output()
            .expect("the server binary runs")
    };
    let first = run();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&first.stderr),
    );
    assert!(first.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains("copying wishes:"), "progress: {stderr}");
    let (wishes,): (i64,) = app
        .db
        .fetch_one("SELECT COUNT(*) FROM wishes", &[])
        .await
        .unwrap();
    let line = stdout
        .lines()
        .find(|line| line.trim_start().starts_with("wishes "))
        .unwrap_or_else(|| panic!("no wishes line in {stdout}"));
    assert!(line.contains(&format!(" {wishes} rows")), "{line}");
    assert!(stdout.contains("every count checked"), "{stdout}");

    let second = run();
    assert_eq!(second.status.code(), Some(1));
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("already holds data"), "{said}");
    assert!(!said.contains("skipping"), "no PostgreSQL notices: {said}");
}

#[tokio::test]
async fn migrate_refuses_what_it_cannot_move() {
    let target = postgres_database().await;
    let missing = sqlite_to_postgres("sqlite:///nowhere/at/all.db", &target, true, |_, _, _| {})
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("does not exist"), "{missing}");
    let backwards = sqlite_to_postgres(&target, "sqlite://x.db", true, |_, _, _| {})
        .await
        .unwrap_err();
    assert!(
        backwards.to_string().contains("--from must be"),
        "{backwards}"
    );

    // A table migrate was not told about (a later migration's) stops it before it copies.
    let app = crate::helpers::spawn_app().await;
    app.db
        .execute("CREATE TABLE badges (id TEXT PRIMARY KEY)", &[])
        .await
        .unwrap();
    let unknown = sqlite_to_postgres(&app.database_url, &target, true, |_, _, _| {})
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("badges"), "{unknown}");
}

/// `serve --database postgres://…` on an empty database: migrated, the demo seeded, and a
/// donor's claim taken and read back (the whole API suite runs on PostgreSQL too, with
/// `MICROWISH_TEST_ENGINE=postgres`; this one runs in the SQLite pass as well).
#[tokio::test]
async fn a_server_on_postgres_serves_the_demo_and_takes_a_claim() {
    let dist = tempfile::tempdir().unwrap();
    let mut config = ServeConfig::new(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        postgres_database().await,
        dist.path().to_path_buf(),
    );
    config.demo = true;
    let (server, seeded) = Server::build(&config).await.expect("serves on PostgreSQL");
    assert!(seeded.is_some(), "the demo was seeded");
    assert!(server.state().db.sqlite().is_none());
    let address = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run(std::future::pending()));
    let donor = DemoDonor::signs_in(&address).await;
    let (wish, remaining) = donor.an_open_item_wish().await;
    assert_eq!(donor.claims_one(&wish).await, 201);
    let after = donor.get(&format!("/api/wishes/{wish}")).await;
    assert_eq!(after["remaining"].as_u64().unwrap() + 1, remaining);
}

/// The demo donor, signed in on the server at `address`.
struct DemoDonor {
    client: reqwest::Client,
    address: String,
    cookie: String,
}

impl DemoDonor {
    async fn signs_in(address: &str) -> DemoDonor {
        let client = reqwest::Client::new();
        let login = client
            .post(format!("{address}/api/auth/login"))
            .json(&json!({"phone": "13800000002", "password": "xingyi-donor-2026"}))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200, "{}", login.text().await.unwrap());
        let cookie = login.headers()["set-cookie"].to_str().unwrap();
        DemoDonor {
            cookie: cookie.split(';').next().unwrap().to_owned(),
            client,
            address: address.to_owned(),
        }
    }

    async fn get(&self, path: &str) -> serde_json::Value {
        let url = format!("{}{path}", self.address);
        self.client
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// An item wish with a unit left: its id and how many are left.
    async fn an_open_item_wish(&self) -> (String, u64) {
        let page = self.get("/api/wishes?kind=item").await;
        let wish = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|wish| wish["remaining"].as_u64() >= Some(1))
            .expect("an open demo wish");
        (
            wish["id"].as_str().unwrap().to_owned(),
            wish["remaining"].as_u64().unwrap(),
        )
    }

    async fn claims_one(&self, wish: &str) -> u16 {
        let claimed = self
            .client
            .post(format!("{}/api/wishes/{wish}/claims", self.address))
            .header("cookie", &self.cookie)
            .json(&json!({"quantity": 1}))
            .send()
            .await
            .unwrap();
        claimed.status().as_u16()
    }
}

/// Two servers on one PostgreSQL database, each looking at the database only every 30 s: a
/// phone on one still hears of a claim made on the other within a second (the commit's
/// NOTIFY), once; and when a server's connection for notices is cut, its phones are told to
/// pull (notices may have been missed meanwhile).
#[tokio::test]
async fn phones_hear_of_other_servers_commits_by_notify_and_pull_after_a_lost_listener() {
    let url = postgres_database().await;
    let dist = tempfile::tempdir().unwrap();
    let start = |demo: bool| {
        let mut config = ServeConfig::new(
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            url.clone(),
            dist.path().to_path_buf(),
        );
        config.demo = demo;
        config.watch_interval = Duration::from_secs(30);
        async move {
            let (server, _) = Server::build(&config).await.expect("serves");
            let address = format!("http://{}", server.local_addr().unwrap());
            tokio::spawn(server.run(std::future::pending()));
            address
        }
    };
    let one = start(true).await;
    let other = start(false).await;
    let client = reqwest::Client::new();
    let mut stream = client
        .get(format!("{one}/api/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    // The stream's opening (if any) first.
    let _ = tokio::time::timeout(Duration::from_millis(300), stream.chunk()).await;

    let donor = DemoDonor::signs_in(&other).await;
    let (wish, _) = donor.an_open_item_wish().await;
    assert_eq!(donor.claims_one(&wish).await, 201);
    let chunk = tokio::time::timeout(Duration::from_secs(1), stream.chunk())
        .await
        .expect("an event within 1 s, by NOTIFY")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&chunk).contains("event: change"));
    let again = tokio::time::timeout(Duration::from_millis(700), stream.chunk()).await;
    assert!(again.is_err(), "one change, one poke: {again:?}");

    // Every listening connection is cut (both servers'); each connects again and tells its
    // phones to pull.
    let admin = connect_postgres(&url).await.unwrap();
    let cut: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    assert_eq!(cut.len(), 2, "one listener per server");
    let chunk = tokio::time::timeout(Duration::from_secs(3), stream.chunk())
        .await
        .expect("told to pull after the listener came back")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&chunk).contains("event: change"));
}

/// The command line on PostgreSQL: `user add` writes through the same commands; `backup` and
/// `restore` say to use PostgreSQL's own tools instead.
#[tokio::test]
async fn the_command_line_adds_users_on_postgres_and_sends_backups_to_pg_dump() {
    use std::io::Write;
    let url = postgres_database().await;
    let binary = env!("CARGO_BIN_EXE_microwish-server");
    let mut adding = std::process::Command::new(binary)
        .args(["user", "add", "--role", "donor", "--phone", "13900000001"])
        .args([
            "--name",
            "命令行的捐赠人",
            "--password-stdin",
            "--database",
            &url,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    adding
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-password-2026\n")
        .unwrap();
    let added = adding.wait_with_output().unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let pg = connect_postgres(&url).await.unwrap();
    let (name,): (String,) = sqlx::query_as("SELECT display_name FROM users WHERE phone = $1")
        .bind("13900000001")
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!(name, "命令行的捐赠人");
    for args in [["backup", "copy.db"], ["restore", "copy.db"]] {
        let refused = std::process::Command::new(binary)
            .args(args)
            .args(["--database", &url])
            .output()
            .unwrap();
        assert!(!refused.status.success());
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("pg_dump"), "{said}");
    }
}

/// PostgreSQL's failures are typed as SQLite's are, from its SQLSTATEs, and answered as the
/// contract says: a taken id 409 `id_conflict`, a broken CHECK 409 `invalid_state`, a missing
/// referent 404; a serialization failure or deadlock (what the command path retries) and a
/// lock not available 503 `busy` with `Retry-After`, the request's fault in none of them.
#[tokio::test]
async fn failures_on_postgres_are_typed_and_answered_as_the_contract_says() {
    use axum::response::IntoResponse;
    use microwish_server::store::Failure;

    let url = postgres_database().await;
    let pool = connect_postgres(&url).await.unwrap();
    for table in [
        "CREATE TABLE a (n BIGINT PRIMARY KEY, q BIGINT CHECK (q >= 0))",
        "CREATE TABLE b (a BIGINT REFERENCES a (n))",
        "INSERT INTO a VALUES (1, 0)",
    ] {
        sqlx::query(table).execute(&pool).await.unwrap();
    }
    let writer = Writer::start_postgres(&url, 1, QUEUE_MAX).await.unwrap();
    let raise = |state: &str| {
        format!("DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '{state}'; END $$")
    };
    let cases = [
        (
            "INSERT INTO a VALUES (1, 0)".to_owned(),
            Failure::Unique,
            409,
            "id_conflict",
        ),
        (
            "INSERT INTO a VALUES (2, -1)".to_owned(),
            Failure::Check,
            409,
            "invalid_state",
        ),
        (
            "INSERT INTO b VALUES (9)".to_owned(),
            Failure::ForeignKey,
            404,
            "not_found",
        ),
        (raise("40001"), Failure::Serialization, 503, "busy"),
        (raise("40P01"), Failure::Serialization, 503, "busy"),
        (raise("55P03"), Failure::Busy, 503, "busy"),
        (raise("XX000"), Failure::Other, 500, "internal"),
    ];
    for (sql, failure, status, code) in cases {
        let error = writer
            .write(move |tx| tx.execute(&sql, &[]))
            .await
            .unwrap_err();
        assert!(error.is(failure), "{failure:?}: {error:?}");
        assert_eq!(error.is_server_error(), status >= 500, "{error:?}");
        let response = error.into_response();
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(
            response.headers().get("retry-after").is_some(),
            status == 503,
            "{failure:?}"
        );
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["code"], code);
        assert!(
            !problem["detail"].as_str().unwrap().contains("raised"),
            "the statement's words stay in the log: {problem}"
        );
    }
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM a")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "nothing was written");
}
