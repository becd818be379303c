//! A 10-image 1536x1024 PNG answer, from the response bytes to what the window needs, along the
//! app's own path: `parse_answer` (borrowed JSON, base64 in parallel), each picture's bytes
//! checked (`ReceivedImage::from_bytes`), then, one picture at a time as the worker does after
//! saving them, its 296-pixel thumbnail (`library::thumbnail`, a PNG read row by row). Beside it
//! the plain path a first version would take (`serde_json::Value`, base64, whole decodes, one
//! after another). Saving to disk is not in it: that is the disk's time, not the code's.
//! Run: `cargo bench --bench decode`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, criterion_group, criterion_main};
use easel::api::ReceivedImage;
use easel::api::response::{Item, parse_answer};
use std::hint::black_box;

/// A 1536x1024 PNG of about the size the endpoint returns (2–4 MB): smooth shapes with grain,
/// so the decoder does real work (pure noise would be stored almost raw and only copied).
fn picture(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(1536, 1024, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state & 0x0f) as u8;
        let (fx, fy) = (x as f32 / 1536.0, y as f32 / 1024.0);
        let wave = ((fx * 9.0 + seed as f32).sin() * (fy * 7.0).cos() * 90.0 + 120.0) as u8;
        image::Rgb([
            wave.wrapping_add(n),
            ((fy * 200.0) as u8).wrapping_add(n / 2),
            ((fx * 180.0) as u8).wrapping_add(n),
        ])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn answer() -> Vec<u8> {
    let data: Vec<_> = (0..10).map(|i| serde_json::json!({"b64_json": STANDARD.encode(picture(i))})).collect();
    serde_json::to_vec(
        &serde_json::json!({"created": 1, "data": data, "usage": {"input_tokens": 50, "output_tokens": 15000}}),
    )
    .unwrap()
}

/// The answer's pictures, checked, as the client hands them on.
fn received(body: &[u8]) -> Vec<ReceivedImage> {
    parse_answer(body, 10)
        .unwrap()
        .items
        .into_iter()
        .map(|i| match i {
            Item::Bytes(b) => ReceivedImage::from_bytes(b).unwrap(),
            Item::Url(_) => unreachable!(),
        })
        .collect()
}

/// What the worker makes of an answer for the window: a thumbnail of each picture, in turn.
fn easel_path(body: &[u8]) -> usize {
    received(body).iter().map(thumbnail_of).sum()
}

/// The thumbnail the gallery shows, as the worker makes it (`WorkerConfig::thumbnail_size`).
fn thumbnail_of(image: &ReceivedImage) -> usize {
    easel::library::thumbnail(image, easel::app::thumbs::THUMB_PIXELS).unwrap().rgba.len()
}

fn plain_path(body: &[u8]) -> usize {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let bytes = STANDARD.decode(d["b64_json"].as_str().unwrap()).unwrap();
            image::load_from_memory(&bytes).unwrap().into_rgba8().len()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let body = answer();
    eprintln!("answer: {:.1} MB of JSON for 10 pictures of 1536x1024", body.len() as f64 / 1e6);
    assert_eq!(easel_path(&body), 10 * 296 * 197 * 4, "ten thumbnails of 296×197");
    assert_eq!(plain_path(&body), 10 * 1536 * 1024 * 4);
    let mut g = c.benchmark_group("10x1536x1024 png answer to the window's pictures");
    g.sample_size(10);
    g.bench_function("easel (borrowed JSON, thumbnails row by row)", |b| b.iter(|| easel_path(black_box(&body))));
    g.bench_function("plain (Value, whole decodes)", |b| b.iter(|| plain_path(black_box(&body))));
    g.finish();

    // Where the time goes: reading the answer, then decoding the pictures.
    let images = received(&body);
    let mut g = c.benchmark_group("parts");
    g.sample_size(10);
    g.bench_function("answer to bytes (borrowed JSON, parallel base64)", |b| {
        b.iter(|| parse_answer(black_box(&body), 10).unwrap().items.len());
    });
    g.bench_function("answer to bytes (Value, sequential base64)", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_slice(black_box(&body)).unwrap();
            v["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| STANDARD.decode(d["b64_json"].as_str().unwrap()).unwrap().len())
                .sum::<usize>()
        });
    });
    g.bench_function("bytes to thumbnails (the worker's)", |b| {
        b.iter(|| black_box(&images).iter().map(thumbnail_of).sum::<usize>());
    });
    g.bench_function("bytes to whole pixels (as the viewer opens one)", |b| {
        b.iter(|| images.iter().map(|i| easel::library::decode::decode(i).unwrap().len()).sum::<usize>());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
