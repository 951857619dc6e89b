//! The report's residents' requests (评): how many, answered in time, resolved, solved (not
//! reopened), satisfied, and the median times — for the period, then by month and by grid
//! (bars of the counts, the rates in tables beside them) and by category. Every rate is
//! core's (`stats::request_rates`), counted by the server.

use leptos::prelude::*;
use microwish_core::stats::{RequestRates, RequestStats};

use crate::components::{BarChart, Series};
use crate::i18n::t;

#[component]
pub(super) fn RequestsReport(requests: RequestStats) -> impl IntoView {
    let t = t();
    let b = &t.board;
    let rates = &requests.rates;
    let tiles = [
        (b.report_total, rates.total.to_string()),
        (b.report_response, t.rate(rates.response_rate)),
        (b.resolution_rate, t.rate(rates.resolution_rate)),
        (b.solved_rate, t.rate(rates.solved_rate)),
        (b.report_satisfaction, t.rate(rates.satisfaction_rate)),
        (
            b.median_accept,
            t.median_minutes(rates.median_minutes_to_accept),
        ),
        (
            b.median_resolve,
            t.median_minutes(rates.median_minutes_to_resolve),
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
    let chart = |title: &'static str, rows: Vec<(String, u32)>| {
        let summary = rows
            .iter()
            .map(|(label, n)| format!("{label} {n}"))
            .collect::<Vec<_>>()
            .join(t.punctuation.list);
        view! {
            <BarChart
                summary=t.labelled(title, &summary)
                labels=rows.iter().map(|(label, _)| label.clone()).collect()
                series=vec![Series {
                    name: b.report_total,
                    class: "requests",
                    values: rows.iter().map(|(_, n)| *n).collect(),
                }]
            />
        }
    };
    let months: Vec<(String, u32)> = requests
        .by_month
        .iter()
        .map(|m| (t.month(&m.month, true), m.rates.total))
        .collect();
    let grids: Vec<(String, u32)> = requests
        .by_grid
        .iter()
        .map(|g| (g.grid_name.clone(), g.rates.total))
        .collect();
    // The tables leave out months and categories without a request (the chart shows them).
    let month_rows = requests
        .by_month
        .iter()
        .filter(|m| m.rates.total > 0)
        .map(|m| (t.month(&m.month, false), &m.rates))
        .map(|(label, rates)| row(label, rates))
        .collect_view();
    let grid_rows = requests
        .by_grid
        .iter()
        .map(|g| row(g.grid_name.clone(), &g.rates))
        .collect_view();
    let category_rows = requests
        .by_category
        .iter()
        .filter(|c| c.rates.total > 0)
        .map(|c| row(t.request_category(c.category).to_owned(), &c.rates))
        .collect_view();
    view! {
        <section class="report report--requests" aria-labelledby="requests-report">
            <h2 class="section-title" id="requests-report">{b.report_title}</h2>
            <dl class="tiles">{tiles}</dl>
            <h3 class="section-title">{b.by_month}</h3>
            {chart(b.by_month, months)}
            {table(b.by_month, t.report.month, month_rows)}
            <h3 class="section-title">{b.by_grid}</h3>
            {chart(b.by_grid, grids)}
            {table(b.by_grid, t.report.grid, grid_rows)}
            <h3 class="section-title">{b.by_category}</h3>
            {table(b.by_category, b.category, category_rows)}
        </section>
    }
}

/// A table of rates, one row per month, grid or category.
fn table(caption: &'static str, first: &'static str, rows: impl IntoView) -> impl IntoView {
    let b = &t().board;
    view! {
        <table class="report-table report-table--rates">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col">{b.report_total}</th>
                    <th scope="col">{b.report_response}</th>
                    <th scope="col">{b.resolution_rate}</th>
                    <th scope="col">{b.report_satisfaction}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn row(label: String, rates: &RequestRates) -> impl IntoView {
    let t = t();
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td>{rates.total}</td>
            <td>{t.rate(rates.response_rate)}</td>
            <td>{t.rate(rates.resolution_rate)}</td>
            <td>{t.rate(rates.satisfaction_rate)}</td>
        </tr>
    }
}
