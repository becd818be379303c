//! Keeping the outside of a mask on a 3840×2160 picture (issue 14): the composite with its 4 px
//! soft edge and the changed-outside figure, with a result of the same size and with one the
//! model returned smaller (scaled to the original first).

use criterion::{Criterion, criterion_group, criterion_main};
use easel::library::edit::{Coverage, FEATHER_PX, changed_outside, keep_outside, mask_from_picture};
use image::imageops::FilterType;
use image::{Rgba, RgbaImage};
use std::hint::black_box;

const W: u32 = 3840;
const H: u32 = 2160;

/// Smooth shapes with grain, so nothing is uniform.
fn picture(w: u32, h: u32, seed: u32) -> RgbaImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    RgbaImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state & 0x0f) as u8;
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let wave = ((fx * 9.0 + seed as f32).sin() * (fy * 7.0).cos() * 90.0 + 120.0) as u8;
        Rgba([
            wave.wrapping_add(n),
            ((fy * 200.0) as u8).wrapping_add(n / 2),
            ((fx * 180.0) as u8).wrapping_add(n),
            255,
        ])
    })
}

/// A painted area as a user paints it: a few round blobs and a thick stroke, OpenAI's kind.
fn mask() -> Coverage {
    let blobs = [(900.0, 700.0, 350.0), (2400.0, 1200.0, 500.0), (3300.0, 400.0, 200.0)];
    let painted = RgbaImage::from_fn(W, H, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let in_blob = blobs.iter().any(|(cx, cy, r)| (fx - cx).powi(2) + (fy - cy).powi(2) < r * r);
        let in_stroke = (fy - (1600.0 + (fx / 300.0).sin() * 150.0)).abs() < 40.0;
        Rgba([0, 0, 0, if in_blob || in_stroke { 0 } else { 255 }])
    });
    mask_from_picture(&painted)
}

fn bench(c: &mut Criterion) {
    let original = picture(W, H, 1);
    let same = picture(W, H, 2);
    let smaller = picture(2048, 1152, 3);
    let mask = mask();
    let mut g = c.benchmark_group("keep outside 3840x2160");
    g.sample_size(10);
    g.bench_function("same size", |b| b.iter(|| keep_outside(black_box(&original), &same, &mask, FEATHER_PX)));
    g.bench_function("result 2048x1152, scaled first", |b| {
        b.iter(|| keep_outside(black_box(&original), &smaller, &mask, FEATHER_PX));
    });
    g.bench_function("figure only (whole result kept)", |b| {
        b.iter(|| changed_outside(black_box(&original), &same, &mask, FEATHER_PX));
    });
    g.finish();

    // Where the time goes when the result must be scaled: the scaling itself, by filter.
    let mut g = c.benchmark_group("scale 2048x1152 to 3840x2160");
    g.sample_size(10);
    for filter in [FilterType::Lanczos3, FilterType::CatmullRom] {
        g.bench_function(format!("{filter:?}"), |b| {
            b.iter(|| image::imageops::resize(black_box(&smaller), W, H, filter));
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
