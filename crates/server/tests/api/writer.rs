//! The writer's back-pressure over HTTP: with every writer connection taken and its queue
//! full, a write is turned away at once (503 `busy`, `Retry-After`) and nothing is done.

use std::sync::Arc;
use std::time::Duration;

use microwish_core::{Role, WishKind};
use microwish_server::error::ApiError;
use serde_json::json;
use tokio::sync::RwLock;

use crate::helpers::{assert_problem, spawn_demo_app_with};

#[tokio::test]
async fn a_claim_finding_the_writers_queue_full_is_told_to_come_back() {
    // Room for what the app itself writes meanwhile (the hold timer's first look).
    let app = spawn_demo_app_with(|config| config.writer_queue = 4).await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;

    // Writes that wait for the test: they take every writer connection (one on SQLite, several
    // on PostgreSQL), then every place in the queue. Full once one is turned away and, a
    // moment later (time for an idle connection to take the queued one), another too.
    let gate = Arc::new(RwLock::new(()));
    let held = gate.clone().write_owned().await;
    let mut waiting = Vec::new();
    let mut turned_away = 0;
    while turned_away < 2 {
        let (writer, gate) = (app.state.writer.clone(), gate.clone());
        let mut blocker = Box::pin(async move {
            writer
                .write(move |_| {
                    drop(gate.blocking_read());
                    Ok(())
                })
                .await
        });
        match tokio::time::timeout(Duration::from_millis(100), &mut blocker).await {
            Err(_) => {
                turned_away = 0;
                waiting.push(tokio::spawn(blocker));
            }
            Ok(Err(ApiError::Busy { retry_after: 1 })) => {
                turned_away += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Ok(other) => panic!("a held write answered {other:?}"),
        }
        assert!(waiting.len() < 40, "the queue never filled");
    }

    let refused = app.claim(&donor, wish.id, json!({"quantity": 1})).await;
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_problem(refused, 503, "busy").await;

    drop(held);
    for blocker in waiting {
        blocker.await.unwrap().unwrap();
    }
    assert_eq!(
        app.wish(wish.id).await.claimed,
        0,
        "the refused claim did nothing"
    );
    app.claim_ok(&donor, wish.id, 1).await;
    assert_eq!(app.wish(wish.id).await.claimed, 1);
}
