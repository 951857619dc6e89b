//! What the schema stores in core's words: each CHECK that lists a column's values lists
//! exactly its enum's values, and every time is one fixed-width text whose order is the time's
//! (a migration rewrote the older shapes). PostgreSQL's twins are in `postgres`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};
use microwish_core::pairing::PairingStatus;
use microwish_core::sync::MutationStatus;
use microwish_core::{
    AllocationStatus, Channel, ClaimStatus, Entity, HandlerKind, NoticeChannel, NoticeKind,
    PhotoStage, Reminder, RequestCategory, RequestStatus, Role, Urgency, VolunteerStatus, WishKind,
    WishStatus,
};
use microwish_server::args;
use microwish_server::store::{Pool, TIME_FORMAT};

use crate::helpers::spawn_demo_app;

/// A column's listed values: (table, column) → values.
pub type Lists = BTreeMap<(String, String), BTreeSet<String>>;

/// The columns whose CHECK lists values, each with the enum those values must be.
pub fn expected_lists() -> Lists {
    fn values<T: std::fmt::Display>(all: &[T]) -> BTreeSet<String> {
        all.iter().map(ToString::to_string).collect()
    }
    // The change log names what phones sync; an allocation changes inside its pledge's view,
    // a call is a view of a request, a certificate is read by its link, a pairing online.
    let logged: Vec<Entity> = Entity::ALL
        .iter()
        .copied()
        .filter(|entity| {
            !matches!(
                entity,
                Entity::Allocation | Entity::Call | Entity::Certificate | Entity::Pairing
            )
        })
        .collect();
    [
        (("wishes", "kind"), values(WishKind::ALL)),
        (("wishes", "status"), values(WishStatus::ALL)),
        (("claims", "status"), values(ClaimStatus::ALL)),
        (("allocations", "status"), values(AllocationStatus::ALL)),
        (("users", "role"), values(Role::ALL)),
        (("users", "volunteer_status"), values(VolunteerStatus::ALL)),
        (("sync_results", "status"), values(MutationStatus::ALL)),
        (("change_log", "entity"), values(&logged)),
        (("requests", "category"), values(RequestCategory::ALL)),
        (("requests", "urgency"), values(Urgency::ALL)),
        (("requests", "channel"), values(Channel::ALL)),
        (("requests", "status"), values(RequestStatus::ALL)),
        (("requests", "handler_kind"), values(HandlerKind::ALL)),
        (("request_photos", "stage"), values(PhotoStage::ALL)),
        (("notices", "kind"), values(NoticeKind::ALL)),
        (
            ("notice_preferences", "channel"),
            values(NoticeChannel::ALL),
        ),
        (("deliveries", "channel"), values(NoticeChannel::ALL)),
        (
            ("deliveries", "status"),
            values(&microwish_server::store::deliveries::STATUSES),
        ),
        (("reminders", "reminder"), values(Reminder::ALL)),
        (("pairings", "status"), values(PairingStatus::ALL)),
    ]
    .into_iter()
    .map(|((table, column), values)| ((table.to_owned(), column.to_owned()), values))
    .collect()
}

/// Every `CHECK (column IN ('a', 'b', …))` of a table's SQL (lists of numbers are flags, not
/// vocabulary, and are left out).
fn checked_lists(table: &str, sql: &str, lists: &mut Lists) {
    for (at, _) in sql.match_indices("CHECK") {
        let Some(rest) = sql[at + "CHECK".len()..].trim_start().strip_prefix('(') else {
            continue;
        };
        let rest = rest.trim_start();
        let column: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let Some(rest) = rest[column.len()..].trim_start().strip_prefix("IN") else {
            continue;
        };
        let Some(list) = rest.trim_start().strip_prefix('(') else {
            continue;
        };
        let values: BTreeSet<String> = list[..list.find(')').unwrap()]
            .split(',')
            .filter_map(|value| value.trim().strip_prefix('\'')?.strip_suffix('\''))
            .map(str::to_owned)
            .collect();
        if !values.is_empty() {
            lists.insert((table.to_owned(), column), values);
        }
    }
}

async fn sqlite_schema() -> (tempfile::TempDir, sqlx::SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("schema.db").display());
    let db = microwish_server::db::connect(&url).await.unwrap();
    (dir, db)
}

#[tokio::test]
async fn each_sqlite_check_lists_exactly_its_enums_values() {
    let (_dir, db) = sqlite_schema().await;
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let mut found = Lists::new();
    for (table, sql) in &tables {
        checked_lists(table, sql, &mut found);
    }
    assert_eq!(found, expected_lists());
}

#[test]
fn a_check_is_read_whatever_its_layout() {
    let mut found = Lists::new();
    checked_lists(
        "t",
        "CREATE TABLE t (a TEXT CHECK (a IN ('x', 'y')), b INTEGER CHECK (b IN (0, 1)), \
         c TEXT NOT NULL CHECK (c IN\n        ('z')), CHECK (0 <= b))",
        &mut found,
    );
    let list = |values: &[&str]| values.iter().map(|v| v.to_string()).collect();
    assert_eq!(
        found,
        Lists::from([
            (("t".into(), "a".into()), list(&["x", "y"])),
            (("t".into(), "c".into()), list(&["z"])),
        ])
    );
}

/// A stored time: always `YYYY-MM-DDTHH:MM:SS.ffffffZ`; the instant it names.
pub fn stored(text: &str) -> DateTime<Utc> {
    assert_eq!(text.len(), "2026-07-01T02:00:05.300000Z".len(), "{text}");
    NaiveDateTime::parse_from_str(text, TIME_FORMAT)
        .unwrap_or_else(|error| panic!("{text}: {error}"))
        .and_utc()
}

#[tokio::test]
async fn stored_times_are_fixed_width_and_sort_in_time_order_across_a_second() {
    let app = spawn_demo_app().await;
    // 300 ms before a whole second, then on it, then 300 ms after it.
    let now = app.clock.now();
    let next_second = now.trunc_subsecs(0) + Duration::seconds(1);
    app.clock
        .advance(next_second - now - Duration::milliseconds(300));
    let mut registered = Vec::new();
    for _ in 0..3 {
        let user = app.register(Role::Donor).await;
        registered.push((user.me.id.to_string(), app.clock.now()));
        app.clock.advance(Duration::milliseconds(300));
    }
    let rows: Vec<(String, String)> = app
        .db
        .fetch_all(
            "SELECT id, created_at FROM users WHERE id IN (?, ?, ?) ORDER BY created_at",
            microwish_server::args![registered[0].0, registered[1].0, registered[2].0],
        )
        .await
        .unwrap();
    let read: Vec<(String, DateTime<Utc>)> = rows
        .iter()
        .map(|(id, text)| (id.clone(), stored(text)))
        .collect();
    assert_eq!(
        read, registered,
        "in the order they registered, to the microsecond"
    );
    assert!(rows[0].1.ends_with(".700000Z"), "{rows:?}");
    assert!(rows[1].1.ends_with(".000000Z"), "{rows:?}");
    assert!(rows[2].1.ends_with(".300000Z"), "{rows:?}");
}

/// Times as servers before this version stored them (and the first migrations' defaults).
pub const OLD_SHAPES: [(&str, &str); 5] = [
    ("2026-07-01T02:00:05+00:00", "2026-07-01T02:00:05.000000Z"),
    ("2026-07-01T02:00:05.3+00:00", "2026-07-01T02:00:05.300000Z"),
    (
        "2026-07-01T02:00:05.123456789+00:00",
        "2026-07-01T02:00:05.123456Z",
    ),
    ("2026-07-01T02:00:05.300Z", "2026-07-01T02:00:05.300000Z"),
    ("2026-07-01T02:00:06Z", "2026-07-01T02:00:06.000000Z"),
];

/// The migrations of `dir` (`migrations`, `migrations-postgres`) before the one that made
/// times fixed-width: a schema as that version found it.
pub async fn migrations_before_precise_times(
    dir: &str,
) -> (tempfile::TempDir, sqlx::migrate::Migrator) {
    let older = tempfile::tempdir().unwrap();
    let migrations = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let precise = names
        .iter()
        .position(|name| name == "0012_precise_times.sql")
        .expect("the migration that made times fixed-width");
    names.truncate(precise);
    for name in &names {
        std::fs::copy(format!("{migrations}/{name}"), older.path().join(name)).unwrap();
    }
    let migrator = sqlx::migrate::Migrator::new(older.path()).await.unwrap();
    (older, migrator)
}

/// Stores each of [`OLD_SHAPES`] as a user's sign-up and vetting time and as an event's time.
pub async fn store_old_times(db: &Pool) {
    for (n, (old, _)) in OLD_SHAPES.iter().enumerate() {
        db.execute(
            "INSERT INTO users (id, phone, display_name, role, password_hash, created_at, \
             vetted_at) VALUES (?, ?, '某人', 'donor', 'x', ?, ?)",
            args![format!("user-{n}"), format!("1390000000{n}"), *old, *old],
        )
        .await
        .unwrap();
        db.execute(
            "INSERT INTO events (at, entity, entity_id, action) VALUES (?, 'wish', ?, 'publish')",
            args![*old, format!("wish-{n}")],
        )
        .await
        .unwrap();
    }
}

/// Asserts that the times [`store_old_times`] stored now have the fixed-width shape.
pub async fn assert_times_rewritten(db: &Pool) {
    for (n, (_, new)) in OLD_SHAPES.iter().enumerate() {
        let (created, vetted): (String, String) = db
            .fetch_one(
                "SELECT created_at, vetted_at FROM users WHERE id = ?",
                args![format!("user-{n}")],
            )
            .await
            .unwrap();
        let (at,): (String,) = db
            .fetch_one(
                "SELECT at FROM events WHERE entity_id = ?",
                args![format!("wish-{n}")],
            )
            .await
            .unwrap();
        assert_eq!([created, vetted, at], [*new; 3].map(str::to_owned));
        stored(new);
    }
}

#[tokio::test]
async fn the_migration_rewrites_every_older_time_to_the_fixed_width() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let options =
        microwish_server::db::options(&url, sqlx::sqlite::SqliteSynchronous::Full).unwrap();
    let db = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let (_older, migrator) = migrations_before_precise_times("migrations").await;
    migrator.run(&db).await.unwrap();
    store_old_times(&Pool::Sqlite(db.clone())).await;
    db.close().await;

    let db = microwish_server::db::connect(&url).await.unwrap();
    assert_times_rewritten(&Pool::Sqlite(db)).await;
}
