//! Dimensions: free text as written → structured `{part, kind, value, unit}`.
//!
//! Museums write measurements in many styles (`纵23.7厘米，横20.6厘米`,
//! `37x47 徑32`, `12 1/2 x 9 in. (31.8 x 22.9 cm)`, `support: 610 x 508 mm`).
//! The text is always kept as written; the parsed list is normalised to
//! millimetres, grams or seconds for range search and sorting.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod lexer;

use lexer::{Group, Label, Tok, group, lex};

/// What a measurement measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DimensionKind {
    Height,
    Width,
    Depth,
    Length,
    Thickness,
    Diameter,
    Circumference,
    Weight,
    Duration,
    /// A size whose direction the text does not say.
    Size,
}

/// A unit as entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Mm,
    Cm,
    M,
    In,
    Ft,
    G,
    Kg,
    Lb,
    Oz,
    S,
    Min,
    H,
}

/// The quantity a unit measures, and so what it normalises to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// millimetres
    Length,
    /// grams
    Mass,
    /// seconds
    Time,
}

impl Unit {
    pub fn quantity(self) -> Quantity {
        match self {
            Unit::Mm | Unit::Cm | Unit::M | Unit::In | Unit::Ft => Quantity::Length,
            Unit::G | Unit::Kg | Unit::Lb | Unit::Oz => Quantity::Mass,
            Unit::S | Unit::Min | Unit::H => Quantity::Time,
        }
    }

    /// Factor to the base unit of its quantity (mm, g, s).
    pub fn to_base(self) -> f64 {
        match self {
            Unit::Mm => 1.0,
            Unit::Cm => 10.0,
            Unit::M => 1000.0,
            Unit::In => 25.4,
            Unit::Ft => 304.8,
            Unit::G => 1.0,
            Unit::Kg => 1000.0,
            Unit::Lb => 453.592_37,
            Unit::Oz => 28.349_523_125,
            Unit::S => 1.0,
            Unit::Min => 60.0,
            Unit::H => 3600.0,
        }
    }

    /// Recognises a unit word in Latin or Chinese script (already NFKC-folded).
    pub fn from_word(word: &str) -> Option<Unit> {
        let w = word.trim_end_matches('.').to_ascii_lowercase();
        Some(match w.as_str() {
            "mm" | "毫米" | "公厘" | "公釐" => Unit::Mm,
            "cm" | "cms" | "厘米" | "釐米" | "公分" => Unit::Cm,
            "m" | "米" | "公尺" => Unit::M,
            "in" | "inch" | "inches" => Unit::In,
            "ft" | "foot" | "feet" => Unit::Ft,
            "g" | "gr" | "克" | "公克" => Unit::G,
            "kg" | "千克" | "公斤" => Unit::Kg,
            "lb" | "lbs" | "pound" | "pounds" => Unit::Lb,
            "oz" | "ounce" | "ounces" => Unit::Oz,
            "s" | "sec" | "secs" | "second" | "seconds" | "秒" => Unit::S,
            "min" | "mins" | "minute" | "minutes" | "分钟" | "分鐘" => Unit::Min,
            "h" | "hr" | "hrs" | "hour" | "hours" | "小时" | "小時" => Unit::H,
            _ => return None,
        })
    }
}

/// One structured measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dimension {
    /// The part measured as the text names it (`support`, `frame`, `口`, `足`); none for the whole object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    pub kind: DimensionKind,
    /// The value as entered, in `unit`.
    pub value: f64,
    pub unit: Unit,
    /// True where the text says the value is approximate (`约`, `approx.`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// The value in millimetres (lengths), grams (weights) or seconds (durations), for search and sorting.
    #[serde(default)]
    pub normalised: f64,
}

impl Dimension {
    pub fn new(part: Option<String>, kind: DimensionKind, value: f64, unit: Unit, approximate: bool) -> Self {
        let mut d = Dimension { part, kind, value, unit, approximate, normalised: 0.0 };
        d.normalised = d.normalised();
        d
    }

    /// The value in millimetres, grams or seconds.
    pub fn normalised(&self) -> f64 {
        round3(self.value * self.unit.to_base())
    }

    /// Checks a structured value given directly (not parsed from text).
    pub fn validate(&self) -> Result<(), String> {
        if !self.value.is_finite() || self.value <= 0.0 {
            return Err(format!("value must be a positive number, got {}", self.value));
        }
        let expected = match self.kind {
            DimensionKind::Weight => Quantity::Mass,
            DimensionKind::Duration => Quantity::Time,
            _ => Quantity::Length,
        };
        if self.unit.quantity() != expected {
            return Err(format!("unit {:?} does not measure a {:?}", self.unit, self.kind).to_lowercase());
        }
        Ok(())
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// What the parser made of a dimension text.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// One or more measurements were read.
    Measured(Vec<Dimension>),
    /// The text says there is no measurement (`待測量`, `Dimensions variable`).
    NotMeasured,
    /// Nothing could be read; the reason says why.
    Unreadable(Unreadable),
}

/// Why a text gives no measurement. Shown in English by `Display` (the API, the command
/// line, import reports), and in the museum's words by [`Unreadable::zh`].
#[derive(Debug, Clone, PartialEq)]
pub enum Unreadable {
    NoNumber,
    Negative(f64),
    /// A number without a unit, and none nearby to lend it one.
    NoUnit(f64),
    NothingPositive,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::NoNumber => write!(f, "no number in the text"),
            Unreadable::Negative(n) => write!(f, "negative measurement -{}", fmt_num(*n)),
            Unreadable::NoUnit(n) => {
                let n = fmt_num(*n);
                write!(f, "no unit for {n}: write one, e.g. `{n} cm` or `{n}厘米`")
            }
            Unreadable::NothingPositive => write!(f, "no positive measurement in the text"),
        }
    }
}

impl Unreadable {
    /// The reason in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Unreadable::NoNumber => "文字中没有数字".into(),
            Unreadable::Negative(n) => format!("尺寸不能为负数（-{}）", fmt_num(*n)),
            Unreadable::NoUnit(n) => {
                let n = fmt_num(*n);
                format!("{n} 没有单位，请写明，如“{n}厘米”或“{n} cm”")
            }
            Unreadable::NothingPositive => "文字中没有大于零的尺寸".into(),
        }
    }
}

/// Parse options: the unit to assume where the text gives none.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Palace Museum records write `37x47 徑32` with centimetres implied.
    pub implied_unit: Option<Unit>,
}

/// Phrases that state there is no measurement to give.
const NOT_MEASURED: &[&str] = &[
    "待测量",
    "待測量",
    "未测量",
    "未測量",
    "无法测量",
    "無法測量",
    "无法量",
    "無法量",
    "已散",
    "不详",
    "不詳",
    "dimensions variable",
    "dimension variable",
    "dimensions vary",
    "variable",
    "various",
    "varies",
    "see child records",
    "not measured",
    "unknown",
    "n/a",
    "invisible",
];

/// Parses a dimension text.
pub fn parse(text: &str, opts: ParseOptions) -> Parsed {
    let norm: String = crate::model::text::nfkc(text).into_owned();
    let tokens = lex(&norm);
    let has_number = tokens.iter().any(|t| matches!(t, Tok::Num(_)));
    if !has_number {
        let lower = norm.to_lowercase();
        if NOT_MEASURED.iter().any(|p| lower.contains(p)) || lower.trim().is_empty() {
            return Parsed::NotMeasured;
        }
        return Parsed::Unreadable(Unreadable::NoNumber);
    }
    let groups = group(&tokens);
    let mut out = Vec::new();
    let mut last_unit: Option<Unit> = None;
    let mut prev: Option<&Group> = None;
    for (i, g) in groups.iter().enumerate() {
        if g.negative {
            return Parsed::Unreadable(Unreadable::Negative(g.values[0].0));
        }
        // `12 x 9 in. (30.5 x 22.9 cm)`: the bracketed group restates the previous one.
        if g.in_paren
            && g.label.trim().is_empty()
            && let Some(p) = prev
            && (p.unit.is_some() || !p.values.is_empty())
        {
            prev = Some(g);
            continue;
        }
        let label = Label::read(&g.label);
        let own = g.unit.or_else(|| g.values.iter().find_map(|v| v.1));
        // A weight without a unit of its own (`全重1081.0`) is in grams, as the registers that
        // write it mean; the lengths around it do not lend it theirs.
        let weighs = !label.kinds.is_empty() && label.kinds.iter().all(|k| *k == DimensionKind::Weight);
        let unit = if weighs && own.is_none() {
            Some(Unit::G)
        } else {
            own.or_else(|| groups[i + 1..].iter().filter(|n| !n.in_paren).find_map(|n| n.unit))
                .or(last_unit)
                .or(opts.implied_unit)
        };
        let Some(unit) = unit else {
            return Parsed::Unreadable(Unreadable::NoUnit(g.values[0].0));
        };
        if !weighs {
            last_unit = Some(unit);
        }
        let n = g.values.len();
        for (k, &(value, own_unit)) in g.values.iter().enumerate() {
            if value <= 0.0 {
                continue;
            }
            let unit = own_unit.unwrap_or(unit);
            let kind = match unit.quantity() {
                Quantity::Mass => DimensionKind::Weight,
                Quantity::Time => DimensionKind::Duration,
                Quantity::Length => label.kind_at(k, n),
            };
            out.push(Dimension::new(label.part.clone(), kind, round3(value), unit, label.approximate));
        }
        prev = Some(g);
    }
    if out.is_empty() { Parsed::Unreadable(Unreadable::NothingPositive) } else { Parsed::Measured(out) }
}

fn fmt_num(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Carnegie Museum of Art records give dimensions as an object of inches
/// (`{"item_height": 13.0, "item_width": 5.875}`).
pub fn from_inch_fields(fields: &serde_json::Map<String, serde_json::Value>) -> Vec<Dimension> {
    let mut out = Vec::new();
    for (key, value) in fields {
        let Some(v) = value.as_f64().filter(|v| *v > 0.0) else { continue };
        let (part, dir) = key.rsplit_once('_').unwrap_or(("", key.as_str()));
        let kind = match dir {
            "height" => DimensionKind::Height,
            "width" => DimensionKind::Width,
            "depth" => DimensionKind::Depth,
            "diameter" => DimensionKind::Diameter,
            "length" => DimensionKind::Length,
            _ => DimensionKind::Size,
        };
        let part = match part {
            "" | "item" => None,
            p => Some(p.replace('_', " ")),
        };
        out.push(Dimension::new(part, kind, v, Unit::In, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(text: &str) -> Vec<(Option<String>, DimensionKind, f64, Unit)> {
        dims_with(text, ParseOptions::default())
    }

    fn dims_with(text: &str, opts: ParseOptions) -> Vec<(Option<String>, DimensionKind, f64, Unit)> {
        match parse(text, opts) {
            Parsed::Measured(d) => d.into_iter().map(|d| (d.part, d.kind, d.value, d.unit)).collect(),
            other => panic!("{text:?} → {other:?}"),
        }
    }

    use DimensionKind::*;

    #[test]
    fn chinese_painting_height_and_width() {
        assert_eq!(dims("纵23.7厘米，横20.6厘米"), vec![(None, Height, 23.7, Unit::Cm), (None, Width, 20.6, Unit::Cm)]);
        assert_eq!(dims("縱64公分 橫24.5公分"), vec![(None, Height, 64.0, Unit::Cm), (None, Width, 24.5, Unit::Cm)]);
    }

    #[test]
    fn chinese_single_and_overall_heights() {
        assert_eq!(dims("高45厘米"), vec![(None, Height, 45.0, Unit::Cm)]);
        assert_eq!(dims("通高12.5cm"), vec![(Some("overall".into()), Height, 12.5, Unit::Cm)]);
        assert_eq!(dims("口徑12.8公分"), vec![(Some("口".into()), Diameter, 12.8, Unit::Cm)]);
    }

    #[test]
    fn latin_products_read_height_width_depth() {
        assert_eq!(dims("45×30 cm"), vec![(None, Height, 45.0, Unit::Cm), (None, Width, 30.0, Unit::Cm)]);
        assert_eq!(
            dims("45 x 30 x 12 cm"),
            vec![(None, Height, 45.0, Unit::Cm), (None, Width, 30.0, Unit::Cm), (None, Depth, 12.0, Unit::Cm)]
        );
    }

    #[test]
    fn palace_museum_style_uses_the_implied_unit() {
        let opts = ParseOptions { implied_unit: Some(Unit::Cm) };
        assert_eq!(
            dims_with("37x47 徑32", opts),
            vec![(None, Height, 37.0, Unit::Cm), (None, Width, 47.0, Unit::Cm), (None, Diameter, 32.0, Unit::Cm)]
        );
        assert!(matches!(parse("37x47 徑32", ParseOptions::default()), Parsed::Unreadable(_)));
    }

    #[test]
    fn english_labels_fractions_and_restated_metric() {
        assert_eq!(dims("H. 12 in."), vec![(None, Height, 12.0, Unit::In)]);
        assert_eq!(
            dims("12 1/2 x 9 in. (31.8 x 22.9 cm)"),
            vec![(None, Height, 12.5, Unit::In), (None, Width, 9.0, Unit::In)]
        );
        assert_eq!(
            dims("support: 610 x 508 mm"),
            vec![(Some("support".into()), Height, 610.0, Unit::Mm), (Some("support".into()), Width, 508.0, Unit::Mm)]
        );
        assert_eq!(
            dims("plate: 10 1/2 × 4 11/16\" (26.7 × 11.9 cm); sheet: 12 15/16 × 9 15/16\" (32.8 × 25.3 cm)").len(),
            4
        );
        assert_eq!(dims("6' 3\" x 60\" (190.5 x 152.3 cm)")[0], (None, Height, 75.0, Unit::In));
    }

    #[test]
    fn weights_and_durations() {
        assert_eq!(dims("1.2千克"), vec![(None, Weight, 1.2, Unit::Kg)]);
        assert_eq!(dims("350 g"), vec![(None, Weight, 350.0, Unit::G)]);
        assert_eq!(dims("全重260.1公克"), vec![(Some("overall".into()), Weight, 260.1, Unit::G)]);
        // A unitless weight among lengths is in grams, not in the lengths' unit.
        let opts = ParseOptions { implied_unit: Some(Unit::Cm) };
        assert_eq!(
            dims_with("通高15.0公分 像高11.7公分 全重1081.0(含座)", opts),
            vec![
                (Some("overall".into()), Height, 15.0, Unit::Cm),
                (Some("像".into()), Height, 11.7, Unit::Cm),
                (Some("overall".into()), Weight, 1081.0, Unit::G),
            ]
        );
        assert_eq!(dims("1:18 min.")[0].1, Duration);
    }

    #[test]
    fn normalises_to_millimetres_and_grams() {
        let Parsed::Measured(d) = parse("12 1/2 x 9 in.", ParseOptions::default()) else { panic!() };
        assert_eq!(d[0].normalised(), 317.5);
        let Parsed::Measured(d) = parse("1.2千克", ParseOptions::default()) else { panic!() };
        assert_eq!(d[0].normalised(), 1200.0);
    }

    #[test]
    fn recognises_texts_that_give_no_measurement() {
        for t in ["待測量", "Dimensions variable", "dimensions vary", "\n", "Overall display dimensions variable"] {
            assert_eq!(parse(t, ParseOptions::default()), Parsed::NotMeasured, "{t:?}");
        }
    }

    #[test]
    fn rejects_negative_and_unitless_values() {
        assert!(
            matches!(parse("-5 cm", ParseOptions::default()), Parsed::Unreadable(m) if m.to_string().contains("negative"))
        );
        assert!(
            matches!(parse("45", ParseOptions::default()), Parsed::Unreadable(m) if m.to_string().contains("no unit"))
        );
        let Parsed::Unreadable(m) = parse("45", ParseOptions::default()) else { panic!("45 has no unit") };
        assert_eq!(m.zh(), "45 没有单位，请写明，如“45厘米”或“45 cm”");
        let Parsed::Unreadable(m) = parse("tall", ParseOptions::default()) else { panic!("no number") };
        assert_eq!((m.to_string().as_str(), m.zh().as_str()), ("no number in the text", "文字中没有数字"));
        assert!(matches!(parse("tall", ParseOptions::default()), Parsed::Unreadable(_)));
    }

    #[test]
    fn carnegie_inch_fields_convert() {
        let v: serde_json::Value = serde_json::json!({"item_height": 13.0, "item_width": 5.875});
        let d = from_inch_fields(v.as_object().unwrap());
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].kind, Height);
        assert_eq!(d[0].normalised(), 330.2);
        assert_eq!(d[1].normalised(), 149.225);
    }
}
