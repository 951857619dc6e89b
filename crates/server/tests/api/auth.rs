use microwish_core::Role;
use serde_json::json;

use crate::helpers::{assert_problem, fresh_phone, spawn_app, spawn_demo_app, spawn_demo_app_with};

#[tokio::test]
async fn registering_logs_in_with_a_strict_http_only_cookie() {
    let app = spawn_app().await;
    let phone = fresh_phone();
    let response = app
        .post(
            None,
            "/api/auth/register",
            json!({"display_name": " 张先生 ", "phone": phone,
              "password": "a-long-test-password", "role": "donor"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in [
        "mw_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=",
    ] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP must not set Secure: {cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("mw_session=")
        .to_owned();
    assert!(token.len() >= 43, "at least 256 bits of token: {token}");

    let me = app
        .get_as(
            &crate::helpers::Session {
                cookie: format!("mw_session={token}"),
                me: response.json().await.unwrap(),
            },
            "/api/me",
        )
        .await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["display_name"], "张先生");
    assert_eq!(me["role"], "donor");

    // Only a hash of the token is stored, and the password only as argon2id.
    let (stored,): (String,) = app
        .db
        .fetch_one("SELECT token_hash FROM sessions", microwish_server::args![])
        .await
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(stored.len(), 64);
    let (hash,): (String,) = app
        .db
        .fetch_one("SELECT password_hash FROM users", microwish_server::args![])
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[tokio::test]
async fn cookies_are_secure_behind_https() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/register"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"display_name": "李", "phone": fresh_phone(), "password": "a-long-test-password", "role": "volunteer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-mw_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("; Path=/"));
    assert!(!cookie.contains("Domain"));
    // The prefixed cookie is the session.
    let session = cookie.split(';').next().unwrap();
    let me = app
        .client
        .get(app.url("/api/me"))
        .header("x-forwarded-proto", "https")
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    // Over HTTPS the unprefixed name is not a session (a sibling subdomain could plant it).
    let token = session.split_once('=').unwrap().1;
    let unprefixed = app
        .client
        .get(app.url("/api/me"))
        .header("x-forwarded-proto", "https")
        .header("cookie", format!("mw_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(unprefixed.status(), 401);
    // Over plain HTTP: no HSTS, and the plain name (browsers refuse `Secure` there).
    let plain = app.get("/api/health").await;
    assert!(plain.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn registration_refuses_workers_weak_passwords_bad_phones_and_duplicates() {
    let app = spawn_app().await;
    let register = |phone: String, password: &str, role: &str| json!({"display_name": "王", "phone": phone, "password": password, "role": role});
    let body = assert_problem(
        app.post(
            None,
            "/api/auth/register",
            register(fresh_phone(), "a-long-test-password", "worker"),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "role");
    for (password, code) in [
        ("short", "too_short"),
        ("12345678", "too_common"),
        ("woaini1314", "too_common"),
    ] {
        let body = assert_problem(
            app.post(
                None,
                "/api/auth/register",
                register(fresh_phone(), password, "donor"),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "password");
        assert_eq!(body["errors"][0]["code"], code);
    }
    let body = assert_problem(
        app.post(
            None,
            "/api/auth/register",
            register("0513-123".into(), "a-long-test-password", "donor"),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "phone");

    let phone = fresh_phone();
    let first = app
        .post(
            None,
            "/api/auth/register",
            register(phone.clone(), "a-long-test-password", "donor"),
        )
        .await;
    assert_eq!(first.status(), 201);
    // The same number written differently is the same number.
    let spaced = format!("+86 {} {} {}", &phone[..3], &phone[3..7], &phone[7..]);
    assert_problem(
        app.post(
            None,
            "/api/auth/register",
            register(spaced, "a-long-test-password", "volunteer"),
        )
        .await,
        409,
        "phone_taken",
    )
    .await;
}

#[tokio::test]
async fn login_logout_and_me() {
    let app = spawn_demo_app().await;
    assert_problem(app.get("/api/me").await, 401, "not_logged_in").await;
    let worker = app.worker().await;
    assert_eq!(worker.me.role, Role::Worker);
    assert_eq!(app.get_as(&worker, "/api/me").await.status(), 200);
    let login = app
        .send(
            None,
            reqwest::Method::POST,
            "/api/auth/login",
            json!({"phone": "13800000001", "password": "xingyi-worker-2026"}),
        )
        .await;
    let set: Vec<&str> = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|cookie| cookie.to_str().unwrap())
        .collect();
    assert!(set[0].starts_with("mw_session=") && set[0].contains("HttpOnly"));
    assert!(set[1].starts_with("mw_signed_in=1;") && !set[1].contains("HttpOnly"));

    let logout = app.post(Some(&worker), "/api/auth/logout", json!({})).await;
    assert_eq!(logout.status(), 204);
    let cleared: Vec<&str> = logout
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|cookie| cookie.to_str().unwrap())
        .collect();
    assert!(cleared[0].starts_with("mw_session=;") && cleared[0].contains("Max-Age=0"));
    // The hint the app reads to know a session exists goes too.
    assert!(cleared[1].starts_with("mw_signed_in=0;") && cleared[1].contains("Max-Age=0"));
    // The old token is dead on the server too, not just deleted from the browser.
    assert_problem(app.get_as(&worker, "/api/me").await, 401, "not_logged_in").await;
}

#[tokio::test]
async fn sessions_expire() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    // However often it is used, a session ends 30 days after sign-in.
    for days in [10, 10, 9] {
        app.clock.advance(chrono::Duration::days(days));
        assert_eq!(app.get_as(&worker, "/api/me").await.status(), 200);
    }
    app.clock.advance(chrono::Duration::days(2));
    assert_problem(app.get_as(&worker, "/api/me").await, 401, "not_logged_in").await;
}

#[tokio::test]
async fn sessions_end_when_idle_and_use_keeps_them_alive() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let sessions = || async {
        let (count,): (i64,) = app
            .db
            .fetch_one("SELECT COUNT(*) FROM sessions", microwish_server::args![])
            .await
            .unwrap();
        count
    };
    let last_seen = || async {
        let (seen,): (String,) = app
            .db
            .fetch_one(
                "SELECT MAX(last_seen_at) FROM sessions",
                microwish_server::args![],
            )
            .await
            .unwrap();
        seen
    };
    // Used every 13 days, a session lives on (to its 30-day end).
    for _ in 0..2 {
        app.clock.advance(chrono::Duration::days(13));
        assert_eq!(app.get_as(&worker, "/api/me").await.status(), 200);
    }
    // A read within the hour writes nothing; after it, the use is written down.
    let seen = last_seen().await;
    app.clock.advance(chrono::Duration::minutes(30));
    assert_eq!(app.get_as(&worker, "/api/me").await.status(), 200);
    assert_eq!(last_seen().await, seen);
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(app.get_as(&worker, "/api/me").await.status(), 200);
    assert!(last_seen().await > seen);
    // Unused for 14 days, it has ended, and is gone from the database.
    let idle = app.worker().await;
    assert_eq!(sessions().await, 2);
    app.clock.advance(chrono::Duration::days(14));
    assert_problem(app.get_as(&idle, "/api/me").await, 401, "not_logged_in").await;
    assert_eq!(sessions().await, 1);
    assert_problem(app.get_as(&worker, "/api/me").await, 401, "not_logged_in").await;
    assert_eq!(sessions().await, 0);
    // Sessions whose cookies never come back are swept (every ten minutes) once idle.
    let (_kept, _left) = (app.worker().await, app.worker().await);
    app.clock.advance(chrono::Duration::days(13));
    let now = app.clock.now();
    let idle_since = now - app.state.session_idle;
    use microwish_server::store::users::delete_ended_sessions;
    assert_eq!(
        delete_ended_sessions(&app.db, now, idle_since)
            .await
            .unwrap(),
        0
    );
    app.clock.advance(chrono::Duration::days(1));
    let now = app.clock.now();
    let idle_since = now - app.state.session_idle;
    assert_eq!(
        delete_ended_sessions(&app.db, now, idle_since)
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn failed_logins_are_throttled_and_successful_ones_are_not() {
    let app = spawn_demo_app().await;
    let wrong = json!({"phone": "13800000002", "password": "not-the-password"});
    for _ in 0..5 {
        assert_problem(
            app.post(None, "/api/auth/login", wrong.clone()).await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    let throttled = app.post(None, "/api/auth/login", wrong.clone()).await;
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_problem(throttled, 429, "too_many_attempts").await;
    // Even the right password waits until the window passes.
    let right = json!({"phone": "13800000002", "password": "xingyi-donor-2026"});
    assert_eq!(
        app.post(None, "/api/auth/login", right.clone())
            .await
            .status(),
        429
    );
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(
        app.post(None, "/api/auth/login", right.clone())
            .await
            .status(),
        200
    );

    // Successful logins never count: a worker can log in many times.
    for _ in 0..12 {
        assert_eq!(
            app.post(
                None,
                "/api/auth/login",
                json!({"phone": "13800000001", "password": "xingyi-worker-2026"})
            )
            .await
            .status(),
            200
        );
    }
}

/// Two server processes on one database count the same failures: a guesser who spreads
/// tries over both instances gets no more than on one, and neither does a burst of signups.
#[tokio::test]
async fn limits_are_shared_by_every_server_on_the_database() {
    let app = spawn_demo_app_with(|config| config.registrations_per_hour = 2).await;
    let twin = crate::helpers::spawn_twin(&app).await;
    let wrong = json!({"phone": "13800000002", "password": "not-the-password"});
    let guess = |server: &String| {
        let request = app
            .client
            .post(format!("{server}/api/auth/login"))
            .json(&wrong);
        async move { request.send().await.unwrap() }
    };
    for n in 0..5 {
        let server = if n % 2 == 0 { &app.address } else { &twin };
        assert_eq!(guess(server).await.status(), 401, "try {n}");
    }
    for server in [&app.address, &twin] {
        assert_problem(guess(server).await, 429, "too_many_attempts").await;
    }

    // Each server applies its own limit (2 an hour here, the twin's default 30) to the count
    // the database keeps: a signup on the twin counts on this one.
    let register = |server: String| {
        let request = app
            .client
            .post(format!("{server}/api/auth/register"))
            .json(&json!({"display_name": "新邻居", "phone": fresh_phone(),
                          "password": "a-long-test-password", "role": "donor"}));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(register(twin.clone()).await, 201);
    assert_eq!(register(app.address.clone()).await, 201);
    assert_eq!(
        register(app.address.clone()).await,
        429,
        "the twin's signup counted"
    );
}

/// A server keeps sessions it has read for a few seconds; a logout or a suspension made
/// through another server on the same database still takes effect on it within a second.
#[tokio::test]
async fn a_logout_or_suspension_through_one_server_holds_on_the_other_at_once() {
    let app = spawn_demo_app().await;
    let twin = crate::helpers::spawn_twin(&app).await;
    let me_on_twin = |session: &crate::helpers::Session| {
        let request = app
            .client
            .get(format!("{twin}/api/me"))
            .header("cookie", &session.cookie);
        async move { request.send().await.unwrap() }
    };
    let until = |what: &'static str| {
        let started = std::time::Instant::now();
        move || {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(1),
                "{what} not seen by the other server within 1 s"
            );
        }
    };

    let donor = app.register(Role::Donor).await;
    assert_eq!(me_on_twin(&donor).await.status(), 200, "the twin keeps it");
    let out = app.post(Some(&donor), "/api/auth/logout", json!({})).await;
    assert!(out.status().is_success(), "{}", out.status());
    let within = until("the logout");
    while me_on_twin(&donor).await.status() != 401 {
        within();
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }

    let volunteer = app.approved_volunteer().await;
    let seen: serde_json::Value = me_on_twin(&volunteer).await.json().await.unwrap();
    assert_eq!(seen["volunteer_status"], "approved");
    let worker = app.worker().await;
    let suspended = app
        .post(
            Some(&worker),
            &format!("/api/volunteers/{}/suspend", volunteer.me.id),
            json!({"note": "暂停"}),
        )
        .await;
    assert_eq!(suspended.status(), 200);
    let within = until("the suspension");
    loop {
        let seen: serde_json::Value = me_on_twin(&volunteer).await.json().await.unwrap();
        if seen["volunteer_status"] == "suspended" {
            break;
        }
        within();
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn unknown_phones_fail_like_wrong_passwords() {
    let app = spawn_demo_app().await;
    assert_problem(
        app.post(
            None,
            "/api/auth/login",
            json!({"phone": "13999999999", "password": "whatever-it-is"}),
        )
        .await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn a_burst_of_guesses_gets_no_more_tries_than_a_trickle() {
    let app = spawn_demo_app().await;
    let wrong = json!({"phone": "13800000002", "password": "not-the-password"});
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let request = app.client.post(app.url("/api/auth/login")).json(&wrong);
            tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let checked = statuses.iter().filter(|status| **status == 401).count();
    let refused = statuses.iter().filter(|status| **status == 429).count();
    assert_eq!((checked, refused), (5, 35), "{statuses:?}");
}

#[tokio::test]
async fn an_attacked_account_still_opens_for_its_owner_elsewhere_and_neighbours_are_spared() {
    let app = spawn_demo_app().await;
    // Someone guesses the donor's password from this address until stopped…
    let wrong = json!({"phone": "13800000002", "password": "not-the-password"});
    for _ in 0..6 {
        app.post(None, "/api/auth/login", wrong.clone()).await;
    }
    let right = json!({"phone": "13800000002", "password": "xingyi-donor-2026"});
    assert_eq!(
        app.post(None, "/api/auth/login", right.clone())
            .await
            .status(),
        429
    );
    // …while the owner, on another network, logs in.
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let owner = elsewhere
        .post(app.url("/api/auth/login"))
        .json(&right)
        .send()
        .await
        .unwrap();
    assert_eq!(owner.status(), 200);

    // Thirty failures on other phones from one address (a carrier's shared address) do not
    // lock out the neighbour behind it who knows their password.
    for n in 0..30 {
        let guess = json!({"phone": format!("1390000{n:04}"), "password": "guess-guess"});
        assert_eq!(app.post(None, "/api/auth/login", guess).await.status(), 401);
    }
    let worker = json!({"phone": "13800000001", "password": "xingyi-worker-2026"});
    assert_eq!(
        app.post(None, "/api/auth/login", worker).await.status(),
        200
    );
}

#[tokio::test]
async fn registrations_are_limited_per_client_address_seen_through_trusted_proxies() {
    let app = spawn_demo_app_with(|config| {
        config.registrations_per_hour = 3;
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let register = |forwarded_for: &'static str| {
        let request = app
            .client
            .post(app.url("/api/auth/register"))
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({"display_name": "新邻居", "phone": fresh_phone(),
                          "password": "a-long-test-password", "role": "donor"}));
        async move { request.send().await.unwrap() }
    };
    for _ in 0..3 {
        assert_eq!(register("203.0.113.5").await.status(), 201);
    }
    let refused = register("203.0.113.5").await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_problem(refused, 429, "too_many_attempts").await;
    // Another phone behind the same proxy is another client; a forged address on the left
    // of the proxy's own is not believed.
    assert_eq!(register("203.0.113.6").await.status(), 201);
    assert_eq!(
        register("198.51.100.1, 203.0.113.5").await.status(),
        429,
        "the proxy saw 203.0.113.5"
    );
}

#[tokio::test]
async fn password_hashing_is_bounded_and_the_rest_are_told_to_come_back() {
    let app = spawn_demo_app_with(|config| {
        config.hashing = (1, std::time::Duration::ZERO);
    })
    .await;
    let tasks: Vec<_> = (0..12)
        .map(|n| {
            let request = app
                .client
                .post(app.url("/api/auth/login"))
                .json(&json!({"phone": format!("1390000{n:04}"), "password": "not-the-password"}));
            tokio::spawn(async move { request.send().await.unwrap() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        let response = task.await.unwrap();
        let status = response.status().as_u16();
        if status == 503 {
            assert_eq!(response.headers()["retry-after"], "2");
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], "busy");
        }
        statuses.push(status);
    }
    assert!(statuses.contains(&401), "some were checked: {statuses:?}");
    assert!(
        statuses.contains(&503),
        "the rest were told to come back: {statuses:?}"
    );
    assert!(statuses.iter().all(|status| matches!(status, 401 | 503)));
}

/// Guesses at one phone from many addresses slow down, ever more, from every address that has
/// failed, but never lock the owner out: the right password from an address that has not
/// failed gets in, however many guesses came from elsewhere.
#[tokio::test]
async fn guesses_from_many_addresses_are_slowed_but_never_lock_the_owner_out() {
    let app = spawn_demo_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let login = |from: String, password: &'static str| {
        let request = app
            .client
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", from)
            .json(&json!({"phone": "13800000002", "password": password}));
        async move { request.send().await.unwrap() }
    };
    let guesser = |n: usize| format!("203.0.113.{n}");
    // Twenty addresses, five rounds of guesses each, all at once.
    let mut checked = 0;
    for _round in 0..5 {
        for n in 1..=20 {
            let answer = login(guesser(n), "not-the-password").await;
            match answer.status().as_u16() {
                401 => checked += 1,
                429 => {}
                status => panic!("{status}"),
            }
        }
    }
    // The owner, on an address that has not failed, gets in.
    assert_eq!(
        login("198.51.100.7".to_owned(), "xingyi-donor-2026")
            .await
            .status(),
        200,
        "the owner is not locked out"
    );
    // The first guess from each address is checked; an address that failed waits (the phone
    // has more than 10 failures: 64 s at most, not the window's 15 minutes).
    assert_eq!(checked, 20);
    let slowed = login(guesser(1), "not-the-password").await;
    let retry_after: u64 = slowed.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=64).contains(&retry_after), "{retry_after}");
    assert_problem(slowed, 429, "too_many_attempts").await;

    // A guesser's address is let in after waiting as told, once, and then waits again.
    app.clock.advance(chrono::Duration::seconds(65));
    assert_eq!(login(guesser(1), "not-the-password").await.status(), 401);
    assert_eq!(login(guesser(2), "not-the-password").await.status(), 429);
    // The owner who slipped once at home waits at most a minute, then gets in there too.
    app.clock.advance(chrono::Duration::seconds(65));
    assert_eq!(login(guesser(3), "xingyi-donor-2026").await.status(), 200);
}

/// An IPv6 client is counted by its /64 (it can pick any address in it); an IPv4-mapped
/// address is the IPv4 address.
#[tokio::test]
async fn addresses_in_one_ipv6_64_share_a_limit() {
    let app = spawn_demo_app_with(|config| {
        config.registrations_per_hour = 2;
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let register = |forwarded_for: &'static str| {
        let request = app
            .client
            .post(app.url("/api/auth/register"))
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({"display_name": "新邻居", "phone": fresh_phone(),
                          "password": "a-long-test-password", "role": "donor"}));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(register("2001:db8:1:2::5").await, 201);
    assert_eq!(register("2001:db8:1:2:aaaa:bbbb:cccc:dddd").await, 201);
    assert_eq!(register("2001:db8:1:2::6").await, 429, "the same /64");
    assert_eq!(register("2001:db8:1:3::5").await, 201, "another /64");

    assert_eq!(register("203.0.113.9").await, 201);
    assert_eq!(register("::ffff:203.0.113.9").await, 201);
    assert_eq!(
        register("203.0.113.9").await,
        429,
        "the mapped address counted"
    );
}
