//! Makes a synthetic library for the start-up and memory benchmark (`scripts/bench-library.sh`).
//!
//! ```sh
//! cargo run --release --example make_library -- DIR N
//! ```
//!
//! Writes N pictures into the library at DIR through [`Library::save`], so the files and their
//! metadata are exactly what the app writes: requests of 1–4 pictures, various prompts (some in
//! Chinese), models, qualities, formats (PNG, JPEG, WebP) and the three preset sizes at their
//! real pixel sizes. The pictures are gradients, soft shapes and grain, about 0.3–2 MB each
//! (≈ 1 GB for 1,000). Everything is derived from the picture's number, so two runs make the
//! same pictures; the work is shared between the machine's cores.

// A developer's tool: exiting with a message on a bad argument is all the error handling it needs.
#![allow(clippy::disallowed_methods)]

use easel::api::{ImageRequest, OutputFormat, Quality, ReceivedImage, Size, Usage};
use easel::library::{Library, Provenance, new_group};
use image::ImageEncoder;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const PROMPTS: &[&str] = &[
    "A lighthouse at dusk, watercolour",
    "A red fox curled up asleep in fresh snow, soft morning light, telephoto",
    "Isometric illustration of a tiny bakery with a striped awning",
    "An astronaut reading a newspaper on a park bench, 1970s film photo",
    "Macro photograph of dew drops on a spider web",
    "A bowl of ramen with a soft egg, steam rising, top-down food photography",
    "Logo for a bicycle repair shop called Spoke & Chain, flat vector, two colours",
    "A cosy reading nook with a rain-streaked window and a sleeping cat",
    "Brutalist concrete library interior, warm light through skylights, architectural photography",
    "Children's book illustration: a hedgehog carrying an umbrella through autumn leaves",
    "Product shot of a ceramic coffee mug on a linen cloth, studio lighting, 85mm",
    "Aerial view of terraced rice fields at sunrise, mist in the valleys",
    "A map of an imaginary archipelago in the style of an old sea chart, with compass rose and sea monsters",
    "Portrait of an elderly fisherman with a weathered face, dramatic side light, black and white",
    "Pixel art of a space station orbiting a purple gas giant",
    "一只在竹林里吃竹子的大熊猫，水墨画风格",
    "雨后的江南小镇，石板路，白墙黑瓦，柔和的晨光",
    "赛博朋克风格的上海外滩夜景，霓虹灯倒映在黄浦江上",
    "一碗热气腾腾的兰州牛肉面，美食摄影，俯拍",
    "春节的年夜饭餐桌，红色灯笼，温暖的氛围",
    "敦煌壁画风格的飞天仙女，金色与青绿色",
    "A 16:9 banner for a jazz festival: a saxophone player silhouetted against a big orange moon, \
     art deco typography reading \"Blue Notes 2026\", grain texture, limited palette of navy, \
     cream and tangerine, generous margins for text",
    "Cutaway diagram of a steam locomotive, labelled parts, technical illustration on blueprint paper",
    "A still life of lemons and a copper jug in the style of a Dutch master",
    "Kawaii sticker sheet: cats as sushi, thick white outlines",
    "A misty pine forest with a single red tent glowing from inside",
    "Minimalist poster of Mount Fuji with a red sun, Swiss style",
    "Close-up of hands shaping clay on a pottery wheel, shallow depth of field",
];

const SIZES: [(u32, u32, Size); 3] =
    [(1024, 1024, Size::Square), (1536, 1024, Size::Landscape), (1024, 1536, Size::Portrait)];

/// One request: its pictures share size, format, model, quality and prompt.
struct Group {
    first: usize,
    count: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, total) = match args.as_slice() {
        [dir, n] => match n.parse::<usize>() {
            Ok(n) => (dir.clone(), n),
            Err(_) => usage(),
        },
        _ => usage(),
    };
    let lib = match Library::open(&dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("make_library: {e}");
            std::process::exit(1);
        }
    };
    let already = std::fs::read_dir(lib.images_dir()).map_or(0, std::iter::Iterator::count);
    if already > 0 {
        eprintln!(
            "make_library: note: {} already holds {already} files; adding {total} pictures",
            lib.images_dir().display()
        );
    }

    // Requests of 1-4 pictures, in the order they are "made" (oldest first).
    let mut groups = Vec::new();
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut first = 0;
    while first < total {
        let count = rng.usize(1..=4).min(total - first);
        groups.push(Group { first, count });
        first += count;
    }

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    // Requests are saved in order, so that their times (and the gallery's order) follow their
    // numbers; pictures are encoded ahead of their turn on every core.
    let turn = Mutex::new(0usize);
    let turn_changed = std::sync::Condvar::new();
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get).clamp(1, 8);
    let failed = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Result<(), String> {
                    loop {
                        let g = next.fetch_add(1, Ordering::Relaxed);
                        let Some(group) = groups.get(g) else { return Ok(()) };
                        let (prov, images) = make_group(g, group);
                        let mut t = turn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        while *t != g {
                            t = turn_changed.wait(t).unwrap_or_else(std::sync::PoisonError::into_inner);
                        }
                        let result =
                            images.iter().enumerate().try_for_each(|(i, img)| lib.save(img, i, &prov).map(|_| ()));
                        *t += 1;
                        drop(t);
                        turn_changed.notify_all();
                        result.map_err(|e| e.to_string())?;
                        bytes.fetch_add(images.iter().map(|i| i.bytes.len()).sum::<usize>(), Ordering::Relaxed);
                        let n = done.fetch_add(images.len(), Ordering::Relaxed) + images.len();
                        if n / 100 != (n - images.len()) / 100 {
                            eprintln!("make_library: {n}/{total} pictures, {:.1} s", started.elapsed().as_secs_f64());
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().unwrap_or_else(|_| Err("a worker panicked".into())).err()).next()
    });
    if let Some(e) = failed {
        eprintln!("make_library: {e}");
        std::process::exit(1);
    }
    let secs = started.elapsed().as_secs_f64();
    let total_bytes = bytes.load(Ordering::Relaxed);
    println!("pictures {}", done.load(Ordering::Relaxed));
    println!("requests {}", groups.len());
    println!("seconds {secs:.1}");
    println!("megabytes {:.1}", total_bytes as f64 / 1e6);
    println!("library {}", lib.root().display());
}

fn usage() -> ! {
    eprintln!(
        "usage: cargo run --release --example make_library -- DIR N\n  writes N synthetic pictures into the Easel library at DIR"
    );
    std::process::exit(2);
}

/// The request numbered `g` and its pictures, encoded.
fn make_group(g: usize, group: &Group) -> (Provenance, Vec<ReceivedImage>) {
    let mut rng = fastrand::Rng::with_seed(g as u64 * 7919 + 17);
    let (width, height, mut size) = SIZES[rng.usize(..SIZES.len())];
    if rng.u8(..10) == 0 {
        // "auto": the model picked the size.
        size = Size::Auto;
    }
    let format = match rng.u8(..10) {
        0..=4 => OutputFormat::Png,
        5..=7 => OutputFormat::Jpeg,
        _ => OutputFormat::Webp,
    };
    let mut request = ImageRequest::new(PROMPTS[rng.usize(..PROMPTS.len())]);
    let models: Vec<_> = easel::api::models::offered().collect();
    let model = models[rng.usize(..models.len())];
    request.model = model.id.to_string();
    let quality = model.qualities[rng.usize(..model.qualities.len())];
    request.n = group.count as u8;
    request.size = size;
    request.quality = quality;
    request.format = format;
    if format != OutputFormat::Png && rng.bool() {
        request.output_compression = Some(rng.u8(60..=95));
    }
    let output_tokens = match quality {
        Quality::Low => 272,
        Quality::Medium => 1056,
        Quality::High | Quality::XHigh | Quality::Max | Quality::Auto => 4160,
    } * group.count as u64
        * u64::from(width.max(height))
        / 1024;
    let input_tokens = 20 + request.prompt.chars().count() as u64 / 3;
    let cost = output_tokens as f64 * 40e-6 + input_tokens as f64 * 5e-6;
    let prov = Provenance {
        group: new_group(),
        request,
        endpoint: "https://api.quickrouter.ai/v1".into(),
        endpoint_name: "QuickRouter".into(),
        elapsed_secs: 15.0 + rng.f64() * 90.0,
        usage: Some(Usage {
            input_tokens: Some(input_tokens),
            output_tokens: Some(output_tokens),
            total_tokens: Some(input_tokens + output_tokens),
            text_input_tokens: Some(input_tokens),
            ..Usage::default()
        }),
        estimated_cost_usd: Some(cost / group.count as f64),
        request_cost_usd: Some(cost),
        revised_prompt: rng.bool().then(|| "A detailed rendition of the prompt, as the model revised it.".to_string()),
        request_id: Some(format!("req_{:016x}", rng.u64(..))),
        count: group.count,
        comparison: None,
    };
    let images = (0..group.count)
        .map(|i| {
            // JPEG keeps less of the grain: more of it keeps the files at a photograph's size.
            let pixels = paint(group.first + i, width, height, if format == OutputFormat::Jpeg { 2.5 } else { 1.0 });
            let bytes = encode(&pixels, format);
            ReceivedImage::from_bytes(bytes).expect("the encoder writes pictures Easel reads")
        })
        .collect();
    (prov, images)
}

/// A picture: a diagonal gradient between two colours, a few soft discs, and grain that is
/// stronger in some places than others (so that files compress like photographs, not flat art).
fn paint(n: usize, width: u32, height: u32, grain_scale: f32) -> image::RgbImage {
    let mut rng = fastrand::Rng::with_seed(n as u64 * 104_729 + 1);
    let colour = |rng: &mut fastrand::Rng| [rng.f32() * 255.0, rng.f32() * 255.0, rng.f32() * 255.0];
    let (a, b) = (colour(&mut rng), colour(&mut rng));
    let discs: Vec<([f32; 3], f32, f32, f32)> = (0..rng.usize(2..6))
        .map(|_| {
            (
                colour(&mut rng),
                rng.f32() * width as f32,
                rng.f32() * height as f32,
                (0.08 + rng.f32() * 0.25) * width as f32,
            )
        })
        .collect();
    let grain = (1.5 + rng.f32() * 2.5) * grain_scale;
    let angle = rng.f32() * std::f32::consts::TAU;
    let (dx, dy) = (angle.cos(), angle.sin());
    let diag = (width as f32).hypot(height as f32);
    let (w, h) = (width as f32, height as f32);
    let mut noise = fastrand::Rng::with_seed(n as u64);
    let mut img = image::RgbImage::new(width, height);
    for (y, row) in img.rows_mut().enumerate() {
        let yf = y as f32;
        // The discs that touch this row, with their reach squared.
        let near: Vec<_> = discs.iter().filter(|d| (yf - d.2).abs() < d.3).collect();
        // Grain fades in towards the bottom: sky above, texture below.
        let amp = grain * (0.25 + yf / h);
        for (x, px) in row.enumerate() {
            let xf = x as f32;
            let t = (((xf - w / 2.0) * dx + (yf - h / 2.0) * dy) / diag + 0.5).clamp(0.0, 1.0);
            let mut c = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
            for d in &near {
                let r2 = ((xf - d.1).powi(2) + (yf - d.2).powi(2)) / (d.3 * d.3);
                if r2 < 1.0 {
                    let k = (1.0 - r2) * (1.0 - r2) * 0.8;
                    for (ch, target) in c.iter_mut().zip(d.0) {
                        *ch += (target - *ch) * k;
                    }
                }
            }
            let g = (noise.f32() - 0.5) * 2.0 * amp;
            px.0 = [
                (c[0] + g).clamp(0.0, 255.0) as u8,
                (c[1] + g).clamp(0.0, 255.0) as u8,
                (c[2] + g).clamp(0.0, 255.0) as u8,
            ];
        }
    }
    img
}

fn encode(img: &image::RgbImage, format: OutputFormat) -> Vec<u8> {
    let mut out = Vec::new();
    let (w, h) = img.dimensions();
    let result = match format {
        OutputFormat::Png => image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8),
        // High quality, so that the files are about the endpoint's size (its encoder is better).
        OutputFormat::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 96).write_image(
            img.as_raw(),
            w,
            h,
            image::ExtendedColorType::Rgb8,
        ),
        // The image crate writes lossless WebP only; the files are larger than the endpoint's.
        OutputFormat::Webp => image::codecs::webp::WebPEncoder::new_lossless(&mut out).write_image(
            img.as_raw(),
            w,
            h,
            image::ExtendedColorType::Rgb8,
        ),
    };
    result.expect("encoding into memory does not fail");
    out
}
