//! Comparisons: the same prompt once per value of one setting (a row), or of two (an X/Y grid
//! like A1111's X/Y plot), one picture per cell, every other setting the same.

use crate::api::{ImageRequest, OutputFormat, Quality, Size, Usage, ValidationError};
use crate::endpoint::Prices;
use serde::{Deserialize, Serialize};

/// The most cells one comparison may have: each is a paid request.
pub const MAX_CELLS: usize = 16;

/// A setting a comparison can vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Quality,
    Size,
    Model,
    Format,
}

impl Setting {
    /// Every setting, in the order the window offers them.
    pub const ALL: [Setting; 4] = [Setting::Quality, Setting::Size, Setting::Model, Setting::Format];

    /// The name used on the command line (`--vary quality=…`).
    pub fn name(self) -> &'static str {
        match self {
            Setting::Quality => "quality",
            Setting::Size => "size",
            Setting::Model => "model",
            Setting::Format => "format",
        }
    }

    fn parse(name: &str) -> Result<Setting, CompareError> {
        Setting::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| CompareError::UnknownSetting(name.trim().to_string()))
    }

    /// Sets this setting of `request` to `value`, checking the value.
    fn apply(self, request: &mut ImageRequest, value: &str) -> Result<(), ValidationError> {
        match self {
            Setting::Quality => request.quality = Quality::parse(value)?,
            Setting::Size => request.size = Size::parse(value)?,
            Setting::Model => request.model = value.trim().to_string(),
            Setting::Format => {
                request.format = OutputFormat::parse(value)?;
                // Compression means nothing to PNG: a form set for JPEG must not spoil the PNG cell.
                if request.format == OutputFormat::Png {
                    request.output_compression = None;
                }
            }
        }
        Ok(())
    }

    /// The setting's name in a sentence, in the interface language: "quality", "质量".
    pub fn word(self) -> &'static str {
        match self {
            Setting::Quality => words::QUALITY(),
            Setting::Size => words::SIZE(),
            Setting::Model => words::MODEL(),
            Setting::Format => words::FORMAT(),
        }
    }

    /// A value as the interface shows it: [`Setting::label`], with quality words translated.
    pub fn display(self, value: &str) -> String {
        match self {
            Setting::Quality => quality_word(&value.trim().to_lowercase()),
            _ => self.label(value),
        }
    }

    /// A value as a label reads: "High", "1536x1024", "gpt-image-2", "PNG".
    pub fn label(self, value: &str) -> String {
        match self {
            Setting::Quality => {
                let mut c = value.trim().chars();
                c.next().map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect()).unwrap_or_default()
            }
            Setting::Format => value.trim().to_uppercase(),
            Setting::Size | Setting::Model => value.trim().to_string(),
        }
    }
}

/// One varied setting and its values, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Axis {
    pub setting: Setting,
    pub values: Vec<String>,
}

impl Axis {
    /// Parses `quality=low,medium,high`.
    pub fn parse(spec: &str) -> Result<Axis, CompareError> {
        let (name, values) = spec.split_once('=').ok_or_else(|| CompareError::Syntax(spec.to_string()))?;
        let setting = Setting::parse(name)?;
        let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
        if values.is_empty() {
            return Err(CompareError::NoValues(setting.name()));
        }
        for (i, v) in values.iter().enumerate() {
            if values[..i].iter().any(|w| w.eq_ignore_ascii_case(v)) {
                return Err(CompareError::Repeated(setting.name(), v.clone()));
            }
        }
        Ok(Axis { setting, values })
    }

    /// Low, Medium, High: the one-click comparison.
    pub fn qualities() -> Axis {
        Axis { setting: Setting::Quality, values: ["low", "medium", "high"].map(String::from).to_vec() }
    }
}

/// One picture of a comparison: where it goes and what to ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub column: usize,
    pub row: usize,
    /// "High", or "High · 1536x1024" in a grid.
    pub label: String,
    pub request: ImageRequest,
}

/// A comparison ready to send: its axes and its cells, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub x: Axis,
    pub y: Option<Axis>,
    pub cells: Vec<Cell>,
}

impl Plan {
    /// Builds every cell from `base` (its n becomes 1) and checks each before anything is sent.
    pub fn new(base: &ImageRequest, x: Axis, y: Option<Axis>, prompt_limit: usize) -> Result<Plan, CompareError> {
        if y.as_ref().is_some_and(|y| y.setting == x.setting) {
            return Err(CompareError::SameSettingTwice(x.setting.name()));
        }
        let rows = y.as_ref().map_or(1, |y| y.values.len());
        if x.values.len() * rows > MAX_CELLS {
            return Err(CompareError::TooMany(x.values.len() * rows));
        }
        let mut cells = Vec::new();
        for row in 0..rows {
            for (column, xv) in x.values.iter().enumerate() {
                let mut request = ImageRequest { n: 1, ..base.clone() };
                let mut label = x.setting.label(xv);
                x.setting.apply(&mut request, xv).map_err(|e| CompareError::Cell(label.clone(), e))?;
                if let Some(y) = &y {
                    let yv = &y.values[row];
                    y.setting.apply(&mut request, yv).map_err(|e| CompareError::Cell(y.setting.label(yv), e))?;
                    label = format!("{label} · {}", y.setting.label(yv));
                }
                request.validate(prompt_limit).map_err(|e| CompareError::Cell(label.clone(), e))?;
                cells.push(Cell { column, row, label, request });
            }
        }
        Ok(Plan { x, y, cells })
    }

    /// What a cell's pictures carry in their metadata, so the comparison can be found again.
    pub fn tag(&self, id: &str, cell: usize) -> Tag {
        let c = &self.cells[cell];
        Tag { id: id.to_string(), column: c.column, row: c.row, x: self.x.clone(), y: self.y.clone() }
    }

    /// The comparison a saved cell belongs to, rebuilt from its request and tag: every cell's
    /// request again, for the missing ones' Retry. The prompt is not checked against a limit:
    /// it was sent once already.
    pub fn from_tag(cell_request: &ImageRequest, tag: &Tag) -> Result<Plan, CompareError> {
        Plan::new(cell_request, tag.x.clone(), tag.y.clone(), usize::MAX)
    }

    /// The position in [`Plan::cells`] of the cell at `column`, `row`.
    pub fn index(&self, column: usize, row: usize) -> Option<usize> {
        self.cells.iter().position(|c| c.column == column && c.row == row)
    }

    /// A cell's label in the interface language: "High · 1536x1024", "高 · 1536x1024".
    pub fn display_label(&self, cell: usize) -> String {
        let words: Vec<String> = self.cell_values(cell).iter().map(|(s, v)| s.display(v)).collect();
        words.join(" · ")
    }

    /// The varied settings of a cell, each with its value as written (`quality`, `"high"`).
    pub fn cell_values(&self, cell: usize) -> Vec<(Setting, String)> {
        let c = &self.cells[cell];
        let mut values = vec![(self.x.setting, self.x.values[c.column].clone())];
        if let Some(y) = &self.y {
            values.push((y.setting, y.values[c.row].clone()));
        }
        values
    }

    /// "a lighthouse at dusk · gpt-image-2": what every cell shares, on one line.
    pub fn title(&self) -> String {
        let first = &self.cells[0].request;
        format!("{} · {}", first.prompt.split_whitespace().collect::<Vec<_>>().join(" "), first.model)
    }

    /// The varied settings: one for a row, two for a grid.
    pub fn settings(&self) -> Vec<Setting> {
        std::iter::once(self.x.setting).chain(self.y.as_ref().map(|y| y.setting)).collect()
    }
}

/// Kept in the metadata of each picture of a comparison: which comparison, which cell, and
/// what was varied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Shared by every cell of one comparison.
    pub id: String,
    pub column: usize,
    pub row: usize,
    pub x: Axis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Axis>,
}

/// Something a cell came back with that is not what was asked: the relay (or the model)
/// did not do as told, and the comparison may not show what it seems to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Size {
        asked: String,
        got: String,
    },
    Format {
        asked: String,
        got: String,
    },
    /// `asked` and `looks_like` are qualities: "low", "medium", "high".
    Quality {
        asked: String,
        looks_like: String,
        tokens: u64,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            Finding::Size { asked, got } => words::size_differs(asked, got),
            Finding::Format { asked, got } => words::format_differs(asked, got),
            Finding::Quality { asked, looks_like, tokens } => {
                words::quality_differs(*tokens, &quality_word(looks_like), &quality_word(asked))
            }
        })
    }
}

impl Finding {
    /// The finding without figures, as the window says it by default: what was asked and what
    /// seems to have been made (the token count is for "More info").
    pub fn plain(&self) -> String {
        match self {
            Finding::Quality { asked, looks_like, .. } => {
                words::quality_looks_like(&quality_word(looks_like), &quality_word(asked))
            }
            other => other.to_string(),
        }
    }
}

/// A quality in the language in use: "Low" or "低" for "low"; one Easel does not know as
/// its label ("Best").
fn quality_word(wire: &str) -> String {
    match wire {
        "low" => words::LOW().into(),
        "medium" => words::MEDIUM().into(),
        "high" => words::HIGH().into(),
        "auto" => words::AUTO().into(),
        _ => Setting::Quality.label(wire),
    }
}

/// A setting's name, as [`CompareError`] keeps it, in a sentence: "quality" or "质量".
fn setting_word(name: &'static str) -> &'static str {
    Setting::ALL.into_iter().find(|s| s.name() == name).map_or(name, Setting::word)
}

/// Compares what came back with what was asked: the real size, the real format, and whether
/// the output tokens fit the quality asked (OpenAI's list prices give the tokens each quality
/// takes; the nearest on a log scale is the quality the picture was most likely made at).
pub fn relay_check(
    asked: &ImageRequest,
    width: u32,
    height: u32,
    format: OutputFormat,
    usage: Option<&Usage>,
    pictures: usize,
) -> Vec<Finding> {
    let mut found = Vec::new();
    if let Some((w, h)) = asked.size.dimensions()
        && (w, h) != (width, height)
        && width > 0
    {
        found.push(Finding::Size { asked: format!("{w}×{h}"), got: format!("{width}×{height}") });
    }
    if format != asked.format {
        found.push(Finding::Format { asked: asked.format.wire().to_uppercase(), got: format.wire().to_uppercase() });
    }
    let tokens = usage.and_then(|u| u.output_tokens).map(|t| t / pictures.max(1) as u64);
    if let (Some(tokens), Some(asked_q)) = (tokens, quality_index(asked.quality))
        && let Some(expected) = expected_tokens(&asked.model, width, height)
        && tokens > 0
    {
        let distance = |e: f64| ((tokens as f64) / e).ln().abs();
        let nearest =
            (0..3).min_by(|&a, &b| distance(expected[a]).total_cmp(&distance(expected[b]))).unwrap_or(asked_q);
        if nearest != asked_q {
            let name = |i: usize| Quality::ALL[i].wire().to_string();
            found.push(Finding::Quality { asked: name(asked_q), looks_like: name(nearest), tokens });
        }
    }
    found
}

/// Low, medium, high as 0, 1, 2; `auto` has no tokens to expect, nor have xhigh and max (no
/// count is published for them).
fn quality_index(q: Quality) -> Option<usize> {
    match q {
        Quality::Low => Some(0),
        Quality::Medium => Some(1),
        Quality::High => Some(2),
        Quality::XHigh | Quality::Max | Quality::Auto => None,
    }
}

/// Output tokens one picture of `width`×`height` takes at low, medium and high, from OpenAI's
/// list prices (what the relay charges is beside the point: the tokens are the model's).
fn expected_tokens(model: &str, width: u32, height: u32) -> Option<[f64; 3]> {
    // The gpt-image-2 family: the published formula, for any size.
    if crate::api::models::rules(model).token_priced {
        let t = |q| crate::api::models::output_tokens(q, width, height) as f64;
        return (width > 0 && height > 0).then(|| [t(Quality::Low), t(Quality::Medium), t(Quality::High)]);
    }
    let prices = Prices::default();
    let p = prices.for_model(model)?;
    let per_token = p.image_out_per_m / 1_000_000.0;
    let area = f64::from(width) * f64::from(height);
    // The wide price for 1536×1024 or its portrait twin; the square one scaled by area otherwise.
    let (table, base) = if width != height && width.max(height) == 1536 && width.min(height) == 1024 {
        (p.wide, 1536.0 * 1024.0)
    } else {
        (p.square, 1024.0 * 1024.0)
    };
    (area > 0.0).then(|| table.map(|usd| usd / per_token * area / base))
}

/// Why a comparison cannot be made, in words that name what to change.
#[derive(Debug, Clone, PartialEq)]
pub enum CompareError {
    Syntax(String),
    UnknownSetting(String),
    NoValues(&'static str),
    Repeated(&'static str, String),
    SameSettingTwice(&'static str),
    TooMany(usize),
    Cell(String, ValidationError),
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use CompareError::*;
        f.write_str(&match self {
            Syntax(t) => words::syntax(t),
            UnknownSetting(t) => words::unknown_setting(t),
            NoValues(s) => words::no_values(setting_word(s), s),
            Repeated(s, v) => words::repeated(v, setting_word(s)),
            SameSettingTwice(s) => words::same_setting_twice(setting_word(s)),
            TooMany(n) => words::too_many(*n, MAX_CELLS),
            Cell(label, e) => words::cell(label, &e.to_string()),
        })
    }
}

impl std::error::Error for CompareError {}

/// Every word of comparisons, in every language.
mod words {
    crate::texts! { FIXED;
        // A setting in a sentence: "Use this quality".
        QUALITY => "quality", "质量";
        SIZE => "size", "尺寸";
        MODEL => "model", "模型";
        FORMAT => "format", "格式";
        // Qualities.
        LOW => "Low", "低";
        MEDIUM => "Medium", "中";
        HIGH => "High", "高";
        AUTO => "Auto", "自动";
    }

    crate::formats! { WITH_VALUES;
        /// A relay check's findings.
        size_differs(asked: &str, got: &str) => "Asked for {asked}, came back {got}.", "请求的是 {asked}，实际返回 {got}。";
        format_differs(asked: &str, got: &str) => "Asked for {asked}, came back as {got}.",
            "请求的是 {asked}，实际返回的是 {got} 格式。";
        /// Why a comparison cannot be made.
        syntax(text: &str) => "“{text}” is not a setting to vary; write it as quality=low,medium,high (settings: quality, size, model, format).",
            "“{text}”不是可改变的设置；请写成 quality=low,medium,high（可改变的设置：quality、size、model、format）。";
        unknown_setting(text: &str) => "“{text}” cannot be varied; vary quality, size, model or format.",
            "无法对比“{text}”；请对比 quality、size、model 或 format。";
        /// `name` is the setting as the command line writes it.
        no_values(setting: &str, name: &str) => "Give at least one value for {setting}, such as {name}=a,b.",
            "请为{setting}至少给出一个值，例如 {name}=a,b。";
        repeated(value: &str, setting: &str) => "{value} is listed twice for {setting}.", "{value} 在{setting}中出现了两次。";
        same_setting_twice(setting: &str) => "{setting} is varied twice; vary two different settings for a grid.",
            "{setting}被改变了两次；网格需要改变两个不同的设置。";
        too_many(n: usize, max: usize) => "That is {n} pictures; a comparison can have at most {max}. Use fewer values.",
            "这是 {n} 张图片；一组对比最多 {max} 张。请减少取值。";
        cell(label: &str, error: &str) => "The {label} picture cannot be made: {error}", "无法生成“{label}”这张图片：{error}";
        quality_looks_like(looks_like: &str, asked: &str) => "This looks like {looks_like} quality, not {asked}: the service may not have made the quality asked for.",
            "看起来像“{looks_like}”质量，而不是“{asked}”：服务可能没有按要求的质量生成。";
    }

    crate::plurals! { COUNTED;
        /// The quality a picture's output tokens point to, when it is not the one asked for.
        quality_differs(tokens: u64, looks_like: &str, asked: &str) => "Its {tokens} output token is what {looks_like} quality costs, not {asked}: the relay may not have used the quality asked for.",
            "Its {tokens} output tokens are what {looks_like} quality costs, not {asked}: the relay may not have used the quality asked for.",
            "它的 {tokens} 个输出 token 相当于“{looks_like}”质量的用量，而不是“{asked}”：中转可能没有按要求的质量生成。";
    }

    crate::translated!(FIXED, WITH_VALUES, COUNTED);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ImageRequest {
        ImageRequest { n: 4, ..ImageRequest::new("a lighthouse") }
    }

    #[test]
    fn a_row_of_qualities() {
        let plan = Plan::new(&base(), Axis::parse("quality=low, Medium ,HIGH").unwrap(), None, 1000).unwrap();
        let got: Vec<_> =
            plan.cells.iter().map(|c| (c.column, c.row, c.label.as_str(), c.request.quality, c.request.n)).collect();
        assert_eq!(
            got,
            [(0, 0, "Low", Quality::Low, 1), (1, 0, "Medium", Quality::Medium, 1), (2, 0, "High", Quality::High, 1)]
        );
        assert!(plan.cells.iter().all(|c| c.request.prompt == "a lighthouse"));
        assert_eq!(
            Plan::new(&base(), Axis::qualities(), None, 1000).unwrap().cells,
            plan.cells,
            "the one-click comparison"
        );
    }

    #[test]
    fn an_xy_grid_row_by_row() {
        let x = Axis::parse("quality=low,high").unwrap();
        let y = Axis::parse("size=1024x1024,1536x1024").unwrap();
        let plan = Plan::new(&base(), x, Some(y), 1000).unwrap();
        let got: Vec<_> = plan.cells.iter().map(|c| (c.column, c.row, c.label.clone(), c.request.size)).collect();
        assert_eq!(
            got,
            [
                (0, 0, "Low · 1024x1024".to_string(), Size::Square),
                (1, 0, "High · 1024x1024".to_string(), Size::Square),
                (0, 1, "Low · 1536x1024".to_string(), Size::Landscape),
                (1, 1, "High · 1536x1024".to_string(), Size::Landscape),
            ]
        );
    }

    #[test]
    fn mistakes_are_found_before_sending() {
        let q = || Axis::parse("quality=low").unwrap();
        assert!(matches!(Axis::parse("quality"), Err(CompareError::Syntax(_))));
        assert!(matches!(Axis::parse("steps=10,20"), Err(CompareError::UnknownSetting(_))));
        assert!(matches!(Axis::parse("size="), Err(CompareError::NoValues("size"))));
        assert!(matches!(Axis::parse("quality=low,LOW"), Err(CompareError::Repeated(..))));
        assert!(matches!(Plan::new(&base(), q(), Some(q()), 1000), Err(CompareError::SameSettingTwice("quality"))));
        let many = Axis::parse("size=1024x1024,1536x1024,1024x1536,auto,1280x720").unwrap();
        assert!(matches!(
            Plan::new(&base(), Axis::parse("model=a,b,c,d").unwrap(), Some(many), 1000),
            Err(CompareError::TooMany(20))
        ));
        let e = Plan::new(&base(), Axis::parse("quality=low,best").unwrap(), None, 1000).unwrap_err().to_string();
        assert!(e.contains("Best") && e.contains("cannot be made"), "{e}");
        let e = Plan::new(&ImageRequest::new("x".repeat(2000)), q(), None, 1000).unwrap_err().to_string();
        assert!(e.contains("1000") || e.contains("1,000"), "{e}");
    }

    #[test]
    fn a_tag_rebuilds_its_comparison() {
        let x = Axis::parse("quality=low,high").unwrap();
        let y = Axis::parse("format=png,webp").unwrap();
        let plan = Plan::new(&base(), x, Some(y), 1000).unwrap();
        let tag = plan.tag("c1", 3);
        assert_eq!((tag.column, tag.row), (1, 1));
        let json = serde_json::to_string(&tag).unwrap();
        let back: Tag = serde_json::from_str(&json).unwrap();
        let again = Plan::from_tag(&plan.cells[3].request, &back).unwrap();
        assert_eq!(again.cells, plan.cells, "any cell's request and the tag give every cell back");
        assert_eq!(again.index(1, 1), Some(3));
    }

    #[test]
    fn the_relay_check_says_what_was_not_honoured() {
        let asked = ImageRequest {
            quality: Quality::High,
            size: Size::Landscape,
            format: OutputFormat::Webp,
            ..ImageRequest::new("x")
        };
        // gpt-image-2 at 1536x1024: low 0.005 / 30 per M = 167 tokens, high 0.165 → 5,500.
        let usage = |t| Usage { output_tokens: Some(t), ..Usage::default() };
        assert!(relay_check(&asked, 1536, 1024, OutputFormat::Webp, Some(&usage(5400)), 1).is_empty());
        assert!(relay_check(&asked, 1536, 1024, OutputFormat::Webp, None, 1).is_empty(), "no tokens, nothing to say");
        let found = relay_check(&asked, 1024, 1024, OutputFormat::Png, Some(&usage(200)), 1);
        let words: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(words.len(), 3, "{words:?}");
        assert_eq!(words[0], "Asked for 1536×1024, came back 1024×1024.");
        assert_eq!(words[1], "Asked for WEBP, came back as PNG.");
        assert!(
            words[2].contains("200 output tokens") && words[2].contains("Low quality") && words[2].contains("not High"),
            "{}",
            words[2]
        );
        // Tokens are per request: two pictures of 2,000 tokens each are medium, not high.
        let medium = ImageRequest { quality: Quality::Medium, ..ImageRequest::new("x") };
        assert!(relay_check(&medium, 1024, 1024, OutputFormat::Png, Some(&usage(3500)), 2).is_empty());
        let auto = ImageRequest { quality: Quality::Auto, size: Size::Auto, ..ImageRequest::new("x") };
        assert!(
            relay_check(&auto, 1024, 1536, OutputFormat::Png, Some(&usage(10)), 1).is_empty(),
            "auto promises nothing"
        );
        let unknown = ImageRequest { model: "my-model".into(), quality: Quality::High, ..ImageRequest::new("x") };
        assert!(relay_check(&unknown, 1024, 1024, OutputFormat::Png, Some(&usage(10)), 1).is_empty());
    }

    #[test]
    fn findings_and_mistakes_speak_the_interface_language() {
        use crate::i18n::{Lang, with};
        let f = Finding::Quality { asked: "high".into(), looks_like: "low".into(), tokens: 200 };
        assert!(with(Lang::ZhCn, || f.to_string()).contains("“低”质量"));
        assert!(with(Lang::En, || f.to_string()).contains("what Low quality costs, not High"));
        let e = Axis::parse("quality=").unwrap_err();
        assert_eq!(with(Lang::ZhCn, || e.to_string()), "请为质量至少给出一个值，例如 quality=a,b。");
    }

    #[test]
    fn a_format_row_from_a_jpeg_form_drops_compression_for_png() {
        let jpeg = ImageRequest { format: OutputFormat::Jpeg, output_compression: Some(80), ..ImageRequest::new("x") };
        let plan = Plan::new(&jpeg, Axis::parse("format=png,jpeg,webp").unwrap(), None, 1000).unwrap();
        let compression: Vec<_> = plan.cells.iter().map(|c| c.request.output_compression).collect();
        assert_eq!(compression, [None, Some(80), Some(80)]);
    }
}
