//! The driver's side of the photo outbox: keeping a photo (IndexedDB, or memory on a device
//! without a store), sending the waiting ones once their request is on the server (each
//! once: a 2xx or a refusal removes it, no answer keeps it for a later round), and showing
//! what waits and what was refused. What may go and what an answer means is
//! [`crate::photos`]'.

use leptos::prelude::*;
use microwish_core::{PhotoId, RequestId};

use super::Sync;
use crate::api;
use crate::photos::{on_server, ready, PhotoProblem, QueuedPhoto, Upload};

/// After a photo found no server, how long before trying again (a pull or a status change
/// wakes the sender sooner than that only once this has passed).
const RETRY_AFTER_MS: f64 = 20_000.0;

/// Whether a round of sending is under way, and when one may start after a failure.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sender {
    busy: bool,
    /// Another round was asked for while one ran.
    again: bool,
    not_before: f64,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Sync {
    /// Keeps `jpeg` as a photo of `request` until the request is on the server, then sends
    /// it. Fails only when the device could not keep it.
    pub async fn queue_photo(
        &self,
        request: RequestId,
        jpeg: web_sys::Blob,
    ) -> Result<QueuedPhoto, crate::store::StoreError> {
        let photo = QueuedPhoto {
            id: PhotoId::generate(),
            request_id: request,
        };
        match self.store.get_value() {
            Some(store) => store.put_photo(&photo, &jpeg).await?,
            None => self
                .photo_memory
                .update_value(|memory| memory.push((photo.clone(), jpeg))),
        }
        self.show_photos().await;
        // A photo added to a request already on the server goes at once.
        self.retry_photos();
        Ok(photo)
    }

    /// The photos waiting, with their bytes.
    async fn waiting_photos(&self) -> Vec<(QueuedPhoto, web_sys::Blob)> {
        match self.store.get_value() {
            Some(store) => store.photos().await.unwrap_or_default(),
            None => self.photo_memory.get_value(),
        }
    }

    async fn remove_photo(&self, id: PhotoId) {
        match self.store.get_value() {
            Some(store) => {
                if let Err(error) = store.delete_photo(id).await {
                    web_sys::console::warn_1(&format!("photo not removed: {}", error.0).into());
                }
            }
            None => self
                .photo_memory
                .update_value(|memory| memory.retain(|(photo, _)| photo.id != id)),
        }
    }

    /// Puts what waits into the screens' state.
    pub(super) async fn show_photos(&self) {
        let waiting: Vec<QueuedPhoto> = self
            .waiting_photos()
            .await
            .into_iter()
            .map(|(photo, _)| photo)
            .collect();
        if self.data.photos.with_untracked(|shown| *shown != waiting) {
            self.data.photos.set(waiting);
        }
    }

    /// Tries the waiting photos again now (the network came back), whatever the last round
    /// found.
    pub fn retry_photos(&self) {
        self.photo_sender
            .update_value(|sender| sender.not_before = 0.0);
        self.send_photos();
    }

    /// Starts a round of sending, unless one runs (then it runs again after) or the last
    /// found no server a moment ago.
    pub(super) fn send_photos(&self) {
        // Nothing waits (the list mirrors the store's): no round, and no task on every change.
        if self.data.photos.with_untracked(Vec::is_empty) {
            return;
        }
        let mut start = false;
        self.photo_sender.update_value(|sender| {
            if sender.busy {
                sender.again = true;
            } else if now_ms() >= sender.not_before {
                sender.busy = true;
                start = true;
            }
        });
        if start {
            let sync = *self;
            leptos::task::spawn_local(async move { sync.photo_rounds().await });
        }
    }

    async fn photo_rounds(self) {
        loop {
            self.photo_round().await;
            let mut again = false;
            self.photo_sender.update_value(|sender| {
                again = sender.again && now_ms() >= sender.not_before;
                sender.again = false;
                sender.busy = again;
            });
            if !again {
                return;
            }
        }
    }

    /// Sends every waiting photo whose request is on the server, one after another; stops at
    /// the first that finds no server.
    async fn photo_round(&self) {
        let waiting = self.waiting_photos().await;
        if waiting.is_empty() {
            return;
        }
        let queue: Vec<QueuedPhoto> = waiting.iter().map(|(photo, _)| photo.clone()).collect();
        let sendable = {
            let shared = self.engine();
            let engine = shared.borrow();
            ready(&queue, |request| {
                on_server(engine.view(), engine.outbox(), request)
            })
        };
        for photo in sendable {
            let Some((_, jpeg)) = waiting.iter().find(|(queued, _)| queued.id == photo.id) else {
                continue;
            };
            let answer = super::within(
                super::REQUEST_TIMEOUT_MS,
                api::put_photo(photo.request_id, photo.id, jpeg),
            )
            .await;
            match Upload::of(&answer) {
                Upload::Done => self.remove_photo(photo.id).await,
                Upload::Retry => {
                    self.photo_sender
                        .update_value(|sender| sender.not_before = now_ms() + RETRY_AFTER_MS);
                    break;
                }
                Upload::Refused(code) => {
                    self.remove_photo(photo.id).await;
                    self.data.photo_problems.update(|problems| {
                        problems.push(PhotoProblem {
                            photo_id: photo.id,
                            request_id: photo.request_id,
                            code,
                        })
                    });
                }
            }
        }
        self.show_photos().await;
    }

    /// The photos of a request the server refused to file: they have nothing to join.
    pub(super) fn drop_photos_of(&self, request: RequestId) {
        let sync = *self;
        leptos::task::spawn_local(async move {
            for (photo, _) in sync.waiting_photos().await {
                if photo.request_id == request {
                    sync.remove_photo(photo.id).await;
                }
            }
            sync.show_photos().await;
        });
    }

    /// Logged out: the store was wiped; nothing of the photos stays in memory either.
    pub(super) fn forget_photos(&self) {
        self.photo_memory.set_value(Vec::new());
        self.data.photos.set(Vec::new());
        self.data.photo_problems.set(Vec::new());
    }

    /// The user read why a photo was refused.
    pub fn dismiss_photo_problem(&self, photo: PhotoId) {
        self.data
            .photo_problems
            .update(|problems| problems.retain(|problem| problem.photo_id != photo));
    }
}

impl Sync {
    /// Whether the server has applied the request's filing (tracked through the pending
    /// requests: the answer changes only when they do).
    pub fn request_on_server(&self, request: RequestId) -> bool {
        self.data.pending_requests.track();
        let shared = self.engine();
        let engine = shared.borrow();
        on_server(engine.view(), engine.outbox(), request)
    }
}
