//! `--png FILE`: a day against the comparison day as a line chart, hours
//! on the x axis. Text is drawn with the bundled DejaVu Sans
//! (`assets/fonts`, Bitstream Vera license), so no system font is needed.

use std::path::Path;
use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;

use super::hourly::Day;

const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";
pub const SIZE: (u32, u32) = (1000, 560);
/// The day in blue, the comparison day in orange (distinct in greyscale too).
const DAY_COLOR: RGBColor = RGBColor(31, 94, 180);
const COMPARE_COLOR: RGBColor = RGBColor(230, 126, 34);

fn register_font() -> Result<()> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| anyhow!("the bundled font is unreadable"));
    });
    result
}

/// The share of the plot's height above the highest value: the legend sits
/// in that band, so it never covers a line (about 55 px of the ~420 px plot).
const LEGEND_BAND: f64 = 0.2;

/// The y axis' top for the highest value `max`: `max` ends below the legend band.
fn y_top(max: f64) -> f64 {
    max.max(1.0) / (1.0 - LEGEND_BAND)
}

/// A y-axis label with thousands separated: `12,500`, `1,234.5`.
fn y_label(v: f64) -> String {
    let whole = crate::progress::thousands(v.trunc().abs() as u64);
    let sign = if v < 0.0 { "-" } else { "" };
    if v.fract() == 0.0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{}",
            format!("{:.1}", v.fract().abs()).trim_start_matches("0.")
        )
    }
}

/// Draws `day` and `compare` per hour into `path` (PNG), titled `title`,
/// the y axis labelled `unit`.
pub fn hourly_png(path: &Path, title: &str, unit: &str, day: &Day, compare: &Day) -> Result<()> {
    register_font()?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder.filter(|f| !f.is_dir()) {
        return Err(crate::exit::Failure::usage(format!(
            "--png {}: the folder {} does not exist; create it first or give another path",
            path.display(),
            folder.display()
        )));
    }
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        return Err(crate::exit::Failure::usage(format!(
            "--png {}: the chart is a PNG file: give a path ending in .png",
            path.display()
        )));
    }
    // Opened first, so an unwritable path is an I/O error naming it.
    std::fs::File::create(path)
        .map_err(|e| crate::exit::Failure::usage(format!("--png {}: {e}", path.display())))?;
    let draw = |e: DrawingAreaErrorKind<_>| {
        anyhow!(
            "writing the chart to {}: {e}; check that the path is writable",
            path.display()
        )
    };
    let values =
        |d: &Day| -> Vec<f64> { d.hours.iter().map(|v| v.to_f64().unwrap_or(0.0)).collect() };
    let (a, b) = (values(day), values(compare));
    let top = y_top(a.iter().chain(&b).copied().fold(0.0, f64::max));
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(draw)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FAMILY, 26))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(100)
        .build_cartesian_2d(0i32..23i32, 0f64..top)
        .map_err(draw)?;
    chart
        .configure_mesh()
        .x_labels(24)
        .x_label_formatter(&|h| format!("{h:02}"))
        .y_label_formatter(&|v| y_label(*v))
        .x_desc("hour")
        .y_desc(unit)
        .label_style((FAMILY, 15))
        .axis_desc_style((FAMILY, 17))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(draw)?;
    // The day first (and in the legend first), the comparison thinner on top.
    for (values, color, width, date) in [
        (&a, DAY_COLOR, 3, day.date),
        (&b, COMPARE_COLOR, 2, compare.date),
    ] {
        chart
            .draw_series(LineSeries::new(
                values.iter().enumerate().map(|(h, v)| (h as i32, *v)),
                color.stroke_width(width),
            ))
            .map_err(draw)?
            .label(date.to_string())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(width))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FAMILY, 16))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(draw)?;
    root.present().map_err(draw)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_labels_separate_thousands() {
        assert_eq!(y_label(0.0), "0");
        assert_eq!(y_label(12_500.0), "12,500");
        assert_eq!(y_label(1_234.5), "1,234.5");
        assert_eq!(y_label(999.0), "999");
    }

    /// Issue 16: the legend sat on the lines. Every value stays below the
    /// band the legend is drawn in.
    #[test]
    fn the_highest_value_ends_below_the_legend_band() {
        for max in [1.0, 7.0, 980.0, 1_234_567.0] {
            let top = y_top(max);
            assert!(max / top <= 1.0 - LEGEND_BAND + 1e-9, "{max} / {top}");
        }
    }
}
