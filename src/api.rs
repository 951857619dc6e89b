//! The typed HTTP client: one function per endpoint, JSON in core's types, every failure an
//! [`ApiError`] the UI can explain (by its problem code, never by its text).
//!
//! The session is an HttpOnly cookie on the same origin: the browser sends it with every
//! request, so no function here deals with tokens.

use gloo_net::http::{Request, Response};
use microwish_core::account::{AccountDeletion, Login, Registration};
use microwish_core::certificate::{Certificate, IssueCertificate, RevokeCertificate};
use microwish_core::command::StationDetails;
use microwish_core::pairing::{Pairing, PairingStep, ProposePairing};
use microwish_core::phone_code::{
    CodeRequest, CodeSent, PasswordChange, PasswordReset, PhoneVerification,
};
pub use microwish_core::problem::ApiError;
use microwish_core::problem::Problem;
use microwish_core::shop_record::{RecordPastYear, ShopPage, ShopRecord, ShopThanks};
use microwish_core::stats::{StatsDetail, StatsQuery};
use microwish_core::sync::{PullResponse, PushRequest, PushResponse};
use microwish_core::{
    BoardItem, CertificateId, ClientId, Community, EventView, Grid, GridId, HouseholdId, Me, Page,
    PairingId, PhotoId, Preferences, ProblemCode, PushEndpoint, PushKey, PushSubscription,
    RequestId, Stats, UserId, WishId,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The `{}` body of state-changing requests that carry no data: the server accepts writes
/// only as JSON.
#[derive(Serialize)]
struct NoFields {}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    decode(response).await
}

/// Sends `body` as JSON; `json()` sets `Content-Type: application/json`, without which
/// the server refuses any write (415).
async fn post(path: &str, body: &impl Serialize) -> Result<Response, ApiError> {
    Request::post(path)
        .header("accept", "application/json")
        .json(body)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)
}

async fn post_json<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> Result<T, ApiError> {
    decode(post(path, body).await?).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(problem(response).await);
    }
    response
        .json()
        .await
        .map_err(|error| ApiError::Unexpected(error.to_string()))
}

/// Turns a failed response into an [`ApiError`].
async fn problem(response: Response) -> ApiError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|seconds| seconds.trim().parse().ok());
    match response.json::<Problem>().await {
        Ok(problem) => ApiError::Problem {
            code: problem.code,
            errors: problem.errors,
            retry_after,
            expected: problem.expected,
        },
        // A proxy or a restarting server may answer 502/503 without a problem body.
        Err(_) if status >= 500 => ApiError::Unreachable,
        // Limits enforced in front of the app may answer without one too.
        Err(_) => ApiError::Problem {
            code: ProblemCode::of_bare_status(status),
            errors: Vec::new(),
            retry_after,
            expected: None,
        },
    }
}

/// The public timeline of a wish, oldest first.
pub async fn wish_events(id: WishId) -> Result<Page<EventView>, ApiError> {
    all_pages(&format!("/api/wishes/{id}/events")).await
}

/// What was done with a household's record (registered, edited, read, its contact given to a
/// volunteer), oldest first; workers of its community only.
pub async fn household_events(id: HouseholdId) -> Result<Page<EventView>, ApiError> {
    all_pages(&format!("/api/households/{id}/events")).await
}

/// A timeline's pages read one after another (a few thousand events at most: a page shows
/// them all).
async fn all_pages(path: &str) -> Result<Page<EventView>, ApiError> {
    const MOST_PAGES: usize = 10;
    let mut whole: Page<EventView> = get_json(&format!("{path}?limit=500")).await?;
    for _ in 1..MOST_PAGES {
        let Some(cursor) = whole.next.take() else {
            break;
        };
        let page: Page<EventView> = get_json(&format!("{path}?limit=500&cursor={cursor}")).await?;
        whole.items.extend(page.items);
        whole.next = page.next;
    }
    Ok(whole)
}

pub async fn stats() -> Result<Stats, ApiError> {
    get_json("/api/stats").await
}

/// The workers' report for a period (and a grid).
pub async fn stats_detail(query: &StatsQuery) -> Result<StatsDetail, ApiError> {
    let mut params = Vec::new();
    if let Some(from) = query.from {
        params.push(format!("from={from}"));
    }
    if let Some(to) = query.to {
        params.push(format!("to={to}"));
    }
    if let Some(grid) = &query.grid {
        params.push(format!(
            "grid={}",
            js_sys::encode_uri_component(grid.as_str())
        ));
    }
    let path = if params.is_empty() {
        "/api/stats/detail".to_owned()
    } else {
        format!("/api/stats/detail?{}", params.join("&"))
    };
    get_json(&path).await
}

/// Where a worker downloads the spreadsheets (plain links: the browser saves the file).
pub const EXPORT_WISHES: &str = "/api/export/wishes.csv";
pub const EXPORT_HOUSEHOLDS: &str = "/api/export/households.csv";
pub const EXPORT_REQUESTS: &str = "/api/export/requests.csv";

/// A request's timeline, oldest first (`GET /api/requests/{id}` answers the request with it;
/// the request itself the phone has from its sync).
pub async fn request_timeline(id: RequestId) -> Result<Vec<EventView>, ApiError> {
    #[derive(serde::Deserialize)]
    struct WithTimeline {
        #[serde(alias = "events")]
        timeline: Vec<EventView>,
    }
    let answer: WithTimeline = get_json(&format!("/api/requests/{id}")).await?;
    Ok(answer.timeline)
}

/// Where a request's photo is read from (the session cookie goes with an `<img>`'s request).
pub fn photo_url(request: RequestId, photo: PhotoId) -> String {
    format!("/api/requests/{request}/photos/{photo}")
}

/// Sends a photo of a request, as a JPEG; sending it again is harmless (the server knows
/// the photo's id).
pub async fn put_photo(
    request: RequestId,
    photo: PhotoId,
    jpeg: &web_sys::Blob,
) -> Result<(), ApiError> {
    let response = Request::put(&photo_url(request, photo))
        .header("accept", "application/json")
        .header("content-type", "image/jpeg")
        .body(jpeg)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

/// Sends a spreadsheet to `/api/import/{what}` (`households` or `wishes`): a preview when
/// `dry_run`, else applied (all or nothing). Its report either way: a 422 with errors is a
/// report too (nothing was applied).
pub async fn import(
    what: &str,
    dry_run: bool,
    file: &web_sys::File,
) -> Result<microwish_core::import::ImportReport, ApiError> {
    let name = file.name().to_lowercase();
    let content_type = if name.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else if name.ends_with(".xls") {
        "application/vnd.ms-excel"
    } else {
        "text/csv"
    };
    let response = Request::post(&format!("/api/import/{what}?dry_run={dry_run}"))
        .header("accept", "application/json")
        .header("content-type", content_type)
        .body(&**file)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    if response.ok() || response.status() == 422 {
        response
            .json()
            .await
            .map_err(|error| ApiError::Unexpected(error.to_string()))
    } else {
        Err(problem(response).await)
    }
}

/// The public board of fixed problems (已办结), newest first.
pub async fn board() -> Result<Vec<BoardItem>, ApiError> {
    let page: Page<BoardItem> = get_json("/api/board").await?;
    Ok(page.items)
}

/// Every community (id and name); none when the server cannot be asked (the forms that name
/// communities then offer no choice, or their own words).
pub async fn communities_known() -> Vec<Community> {
    get_json::<Page<Community>>("/api/communities")
        .await
        .map(|page| page.items)
        .unwrap_or_default()
}

/// Creates an account and logs it in (the answer sets the session cookie).
pub async fn register(registration: &Registration) -> Result<Me, ApiError> {
    post_json("/api/auth/register", registration).await
}

pub async fn login(login: &Login) -> Result<Me, ApiError> {
    post_json("/api/auth/login", login).await
}

pub async fn logout() -> Result<(), ApiError> {
    let response = post("/api/auth/logout", &NoFields {}).await?;
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

/// Deletes the signed-in account (its password asked again); the session ends with it.
pub async fn delete_account(deletion: &AccountDeletion) -> Result<(), ApiError> {
    send_without_answer(Request::delete("/api/me"), deletion).await
}

/// Asks for a one-time SMS code (the answer is the same whoever owns the number);
/// `sms_unavailable` when the server sends no SMS.
pub async fn request_code(request: &CodeRequest) -> Result<CodeSent, ApiError> {
    post_json("/api/auth/code", request).await
}

/// Sets a new password with an SMS code; signs in.
pub async fn reset_password(reset: &PasswordReset) -> Result<Me, ApiError> {
    post_json("/api/auth/reset", reset).await
}

/// Proves the signed-in user's number with the code sent to it.
pub async fn verify_phone(verification: &PhoneVerification) -> Result<Me, ApiError> {
    post_json("/api/me/phone", verification).await
}

/// Changes the password (the current one asked again); other sessions end.
pub async fn change_password(change: &PasswordChange) -> Result<(), ApiError> {
    send_without_answer(Request::post("/api/me/password"), change).await
}

/// Ends every session of the account, on every device.
pub async fn end_all_sessions() -> Result<(), ApiError> {
    send_without_answer(Request::delete("/api/me/sessions"), &NoFields {}).await
}

/// Who the session cookie belongs to; `not_logged_in` when nobody.
pub async fn me() -> Result<Me, ApiError> {
    get_json("/api/me").await
}

/// Sends pending mutations; each gets a result (applied or rejected, with a code).
pub async fn push(request: &PushRequest) -> Result<PushResponse, ApiError> {
    post_json("/api/sync/push", request).await
}

/// Everything the user may see that changed after `cursor`.
pub async fn pull(cursor: u64, client_id: ClientId) -> Result<PullResponse, ApiError> {
    get_json(&format!(
        "/api/sync/pull?cursor={cursor}&client_id={client_id}"
    ))
    .await
}

/// The server's VAPID public key, this device's `applicationServerKey` for Web Push.
pub async fn push_key() -> Result<PushKey, ApiError> {
    get_json("/api/push/key").await
}

/// Pushes the user's notices to this device's push service from now on.
pub async fn subscribe_push(subscription: &PushSubscription) -> Result<(), ApiError> {
    send_without_answer(Request::post("/api/push/subscriptions"), subscription).await
}

/// Stops pushing the user's notices to `endpoint`.
pub async fn unsubscribe_push(endpoint: &PushEndpoint) -> Result<(), ApiError> {
    send_without_answer(Request::delete("/api/push/subscriptions"), endpoint).await
}

/// Which kinds of notice the user gets by push and by SMS (every kind listed).
pub async fn preferences() -> Result<Preferences, ApiError> {
    get_json("/api/me/preferences").await
}

/// Sets the kinds `changes` names; every kind's setting comes back.
pub async fn set_preferences(changes: &Preferences) -> Result<Preferences, ApiError> {
    put_json("/api/me/preferences", changes).await
}

/// A worker says when a station of their community is open, whom to ask and its phone.
pub async fn set_station(grid: &GridId, details: &StationDetails) -> Result<Grid, ApiError> {
    put_json(&format!("/api/grids/{grid}/station"), details).await
}

/// PUTs `body` as JSON and reads the answer.
async fn put_json<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> Result<T, ApiError> {
    let response = Request::put(path)
        .header("accept", "application/json")
        .json(body)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    decode(response).await
}

/// Sends `body` as JSON with a method whose answer has nothing to read.
async fn send_without_answer(
    request: gloo_net::http::RequestBuilder,
    body: &impl Serialize,
) -> Result<(), ApiError> {
    let response = request
        .header("accept", "application/json")
        .json(body)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

/// A service certificate of the signed-in volunteer's house calls confirmed in a period.
pub async fn issue_certificate(request: &IssueCertificate) -> Result<Certificate, ApiError> {
    post_json("/api/certificates", request).await
}

/// The signed-in volunteer's certificates, the latest first.
pub async fn my_certificates() -> Result<Page<Certificate>, ApiError> {
    get_json("/api/me/certificates").await
}

/// A certificate as anyone with its link reads it (its verification).
pub async fn certificate(id: CertificateId) -> Result<Certificate, ApiError> {
    get_json(&format!("/api/certificates/{id}")).await
}

/// The QR code of a certificate's verification page, drawn by the server (an `<img>`).
pub fn certificate_qr(id: CertificateId) -> String {
    format!("/api/certificates/{id}/qr.svg")
}

/// A volunteer's certificates, for a worker of their community.
pub async fn volunteer_certificates(volunteer: UserId) -> Result<Page<Certificate>, ApiError> {
    get_json(&format!("/api/volunteers/{volunteer}/certificates")).await
}

/// A worker revokes a certificate, with the reason the volunteer reads.
pub async fn revoke_certificate(
    id: CertificateId,
    revoke: &RevokeCertificate,
) -> Result<Certificate, ApiError> {
    post_json(&format!("/api/certificates/{id}/revoke"), revoke).await
}

/// A shop's record of giving (the shop, or a worker its giving reaches).
pub async fn shop_record(shop: UserId) -> Result<ShopRecord, ApiError> {
    get_json(&format!("/api/shops/{shop}/record")).await
}

/// A worker records (or replaces) a year the shop gave before the app.
pub async fn put_shop_year(
    shop: UserId,
    year: i32,
    body: &RecordPastYear,
) -> Result<ShopRecord, ApiError> {
    put_json(&format!("/api/shops/{shop}/years/{year}"), body).await
}

/// A worker removes a past year recorded.
pub async fn delete_shop_year(shop: UserId, year: i32) -> Result<ShopRecord, ApiError> {
    let response = Request::delete(&format!("/api/shops/{shop}/years/{year}"))
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    decode(response).await
}

/// The signed-in shop makes its thank-you page public, or private again.
pub async fn set_shop_page(page: ShopPage) -> Result<ShopPage, ApiError> {
    put_json("/api/me/shop-page", &page).await
}

/// A shop's public thank-you page (404 unless the shop made it public).
pub async fn shop_thanks(shop: UserId) -> Result<ShopThanks, ApiError> {
    get_json(&format!("/api/shops/{shop}/thanks")).await
}

/// The worker's community's pairings (结对帮扶), asked and asking.
pub async fn pairings() -> Result<Page<Pairing>, ApiError> {
    get_json("/api/pairings").await
}

/// Asks another community to pair with the worker's.
pub async fn propose_pairing(request: &ProposePairing) -> Result<Pairing, ApiError> {
    post_json("/api/pairings", request).await
}

/// Accepts, declines or ends a pairing.
pub async fn pairing_step(pairing: PairingId, step: PairingStep) -> Result<Pairing, ApiError> {
    let path = format!("/api/pairings/{pairing}/{}", step.path());
    post_json(&path, &serde_json::json!({})).await
}
