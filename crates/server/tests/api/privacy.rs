//! No public endpoint ever carries a household's name, address, phone or notes, nor a
//! resident's request's words, unit or whom to call.

use crate::helpers::spawn_demo_app;

#[tokio::test]
async fn no_public_response_contains_household_details() {
    let app = spawn_demo_app().await;
    let households: Vec<(String, String, String, String)> = app
        .db
        .fetch_all(
            "SELECT name, address, phone, notes FROM households",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert!(households.len() >= 12);
    let secrets: Vec<String> = households
        .into_iter()
        .flat_map(|(name, address, phone, notes)| [name, address, phone, notes])
        .filter(|secret| !secret.is_empty())
        .collect();

    let mut paths = vec![
        "/api/wishes".to_owned(),
        "/api/wishes?status=open&limit=200".to_owned(),
        "/api/campaigns".to_owned(),
        "/api/stats".to_owned(),
        "/api/grids".to_owned(),
        "/api/buildings".to_owned(),
        "/api/board".to_owned(),
        "/api/health".to_owned(),
    ];
    for wish in app.wishes("?limit=200").await.items {
        paths.push(format!("/api/wishes/{}", wish.id));
        if let Some(campaign) = wish.campaign_id {
            paths.push(format!("/api/campaigns/{campaign}"));
            paths.push(format!("/api/wishes?campaign={campaign}"));
        }
    }
    for path in &paths {
        let body = app.get(path).await.text().await.unwrap();
        for field in [
            "\"household\"",
            "\"household_id\"",
            "\"address\"",
            "\"phone\"",
        ] {
            assert!(!body.contains(field), "{path} has a {field} field: {body}");
        }
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{path} leaks {secret:?}");
        }
    }
}

#[tokio::test]
async fn only_the_volunteer_on_an_active_house_call_sees_the_address() {
    use microwish_core::{ClaimView, Role, WishKind};

    let app = spawn_demo_app().await;
    let volunteer = app.approved_volunteer().await;
    let donor = app.register(Role::Donor).await;
    let shopkeeper = app.register(Role::Shopkeeper).await;
    let wish = app.house_call().await;
    let (start, end) = app.slot_tomorrow(60);
    let response = app
        .claim(
            &volunteer,
            wish.id,
            serde_json::json!({"quantity": 1, "slot_start": start, "slot_end": end}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let claim: ClaimView = response.json().await.unwrap();
    let contact = claim
        .contact
        .expect("the volunteer gets the address for the visit");
    let (address, phone): (String, String) = app.db.fetch_one("SELECT h.address, h.phone FROM households h JOIN wishes w ON w.household_id = h.id WHERE w.id = ?", microwish_server::args![wish.id.to_string()]).await
    .unwrap();
    assert_eq!(
        (contact.address.as_str(), contact.phone.as_str()),
        (address.as_str(), phone.as_str())
    );
    let mine = app
        .get_as(&volunteer, "/api/me/claims")
        .await
        .text()
        .await
        .unwrap();
    assert!(mine.contains(&address));

    // Donors, shopkeepers and the public see nothing of it, in any response.
    let item = app.open_wish(WishKind::Item, 1).await;
    app.claim_ok(&donor, item.id, 1).await;
    let secrets = app.household_secrets().await;
    for (who, session) in [
        ("donor", Some(&donor)),
        ("shopkeeper", Some(&shopkeeper)),
        ("public", None),
    ] {
        let mut paths = vec![
            "/api/me".to_owned(),
            "/api/me/claims".to_owned(),
            "/api/wishes?limit=200".to_owned(),
            format!("/api/wishes/{}", wish.id),
            format!("/api/wishes/{}/events", wish.id),
            format!("/api/wishes/{}/events", item.id),
        ];
        paths.retain(|path| session.is_some() || !path.starts_with("/api/me"));
        for path in paths {
            let body = match session {
                Some(session) => app.get_as(session, &path).await.text().await.unwrap(),
                None => app.get(&path).await.text().await.unwrap(),
            };
            for secret in &secrets {
                assert!(
                    !body.contains(secret.as_str()),
                    "{who} sees {secret:?} in {path}"
                );
            }
        }
    }
    // The public timeline names nobody.
    let events = app
        .get(&format!("/api/wishes/{}/events", wish.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !events.contains(volunteer.me.display_name.as_str()),
        "{events}"
    );

    // Once the claim ends, the volunteer loses the address.
    app.act(Some(&volunteer), claim.id, "release").await;
    let mine = app
        .get_as(&volunteer, "/api/me/claims")
        .await
        .text()
        .await
        .unwrap();
    for secret in &secrets {
        assert!(
            !mine.contains(secret.as_str()),
            "after release the volunteer still sees {secret:?}"
        );
    }
}

/// A request's description, unit, on-behalf name and phone, and its requester's phone.
type Secrets = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

#[tokio::test]
async fn no_public_response_carries_a_requests_private_fields() {
    let app = spawn_demo_app().await;
    // A place ("地下车库") may be named in what a worker writes for the board; the rest
    // never: the words, the unit, whom it was logged for and whom to call.
    let requests: Vec<Secrets> = app
        .db
        .fetch_all(
            "SELECT r.description, r.unit, r.on_behalf_name, r.on_behalf_phone, u.phone \
             FROM requests r JOIN users u ON u.id = r.requester_id",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert!(requests.len() >= 10, "the demo's season");
    let secrets: Vec<String> = requests
        .into_iter()
        .flat_map(|(description, unit, name, phone, requester)| {
            [Some(description), unit, name, phone, Some(requester)]
        })
        .flatten()
        .collect();
    for path in [
        "/api/board",
        "/api/board?limit=1",
        "/api/stats",
        "/api/buildings",
        "/api/wishes?limit=200",
        "/api/grids",
    ] {
        let body = app.get(path).await.text().await.unwrap();
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{path} leaks {secret:?}");
        }
    }
    // The board holds only what workers wrote for the public.
    let board = app.get_json("/api/board").await;
    assert!(!board["items"].as_array().unwrap().is_empty());
    for item in board["items"].as_array().unwrap() {
        assert_eq!(item.as_object().unwrap().len(), 5, "{item}");
    }
}
