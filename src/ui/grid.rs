//! The justified grid's arithmetic: tiles of different shapes laid in rows that fill the width
//! exactly, each row as tall as its tiles need (near the chosen height), as photo libraries do.
//! Pure numbers, so it is tested without a window.

use eframe::egui;

/// The widest and the tallest a tile may be, as width over height: a panorama or a tall strip
/// would otherwise take a whole row or be a sliver.
const ASPECT_RANGE: (f32, f32) = (0.5, 2.5);

/// One row: the tiles `start..end` of the list, all `height` tall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub start: usize,
    pub end: usize,
    pub height: f32,
}

/// A tile's shape as the grid uses it (width over height, within bounds).
pub fn aspect(width: f32, height: f32) -> f32 {
    if width <= 0.0 || height <= 0.0 || !width.is_finite() || !height.is_finite() {
        return 1.0;
    }
    (width / height).clamp(ASPECT_RANGE.0, ASPECT_RANGE.1)
}

/// Lays tiles of these shapes (width over height) in rows `width` wide with `gap` between tiles:
/// each full row is scaled to fill the width exactly, ending up no taller than `target`; the last
/// row keeps the target height, left-aligned, rather than being blown up.
pub fn justify(aspects: &[f32], width: f32, target: f32, gap: f32) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut start = 0;
    let mut sum = 0.0;
    for (i, a) in aspects.iter().enumerate() {
        sum += a;
        let gaps = gap * (i - start) as f32;
        if sum * target + gaps >= width {
            let height = ((width - gaps) / sum).max(1.0);
            rows.push(Row { start, end: i + 1, height });
            start = i + 1;
            sum = 0.0;
        }
    }
    if start < aspects.len() {
        rows.push(Row { start, end: aspects.len(), height: target });
    }
    rows
}

/// The tiles' widths in a row, filling `width` for a full row (the last one rounded off).
pub fn widths(aspects: &[f32], row: Row) -> impl Iterator<Item = f32> + '_ {
    aspects[row.start..row.end].iter().map(move |a| a * row.height)
}

/// The part of a picture `size` large (in any unit) that fills a tile of `tile` width over
/// height without stretching: its middle, cut to the tile's shape. As texture coordinates.
pub fn cover_uv(size: egui::Vec2, tile: f32) -> egui::Rect {
    let picture = size.x.max(1.0) / size.y.max(1.0);
    let keep = if picture > tile { egui::vec2(tile / picture, 1.0) } else { egui::vec2(1.0, picture / tile) };
    egui::Rect::from_center_size(egui::pos2(0.5, 0.5), keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width_of(aspects: &[f32], row: Row, gap: f32) -> f32 {
        widths(aspects, row).sum::<f32>() + gap * (row.end - row.start - 1) as f32
    }

    #[test]
    fn full_rows_fill_the_width_exactly_and_the_last_keeps_its_height() {
        let aspects = [1.0, 1.5, 0.75, 1.0, 1.0, 1.5, 1.0];
        let rows = justify(&aspects, 1000.0, 200.0, 4.0);
        assert_eq!(rows.first().map(|r| r.start), Some(0));
        assert_eq!(rows.last().map(|r| r.end), Some(aspects.len()), "every tile is in a row");
        for pair in rows.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "rows follow each other");
        }
        let (last, full) = rows.split_last().unwrap();
        assert!(!full.is_empty());
        for row in full {
            assert!((width_of(&aspects, *row, 4.0) - 1000.0).abs() < 0.01, "{row:?}");
            assert!(row.height <= 200.0 + 0.01, "never taller than asked: {row:?}");
        }
        assert_eq!(last.height, 200.0);
        assert!(width_of(&aspects, *last, 4.0) <= 1000.0);
    }

    #[test]
    fn a_narrow_window_gets_one_tile_a_row_filling_it() {
        let rows = justify(&[1.0, 1.0, 2.0], 120.0, 200.0, 4.0);
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.end - r.start == 1));
        assert_eq!(rows[0].height, 120.0);
        assert_eq!(rows[2].height, 60.0);
    }

    #[test]
    fn a_picture_fills_a_tile_of_another_shape_by_its_middle() {
        let wide = cover_uv(egui::vec2(300.0, 100.0), 1.0);
        assert!(
            (wide.width() - 1.0 / 3.0).abs() < 1e-6 && wide.height() == 1.0 && (wide.center().x - 0.5).abs() < 1e-6
        );
        let tall = cover_uv(egui::vec2(100.0, 200.0), 1.0);
        assert!(tall.width() == 1.0 && (tall.height() - 0.5).abs() < 1e-6);
        assert_eq!(
            cover_uv(egui::vec2(200.0, 100.0), 2.0),
            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0))
        );
    }

    #[test]
    fn odd_shapes_are_bounded() {
        assert_eq!(aspect(10_000.0, 10.0), 2.5);
        assert_eq!(aspect(10.0, 10_000.0), 0.5);
        assert_eq!(aspect(0.0, 10.0), 1.0);
        assert_eq!(aspect(f32::NAN, 10.0), 1.0);
        assert!(justify(&[], 500.0, 100.0, 4.0).is_empty());
    }
}
