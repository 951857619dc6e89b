//! The server killed with SIGKILL while phones claim and push, again and again: after each
//! restart every claim and mutation it acknowledged is there, what was in flight lands once
//! when sent again, replays are answered from the record, the counters equal the claims, and
//! the file passes `PRAGMA integrity_check`. The same on PostgreSQL, and PostgreSQL itself
//! stopped at once under load and started again: the server reconnects by itself, phones
//! recover by sending again, and nothing acknowledged is lost.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use microwish_core::sync::{MutationStatus, PushResponse};
use microwish_core::{ClaimId, ClientId, Role, WishId, WishKind};
use microwish_server::store::Pool;
use serde_json::{json, Value};
use sqlx::SqlitePool;

use crate::helpers::{fresh_phone, INDEX_HTML};

const DONORS: usize = 6;
const KILLS: usize = 4;

/// The real server binary, as an operator runs it.
struct Process {
    child: Child,
    base: String,
}

impl Process {
    fn start(database: &str, dist: &std::path::Path) -> Process {
        Process::start_with(database, dist, &[])
    }

    /// [`Process::start`] with more of `serve`'s options.
    fn start_with(database: &str, dist: &std::path::Path, options: &[&str]) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_microwish-server"))
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .args(["--database", database])
            .arg("--dist")
            .arg(dist)
            .args(["--max-claim-units", "10000"])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("microwish listening on ")
                    .map(str::to_owned)
            })
            .expect("the server says where it listens");
        // Keep reading what it prints, so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Process { child, base }
    }

    fn kill(mut self) {
        // SIGKILL: no shutdown, no flush; what the OS had is what survives.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one round of phones saw before the server died.
#[derive(Default)]
struct Seen {
    /// REST claims answered 201.
    acknowledged: Vec<ClaimId>,
    /// REST claims sent but not answered: (donor index, claim id), to send again.
    in_flight: Vec<(usize, ClaimId)>,
    /// Push batches answered, and the one not answered (a phone sends it again).
    pushed: Vec<(Value, PushResponse)>,
    unanswered_pushes: Vec<Value>,
}

/// The wish's counter equals its claims, and a SQLite file passes SQLite's own check.
async fn assert_whole(db: &Pool, wish: WishId) {
    let (claimed, counted): (i64, i64) = db
        .fetch_one(
            "SELECT w.claimed, (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM claims c \
         WHERE c.wish_id = w.id AND c.status IN ('active', 'delivered', 'confirmed')) \
         FROM wishes w WHERE w.id = ?",
            microwish_server::args![wish.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(claimed, counted, "the counter equals the claims");
    if let Pool::Postgres(_) = db {
        return;
    }
    let integrity: String = db
        .fetch_one::<(_,)>("PRAGMA integrity_check", microwish_server::args![])
        .await
        .map(|(value,)| value)
        .unwrap();
    assert_eq!(integrity, "ok");
}

fn claim_mutation(id: u64, wish: WishId) -> Value {
    json!({"id": id, "name": "claim_wish",
           "args": {"id": ClaimId::generate(), "wish_id": wish, "quantity": 1}})
}

async fn register(client: &reqwest::Client, base: &str) -> String {
    let response = client
        .post(format!("{base}/api/auth/register"))
        .json(&json!({"display_name": "断电测试", "phone": fresh_phone(),
                      "password": "crash-test-password", "role": Role::Donor}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

async fn claim(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    wish: WishId,
    id: ClaimId,
) -> Result<u16, reqwest::Error> {
    let response = client
        .post(format!("{base}/api/wishes/{wish}/claims"))
        .header("cookie", cookie)
        .json(&json!({"id": id, "quantity": 1}))
        .send()
        .await?;
    let status = response.status().as_u16();
    // The answer counts only once its body has arrived whole.
    response.bytes().await?;
    Ok(status)
}

async fn push(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    client_id: ClientId,
    batch: &Value,
) -> Result<PushResponse, reqwest::Error> {
    let response = client
        .post(format!("{base}/api/sync/push"))
        .header("cookie", cookie)
        .json(&json!({"client_id": client_id, "mutations": batch}))
        .send()
        .await?;
    assert_eq!(response.status(), 200, "a push is answered or not at all");
    response.json().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_and_retries_land_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("crash.db").display());
    writes_survive_sigkills(&database).await;
}

/// The server on `database` (SQLite's file, or PostgreSQL: see `postgres.rs`) killed
/// [`KILLS`] times while [`DONORS`] phones claim and two push.
pub async fn writes_survive_sigkills(database: &str) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();

    let mut server = Process::start(database, &dist);
    let client = reqwest::Client::new();
    let mut cookies = Vec::new();
    for _ in 0..DONORS {
        cookies.push(register(&client, &server.base).await);
    }
    let db = if microwish_server::migrate::is_postgres(database) {
        Pool::Postgres(sqlx::PgPool::connect(database).await.unwrap())
    } else {
        Pool::Sqlite(SqlitePool::connect(database).await.unwrap())
    };
    let wish: String = db
        .fetch_one::<(_,)>(
            "SELECT id FROM wishes WHERE kind = ? AND status = 'open' ORDER BY id LIMIT 1",
            microwish_server::args![WishKind::Item.as_str()],
        )
        .await
        .map(|(value,)| value)
        .unwrap();
    db.execute(
        "UPDATE wishes SET quantity = 10000 WHERE id = ?",
        microwish_server::args![&wish],
    )
    .await
    .unwrap();
    let before_test: i64 = db
        .fetch_one::<(_,)>(
            "SELECT COUNT(*) FROM claims WHERE wish_id = ?",
            microwish_server::args![&wish],
        )
        .await
        .map(|(value,)| value)
        .unwrap();
    let wish: WishId = wish.parse().unwrap();
    // Two phones push offline claims; each keeps its numbering across the crashes.
    let pushers: Vec<(ClientId, String)> = (0..2)
        .map(|n| (ClientId::generate(), cookies[n].clone()))
        .collect();
    let mut next_mutation = [1_u64; 2];
    let mut all_acknowledged = Vec::new();
    let mut all_pushed: Vec<(usize, Value, PushResponse)> = Vec::new();

    for round in 0..KILLS {
        let mut tasks = Vec::new();
        for (donor, cookie) in cookies.iter().enumerate() {
            let (client, base, cookie) = (client.clone(), server.base.clone(), cookie.clone());
            tasks.push(tokio::spawn(async move {
                let mut seen = Seen::default();
                loop {
                    let id = ClaimId::generate();
                    match claim(&client, &base, &cookie, wish, id).await {
                        Ok(201) => seen.acknowledged.push(id),
                        Ok(status) => panic!("claim answered {status}"),
                        Err(_) => {
                            seen.in_flight.push((donor, id));
                            return seen;
                        }
                    }
                }
            }));
        }
        for (phone, (client_id, cookie)) in pushers.iter().enumerate() {
            let (client, base, cookie) = (client.clone(), server.base.clone(), cookie.clone());
            let (client_id, first) = (*client_id, next_mutation[phone]);
            tasks.push(tokio::spawn(async move {
                let mut seen = Seen::default();
                let mut next = first;
                loop {
                    let batch = json!([claim_mutation(next, wish), claim_mutation(next + 1, wish)]);
                    match push(&client, &base, &cookie, client_id, &batch).await {
                        Ok(answer) => {
                            next += 2;
                            seen.pushed.push((batch, answer));
                        }
                        Err(_) => {
                            seen.unanswered_pushes.push(batch);
                            return seen;
                        }
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(250 + 150 * round as u64)).await;
        server.kill();
        let mut seen = Vec::new();
        for task in tasks {
            seen.push(task.await.unwrap());
        }
        server = Process::start(database, &dist);

        // Every acknowledged claim is there.
        let acknowledged: Vec<ClaimId> = seen.iter().flat_map(|s| s.acknowledged.clone()).collect();
        assert!(
            !acknowledged.is_empty(),
            "round {round}: the phones got some claims in"
        );
        for id in &acknowledged {
            let found: Option<String> = db
                .fetch_optional::<(_,)>(
                    "SELECT status FROM claims WHERE id = ?",
                    microwish_server::args![id.to_string()],
                )
                .await
                .map(|row| row.map(|(value,)| value))
                .unwrap();
            assert_eq!(
                found.as_deref(),
                Some("active"),
                "round {round}: acknowledged claim {id} lost"
            );
        }
        println!(
            "kill {}: {} claims acknowledged, {} in flight, {} push batches answered",
            round + 1,
            acknowledged.len(),
            seen.iter().map(|s| s.in_flight.len()).sum::<usize>(),
            seen.iter().map(|s| s.pushed.len()).sum::<usize>(),
        );
        all_acknowledged.extend(acknowledged);
        // What was in flight, sent again with its id, lands once (new, or the stored one).
        for (donor, id) in seen.iter().flat_map(|s| s.in_flight.clone()) {
            let status = claim(&client, &server.base, &cookies[donor], wish, id)
                .await
                .unwrap();
            assert!(
                matches!(status, 200 | 201),
                "resent claim answered {status}"
            );
            all_acknowledged.push(id);
        }
        // Each pushing phone: its answered batches are answered the same again; the one
        // that died in flight is sent again and every mutation in it is applied.
        for (phone, (client_id, cookie)) in pushers.iter().enumerate() {
            let s = &seen[DONORS + phone];
            for (batch, answer) in &s.pushed {
                let again = push(&client, &server.base, cookie, *client_id, batch)
                    .await
                    .unwrap();
                assert_eq!(
                    &again, answer,
                    "round {round}: a replay is answered from the record"
                );
                all_pushed.push((phone, batch.clone(), answer.clone()));
            }
            for batch in &s.unanswered_pushes {
                let answer = push(&client, &server.base, cookie, *client_id, batch)
                    .await
                    .unwrap();
                assert_eq!(answer.results.len(), 2);
                assert!(answer
                    .results
                    .iter()
                    .all(|r| r.status == MutationStatus::Applied));
                all_pushed.push((phone, batch.clone(), answer));
                next_mutation[phone] = batch[1]["id"].as_u64().unwrap() + 1;
            }
        }

        assert_whole(&db, wish).await;
    }

    // Exactly once across everything: one claim per id sent, none twice.
    let pushed_claims = all_pushed
        .iter()
        .flat_map(|(_, batch, _)| batch.as_array().unwrap().clone())
        .map(|mutation| mutation["args"]["id"].as_str().unwrap().to_owned())
        .collect::<std::collections::HashSet<_>>();
    let rows: i64 = db
        .fetch_one::<(_,)>(
            "SELECT COUNT(*) FROM claims WHERE wish_id = ?",
            microwish_server::args![wish.to_string()],
        )
        .await
        .map(|(value,)| value)
        .unwrap();
    assert_eq!(
        rows - before_test,
        (all_acknowledged.len() + pushed_claims.len()) as i64,
        "every claim sent is there once"
    );
    server.kill();
}

async fn pull(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    client_id: ClientId,
    cursor: u64,
) -> Value {
    client
        .get(format!(
            "{base}/api/sync/pull?cursor={cursor}&client_id={client_id}"
        ))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_microwish-server"))
        .args(args)
        .output()
        .expect("the command runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_and_phones_recover_by_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    let database = format!("sqlite://{}", dir.path().join("live.db").display());
    let backup = dir.path().join("backup.db");
    let backup_arg = backup.to_str().unwrap();

    let server = Process::start(&database, &dist);
    let client = reqwest::Client::new();
    let phone = register(&client, &server.base).await;
    let db = Pool::Sqlite(SqlitePool::connect(&database).await.unwrap());
    let wish: String = db
        .fetch_one::<(_,)>(
            "SELECT id FROM wishes WHERE kind = 'item' AND status = 'open' ORDER BY id LIMIT 1",
            microwish_server::args![],
        )
        .await
        .map(|(value,)| value)
        .unwrap();
    db.execute(
        "UPDATE wishes SET quantity = 5000 WHERE id = ?",
        microwish_server::args![&wish],
    )
    .await
    .unwrap();
    let wish: WishId = wish.parse().unwrap();
    let client_id = ClientId::generate();
    let early = json!([
        claim_mutation(1, wish),
        claim_mutation(2, wish),
        claim_mutation(3, wish)
    ]);
    let answered = push(&client, &server.base, &phone, client_id, &early)
        .await
        .unwrap();
    assert!(answered
        .results
        .iter()
        .all(|r| r.status == MutationStatus::Applied));

    // Other donors keep claiming while the backup is taken.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut load = Vec::new();
    for _ in 0..2 {
        let cookie = register(&client, &server.base).await;
        let (client, base, stop) = (client.clone(), server.base.clone(), stop.clone());
        load.push(tokio::spawn(async move {
            let mut made = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                assert_eq!(
                    claim(&client, &base, &cookie, wish, ClaimId::generate())
                        .await
                        .unwrap(),
                    201
                );
                made += 1;
            }
            made
        }));
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    let backed_up = tokio::task::spawn_blocking({
        let args = ["backup", backup_arg, "--database", &database].map(str::to_owned);
        move || cli(&args.each_ref().map(String::as_str))
    })
    .await
    .unwrap();
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in load {
        assert!(task.await.unwrap() > 0, "the load ran");
    }

    // The phone syncs on after the backup.
    let late = json!([claim_mutation(4, wish), claim_mutation(5, wish)]);
    let late_answer = push(&client, &server.base, &phone, client_id, &late)
        .await
        .unwrap();
    assert!(late_answer
        .results
        .iter()
        .all(|r| r.status == MutationStatus::Applied));
    let mut page = pull(&client, &server.base, &phone, client_id, 0).await;
    while page["more"] == true {
        let cursor = page["cursor"].as_u64().unwrap();
        page = pull(&client, &server.base, &phone, client_id, cursor).await;
    }
    let cursor = page["cursor"].as_u64().unwrap();

    // Not while a server runs on it.
    let refused = cli(&["restore", backup_arg, "--database", &database]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("a server is running"));
    // A damaged backup is refused before anything is touched.
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, b"not a database at all").unwrap();
    server.kill();
    assert!(!cli(&[
        "restore",
        damaged.to_str().unwrap(),
        "--database",
        &database
    ])
    .status
    .success());

    let restored = cli(&["restore", backup_arg, "--database", &database]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(String::from_utf8_lossy(&restored.stdout).contains("restored"));
    let server = Process::start(&database, &dist);

    // The phone is told to start over, and learns the server has its first three changes…
    let after = pull(&client, &server.base, &phone, client_id, cursor).await;
    assert_eq!(
        after["reset"], true,
        "a cursor from after the backup starts over"
    );
    assert_eq!(after["last_mutation_id"], 3);
    // …so it sends the other two again: applied now, once.
    let resent = push(&client, &server.base, &phone, client_id, &late)
        .await
        .unwrap();
    assert!(resent
        .results
        .iter()
        .all(|r| r.status == MutationStatus::Applied));
    let replayed = push(&client, &server.base, &phone, client_id, &late)
        .await
        .unwrap();
    assert_eq!(replayed, resent);
    let db = Pool::Sqlite(SqlitePool::connect(&database).await.unwrap());
    let mine: i64 = db
        .fetch_one::<(_,)>(
            "SELECT COUNT(*) FROM claims WHERE wish_id = ? \
         AND user_id = (SELECT user_id FROM sync_clients WHERE client_id = ?)",
            microwish_server::args![wish.to_string(), client_id.to_string()],
        )
        .await
        .map(|(value,)| value)
        .unwrap();
    assert_eq!(mine, 5, "the phone's five claims, each once");
    assert_whole(&db, wish).await;
    server.kill();
}

/// Issue 23's sequence: a phone at cursor 250 (here 1000), a backup, the phone's claim applied (and
/// answered), a restore, four other claims, the phone's pull: it is told to start over (its
/// cursor is from before the restore, though not ahead of the restored log), and learns the
/// server no longer has its claim; it sends it again (it kept it) and the claim exists, once.
/// No version is handed out twice: the changes after the restore are numbered past the top the
/// live database had reached, and a phone that had seen that top starts over too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restore_every_phone_starts_over_and_its_lost_claim_is_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    let database = format!("sqlite://{}", dir.path().join("live.db").display());
    let backup = dir.path().join("backup.db");
    let backup_arg = backup.to_str().unwrap();

    let server = Process::start(&database, &dist);
    let client = reqwest::Client::new();
    let phone = register(&client, &server.base).await;
    let witness = register(&client, &server.base).await;
    let db = Pool::Sqlite(SqlitePool::connect(&database).await.unwrap());
    let (wish,): (String,) = db
        .fetch_one(
            "SELECT id FROM wishes WHERE kind = 'item' AND status = 'open' ORDER BY id LIMIT 1",
            microwish_server::args![],
        )
        .await
        .unwrap();
    // The log numbered on to 999; the wish's change is 1000 (the phone was at 250;
    // the demo data alone is past 400).
    db.execute(
        "UPDATE sqlite_sequence SET seq = 999 WHERE name = 'change_log'",
        microwish_server::args![],
    )
    .await
    .unwrap();
    db.execute(
        "UPDATE wishes SET quantity = 5000 WHERE id = ?",
        microwish_server::args![&wish],
    )
    .await
    .unwrap();
    db.execute(
        "INSERT INTO change_log (entity, entity_id) VALUES ('wish', ?)",
        microwish_server::args![&wish],
    )
    .await
    .unwrap();
    let wish: WishId = wish.parse().unwrap();
    let client_id = ClientId::generate();
    let mut page = pull(&client, &server.base, &phone, client_id, 0).await;
    while page["more"] == true {
        let cursor = page["cursor"].as_u64().unwrap();
        page = pull(&client, &server.base, &phone, client_id, cursor).await;
    }
    let cursor = page["cursor"].as_u64().unwrap();
    assert_eq!(cursor, 1000);

    let backed_up = cli(&["backup", backup_arg, "--database", &database]);
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );
    // The phone's claim is applied and answered after the backup.
    let mutation = claim_mutation(1, wish);
    let claim_id = mutation["args"]["id"].as_str().unwrap().to_owned();
    let answered = push(&client, &server.base, &phone, client_id, &json!([mutation]))
        .await
        .unwrap();
    assert_eq!(answered.results[0].status, MutationStatus::Applied);
    // Another phone saw the live database's top.
    let witness_id = ClientId::generate();
    let mut seen = pull(&client, &server.base, &witness, witness_id, 0).await;
    while seen["more"] == true {
        let cursor = seen["cursor"].as_u64().unwrap();
        seen = pull(&client, &server.base, &witness, witness_id, cursor).await;
    }
    let live_top = seen["cursor"].as_u64().unwrap();
    assert!(live_top > 1000);
    drop(db);
    server.kill();

    let restored = cli(&["restore", backup_arg, "--database", &database]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let said = String::from_utf8_lossy(&restored.stdout);
    assert!(
        said.contains(&format!("versions 1001..={live_top}")),
        "{said}"
    );
    let server = Process::start(&database, &dist);
    let others = register(&client, &server.base).await;
    for _ in 0..4 {
        let status = claim(&client, &server.base, &others, wish, ClaimId::generate())
            .await
            .unwrap();
        assert_eq!(status, 201);
    }
    let db = Pool::Sqlite(SqlitePool::connect(&database).await.unwrap());
    let (first_new,): (i64,) = db
        .fetch_one(
            "SELECT MIN(version) FROM change_log WHERE version > 1000",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert!(
        u64::try_from(first_new).unwrap() > live_top + 1,
        "no version handed out twice: {first_new} after {live_top}"
    );

    // The phone at 1000 starts over, and learns the server has none of its mutations.
    let after = pull(&client, &server.base, &phone, client_id, cursor).await;
    assert_eq!(
        after["reset"], true,
        "a phone from before the restore starts over"
    );
    assert_eq!(after["last_mutation_id"], 0);
    // The phone that had seen the lost top starts over too.
    let witnessed = pull(&client, &server.base, &witness, witness_id, live_top).await;
    assert_eq!(witnessed["reset"], true);
    // The phone sends its kept claim again: applied now, once.
    let resent = push(&client, &server.base, &phone, client_id, &json!([mutation]))
        .await
        .unwrap();
    assert_eq!(resent.results[0].status, MutationStatus::Applied);
    let replayed = push(&client, &server.base, &phone, client_id, &json!([mutation]))
        .await
        .unwrap();
    assert_eq!(replayed, resent);
    let (found,): (i64,) = db
        .fetch_one(
            "SELECT COUNT(*) FROM claims WHERE id = ? AND status = 'active'",
            microwish_server::args![&claim_id],
        )
        .await
        .unwrap();
    assert_eq!(found, 1, "the phone's claim exists after the restore");
    // Once started over, the phone goes on from its new cursor.
    let mut page = pull(&client, &server.base, &phone, client_id, 0).await;
    while page["more"] == true {
        let cursor = page["cursor"].as_u64().unwrap();
        page = pull(&client, &server.base, &phone, client_id, cursor).await;
    }
    let fresh = page["cursor"].as_u64().unwrap();
    assert!(fresh > live_top);
    let again = pull(&client, &server.base, &phone, client_id, fresh).await;
    assert_eq!(again["reset"], false, "each phone starts over once");
    assert_whole(&db, wish).await;
    server.kill();
}

/// Push deliveries survive a SIGKILL between the event and the send, and none is sent twice
/// after the restart: some notices pushed before the kill, some whose pushes failed and wait
/// for their retry, some committed just before it; after the restart the device has received
/// each notice exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_deliveries_survive_sigkill_and_none_is_sent_twice() {
    use crate::notices::{Device, LocalEndpoint};
    use axum::http::StatusCode;

    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    let database = format!("sqlite://{}", dir.path().join("push.db").display());
    let endpoint = LocalEndpoint::start().await;
    let options = ["--allow-push-endpoint", endpoint.address.as_str()];
    let server = Process::start_with(&database, &dist, &options);
    let client = reqwest::Client::new();
    let donor = register(&client, &server.base).await;
    let device = Device::new(format!("http://{}/push/1", endpoint.address));
    let subscribed = client
        .post(format!("{}/api/push/subscriptions", server.base))
        .header("cookie", &donor)
        .json(&device.subscription())
        .send()
        .await
        .unwrap();
    assert_eq!(subscribed.status(), 201);
    let db = Pool::Sqlite(SqlitePool::connect(&database).await.unwrap());
    let wish: String = db
        .fetch_one::<(_,)>(
            "SELECT id FROM wishes WHERE kind = 'item' AND status = 'open' ORDER BY id LIMIT 1",
            microwish_server::args![],
        )
        .await
        .map(|(value,)| value)
        .unwrap();
    db.execute(
        "UPDATE wishes SET quantity = 100 WHERE id = ?",
        microwish_server::args![&wish],
    )
    .await
    .unwrap();
    let worker = login(&client, &server.base, "13800000001", "xingyi-worker-2026").await;
    let confirm = |base: String| {
        let (client, donor, worker, wish) =
            (client.clone(), donor.clone(), worker.clone(), wish.clone());
        async move {
            let id = ClaimId::generate();
            let post = |path: String, cookie: &str, body: Value| {
                client
                    .post(format!("{base}{path}"))
                    .header("cookie", cookie)
                    .json(&body)
                    .send()
            };
            let claim = json!({"id": id, "quantity": 1});
            let claimed = post(format!("/api/wishes/{wish}/claims"), &donor, claim)
                .await
                .unwrap();
            assert_eq!(claimed.status(), 201);
            post(format!("/api/claims/{id}/deliver"), &donor, json!({}))
                .await
                .unwrap();
            let confirmed = post(format!("/api/claims/{id}/confirm"), &worker, json!({}))
                .await
                .unwrap();
            assert_eq!(confirmed.status(), 200);
        }
    };
    // Pushed before the kill.
    for _ in 0..3 {
        confirm(server.base.clone()).await;
    }
    endpoint.wait_for(3).await;
    // Tried, failed, waiting for their retry.
    endpoint.answer(StatusCode::SERVICE_UNAVAILABLE);
    for _ in 0..3 {
        confirm(server.base.clone()).await;
    }
    for _ in 0..200 {
        let (tried,): (i64,) = db
            .fetch_one(
                "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND attempts > 0",
                microwish_server::args![],
            )
            .await
            .unwrap();
        if tried == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Committed right before the kill: not queued or not sent yet.
    for _ in 0..2 {
        confirm(server.base.clone()).await;
    }
    server.kill();
    endpoint.answer(StatusCode::CREATED);
    let server = Process::start_with(&database, &dist, &options);

    // The retries are due ten seconds after their failure; a lease the dead server held runs
    // out within a minute.
    for _ in 0..1800 {
        if endpoint.count() >= 8 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let received: Vec<String> = endpoint
        .received
        .lock()
        .unwrap()
        .iter()
        .map(|(_, body)| device.decrypt(body)["id"].as_str().unwrap().to_owned())
        .collect();
    let distinct: std::collections::HashSet<&String> = received.iter().collect();
    assert_eq!(received.len(), 8, "every notice pushed: {received:?}");
    assert_eq!(distinct.len(), 8, "none twice: {received:?}");
    let (stored,): (i64,) = db
        .fetch_one(
            "SELECT COUNT(*) FROM notices WHERE kind = 'claim_confirmed' AND user_id = \
             (SELECT user_id FROM push_subscriptions)",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(stored, 8);
    server.kill();
}

async fn login(client: &reqwest::Client, base: &str, phone: &str, password: &str) -> String {
    let response = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// The server killed again and again on PostgreSQL (the tests' cluster): what it acknowledged
/// is there after each restart, retries land once, the counters equal the claims.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    writes_survive_sigkills(&crate::helpers::postgres_database().await).await;
}

/// A PostgreSQL cluster of this test's own, syncing every commit (what a crash may take is
/// then exactly what was not acknowledged); removed when dropped.
struct OwnCluster {
    dir: tempfile::TempDir,
    admin: String,
}

impl OwnCluster {
    const SCRIPT: &'static str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-cluster.sh");

    fn run(&self, command: &str) -> String {
        let out = Command::new(Self::SCRIPT)
            .arg(command)
            .env("MICROWISH_PG_DIR", self.dir.path().join("pg"))
            .env("MICROWISH_PG_DURABLE", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg-cluster.sh {command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    async fn start() -> OwnCluster {
        let dir = tempfile::tempdir().unwrap();
        // PostgreSQL runs as its own user when the tests run as root.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let mut cluster = OwnCluster {
            dir,
            admin: String::new(),
        };
        cluster.admin = cluster.run("start");
        cluster
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = Command::new(Self::SCRIPT)
            .arg("stop")
            .env("MICROWISH_PG_DIR", self.dir.path().join("pg"))
            .status();
    }
}

/// What one phone did while the database went down and came back.
#[derive(Default)]
struct Outlived {
    /// Claims answered 201 (or 200: a retry answered with the stored claim).
    acknowledged: Vec<ClaimId>,
    /// Answers other than success while the database was away (503 and the like).
    refused: usize,
    /// Claims acknowledged after the database came back.
    after_revival: usize,
}

/// PostgreSQL stopped at once (no checkpoint, as a power cut) while phones claim and push,
/// then started again: the running server reconnects by itself; phones whose requests were
/// refused meanwhile send them again (the same ids) and get in; every acknowledged claim and
/// mutation is there once; the counters equal the claims; every change is numbered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_at_once_under_load_loses_nothing_acknowledged() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let cluster = OwnCluster::start().await;
    let admin = sqlx::PgPool::connect(&cluster.admin).await.unwrap();
    sqlx::query("CREATE DATABASE outage")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let database = format!("{}/outage", cluster.admin.rsplit_once('/').unwrap().0);
    let dist = cluster.dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    let server = Process::start(&database, &dist);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut cookies = Vec::new();
    for _ in 0..4 {
        cookies.push(register(&client, &server.base).await);
    }
    let wish: WishId = {
        let db = sqlx::PgPool::connect(&database).await.unwrap();
        let (wish,): (String,) = sqlx::query_as(
            "SELECT id FROM wishes WHERE kind = 'item' AND status = 'open' ORDER BY id LIMIT 1",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        sqlx::query("UPDATE wishes SET quantity = 10000 WHERE id = $1")
            .bind(&wish)
            .execute(&db)
            .await
            .unwrap();
        db.close().await;
        wish.parse().unwrap()
    };

    let revived = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut claimers = Vec::new();
    for cookie in cookies.iter().skip(1) {
        let (client, base, cookie) = (client.clone(), server.base.clone(), cookie.clone());
        let (revived, stop) = (revived.clone(), stop.clone());
        claimers.push(tokio::spawn(async move {
            let mut outlived = Outlived::default();
            while !stop.load(Ordering::Relaxed) {
                let id = ClaimId::generate();
                // Sent again, the same id, until it is answered: as the phone's outbox does.
                for tries in 0.. {
                    assert!(tries < 100, "claim {id} not taken in 10 s of trying");
                    match claim(&client, &base, &cookie, wish, id).await {
                        Ok(200 | 201) => break,
                        Ok(409 | 422) => panic!("a claim was refused by the rules"),
                        _ => {
                            outlived.refused += 1;
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    }
                }
                outlived.acknowledged.push(id);
                if revived.load(Ordering::Relaxed) {
                    outlived.after_revival += 1;
                }
            }
            outlived
        }));
    }
    // One phone pushes offline claims, two at a time, each batch sent until it is answered.
    let pusher = {
        let (client, base, cookie) = (client.clone(), server.base.clone(), cookies[0].clone());
        let stop = stop.clone();
        tokio::spawn(async move {
            let client_id = ClientId::generate();
            let mut next = 1;
            let mut claims = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let batch = json!([claim_mutation(next, wish), claim_mutation(next + 1, wish)]);
                for tries in 0.. {
                    assert!(tries < 100, "push {next} not taken in 10 s of trying");
                    let answer = client
                        .post(format!("{base}/api/sync/push"))
                        .header("cookie", &cookie)
                        .json(&json!({"client_id": client_id, "mutations": &batch}))
                        .send()
                        .await;
                    if let Ok(answer) = answer {
                        if answer.status() == 200 {
                            let answer: PushResponse = answer.json().await.unwrap();
                            assert!(answer
                                .results
                                .iter()
                                .all(|r| r.status == MutationStatus::Applied));
                            break;
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                for mutation in batch.as_array().unwrap() {
                    claims.push(mutation["args"]["id"].as_str().unwrap().to_owned());
                }
                next += 2;
            }
            claims
        })
    };

    tokio::time::sleep(Duration::from_millis(800)).await;
    cluster.run("crash");
    tokio::time::sleep(Duration::from_secs(1)).await;
    cluster.run("revive");
    revived.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);

    let mut acknowledged = Vec::new();
    let (mut refused, mut after_revival) = (0, 0);
    for claimer in claimers {
        let outlived = claimer.await.unwrap();
        acknowledged.extend(outlived.acknowledged);
        refused += outlived.refused;
        after_revival += outlived.after_revival;
    }
    let pushed = pusher.await.unwrap();
    println!(
        "PostgreSQL stopped and started: {} claims acknowledged ({after_revival} after), \
         {refused} answers to send again, {} pushed",
        acknowledged.len(),
        pushed.len()
    );
    assert!(refused > 0, "the outage was felt");
    assert!(after_revival > 0, "the server took claims again by itself");

    let db = Pool::Postgres(sqlx::PgPool::connect(&database).await.unwrap());
    let stored: Vec<(String,)> = db
        .fetch_all(
            "SELECT id FROM claims WHERE wish_id = ? AND status = 'active'",
            microwish_server::args![wish.to_string()],
        )
        .await
        .unwrap();
    let stored: std::collections::BTreeSet<String> = stored.into_iter().map(|(id,)| id).collect();
    let mut sent: std::collections::BTreeSet<String> =
        acknowledged.iter().map(ClaimId::to_string).collect();
    sent.extend(pushed.iter().cloned());
    assert_eq!(
        sent.len(),
        acknowledged.len() + pushed.len(),
        "ids are each sent once"
    );
    assert_eq!(
        stored, sent,
        "every acknowledged claim is there, once, and no other"
    );
    assert_whole(&db, wish).await;
    // Every claim's change is numbered (a server numbers after its commits, and what a lost
    // connection left unnumbered at its next look), and a pull from the start reads them.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (unnumbered,): (i64,) = db
        .fetch_one(
            "SELECT COUNT(*) FROM change_log WHERE version IS NULL",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(unnumbered, 0);
    let page = pull(&client, &server.base, &cookies[1], ClientId::generate(), 0).await;
    assert!(page["cursor"].as_u64().unwrap() > 0, "{page}");
    server.kill();
}
