//! For workers: `GET /api/stats/detail?from=&to=&grid=` (the report, counted by core's
//! `stats`) and the spreadsheets `GET /api/export/wishes.csv`, `/api/export/households.csv`
//! and `/api/export/requests.csv`, UTF-8 with a byte-order mark so that Excel opens the
//! Chinese. wishes.csv is built from the public wish view (aliases, never names); every
//! households.csv download is recorded on each household's record; requests.csv holds no
//! name, phone or unit.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use microwish_core::clock::{community_today, to_china};
use microwish_core::stats::{self, StatsDetail, StatsQuery};
use microwish_core::{sheet, visibility};
use microwish_core::{EventAction, Field, FieldCode, RuleError};

use crate::app::AppState;
use crate::auth::Worker;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::store;

/// A worker's report: months, grids, volunteer hours, shops.
#[utoipa::path(
    get,
    path = "/stats/detail",
    tag = "reports",
    operation_id = "reports_stats_detail",
    params(StatsQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = StatsDetail)
    )
)]
pub async fn stats_detail(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiQuery(query): ApiQuery<StatsQuery>,
) -> ApiResult<Json<StatsDetail>> {
    let community = user.community.ok_or(ApiError::NotLoggedIn)?;
    let period = query.period(community_today(state.clock.now()))?;
    let grids: Vec<_> = store::community::grids(&state.db)
        .await?
        .into_iter()
        .filter(|grid| grid.community == community)
        .collect();
    if let Some(grid) = &query.grid {
        if !grids.iter().any(|each| each.id == *grid) {
            return Err(RuleError::field(Field::Grid, FieldCode::Unknown, "no such grid").into());
        }
    }
    let facts = store::reports::facts(&state.db, community, state.clock.now()).await?;
    Ok(Json(stats::detail(
        period,
        query.grid.as_ref(),
        &grids,
        &facts,
    )))
}

/// Every wish of the community as CSV (UTF-8 with BOM; no real names).
#[utoipa::path(
    get,
    path = "/export/wishes.csv",
    tag = "reports",
    operation_id = "reports_export_wishes",
    security(("session" = [])),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv")
    )
)]
pub async fn export_wishes(
    State(state): State<AppState>,
    Worker(user): Worker,
) -> ApiResult<Response> {
    // Every status of the community's wishes: what its workers may see (core's rule).
    let community =
        visibility::wishes_beyond_public(Some(&user.viewer())).ok_or(ApiError::NotLoggedIn)?;
    let wishes = store::wishes::of_community(&state.db, community).await?;
    let fulfilled = store::wishes::fulfilled_at(&state.db).await?;
    let mut csv = Csv::new(&[
        "编号 id",
        "标题 title",
        "类型 kind",
        "类别 category",
        "状态 status",
        "数量 quantity",
        "已认领 claimed",
        "已送达 delivered",
        "已确认 fulfilled",
        "剩余 remaining",
        "单位 unit",
        "化名 alias",
        "群体 group",
        "网格 grid",
        "驿站 station",
        "截止日期 needed_by",
        "活动 campaign",
        "发布时间 created_at",
        "完成时间 fulfilled_at",
    ]);
    for wish in &wishes {
        csv.row(&[
            &wish.id.to_string(),
            &wish.title,
            sheet::kind(wish.kind),
            sheet::category(wish.category),
            sheet::wish_status(wish.status),
            &wish.quantity.to_string(),
            &wish.claimed.to_string(),
            &wish.delivered.to_string(),
            &wish.fulfilled.to_string(),
            &wish.remaining.to_string(),
            &wish.unit,
            &wish.alias,
            sheet::group(wish.group),
            &wish.grid_name,
            &wish.station,
            &wish.needed_by.map(|d| d.to_string()).unwrap_or_default(),
            wish.campaign_title.as_deref().unwrap_or_default(),
            &china_time(wish.created_at),
            &fulfilled
                .get(&wish.id)
                .map(|at| china_time(*at))
                .unwrap_or_default(),
        ]);
    }
    Ok(csv.download("wishes", state.clock.now()))
}

/// Every household of the community as CSV (private; the export is logged).
#[utoipa::path(
    get,
    path = "/export/households.csv",
    tag = "reports",
    operation_id = "reports_export_households",
    security(("session" = [])),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv")
    )
)]
pub async fn export_households(
    State(state): State<AppState>,
    Worker(user): Worker,
) -> ApiResult<Response> {
    let community = visibility::households_of(Some(&user.viewer())).ok_or(ApiError::NotLoggedIn)?;
    let households = store::households::all(&state.db, community).await?;
    let grids = store::community::grids(&state.db).await?;
    let mut csv = Csv::new(&[
        "编号 id",
        "姓名 name",
        "地址 address",
        "电话 phone",
        "网格 grid",
        "群体 groups",
        "备注 notes",
        "同意公开日期 consent_on",
        "有未成年人 minor",
        "监护人同意日期 guardian_consent_on",
        "心愿数 wishes",
        "登记时间 created_at",
    ]);
    for household in &households {
        let grid = grids
            .iter()
            .find(|grid| grid.id == household.grid)
            .map_or(household.grid.as_str(), |grid| grid.name.as_str());
        let groups: Vec<&str> = household
            .groups
            .iter()
            .map(|group| sheet::group(*group))
            .collect();
        csv.row(&[
            &household.id.to_string(),
            &household.name,
            &household.address,
            &readable_phone(&household.phone),
            grid,
            &groups.join(" "),
            &household.notes,
            &household
                .consent_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            if household.minor { "是 yes" } else { "否 no" },
            &household
                .guardian_consent_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            &household.wishes.len().to_string(),
            &china_time(household.created_at),
        ]);
    }
    // Names, addresses and phones left the server: on each household's record, who and when.
    let ids: Vec<_> = households.iter().map(|household| household.id).collect();
    store::events::record_on_households(
        &state.writer,
        state.clock.now(),
        user.id,
        &ids,
        EventAction::ExportHousehold,
    )
    .await?;
    Ok(csv.download("households", state.clock.now()))
}

/// Every request of the community as CSV (UTF-8 with BOM), one row each with what its rates
/// count (answered in time, minutes to accept and to resolve, rating). The requesters' words
/// (description, rating note) are in it, as the workers read them in their inbox; never a
/// name, a phone or a unit — so, unlike households.csv, the download is not recorded on each
/// request.
#[utoipa::path(
    get,
    path = "/export/requests.csv",
    tag = "reports",
    operation_id = "reports_export_requests",
    security(("session" = [])),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv")
    )
)]
pub async fn export_requests(
    State(state): State<AppState>,
    Worker(user): Worker,
) -> ApiResult<Response> {
    let viewer = user.viewer();
    let visibility::RequestScope::Community(community) = visibility::request_scope(Some(&viewer))
    else {
        return Err(ApiError::NotLoggedIn);
    };
    let now = state.clock.now();
    let requests = store::requests::of_community(&state.db, community).await?;
    let grids = store::community::grids(&state.db).await?;
    let mut csv = Csv::new(&[
        "编号 id",
        "提交时间 created_at",
        "网格 grid",
        "楼栋 building",
        "类别 category",
        "紧急程度 urgency",
        "渠道 channel",
        "状态 status",
        "诉求内容 description",
        "处理方 handler",
        "受理时限 accept_by",
        "受理时间 accepted_at",
        "按时响应 responded_in_time",
        "受理用时(分钟) minutes_to_accept",
        "办结时限 resolve_by",
        "办结时间 resolved_at",
        "办结用时(分钟) minutes_to_resolve",
        "关闭时间 closed_at",
        "逾期 overdue",
        "评分 rating",
        "评价 rating_note",
        "重新打开 reopen_count",
        "公开说明 public_summary",
    ]);
    let minutes = |from: DateTime<Utc>, to: Option<DateTime<Utc>>| {
        to.map(|to| (to - from).num_minutes().to_string())
            .unwrap_or_default()
    };
    let time = |at: Option<DateTime<Utc>>| at.map(china_time).unwrap_or_default();
    for request in &requests {
        let Some(visibility::ShownRequest::Full(view)) =
            visibility::show_request(Some(&viewer), request, now)
        else {
            continue;
        };
        let fact = stats::RequestFact::of(request, now);
        let grid = grids
            .iter()
            .find(|grid| grid.id == view.grid)
            .map_or(view.grid.as_str(), |grid| grid.name.as_str());
        let answered = match (fact.responded_in_time(), fact.due()) {
            (true, _) => "是 yes",
            (false, true) => "否 no",
            (false, false) => "",
        };
        csv.row(&[
            &view.id.to_string(),
            &china_time(view.created_at),
            grid,
            &request.building,
            sheet::request_category(view.category),
            sheet::urgency(view.urgency),
            sheet::channel(view.channel),
            sheet::request_status(view.status),
            &view.description,
            view.handler
                .map(|h| sheet::handler_kind(h.kind))
                .unwrap_or_default(),
            &china_time(view.accept_by),
            &time(view.accepted_at),
            answered,
            &minutes(view.created_at, fact.responded_at()),
            &china_time(view.resolve_by),
            &time(view.resolved_at),
            &minutes(view.created_at, view.resolved_at),
            &time(view.closed_at),
            if view.overdue { "是 yes" } else { "否 no" },
            &view.rating.map(|r| r.to_string()).unwrap_or_default(),
            view.rating_note.as_deref().unwrap_or_default(),
            &view.reopen_count.to_string(),
            view.public_summary.as_deref().unwrap_or_default(),
        ]);
    }
    Ok(csv.download("requests", now))
}

fn china_time(at: DateTime<Utc>) -> String {
    to_china(at).format("%Y-%m-%d %H:%M").to_string()
}

/// "139-6280-0101": Excel keeps it as text (a bare 11-digit number turns into 1.39628E+10).
fn readable_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &phone[..3], &phone[3..7], &phone[7..])
    } else {
        phone.to_owned()
    }
}

/// A CSV file for Excel: UTF-8 with a byte-order mark, CRLF line ends, every cell quoted
/// when it must be, and cells that Excel would run as a formula defused.
struct Csv {
    text: String,
}

impl Csv {
    fn new(header: &[&str]) -> Csv {
        let mut csv = Csv {
            text: String::from('\u{feff}'),
        };
        csv.row(header);
        csv
    }

    fn row(&mut self, cells: &[&str]) {
        for (index, cell) in cells.iter().enumerate() {
            if index > 0 {
                self.text.push(',');
            }
            self.push_cell(cell);
        }
        self.text.push_str("\r\n");
    }

    fn push_cell(&mut self, cell: &str) {
        // A leading = + - @ (or tab, CR) makes Excel evaluate the cell: an apostrophe
        // keeps it text (OWASP's advice for CSV injection).
        let defused = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        let quoted = defused || cell.contains([',', '"', '\n', '\r']);
        if quoted {
            self.text.push('"');
        }
        if defused {
            self.text.push('\'');
        }
        for character in cell.chars() {
            if character == '"' {
                self.text.push('"');
            }
            self.text.push(character);
        }
        if quoted {
            self.text.push('"');
        }
    }

    fn download(self, name: &str, now: DateTime<Utc>) -> Response {
        let file = format!("{name}-{}.csv", community_today(now));
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
                // Private rows: never kept by a proxy or the browser's cache.
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            self.text,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_escaped_and_defused() {
        let mut csv = Csv::new(&["a", "b"]);
        csv.row(&["一,二", "说\"好\""]);
        csv.row(&["=HYPERLINK(\"x\")", "-1"]);
        csv.row(&["多行\n文字", "@me"]);
        assert_eq!(
            csv.text,
            "\u{feff}a,b\r\n\"一,二\",\"说\"\"好\"\"\"\r\n\"'=HYPERLINK(\"\"x\"\")\",\"'-1\"\r\n\
             \"多行\n文字\",\"'@me\"\r\n"
        );
    }

    #[test]
    fn phones_read_as_text_in_excel() {
        assert_eq!(readable_phone("13962800101"), "139-6280-0101");
        assert_eq!(readable_phone("0512-1234"), "0512-1234");
    }
}
