//! How notices leave the app: every server runs a sender that queues each new notice's
//! deliveries (a push to each of its user's devices that wants that kind, an SMS when the
//! operator named a gateway and the user chose that kind by SMS) and sends what is due from
//! the durable queue (`store::deliveries`), retrying with back-off. The notices themselves are
//! written with the decision that makes them (see `apply`); nothing here decides who is told.

pub mod endpoint;
pub mod sms;
pub mod webpush;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use microwish_core::notices::{retry_after, sms_due, PushPayload, PUSH_TTL, SMS_PER_PHONE_PER_DAY};
use microwish_core::{NoticeChannel, NoticeId};

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::deliveries::{Due, NewDelivery, Settled};
use crate::writer::{Tx, Writer};
use endpoint::{EndpointPolicy, PublicOnly};
use sms::{SmsGateway, SmsMessage};
use webpush::{SubscriptionKeys, Vapid};

/// What an operator set for notices (`serve --allow-push-endpoint … --sms-gateway …`).
#[derive(Clone, Default)]
pub struct NotifyConfig {
    pub allowed_endpoints: Vec<endpoint::AllowedHost>,
    pub sms: Option<SmsGateway>,
}

/// The server's means of sending: its VAPID key, the endpoints it may reach, the SMS gateway,
/// an HTTP client, and the bell that wakes its sender.
#[derive(Clone)]
pub struct Notifier {
    inner: Arc<Inner>,
}

struct Inner {
    policy: EndpointPolicy,
    sms: Option<SmsGateway>,
    vapid: Vapid,
    client: reqwest::Client,
    wake: tokio::sync::Notify,
}

/// How long a sender holds the deliveries it took before another may take them.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// How long one send may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// Notices queued, deliveries sent, per round of the sender.
const BATCH: usize = 64;
/// How often the sender looks for due deliveries (retries, the morning's SMS) when nothing
/// woke it.
const TICK: Duration = Duration::from_secs(1);
/// The most tries of one delivery.
const MAX_ATTEMPTS: u32 = 12;

impl Notifier {
    /// The server's notifier, with its VAPID key (made now if the database has none yet).
    pub async fn start(
        writer: &Writer,
        config: NotifyConfig,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Notifier> {
        let secret = writer
            .write(move |tx| {
                store::deliveries::server_secret(tx, "vapid", || Ok(Vapid::new_secret()), now)
            })
            .await
            .map_err(|error| anyhow::anyhow!("the VAPID key: {error}"))?;
        let vapid = Vapid::from_secret(&secret)
            .map_err(|error| anyhow::anyhow!("the VAPID key: {error}"))?;
        let policy = EndpointPolicy::new(config.allowed_endpoints);
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(PublicOnly {
                policy: policy.clone(),
            }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(SEND_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        Ok(Notifier {
            inner: Arc::new(Inner {
                policy,
                sms: config.sms,
                vapid,
                client,
                wake: tokio::sync::Notify::new(),
            }),
        })
    }

    /// The VAPID public key (base64url), for `GET /api/push/key`.
    pub fn public_key(&self) -> &str {
        self.inner.vapid.public_key()
    }

    /// Whether the server may push to `endpoint` (422 `bad_endpoint` if not).
    pub fn check_endpoint(&self, endpoint: &str) -> ApiResult<url::Url> {
        self.inner.policy.check(endpoint).map_err(|reason| {
            ApiError::bad_request(microwish_core::ProblemCode::BadEndpoint, reason)
        })
    }

    /// Whether the operator named an SMS gateway (one-time codes need one).
    pub fn has_sms(&self) -> bool {
        self.inner.sms.is_some()
    }

    /// Sends one SMS soon, in the background and not through the durable queue: a one-time
    /// code (kept nowhere in clear) or the note to a number's owner that someone tried to
    /// sign up with it. A code that did not arrive is simply asked for again. The caller
    /// answers at once, so how long the gateway takes tells nobody whether the number has an
    /// account.
    pub fn text_soon(&self, message: SmsMessage) {
        let Some(gateway) = self.inner.sms.clone() else {
            return;
        };
        let client = self.inner.client.clone();
        tokio::spawn(async move {
            let body = serde_json::to_vec(&message).unwrap_or_default();
            let sending = client
                .post(gateway.url.as_str())
                .header("content-type", "application/json")
                .header("x-signature", gateway.signature(&body))
                .body(body);
            if let Err(failed) = answered(sending.send().await, false) {
                tracing::warn!(template = %message.template, ?failed, "an SMS was not sent");
            }
        });
    }

    /// Wakes the sender: notices may have been written.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }
}

/// The sender: queues new notices' deliveries and sends what is due, when woken (a commit
/// that made notices) or every [`TICK`]; runs as long as the server.
pub async fn run_sender(state: AppState) {
    loop {
        tokio::select! {
            () = state.notifier.inner.wake.notified() => {
                // What commits right after it goes in the same round.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            () = tokio::time::sleep(TICK) => {}
        }
        if let Err(error) = send_round(&state).await {
            tracing::error!(%error, "sending notices failed");
        }
    }
}

/// Queues every new notice's deliveries, then sends every due delivery; how many were sent
/// (or settled otherwise).
pub async fn send_round(state: &AppState) -> ApiResult<usize> {
    while queue_notices(state).await? == BATCH {}
    let mut settled = 0;
    loop {
        let done = send_due(state).await?;
        settled += done;
        if done < BATCH {
            return Ok(settled);
        }
    }
}

/// Queues the deliveries of up to [`BATCH`] notices nobody has queued yet; how many notices.
async fn queue_notices(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.now();
    let sms = state.notifier.inner.sms.is_some();
    state
        .writer
        .write(move |tx| {
            let notices = store::deliveries::unqueued(tx, BATCH)?;
            for unqueued in &notices {
                queue_one(tx, unqueued, sms, now)?;
            }
            Ok(notices.len())
        })
        .await
}

/// The deliveries of one notice: a push to each of its user's devices if they want the kind
/// pushed, an SMS if a gateway is configured and they chose the kind by SMS.
fn queue_one(
    tx: &Tx,
    unqueued: &store::deliveries::Unqueued,
    sms: bool,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let notice = &unqueued.notice;
    let reach = store::subscriptions::reach(tx, notice.user)?;
    if reach.preferences.wants(NoticeChannel::Push, notice.kind) {
        for endpoint in &reach.endpoints {
            let delivery = NewDelivery {
                id: delivery_key(notice.id, NoticeChannel::Push, endpoint),
                notice: notice.id,
                channel: NoticeChannel::Push,
                target: endpoint,
                due_at: now,
            };
            store::deliveries::enqueue(tx, &delivery, now)?;
        }
    }
    let phone = reach.phone.as_ref().map(|phone| phone.as_str());
    if let (true, true, Some(phone)) = (
        sms,
        reach.preferences.wants(NoticeChannel::Sms, notice.kind),
        phone,
    ) {
        let delivery = NewDelivery {
            id: delivery_key(notice.id, NoticeChannel::Sms, phone),
            notice: notice.id,
            channel: NoticeChannel::Sms,
            target: phone,
            due_at: sms_due(now, unqueued.urgent),
        };
        store::deliveries::enqueue(tx, &delivery, now)?;
    }
    store::deliveries::mark_queued(tx, notice.id)
}

/// A delivery's idempotency key: the same notice, channel and target always give the same.
pub fn delivery_key(notice: NoticeId, channel: NoticeChannel, target: &str) -> String {
    const DELIVERIES: uuid::Uuid = uuid::Uuid::from_u128(0x6d69_6372_6f77_6973_685f_6465_6c69_7672);
    let name = format!("{notice}/{channel}/{target}");
    uuid::Uuid::new_v5(&DELIVERIES, name.as_bytes()).to_string()
}

/// A delivery taken for sending, with what it needs.
struct Taken {
    due: Due,
    /// The subscription's keys (a push whose subscription is gone has none).
    keys: Option<(String, String)>,
}

/// Leases up to [`BATCH`] due deliveries, sends them at once, and records what became of
/// each; how many.
async fn send_due(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.now();
    let taken = state.writer.write(move |tx| take_due(tx, now)).await?;
    let count = taken.len();
    let sends = taken.into_iter().map(|taken| {
        let notifier = state.notifier.clone();
        async move {
            let settled = send(&notifier, &taken, now).await;
            (taken, settled)
        }
    });
    let results = futures_util::future::join_all(sends).await;
    let now = state.clock.now();
    state
        .writer
        .write(move |tx| {
            for (taken, settled) in &results {
                store::deliveries::settle(tx, &taken.due.id, settled, now)?;
                if let Settled::Gone(_) = settled {
                    store::subscriptions::forget(tx, &taken.due.target)?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(count)
}

/// The due deliveries, leased; an SMS past its phone's day is dropped here.
fn take_due(tx: &Tx, now: DateTime<Utc>) -> ApiResult<Vec<Taken>> {
    let mut taken = Vec::new();
    for due in store::deliveries::lease(tx, now, now + LEASE, BATCH)? {
        match due.channel {
            NoticeChannel::Push => {
                let keys = store::subscriptions::keys(tx, &due.target)?;
                taken.push(Taken { due, keys });
            }
            NoticeChannel::Sms => {
                let day = microwish_core::clock::community_today(now);
                let since = microwish_core::clock::from_china(day, chrono::NaiveTime::MIN);
                // The count includes this one (leased just now).
                if store::deliveries::sms_to(tx, &due.target, since, now)? > SMS_PER_PHONE_PER_DAY {
                    let dropped = Settled::Dropped("over the day's SMS for this phone".into());
                    store::deliveries::settle(tx, &due.id, &dropped, now)?;
                    continue;
                }
                taken.push(Taken { due, keys: None });
            }
        }
    }
    Ok(taken)
}

/// Sends one delivery; what became of it.
async fn send(notifier: &Notifier, taken: &Taken, now: DateTime<Utc>) -> Settled {
    let due = &taken.due;
    if now - due.notice.created_at > PUSH_TTL {
        return Settled::Dropped("a day old".into());
    }
    let sent = match due.channel {
        NoticeChannel::Push => push(notifier, taken).await,
        NoticeChannel::Sms => text(notifier, due).await,
    };
    match sent {
        Ok(()) => Settled::Sent,
        Err(Failed::Gone(why)) => Settled::Gone(why),
        Err(Failed::Never(why)) => Settled::Dropped(why),
        Err(Failed::Again(why)) if due.attempts >= MAX_ATTEMPTS => {
            Settled::Dropped(format!("gave up after {} tries: {why}", due.attempts))
        }
        Err(Failed::Again(why)) => Settled::Retry {
            at: now + retry_after(due.attempts),
            error: why,
        },
    }
}

/// Why a send failed.
#[derive(Debug)]
enum Failed {
    /// Worth another try later (network, 429, 5xx).
    Again(String),
    /// The subscription is gone (404/410).
    Gone(String),
    /// Never to succeed (a refused endpoint, bad keys, a 4xx).
    Never(String),
}

async fn push(notifier: &Notifier, taken: &Taken) -> Result<(), Failed> {
    let due = &taken.due;
    let Some((p256dh, auth)) = &taken.keys else {
        return Err(Failed::Never("unsubscribed".into()));
    };
    // Checked again: the operator's allowances may have changed since it subscribed.
    let endpoint = notifier
        .inner
        .policy
        .check(&due.target)
        .map_err(|reason| Failed::Never(reason.into()))?;
    let keys = SubscriptionKeys::parse(p256dh, auth).map_err(Failed::Never)?;
    let payload = serde_json::to_vec(&PushPayload::of(&due.notice)).unwrap_or_default();
    let request = notifier
        .inner
        .vapid
        .request(
            &endpoint,
            &keys,
            &payload,
            &webpush::topic(&due.id),
            due.urgent,
        )
        .map_err(Failed::Never)?;
    let (parts, body) = request.into_parts();
    let mut sending = notifier.inner.client.post(endpoint.as_str()).body(body);
    for (name, value) in &parts.headers {
        sending = sending.header(name, value);
    }
    answered(sending.send().await, true)
}

async fn text(notifier: &Notifier, due: &Due) -> Result<(), Failed> {
    let Some(gateway) = &notifier.inner.sms else {
        return Err(Failed::Never("no SMS gateway".into()));
    };
    let message = SmsMessage {
        phone: due.target.clone(),
        template: due.notice.kind.as_str().to_owned(),
        params: microwish_core::notices::sms_params(&due.notice),
        key: due.id.clone(),
    };
    let body = serde_json::to_vec(&message).unwrap_or_default();
    let sending = notifier
        .inner
        .client
        .post(gateway.url.as_str())
        .header("content-type", "application/json")
        .header("x-signature", gateway.signature(&body))
        .body(body);
    answered(sending.send().await, false)
}

/// What a push service's or gateway's answer means.
fn answered(response: reqwest::Result<reqwest::Response>, push: bool) -> Result<(), Failed> {
    let response = response.map_err(|error| Failed::Again(error.to_string()))?;
    let status = response.status();
    match status.as_u16() {
        200..=299 => Ok(()),
        404 | 410 if push => Err(Failed::Gone(status.to_string())),
        408 | 425 | 429 | 500..=599 => Err(Failed::Again(status.to_string())),
        _ => Err(Failed::Never(status.to_string())),
    }
}
