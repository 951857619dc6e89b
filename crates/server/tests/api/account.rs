//! A person's hold on their account (issue 23, items 4, 5 and 9): SMS codes that prove a
//! number without telling a stranger whose it is, a forgotten password reset, a password
//! changed, every session ended, and a worker's second factor after failed logins.

use chrono::Duration;
use microwish_core::sync::{MutationStatus, PushResponse};
use microwish_core::{ClaimId, ClientId, ProblemCode, Role, WishKind};
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, fresh_phone, session_from, spawn_demo_app, spawn_demo_app_with, Session,
    TestApp,
};
use crate::notices::LocalEndpoint;

const DONOR_PHONE: &str = "13800000002";
const DONOR_PASSWORD: &str = "xingyi-donor-2026";
const WORKER_PHONE: &str = "13800000001";
const WORKER_PASSWORD: &str = "xingyi-worker-2026";

/// A demo app whose SMS gateway is `gateway`.
async fn texting_app(gateway: &LocalEndpoint) -> (TestApp, tempfile::TempDir) {
    texting_app_with(gateway, |_| {}).await
}

/// A demo app whose SMS gateway is `gateway`, configured further by `configure`.
async fn texting_app_with(
    gateway: &LocalEndpoint,
    configure: impl FnOnce(&mut microwish_server::ServeConfig),
) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sms.secret");
    std::fs::write(&file, "a-shared-secret-of-the-gateway\n").unwrap();
    let url = format!("http://{}/sms", gateway.address);
    let app = spawn_demo_app_with(|config| {
        config.notify.sms =
            Some(microwish_server::notify::sms::SmsGateway::new(&url, &file).unwrap());
        configure(config);
    })
    .await;
    (app, dir)
}

/// The `n`th message the gateway received (from 0), once it has.
async fn message(gateway: &LocalEndpoint, n: usize) -> Value {
    gateway.wait_for(n + 1).await;
    let (headers, body) = gateway.received.lock().unwrap()[n].clone();
    assert!(headers.contains_key("x-signature"), "signed");
    serde_json::from_slice(&body).unwrap()
}

/// The code in the `n`th message, checking it went to `phone` for `purpose`.
async fn code_sent(gateway: &LocalEndpoint, n: usize, phone: &str, purpose: &str) -> String {
    let sent = message(gateway, n).await;
    assert_eq!(sent["phone"], phone, "{sent}");
    assert_eq!(sent["template"], "phone_code", "{sent}");
    assert_eq!(sent["params"]["purpose"], purpose, "{sent}");
    let code = sent["params"]["code"].as_str().unwrap().to_owned();
    assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));
    code
}

async fn ask_code(app: &TestApp, phone: &str, purpose: &str) -> reqwest::Response {
    app.post(
        None,
        "/api/auth/code",
        json!({"phone": phone, "purpose": purpose}),
    )
    .await
}

/// A code that is not `code`.
fn other_than(code: &str) -> String {
    if code == "000000" { "000001" } else { "000000" }.to_owned()
}

async fn me(app: &TestApp, session: &Session) -> reqwest::Response {
    app.get_as(session, "/api/me").await
}

async fn assert_code_refused(response: reqwest::Response) {
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "code", "{body}");
    assert_eq!(body["errors"][0]["code"], "invalid", "{body}");
}

#[tokio::test]
async fn a_code_proves_a_number_at_sign_up_and_a_taken_number_is_not_revealed() {
    let gateway = LocalEndpoint::start().await;
    let (app, _dir) = texting_app(&gateway).await;
    let phone = fresh_phone();
    let asked = ask_code(&app, &phone, "register").await;
    assert_eq!(asked.status(), 202);
    let new_number: Value = asked.json().await.unwrap();
    assert_eq!(new_number, json!({"expires_in": 300, "resend_in": 60}));
    let code = code_sent(&gateway, 0, &phone, "register").await;
    let sign_up = |code: String, phone: String| {
        let app = &app;
        async move {
            app.post(
                None,
                "/api/auth/register",
                json!({"display_name": "新邻居", "phone": phone,
                       "password": "a-long-test-password", "role": "donor", "code": code}),
            )
            .await
        }
    };
    assert_code_refused(sign_up(other_than(&code), phone.clone()).await).await;
    let registered = sign_up(code.clone(), phone.clone()).await;
    assert_eq!(registered.status(), 201);
    let body: Value = registered.json().await.unwrap();
    assert_eq!(body["phone_verified"], true, "{body}");
    assert_code_refused(sign_up(code, fresh_phone()).await).await;

    // Someone signs up with the demo donor's number: the answer is the one a new number
    // gets; the owner's phone is told, and no code exists to finish the sign-up with.
    let taken = ask_code(&app, DONOR_PHONE, "register").await;
    assert_eq!(taken.status(), 202);
    assert_eq!(taken.json::<Value>().await.unwrap(), new_number);
    let told = message(&gateway, 1).await;
    assert_eq!(told["phone"], DONOR_PHONE);
    assert_eq!(told["template"], "phone_registered");
    assert!(told["params"].get("code").is_none(), "{told}");
    for guess in ["123456", "000000"] {
        assert_code_refused(sign_up(guess.into(), DONOR_PHONE.into()).await).await;
    }

    // Without a code an account starts unverified; the community's own are verified.
    let plain = app.register(Role::Donor).await;
    assert!(!plain.me.phone_verified);
    let worker = app.worker().await;
    assert!(worker.me.phone_verified);
}

#[tokio::test]
async fn codes_are_limited_per_number_expire_and_wear_out_and_unknown_numbers_get_nothing() {
    let gateway = LocalEndpoint::start().await;
    let (app, _dir) = texting_app(&gateway).await;
    assert_eq!(ask_code(&app, DONOR_PHONE, "reset").await.status(), 202);
    let code = code_sent(&gateway, 0, DONOR_PHONE, "reset").await;
    let again = ask_code(&app, DONOR_PHONE, "reset").await;
    assert!(again.headers().contains_key("retry-after"));
    assert_problem(again, 429, "too_many_attempts").await;

    let reset = |code: String| {
        let app = &app;
        async move {
            app.post(
                None,
                "/api/auth/reset",
                json!({"phone": DONOR_PHONE, "code": code, "password": "a-brand-new-password"}),
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_code_refused(reset(other_than(&code)).await).await;
    }
    assert_code_refused(reset(code).await).await;

    // A new code a minute later; five minutes after that it no longer works.
    app.clock.advance(Duration::seconds(61));
    assert_eq!(ask_code(&app, DONOR_PHONE, "reset").await.status(), 202);
    let code = code_sent(&gateway, 1, DONOR_PHONE, "reset").await;
    app.clock.advance(Duration::seconds(301));
    assert_code_refused(reset(code).await).await;

    // An unknown number is answered alike, and nothing is sent.
    app.clock.advance(Duration::seconds(61));
    let unknown = ask_code(&app, &fresh_phone(), "reset").await;
    assert_eq!(unknown.status(), 202);
    assert_eq!(ask_code(&app, DONOR_PHONE, "reset").await.status(), 202);
    let next = message(&gateway, 2).await;
    assert_eq!(next["phone"], DONOR_PHONE, "the unknown number got nothing");
    assert_eq!(gateway.count(), 3);

    // Five an hour per number.
    for _ in 0..2 {
        app.clock.advance(Duration::seconds(61));
        assert_eq!(ask_code(&app, DONOR_PHONE, "reset").await.status(), 202);
    }
    app.clock.advance(Duration::seconds(61));
    assert_problem(
        ask_code(&app, DONOR_PHONE, "reset").await,
        429,
        "too_many_attempts",
    )
    .await;

    let bad = ask_code(&app, "12345", "reset").await;
    let body = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "phone");
}

#[tokio::test]
async fn a_reset_sets_the_password_ends_every_session_and_signs_in() {
    let gateway = LocalEndpoint::start().await;
    let (app, _dir) = texting_app(&gateway).await;
    let before = app.login(DONOR_PHONE, DONOR_PASSWORD).await;
    assert_eq!(ask_code(&app, DONOR_PHONE, "reset").await.status(), 202);
    let code = code_sent(&gateway, 0, DONOR_PHONE, "reset").await;
    let weak = app
        .post(
            None,
            "/api/auth/reset",
            json!({"phone": DONOR_PHONE, "code": code, "password": "12345678"}),
        )
        .await;
    let body = assert_problem(weak, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");
    let reset = app
        .post(
            None,
            "/api/auth/reset",
            json!({"phone": DONOR_PHONE, "code": code, "password": "a-brand-new-password"}),
        )
        .await;
    assert_eq!(reset.status(), 200);
    let after = session_from(reset).await;
    assert_eq!(after.me.phone.as_str(), DONOR_PHONE);
    assert_eq!(me(&app, &after).await.status(), 200);
    assert_eq!(
        me(&app, &before).await.status(),
        401,
        "the old session ended"
    );
    let old = app
        .post(
            None,
            "/api/auth/login",
            json!({"phone": DONOR_PHONE, "password": DONOR_PASSWORD}),
        )
        .await;
    assert_problem(old, 401, "invalid_credentials").await;
    app.login(DONOR_PHONE, "a-brand-new-password").await;
}

/// Where the operator holds unproven phones to one unit, a fresh sign-up claims one, is told
/// why not more (online and when an offline claim syncs), and holds the fair share once the
/// number is verified.
#[tokio::test]
async fn an_unverified_phone_holds_one_unit_where_the_server_says_so_until_verified() {
    let gateway = LocalEndpoint::start().await;
    let (app, _dir) = texting_app_with(&gateway, |config| {
        config.policy.unverified_claim_units = Some(1);
    })
    .await;
    let donor = app.register(Role::Donor).await;
    assert!(!donor.me.phone_verified);
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 10).await;
    let body = assert_problem(
        app.claim(&donor, wish.id, json!({"quantity": 2})).await,
        403,
        "phone_unverified",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("1 unit"),
        "{body}"
    );
    app.claim_ok(&donor, wish.id, 1).await;
    // An offline claim meets the same rule when it syncs, and says why.
    let pushed = app
        .post(
            Some(&donor),
            "/api/sync/push",
            json!({"client_id": ClientId::generate(), "mutations": [{"id": 1, "name": "claim_wish",
                   "args": {"id": ClaimId::generate(), "wish_id": wish.id, "quantity": 1}}]}),
        )
        .await;
    assert_eq!(pushed.status(), 200);
    let pushed: PushResponse = pushed.json().await.unwrap();
    assert_eq!(pushed.results[0].status, MutationStatus::Rejected);
    assert_eq!(pushed.results[0].code, Some(ProblemCode::PhoneUnverified));
    // Verified: the fair share, like anyone.
    let phone = donor.me.phone.as_str().to_owned();
    assert_eq!(ask_code(&app, &phone, "verify").await.status(), 202);
    let code = code_sent(&gateway, 0, &phone, "verify").await;
    let verified = app
        .post(Some(&donor), "/api/me/phone", json!({"code": code}))
        .await;
    assert_eq!(verified.status(), 200);
    app.claim_ok(&donor, wish.id, 3).await;
    assert_eq!(app.wish(wish.id).await.claimed, 4);
    // The demo's accounts were added by the community: verified from the start.
    let known = app.login(DONOR_PHONE, DONOR_PASSWORD).await;
    app.claim_ok(&known, wish.id, 2).await;
}

#[tokio::test]
async fn a_phone_is_verified_later_with_a_code() {
    let gateway = LocalEndpoint::start().await;
    let (app, _dir) = texting_app(&gateway).await;
    let donor = app.register(Role::Donor).await;
    assert!(!donor.me.phone_verified);
    let phone = donor.me.phone.as_str().to_owned();
    assert_eq!(ask_code(&app, &phone, "verify").await.status(), 202);
    let code = code_sent(&gateway, 0, &phone, "verify").await;
    let wrong = app
        .post(
            Some(&donor),
            "/api/me/phone",
            json!({"code": other_than(&code)}),
        )
        .await;
    assert_code_refused(wrong).await;
    let verified = app
        .post(Some(&donor), "/api/me/phone", json!({"code": code}))
        .await;
    assert_eq!(verified.status(), 200);
    assert_eq!(
        verified.json::<Value>().await.unwrap()["phone_verified"],
        true
    );
    let body: Value = me(&app, &donor).await.json().await.unwrap();
    assert_eq!(body["phone_verified"], true);
    assert_problem(
        app.post(None, "/api/me/phone", json!({"code": "123456"}))
            .await,
        401,
        "not_logged_in",
    )
    .await;
}

#[tokio::test]
async fn without_a_gateway_there_are_no_codes() {
    let app = spawn_demo_app().await;
    assert_problem(
        ask_code(&app, DONOR_PHONE, "reset").await,
        409,
        "sms_unavailable",
    )
    .await;
    let reset = app
        .post(
            None,
            "/api/auth/reset",
            json!({"phone": DONOR_PHONE, "code": "123456", "password": "a-brand-new-password"}),
        )
        .await;
    assert_code_refused(reset).await;
    // A worker who mistyped is let in by the password alone: there is no second factor to
    // ask for.
    for _ in 0..3 {
        let wrong = app
            .post(
                None,
                "/api/auth/login",
                json!({"phone": WORKER_PHONE, "password": "not-the-password"}),
            )
            .await;
        assert_eq!(wrong.status(), 401);
    }
    app.login(WORKER_PHONE, WORKER_PASSWORD).await;
}

#[tokio::test]
async fn a_password_change_asks_for_the_old_one_and_ends_the_other_sessions() {
    let app = spawn_demo_app().await;
    let here = app.login(DONOR_PHONE, DONOR_PASSWORD).await;
    let elsewhere = app.login(DONOR_PHONE, DONOR_PASSWORD).await;
    let change = |current: &str, new: &str| {
        let (app, here) = (&app, &here);
        let body = json!({"current_password": current, "password": new});
        async move { app.post(Some(here), "/api/me/password", body).await }
    };
    let wrong = assert_problem(
        change("not-the-password", "a-brand-new-password").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(wrong["errors"][0]["field"], "current_password");
    let weak = assert_problem(
        change(DONOR_PASSWORD, "12345678").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(weak["errors"][0]["field"], "password");
    assert_eq!(
        change(DONOR_PASSWORD, "a-brand-new-password")
            .await
            .status(),
        204
    );
    assert_eq!(me(&app, &here).await.status(), 200, "this session stays");
    assert_eq!(me(&app, &elsewhere).await.status(), 401, "the others end");
    app.login(DONOR_PHONE, "a-brand-new-password").await;
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_on_every_server() {
    let app = spawn_demo_app().await;
    let twin = crate::helpers::spawn_twin(&app).await;
    let phone = app.login(DONOR_PHONE, DONOR_PASSWORD).await;
    let laptop = app.login(DONOR_PHONE, DONOR_PASSWORD).await;
    let on_twin = |session: &Session| {
        let request = app
            .client
            .get(format!("{twin}/api/me"))
            .header("cookie", &session.cookie);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(on_twin(&laptop).await, 200);
    let ended = app
        .send(
            Some(&phone),
            reqwest::Method::DELETE,
            "/api/me/sessions",
            json!({}),
        )
        .await;
    assert_eq!(ended.status(), 204);
    assert!(ended.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(me(&app, &phone).await.status(), 401);
    assert_eq!(me(&app, &laptop).await.status(), 401);
    // The twin kept the laptop's session in memory; the ended sessions reach it at once.
    let mut status = on_twin(&laptop).await;
    for _ in 0..20 {
        if status == 401 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        status = on_twin(&laptop).await;
    }
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_worker_after_failed_logins_also_gives_the_code_sent_to_their_phone() {
    let gateway = LocalEndpoint::start().await;
    let (app, _dir) = texting_app(&gateway).await;
    let login = |phone: &str, password: &str, code: Option<&str>| {
        let mut body = json!({"phone": phone, "password": password});
        if let Some(code) = code {
            body["code"] = json!(code);
        }
        let app = &app;
        async move { app.post(None, "/api/auth/login", body).await }
    };
    for phone in [WORKER_PHONE, DONOR_PHONE] {
        for _ in 0..3 {
            assert_eq!(login(phone, "not-the-password", None).await.status(), 401);
        }
    }
    // The donor's right password is enough.
    assert_eq!(login(DONOR_PHONE, DONOR_PASSWORD, None).await.status(), 200);
    // The worker's is not: a code goes to their phone.
    assert_problem(
        login(WORKER_PHONE, WORKER_PASSWORD, None).await,
        401,
        "code_required",
    )
    .await;
    let code = code_sent(&gateway, 0, WORKER_PHONE, "login").await;
    assert_code_refused(login(WORKER_PHONE, WORKER_PASSWORD, Some(&other_than(&code))).await).await;
    // A wrong password with the right code gets nowhere.
    assert_eq!(
        login(WORKER_PHONE, "not-the-password", Some(&code))
            .await
            .status(),
        401
    );
    let signed_in = login(WORKER_PHONE, WORKER_PASSWORD, Some(&code)).await;
    assert_eq!(signed_in.status(), 200);
}
