//! Small SVG charts for the benchmark results.
//!
//! An SVG file is just text, so this module writes it by hand and the bench
//! needs no plotting dependency. [`LineChart`] draws curves (latency against
//! connections), and [`BarChart`] draws grouped comparisons (requests/s per
//! server). [`crate::report`] saves them.
//!
//! The output is deterministic (every number is printed with fixed precision),
//! has a white background so it reads well in GitHub's light and dark themes,
//! and gives each series a colour from the colour-blind-safe Okabe-Ito palette
//! plus its own marker shape, so the lines can be told apart in greyscale too.

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 420.0;
/// The plot area's left, top and bottom edges; its right edge depends on the legend.
const LEFT: f64 = 72.0;
const TOP: f64 = 52.0;
const BOTTOM: f64 = 340.0;
const FONT: &str = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif";
const TEXT: &str = "#222222";
const GREY: &str = "#666666";
const GRID: &str = "#e0e0e0";
const MINOR_GRID: &str = "#f2f2f2";
/// Okabe-Ito palette; the yellow is last because it is faint on white.
const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];
/// Marker outlines as polygon corners around (0, 0); an empty list is a circle.
/// Five shapes and eight colours: a (colour, shape) pair repeats only after 40 series.
const MARKERS: [&[(f64, f64)]; 5] = [
    &[],
    &[(-3.5, -3.5), (3.5, -3.5), (3.5, 3.5), (-3.5, 3.5)],
    &[(0.0, -4.5), (4.5, 3.5), (-4.5, 3.5)],
    &[(0.0, -5.0), (5.0, 0.0), (0.0, 5.0), (-5.0, 0.0)],
    &[(0.0, 4.5), (4.5, -3.5), (-4.5, -3.5)],
];
/// Text styles, as SVG attributes.
const TITLE_STYLE: &str = r#"font-size="17" font-weight="bold" text-anchor="middle""#;
const NOTE_STYLE: &str = r##"font-size="11" fill="#666666""##;
const NO_DATA_STYLE: &str = r##"font-size="16" fill="#666666" text-anchor="middle""##;
const X_TICK_STYLE: &str = r#"font-size="11" text-anchor="middle""#;
const Y_TICK_STYLE: &str = r#"font-size="11" text-anchor="end""#;
const LABEL_STYLE: &str = r#"font-size="13" text-anchor="middle""#;
const GROUP_STYLE: &str = r#"font-size="12" text-anchor="middle""#;
const LEGEND_STYLE: &str = r#"font-size="12""#;

/// One named line: (x, y) points, drawn in the order given.
pub struct Series {
    /// Shown in the legend.
    pub name: String,
    /// The data; points that cannot be drawn (NaN, infinite, <= 0 on a log axis) are skipped.
    pub points: Vec<(f64, f64)>,
}

/// A line chart (for curves such as latency vs connections).
pub struct LineChart {
    /// Shown at the top.
    pub title: String,
    /// Shown under the x axis.
    pub x_label: String,
    /// Shown beside the y axis, turned upright.
    pub y_label: String,
    /// Logarithmic x axis, in whole decades (1, 10, 100, ...).
    pub log_x: bool,
    /// Logarithmic y axis, in whole decades (1, 10, 100, ...).
    pub log_y: bool,
    /// The lines, each with its own colour and marker shape.
    pub series: Vec<Series>,
    /// A footnote under the plot, e.g. "measured on 2 cores, one run; scripts/bench.sh".
    pub note: String,
}

/// A grouped bar chart (for comparisons such as requests/s per server at 1, 10, 100 clients).
pub struct BarChart {
    /// Shown at the top.
    pub title: String,
    /// Shown beside the y axis, turned upright.
    pub y_label: String,
    /// The groups along the x axis, e.g. ["1 client", "10 clients", "100 clients"].
    pub groups: Vec<String>,
    /// One bar per group for each entry: (name, `values[i]` for `groups[i]`); None = not
    /// measured (draw nothing, but a small "n/a" label where the bar would be).
    pub bars: Vec<(String, Vec<Option<f64>>)>,
    /// Logarithmic y axis, in whole decades (1, 10, 100, ...).
    pub log_y: bool,
    /// A footnote under the plot, e.g. "measured on 2 cores, one run; scripts/bench.sh".
    pub note: String,
}

impl LineChart {
    /// Renders the chart as a complete SVG document.
    pub fn to_svg(&self) -> String {
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        let plot = Plot::beside_legend(&names);
        let points = self.series.iter().flat_map(|s| s.points.iter().copied());
        let (xs, ys): (Vec<f64>, Vec<f64>) = points.unzip();
        let axes = (Axis::fit(&xs, self.log_x), Axis::fit(&ys, self.log_y));

        let mut svg = Svg::new(&self.title, &self.note);
        draw_x_axis(&mut svg, &plot, &axes.0, &self.x_label);
        draw_y_axis(&mut svg, &plot, &axes.1, &self.y_label);
        let mut drawn = 0;
        for (i, series) in self.series.iter().enumerate() {
            drawn += draw_series(&mut svg, &plot, &axes, series, i);
        }
        svg.finish(&plot, drawn, &names, Legend::Line)
    }
}

impl BarChart {
    /// Renders the chart as a complete SVG document.
    pub fn to_svg(&self) -> String {
        let names: Vec<&str> = self.bars.iter().map(|(name, _)| name.as_str()).collect();
        let plot = Plot::beside_legend(&names);
        let values = self.bars.iter().flat_map(|(_, v)| v.iter().flatten());
        let mut values: Vec<f64> = values.copied().collect();
        // An invisible extra value leaves room above the tallest bar for its label.
        let usable_values = values.iter().filter(|v| usable(**v, self.log_y));
        let tallest = usable_values.fold(0.0, |a: f64, b| a.max(*b));
        values.push(tallest * if self.log_y { 3.0 } else { 1.15 });
        let axis = Axis::fit(&values, self.log_y);

        let mut svg = Svg::new(&self.title, &self.note);
        draw_y_axis(&mut svg, &plot, &axis, &self.y_label);
        let drawn = self.draw_bars(&mut svg, &plot, &axis);
        svg.finish(&plot, drawn, &names, Legend::Swatch)
    }

    /// Draws the bars and the group names; returns how many bars were drawn.
    fn draw_bars(&self, svg: &mut Svg, plot: &Plot, axis: &Axis) -> usize {
        let group_w = plot.width() / self.groups.len().max(1) as f64;
        let slot = group_w * 0.8 / self.bars.len().max(1) as f64;
        let bar_w = slot * 0.85; // the other 15% of the slot is the gap between bars
        let base_y = plot.y_at(axis.base());
        let upright = self.labels_need_turning(slot);
        let mut drawn = 0;
        for (g, group) in self.groups.iter().enumerate() {
            let group_x = LEFT + g as f64 * group_w;
            svg.text((group_x + group_w / 2.0, BOTTOM + 18.0), GROUP_STYLE, group);
            for (b, (_, values)) in self.bars.iter().enumerate() {
                let x = group_x + group_w * 0.1 + b as f64 * slot + (slot - bar_w) / 2.0;
                let middle = x + bar_w / 2.0;
                let value = values.get(g).copied().flatten();
                match value.and_then(|v| Some((v, plot.y_at(axis.frac(v)?)))) {
                    Some((v, y)) => {
                        let (top, height) = (y.min(base_y), (y - base_y).abs());
                        svg.rect((x, top), (bar_w, height), colour(b));
                        bar_label(svg, (middle, top - 4.0), upright, TEXT, &human(v));
                        drawn += 1;
                    }
                    None => bar_label(svg, (middle, base_y - 4.0), upright, GREY, "n/a"),
                }
            }
        }
        drawn
    }

    /// Whether the longest label above a bar is wider than a bar and its gap;
    /// then all the labels are turned upright, so that they read the same way.
    fn labels_need_turning(&self, slot: f64) -> bool {
        let values = self.bars.iter().flat_map(|(_, v)| v.iter().flatten());
        let longest = values.map(|v| human(*v).len()).fold(3, usize::max);
        slot < longest as f64 * 6.0 + 2.0
    }
}

/// Formats a number short: 950 → "950", 1500 → "1.5k", 2e6 → "2M", 0.5 → "0.5".
/// Keeps three significant digits. NaN and infinities give an empty string.
pub fn human(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = round_to_3_digits(v.abs());
    if !(1e-4..1e15).contains(&a) {
        let text = format!("{a:.2e}"); // e.g. "2.50e-7"
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        return format!("{sign}{}e{exponent}", trim_zeros(mantissa));
    }
    const UNITS: [(f64, &str); 5] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")];
    let unit = UNITS.iter().copied().find(|(scale, _)| a >= *scale);
    let (scale, suffix) = unit.unwrap_or((1.0, ""));
    let s = a / scale;
    let decimals = (2 - s.log10().floor() as i32).max(0) as usize;
    format!("{sign}{}{suffix}", trim_zeros(&format!("{s:.decimals$}")))
}

/// 1234.5 → 1230, 0.012345 → 0.0123 (for `a` > 0); `a` itself where rounding up overflows.
fn round_to_3_digits(a: f64) -> f64 {
    let magnitude = 10f64.powi(a.log10().floor() as i32 - 2);
    let rounded = (a / magnitude).round() * magnitude;
    if rounded.is_finite() { rounded } else { a }
}

/// "1.50" → "1.5", "2.00" → "2"; leaves "100" alone.
fn trim_zeros(s: &str) -> &str {
    if !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.')
}

/// Escapes the XML special characters and drops control characters XML cannot hold.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Can `v` be placed on an axis? Huge values are refused so arithmetic never overflows.
fn usable(v: f64, log: bool) -> bool {
    v.is_finite() && v.abs() <= 1e300 && (!log || v >= 1e-300)
}

/// A fitted axis: maps data values to 0.0 (bottom/left) ..= 1.0 (top/right).
enum Axis {
    /// From `lo` to `hi` with a tick every `step` (a 1-2-5 number).
    Linear { lo: f64, hi: f64, step: f64 },
    /// From 10^lo to 10^hi with a tick every `every` decades.
    Log { lo: i32, hi: i32, every: i32 },
}

impl Axis {
    /// Fits an axis around the usable values; a linear axis always includes 0.
    fn fit(values: &[f64], log: bool) -> Axis {
        let good: Vec<f64> = values.iter().copied().filter(|v| usable(*v, log)).collect();
        let min = good.iter().copied().fold(f64::INFINITY, f64::min);
        let max = good.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if log {
            let (lo, hi) = if good.is_empty() {
                (0, 1) // no data: 1..10
            } else {
                (min.log10().floor() as i32, max.log10().ceil() as i32)
            };
            let hi = hi.max(lo + 1);
            let every = ((hi - lo + 7) / 8).max(1); // at most 9 labelled decades
            return Axis::Log { lo, hi, every };
        }
        let lo = min.min(0.0);
        let hi = max.max(0.0);
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let step = nice_step((hi - lo) / 5.0);
        let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        Axis::Linear { lo, hi, step }
    }

    /// Where `v` sits between the ends, or None if it cannot be drawn.
    fn frac(&self, v: f64) -> Option<f64> {
        let f = match *self {
            Axis::Linear { lo, hi, .. } if usable(v, false) => (v - lo) / (hi - lo),
            Axis::Log { lo, hi, .. } if usable(v, true) => {
                (v.log10() - lo as f64) / (hi - lo) as f64
            }
            _ => return None,
        };
        (-1e-9..=1.0 + 1e-9).contains(&f).then(|| f.clamp(0.0, 1.0))
    }

    /// Where bars start: at 0 on a linear axis, at the bottom on a log axis.
    fn base(&self) -> f64 {
        self.frac(0.0).unwrap_or(0.0)
    }

    /// The labelled tick values.
    fn ticks(&self) -> Vec<f64> {
        match *self {
            Axis::Linear { lo, hi, step } => {
                let first = (lo / step).round() as i64;
                let count = ((hi - lo) / step).round().clamp(1.0, 50.0) as i64;
                (0..=count).map(|i| (first + i) as f64 * step).collect()
            }
            Axis::Log { lo, hi, every } => {
                let decades = (lo..=hi).step_by(every as usize);
                decades.map(|e| 10f64.powi(e)).collect()
            }
        }
    }

    /// Unlabelled lines at 2, 3, ... 9 times each decade (log axes with a tick a decade).
    fn minor_ticks(&self) -> Vec<f64> {
        let Axis::Log { lo, hi, every: 1 } = *self else {
            return Vec::new();
        };
        let decade = |e| (2..10).map(move |m| m as f64 * 10f64.powi(e));
        (lo..hi).flat_map(decade).collect()
    }
}

/// The 1-2-5 number (1, 2, 5, 10, 20, 50, ...) nearest above `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powi(raw.log10().floor() as i32);
    let nice = [1.0, 2.0, 5.0].into_iter().find(|m| m * magnitude >= raw);
    nice.unwrap_or(10.0) * magnitude
}

/// The plot area: from `LEFT` to `right`, `TOP` to `BOTTOM`; the legend is to its right.
struct Plot {
    right: f64,
}

impl Plot {
    /// Leaves a right-hand margin wide enough for the longest legend name.
    fn beside_legend(names: &[&str]) -> Plot {
        let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let legend_w = (longest as f64 * 6.8 + 52.0).clamp(100.0, 320.0);
        Plot {
            right: WIDTH - legend_w,
        }
    }
    fn width(&self) -> f64 {
        self.right - LEFT
    }
    fn middle(&self) -> f64 {
        (LEFT + self.right) / 2.0
    }
    fn x_at(&self, frac: f64) -> f64 {
        LEFT + frac * self.width()
    }
    fn y_at(&self, frac: f64) -> f64 {
        BOTTOM - frac * (BOTTOM - TOP)
    }
}

/// The colour of series or bar entry `i`.
fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// An SVG document being built, one element per line.
struct Svg(String);

impl Svg {
    /// Starts a document with the white background, the title and the footnote.
    fn new(title: &str, note: &str) -> Svg {
        let xmlns = r#"xmlns="http://www.w3.org/2000/svg""#;
        let size = format!(r#"width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}""#);
        let root = format!(r#"<svg {xmlns} {size} font-family="{FONT}" fill="{TEXT}">"#);
        let mut svg = Svg(String::new());
        svg.add(&root);
        svg.rect((0.0, 0.0), (WIDTH, HEIGHT), "#ffffff");
        svg.text((WIDTH / 2.0, 30.0), TITLE_STYLE, title);
        svg.text((12.0, HEIGHT - 10.0), NOTE_STYLE, note);
        svg
    }
    fn add(&mut self, element: &str) {
        self.0.push_str(element);
        self.0.push('\n');
    }
    fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str) {
        let line = format!(r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}""#);
        self.add(&format!(r#"{line} stroke="{stroke}"/>"#));
    }
    fn polyline(&mut self, points: &[(f64, f64)], stroke: &str) {
        let points = point_list(points.iter().copied());
        let style = r#"fill="none" stroke-width="2" stroke-linejoin="round""#;
        let line = format!(r#"<polyline points="{points}" stroke="{stroke}" {style}/>"#);
        self.add(&line);
    }
    fn rect(&mut self, (x, y): (f64, f64), (w, h): (f64, f64), fill: &str) {
        let rect = format!(r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}""#);
        self.add(&format!(r#"{rect} fill="{fill}"/>"#));
    }
    /// `style` holds SVG attributes such as `font-size="12"`; `content` is escaped here.
    fn text(&mut self, (x, y): (f64, f64), style: &str, content: &str) {
        let content = escape(content);
        let text = format!(r#"<text x="{x:.1}" y="{y:.1}" {style}>{content}</text>"#);
        self.add(&text);
    }
    /// Draws what goes on top of the data, and closes the document.
    fn finish(mut self, plot: &Plot, drawn: usize, names: &[&str], legend: Legend) -> String {
        if drawn == 0 {
            let middle = (plot.middle(), (TOP + BOTTOM) / 2.0);
            self.text(middle, NO_DATA_STYLE, "no data");
        }
        self.line((LEFT, BOTTOM), (LEFT, TOP), "#444444");
        self.line((LEFT, BOTTOM), (plot.right, BOTTOM), "#444444");
        draw_legend(&mut self, plot, names, legend);
        self.add("</svg>");
        self.0
    }
}

/// Vertical grid lines and tick labels for the x axis, and its name under them.
fn draw_x_axis(svg: &mut Svg, plot: &Plot, axis: &Axis, label: &str) {
    for (ticks, stroke) in [(axis.minor_ticks(), MINOR_GRID), (axis.ticks(), GRID)] {
        for f in ticks.iter().filter_map(|t| axis.frac(*t)) {
            svg.line((plot.x_at(f), TOP), (plot.x_at(f), BOTTOM), stroke);
        }
    }
    for t in axis.ticks() {
        if let Some(f) = axis.frac(t) {
            svg.text((plot.x_at(f), BOTTOM + 16.0), X_TICK_STYLE, &human(t));
        }
    }
    svg.text((plot.middle(), BOTTOM + 38.0), LABEL_STYLE, label);
}

/// Horizontal grid lines and tick labels for the y axis, and its name turned upright.
fn draw_y_axis(svg: &mut Svg, plot: &Plot, axis: &Axis, label: &str) {
    for (ticks, stroke) in [(axis.minor_ticks(), MINOR_GRID), (axis.ticks(), GRID)] {
        for f in ticks.iter().filter_map(|t| axis.frac(*t)) {
            svg.line((LEFT, plot.y_at(f)), (plot.right, plot.y_at(f)), stroke);
        }
    }
    for t in axis.ticks() {
        if let Some(f) = axis.frac(t) {
            svg.text((LEFT - 6.0, plot.y_at(f) + 4.0), Y_TICK_STYLE, &human(t));
        }
    }
    let (x, y) = (18.0, (TOP + BOTTOM) / 2.0);
    let turned = format!(r#"{LABEL_STYLE} transform="rotate(-90 {x:.1} {y:.1})""#);
    svg.text((x, y), &turned, label);
}

/// Draws one series as lines between drawable neighbours (a gap where a point is
/// skipped) and a marker on each point; returns how many points were drawn.
fn draw_series(svg: &mut Svg, plot: &Plot, axes: &(Axis, Axis), s: &Series, i: usize) -> usize {
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for &(x, y) in &s.points {
        match (axes.0.frac(x), axes.1.frac(y), runs.last_mut()) {
            (Some(fx), Some(fy), Some(run)) => run.push((plot.x_at(fx), plot.y_at(fy))),
            _ => runs.push(Vec::new()),
        }
    }
    for run in runs.iter().filter(|run| run.len() >= 2) {
        svg.polyline(run, colour(i));
    }
    for &point in runs.iter().flatten() {
        marker(svg, point, i);
    }
    runs.iter().map(Vec::len).sum()
}

/// The marker of series `i`, centred on (x, y).
fn marker(svg: &mut Svg, (x, y): (f64, f64), i: usize) {
    let fill = colour(i);
    let style = format!(r##"fill="{fill}" stroke="#ffffff" stroke-width="0.8""##);
    let corners = MARKERS[i % MARKERS.len()];
    let shape = if corners.is_empty() {
        format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.2" {style}/>"#)
    } else {
        let points = point_list(corners.iter().map(|(dx, dy)| (x + dx, y + dy)));
        format!(r#"<polygon points="{points}" {style}/>"#)
    };
    svg.add(&shape);
}

/// The `points` attribute of a polyline or polygon: "x,y x,y ...".
fn point_list(points: impl Iterator<Item = (f64, f64)>) -> String {
    let points: Vec<String> = points.map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    points.join(" ")
}

/// A small label above a bar: across it, or `upright` when the bars are narrow.
fn bar_label(svg: &mut Svg, (x, y): (f64, f64), upright: bool, fill: &str, text: &str) {
    let turn = if upright {
        format!(r#"transform="rotate(-90 {x:.1} {y:.1})" dy="3""#)
    } else {
        r#"text-anchor="middle""#.to_string()
    };
    let style = format!(r#"font-size="10" fill="{fill}" {turn}"#);
    svg.text((x, y), &style, text);
}

/// How the legend shows each entry's colour.
enum Legend {
    /// A short line with the series' marker.
    Line,
    /// A filled square, like the bars.
    Swatch,
}

/// The legend, in the right-hand margin: one entry per series or bar entry.
fn draw_legend(svg: &mut Svg, plot: &Plot, names: &[&str], legend: Legend) {
    let x = plot.right + 18.0;
    for (i, name) in names.iter().enumerate() {
        let y = TOP + 8.0 + i as f64 * 20.0;
        if y > BOTTOM {
            break; // more entries than fit; such a chart is unreadable anyway
        }
        match legend {
            Legend::Line => {
                svg.polyline(&[(x, y), (x + 26.0, y)], colour(i));
                marker(svg, (x + 13.0, y), i);
            }
            Legend::Swatch => svg.rect((x + 7.0, y - 6.0), (12.0, 12.0), colour(i)),
        }
        svg.text((x + 32.0, y + 4.0), LEGEND_STYLE, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(log: bool, series: &[(&str, &[(f64, f64)])]) -> LineChart {
        let series = series.iter().map(|(name, points)| Series {
            name: name.to_string(),
            points: points.to_vec(),
        });
        LineChart {
            title: "latency".into(),
            x_label: "connections".into(),
            y_label: "µs".into(),
            log_x: log,
            log_y: log,
            series: series.collect(),
            note: "one run".into(),
        }
    }

    fn bars(log_y: bool, bars: &[(&str, &[Option<f64>])]) -> BarChart {
        let bars = bars.iter().map(|(n, v)| (n.to_string(), v.to_vec()));
        BarChart {
            title: "requests/s".into(),
            y_label: "requests/s".into(),
            groups: vec!["1 client".into(), "10 clients".into(), "100 clients".into()],
            bars: bars.collect(),
            log_y,
            note: String::new(),
        }
    }

    fn assert_well_formed(svg: &str) {
        assert_eq!(svg.matches("<svg").count(), 1);
        assert!(svg.ends_with("</svg>\n") && svg.matches("</svg>").count() == 1);
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
        let bad = svg.contains("NaN") || svg.contains("inf");
        assert!(!bad, "bad number in:\n{svg}");
    }

    #[test]
    fn human_is_short() {
        let cases = [(950.0, "950"), (1500.0, "1.5k"), (2e6, "2M")];
        let more = [(0.5, "0.5"), (12.5, "12.5"), (0.0, "0"), (999.7, "1k")];
        let odd = [(-1234.0, "-1.23k"), (0.001, "0.001"), (2.5e-7, "2.5e-7")];
        for (v, want) in cases.into_iter().chain(more).chain(odd) {
            assert_eq!(human(v), want, "human({v})");
        }
        assert_eq!(human(f64::NAN), "");
        assert_eq!(human(f64::MAX), "1.8e308"); // rounding up to 1.80e308 would overflow
    }

    #[test]
    fn every_name_appears_escaped() {
        let svg = line(false, &[("a & <b>", &[(1.0, 2.0)]), ("c's \"d\"", &[])]).to_svg();
        assert_well_formed(&svg);
        assert!(svg.contains(">a &amp; &lt;b&gt;<"));
        assert!(svg.contains(">c&apos;s &quot;d&quot;<"));
        let svg = bars(false, &[("std", &[Some(1.0)]), ("x&y", &[Some(2.0)])]).to_svg();
        assert!(svg.contains(">std<") && svg.contains(">x&amp;y<") && !svg.contains("x&y"));
    }

    #[test]
    fn log_axis_has_decade_ticks() {
        let points = [(10.0, 1.0), (300.0, 2.0), (10_000.0, 3.0)];
        let svg = line(true, &[("s", &points)]).to_svg();
        for label in [">10<", ">100<", ">1k<", ">10k<"] {
            assert!(svg.contains(label), "missing tick {label}");
        }
        assert!(!svg.contains(">100k<"));
    }

    #[test]
    fn linear_axis_starts_at_zero_with_nice_steps() {
        let Axis::Linear { lo, hi, step } = Axis::fit(&[3.0, 87.0], false) else {
            panic!("expected a linear axis");
        };
        assert_eq!((lo, hi, step), (0.0, 100.0, 20.0));
        let svg = line(false, &[("s", &[(1.0, 1234.0)])]).to_svg();
        assert!(svg.contains(">0<") && svg.contains(">500<") && svg.contains(">1.5k<"));
        assert!(!svg.contains(">2k<"));
    }

    #[test]
    fn output_is_deterministic() {
        let chart = line(true, &[("a", &[(1.0, 0.1), (2.0, 1.0 / 3.0)])]);
        assert_eq!(chart.to_svg(), chart.to_svg());
        let chart = bars(false, &[("x", &[Some(1.0), None, Some(2.0 / 3.0)])]);
        assert_eq!(chart.to_svg(), chart.to_svg());
    }

    #[test]
    fn bad_numbers_are_skipped() {
        let (nan, inf) = (f64::NAN, f64::INFINITY);
        let odd = [(1.0, nan), (inf, 2.0), (0.0, 5.0), (10.0, -3.0)];
        let huge = [(f64::MAX, f64::MIN), (1e-320, -1e300), (1e300, 5.0)];
        for log in [true, false] {
            assert_well_formed(&line(log, &[("s", &odd), ("t", &huge)]).to_svg());
            let values = [Some(nan), Some(0.0), Some(-5.0), Some(-inf), Some(1e308)];
            assert_well_formed(&bars(log, &[("x", &values)]).to_svg());
        }
        let svg = line(true, &[("s", &[(0.0, 1.0), (-1.0, 2.0), (10.0, 0.0)])]).to_svg();
        assert!(svg.contains("no data"));
        let lines = svg.matches("<polyline").count();
        assert_eq!(lines, 1, "only the legend's line");
    }

    #[test]
    fn empty_charts_say_no_data() {
        for chart in [line(false, &[]), line(true, &[("s", &[])])] {
            let svg = chart.to_svg();
            assert_well_formed(&svg);
            assert!(svg.contains("no data"));
        }
        let svg = bars(true, &[("a", &[None, None, None])]).to_svg();
        assert!(svg.contains("no data") && svg.matches(">n/a<").count() == 3);
        let mut no_groups = bars(false, &[("a", &[Some(1.0)])]);
        no_groups.groups.clear();
        assert!(no_groups.to_svg().contains("no data"));
    }

    #[test]
    fn bars_show_values_and_missing_ones() {
        let std = [Some(950.0), Some(12_500.0), None];
        let svg = bars(false, &[("std", &std), ("tokio", &[Some(1500.0)])]).to_svg();
        assert_well_formed(&svg);
        let missing = svg.matches(">n/a<").count();
        assert_eq!(missing, 3, "one None, two values missing");
        assert!(svg.contains(">950<") && svg.contains(">12.5k<") && svg.contains(">1.5k<"));
        assert!(svg.contains(">100 clients<"));
    }
}
