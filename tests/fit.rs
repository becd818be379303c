//! Every screen fits (issue 25, 8): from a 1024×640 window at 100 % to 1920×1080 at the largest
//! text size (960×540 points), in English and Chinese, what a user needs on each screen is inside
//! the window, never cut off or pushed past its edge; a toolbar with too little room folds the
//! rest into its "⋯". The real App in egui_kittest. With `EASEL_SURVEY=DIR`, each screen is
//! also written to DIR as a PNG, to be looked at.

mod common;

use common::harness::*;
use easel::app::{App, Command};
use easel::i18n::Lang;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Window sizes and text sizes: the smallest window at 100 %, a large one at 100 %, and the
/// large one at the largest text size.
const SIZES: [(f32, f32, f32); 3] = [(1024.0, 640.0, 1.0), (1920.0, 1080.0, 1.0), (1920.0, 1080.0, 2.0)];

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn window(world: &World, lang: Lang, (w, h, scale): (f32, f32, f32)) -> Harness<'static, App> {
    let mut options = Some(world.options());
    // The harness's size is in points: a screen of w × h pixels holds w / scale of them.
    let points = egui::vec2(w, h) / scale;
    let mut h = Harness::builder().with_size(points).with_max_steps(12).build_eframe(move |cc| {
        let mut state = easel::app::Persisted::default();
        state.settings.language = Some(lang);
        state.settings.ui_scale = scale;
        App::with_state(&cc.egui_ctx, options.take().unwrap(), state)
    });
    step_until(&mut h, "the history", |h| !h.state().history_loading);
    step_until(&mut h, "the thumbnails", |h| {
        let s = h.state();
        s.gallery.iter().take(6).all(|g| s.thumbs.has(&g.saved.path))
    });
    h.run();
    h
}

/// Fails unless each of `names` is on screen, whole, inside the window.
fn inside(h: &Harness<'_, App>, screen: &str, names: &[&str]) {
    let window = h.ctx.content_rect();
    for name in names {
        let rects: Vec<egui::Rect> = h.query_all_by_label(name).map(|n| n.rect()).collect();
        assert!(!rects.is_empty(), "{screen}: no “{name}” at all");
        assert!(
            rects.iter().any(|r| window.expand(0.5).contains_rect(*r) && r.width() > 1.0),
            "{screen}: “{name}” at {rects:?} is not inside the window {window:?}"
        );
    }
}

fn survey(h: &mut Harness<'static, App>, name: &str) {
    let Some(dir) = std::env::var_os("EASEL_SURVEY") else { return };
    h.input_mut().events.push(egui::Event::PointerGone);
    h.run();
    if let Ok(image) = h.render() {
        image.save(std::path::Path::new(&dir).join(format!("{name}.png"))).unwrap();
    }
}

#[test]
fn every_screen_fits_the_smallest_window_and_the_largest_text() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let world = World::new().with_key();
    {
        // A library: eight pictures, and a comparison of three.
        let mut h = world.generated("A lighthouse on a rocky coast at dusk, dramatic clouds, oil painting", 8);
        h.state_mut().state.form.prompt = "A cosy reading nook with a green armchair".into();
        h.run();
        h.get_by_label("Compare qualities…").click();
        h.run();
        h.get_by_label("Make 3 pictures").click();
        step_until(&mut h, "the comparison", |h| h.state().active_jobs() == 0 && h.state().gallery.len() == 11);
    }
    for lang in [Lang::En, Lang::ZhCn] {
        let zh = lang == Lang::ZhCn;
        let t = |en: &'static str, cn: &'static str| if zh { cn } else { en };
        for size in SIZES {
            let tag = format!("{}x{}@{}-{lang:?}", size.0, size.1, size.2 * 100.0);
            let mut h = window(&world, lang, size);
            survey(&mut h, &format!("{tag}-gallery"));
            inside(&h, &format!("gallery {tag}"), &[t("Generate", "生成"), t("More", "更多")]);

            let picture = h.state().gallery.iter().find(|g| g.saved.meta.comparison.is_none()).unwrap().id;
            h.state_mut().push(Command::OpenViewer(picture));
            step_until(&mut h, "the picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
            h.run();
            survey(&mut h, &format!("{tag}-viewer"));
            inside(&h, &format!("viewer {tag}"), &[t("Fit", "适应窗口"), "1:1", t("More", "更多")]);
            h.state_mut().push(Command::CloseViewer);
            h.run();

            let cell = h.state().gallery.iter().find(|g| g.saved.meta.comparison.is_some()).unwrap().id;
            h.state_mut().push(Command::OpenComparison(cell));
            step_until(&mut h, "the comparison's pictures", |h| {
                h.state().comparison.as_ref().is_some_and(|c| {
                    !c.pictures.is_empty() && c.pictures.values().all(|p| matches!(p, easel::app::Picture::Ready(_)))
                })
            });
            h.run();
            survey(&mut h, &format!("{tag}-comparison"));
            inside(&h, &format!("comparison {tag}"), &[t("Fit", "适应窗口"), "1:1"]);
            h.state_mut().push(Command::CloseComparison);
            h.run();

            h.state_mut().push(Command::ChangePicture(picture));
            step_until(&mut h, "the painter", |h| h.state().painter.as_ref().is_some_and(|p| p.pixel_size().is_some()));
            h.run();
            survey(&mut h, &format!("{tag}-painter"));
            inside(&h, &format!("painter {tag}"), &[t("Done", "完成"), t("Fit", "适应窗口"), "1:1"]);
            h.state_mut().push(Command::ClosePainter);
            h.run();
            survey(&mut h, &format!("{tag}-change"));
            inside(&h, &format!("change {tag}"), &[t("Change", "修改")]);
            h.state_mut().push(Command::StopChanging);
            h.run();

            h.state_mut().push(Command::ShowSettings);
            h.run();
            survey(&mut h, &format!("{tag}-settings"));
            inside(&h, &format!("settings {tag}"), &[t("Close", "关闭")]);
            h.state_mut().push(Command::CloseSettings);
            h.run();
        }
    }
}

/// Fails if any two of `names` overlap: a toolbar that ran out of room.
fn apart(h: &Harness<'_, App>, screen: &str, names: &[&str]) {
    let rects: Vec<(&str, egui::Rect)> =
        names.iter().filter_map(|n| h.query_all_by_label(n).next().map(|node| (*n, node.rect()))).collect();
    for (i, (a, ra)) in rects.iter().enumerate() {
        for (b, rb) in &rects[i + 1..] {
            assert!(!ra.shrink(1.0).intersects(rb.shrink(1.0)), "{screen}: “{a}” {ra:?} runs into “{b}” {rb:?}");
        }
    }
}

#[test]
fn the_viewers_toolbar_folds_rather_than_overlap_at_half_the_smallest_window() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let world = World::new().with_key();
    drop(world.generated("A lighthouse on a rocky coast at dusk", 2));
    // 1024×640 at 200%: 512×320 points, below what the rest of the window is made for.
    let mut h = window(&world, Lang::En, (1024.0, 640.0, 2.0));
    let picture = h.state().gallery[0].id;
    h.state_mut().push(Command::OpenViewer(picture));
    step_until(&mut h, "the picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    h.run();
    survey(&mut h, "1024x640@200-En-viewer");
    let bar =
        ["Close", "Previous", "Next", "Zoom out", "Zoom in", "Fit", "1:1", "Save as…", "Copy image", "Delete", "More"];
    inside(&h, "viewer 512×320", &["Close", "Fit", "1:1", "Save as…", "More"]);
    apart(&h, "viewer 512×320", &bar);
}
