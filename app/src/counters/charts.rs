//! Charts drawn as SVG on the server (readable before hydration and without JavaScript), each
//! with a title, a description and a table alternative. Hand-written: the chart crates for
//! Leptos draw on the client, and a line, a bar list and a donut are a few dozen lines of
//! geometry. Colours come from classes (the CSP forbids inline styles).

use crate::format::count;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::messages::I18n;
use leptos::prelude::*;

/// The plot's box inside the SVG's view box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

pub const LINE_FRAME: Frame = Frame {
    width: 480.0,
    height: 220.0,
    left: 52.0,
    right: 10.0,
    top: 12.0,
    bottom: 26.0,
};

impl Frame {
    fn plot_width(self) -> f64 {
        self.width - self.left - self.right
    }

    fn plot_height(self) -> f64 {
        self.height - self.top - self.bottom
    }

    /// The x of point `i` of `n`, evenly spread (a single point sits in the middle).
    pub fn x(self, i: usize, n: usize) -> f64 {
        if n <= 1 {
            self.left + self.plot_width() / 2.0
        } else {
            self.left + self.plot_width() * i as f64 / (n - 1) as f64
        }
    }

    pub fn y(self, value: u64, max: u64) -> f64 {
        let max = max.max(1) as f64;
        self.top + self.plot_height() * (1.0 - value as f64 / max)
    }
}

/// The smallest "round" number (1, 2, 2.5 or 5 × 10ⁿ) at or above `max`, so the axis reads well.
pub fn nice_ceiling(max: u64) -> u64 {
    if max <= 1 {
        return 1;
    }
    let mut scale: u64 = 1;
    loop {
        for step in [10, 20, 25, 50] {
            let candidate = scale.saturating_mul(step) / 10;
            if candidate >= max {
                return candidate;
            }
        }
        if scale > u64::MAX / 100 {
            return max;
        }
        scale *= 10;
    }
}

/// The line through the days that have data: one path per run of consecutive days with data
/// (a day without data breaks the line, it never drops to 0), and the lone days as dots.
pub fn line_shapes(
    values: &[Option<u64>],
    max: u64,
    frame: Frame,
) -> (Vec<String>, Vec<(f64, f64)>) {
    let n = values.len();
    let mut paths = Vec::new();
    let mut dots = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut flush = |run: &mut Vec<(f64, f64)>| {
        match run.len() {
            0 => {}
            1 => dots.push(run[0]),
            _ => {
                let mut d = String::new();
                for (i, (x, y)) in run.iter().enumerate() {
                    d.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" }));
                }
                paths.push(d);
            }
        }
        run.clear();
    };
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) => run.push((frame.x(i, n), frame.y(*v, max))),
            None => flush(&mut run),
        }
    }
    flush(&mut run);
    (paths, dots)
}

/// A daily line chart. `labels` are the days (`22/11/2026`), `values` their entries.
#[component]
pub fn LineChart(
    id: &'static str,
    title: String,
    labels: Vec<String>,
    values: Vec<Option<u64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let frame = LINE_FRAME;
    let max = nice_ceiling(values.iter().flatten().copied().max().unwrap_or(0));
    let (paths, dots) = line_shapes(&values, max, frame);
    let n = values.len();
    let with_data = values.iter().flatten().count();
    let short = |label: &str| label.get(..5).unwrap_or(label).to_owned();
    let first = labels.first().map(|l| short(l)).unwrap_or_default();
    let last = labels.last().map(|l| short(l)).unwrap_or_default();
    let middle = labels.get(n / 2).map(|l| short(l)).unwrap_or_default();
    let slot = frame.plot_width() / n.max(1) as f64;
    let no_data: Vec<f64> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| frame.x(i, n) - slot / 2.0)
        .collect();
    let ticks = [0, max / 2, max];
    let description = format!(
        "{} · {} / {}",
        labels
            .first()
            .zip(labels.last())
            .map(|(a, b)| format!("{a} → {b}"))
            .unwrap_or_default(),
        with_data,
        n
    );
    let rows: Vec<(String, Option<u64>)> = labels.into_iter().zip(values).collect();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelledby = format!("{title_id} {desc_id}");
    view! {
        <figure class="chart">
            <svg
                class="line-chart"
                viewBox=format!("0 0 {} {}", frame.width, frame.height)
                role="img"
                aria-labelledby=labelledby
                preserveAspectRatio="xMidYMid meet"
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {no_data
                    .into_iter()
                    .map(|x| {
                        view! {
                            <rect
                                class="chart-nodata"
                                x=format!("{:.1}", x.max(frame.left))
                                y=frame.top.to_string()
                                width=format!("{:.1}", slot.max(1.0))
                                height=format!("{:.1}", frame.plot_height())
                            />
                        }
                    })
                    .collect_view()}
                {ticks
                    .into_iter()
                    .map(|v| {
                        let y = frame.y(v, max);
                        view! {
                            <line
                                class="chart-grid"
                                x1=frame.left.to_string()
                                x2=(frame.width - frame.right).to_string()
                                y1=format!("{y:.1}")
                                y2=format!("{y:.1}")
                            />
                            <text class="chart-axis" x=(frame.left - 6.0).to_string() y=format!("{:.1}", y + 4.0) text-anchor="end">
                                {count(v)}
                            </text>
                        }
                    })
                    .collect_view()}
                {paths.into_iter().map(|d| view! { <path class="chart-line" d=d /> }).collect_view()}
                {dots
                    .into_iter()
                    .map(|(x, y)| view! { <circle class="chart-dot" cx=format!("{x:.1}") cy=format!("{y:.1}") r="3" /> })
                    .collect_view()}
                <text class="chart-axis" x=frame.left.to_string() y=(frame.height - 6.0).to_string() text-anchor="start">{first}</text>
                <text class="chart-axis" x=format!("{:.1}", frame.x(n / 2, n)) y=(frame.height - 6.0).to_string() text-anchor="middle">{middle}</text>
                <text class="chart-axis" x=(frame.width - frame.right).to_string() y=(frame.height - 6.0).to_string() text-anchor="end">{last}</text>
            </svg>
            <figcaption class="chart-legend">
                <span class="legend-line" aria-hidden="true"></span>
                {t!(i18n, dashboard.legend_entries)}
                <span class="legend-nodata" aria-hidden="true"></span>
                {t!(i18n, dashboard.legend_no_data)}
            </figcaption>
            <DataTable
                title
                first=|i| t_string!(i, dashboard.col_day).to_string()
                rows=rows
                    .into_iter()
                    .map(|(day, v)| {
                        let value = match v {
                            Some(v) => count(v).into_any(),
                            None => view! { <span class="muted">{t!(i18n, dashboard.no_data)}</span> }.into_any(),
                        };
                        (day.into_any(), value)
                    })
                    .collect()
            />
        </figure>
    }
    .into_any()
}

/// A chart's figures as a table (the alternative to the drawing), folded by default.
#[component]
fn DataTable(
    title: String,
    first: fn(I18n) -> String,
    rows: Vec<(AnyView, AnyView)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="chart-table">
            <summary>{t!(i18n, dashboard.show_table)}</summary>
            <div class="table-wrap">
                <table class="table">
                    <caption>{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || first(i18n)}</th>
                            <th scope="col" class="num">{t!(i18n, dashboard.col_entries)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|(a, b)| view! { <tr><td>{a}</td><td class="num">{b}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
    .into_any()
}

/// One bar of a ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub href: String,
}

const BAR_WIDTH: f64 = 480.0;
const BAR_ROW: f64 = 34.0;

/// The bar's length in the view box: proportional to the largest, at least visible.
pub fn bar_length(value: u64, max: u64) -> f64 {
    if max == 0 {
        return 0.0;
    }
    let full = BAR_WIDTH - 70.0;
    (full * value as f64 / max as f64).max(if value > 0 { 2.0 } else { 0.0 })
}

/// A horizontal bar list (a ranking), each bar linking to its shop.
#[component]
pub fn BarChart(id: &'static str, title: String, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let height = (BAR_ROW * bars.len() as f64).max(BAR_ROW);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let description = bars
        .iter()
        .map(|b| format!("{} : {}", b.label, count(b.value)))
        .collect::<Vec<_>>()
        .join(" ; ");
    let table = bars.clone();
    let labelledby = format!("{title_id} {desc_id}");
    view! {
        <figure class="chart">
            <svg
                class="bar-chart"
                viewBox=format!("0 0 {BAR_WIDTH} {height}")
                role="img"
                aria-labelledby=labelledby
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {bars
                    .into_iter()
                    .enumerate()
                    .map(|(i, bar)| {
                        let y = BAR_ROW * i as f64;
                        let length = bar_length(bar.value, max);
                        view! {
                            <a href=bar.href>
                                <text class="bar-label" x="0" y=format!("{:.1}", y + 12.0)>{bar.label}</text>
                                <rect class="bar" x="0" y=format!("{:.1}", y + 16.0) width=format!("{length:.1}") height="12" rx="2" />
                                <text class="bar-value" x=format!("{:.1}", length + 6.0) y=format!("{:.1}", y + 26.0)>{count(bar.value)}</text>
                            </a>
                        }
                    })
                    .collect_view()}
            </svg>
            <DataTable
                title
                first=|i| t_string!(i, dashboard.col_shop).to_string()
                rows=table
                    .into_iter()
                    .map(|b| (view! { <a href=b.href>{b.label}</a> }.into_any(), count(b.value).into_any()))
                    .collect()
            />
        </figure>
    }
    .into_any()
}

/// The share `part / whole` as a percentage of the donut's circumference (0 to 100).
pub fn donut_share(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        (part.clamp(0, whole) as f64 * 100.0 / whole as f64 * 10.0).round() / 10.0
    }
}

/// Operational counters against all of them.
#[component]
pub fn Donut(id: &'static str, title: String, part: i64, whole: i64) -> impl IntoView {
    let share = donut_share(part, whole);
    let title_id = format!("{id}-title");
    let labelledby = title_id.clone();
    // r = 100 / 2π: the circumference is 100, so the dash length is the percentage.
    view! {
        <svg class="donut" viewBox="0 0 42 42" role="img" aria-labelledby=labelledby>
            <title id=title_id>{title}</title>
            <circle class="donut-rest" cx="21" cy="21" r="15.9155" fill="none" stroke-width="6" />
            <circle
                class="donut-part"
                cx="21"
                cy="21"
                r="15.9155"
                fill="none"
                stroke-width="6"
                stroke-dasharray=format!("{share} {}", 100.0 - share)
                stroke-dashoffset="25"
            />
            <text class="donut-text" x="21" y="23.5" text-anchor="middle">{format!("{part}/{whole}")}</text>
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(21), 25);
        assert_eq!(nice_ceiling(26), 50);
        assert_eq!(nice_ceiling(1_234), 2_000);
        assert_eq!(nice_ceiling(2_000), 2_000);
    }

    #[test]
    fn a_day_without_data_breaks_the_line() {
        let values = [Some(10), Some(20), None, Some(5), None, Some(0), Some(0)];
        let (paths, dots) = line_shapes(&values, 20, LINE_FRAME);
        assert_eq!(paths.len(), 2);
        assert_eq!(paths[0].matches('L').count(), 1);
        assert_eq!(dots.len(), 1, "the lone day is a dot");
        // Zero is data: drawn on the axis, not left out.
        let bottom = LINE_FRAME.height - LINE_FRAME.bottom;
        assert!(paths[1].ends_with(&format!("{bottom:.1}")));
        assert_eq!(line_shapes(&[None, None], 1, LINE_FRAME), (vec![], vec![]));
    }

    #[test]
    fn bars_and_donut_shares() {
        assert_eq!(bar_length(0, 0), 0.0);
        assert_eq!(bar_length(50, 100), (BAR_WIDTH - 70.0) / 2.0);
        assert!(bar_length(1, 1_000_000) >= 2.0);
        assert_eq!(donut_share(0, 0), 0.0);
        assert_eq!(donut_share(16, 17), 94.1);
        assert_eq!(donut_share(20, 17), 100.0);
    }

    proptest! {
        #[test]
        fn every_point_stays_in_the_plot(values in proptest::collection::vec(proptest::option::of(0u64..1_000_000), 0..120)) {
            let max = nice_ceiling(values.iter().flatten().copied().max().unwrap_or(0));
            let (paths, dots) = line_shapes(&values, max, LINE_FRAME);
            let points: usize = paths.iter().map(|p| p.matches(',').count()).sum::<usize>() + dots.len();
            prop_assert_eq!(points, values.iter().flatten().count());
            for (x, y) in dots {
                prop_assert!((LINE_FRAME.left..=LINE_FRAME.width - LINE_FRAME.right).contains(&x));
                prop_assert!((LINE_FRAME.top - 0.01..=LINE_FRAME.height - LINE_FRAME.bottom + 0.01).contains(&y));
            }
        }
    }
}
