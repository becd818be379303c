//! A bare eframe window with one heading that prints, as Easel's bench mode does, when its first
//! frame was on screen (taken as the second frame is built: eframe shows the window after
//! painting the first), and its resident memory then, and closes.

use eframe::egui;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() -> eframe::Result {
    let start = std::time::Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("Bare").with_inner_size([1200.0, 800.0]),
        ..Default::default()
    };
    let mut frames = 0;
    eframe::run_ui_native("bare-window", options, move |ui, _frame| {
        frames += 1;
        if frames == 1 {
            println!("first-ui-ms {}", start.elapsed().as_millis());
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("A bare eframe window");
        });
        if frames == 2 {
            let ns = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            println!("first-frame-epoch-ns {ns}");
            println!("main-epoch-ns {}", ns.saturating_sub(start.elapsed().as_nanos()));
            println!("first-frame-ms {}", start.elapsed().as_millis());
            println!("rss-mb-first {}", rss_mb("VmRSS"));
            println!("rss-anon-mb-first {}", rss_mb("RssAnon"));
            println!("rss-file-mb-first {}", rss_mb("RssFile"));
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        ui.ctx().request_repaint();
    })
}

/// A resident memory figure of /proc/self/status in MiB (-1 elsewhere).
fn rss_mb(field: &str) -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kb.map_or_else(|| "-1".into(), |kb| format!("{:.1}", kb / 1024.0))
}
