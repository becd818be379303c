//! Streamed previews, end to end (issue 15): a local server streams a 1536×1024 high-quality
//! answer with 3 previews (each a full-size PNG of noisy detail, as a model's are, a few MB in
//! base64), and the real `App`, asked to Generate as the form's button does, sends it: its worker
//! reads the stream, decodes each preview small off the reactor, saves the picture and makes its
//! thumbnail, while the app's frames run every 16 ms as eframe would run them (`App::logic`,
//! `ui::draw`, `App::end_frame`) in a 1280×800 window without painting (no GPU here). Printed:
//! for each preview and the final picture, the time from the server's last byte of its event to
//! its texture in the app (the request's tile, the gallery's thumbnail); and the longest the
//! app took to build a frame meanwhile (build only: tessellation and painting are the
//! renderer's, measured by `scripts/bench-library.sh` in a real window). Targets: ≤ 100 ms per
//! preview; no frame build over 16 ms.
//! Run: `cargo bench --bench stream`.

use base64::Engine;
use easel::api::Quality;
use easel::app::form::SizeChoice;
use easel::app::{App, AppOptions, Command, Message, Persisted};
use easel::secrets::{ApiKey, Secrets};
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
    // The key, in keyring-core's mock store, for the bench's endpoint.
    keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap());
    let secrets = Arc::new(Secrets::new());
    let account = easel::endpoint::Endpoint::from_base_url(&base, None).unwrap().key_account();
    secrets.store(&account, &ApiKey::new("sk-bench-0123456789abcdefghijkl").unwrap()).unwrap();
    let options = AppOptions {
        data_dir: dir.path().to_path_buf(),
        secrets,
        dialogs: Arc::new(easel::app::NativeDialogs),
        client: easel::api::ClientConfig::default(),
        base_url_override: Some(base),
        trash_folder: Some(dir.path().join("trash")),
        undo_window: Duration::from_secs(10),
        diagnostics: false,
        open: None,
        today: None,
    };
    let mut state = Persisted::default();
    state.settings.language = Some(easel::i18n::Lang::En);
    state.form.prompt = "a bench of streamed previews".into();
    state.form.quality = Quality::High;
    state.form.size = SizeChoice::Landscape;
    state.form.previews = PREVIEWS;
    let ctx = egui::Context::default();
    let mut app = App::with_state(&ctx, options, state);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        ..egui::RawInput::default()
    };
    let frame = |app: &mut App| {
        let started = Instant::now();
        let _ = ctx.run_ui(input(), |ui| {
            app.logic(ui.ctx());
            easel::ui::draw(ui, app);
            app.end_frame(ui.ctx());
        });
        started.elapsed()
    };
    while app.history_loading {
        frame(&mut app);
        std::thread::sleep(Duration::from_millis(16));
    }
    app.push(Command::Generate);
    let mut ready: Vec<(String, Instant)> = Vec::new();
    let (mut worst, mut frames, mut shown) = (0.0f64, 0u32, 0u8);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let took = frame(&mut app);
        worst = worst.max(took.as_secs_f64() * 1000.0);
        frames += 1;
        // A preview is in the app once the request's tile holds its texture.
        let step = app.jobs.iter().flat_map(|j| j.previews.iter().flatten()).map(|p| p.step).max().unwrap_or(0);
        if step > shown {
            shown = step;
            ready.push((format!("preview {step} of {PREVIEWS}"), Instant::now()));
        }
        let thumbnail = app.gallery.first().is_some_and(|g| app.thumbs.has(&g.saved.path));
        if thumbnail {
            ready.push(("the picture (saved, its thumbnail in the gallery)".into(), Instant::now()));
            break;
        }
        assert!(Instant::now() < deadline, "the streamed request did not finish in two minutes");
        if let Some(Message::Failed(problem)) = app.notice.as_ref().map(|n| &n.message) {
            panic!("the streamed request failed: {problem}");
        }
        std::thread::sleep(Duration::from_millis(16).saturating_sub(took));
    }
    let written = written.lock().unwrap().clone();
    println!("stream: {W}×{H}, {PREVIEWS} previews; events of {} MB each", sizes[0] / 1_000_000);
    for ((what, at), last_byte) in ready.iter().zip(&written) {
        let ms = at.saturating_duration_since(*last_byte).as_secs_f64() * 1000.0;
        println!("  {what}: {ms:.1} ms from its last byte to its texture in the app (frames every 16 ms)");
    }
    println!("  the app meanwhile: {frames} frames, the longest build {worst:.2} ms (logic and views, no painting)");
}
