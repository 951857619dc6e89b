//! Imports (worker): `POST /api/import/households?dry_run=` and `POST /api/import/wishes?dry_run=`,
//! the body a spreadsheet (`.xlsx`, or `.csv` in UTF-8 with or without BOM, or GB18030).
//! Core's `import` reads its rows into the ordinary commands; they are applied here as if
//! typed (the same `decide`, events and audit), all in one transaction: with any error nothing
//! is kept (422 with the report); a dry run keeps nothing either and answers 200 with what
//! would be done.

use std::collections::HashSet;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use microwish_core::clock::community_today;
use microwish_core::decide::Context;
use microwish_core::import::{self, ImportError, ImportReport, Plan, WishContext, MAX_BYTES};
use microwish_core::{visibility, CommunityId, ProblemCode};
use serde::Deserialize;

use crate::app::AppState;
use crate::apply::apply_in;
use crate::auth::Worker;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::store;
use crate::writer::in_savepoint;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// `true` (the default): only say what would be done; `false`: do it.
    #[serde(default = "yes")]
    dry_run: bool,
}

fn yes() -> bool {
    true
}

/// The file's bytes (`.xlsx` or `.csv`), at most 5 MB.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct SpreadsheetBytes(pub Vec<u8>);

/// Imports households from the worker's list: each row's phone already a household of the
/// community updates it (or is skipped when nothing differs); a grid not of the community is
/// an error. 413 `too_large` over 5 MB; 422 with the report when `dry_run=false` and any row
/// has an error (nothing is applied).
#[utoipa::path(
    post,
    path = "/import/households",
    tag = "reports",
    operation_id = "import_households",
    params(ImportQuery),
    request_body(
        description = "The spreadsheet",
        content(
            (SpreadsheetBytes = "text/csv"),
            (SpreadsheetBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "Applied, or what would be (a dry run)", body = ImportReport),
        (status = 422, description = "Errors: nothing applied", body = ImportReport)
    )
)]
pub async fn households(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiQuery(query): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    let community = community_of(&user)?;
    let (rows, format) = match read(&headers, body).await? {
        Ok(read) => read,
        Err(report) => return Ok(answer(report, query.dry_run)),
    };
    let grids = grids_of(&state, community).await?;
    let existing = store::households::all(&state.db, community).await?;
    let today = community_today(state.clock.now());
    let plan = import::households(&rows, &grids, &existing, today);
    run(&state, &user, plan, format, query.dry_run).await
}

/// Imports open wishes: each row's household by its phone (or name and address), published
/// at once (the household's consent and the public-text checks apply to every row); a row
/// of `wishes.csv` whose id is already a wish is skipped. As for households otherwise.
#[utoipa::path(
    post,
    path = "/import/wishes",
    tag = "reports",
    operation_id = "import_wishes",
    params(ImportQuery),
    request_body(
        description = "The spreadsheet",
        content(
            (SpreadsheetBytes = "text/csv"),
            (SpreadsheetBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "Applied, or what would be (a dry run)", body = ImportReport),
        (status = 422, description = "Errors: nothing applied", body = ImportReport)
    )
)]
pub async fn wishes(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiQuery(query): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    let community = community_of(&user)?;
    let (rows, format) = match read(&headers, body).await? {
        Ok(read) => read,
        Err(report) => return Ok(answer(report, query.dry_run)),
    };
    let grids = grids_of(&state, community).await?;
    let households = store::households::all(&state.db, community).await?;
    let campaigns: Vec<_> = store::campaigns::all(&state.db)
        .await?
        .into_iter()
        .filter(|campaign| campaign.community_id == Some(community))
        .map(|campaign| (campaign.id, campaign.title))
        .collect();
    let wishes: HashSet<_> = store::wishes::of_community(&state.db, community)
        .await?
        .into_iter()
        .map(|wish| wish.id)
        .collect();
    let under_way = store::wishes::under_way(&state.db, community).await?;
    let plan = import::wishes(
        &rows,
        &WishContext {
            households: &households,
            grids: &grids,
            campaigns: &campaigns,
            wishes: &wishes,
            under_way: &under_way,
        },
    );
    run(&state, &user, plan, format, query.dry_run).await
}

/// Reads the body (at most [`MAX_BYTES`]: 413 `too_large`) into rows; a file that cannot be
/// read is a report with one error.
async fn read(
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<Result<(Vec<Vec<String>>, &'static str), ImportReport>> {
    let too_large = || {
        ApiError::bad_request(
            ProblemCode::TooLarge,
            format!("a file to import is at most {MAX_BYTES} bytes (5 MB): split it"),
        )
    };
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if announced.is_some_and(|length| length > MAX_BYTES) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, MAX_BYTES)
        .await
        .map_err(|error| {
            if error.into_inner().is::<http_body_util::LengthLimitError>() {
                too_large()
            } else {
                ApiError::bad_request(ProblemCode::BadBody, "the file did not arrive whole")
            }
        })?;
    Ok(
        crate::import::decode(&bytes).map_err(|message| ImportReport {
            errors: vec![ImportError {
                row: 0,
                column: String::new(),
                code: "unreadable".into(),
                message,
                value: String::new(),
            }],
            ..ImportReport::default()
        }),
    )
}

/// Applies the plan's commands in one transaction, each in a savepoint of its own so that
/// every row's refusal is reported; the transaction is kept only when it is no dry run and
/// nothing was refused.
async fn run(
    state: &AppState,
    user: &store::users::User,
    plan: Plan,
    format: &'static str,
    dry_run: bool,
) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    let mut plan = plan;
    plan.report.format = format.to_owned();
    if plan.commands.is_empty() {
        return Ok(answer(plan.report, dry_run));
    }
    let ctx = Context {
        actor: user.actor(),
        now: state.clock.now(),
        policy: state.policy,
    };
    let (report, decisions) = state
        .writer
        .write(move |tx| {
            let mut plan = plan;
            let mut decisions = Vec::new();
            let outcome = in_savepoint(tx, |tx| {
                for planned in std::mem::take(&mut plan.commands) {
                    match in_savepoint(tx, |tx| apply_in(tx, &ctx, &planned.command)) {
                        Ok(decision) => {
                            plan.applied(&planned);
                            decisions.push(decision);
                        }
                        Err(ApiError::Rule(refused)) => plan.refused(planned.row, &refused),
                        Err(failed) => return Err(Stop::Failed(failed)),
                    }
                }
                if dry_run || !plan.report.errors.is_empty() {
                    Err(Stop::Undo)
                } else {
                    Ok(())
                }
            });
            match outcome {
                Ok(()) => Ok((plan.report, decisions)),
                Err(Stop::Undo) => Ok((plan.report, Vec::new())),
                Err(Stop::Failed(error)) => Err(error),
            }
        })
        .await?;
    for decision in &decisions {
        state.after_commit(decision);
    }
    Ok(answer(report, dry_run))
}

/// Why the import's savepoint was rolled back.
enum Stop {
    /// A dry run, or a row refused: nothing is kept.
    Undo,
    Failed(ApiError),
}

impl From<ApiError> for Stop {
    fn from(error: ApiError) -> Stop {
        Stop::Failed(error)
    }
}

/// 200 with the report; 422 when it has errors and was meant to be applied.
fn answer(mut report: ImportReport, dry_run: bool) -> (StatusCode, Json<ImportReport>) {
    report.errors.sort_by_key(|error| error.row);
    let status = if !dry_run && !report.errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, Json(report))
}

async fn grids_of(
    state: &AppState,
    community: CommunityId,
) -> ApiResult<Vec<microwish_core::Grid>> {
    Ok(store::community::grids(&state.db)
        .await?
        .into_iter()
        .filter(|grid| grid.community == community)
        .collect())
}

fn community_of(user: &store::users::User) -> ApiResult<CommunityId> {
    visibility::households_of(Some(&user.viewer())).ok_or(ApiError::NotLoggedIn)
}
