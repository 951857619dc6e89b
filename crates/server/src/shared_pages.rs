//! Shared links: `/wishes/{id}` and `/campaigns/{id}` answer the app's page named after that
//! wish or campaign, so a chat's link preview (which reads `<title>` and the Open Graph tags,
//! and runs no script) shows what is asked for, and a slow phone draws it before the app has
//! arrived. The words are core's (`share`), from public fields only; an unknown or non-public
//! id answers the plain app page with 404 (the app then says it is not found).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use microwish_core::model::{PublicCampaign, PublicWish};
use microwish_core::share::{self, Preview};
use microwish_core::{visibility, CampaignId, WishId};

use crate::app::AppState;
use crate::error::ApiResult;
use crate::store;

/// `GET /wishes/{id}`.
pub async fn wish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let found = match id.parse::<WishId>() {
        Ok(id) => store::wishes::public(&state.db, id).await,
        Err(_) => Ok(None),
    };
    let today = microwish_core::clock::community_today(state.clock.now());
    // Someone signed in sees more on it (their claim, their actions): their app draws it.
    let visitor = crate::auth::session_token(&headers).is_none();
    answer(&state, &headers, found, |wish| {
        // For a visitor, its page as the app will draw it (the app then takes its place:
        // src/shell.rs); a wish given all it asked for gets its card.
        let page = crate::first_screen::wish_page(wish, today)
            .filter(|_| visitor)
            .map(Screen::Page);
        (
            share::wish(wish),
            page.unwrap_or_else(|| Screen::Card(wish_card(wish))),
        )
    })
    .await
}

/// `GET /campaigns/{id}`: every community's drives are public (as `GET /api/campaigns/{id}`
/// answers a visitor).
pub async fn campaign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let found = match id.parse::<CampaignId>() {
        Ok(id) => campaign_and_wishes(&state, id).await,
        Err(_) => Ok(None),
    };
    let today = microwish_core::clock::community_today(state.clock.now());
    // Someone signed in may see more on it (a worker's actions): their app draws it.
    let visitor = crate::auth::session_token(&headers).is_none();
    answer(&state, &headers, found, |(drive, wishes)| {
        let screen = if visitor {
            Screen::Page(crate::first_screen::campaign_page(drive, wishes, today))
        } else {
            Screen::Card(campaign_card(drive))
        };
        (share::campaign(drive), screen)
    })
    .await
}

/// What the shell shows of a shared link before the app arrives.
enum Screen {
    /// The app's page itself, drawn as the app draws it (the app takes its place when ready).
    Page(String),
    /// A card in place of the placeholders (the app replaces the shell as it mounts): for
    /// someone signed in, or a wish given all it asked for.
    Card(String),
}

/// A public campaign and the first of its wishes, in the app's order.
async fn campaign_and_wishes(
    state: &AppState,
    id: CampaignId,
) -> ApiResult<Option<(PublicCampaign, Vec<PublicWish>)>> {
    let Some(drive) = store::campaigns::one(&state.db, id)
        .await?
        .filter(|drive| visibility::campaign(None, drive.community_id))
    else {
        return Ok(None);
    };
    let query = microwish_core::WishQuery {
        campaign: Some(id),
        limit: Some(crate::first_screen::FIRST_SCREEN_WISHES),
        ..Default::default()
    };
    let wishes = store::wishes::list(&state.db, &query).await?.items;
    Ok(Some((drive, wishes)))
}

async fn answer<T>(
    state: &AppState,
    headers: &HeaderMap,
    found: ApiResult<Option<T>>,
    describe: impl FnOnce(&T) -> (Preview, Screen),
) -> Response {
    let html = match app_page(state).await {
        Ok(html) => html,
        Err(missing) => return missing,
    };
    let page = |status: StatusCode, html: String| {
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response()
    };
    match found {
        Ok(Some(found)) => {
            let (preview, screen) = describe(&found);
            let html = match screen {
                Screen::Page(screen) => crate::first_screen::with_first_screen(&html, &screen),
                Screen::Card(card) => with_card(&html, &card),
            };
            page(StatusCode::OK, named(&html, &preview, headers))
        }
        Ok(None) => page(StatusCode::NOT_FOUND, html),
        Err(error) => {
            // The database is away: the plain page still lets the app start (it has a cache).
            tracing::warn!(?error, "shared page: falling back to the plain app page");
            page(StatusCode::OK, html)
        }
    }
}

/// The app's page as the build left it, to draw into; without a build, the ordinary
/// fallback's answer that says so.
pub(crate) async fn app_page(state: &AppState) -> Result<String, Response> {
    tokio::fs::read_to_string(state.dist.join("index.html"))
        .await
        .map_err(|_| crate::app::spa_index_missing(state))
}

/// The app's page with `preview`'s title and description in the head (with Open Graph tags
/// for link previews).
fn named(index: &str, preview: &Preview, headers: &HeaderMap) -> String {
    let title = escape(&format!("{} · 微心愿", preview.title));
    let description = escape(&preview.description);
    let image = absolute(headers, "/icon-512.png").map(|url| {
        format!(
            "<meta property=\"og:image\" content=\"{}\" />",
            escape(&url)
        )
    });
    let tags = format!(
        "<title>{title}</title>\n    <meta property=\"og:type\" content=\"website\" />\n    \
         <meta property=\"og:site_name\" content=\"微心愿\" />\n    \
         <meta property=\"og:title\" content=\"{}\" />\n    \
         <meta property=\"og:description\" content=\"{description}\" />\n    {}",
        escape(&preview.title),
        image.unwrap_or_default()
    );
    let mut html = replace_element(index, "<title>", "</title>", &tags)
        .unwrap_or_else(|| insert_before(index, "</head>", &tags));
    let description_tag = format!("<meta name=\"description\" content=\"{description}\" />");
    html = replace_element(&html, "<meta name=\"description\"", ">", &description_tag)
        .unwrap_or_else(|| insert_before(&html, "</head>", &description_tag));
    html
}

/// The placeholder cards give way to `card` (the app removes the whole shell as it mounts).
fn with_card(index: &str, card: &str) -> String {
    let placeholders = "<div class=\"skeleton-list\"";
    if index.contains(placeholders) {
        index.replacen(
            placeholders,
            &format!("{card}\n      <div hidden class=\"skeleton-list\""),
            1,
        )
    } else {
        insert_before(index, "</body>", card)
    }
}

fn campaign_card(drive: &PublicCampaign) -> String {
    let preview = share::campaign(drive);
    format!(
        "<article class=\"wish-card shared-card\">\n        <h1 class=\"wish-card__title\">{}</h1>\n        \
         <p class=\"wish-card__need\">{}</p>\n      </article>",
        escape(&drive.title),
        escape(&preview.description),
    )
}

fn wish_card(wish: &PublicWish) -> String {
    let preview = share::wish(wish);
    format!(
        "<article class=\"wish-card shared-card\">\n        <h1 class=\"wish-card__title\">{}</h1>\n        \
         <p class=\"wish-card__who\"><span class=\"wish-card__alias\">{}</span></p>\n        \
         <p class=\"wish-card__need\">{}</p>\n        <p class=\"shared-card__text\">{}</p>\n      </article>",
        escape(&wish.title),
        escape(&wish.alias),
        escape(&preview.description),
        escape(&wish.description),
    )
}

/// `index` with the element from `start` to the first `end` after it replaced by `with`; None
/// when it has none.
fn replace_element(index: &str, start: &str, end: &str, with: &str) -> Option<String> {
    let from = index.find(start)?;
    let to = from + index[from..].find(end)? + end.len();
    Some(format!("{}{with}{}", &index[..from], &index[to..]))
}

pub(crate) fn insert_before(index: &str, marker: &str, what: &str) -> String {
    match index.find(marker) {
        Some(at) => format!("{}{what}\n{}", &index[..at], &index[at..]),
        None => format!("{index}{what}"),
    }
}

/// The address a link preview fetches `path` from: the host the link was opened on.
pub(crate) fn absolute(headers: &HeaderMap, path: &str) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    // A host is letters, digits, dots, dashes, a port and IPv6 brackets; anything else is not
    // written into the page.
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
    {
        return None;
    }
    let scheme = if crate::auth::is_https(headers) {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}{path}"))
}

/// Text made safe for HTML content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_names_the_page_and_text_is_escaped() {
        let index = "<html><head><meta name=\"description\" content=\"generic\" />\
                     <title>微心愿</title></head><body><div id=\"shell\">\
                     <div class=\"skeleton-list\" aria-hidden=\"true\"></div></div></body></html>";
        let preview = Preview {
            title: "<script>一个书包".into(),
            description: "还需 1/2 个 \"急\"".into(),
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "wish.example.cn".parse().unwrap());
        let html = named(
            &with_card(index, "<article>card</article>"),
            &preview,
            &headers,
        );
        assert!(html.contains("<title>&lt;script&gt;一个书包 · 微心愿</title>"));
        assert!(html.contains("<meta property=\"og:title\" content=\"&lt;script&gt;一个书包\" />"));
        assert!(html.contains("content=\"还需 1/2 个 &quot;急&quot;\""));
        assert!(html.contains("og:image\" content=\"http://wish.example.cn/icon-512.png\""));
        assert!(!html.contains("generic"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<article>card</article>\n      <div hidden class=\"skeleton-list\""));
    }

    #[test]
    fn a_strange_host_is_not_written_into_the_page() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "evil\"><script>".parse().unwrap());
        assert_eq!(absolute(&headers, "/icon-512.png"), None);
    }
}
