use leptos::prelude::*;

/// One series of a bar chart: its name (for the legend) and a CSS modifier for its colour.
#[derive(Clone)]
pub struct Series {
    pub name: &'static str,
    pub class: &'static str,
    pub values: Vec<u32>,
}

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 26.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 12.0;

/// Grouped vertical bars drawn as SVG, one group per label. The picture is for the eye:
/// it carries a summary for screen readers, and the page puts the same numbers in a table.
#[component]
pub fn BarChart(summary: String, labels: Vec<String>, series: Vec<Series>) -> impl IntoView {
    let groups = labels.len().max(1) as f64;
    let most = series
        .iter()
        .flat_map(|series| series.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_width = WIDTH - LEFT - 4.0;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let group_width = plot_width / groups;
    let bar_width = group_width * 0.8 / series.len().max(1) as f64;
    let y_of = |value: u32| TOP + plot_height * (1.0 - f64::from(value) / f64::from(most));
    let steps: &[u32] = if most >= 2 {
        &[0, most / 2, most]
    } else {
        &[0, most]
    };
    let gridlines = steps
        .iter()
        .copied()
        .map(|value| {
            let y = y_of(value);
            view! {
                <line class="chart__grid" x1=LEFT x2=WIDTH - 4.0 y1=y y2=y />
                <text class="chart__axis" x=LEFT - 4.0 y=y + 3.0 text-anchor="end">{value}</text>
            }
        })
        .collect_view();
    let show_values = labels.len() <= 12;
    let bars = series
        .iter()
        .enumerate()
        .flat_map(|(index, series)| {
            series.values.iter().enumerate().map(move |(group, value)| {
                let x = LEFT + group_width * group as f64 + group_width * 0.1 + bar_width * index as f64;
                let y = y_of(*value);
                let height = (TOP + plot_height - y).max(0.0);
                view! {
                    <rect class=format!("chart__bar chart__bar--{}", series.class)
                        x=x y=y width=bar_width height=height />
                    {(show_values && *value > 0).then(|| view! {
                        <text class="chart__value" x=x + bar_width / 2.0 y=y - 2.0 text-anchor="middle">{*value}</text>
                    })}
                }
            })
        })
        .collect_view();
    let x_labels = labels
        .iter()
        .enumerate()
        .map(|(group, label)| {
            let x = LEFT + group_width * (group as f64 + 0.5);
            view! {
                <text class="chart__axis" x=x y=HEIGHT - 6.0 text-anchor="middle">{label.clone()}</text>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|series| {
            view! {
                <li class="chart__key">
                    <span class=format!("chart__swatch chart__bar--{}", series.class)></span>
                    {series.name}
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg class="chart__svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary>
                {gridlines}
                {bars}
                {x_labels}
            </svg>
            <ul class="chart__legend" aria-hidden="true">{legend}</ul>
        </figure>
    }
}
