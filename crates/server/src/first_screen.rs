//! `GET /`: the app's page with the list's first screen drawn in, for a visitor's first load
//! (and [`wish_page`] and [`campaign_page`], a shared wish's or campaign's page drawn the same
//! way: `shared_pages.rs`).
//!
//! A phone on slow 4G needs seconds for the app's wasm; until now it showed placeholder cards.
//! The server draws what the app's list (`src/pages/wish_list.rs`) will draw for a visitor: the
//! hero with its figures, the requests' figures, the running campaigns, the filters, the first
//! open wishes (`src/components/wish_card.rs`) and the tab bar, in the app's own words
//! (microwish-i18n), in both languages (public/prefs.js shows the device's one before the first
//! paint). Every link works before the app has arrived. The app starts hidden behind it
//! (`src/shell.rs`) and takes its place once its page is ready, so nothing moves; the e2e test
//! `tests/e2e/first_screen.test.mjs` checks that the two read the same, part for part.
//!
//! Public fields only, as `GET /api/wishes`, `/api/campaigns` and `/api/stats` answer anyone.
//! Drawn once per data version and minute, in the public-page cache.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use microwish_core::clock::{community_today, days_until};
use microwish_core::command::{claim_offer, ClaimOffer};
use microwish_core::model::{
    Category, Grid, Page, PublicCampaign, PublicWish, Stats, WishKind, WishQuery, WishStatus,
};
use microwish_i18n::{fill, Texts, EN, ZH_CN};

use crate::app::AppState;
use crate::error::ApiResult;
use crate::shared_pages::{escape, insert_before};
use crate::store;

/// How many wishes the first screen draws: more than a phone's screen holds, far fewer than
/// the app's first page (it draws the rest once it has started).
pub const FIRST_SCREEN_WISHES: u32 = 6;

/// `GET /`.
pub async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let html = match crate::shared_pages::app_page(&state).await {
        Ok(html) => html,
        Err(missing) => return missing,
    };
    let page =
        |html: String| ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    // Someone signed in sees more than a visitor (我要反映, their own figures): their app draws
    // it, over the plain shell. So it does a query it cannot read.
    let params: Option<Vec<(String, String)>> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).ok();
    let (Some(params), None) = (params, crate::auth::session_token(&headers)) else {
        return page(html);
    };
    let filters = WishQuery::from_list_params(|key| {
        params
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
    });
    match drawn(&state, filters).await {
        Ok(Some(screen)) => page(with_first_screen(&html, &screen)),
        // Nothing found: the app says so in its own words once it starts.
        Ok(None) => page(html),
        Err(error) => {
            tracing::warn!(?error, "first screen: falling back to the plain app page");
            page(html)
        }
    }
}

/// The first screen's markup for the list with `filters`, from the public-page cache when this
/// version has been drawn in this minute: time alone changes some of it (a deadline's days left,
/// a request that waits past its time counts against the response rate), and the app's page,
/// reading the same at take-over, must not differ.
async fn drawn(state: &AppState, filters: WishQuery) -> ApiResult<Option<String>> {
    let version = state
        .freshness
        .latest(|| async { store::sync::latest_version(&state.db).await })
        .await?;
    let now = state.clock.now();
    let today = community_today(now);
    let key = format!(
        "first-screen:{}{}",
        now.timestamp() / 60,
        list_url(&filters)
    );
    if let Some(page) = state.pages.get(&key, version) {
        return Ok(
            Some(String::from_utf8_lossy(page.json()).into_owned()).filter(|s| !s.is_empty())
        );
    }
    let (wishes, found) = found(state, &filters).await?;
    let screen = if wishes.is_empty() {
        String::new()
    } else {
        let stats = store::community::stats(&state.db, now).await?;
        let mut campaigns: Vec<PublicCampaign> = store::campaigns::all(&state.db)
            .await?
            .into_iter()
            .filter(|campaign| campaign.is_running(today))
            .collect();
        campaigns.sort_by_key(|campaign| std::cmp::Reverse(campaign.id));
        let mut grids = store::community::grids(&state.db).await?;
        grids.sort_by(|a, b| a.id.cmp(&b.id));
        screen(&FirstScreen {
            // The list before any choice counts as the hero does.
            found: found.unwrap_or(stats.wishes_open),
            stats,
            campaigns,
            grids,
            filters,
            wishes,
            today,
        })
    };
    state.pages.put(
        key,
        Arc::new(crate::pages::Page::new(
            version,
            screen.clone().into_bytes(),
        )),
    );
    Ok(Some(screen).filter(|screen| !screen.is_empty()))
}

/// The first wishes the list with `filters` shows, and how many it finds in all (`None` for the
/// list before any choice: the hero's count of open wishes says it).
async fn found(state: &AppState, filters: &WishQuery) -> ApiResult<(Vec<PublicWish>, Option<u32>)> {
    let first = WishQuery {
        limit: Some(FIRST_SCREEN_WISHES),
        ..filters.clone()
    };
    let Page { items, mut next } = store::wishes::list(&state.db, &first).await?;
    if filters.list_params().is_empty() {
        return Ok((items, None));
    }
    // A community's wishes are hundreds at most: count the rest a full page at a time.
    let mut count = items.len();
    let mut rest = WishQuery {
        limit: Some(WishQuery::MAX_LIMIT),
        ..filters.clone()
    };
    while let Some(cursor) = next {
        rest.cursor = Some(cursor);
        let page = store::wishes::list(&state.db, &rest).await?;
        count += page.items.len();
        next = page.next;
    }
    Ok((items, Some(u32::try_from(count).unwrap_or(u32::MAX))))
}

/// The list page at `filters` (`/?kind=service`), as the app draws it for a visitor.
fn list_url(filters: &WishQuery) -> String {
    let params = filters.list_params();
    if params.is_empty() {
        "/".to_owned()
    } else {
        format!(
            "/?{}",
            serde_urlencoded::to_string(&params).unwrap_or_default()
        )
    }
}

/// What a visitor's list shows first.
struct FirstScreen {
    stats: Stats,
    campaigns: Vec<PublicCampaign>,
    grids: Vec<Grid>,
    /// The filters in the page's URL.
    filters: WishQuery,
    /// How many wishes they find.
    found: u32,
    wishes: Vec<PublicWish>,
    today: NaiveDate,
}

/// `index` with its shell's hero and search box replaced by `screen`.
pub(crate) fn with_first_screen(index: &str, screen: &str) -> String {
    let (Some(hero), Some(filters_end)) = (
        index.find("<header class=\"hero\">"),
        index.find("</section>").map(|at| at + "</section>".len()),
    ) else {
        return insert_before(index, "</body>", screen);
    };
    if filters_end < hero {
        return insert_before(index, "</body>", screen);
    }
    let rest = &index[filters_end..];
    // The placeholder cards stay, hidden, for the loader's failure notice to hide too.
    let rest = rest.replacen(
        "<div class=\"skeleton-list\"",
        "<div hidden class=\"skeleton-list\"",
        1,
    );
    format!("{}{screen}{rest}", &index[..hero]).replacen(
        "<div id=\"shell\" class=\"app\"",
        "<div id=\"shell\" class=\"app first-screen\"",
        1,
    )
}

/// The list page as the app draws it for a visitor.
fn screen(first: &FirstScreen) -> String {
    let stats = &first.stats;
    let requests = &stats.requests;
    let mut html = format!(
        "<header class=\"hero\"><p class=\"hero__community\">{}</p><h1 class=\"hero__title\">{}</h1>\
         <p class=\"hero__tagline\">{}</p><dl class=\"stats\">{}{}{}{}</dl></header>",
        both(|t| t.community.to_owned()),
        both(|t| t.app_name.to_owned()),
        both(|t| t.tagline.to_owned()),
        figure(stats.wishes_open.to_string(), |t| t.stats_open),
        figure(stats.units_needed.to_string(), |t| t.stats_units),
        figure(stats.households_helped.to_string(), |t| t.stats_helped),
        figure(stats.pledged_units.to_string(), |t| t.stats_pledged),
    );
    html.push_str(&format!(
        "<section class=\"requests-strip\" aria-label=\"{}\"><h2 class=\"section-title\">{}</h2>\
         <dl class=\"stats stats--requests\">{}{}{}{}</dl>\
         <a class=\"button button--quiet requests-strip__board\" href=\"/board\">{}</a></section>",
        escape(ZH_CN.board.summary_title),
        both(|t| t.board.summary_title.to_owned()),
        figure(requests.total.to_string(), |t| t.board.filed),
        figure(requests.resolved.to_string(), |t| t.board.resolved),
        both_figure(
            |t| t.rate(requests.response_rate),
            |t| t.board.response_rate
        ),
        both_figure(
            |t| t.rate(requests.satisfaction_rate),
            |t| t.board.satisfaction_rate
        ),
        both(|t| format!("{} ›", t.board.link)),
    ));
    if !first.campaigns.is_empty() {
        let cards: String = first.campaigns.iter().map(campaign_card).collect();
        html.push_str(&format!(
            "<section class=\"campaigns\" aria-label=\"{}\"><h2 class=\"section-title\">{}</h2>\
             <div class=\"campaigns__row\">{cards}</div></section>",
            escape(ZH_CN.campaigns),
            both(|t| t.campaigns.to_owned()),
        ));
    }
    html.push_str(&filters(first));
    let cards: String = first
        .wishes
        .iter()
        .map(|wish| format!("<li>{}</li>", wish_card(wish, first.today)))
        .collect();
    html.push_str(&format!(
        "<section class=\"results\" aria-live=\"polite\"><p class=\"results__count\">{}</p>\
         <ul class=\"wish-list\">{cards}</ul></section>",
        both(|t| format!("{} {}", first.found, t.results)),
    ));
    html.push_str(&tab_bar("/"));
    html
}

/// A wish's page as the app draws it for a visitor (src/pages/wish_detail.rs), with its claim
/// panel (what a visitor taps works before the app has arrived) and before its timeline, which
/// comes below with the app; `None` for a wish given all it asked for (its page opens with
/// thanks the app draws).
pub(crate) fn wish_page(wish: &PublicWish, today: NaiveDate) -> Option<String> {
    if microwish_core::giving::is_finished(wish.status) {
        return None;
    }
    let campaign = wish
        .campaign_id
        .map(|id| {
            let title = match &wish.campaign_title {
                Some(title) => escape(title),
                None => both(|t| t.campaign.to_owned()),
            };
            format!("<a class=\"detail__campaign\" href=\"/campaigns/{id}\">{title}</a>")
        })
        .unwrap_or_default();
    let (place_label, place): (fn(&Texts) -> &'static str, _) = match wish.kind {
        WishKind::Item => (
            |t| t.drop_off,
            both(|t| format!("{}{}", wish.station, t.in_brackets(&wish.station_location))),
        ),
        WishKind::Service => (|t| t.house_call_in, both(|t| t.address_private.to_owned())),
    };
    let needed_by = wish
        .needed_by
        .map(|date| {
            format!(
                "<dt>{}</dt><dd>{}</dd>",
                both(|t| t.needed_by.to_owned()),
                both(|t| t.deadline(date, today, wish.status))
            )
        })
        .unwrap_or_default();
    Some(format!(
        "<nav class=\"topbar\"><a class=\"topbar__back\" href=\"/\">{back}</a></nav>\
         <article class=\"page detail\"><div class=\"wish-card__tags\">{tags}{campaign}</div>\
         <h1 class=\"detail__title\">{title}</h1>\
         <div class=\"detail__need\"><p>{still_needed} <strong class=\"detail__remaining\">{remaining}</strong> / {quantity} {unit}</p>\
         {bar}<p class=\"detail__counts\">{counts}</p></div>\
         <dl class=\"detail__facts\"><dt>{beneficiary}</dt><dd>{who}</dd><dt>{grid_label}</dt><dd>{grid}</dd>\
         <dt>{place_label}</dt><dd>{place}</dd>{needed_by}</dl>\
         <section class=\"detail__about\"><h2 class=\"section-title\">{about}</h2><p>{description}</p></section>\
         {claim}</article>{tabs}",
        back = both(|t| format!("‹ {}", t.back_to_list)),
        tags = tags(wish),
        title = escape(&wish.title),
        still_needed = both(|t| t.still_needed.to_owned()),
        remaining = wish.remaining,
        quantity = wish.quantity,
        unit = escape(&wish.unit),
        bar = bar(wish.claimed, wish.quantity),
        counts = both(|t| format!(
            "{} {} · {} {}",
            t.progress_claimed, wish.claimed, t.progress_fulfilled, wish.fulfilled
        )),
        beneficiary = both(|t| t.beneficiary.to_owned()),
        who = both(|t| format!("{}{}", wish.alias, t.in_brackets(t.group(wish.group)))),
        grid_label = both(|t| t.filter_grid.to_owned()),
        grid = escape(&wish.grid_name),
        place_label = both(|t| place_label(t).to_owned()),
        about = both(|t| t.about_wish.to_owned()),
        description = escape(&wish.description),
        claim = claim_panel(wish),
        tabs = tab_bar(&format!("/wishes/{}", wish.id)),
    ))
}

/// The claim panel as `ClaimPanel` (src/components/claim_panel.rs) draws it for a visitor, as
/// core's [`claim_offer`] decides for nobody logged in: a way to log in that comes back here, or
/// why the wish takes no claims now.
fn claim_panel(wish: &PublicWish) -> String {
    match claim_offer(Some(None), wish) {
        ClaimOffer::LogIn => format!(
            "<section class=\"claim-panel\"><h2 class=\"section-title claim-panel__title\">{}</h2>\
             <a class=\"button button--wide claim-panel__login\" href=\"/login{}\">{}</a></section>",
            both(|t| t.claim.panel_title.to_owned()),
            coming_back_to(&format!("/wishes/{}", wish.id)),
            both(|t| t.claim.login_to_claim.to_owned()),
        ),
        ClaimOffer::NotOpen(status) => format!(
            "<section class=\"claim-panel claim-panel--quiet\"><p class=\"claim-panel__notice\">{}</p></section>",
            both(|t| fill(t.claim.not_open, &[("status", t.status(status).to_owned())])),
        ),
        // Offered only to someone logged in: the app draws it for them.
        _ => String::new(),
    }
}

/// A campaign's page as the app draws it for a visitor (src/pages/campaign.rs): its header and
/// its first wishes (the app draws the rest below).
pub(crate) fn campaign_page(
    campaign: &PublicCampaign,
    wishes: &[PublicWish],
    today: NaiveDate,
) -> String {
    let progress = &campaign.progress;
    let ended = if campaign.has_ended(today) {
        format!(
            "<p class=\"campaign__ended tag\">{}</p>",
            both(|t| t.campaign_ended.to_owned())
        )
    } else {
        String::new()
    };
    let period = match (campaign.starts_on, campaign.ends_on) {
        (Some(start), Some(end)) => format!(
            "<p class=\"campaign__period\">{}</p>",
            both(|t| t.labelled(t.period, &format!("{} – {}", t.date(start), t.date(end))))
        ),
        _ => String::new(),
    };
    let goal = if campaign.goal > 0 {
        format!(
            "{}<p class=\"campaign__goal\">{}</p>",
            bar(progress.units_claimed, campaign.goal),
            both(|t| t.campaign_goal(progress.units_claimed, campaign.goal, &campaign.unit))
        )
    } else {
        String::new()
    };
    let list = if wishes.is_empty() {
        format!(
            "<div class=\"empty\"><p class=\"empty__title\">{}</p><p class=\"empty__hint\">{}</p></div>",
            both(|t| t.report.campaign_no_wishes.to_owned()),
            both(|t| t.report.campaign_no_wishes_hint.to_owned()),
        )
    } else {
        let cards: String = wishes
            .iter()
            .map(|wish| format!("<li>{}</li>", wish_card(wish, today)))
            .collect();
        format!("<ul class=\"wish-list\">{cards}</ul>")
    };
    format!(
        "<nav class=\"topbar\"><a class=\"topbar__back\" href=\"/\">{back}</a></nav>\
         <header class=\"page campaign\"><p class=\"hero__community\">{label}</p>\
         <h1 class=\"detail__title\">{title}</h1>{ended}<p>{description}</p>{period}{goal}{bar}\
         <p class=\"detail__counts\">{counts}</p></header>\
         <h2 class=\"section-title\">{wishes_title}</h2>{list}{tabs}",
        back = both(|t| format!("‹ {}", t.back_to_list)),
        label = both(|t| t.campaign.to_owned()),
        title = escape(&campaign.title),
        description = escape(&campaign.description),
        bar = bar(progress.units_claimed, progress.units),
        counts = both(|t| format!(
            "{} {}/{} · {} {}/{}",
            t.progress_claimed,
            progress.units_claimed,
            progress.units,
            t.progress_fulfilled,
            progress.units_fulfilled,
            progress.units,
        )),
        wishes_title = both(|t| t.campaign_wishes.to_owned()),
        tabs = tab_bar(&format!("/campaigns/{}", campaign.id)),
    )
}

/// A visitor's tab bar on the page at `path`, as `NavBar` draws it (src/components/nav_bar.rs):
/// logging in or signing up comes back here.
fn tab_bar(path: &str) -> String {
    let current = if path == "/" {
        " aria-current=\"page\""
    } else {
        ""
    };
    let next = coming_back_to(path);
    format!(
        "<nav class=\"tabbar\" aria-label=\"{}\" data-session=\"out\">\
         <a href=\"/\" class=\"tabbar__item\"{current}>{}</a>\
         <a href=\"/login{next}\" class=\"tabbar__item tabbar__login\">{}</a>\
         <a href=\"/register{next}\" class=\"tabbar__item tabbar__register\">{}</a>\
         <a href=\"/me\" class=\"tabbar__item tabbar__me\">{}</a></nav>",
        escape(ZH_CN.nav.label),
        both(|t| t.nav.wishes.to_owned()),
        both(|t| t.nav.login.to_owned()),
        both(|t| t.nav.register.to_owned()),
        both(|t| t.nav.me.to_owned()),
    )
}

/// The query that brings logging in or signing up back to `path` (`src/session.rs`'s
/// `with_next`): none for the list, where they come back anyway.
fn coming_back_to(path: &str) -> String {
    if path == "/" {
        String::new()
    } else {
        format!("?next={}", path.replace('/', "%2F"))
    }
}

/// The search box and the filter chips, as `SearchBox` and `ChipGroup` draw them, and working
/// before the app has arrived: the search is a form and each chip a link, to the list's URL
/// with that choice made (which the server draws in turn).
fn filters(first: &FirstScreen) -> String {
    let chosen = &first.filters;
    let all = || both(|t| t.all.to_owned());
    // A chip leads to the list with its choice made; the chosen one leads where it is.
    let chip = |text: String, to: WishQuery| Chip {
        on: to == *chosen,
        text,
        href: list_url(&to),
    };
    let kinds = [None, Some(WishKind::Item), Some(WishKind::Service)].map(|kind| {
        let text = match kind {
            None => all(),
            Some(kind) => both(|t| t.kind(kind).to_owned()),
        };
        chip(
            text,
            WishQuery {
                kind,
                ..chosen.clone()
            },
        )
    });
    let mut groups = chips(|t| t.filter_kind, kinds);
    if !first.grids.is_empty() {
        let grids = std::iter::once((None, all()))
            .chain(
                first
                    .grids
                    .iter()
                    .map(|grid| (Some(grid.id.clone()), escape(&grid.name))),
            )
            .map(|(grid, text)| {
                chip(
                    text,
                    WishQuery {
                        grid,
                        ..chosen.clone()
                    },
                )
            });
        groups.push_str(&chips(|t| t.filter_grid, grids));
    }
    let categories = std::iter::once(None)
        .chain(Category::ALL.iter().copied().map(Some))
        .map(|category| {
            let text = match category {
                None => all(),
                Some(category) => both(|t| t.category(category).to_owned()),
            };
            chip(
                text,
                WishQuery {
                    category,
                    ..chosen.clone()
                },
            )
        });
    groups.push_str(&chips(|t| t.filter_category, categories));
    let statuses = [
        (Some(WishStatus::Open), both(|t| t.only_open.to_owned())),
        (None, all()),
    ]
    .map(|(status, text)| {
        chip(
            text,
            WishQuery {
                status,
                ..chosen.clone()
            },
        )
    });
    groups.push_str(&chips(|t| t.filter_status, statuses));
    // One form per language, so that each sends one `q`.
    let search = |t: &Texts, class: &str| {
        let others: String = chosen
            .list_params()
            .into_iter()
            .filter(|(key, _)| *key != "q")
            .map(|(key, value)| {
                format!(
                    "<input type=\"hidden\" name=\"{key}\" value=\"{}\" />",
                    escape(&value)
                )
            })
            .collect();
        let clear = if chosen.search_text().is_some() {
            let without = WishQuery {
                q: None,
                ..chosen.clone()
            };
            format!(
                "<a class=\"button button--quiet\" href=\"{}\">{}</a>",
                escape(&list_url(&without)),
                escape(t.clear)
            )
        } else {
            String::new()
        };
        format!(
            "<form class=\"search {class}\" role=\"search\" action=\"/\" method=\"get\">{others}\
             <input class=\"search__input\" type=\"search\" name=\"q\" enterkeyhint=\"search\" \
             placeholder=\"{}\" aria-label=\"{}\" value=\"{}\" />\
             <button class=\"button search__button\" type=\"submit\">{}</button>{clear}</form>",
            escape(t.search_placeholder),
            escape(t.search),
            escape(chosen.search_text().unwrap_or_default()),
            escape(t.search),
        )
    };
    format!(
        "<section class=\"filters\" aria-label=\"{}\">{}{}{groups}</section>",
        escape(ZH_CN.search),
        search(&ZH_CN, "only-zh"),
        search(&EN, "only-en\" lang=\"en"),
    )
}

/// One of a `ChipGroup`'s chips, drawn as a link to the list with it chosen.
struct Chip {
    on: bool,
    text: String,
    href: String,
}

/// A `ChipGroup` (src/components/chip_group.rs): its label, and its chips.
fn chips(label: fn(&Texts) -> &'static str, options: impl IntoIterator<Item = Chip>) -> String {
    let links: String = options
        .into_iter()
        .map(|Chip { on, text, href }| {
            format!(
                "<a class=\"chip{}\" href=\"{}\"{}>{text}</a>",
                if on { " chip--on" } else { "" },
                escape(&href),
                if on { " aria-current=\"true\"" } else { "" },
            )
        })
        .collect();
    format!(
        "<div class=\"chips\" role=\"group\" aria-label=\"{}\"><span class=\"chips__label\">{}</span>\
         <div class=\"chips__row\">{links}</div></div>",
        escape(label(&ZH_CN)),
        both(|t| label(t).to_owned()),
    )
}

/// One of the hero's figures: the number, and what it counts.
fn figure(value: String, label: fn(&Texts) -> &'static str) -> String {
    format!(
        "<div><dt>{}</dt><dd>{}</dd></div>",
        escape(&value),
        both(|t| label(t).to_owned())
    )
}

/// A figure written differently per language ("70%").
fn both_figure(value: impl Fn(&Texts) -> String, label: fn(&Texts) -> &'static str) -> String {
    format!(
        "<div><dt>{}</dt><dd>{}</dd></div>",
        both(value),
        both(|t| label(t).to_owned())
    )
}

/// A running campaign's card, as the list's campaign strip draws it.
fn campaign_card(campaign: &PublicCampaign) -> String {
    let progress = &campaign.progress;
    let meta = |t: &Texts| {
        let done = if campaign.goal > 0 {
            t.campaign_goal(progress.units_claimed, campaign.goal, &campaign.unit)
        } else {
            format!("{} {}%", t.progress_claimed, progress.claimed_percent())
        };
        format!("{done} · {} {}", progress.wishes, t.results)
    };
    format!(
        "<a class=\"campaign-card\" href=\"/campaigns/{}\"><span class=\"campaign-card__title\">{}</span>\
         {}<span class=\"campaign-card__meta\">{}</span></a>",
        campaign.id,
        escape(&campaign.title),
        bar(progress.units_claimed, campaign.target_units()),
        both(meta),
    )
}

/// A wish's card, as `WishCard` draws it.
fn wish_card(wish: &PublicWish, today: NaiveDate) -> String {
    let due = wish
        .needed_by
        .map(|date| {
            let urgent = days_until(date, today) <= 3 && !wish.status.is_done();
            format!(
                "<span class=\"wish-card__due{}\">{}</span>",
                if urgent {
                    " wish-card__due--urgent"
                } else {
                    ""
                },
                both(|t| t.deadline(date, today, wish.status))
            )
        })
        .unwrap_or_default();
    format!(
        "<a class=\"wish-card\" href=\"/wishes/{id}\" data-kind=\"{kind}\" data-status=\"{status}\">\
         <div class=\"wish-card__tags\">{tags}</div>\
         <h3 class=\"wish-card__title\">{title}</h3>\
         <p class=\"wish-card__who\"><span class=\"wish-card__alias\">{alias}</span>{who}</p>{bar}\
         <div class=\"wish-card__bottom\"><span class=\"wish-card__need\">{still_needed} \
         <strong>{remaining}</strong>/{quantity} {unit}</span>{due}</div></a>",
        id = wish.id,
        kind = wish.kind.as_str(),
        status = wish.status.as_str(),
        tags = tags(wish),
        title = escape(&wish.title),
        alias = escape(&wish.alias),
        who = both(|t| format!(" · {} · {}", t.group(wish.group), wish.grid_name)),
        bar = bar(wish.claimed, wish.quantity),
        still_needed = both(|t| t.still_needed.to_owned()),
        remaining = wish.remaining,
        quantity = wish.quantity,
        unit = escape(&wish.unit),
    )
}

/// A wish's kind, category and status, as its card and its page tag it.
fn tags(wish: &PublicWish) -> String {
    format!(
        "<span class=\"tag tag--{kind}\">{}</span><span class=\"tag\">{}</span>\
         <span class=\"status status--{status}\">{}</span>",
        both(|t| t.kind(wish.kind).to_owned()),
        both(|t| t.category(wish.category).to_owned()),
        both(|t| t.status(wish.status).to_owned()),
        kind = wish.kind.as_str(),
        status = wish.status.as_str(),
    )
}

/// A `ProgressBar`, filled in steps of 5 % (style/main.css): the page's policy allows no inline
/// style, and the app draws the exact width when it takes over. The words beside it say the
/// same, so screen readers skip it until then.
fn bar(done: u32, total: u32) -> String {
    let percent = if total == 0 {
        0
    } else {
        u64::from(done.min(total)) * 100 / u64::from(total)
    };
    format!(
        "<div class=\"progress\" aria-hidden=\"true\"><div class=\"progress__fill\" data-fill=\"{}\"></div></div>",
        (percent + 2) / 5 * 5
    )
}

/// The same words in both languages, escaped: one span per language, or the text alone when
/// the two read the same.
fn both(words: impl Fn(&Texts) -> String) -> String {
    let (zh, en) = (words(&ZH_CN), words(&EN));
    if zh == en {
        escape(&zh)
    } else {
        format!(
            "<span class=\"only-zh\">{}</span><span class=\"only-en\" lang=\"en\">{}</span>",
            escape(&zh),
            escape(&en)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_escaped_and_one_span_serves_both_languages_when_they_agree() {
        assert_eq!(both(|_| "<b>".to_owned()), "&lt;b&gt;");
        assert_eq!(
            both(|t| t.still_needed.to_owned()),
            "<span class=\"only-zh\">还需</span><span class=\"only-en\" lang=\"en\">Still needed</span>"
        );
    }

    #[test]
    fn the_shell_keeps_its_loading_line_and_gives_its_hero_and_search_to_the_screen() {
        let index = "<body><div id=\"shell\" class=\"app\" aria-busy=\"true\">\
                     <header class=\"hero\">old</header><section class=\"filters\" inert>x</section>\
                     <p class=\"loading\">…</p><div class=\"skeleton-list\"></div></div></body>";
        let html = with_first_screen(index, "<header>new</header>");
        assert_eq!(
            html,
            "<body><div id=\"shell\" class=\"app first-screen\" aria-busy=\"true\"><header>new</header>\
             <p class=\"loading\">…</p><div hidden class=\"skeleton-list\"></div></div></body>"
        );
    }

    #[test]
    fn a_bar_fills_to_the_nearest_five_percent() {
        assert!(bar(0, 3).contains("data-fill=\"0\""));
        assert!(bar(1, 3).contains("data-fill=\"35\""));
        assert!(bar(5, 3).contains("data-fill=\"100\""));
        assert!(bar(1, 0).contains("data-fill=\"0\""));
    }
}
