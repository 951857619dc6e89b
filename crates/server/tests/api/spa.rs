use microwish_core::{PublicWish, Role, WishKind};

use crate::helpers::{spawn_app, spawn_demo_app, HASHED_JS, INDEX_HTML};

#[tokio::test]
async fn index_and_client_routes_get_the_app_uncached() {
    let app = spawn_app().await;
    for (path, status) in [
        ("/", 200),
        ("/login", 200),
        ("/worker/claims", 200),
        // A shared link to nothing (DESIGN.md "Shared pages"): the app's page, with 404.
        ("/wishes/0190a0b2-4c1d-7e3f-8a9b-0c1d2e3f4a5b", 404),
        ("/campaigns/x", 404),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(response.text().await.unwrap(), INDEX_HTML);
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_missing_files_are_404() {
    let app = spawn_app().await;
    let response = app.get(&format!("/{HASHED_JS}")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(app.get("/missing-file.js").await.status(), 404);
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_accepts_it() {
    let app = spawn_app().await;
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(format!("{}/{HASHED_JS}", app.address))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
    }
    let response = app
        .client
        .get(format!("{}/api/wishes", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// The build compresses its files once, at brotli's best (scripts/precompress.mjs): the server
/// sends those as they are to a browser that takes them, and the plain file to one that does not.
#[tokio::test]
async fn files_compressed_at_build_time_are_sent_as_built() {
    let app = spawn_app().await;
    let wasm = "microwish-0123456789abcdef_bg.wasm";
    std::fs::write(app.state.dist.join(wasm), b"\0asm plain").unwrap();
    std::fs::write(
        app.state.dist.join(format!("{wasm}.br")),
        b"built with brotli",
    )
    .unwrap();
    let get = |encoding: &'static str| {
        app.client
            .get(format!("{}/{wasm}", app.address))
            .header("accept-encoding", encoding)
            .send()
    };

    let response = get("gzip, deflate, br").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        b"built with brotli"
    );

    let response = get("identity").await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"\0asm plain");
}

/// The app's real page, as the build leaves it, in the test server's `dist`.
fn with_real_index(app: &crate::helpers::TestApp) -> String {
    let index = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../index.html"))
        .expect("the app's index.html");
    std::fs::write(app.state.dist.join("index.html"), &index).unwrap();
    index
}

/// What a chat's link preview reads: `<meta property="og:…" content="…">`.
fn meta(html: &str, property: &str) -> Option<String> {
    let start = html.find(&format!("property=\"{property}\" content=\""))?;
    let rest = &html[start..];
    let value = &rest[rest.find("content=\"")? + 9..];
    Some(value[..value.find('"')?].to_owned())
}

#[tokio::test]
async fn a_shared_wish_link_names_the_wish_from_public_fields_only() {
    let app = spawn_demo_app().await;
    let index = with_real_index(&app);
    let wish = app.open_wish(WishKind::Item, 1).await;
    let response = app.get(&format!("/wishes/{}", wish.id)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let html = response.text().await.unwrap();
    let og_title = meta(&html, "og:title").expect("og:title");
    assert!(og_title.contains(&wish.title), "{og_title}");
    assert!(og_title.contains(&wish.alias), "{og_title}");
    assert!(html.contains(&format!("<title>{og_title} · 微心愿</title>")));
    let description = meta(&html, "og:description").expect("og:description");
    assert!(description.contains(&wish.grid_name), "{description}");
    assert!(description.contains(&format!("还需 {}/{}", wish.remaining, wish.quantity)));
    assert!(html.contains(&format!(
        "<meta name=\"description\" content=\"{description}\" />"
    )));
    assert!(meta(&html, "og:image").is_some_and(|url| url.ends_with("/icon-512.png")));
    // Only one title and one description: the generic ones are replaced.
    assert_eq!(html.matches("<title>").count(), 1);
    assert_eq!(html.matches("name=\"description\"").count(), 1);
    // The first screen: the wish's page drawn in the shell before the app arrives, in both
    // languages.
    let shell = &html[html.find("id=\"shell\"").unwrap()..];
    assert!(shell.starts_with("id=\"shell\" class=\"app first-screen\""));
    assert!(shell.contains(&format!("<h1 class=\"detail__title\">{}</h1>", wish.title)));
    assert!(shell.contains(&format!(
        "<span class=\"only-zh\">还需</span><span class=\"only-en\" lang=\"en\">Still needed</span> <strong class=\"detail__remaining\">{}</strong>",
        wish.remaining
    )));
    // What a visitor taps to claim works before the app arrives: logging in comes back here.
    assert!(shell.contains(&format!(
        "<a class=\"button button--wide claim-panel__login\" href=\"/login?next=%2Fwishes%2F{}\">\
         <span class=\"only-zh\">登录后认领</span>",
        wish.id
    )));
    assert!(html.len() > index.len());
    for secret in app.household_secrets().await {
        assert!(
            !html.contains(&secret),
            "a household's {secret} in the shared page"
        );
    }
    // Someone signed in gets the card: their app draws their own page of it.
    let donor = app.register(microwish_core::Role::Donor).await;
    let html = app
        .get_as(&donor, &format!("/wishes/{}", wish.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("first-screen"));
    assert!(html.contains("shared-card"));
}

#[tokio::test]
async fn a_shared_link_to_a_draft_or_cancelled_wish_is_the_plain_page_with_404() {
    let app = spawn_demo_app().await;
    let index = with_real_index(&app);
    let wish = app.open_wish(WishKind::Item, 1).await;
    for status in ["draft", "cancelled"] {
        app.db
            .execute(
                "UPDATE wishes SET status = ? WHERE id = ?",
                microwish_server::args![status, wish.id.to_string()],
            )
            .await
            .unwrap();
        let response = app.get(&format!("/wishes/{}", wish.id)).await;
        assert_eq!(response.status(), 404, "{status}");
        let html = response.text().await.unwrap();
        assert_eq!(html, index, "{status}");
        assert!(!html.contains(&wish.title));
    }
    assert_eq!(app.get("/wishes/not-an-id").await.status(), 404);
}

#[tokio::test]
async fn a_shared_campaign_link_names_the_drive_and_its_progress() {
    let app = spawn_demo_app().await;
    with_real_index(&app);
    let campaigns = app.get_json("/api/campaigns").await;
    let drive = &campaigns["items"][0];
    let id = drive["id"].as_str().unwrap();
    let response = app.get(&format!("/campaigns/{id}")).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert_eq!(meta(&html, "og:title").as_deref(), drive["title"].as_str());
    let description = meta(&html, "og:description").unwrap();
    assert!(
        description.starts_with(&format!("已认领 {}/", drive["progress"]["units_claimed"])),
        "{description}"
    );
    // Its page, drawn as the app draws it, with its first wishes in the app's order.
    let shell = &html[html.find("id=\"shell\"").unwrap()..];
    assert!(shell.starts_with("id=\"shell\" class=\"app first-screen\""));
    assert!(shell.contains(&format!(
        "<h1 class=\"detail__title\">{}</h1>",
        drive["title"].as_str().unwrap()
    )));
    let wishes = app
        .get_json(&format!("/api/wishes?campaign={id}&limit=6"))
        .await;
    let listed: Vec<&str> = wishes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|wish| wish["id"].as_str().unwrap())
        .collect();
    assert!(!listed.is_empty());
    let drawn: Vec<&str> = shell
        .split("<a class=\"wish-card\" href=\"/wishes/")
        .skip(1)
        .map(|card| &card[..card.find('"').unwrap()])
        .collect();
    assert_eq!(drawn, listed);
    for secret in app.household_secrets().await {
        assert!(
            !html.contains(&secret),
            "a household's {secret} on a campaign's page"
        );
    }
    assert_eq!(
        app.get("/campaigns/0190a0b2-4c1d-7e3f-8a9b-0c1d2e3f4a5b")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_list_opens_with_its_first_open_wishes_drawn_in_both_languages() {
    let app = spawn_demo_app().await;
    with_real_index(&app);
    let first: Vec<PublicWish> = serde_json::from_value(
        app.get_json("/api/wishes?status=open&limit=6").await["items"].clone(),
    )
    .unwrap();
    assert_eq!(
        first.len(),
        6,
        "the demo has more than a screen of open wishes"
    );
    let shell = |html: &str| html[html.find("id=\"shell\"").unwrap()..].to_owned();
    // The ids of the wish cards a page draws, in order.
    let drawn_cards = |html: &str| -> Vec<String> {
        html.split("<a class=\"wish-card\" href=\"/wishes/")
            .skip(1)
            .map(|card| card[..card.find('"').unwrap()].to_owned())
            .collect()
    };

    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let html = shell(&response.text().await.unwrap());
    assert!(html.starts_with("id=\"shell\" class=\"app first-screen\""));
    // The hero's figures, as GET /api/stats gives them.
    let stats = app.get_json("/api/stats").await;
    assert!(html.contains(&format!(
        "<div><dt>{}</dt><dd><span class=\"only-zh\">个心愿待认领</span>",
        stats["wishes_open"]
    )));
    // The list's wishes, in the list's order, each a link to its page.
    let mut from = 0;
    for wish in &first {
        let card = format!("<a class=\"wish-card\" href=\"/wishes/{}\"", wish.id);
        let at = html[from..]
            .find(&card)
            .unwrap_or_else(|| panic!("{} in order", wish.title));
        from += at;
        assert!(html[from..].contains(&format!(
            "<h3 class=\"wish-card__title\">{}</h3>",
            wish.title
        )));
    }
    assert_eq!(html.matches("class=\"wish-card\"").count(), first.len());
    // In both languages: the page's lang shows one.
    assert!(html.contains("<span class=\"only-zh\">还需</span><span class=\"only-en\" lang=\"en\">Still needed</span>"));
    assert!(html.contains(
        "<span class=\"only-zh\">待认领</span><span class=\"only-en\" lang=\"en\">Open</span>"
    ));
    // The placeholder cards stay, hidden, for the loader's failure notice.
    assert!(html.contains("<div hidden class=\"skeleton-list\""));
    for secret in app.household_secrets().await {
        assert!(
            !html.contains(&secret),
            "a household's {secret} on the first screen"
        );
    }

    // A claim shows on the next load (the cache is versioned like the API's list): the house
    // call booked leaves the open wishes, and the next one takes its place.
    let wish = app.house_call().await;
    assert!(
        first.iter().any(|open| open.id == wish.id),
        "a house call on the first screen"
    );
    let volunteer = app.approved_volunteer().await;
    let (start, end) = app.slot_tomorrow(60);
    let slot = serde_json::json!({"quantity": 1, "slot_start": start, "slot_end": end});
    assert_eq!(app.claim(&volunteer, wish.id, slot).await.status(), 201);
    let html = shell(&app.get("/").await.text().await.unwrap());
    assert!(!html.contains(&format!("href=\"/wishes/{}\"", wish.id)));
    let now: Vec<PublicWish> = serde_json::from_value(
        app.get_json("/api/wishes?status=open&limit=6").await["items"].clone(),
    )
    .unwrap();
    let drawn = drawn_cards(&html);
    let listed: Vec<String> = now.iter().map(|wish| wish.id.to_string()).collect();
    assert_eq!(drawn, listed);

    // Each chip is a link to the list with its choice made, and the server draws that list
    // too: filters work before the app has arrived.
    assert!(html.contains("<a class=\"chip\" href=\"/?kind=item\">"));
    assert!(html.contains("<a class=\"chip chip--on\" href=\"/\" aria-current=\"true\">"));
    let html = shell(&app.get("/?kind=item").await.text().await.unwrap());
    assert!(html.starts_with("id=\"shell\" class=\"app first-screen\""));
    let items: Vec<PublicWish> = serde_json::from_value(
        app.get_json("/api/wishes?status=open&kind=item&limit=200")
            .await["items"]
            .clone(),
    )
    .unwrap();
    let drawn = drawn_cards(&html);
    let listed: Vec<String> = items
        .iter()
        .take(6)
        .map(|wish| wish.id.to_string())
        .collect();
    assert_eq!(drawn, listed);
    assert!(html.contains(&format!(
        "<p class=\"results__count\"><span class=\"only-zh\">{} 个心愿</span>",
        items.len()
    )));
    assert!(html.contains("<a class=\"chip chip--on\" href=\"/?kind=item\" aria-current=\"true\">"));
    // A search keeps the other filters; each language's form sends its own box.
    assert!(html.contains("<input type=\"hidden\" name=\"kind\" value=\"item\" />"));
    assert_eq!(html.matches("name=\"q\"").count(), 2);
    // A search from that form: the same wishes the API finds, and a way to clear it.
    let word = items[0].title.chars().take(2).collect::<String>();
    let query = serde_urlencoded::to_string([("kind", "item"), ("q", word.as_str())]).unwrap();
    let html = shell(&app.get(&format!("/?{query}")).await.text().await.unwrap());
    let found: Vec<PublicWish> = serde_json::from_value(
        app.get_json(&format!("/api/wishes?status=open&{query}"))
            .await["items"]
            .clone(),
    )
    .unwrap();
    assert!(!found.is_empty());
    for wish in found.iter().take(6) {
        assert!(html.contains(&format!("href=\"/wishes/{}\"", wish.id)));
    }
    assert!(html.contains(&format!("value=\"{word}\"")));
    assert!(html.contains("<a class=\"button button--quiet\" href=\"/?kind=item\">"));
    // Nothing found: the app says so in its own words (the plain page).
    let html = app.get("/?q=zzzzzz").await.text().await.unwrap();
    assert!(!html.contains("first-screen"));
    // Someone signed in gets the plain page: their app draws more than a visitor's list.
    let donor = app.register(Role::Donor).await;
    let response = app
        .client
        .get(app.url("/"))
        .header("cookie", &donor.cookie)
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(!html.contains("first-screen"));
    assert!(html.contains("<div class=\"skeleton-list\""));
}
