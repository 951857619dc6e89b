use chrono::{Datelike, Months, NaiveDate};
use leptos::prelude::*;
use microwish_core::engine::SyncStatus;
use microwish_core::stats::{StatsDetail, StatsQuery};
use microwish_core::{GridId, Me};

use crate::api::{self, ApiError, EXPORT_HOUSEHOLDS, EXPORT_REQUESTS, EXPORT_WISHES};
use crate::china_time::{date_input_value, today};
use crate::components::{Back, BackLink, BarChart, DatePicker, LoadError, Series, WorkerOnly};
use crate::i18n::t;
use crate::pages::households::community_grids;
use crate::pages::select_options;
use crate::state::use_data;

mod import;
mod requests;

use import::Import;
use requests::RequestsReport;

/// `/worker/stats` 统计与导出: the community's report for a period (and a grid) — households
/// helped, wishes by month and by grid, volunteer time, shops' contributions, the median
/// days from posting to fulfilment, the residents' requests and their rates — each chart with
/// its numbers in a table beside it; the three spreadsheets; and the import of a worker's
/// lists. The report is counted by the server (it needs the network).
#[component]
pub fn StatsPage() -> impl IntoView {
    let t = t();
    view! {
        <BackLink to=Back::Console />
        <header class="page-head">
            <h1 class="page-head__title">{t.report.stats_title}</h1>
        </header>
        <WorkerOnly children=|me: Me| view! { <Report me /> <Exports /> <Import /> } />
    }
}

#[component]
fn Report(me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let to_day = today();
    let from_day = to_day.with_day(1).unwrap_or(to_day) - Months::new(11);
    let from = RwSignal::new(date_input_value(from_day));
    let to = RwSignal::new(date_input_value(to_day));
    let grid = RwSignal::new(String::new());
    let query = Memo::new(move |_| StatsQuery {
        from: NaiveDate::parse_from_str(&from.get(), "%Y-%m-%d").ok(),
        to: NaiveDate::parse_from_str(&to.get(), "%Y-%m-%d").ok(),
        grid: grid.with(|grid| (!grid.is_empty()).then(|| GridId(grid.clone()))),
    });
    // Back online: load again.
    let online = Memo::new(move |_| !matches!(data.status.get(), SyncStatus::Offline(_)));
    let report = LocalResource::new(move || {
        let query = query.get();
        online.track();
        async move { api::stats_detail(&query).await }
    });
    let grid_choices = move || {
        let choices = std::iter::once((String::new(), t.report.all_grids.to_owned()))
            .chain(
                community_grids(data, me.community)
                    .into_iter()
                    .map(|grid| (grid.id.to_string(), grid.name)),
            )
            .collect();
        select_options(choices, grid)
    };
    view! {
        <form class="report-filters" on:submit=|event| event.prevent_default()>
            <DatePicker name="from" label=t.report.from value=from years=report_years() />
            <DatePicker name="to" label=t.report.to value=to years=report_years() />
            <label class="field">
                <span class="field__label">{t.report.grid}</span>
                <select class="field__input" name="grid" on:change=move |ev| grid.set(event_target_value(&ev))>
                    {grid_choices}
                </select>
            </label>
        </form>
        <section class="report" aria-live="polite">
            {move || match report.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(detail)) => view! { <ReportView detail /> }.into_any(),
                Some(Err(ApiError::Unreachable)) => view! {
                    <LoadError message=t.report.needs_network on_retry=Callback::new(move |_| report.refetch()) />
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <p class="form-error" role="alert">{t.problem_with_fields(&error)}</p>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn ReportView(detail: StatsDetail) -> impl IntoView {
    let t = t();
    let tiles = [
        (
            t.report.households_helped,
            t.households_count(detail.households_helped),
        ),
        (
            t.report.wishes_fulfilled,
            t.wishes_and_units(detail.wishes_fulfilled, detail.units_fulfilled),
        ),
        (
            t.report.volunteer_time,
            t.time_and_visits(detail.volunteer_minutes, detail.house_calls),
        ),
        (
            t.report.median_days,
            detail
                .median_days_to_fulfil
                .map_or_else(|| "—".to_owned(), |days| t.days(days)),
        ),
    ]
    .into_iter()
    .map(|(label, value)| {
        view! {
            <div class="tile">
                <dt class="tile__label">{label}</dt>
                <dd class="tile__value">{value}</dd>
            </div>
        }
    })
    .collect_view();

    let months: Vec<String> = detail
        .by_month
        .iter()
        .map(|m| t.month(&m.month, true))
        .collect();
    let month_summary = detail
        .by_month
        .iter()
        .map(|m| {
            format!(
                "{} {} {}",
                t.month(&m.month, false),
                t.report.fulfilled,
                m.fulfilled
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    let month_chart = view! {
        <BarChart
            summary=t.labelled(t.report.by_month, &month_summary)
            labels=months
            series=vec![
                Series {
                    name: t.report.posted,
                    class: "posted",
                    values: detail.by_month.iter().map(|m| m.posted).collect(),
                },
                Series {
                    name: t.report.fulfilled,
                    class: "fulfilled",
                    values: detail.by_month.iter().map(|m| m.fulfilled).collect(),
                },
            ]
        />
    };
    let month_rows = detail
        .by_month
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{t.month(&m.month, false)}</th>
                    <td>{m.posted}</td>
                    <td>{m.fulfilled}</td>
                    <td>{t.duration(m.volunteer_minutes)}</td>
                </tr>
            }
        })
        .collect_view();

    let grid_summary = detail
        .by_grid
        .iter()
        .map(|g| format!("{} {} {}", g.grid_name, t.report.fulfilled, g.fulfilled))
        .collect::<Vec<_>>()
        .join(",");
    let grid_chart = view! {
        <BarChart
            summary=t.labelled(t.report.by_grid, &grid_summary)
            labels=detail.by_grid.iter().map(|g| g.grid_name.clone()).collect()
            series=vec![
                Series {
                    name: t.report.posted,
                    class: "posted",
                    values: detail.by_grid.iter().map(|g| g.posted).collect(),
                },
                Series {
                    name: t.report.fulfilled,
                    class: "fulfilled",
                    values: detail.by_grid.iter().map(|g| g.fulfilled).collect(),
                },
            ]
        />
    };
    let grid_rows = detail
        .by_grid
        .iter()
        .map(|g| {
            view! {
                <tr>
                    <th scope="row">{g.grid_name.clone()}</th>
                    <td>{g.posted}</td>
                    <td>{g.fulfilled}</td>
                    <td>{g.households_helped}</td>
                </tr>
            }
        })
        .collect_view();
    let shops = if detail.shops.is_empty() {
        view! { <p class="empty">{t.report.no_shops}</p> }.into_any()
    } else {
        let rows = detail
            .shops
            .iter()
            .map(|shop| {
                view! {
                    <tr>
                        <th scope="row">{shop.shop_name.clone()}</th>
                        <td>{shop.allocated}</td>
                        <td>{shop.delivered}</td>
                        <td>{shop.confirmed}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="report-table">
                <caption>{t.report.shops}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.report.shop}</th>
                        <th scope="col">{t.report.allocated}</th>
                        <th scope="col">{t.report.delivered}</th>
                        <th scope="col">{t.report.confirmed}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <dl class="tiles">{tiles}</dl>
        <h2 class="section-title">{t.report.by_month}</h2>
        {month_chart}
        <table class="report-table">
            <caption>{t.report.by_month}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.report.month}</th>
                    <th scope="col">{t.report.posted}</th>
                    <th scope="col">{t.report.fulfilled}</th>
                    <th scope="col">{t.report.service_minutes}</th>
                </tr>
            </thead>
            <tbody>{month_rows}</tbody>
        </table>
        <h2 class="section-title">{t.report.by_grid}</h2>
        {grid_chart}
        <table class="report-table">
            <caption>{t.report.by_grid}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.report.grid}</th>
                    <th scope="col">{t.report.posted}</th>
                    <th scope="col">{t.report.fulfilled}</th>
                    <th scope="col">{t.report.helped}</th>
                </tr>
            </thead>
            <tbody>{grid_rows}</tbody>
        </table>
        <h2 class="section-title">{t.report.shops}</h2>
        {shops}
        <RequestsReport requests=detail.requests.clone() />
    }
}

/// The spreadsheets: plain links, so the browser saves the file (the session cookie goes
/// with them).
#[component]
fn Exports() -> impl IntoView {
    let t = t();
    view! {
        <section class="exports">
            <h2 class="section-title">{t.report.export_title}</h2>
            <a class="button button--wide export-link export-link--wishes" href=EXPORT_WISHES download="" rel="external">
                {t.report.export_wishes}
            </a>
            <p class="field__hint">{t.report.export_wishes_hint}</p>
            <a class="button button--wide export-link export-link--households" href=EXPORT_HOUSEHOLDS download="" rel="external">
                {t.report.export_households}
            </a>
            <p class="field__hint export-link__warning">{t.report.export_households_hint}</p>
            <a class="button button--wide export-link export-link--requests" href=EXPORT_REQUESTS download="" rel="external">
                {t.board.export}
            </a>
            <p class="field__hint">{t.board.export_hint}</p>
        </section>
    }
}

/// The years a report may span: the programme's past few and the next.
fn report_years() -> std::ops::RangeInclusive<i32> {
    let year = chrono::Datelike::year(&crate::china_time::today());
    year - 5..=year + 1
}
