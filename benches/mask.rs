//! Painting a mask on a 3840×2160 picture (issue 14): what one frame of a stroke costs on the UI
//! thread (stamping the segment the pointer moved along and building the overlay's patches for
//! the texture), for a steady stroke and for wild drags across the whole picture, with the
//! brush a user would use and the largest one; and the one-off steps (ending a stroke, undo,
//! Clear, Invert). Before criterion's figures it prints each kind of frame's mean and worst
//! over one stroke, against the 16 ms a frame has.

use criterion::{Criterion, criterion_group, criterion_main};
use easel::app::mask::Canvas;
use egui::{Pos2, pos2};
use std::hint::black_box;
use std::time::Instant;

const W: u32 = 3840;
const H: u32 = 2160;
/// Radii in picture pixels: a 40-point brush and the largest, 300 points, on a 3840-pixel picture
/// fitted about 1000 points wide.
const BRUSHES: [(&str, f32); 2] = [("40 pt brush", 77.0), ("300 pt brush", 576.0)];

/// 61 points of a steady S-shaped stroke across the picture: 60 frames of about 60 pixels.
fn steady() -> Vec<Pos2> {
    (0..=60)
        .map(|i| {
            let t = i as f32 / 60.0;
            pos2(200.0 + t * 3440.0, 1080.0 + (t * std::f32::consts::TAU).sin() * 700.0)
        })
        .collect()
}

/// 61 points zig-zagging from edge to edge: 60 frames of a 3500-pixel flick each, the worst a
/// hand can do between two frames.
fn wild() -> Vec<Pos2> {
    (0..=60).map(|i| pos2(if i % 2 == 0 { 150.0 } else { 3690.0 }, 100.0 + i as f32 * 32.0)).collect()
}

/// One frame: the segment stamped, the overlay's changed rows made ready for the texture.
fn frame(canvas: &mut Canvas, a: Pos2, b: Pos2, radius: f32) -> usize {
    canvas.stamp_segment(a, b, radius, true);
    canvas.overlay_patches().iter().map(|p| p.image.pixels.len()).sum()
}

fn stroke(canvas: &mut Canvas, path: &[Pos2], radius: f32) {
    for s in path.windows(2) {
        black_box(frame(canvas, s[0], s[1], radius));
    }
    canvas.end_stroke();
}

/// Each frame of one stroke timed on its own: the mean and the worst, in milliseconds.
fn report() {
    for (path_name, path) in [("steady", steady()), ("wild", wild())] {
        for (brush, radius) in BRUSHES {
            let mut canvas = Canvas::new(W, H);
            let mut times = Vec::new();
            for s in path.windows(2) {
                let start = Instant::now();
                black_box(frame(&mut canvas, s[0], s[1], radius));
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            let start = Instant::now();
            canvas.end_stroke();
            let end = start.elapsed().as_secs_f64() * 1000.0;
            let mean = times.iter().sum::<f64>() / times.len() as f64;
            let worst = times.iter().copied().fold(0.0, f64::max);
            println!(
                "{path_name} stroke, {brush}: per frame {mean:.2} ms mean, {worst:.2} ms worst; end of stroke {end:.2} ms"
            );
        }
    }
}

fn bench(c: &mut Criterion) {
    report();
    let mut g = c.benchmark_group("mask 3840x2160");
    g.sample_size(10);
    for (path_name, path) in [("steady", steady()), ("wild", wild())] {
        for (brush, radius) in BRUSHES {
            g.bench_function(format!("{path_name} stroke of 60 frames, {brush}"), |b| {
                b.iter_batched_ref(
                    || Canvas::new(W, H),
                    |c| stroke(c, &path, radius),
                    criterion::BatchSize::LargeInput,
                );
            });
        }
    }
    let painted = || {
        let mut c = Canvas::new(W, H);
        stroke(&mut c, &steady(), 576.0);
        c.overlay_patches();
        c
    };
    g.bench_function("undo of a big stroke", |b| {
        b.iter_batched_ref(painted, Canvas::undo, criterion::BatchSize::LargeInput);
    });
    g.bench_function("clear (once, whole picture)", |b| {
        b.iter_batched_ref(painted, Canvas::clear, criterion::BatchSize::LargeInput);
    });
    g.bench_function("invert and its overlay (once, whole picture)", |b| {
        b.iter_batched_ref(
            painted,
            |c| {
                c.invert();
                c.overlay_patches().len()
            },
            criterion::BatchSize::LargeInput,
        );
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
