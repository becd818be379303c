//! A 10-image 1536x1024 PNG answer, from the response bytes to decoded pictures: Easel's path
//! (borrowed JSON, base64 and image decoding in parallel) beside the plain sequential path
//! (serde_json::Value, then base64, then decode, one after another).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, criterion_group, criterion_main};
use easel::api::ReceivedImage;
use easel::api::response::{Item, parse_answer};
use std::hint::black_box;

/// A noisy 1536x1024 PNG of about the size the endpoint returns (a few MB).
fn picture(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(1536, 1024, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state & 0x3f) as u8;
        image::Rgb([(x / 6) as u8 ^ n, (y / 4) as u8 ^ n, ((x + y) / 10) as u8 ^ n])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn answer() -> Vec<u8> {
    let data: Vec<_> = (0..10).map(|i| serde_json::json!({"b64_json": STANDARD.encode(picture(i))})).collect();
    serde_json::to_vec(&serde_json::json!({"created": 1, "data": data, "usage": {"input_tokens": 50, "output_tokens": 15000}})).unwrap()
}

fn easel_path(body: &[u8]) -> usize {
    let answer = parse_answer(body).unwrap();
    let images: Vec<ReceivedImage> = answer
        .items
        .into_iter()
        .map(|i| match i {
            Item::Bytes(b) => ReceivedImage::from_bytes(b).unwrap(),
            Item::Url(_) => unreachable!(),
        })
        .collect();
    easel::library::decode_parallel(&images).into_iter().map(|r| r.unwrap().len()).sum()
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
    assert_eq!(easel_path(&body), plain_path(&body));
    let mut g = c.benchmark_group("10x1536x1024 png answer to pixels");
    g.sample_size(10);
    g.bench_function("easel (borrowed, parallel)", |b| b.iter(|| easel_path(black_box(&body))));
    g.bench_function("plain (Value, sequential)", |b| b.iter(|| plain_path(black_box(&body))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
