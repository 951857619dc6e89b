//! The engine driven through the sequences that matter, against a small stand-in for the
//! server (the same rules through `decide`, the same exactly-once bookkeeping) and a stand-in
//! for IndexedDB shared by the tabs of one phone.

use std::collections::HashMap;

use super::*;
use crate::command::Policy;
use crate::command::{Actor, ReleaseClaim};
use crate::decide::{ClaimState, Facts, WishState};
use crate::error::RuleError;
use crate::ids::ClientId;
use crate::model::{ClaimStatus, Role, WishStatus};
use crate::overlay::tests::{claim, me, now, public_wish};
use crate::sync::{Change, MutationResult, Op};

/// Per client: the last mutation id, and each mutation's fingerprint and result.
type ClientRecord = (u64, HashMap<u64, (String, MutationResult)>);

/// The server's side, as far as sync goes: wishes and claims, the last mutation id and the
/// fingerprint of every mutation per client.
#[derive(Default)]
struct Server {
    state: LocalState,
    clients: HashMap<ClientId, ClientRecord>,
    version: u64,
    users: HashMap<crate::ids::UserId, Me>,
}

impl Server {
    fn with_wish(quantity: u32) -> (Server, WishId) {
        let mut server = Server::default();
        let wish = public_wish(quantity);
        let id = wish.id;
        server.state.wishes.insert(id, wish);
        (server, id)
    }

    fn push(&mut self, request: &PushRequest) -> Result<PushResponse, Failure> {
        let (last, seen) = self.clients.entry(request.client_id).or_default();
        let mut results = Vec::new();
        for mutation in &request.mutations {
            let fingerprint = Mutation::fingerprint(&mutation.command);
            match seen.get(&mutation.id) {
                Some((known, result)) if *known == fingerprint => {
                    results.push(result.clone());
                    continue;
                }
                _ if mutation.id == *last + 1 => {}
                _ if results.is_empty() => {
                    return Err(Failure::Gap {
                        expected: *last + 1,
                    })
                }
                _ => break,
            }
            let author = self.users.values().next().cloned().expect("a user pushes");
            let outcome = apply(&mut self.state, &author, &mutation.command);
            let result = MutationResult {
                id: mutation.id,
                status: if outcome.is_ok() {
                    MutationStatus::Applied
                } else {
                    MutationStatus::Rejected
                },
                code: outcome.err().map(|error| error.code()),
                message: None,
            };
            *last = mutation.id;
            seen.insert(mutation.id, (fingerprint, result.clone()));
            results.push(result);
        }
        self.version += 1;
        Ok(PushResponse { results })
    }

    fn pull(&mut self, client: ClientId) -> PullResponse {
        self.version += 1;
        let last = self.clients.get(&client).map_or(0, |(last, _)| *last);
        let mut changes: Vec<Change> = self
            .state
            .wishes
            .values()
            .map(|wish| Change::Wish {
                id: wish.id,
                op: Op::Put,
                data: Some(wish.clone()),
            })
            .collect();
        changes.extend(self.state.claims.values().map(|claim| Change::Claim {
            id: claim.id,
            op: Op::Put,
            data: Some(Box::new(claim.clone())),
        }));
        PullResponse {
            cursor: self.version,
            last_mutation_id: last,
            reset: true,
            more: false,
            policy: Policy::default(),
            me: self.users.values().next().cloned(),
            changes,
        }
    }

    /// Someone else claims, straight on the server.
    fn claim_directly(&mut self, wish: WishId, quantity: i64) {
        let other = me(Role::Donor);
        apply(&mut self.state, &other, &claim(wish, quantity).1).expect("claimed");
    }
}

fn apply(state: &mut LocalState, user: &Me, command: &Command) -> Result<(), RuleError> {
    state.apply(user, command, now(), Policy::default())?;
    Ok(())
}

/// The phone's IndexedDB: one outbox and one counter for every tab.
#[derive(Default)]
struct Store {
    outbox: Vec<Mutation>,
    kept: Vec<Mutation>,
    next: u64,
}

impl Store {
    fn enqueue(&mut self, command: Command) -> Mutation {
        self.next = self.next.max(1);
        let mutation = Mutation {
            id: self.next,
            command,
        };
        self.next += 1;
        self.outbox.push(mutation.clone());
        mutation
    }
}

/// One tab of the app: the engine and what it asked for.
struct Tab {
    engine: Engine,
    effects: Vec<Effect>,
}

impl Tab {
    /// A tab of `user` whose cache holds `server`'s state, online and synced.
    fn synced(user: &Me, server: &mut Server) -> Tab {
        server.users.insert(user.id, user.clone());
        let meta = Meta::fresh(Some(user.clone()));
        let mut tab = Tab {
            engine: Engine::new(),
            effects: Vec::new(),
        };
        let snapshot = Snapshot {
            state: server.state.clone(),
            outbox: Vec::new(),
            kept: Vec::new(),
            meta: Some(meta),
        };
        tab.input(Input::Loaded {
            snapshot: Box::new(snapshot),
            online: true,
        });
        tab.answer_session(Ok(user.clone()));
        tab.serve(server, &mut Store::default());
        tab
    }

    /// Feeds `input`; returns what it asked for (also kept for `serve`).
    fn input(&mut self, input: Input) -> Vec<Effect> {
        let effects = self.engine.handle(input, now());
        self.effects.extend(effects.iter().cloned());
        effects
    }

    fn mutate(&mut self, command: Command, store: &mut Store) {
        let effects = self.engine.mutate(command, now()).expect("allowed");
        let [Effect::Enqueue(command)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        let mutation = store.enqueue(command.clone());
        self.input(Input::Enqueued(mutation));
    }

    fn token_of(&self, wanted: fn(&Effect) -> Option<u64>) -> Option<u64> {
        self.effects.iter().find_map(wanted)
    }

    fn answer_session(&mut self, result: Result<Me, Failure>) {
        let token = self
            .token_of(|e| match e {
                Effect::CheckSession { token } => Some(*token),
                _ => None,
            })
            .expect("a session check");
        self.input(Input::SessionChecked { token, result });
    }

    /// Answers requests with `server` and the store with `store` until the tab asks for
    /// nothing more.
    fn serve(&mut self, server: &mut Server, store: &mut Store) {
        for _ in 0..50 {
            let effects = std::mem::take(&mut self.effects);
            let mut next = None;
            for effect in &effects {
                match effect {
                    Effect::Push { token, request } => {
                        next = Some(Input::Pushed {
                            token: *token,
                            result: server.push(request),
                        })
                    }
                    Effect::Pull {
                        token, client_id, ..
                    } => {
                        next = Some(Input::Pulled {
                            token: *token,
                            result: Ok(server.pull(*client_id)),
                        })
                    }
                    Effect::ReadOutbox { renumber } => {
                        if let Some(how) = renumber {
                            store.outbox = super::renumber(std::mem::take(&mut store.outbox), *how);
                            store.next = store.outbox.last().map_or(how.from, |m| m.id + 1);
                        }
                        next = Some(Input::OutboxRead(store.outbox.clone()))
                    }
                    Effect::Save(Save::Pulled(page)) => {
                        let (answered, waiting) = std::mem::take(&mut store.outbox)
                            .into_iter()
                            .partition(|m| m.id <= page.last_mutation_id);
                        store.outbox = waiting;
                        store.kept.extend::<Vec<Mutation>>(answered);
                        let ids: Vec<u64> = store.kept.iter().map(|m| m.id).collect();
                        let dropped = crate::sync::kept_to_drop(&ids, page.last_mutation_id);
                        store.kept.retain(|m| !dropped.contains(&m.id));
                        store.next = store.next.max(page.last_mutation_id + 1);
                    }
                    Effect::Save(Save::Resend { after }) => {
                        let again = crate::sync::to_resend(&store.kept, *after);
                        store.kept.retain(|m| m.id <= *after);
                        store.outbox.extend(again);
                        store.outbox.sort_by_key(|m| m.id);
                    }
                    Effect::Save(Save::Drop(ids)) => store.outbox.retain(|m| !ids.contains(&m.id)),
                    _ => {}
                }
            }
            self.effects = effects.clone();
            match next {
                Some(input) => {
                    let mut effects = self.engine.handle(input, now());
                    // Keep earlier notices visible to the test.
                    effects.extend(
                        self.effects
                            .iter()
                            .filter(|e| matches!(e, Effect::Notice(_)))
                            .cloned(),
                    );
                    self.effects = effects;
                }
                None => return,
            }
        }
        panic!("the tab never settled");
    }

    fn notices(&self) -> Vec<&Notice> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Notice(notice) => Some(notice),
                _ => None,
            })
            .collect()
    }
}

fn remaining(state: &LocalState, wish: WishId) -> u32 {
    state.wishes[&wish].remaining
}

#[test]
fn a_new_device_saves_its_meta_asks_who_is_there_and_pulls() {
    let mut engine = Engine::new();
    let effects = engine.handle(
        Input::Loaded {
            snapshot: Box::default(),
            online: true,
        },
        now(),
    );
    assert!(matches!(effects[0], Effect::Save(Save::Meta(_))));
    assert!(effects.contains(&Effect::Session(SessionState::Checking)));
    let Some(Effect::CheckSession { token }) = effects
        .iter()
        .find(|e| matches!(e, Effect::CheckSession { .. }))
    else {
        panic!("{effects:?}")
    };
    let effects = engine.handle(
        Input::SessionChecked {
            token: *token,
            result: Err(Failure::NotLoggedIn),
        },
        now(),
    );
    assert!(effects.contains(&Effect::Session(SessionState::LoggedOut)));
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::Pull { cursor: 0, .. })));
}

#[test]
fn an_offline_claim_shows_at_once_waits_and_is_applied_once_back_online() {
    let (mut server, wish) = Server::with_wish(2);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    tab.input(Input::Offline);
    assert_eq!(tab.engine.status(), SyncStatus::Offline(0));
    let (claim_id, command) = claim(wish, 1);
    tab.mutate(command, &mut store);
    assert_eq!(remaining(tab.engine.view(), wish), 1, "shown at once");
    assert!(tab.engine.is_pending_claim(claim_id));
    assert_eq!(tab.engine.status(), SyncStatus::Offline(1));
    assert!(
        !tab.effects.iter().any(|e| matches!(e, Effect::Push { .. })),
        "nothing is sent offline"
    );

    tab.input(Input::Online);
    tab.serve(&mut server, &mut store);
    assert_eq!(remaining(&server.state, wish), 1, "applied on the server");
    assert_eq!(tab.engine.status(), SyncStatus::Synced);
    assert!(!tab.engine.is_pending_claim(claim_id));
    assert!(tab.engine.outbox().is_empty() && store.outbox.is_empty());
    assert_eq!(remaining(tab.engine.view(), wish), 1);
    // Sending the same outbox again (a lost answer) changes nothing.
    let again = PushRequest {
        client_id: tab.engine.meta().client_id,
        mutations: vec![Mutation {
            id: 1,
            command: claim(wish, 1).1,
        }],
    };
    let _ = server.push(&again);
    assert_eq!(remaining(&server.state, wish), 1);
}

#[test]
fn a_claim_someone_else_beat_is_rolled_back_and_explained() {
    let (mut server, wish) = Server::with_wish(1);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    tab.input(Input::Offline);
    let (claim_id, command) = claim(wish, 1);
    tab.mutate(command, &mut store);
    assert_eq!(remaining(tab.engine.view(), wish), 0);
    server.claim_directly(wish, 1);

    tab.input(Input::Online);
    tab.serve(&mut server, &mut store);
    let notices = tab.notices();
    assert_eq!(notices.len(), 1, "{:?}", tab.effects);
    assert_eq!(notices[0].code, ProblemCode::WishFullyClaimed);
    assert_eq!(notices[0].title.as_deref(), Some("书包"));
    assert!(!tab.engine.view().claims.contains_key(&claim_id));
    assert!(tab.engine.outbox().is_empty(), "not retried");
    assert_eq!(tab.engine.status(), SyncStatus::Synced);
}

#[test]
fn a_pull_answered_after_the_network_went_says_offline_not_synced() {
    let (mut server, _) = Server::with_wish(1);
    let mut tab = Tab::synced(&me(Role::Donor), &mut server);
    tab.effects.clear();
    tab.input(Input::Wake);
    let token = tab
        .token_of(|e| match e {
            Effect::Pull { token, .. } => Some(*token),
            _ => None,
        })
        .expect("a pull");
    tab.input(Input::Offline);
    // The answer was on its way when the network went.
    let answer = server.pull(tab.engine.meta().client_id);
    tab.input(Input::Pulled {
        token,
        result: Ok(answer),
    });
    assert_eq!(tab.engine.status(), SyncStatus::Offline(0));
}

#[test]
fn the_status_follows_the_network_at_once() {
    let (mut server, _) = Server::with_wish(1);
    let mut tab = Tab::synced(&me(Role::Donor), &mut server);
    assert_eq!(tab.engine.status(), SyncStatus::Synced);
    let effects = tab.input(Input::Offline);
    assert_eq!(effects, vec![Effect::Status(SyncStatus::Offline(0))]);
    let effects = tab.input(Input::Online);
    assert!(effects.contains(&Effect::Status(SyncStatus::Starting)));
    assert!(effects.iter().any(|e| matches!(e, Effect::Pull { .. })));
}

#[test]
fn two_tabs_working_offline_on_one_phone_both_get_their_changes_applied_once() {
    let (mut server, wish) = Server::with_wish(5);
    let donor = me(Role::Donor);
    let mut first = Tab::synced(&donor, &mut server);
    // The second tab opens the same cache (same client id).
    let mut second = Tab {
        engine: Engine::new(),
        effects: Vec::new(),
    };
    second.input(Input::Loaded {
        snapshot: Box::new(Snapshot {
            state: first.engine.view().clone(),
            outbox: Vec::new(),
            kept: Vec::new(),
            meta: Some(first.engine.meta().clone()),
        }),
        online: false,
    });
    first.input(Input::Offline);
    let mut store = Store::default();
    first.mutate(claim(wish, 1).1, &mut store); // mutation 1
    second.mutate(claim(wish, 2).1, &mut store); // mutation 2
    first.mutate(claim(wish, 1).1, &mut store); // mutation 3

    // The second tab comes online first: its mutation 2 is out of line.
    second.input(Input::Online);
    second.answer_session(Ok(donor.clone()));
    second.serve(&mut server, &mut store);
    assert_eq!(server.state.wishes[&wish].claimed, 4, "all three applied");
    assert!(second.engine.outbox().is_empty());
    first.input(Input::Online);
    first.serve(&mut server, &mut store);
    assert_eq!(server.state.wishes[&wish].claimed, 4, "and none twice");
    assert!(first.notices().is_empty(), "{:?}", first.notices());
    assert_eq!(remaining(first.engine.view(), wish), 1);
    assert!(store.outbox.is_empty());
}

#[test]
fn a_server_restored_from_an_older_backup_takes_the_lost_mutations_and_the_queue_in_line() {
    let (mut server, wish) = Server::with_wish(9);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    let mut claims = Vec::new();
    for _ in 0..3 {
        let (id, command) = claim(wish, 1);
        claims.push(id);
        tab.mutate(command, &mut store);
        tab.serve(&mut server, &mut store);
    }
    assert_eq!(server.state.wishes[&wish].claimed, 3);
    // The server goes back to before mutation 2: it forgot two claims and their numbers.
    for id in &claims[1..] {
        server.state.claims.remove(id);
    }
    server.state.wishes.get_mut(&wish).unwrap().claimed = 1;
    let backup_client = server
        .clients
        .get_mut(&tab.engine.meta().client_id)
        .unwrap();
    backup_client.0 = 1;
    backup_client.1.retain(|id, _| *id <= 1);
    tab.input(Input::Offline);
    tab.mutate(claim(wish, 2).1, &mut store); // numbered 4 on the phone
    assert_eq!(store.outbox[0].id, 4);
    assert_eq!(
        store.kept.iter().map(|m| m.id).collect::<Vec<_>>(),
        [1, 2, 3],
        "answered mutations are kept"
    );
    tab.input(Input::Online);
    tab.serve(&mut server, &mut store);
    assert_eq!(
        server.clients[&tab.engine.meta().client_id].0,
        4,
        "the two it forgot sent again (2, 3), the queued one after them (4)"
    );
    assert_eq!(server.state.wishes[&wish].claimed, 1 + 2 + 2, "each once");
    assert!(claims.iter().all(|id| server.state.claims.contains_key(id)));
    assert!(tab.notices().is_empty(), "{:?}", tab.notices());
    assert!(tab.engine.outbox().is_empty() && store.outbox.is_empty());
    assert_eq!(tab.engine.status(), SyncStatus::Synced);
}

#[test]
fn a_server_restored_from_an_older_backup_gets_the_answered_claim_again_on_its_next_pull() {
    let (mut server, wish) = Server::with_wish(9);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    let (claim_id, command) = claim(wish, 1);
    tab.mutate(command, &mut store);
    tab.serve(&mut server, &mut store);
    assert!(store.outbox.is_empty());
    assert_eq!(store.kept.len(), 1, "answered, and kept");
    // The server is restored from a backup taken before the claim: it has neither the claim
    // nor the mutation.
    server.state.claims.remove(&claim_id);
    server.state.wishes.get_mut(&wish).unwrap().claimed = 0;
    server.clients.remove(&tab.engine.meta().client_id);
    // The next pull starts over and says the server has none of this phone's mutations.
    tab.input(Input::Wake);
    tab.serve(&mut server, &mut store);
    assert!(
        server.state.claims.contains_key(&claim_id),
        "the claim was sent again"
    );
    assert_eq!(server.state.wishes[&wish].claimed, 1, "once");
    assert_eq!(server.clients[&tab.engine.meta().client_id].0, 1);
    assert!(tab.engine.outbox().is_empty() && store.outbox.is_empty());
    assert_eq!(store.kept.len(), 1, "kept again");
    assert!(tab.engine.view().claims.contains_key(&claim_id));
    assert!(tab.notices().is_empty());
    assert_eq!(tab.engine.status(), SyncStatus::Synced);
    // Nothing forgotten: the next round sends nothing again.
    tab.input(Input::Wake);
    tab.serve(&mut server, &mut store);
    assert_eq!(server.state.wishes[&wish].claimed, 1);
}

#[test]
fn a_phone_restored_from_an_old_state_does_not_mistake_new_changes_for_old_ones() {
    let (mut server, wish) = Server::with_wish(9);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let old_meta = tab.engine.meta().clone();
    let mut store = Store::default();
    for _ in 0..3 {
        tab.mutate(claim(wish, 1).1, &mut store);
        tab.serve(&mut server, &mut store);
    }
    // The phone is restored to before those three: its counter says 1 again.
    let mut restored = Tab {
        engine: Engine::new(),
        effects: Vec::new(),
    };
    restored.input(Input::Loaded {
        snapshot: Box::new(Snapshot {
            state: server.state.clone(),
            outbox: Vec::new(),
            kept: Vec::new(),
            meta: Some(old_meta),
        }),
        online: false,
    });
    let mut store = Store::default();
    let (new_claim, command) = claim(wish, 2);
    restored.mutate(command, &mut store);
    assert_eq!(store.outbox[0].id, 1, "a number the server used before");
    restored.input(Input::Online);
    restored.answer_session(Ok(donor.clone()));
    restored.serve(&mut server, &mut store);
    assert!(
        server.state.claims.contains_key(&new_claim),
        "applied under a new number, not answered with the old one's result"
    );
    assert_eq!(server.state.wishes[&wish].claimed, 5);
}

#[test]
fn logging_out_with_changes_not_sent_says_how_many_and_can_send_them_first() {
    let (mut server, wish) = Server::with_wish(3);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    tab.input(Input::Offline);
    tab.mutate(claim(wish, 1).1, &mut store);
    tab.mutate(claim(wish, 1).1, &mut store);
    assert_eq!(tab.engine.log_out().unwrap_err(), Unsent(2));

    tab.effects = tab.engine.send_then_log_out();
    assert!(tab.engine.me().is_some(), "still logged in while offline");
    tab.input(Input::Online);
    tab.serve(&mut server, &mut store);
    assert_eq!(server.state.wishes[&wish].claimed, 2, "sent first");
    assert!(tab.engine.me().is_none(), "then logged out");
    assert!(tab.engine.view().claims.is_empty());
}

#[test]
fn logging_out_offline_wipes_at_once_and_ends_the_session_when_back_online() {
    let (mut server, _) = Server::with_wish(1);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let old_client = tab.engine.meta().client_id;
    tab.input(Input::Offline);
    let effects = tab.engine.log_out().expect("nothing waits");
    let Some(Effect::Save(Save::Wipe(meta))) = effects
        .iter()
        .find(|e| matches!(e, Effect::Save(Save::Wipe(_))))
    else {
        panic!("{effects:?}")
    };
    assert!(meta.me.is_none() && meta.logout_pending);
    assert_ne!(meta.client_id, old_client);
    assert!(tab.engine.view().claims.is_empty());
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::EndServerSession { .. })));

    let effects = tab.input(Input::Online);
    let token = effects
        .iter()
        .find_map(|e| match e {
            Effect::EndServerSession { token } => Some(*token),
            _ => None,
        })
        .expect("the server's session is ended first");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::CheckSession { .. })),
        "nobody asks who is logged in before the old session is ended"
    );
    let effects = tab.input(Input::ServerLoggedOut {
        token,
        result: Ok(()),
    });
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::Save(Save::Meta(meta)) if !meta.logout_pending)));
    assert_eq!(tab.engine.session(), SessionState::LoggedOut);
}

#[test]
fn a_session_that_ended_elsewhere_keeps_waiting_changes_for_the_same_user() {
    let (mut server, wish) = Server::with_wish(2);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    tab.input(Input::Offline);
    tab.mutate(claim(wish, 1).1, &mut store);
    tab.input(Input::Online);
    let token = tab
        .token_of(|e| match e {
            Effect::Push { token, .. } => Some(*token),
            _ => None,
        })
        .unwrap();
    tab.input(Input::Pushed {
        token,
        result: Err(Failure::NotLoggedIn),
    });
    assert_eq!(tab.engine.status(), SyncStatus::LoginToSend(1));
    assert_eq!(tab.engine.session(), SessionState::LoggedOut);
    assert!(matches!(
        tab.engine.mutate(claim(wish, 1).1, now()),
        Err(MutateError::NotLoggedIn)
    ));
    assert_eq!(tab.engine.outbox().len(), 1, "kept");

    tab.input(Input::LoggedIn(donor.clone()));
    tab.serve(&mut server, &mut store);
    assert_eq!(server.state.wishes[&wish].claimed, 1);
    assert_eq!(tab.engine.status(), SyncStatus::Synced);
}

#[test]
fn another_user_logging_in_starts_from_public_data_only() {
    let (mut server, wish) = Server::with_wish(2);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    tab.mutate(claim(wish, 1).1, &mut store);
    tab.serve(&mut server, &mut store);
    assert_eq!(tab.engine.view().claims.len(), 1);
    let old_client = tab.engine.meta().client_id;
    let effects = tab.input(Input::LoggedIn(me(Role::Volunteer)));
    assert!(tab.engine.view().claims.is_empty());
    assert!(
        tab.engine.view().wishes.contains_key(&wish),
        "public wishes stay"
    );
    assert_ne!(tab.engine.meta().client_id, old_client);
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::Save(Save::Wipe(_)))));
}

#[test]
fn answers_to_requests_made_before_a_logout_are_dropped() {
    let (mut server, wish) = Server::with_wish(2);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    tab.input(Input::Wake);
    let token = tab
        .token_of(|e| match e {
            Effect::Pull { token, .. } => Some(*token),
            _ => None,
        })
        .unwrap();
    server.claim_directly(wish, 1);
    let stale = server.pull(tab.engine.meta().client_id);
    tab.engine.log_out_now();
    let effects = tab.input(Input::Pulled {
        token,
        result: Ok(stale),
    });
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn a_pull_brings_other_peoples_changes_under_the_pending_ones() {
    let (mut server, wish) = Server::with_wish(3);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    tab.input(Input::Offline);
    tab.mutate(claim(wish, 1).1, &mut store);
    assert_eq!(remaining(tab.engine.view(), wish), 2);
    server.claim_directly(wish, 1);
    // A pull while the claim still waits (e.g. it was sent but not yet answered).
    tab.engine.online = true;
    tab.input(Input::Wake);
    let token = tab
        .token_of(|e| match e {
            Effect::Push { token, .. } => Some(*token),
            _ => None,
        })
        .unwrap();
    tab.input(Input::Pushed {
        token,
        result: Err(Failure::Unreachable),
    });
    tab.engine.in_flight = Some((99, Request::Pull));
    tab.input(Input::Pulled {
        token: 99,
        result: Ok(server.pull(tab.engine.meta().client_id)),
    });
    assert_eq!(remaining(tab.engine.view(), wish), 1, "theirs and mine");
    assert_eq!(remaining(&tab.engine.base, wish), 2);
    let Some(Effect::Changed(changed)) =
        tab.effects.iter().find(|e| matches!(e, Effect::Changed(_)))
    else {
        panic!()
    };
    assert!(changed.all && changed.wishes.contains(&wish));
}

#[test]
fn the_overlay_decides_with_the_servers_hold_policy() {
    let (mut server, wish) = Server::with_wish(1);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    tab.engine.meta.policy.hold.item = chrono::Duration::days(2);
    let (claim_id, command) = claim(wish, 1);
    tab.mutate(command, &mut Store::default());
    assert_eq!(
        tab.engine.view().claims[&claim_id].hold_until,
        now() + chrono::Duration::days(2)
    );
}

#[test]
fn renumbering_drops_answered_mutations_and_keeps_order() {
    let command = claim(WishId::generate(), 1).1;
    let outbox: Vec<Mutation> = [7, 3, 8]
        .into_iter()
        .map(|id| Mutation {
            id,
            command: command.clone(),
        })
        .collect();
    let ids: Vec<u64> = renumber(outbox, Renumber { from: 2, after: 3 })
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, vec![2, 3]);
}

#[test]
fn the_engine_and_the_server_reach_the_same_state() {
    // A release decided on the phone is the release the server makes.
    let (mut server, wish) = Server::with_wish(2);
    let donor = me(Role::Donor);
    let mut tab = Tab::synced(&donor, &mut server);
    let mut store = Store::default();
    let (claim_id, command) = claim(wish, 2);
    tab.mutate(command, &mut store);
    tab.mutate(
        Command::ReleaseClaim(ReleaseClaim {
            claim_id,
            quantity: None,
        }),
        &mut store,
    );
    let shown = tab.engine.view().clone();
    tab.serve(&mut server, &mut store);
    assert_eq!(
        shown.claims[&claim_id].status,
        server.state.claims[&claim_id].status
    );
    assert_eq!(server.state.claims[&claim_id].status, ClaimStatus::Released);
    assert_eq!(shown.wishes[&wish].status, WishStatus::Open);
    assert_eq!(remaining(tab.engine.view(), wish), 2);
    // The facts the overlay reads are the ones the server's rules need.
    let facts: Facts = tab.engine.view().facts(
        &donor,
        &Command::ReleaseClaim(ReleaseClaim {
            claim_id,
            quantity: None,
        })
        .needs(),
    );
    assert_eq!(
        facts.claims[&claim_id],
        ClaimState {
            wish_id: wish,
            owner: donor.id,
            quantity: 2,
            status: ClaimStatus::Released,
            slot: None,
        }
    );
    assert_eq!(
        facts.wishes[&wish],
        WishState::of(&server.state.wishes[&wish], None)
    );
    let _ = Actor::of(&donor);
}

#[test]
fn a_volunteer_approved_while_the_app_is_open_can_book_after_the_next_pull() {
    let (mut server, _) = Server::with_wish(1);
    let mut volunteer = me(Role::Volunteer);
    volunteer.volunteer_status = Some(crate::model::VolunteerStatus::Pending);
    let mut store = Store::default();
    let mut tab = Tab::synced(&volunteer, &mut server);
    assert_eq!(
        tab.engine.me().and_then(|me| me.volunteer_status),
        Some(crate::model::VolunteerStatus::Pending)
    );
    // A worker approves them on the server; the phone is poked and pulls.
    volunteer.volunteer_status = Some(crate::model::VolunteerStatus::Approved);
    server.users.insert(volunteer.id, volunteer.clone());
    tab.effects.clear();
    tab.input(Input::Wake);
    tab.serve(&mut server, &mut store);
    assert_eq!(
        tab.engine.me().and_then(|me| me.volunteer_status),
        Some(crate::model::VolunteerStatus::Approved)
    );
    assert!(tab
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Session(SessionState::LoggedIn(me)) if me.volunteer_status == volunteer.volunteer_status)));
    assert!(tab.effects.iter().any(
        |e| matches!(e, Effect::Save(Save::Meta(meta)) if meta.me.as_ref() == Some(&volunteer))
    ));
}

#[test]
fn a_visitor_hears_only_of_being_offline_and_of_changes_that_wait() {
    let every = [
        SyncStatus::Synced,
        SyncStatus::Pending(1),
        SyncStatus::Offline(0),
        SyncStatus::Offline(2),
        SyncStatus::LoginToSend(1),
        SyncStatus::Failed,
    ];
    for status in every {
        assert!(status.speaks_to(true), "{status:?} to a signed-in user");
    }
    let to_visitor: Vec<SyncStatus> = every
        .into_iter()
        .filter(|status| status.speaks_to(false))
        .collect();
    assert_eq!(
        to_visitor,
        [
            SyncStatus::Pending(1),
            SyncStatus::Offline(0),
            SyncStatus::Offline(2),
            SyncStatus::LoginToSend(1)
        ]
    );
    assert!(!SyncStatus::Starting.speaks_to(true));
}
