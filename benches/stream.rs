//! Streamed previews, end to end (issue 15): a local server streams a 1536×1024 high-quality
//! answer with 3 previews (each a full-size PNG of noisy detail, as a model's are, a few MB in
//! base64), the real worker reads it, decodes each preview small off the reactor, saves the
//! picture and makes its thumbnail, while a headless window takes the events in a frame every
//! 16 ms. Printed: for each preview and the final picture, the time from the server's last byte
//! of its event to its texture in the window; and the window's worst frame meanwhile. Targets:
//! ≤ 100 ms per preview; no frame over 16 ms.
//! Run: `cargo bench --bench stream`.

use base64::Engine;
use easel::api::{ImageRequest, Quality, Size};
use easel::endpoint::Endpoint;
use easel::library::Library;
use easel::secrets::ApiKey;
use easel::worker::{Event, Job, Worker, WorkerConfig};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const W: u32 = 1536;
const H: u32 = 1024;
const PREVIEWS: u8 = 3;

/// A PNG of noisy detail (it does not compress away): `seed` tells the stages apart.
fn picture(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(W, H, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state & 0x1f) as u8;
        image::Rgb([(x / 6) as u8 ^ n, (y / 4) as u8 ^ n, ((x + y) / 10) as u8 ^ n])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn event(kind: &str, body: serde_json::Value) -> Vec<u8> {
    format!("event: {kind}\ndata: {body}\n\n").into_bytes()
}

/// The events of the answer: three previews, then the picture.
fn events() -> Vec<Vec<u8>> {
    let b64 = |p: &[u8]| base64::engine::general_purpose::STANDARD.encode(p);
    let mut out: Vec<Vec<u8>> = (0..u32::from(PREVIEWS))
        .map(|i| {
            event(
                "image_generation.partial_image",
                serde_json::json!({"type": "image_generation.partial_image", "b64_json": b64(&picture(i + 1)),
                                   "partial_image_index": i, "size": "1536x1024", "output_format": "png"}),
            )
        })
        .collect();
    out.push(event(
        "image_generation.completed",
        serde_json::json!({"type": "image_generation.completed", "b64_json": b64(&picture(9)), "size": "1536x1024",
                           "quality": "high", "output_format": "png",
                           "usage": {"input_tokens": 20, "output_tokens": 6540, "total_tokens": 6560}}),
    ));
    out
}

/// Serves one streamed answer on 127.0.0.1, an event every `pause`; notes when the last byte of
/// each event was written.
async fn serve(events: Vec<Vec<u8>>, pause: Duration, written: Arc<Mutex<Vec<Instant>>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_request(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        for e in events {
            tokio::time::sleep(pause).await;
            socket.write_all(&e).await.unwrap();
            socket.flush().await.unwrap();
            written.lock().unwrap().push(Instant::now());
        }
        let _ = socket.shutdown().await;
    });
    format!("http://{address}/v1")
}

/// Reads a request's head and its body (by Content-Length).
async fn read_request(socket: &mut tokio::net::TcpStream) {
    let mut data = Vec::new();
    let mut buf = [0u8; 65536];
    let head_end = loop {
        let n = socket.read(&mut buf).await.unwrap();
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        assert!(n > 0, "the request ended early");
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await.unwrap();
        assert!(n > 0, "the request ended early");
        data.extend_from_slice(&buf[..n]);
    }
}

fn main() {
    let events = events();
    let sizes: Vec<usize> = events.iter().map(Vec::len).collect();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let written = Arc::new(Mutex::new(Vec::new()));
    let base = rt.block_on(serve(events, Duration::from_millis(400), written.clone()));
    let dir = tempfile::tempdir().unwrap();
    let library = Arc::new(Library::open(dir.path()).unwrap());
    let config = WorkerConfig { thumbnail_size: Some(296), ..WorkerConfig::default() };
    let worker = Worker::new(config, library, || {}).unwrap();
    let request = ImageRequest {
        quality: Quality::High,
        size: Size::Landscape,
        partial_images: PREVIEWS,
        ..ImageRequest::new("a bench of streamed previews")
    };
    let job = Job {
        request,
        endpoint: Endpoint::from_base_url(&base, None).unwrap(),
        key: ApiKey::new("sk-bench-0123456789abcdefghijkl").unwrap(),
        comparison: None,
        edit: None,
    };
    let id = worker.submit(job);
    // The window's side, headless: a frame every 16 ms takes in the worker's events (a preview
    // made a texture, as App::preview does) and draws what it has; each frame is timed.
    let ctx = egui::Context::default();
    let mut textures: Vec<egui::TextureHandle> = Vec::new();
    let mut ready: Vec<(String, Instant)> = Vec::new();
    let (mut worst, mut frames, mut finished) = (0.0f64, 0u32, false);
    let deadline = Instant::now() + Duration::from_secs(120);
    while !finished && Instant::now() < deadline {
        let started = Instant::now();
        let _ = ctx.run_ui(egui::RawInput::default(), |ui| {
            while let Some(e) = worker.try_recv() {
                if e.job() != id {
                    continue;
                }
                match e {
                    Event::Preview { step, of, preview, .. } => {
                        let image = easel::app::thumbs::color_image(&preview);
                        textures.push(ui.ctx().load_texture("bench-preview", image, egui::TextureOptions::LINEAR));
                        ready.push((format!("preview {step} of {of}"), Instant::now()));
                    }
                    Event::Thumbnail { .. } => {
                        ready.push(("the picture (saved, thumbnail made)".into(), Instant::now()));
                    }
                    Event::Finished { .. } => finished = true,
                    Event::Failed { error, .. } => panic!("the streamed request failed: {error}"),
                    _ => {}
                }
            }
            for t in &textures {
                ui.image((t.id(), egui::vec2(256.0, 171.0)));
            }
        });
        let took = started.elapsed();
        worst = worst.max(took.as_secs_f64() * 1000.0);
        frames += 1;
        std::thread::sleep(Duration::from_millis(16).saturating_sub(took));
    }
    let written = written.lock().unwrap().clone();
    println!("stream: {W}×{H}, {PREVIEWS} previews; events of {} MB each", sizes[0] / 1_000_000);
    for ((what, at), last_byte) in ready.iter().zip(&written) {
        let ms = at.saturating_duration_since(*last_byte).as_secs_f64() * 1000.0;
        println!("  {what}: {ms:.1} ms from its last byte to a texture in the window (frames every 16 ms)");
    }
    println!("  the window's thread meanwhile: {frames} frames, the worst {worst:.2} ms");
}
