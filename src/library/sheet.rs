//! The comparison sheet: one PNG with every cell of a comparison and its labels, for sharing.
//!
//! The layout is computed first, as data ([`layout`]), then drawn ([`render`]), so that the labels can be
//! checked through the data and the pixels by decoding the PNG.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use image::{Rgba, RgbaImage, imageops};

/// Space around the sheet's content, in pixels.
pub const MARGIN: u32 = 24;
/// Space between cells, and between the header column and the first column.
pub const GAP: u32 = 16;
/// Pixel height of the title.
pub const TITLE_SIZE: u32 = 26;
/// Space under the title band.
pub const TITLE_GAP: u32 = 16;
/// Pixel height of column and row headers.
pub const HEADER_SIZE: u32 = 20;
/// Space under the header row.
pub const HEADER_GAP: u32 = 8;
/// Pixel height of a cell's first (emphasised) line.
pub const LABEL_SIZE: u32 = 18;
/// Pixel height of a cell's other lines.
pub const LINE_SIZE: u32 = 15;
/// Space after each label line.
pub const LINE_GAP: u32 = 4;
/// Space between a cell's picture square and its first line.
pub const PICTURE_GAP: u32 = 8;
/// The widest the header column may be (longer row headers are cut).
pub const ROW_HEADER_MAX: u32 = 200;
/// The smallest a cell's picture square may be (asked-for sides below it are raised).
pub const MIN_CELL_SIDE: u32 = 96;
/// The largest a cell's picture square may be.
pub const MAX_CELL_SIDE: u32 = 1024;
/// At most this many columns, and this many rows.
pub const MAX_CELLS_A_SIDE: usize = 16;
/// At most this many label lines a cell (more are left out).
pub const MAX_LINES: usize = 8;
/// The sheet stays within this many pixels a side (the cell side shrinks to fit).
pub const MAX_SIDE: u32 = 8000;

const BACKGROUND: Rgba<u8> = Rgba([255, 255, 255, 255]);
const FAILED_FILL: Rgba<u8> = Rgba([232, 232, 232, 255]);
const PRIMARY_TEXT: [u8; 3] = [34, 34, 34];
const SECONDARY_TEXT: [u8; 3] = [80, 80, 80];
const ELLIPSIS: &str = "…";

/// One cell of a comparison as the sheet shows it.
#[derive(Debug, Clone, Default)]
pub struct SheetCell {
    /// The picture, decoded (any size; it is scaled down to fit the cell, keeping its aspect), or None when the cell failed.
    pub picture: Option<RgbaImage>,
    /// Label lines under the picture, first one emphasised: e.g. ["High", "48.2 s · $0.211 estimated", "1536×1024 PNG · 3.1 MB"],
    /// or for a failed cell ["High", "Failed: the endpoint refused the prompt"]. Long lines are cut with "…" to fit.
    pub lines: Vec<String>,
}

/// What a sheet shows: a title, column and optional row headers (for an X/Y grid), cells row by row.
#[derive(Debug, Clone, Default)]
pub struct SheetSpec {
    /// E.g. the prompt excerpt and model; cut with "…" when wider than the sheet.
    pub title: String,
    /// Header per column (X values); may be empty strings.
    pub columns: Vec<String>,
    /// Header per row (Y values); one empty-string row for a single-row comparison.
    pub rows: Vec<String>,
    /// `rows.len() * columns.len()` cells, row-major.
    pub cells: Vec<SheetCell>,
}

impl SheetSpec {
    /// The sheet of a comparison: its title, the varied values as column and row headers,
    /// `cells` row by row as [`crate::compare::Plan::cells`] has them.
    pub fn comparison(plan: &crate::compare::Plan, cells: Vec<SheetCell>) -> SheetSpec {
        let columns = plan.x.values.iter().map(|v| plan.x.setting.display(v)).collect();
        let rows =
            plan.y.as_ref().map_or(vec![String::new()], |y| y.values.iter().map(|v| y.setting.display(v)).collect());
        SheetSpec { title: plan.title(), columns, rows, cells }
    }
}

/// A made cell's label lines: its setting, then [`figure_lines`].
pub fn cell_lines(label: &str, meta: &super::ImageMeta) -> Vec<String> {
    std::iter::once(label.to_string()).chain(figure_lines(meta)).collect()
}

/// A picture's figures as a comparison shows them, on the sheet and in the window alike:
/// "3.4 s · 4,160 tokens · $0.167 from tokens", then "1536×1024 PNG · 3.1 MB".
pub fn figure_lines(meta: &super::ImageMeta) -> [String; 2] {
    let mut first = vec![words::seconds(meta.elapsed_secs)];
    if let Some(t) = meta.usage.and_then(|u| u.output_tokens) {
        first.push(words::tokens(t));
    }
    match meta.cost() {
        Some((c, true)) => first.push(words::estimated(c)),
        Some((c, false)) => first.push(words::from_tokens(c)),
        None => {}
    }
    [
        first.join(" · "),
        format!("{}×{} {} · {}", meta.width, meta.height, meta.format.wire().to_uppercase(), file_size(meta.bytes)),
    ]
}

/// "1.2 MB", "52 KB".
pub fn file_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.0} KB", (bytes as f64 / 1e3).max(1.0))
    }
}

/// "4,160": digits grouped by thousands (the window's texts use it from here).
pub use crate::i18n::thousands;

/// Where everything goes: computed from the spec alone, before any drawing; what tests check.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLayout {
    pub width: u32,
    pub height: u32,
    /// Every text drawn, with its top-left position and pixel height: title, headers, cell lines (after cutting).
    pub texts: Vec<PlacedText>,
    /// Where each cell's picture goes (the scaled size, centred in its box), row-major; None for failed cells.
    pub pictures: Vec<Option<PixelRect>>,
    /// Each cell's whole box, row-major: its picture square (`width` × `width`) at the top, its label lines under it.
    pub cells: Vec<PixelRect>,
}

/// A text placed on the sheet: top-left corner and pixel height.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedText {
    pub text: String,
    pub x: i32,
    pub y: i32,
    pub size: f32,
}

/// A rectangle of pixels on the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Why a sheet could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("The comparison has no cells to put on a sheet.")]
    NoCells,
    #[error(
        "The comparison has {cells} cells but {rows} rows of {columns} columns; a sheet needs exactly one cell per place."
    )]
    CellCount { cells: usize, rows: usize, columns: usize },
    #[error(
        "The comparison is too large for one sheet ({columns} columns × {rows} rows; at most {MAX_CELLS_A_SIDE} each way)."
    )]
    TooLarge { columns: usize, rows: usize },
    #[error("The sheet's font could not be read ({0}).")]
    Font(String),
    #[error("The sheet could not be encoded ({0}).")]
    Encode(String),
}

/// Lays the sheet out: cells of at most `cell_side` pixels (e.g. 512) a side for the picture, label lines under it,
/// margins, a title band, a header row when any column header is non-empty, a header column when any row header is non-empty.
pub fn layout(spec: &SheetSpec, cell_side: u32) -> Result<SheetLayout, SheetError> {
    let font = font()?;
    let (cols, rows) = (spec.columns.len(), spec.rows.len());
    if spec.cells.is_empty() || cols == 0 || rows == 0 {
        return Err(SheetError::NoCells);
    }
    if spec.cells.len() != cols * rows {
        return Err(SheetError::CellCount { cells: spec.cells.len(), rows, columns: cols });
    }
    if cols > MAX_CELLS_A_SIDE || rows > MAX_CELLS_A_SIDE {
        return Err(SheetError::TooLarge { columns: cols, rows });
    }
    let has_col_headers = spec.columns.iter().any(|c| !c.trim().is_empty());
    let has_row_headers = spec.rows.iter().any(|r| !r.trim().is_empty());
    let max_lines = spec.cells.iter().map(|c| c.lines.len().min(MAX_LINES)).max().unwrap_or(0);
    let labels_h =
        if max_lines == 0 { 0 } else { PICTURE_GAP + (0..max_lines).map(|i| line_size(i) + LINE_GAP).sum::<u32>() };
    let row_header_w = if has_row_headers {
        let widest =
            spec.rows.iter().map(|r| text_width(&font, r, HEADER_SIZE as f32).ceil() as u32).max().unwrap_or(0);
        widest.min(ROW_HEADER_MAX) + GAP
    } else {
        0
    };
    let header_y = MARGIN + TITLE_SIZE + TITLE_GAP;
    let top = header_y + if has_col_headers { HEADER_SIZE + HEADER_GAP } else { 0 };
    let (cols32, rows32) = (cols as u32, rows as u32);
    let fixed_w = 2 * MARGIN + row_header_w + (cols32 - 1) * GAP;
    let fixed_h = top + MARGIN + (rows32 - 1) * GAP + rows32 * labels_h;
    // why: with at most 16 cells a side and MIN_CELL_SIDE, the minimum always fits under MAX_SIDE.
    let side = cell_side
        .min(MAX_CELL_SIDE)
        .min(MAX_SIDE.saturating_sub(fixed_w) / cols32)
        .min(MAX_SIDE.saturating_sub(fixed_h) / rows32)
        .max(MIN_CELL_SIDE);
    let (width, height) = (fixed_w + cols32 * side, fixed_h + rows32 * side);

    let mut texts = Vec::new();
    let mut place = |text: String, x: u32, y: u32, size: u32| {
        if !text.trim().is_empty() {
            texts.push(PlacedText { text, x: x as i32, y: y as i32, size: size as f32 });
        }
    };
    place(cut(&font, &spec.title, TITLE_SIZE as f32, width - 2 * MARGIN), MARGIN, MARGIN, TITLE_SIZE);
    let col_x = |c: u32| MARGIN + row_header_w + c * (side + GAP);
    if has_col_headers {
        for (c, header) in spec.columns.iter().enumerate() {
            let text = cut(&font, header, HEADER_SIZE as f32, side);
            let w = (text_width(&font, &text, HEADER_SIZE as f32).ceil() as u32).min(side);
            place(text, col_x(c as u32) + (side - w) / 2, header_y, HEADER_SIZE);
        }
    }
    let mut pictures = Vec::with_capacity(spec.cells.len());
    let mut cells = Vec::with_capacity(spec.cells.len());
    for (i, cell) in spec.cells.iter().enumerate() {
        let (r, c) = ((i / cols) as u32, (i % cols) as u32);
        let (x0, y0) = (col_x(c), top + r * (side + labels_h + GAP));
        if c == 0 && has_row_headers {
            let text = cut(&font, &spec.rows[r as usize], HEADER_SIZE as f32, ROW_HEADER_MAX);
            place(text, MARGIN, y0 + (side - HEADER_SIZE) / 2, HEADER_SIZE);
        }
        cells.push(PixelRect { x: x0, y: y0, width: side, height: side + labels_h });
        pictures.push(cell.picture.as_ref().filter(|p| p.width() > 0 && p.height() > 0).map(|p| {
            let (w, h) = fit(p.width(), p.height(), side);
            PixelRect { x: x0 + (side - w) / 2, y: y0 + (side - h) / 2, width: w, height: h }
        }));
        let mut y = y0 + side + PICTURE_GAP;
        for (n, line) in cell.lines.iter().take(MAX_LINES).enumerate() {
            place(cut(&font, line, line_size(n) as f32, side), x0, y, line_size(n));
            y += line_size(n) + LINE_GAP;
        }
    }
    Ok(SheetLayout { width, height, texts, pictures, cells })
}

/// Draws the sheet: white/light background, pictures scaled with a good filter (Triangle or `CatmullRom`), failed cells as a
/// light grey box with their message, text in dark grey with the embedded font (anti-aliased, alpha-blended).
pub fn render(spec: &SheetSpec, cell_side: u32) -> Result<(SheetLayout, RgbaImage), SheetError> {
    let layout = layout(spec, cell_side)?;
    let font = font()?;
    let mut img = RgbaImage::from_pixel(layout.width, layout.height, BACKGROUND);
    for ((cell, rect), bx) in spec.cells.iter().zip(&layout.pictures).zip(&layout.cells) {
        match (&cell.picture, rect) {
            (Some(p), Some(r)) if (p.width(), p.height()) == (r.width, r.height) => {
                imageops::overlay(&mut img, p, r.x.into(), r.y.into());
            }
            (Some(p), Some(r)) => {
                let scaled = imageops::resize(p, r.width, r.height, imageops::FilterType::Triangle);
                imageops::overlay(&mut img, &scaled, r.x.into(), r.y.into());
            }
            _ => {
                for y in bx.y..bx.y + bx.width {
                    for x in bx.x..bx.x + bx.width {
                        img.put_pixel(x, y, FAILED_FILL);
                    }
                }
            }
        }
    }
    for t in &layout.texts {
        // why: PlacedText carries no weight; the emphasised texts are exactly the ones at label size or larger.
        let colour = if t.size < LABEL_SIZE as f32 { SECONDARY_TEXT } else { PRIMARY_TEXT };
        draw_text(&mut img, &font, t, colour);
    }
    Ok((layout, img))
}

/// The PNG bytes of a rendered sheet.
pub fn to_png(image: &RgbaImage) -> Result<Vec<u8>, SheetError> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).map_err(|e| SheetError::Encode(e.to_string()))?;
    Ok(out.into_inner())
}

fn font() -> Result<FontRef<'static>, SheetError> {
    FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT).map_err(|e| SheetError::Font(e.to_string()))
}

fn line_size(index: usize) -> u32 {
    if index == 0 { LABEL_SIZE } else { LINE_SIZE }
}

/// The size of a `w`×`h` picture scaled down (never up) to fit a `side`-pixel square, keeping its aspect.
fn fit(w: u32, h: u32, side: u32) -> (u32, u32) {
    let scale = (side as f64 / w as f64).min(side as f64 / h as f64).min(1.0);
    let dim = |d: u32| ((d as f64 * scale).round() as u32).clamp(1, side);
    (dim(w), dim(h))
}

/// Each glyph of `text` with its x offset from the text's start, and the text's advance width.
fn glyphs(font: &FontRef<'_>, text: &str, size: f32) -> (Vec<(GlyphId, f32)>, f32) {
    let scaled = font.as_scaled(PxScale::from(size));
    let (mut out, mut caret, mut prev) = (Vec::new(), 0.0, None);
    for ch in text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(p) = prev {
            caret += scaled.kern(p, id);
        }
        out.push((id, caret));
        caret += scaled.h_advance(id);
        prev = Some(id);
    }
    (out, caret)
}

fn text_width(font: &FontRef<'_>, text: &str, size: f32) -> f32 {
    glyphs(font, text, size).1
}

/// `text` as is when it fits `max` pixels, else its longest prefix that fits with "…" after it.
fn cut(font: &FontRef<'_>, text: &str, size: f32, max: u32) -> String {
    let max = max as f32;
    if text_width(font, text, size) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let with_ellipsis = |n: usize| chars[..n].iter().collect::<String>().trim_end().to_string() + ELLIPSIS;
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(font, &with_ellipsis(mid), size) <= max { lo = mid } else { hi = mid - 1 }
    }
    with_ellipsis(lo)
}

fn draw_text(img: &mut RgbaImage, font: &FontRef<'_>, t: &PlacedText, colour: [u8; 3]) {
    let baseline = t.y as f32 + font.as_scaled(PxScale::from(t.size)).ascent();
    for (id, dx) in glyphs(font, &t.text, t.size).0 {
        // why: glyph 0 is "notdef" (characters the font lacks, e.g. CJK); leave a gap rather than draw boxes.
        if id.0 == 0 {
            continue;
        }
        let Some(outlined) = font.outline_glyph(id.with_scale_and_position(t.size, point(t.x as f32 + dx, baseline)))
        else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let (x, y) = (bounds.min.x as i64 + gx as i64, bounds.min.y as i64 + gy as i64);
            if x < 0 || y < 0 || x >= img.width() as i64 || y >= img.height() as i64 {
                return;
            }
            let a = coverage.clamp(0.0, 1.0);
            let px = img.get_pixel_mut(x as u32, y as u32);
            for (dst, src) in px.0.iter_mut().zip(colour) {
                *dst = (*dst as f32 * (1.0 - a) + src as f32 * a).round() as u8;
            }
        });
    }
}

/// The line under a cell's label when the cell has no picture: "Failed: …" and why, the
/// same on the window's sheet and the terminal's.
pub fn failed_line(why: &str) -> String {
    words::failed(why)
}

/// The figures under a cell, in every language.
mod words {
    crate::formats! { WITH_VALUES;
        /// How long the picture took: "3.4 s".
        seconds(secs: f64) => "{secs:.1} s", "{secs:.1} 秒";
        /// A cost from the price table.
        estimated(usd: f64) => "${usd:.3} estimated", "约 ${usd:.3}（估算）";
        /// A cost from the tokens the endpoint reported.
        from_tokens(usd: f64) => "${usd:.3} from tokens", "${usd:.3}（按 token 计）";
        /// A cell that has no picture, and why.
        failed(why: &str) => "Failed: {why}", "失败：{why}";
    }

    crate::plurals! { COUNTED;
        /// The output tokens: "4,160 tokens".
        tokens(count: u64) => "{count} token", "{count} tokens", "{count} 个 token";
    }

    crate::translated!(WITH_VALUES, COUNTED);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solid(w: u32, h: u32, rgb: [u8; 3]) -> RgbaImage {
        RgbaImage::from_pixel(w, h, Rgba([rgb[0], rgb[1], rgb[2], 255]))
    }

    fn cell(picture: Option<RgbaImage>, lines: &[&str]) -> SheetCell {
        SheetCell { picture, lines: lines.iter().map(std::string::ToString::to_string).collect() }
    }

    fn row_spec(cells: Vec<SheetCell>) -> SheetSpec {
        let columns = vec![String::new(); cells.len()];
        SheetSpec { title: "A red fox in the snow · gpt-image-1".into(), columns, rows: vec![String::new()], cells }
    }

    fn inside(t: &PlacedText, r: PixelRect) -> bool {
        let w = text_width(&font().unwrap(), &t.text, t.size);
        t.x >= r.x as i32
            && t.y >= r.y as i32
            && t.x as f32 + w <= (r.x + r.width) as f32
            && t.y as f32 + t.size <= (r.y + r.height) as f32
    }

    #[test]
    fn font_has_the_punctuation_labels_use() {
        let font = font().unwrap();
        for ch in ['…', '·', '×', '$'] {
            assert_ne!(font.glyph_id(ch).0, 0, "{ch}");
        }
    }

    #[test]
    fn three_cells_in_a_row() {
        let lines = [
            ["Low", "12.0 s · $0.011", "1536×1024 PNG · 2.0 MB"],
            ["Medium", "30.1 s · $0.042", "a"],
            ["High", "48.2 s · $0.211", "b"],
        ];
        let spec = row_spec(lines.iter().map(|l| cell(Some(solid(1536, 1024, [9, 9, 9])), l)).collect());
        let l = layout(&spec, 256).unwrap();
        let labels_h = PICTURE_GAP + LABEL_SIZE + LINE_GAP + 2 * (LINE_SIZE + LINE_GAP);
        assert_eq!(l.width, 2 * MARGIN + 3 * 256 + 2 * GAP);
        assert_eq!(l.height, MARGIN + TITLE_SIZE + TITLE_GAP + 256 + labels_h + MARGIN);
        let sheet = PixelRect { x: 0, y: 0, width: l.width, height: l.height };
        assert_eq!(
            l.texts[0],
            PlacedText { text: spec.title.clone(), x: MARGIN as i32, y: MARGIN as i32, size: TITLE_SIZE as f32 }
        );
        for (i, cell_lines) in lines.iter().enumerate() {
            let bx = l.cells[i];
            assert_eq!((bx.x, bx.width), (MARGIN + i as u32 * (256 + GAP), 256));
            for line in cell_lines {
                let t = l.texts.iter().find(|t| t.text == *line).unwrap();
                assert!(inside(t, bx) && inside(t, sheet), "{t:?} in {bx:?}");
                assert!(t.y >= (bx.y + 256) as i32, "under the picture");
            }
            let p = l.pictures[i].unwrap();
            assert_eq!((p.width, p.height), (256, 171));
            assert_eq!((p.x, p.y), (bx.x, bx.y + (256 - 171) / 2));
        }
    }

    #[test]
    fn grid_has_column_and_row_headers() {
        let cells = (0..4).map(|i| cell(Some(solid(64, 64, [1, 2, 3])), &[&format!("cell {i}")])).collect();
        let spec = SheetSpec {
            title: "Grid".into(),
            columns: vec!["Low".into(), "High".into()],
            rows: vec!["Square".into(), "Wide".into()],
            cells,
        };
        let l = layout(&spec, 128).unwrap();
        let find = |s: &str| l.texts.iter().find(|t| t.text == s).unwrap_or_else(|| panic!("{s} missing"));
        for h in ["Low", "High"] {
            assert!(find(h).y < l.cells[0].y as i32);
        }
        for (h, r) in [("Square", 0), ("Wide", 2)] {
            let (t, bx) = (find(h), l.cells[r]);
            assert!(t.x + text_width(&font().unwrap(), h, t.size) as i32 <= bx.x as i32);
            assert!(t.y >= bx.y as i32 && t.y < (bx.y + bx.width) as i32);
        }
        assert!(find("Low").x < find("High").x && find("Square").y < find("Wide").y);
        assert_eq!(
            l.pictures[3].unwrap(),
            PixelRect { x: l.cells[3].x + 32, y: l.cells[3].y + 32, width: 64, height: 64 }
        );
    }

    #[test]
    fn render_draws_pictures_text_and_failed_cells() {
        let colours = [[220, 20, 20], [20, 200, 20], [20, 20, 220]];
        let mut cells: Vec<_> =
            colours.iter().map(|&c| cell(Some(solid(600, 400, c)), &["High", "48.2 s · $0.211"])).collect();
        cells.push(cell(None, &["High", "Failed: the endpoint refused the prompt"]));
        let (l, img) = render(&row_spec(cells), 320).unwrap();
        let decoded = image::load_from_memory(&to_png(&img).unwrap()).unwrap().to_rgba8();
        assert_eq!(decoded.dimensions(), (l.width, l.height));
        for (rect, c) in l.pictures.iter().zip(colours) {
            let r = rect.unwrap();
            let px = decoded.get_pixel(r.x + r.width / 2, r.y + r.height / 2).0;
            assert!((0..3).all(|k| px[k].abs_diff(c[k]) <= 2), "{px:?} vs {c:?}");
        }
        assert_eq!(l.pictures[3], None);
        assert!(l.texts.iter().any(|t| t.text == "Failed: the endpoint refused the prompt"));
        let failed = l.cells[3];
        assert_eq!(decoded.get_pixel(failed.x + failed.width / 2, failed.y + failed.width / 2), &FAILED_FILL);
        let font = font().unwrap();
        for t in &l.texts {
            let w = text_width(&font, &t.text, t.size).ceil() as i32;
            let dark = (t.y..t.y + t.size as i32)
                .flat_map(|y| (t.x..t.x + w).map(move |x| (x as u32, y as u32)))
                .any(|(x, y)| decoded.get_pixel(x, y).0[..3].iter().all(|&v| v < 140));
            assert!(dark, "no text drawn for {t:?}");
        }
    }

    #[test]
    fn long_lines_are_cut_and_cjk_does_not_panic() {
        let long = "Failed: ".to_string() + &"the endpoint refused the prompt ".repeat(20);
        let cells =
            vec![cell(Some(solid(10, 10, [0, 0, 0])), &["高品質", "测试 ラベル"]), cell(None, &["High", &long])];
        let (l, _) = render(&row_spec(cells), 200).unwrap();
        let t = l.texts.iter().find(|t| t.text.starts_with("Failed: ")).unwrap();
        assert!(t.text.ends_with('…') && t.text.len() < long.len());
        assert!(inside(t, l.cells[1]));
        assert!(text_width(&font().unwrap(), &t.text, t.size) <= l.cells[1].width as f32);
        assert!(l.texts.iter().any(|t| t.text == "高品質"));
        assert_eq!(
            l.pictures[0].unwrap(),
            PixelRect { x: l.cells[0].x + 95, y: l.cells[0].y + 95, width: 10, height: 10 }
        );
    }

    #[test]
    fn bad_specs_are_errors() {
        let mut spec = row_spec(vec![cell(None, &["a"]), cell(None, &["b"])]);
        spec.columns.push(String::new());
        assert!(matches!(layout(&spec, 256), Err(SheetError::CellCount { cells: 2, rows: 1, columns: 3 })));
        assert!(matches!(render(&row_spec(Vec::new()), 256), Err(SheetError::NoCells)));
        let wide = row_spec((0..17).map(|_| cell(None, &[])).collect());
        assert!(matches!(layout(&wide, 256), Err(SheetError::TooLarge { .. })));
        let big = row_spec((0..16).map(|_| cell(None, &["x"])).collect());
        let l = layout(&big, 4096).unwrap();
        assert!(l.width <= MAX_SIDE && l.height <= MAX_SIDE);
        assert_eq!(SheetError::NoCells.to_string(), "The comparison has no cells to put on a sheet.");
    }
}
