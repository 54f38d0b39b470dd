//! Charts of the panel: one canonical indicator's target against its outcome over the years,
//! for one or several governments, as SVG and PNG (plotters).
//!
//! Text is laid out with a font registered from a file (pure Rust, `ab_glyph`), so no system
//! font library is needed; the default is Debian's `fonts-wqy-microhei`, which draws Chinese.
//! The PNG is drawn into a pixel buffer and encoded by the `png` crate.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::ResearchError;
use crate::panel::PanelRow;

/// The font used when none is given (Debian's fonts-wqy-microhei).
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// The largest font file read (64 MiB).
const MAX_FONT_BYTES: u64 = 64 << 20;

/// What to chart.
#[derive(Debug, Clone)]
pub struct ChartSpec {
    /// The canonical indicator's code (`gdp`).
    pub code: String,
    /// The governments, one line pair each.
    pub governments: Vec<String>,
    /// First and last year shown, where given.
    pub from: Option<i32>,
    /// The last year.
    pub to: Option<i32>,
    /// The font file for the labels.
    pub font: PathBuf,
}

/// One government's points: targets and outcomes by year.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The government.
    pub government: String,
    /// (year, target value).
    pub targets: Vec<(i32, f64)>,
    /// (year, outcome value).
    pub outcomes: Vec<(i32, f64)>,
}

/// The data of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// The title.
    pub title: String,
    /// The unit of the values (the targets' most common one).
    pub unit: String,
    /// One series a government.
    pub series: Vec<Series>,
}

/// A unit as compared on a chart: full-width ％ is %.
fn unit_key(u: &str) -> String {
    u.trim().replace('％', "%")
}

/// The points of a chart from the panel: rows of the indicator stated its usual way, in the
/// most common unit of its targets (full-width and half-width % alike).
///
/// # Errors
/// [`ResearchError::Empty`] for an unknown indicator or one with no point to draw.
pub fn data(rows: &[PanelRow], spec: &ChartSpec) -> Result<ChartData, ResearchError> {
    let ind = duban_core::indicator::by_code(&spec.code)
        .ok_or_else(|| ResearchError::Empty(format!("未知的标准指标代码「{}」", spec.code)))?;
    let in_range = |y: i32| spec.from.is_none_or(|f| y >= f) && spec.to.is_none_or(|t| y <= t);
    let chosen: Vec<&PanelRow> = rows
        .iter()
        .filter(|r| r.code == ind.code && r.measure == ind.usual && in_range(r.year))
        .filter(|r| spec.governments.is_empty() || spec.governments.contains(&r.government))
        .collect();
    let mut units: Vec<(String, usize)> = Vec::new();
    for r in &chosen {
        let u = r
            .target
            .as_ref()
            .map(|t| unit_key(&t.unit))
            .or_else(|| r.outcome.as_ref().map(|o| unit_key(&o.1)));
        if let Some(u) = u {
            match units.iter_mut().find(|(x, _)| *x == u) {
                Some((_, n)) => *n += 1,
                None => units.push((u, 1)),
            }
        }
    }
    let unit = units
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(u, _)| u.clone())
        .unwrap_or_default();
    let mut governments: Vec<String> = spec.governments.clone();
    if governments.is_empty() {
        for r in &chosen {
            if !governments.contains(&r.government) {
                governments.push(r.government.clone());
            }
        }
    }
    let series: Vec<Series> = governments
        .iter()
        .map(|g| {
            let mine = chosen.iter().filter(|r| &r.government == g);
            Series {
                government: g.clone(),
                targets: mine
                    .clone()
                    .filter_map(|r| {
                        r.target
                            .as_ref()
                            .filter(|t| unit_key(&t.unit) == unit)
                            .map(|t| (r.year, t.value))
                    })
                    .collect(),
                outcomes: mine
                    .filter_map(|r| {
                        r.outcome
                            .as_ref()
                            .filter(|o| unit_key(&o.1) == unit)
                            .map(|o| (r.year, o.0))
                    })
                    .collect(),
            }
        })
        .collect();
    if series
        .iter()
        .all(|s| s.targets.is_empty() && s.outcomes.is_empty())
    {
        return Err(ResearchError::Empty(format!(
            "面板中没有{}（{}）的目标或完成值可画",
            ind.name, ind.code
        )));
    }
    let way = match ind.usual {
        duban_core::indicator::Measure::Increase => "增长",
        duban_core::indicator::Measure::Decrease => "下降",
        duban_core::indicator::Measure::Level => "",
    };
    Ok(ChartData {
        title: format!("{}{}：目标与完成", ind.name, way),
        unit,
        series,
    })
}

fn register_font(path: &Path) -> Result<(), ResearchError> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    let r = DONE.get_or_init(|| {
        let size = std::fs::metadata(path)
            .map_err(|e| {
                format!(
                    "{}：无法读取字体（{e}）；请安装 fonts-wqy-microhei 或用 --font 指定中文字体",
                    path.display()
                )
            })?
            .len();
        if size > MAX_FONT_BYTES {
            return Err(format!("{}：字体文件过大", path.display()));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{}：{e}", path.display()))?;
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        plotters::style::register_font("sans-serif", FontStyle::Normal, bytes)
            .map_err(|_| format!("{}：不是可用的 TrueType/OpenType 字体", path.display()))
    });
    r.clone().map_err(ResearchError::Empty)
}

const COLOURS: [RGBColor; 6] = [
    RGBColor(0xc0, 0x39, 0x2b),
    RGBColor(0x1f, 0x5f, 0xa8),
    RGBColor(0x27, 0x8a, 0x4b),
    RGBColor(0x8e, 0x44, 0xad),
    RGBColor(0xd3, 0x84, 0x00),
    RGBColor(0x55, 0x55, 0x55),
];

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &ChartData,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let points = d
        .series
        .iter()
        .flat_map(|s| s.targets.iter().chain(&s.outcomes));
    let (mut x0, mut x1, mut y0, mut y1) = (i32::MAX, i32::MIN, f64::MAX, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let pad = ((y1 - y0) * 0.1).max(0.5);
    let (y0, y1) = (if y0 >= 0.0 { 0.0 } else { y0 - pad }, y1 + pad);
    let mut chart = ChartBuilder::on(root)
        .caption(&d.title, ("sans-serif", 30))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((x0 - 1)..(x1 + 1), y0..y1)?;
    let unit = if d.unit.is_empty() {
        String::new()
    } else {
        format!("（{}）", d.unit)
    };
    chart
        .configure_mesh()
        .x_desc("年度")
        .y_desc(format!("数值{unit}"))
        .x_label_formatter(&|y| y.to_string())
        .label_style(("sans-serif", 18))
        .axis_desc_style(("sans-serif", 20))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;
    for (i, s) in d.series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let many = d.series.len() > 1;
        let who = if many {
            format!("{} ", s.government)
        } else {
            String::new()
        };
        chart
            .draw_series(DashedLineSeries::new(
                s.targets.iter().copied(),
                8,
                5,
                colour.stroke_width(2),
            ))?
            .label(format!("{who}目标（虚线、三角）"))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (20, 0)], colour.stroke_width(1))
                    + TriangleMarker::new((10, 0), 6, colour.filled())
            });
        chart.draw_series(
            s.targets
                .iter()
                .map(|&p| TriangleMarker::new(p, 6, colour.filled())),
        )?;
        chart
            .draw_series(LineSeries::new(
                s.outcomes.iter().copied(),
                colour.stroke_width(3),
            ))?
            .label(format!("{who}完成（实线、圆点）"))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (20, 0)], colour.stroke_width(3))
                    + Circle::new((10, 0), 4, colour.filled())
            });
        chart.draw_series(
            s.outcomes
                .iter()
                .map(|&p| Circle::new(p, 4, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 18))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    root.present()
}

/// Draws the chart as `STEM.svg` and `STEM.png` (1200 × 700 pixels). Returns both paths.
///
/// # Errors
/// [`ResearchError::Empty`] when the font cannot be read, [`ResearchError::Chart`] or
/// [`ResearchError::Io`] naming the file.
pub fn write(d: &ChartData, stem: &Path, font: &Path) -> Result<[PathBuf; 2], ResearchError> {
    register_font(font)?;
    let (w, h) = (1200u32, 700u32);
    let svg = stem.with_extension("svg");
    let png = stem.with_extension("png");
    let chart_err = |p: &Path, e: String| ResearchError::Chart {
        path: p.to_owned(),
        message: e,
    };
    {
        let root = SVGBackend::new(&svg, (w, h)).into_drawing_area();
        draw(&root, d).map_err(|e| chart_err(&svg, e.to_string()))?;
    }
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw(&root, d).map_err(|e| chart_err(&png, e.to_string()))?;
    }
    let file = File::create(&png).map_err(|e| ResearchError::io(&png, e))?;
    let mut enc = png::Encoder::new(BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc
        .write_header()
        .map_err(|e| chart_err(&png, e.to_string()))?;
    writer
        .write_image_data(&buf)
        .map_err(|e| chart_err(&png, e.to_string()))?;
    writer
        .finish()
        .map_err(|e| chart_err(&png, e.to_string()))?;
    Ok([svg, png])
}
