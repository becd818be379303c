//! What the window looks like at 1366×800, in English and Chinese: the main window with a
//! library over several days and a comparison, the viewer, and the comparison. Drawn on the CPU
//! (Mesa's lavapipe) and compared with the pictures kept in docs/screenshots/, which the README
//! shows; `UPDATE_SNAPSHOTS=1` writes them anew after a change that is meant, to be looked at
//! before committing. Without a renderer or a CJK font the check is skipped, except where
//! `EASEL_REQUIRE_SNAPSHOTS` is set (CI).

mod common;

use common::harness::*;
use easel::app::App;
use easel::app::form::SizeChoice;
use easel::i18n::Lang;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wiremock::ResponseTemplate;

const SIZE: egui::Vec2 = egui::vec2(1366.0, 800.0);

/// The day every picture of the window is taken on: the gallery's "Today" and the dates shown
/// are the same on any day the tests run (in UTC, as CI runs them: `.ci/run` sets TZ).
fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// A world whose window counts its days from [`today`].
fn world() -> World {
    let mut world = World::new().with_key();
    world.today = Some(today());
    world
}

/// Every picture's time in the window fixed on [`today`], a minute apart, newest first as
/// shown: the details and versions show them.
fn pin_times(h: &mut Harness<'static, App>) {
    for (i, g) in h.state_mut().gallery.iter_mut().enumerate() {
        g.saved.meta.created = format!("{}T10:{:02}:00Z", today(), 50 - i);
    }
}

/// The language is one setting for the whole process: the tests here switch it, so they take
/// turns (else one finds its window's words in the other's language).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A small painting: a sky in two colours, a sun, hills; different for each `seed`.
fn art(w: u32, h: u32, seed: u32) -> Vec<u8> {
    const SKIES: [([f32; 3], [f32; 3]); 5] = [
        ([255.0, 184.0, 108.0], [64.0, 44.0, 112.0]),
        ([150.0, 210.0, 240.0], [30.0, 70.0, 130.0]),
        ([255.0, 130.0, 150.0], [50.0, 24.0, 70.0]),
        ([200.0, 235.0, 200.0], [40.0, 100.0, 90.0]),
        ([250.0, 230.0, 170.0], [190.0, 90.0, 60.0]),
    ];
    let (top, bottom) = SKIES[seed as usize % SKIES.len()];
    let (sun_x, sun_y) = (w as f32 * (0.25 + 0.12 * (seed % 5) as f32), h as f32 * 0.38);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let t = fy / h as f32;
        let ridge = h as f32 * (0.66 + 0.07 * ((fx / w as f32) * 6.0 + seed as f32).sin());
        let near = h as f32 * (0.82 + 0.05 * ((fx / w as f32) * 9.0 + seed as f32 * 2.0).cos());
        let mix = |a: [f32; 3], b: [f32; 3], t: f32| [0, 1, 2].map(|i| (a[i] * (1.0 - t) + b[i] * t) as u8);
        if fy > near {
            image::Rgb(mix(bottom, [10.0, 10.0, 20.0], 0.75))
        } else if fy > ridge {
            image::Rgb(mix(bottom, [20.0, 20.0, 30.0], 0.45))
        } else if (fx - sun_x).hypot(fy - sun_y) < h as f32 * 0.1 {
            image::Rgb([255, 240, 200])
        } else {
            image::Rgb(mix(top, bottom, t))
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn answer_with(w: u32, h: u32, seeds: std::ops::Range<u32>) -> ResponseTemplate {
    let pictures: Vec<Vec<u8>> = seeds.map(|s| art(w, h, s)).collect();
    ResponseTemplate::new(200).set_body_raw(common::b64_answer(&pictures).to_string(), "application/json")
}

fn answer(world: &World, w: u32, h: u32, seeds: std::ops::Range<u32>) {
    world.answer(answer_with(w, h, seeds), Some(1));
}

/// Makes a request through the window as a user would.
fn make(h: &mut Harness<'static, App>, prompt: &str, n: u8, size: SizeChoice, ready: usize) {
    h.state_mut().state.form.prompt = String::new();
    common::harness::type_prompt(h, prompt);
    h.state_mut().state.form.n = n;
    h.state_mut().state.form.size = size;
    h.run();
    h.get_by_label("Generate").click();
    step_until(h, "the pictures", |h| pictures_ready(h, ready));
}

/// Moves a request's pictures back in time by rewriting when their details say they were made.
fn made_on(world: &World, prompt_start: &str, when: chrono::DateTime<chrono::Utc>) {
    for picture in world.images() {
        let meta = picture.with_extension("json");
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
        if v["request"]["prompt"].as_str().is_some_and(|p| p.starts_with(prompt_start)) {
            v["created"] = serde_json::json!(when.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
            std::fs::write(&meta, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        }
    }
}

/// A library of four requests over three days and a comparison of qualities.
fn library(world: &World) {
    let mut h = world.app();
    h.run();
    answer(world, 384, 256, 0..4);
    make(&mut h, "A lighthouse on a rocky coast at dusk, dramatic clouds, oil painting", 4, SizeChoice::Landscape, 4);
    answer(world, 256, 384, 4..6);
    make(&mut h, "A red fox curled up in fresh snow at dawn, watercolour", 2, SizeChoice::Portrait, 6);
    answer(world, 320, 320, 6..9);
    make(&mut h, "Hills at sunset over a quiet lake, soft light", 3, SizeChoice::Square, 9);
    for (seed, quality) in (9..).zip(["low", "medium", "high"]) {
        world.answer_quality(quality, answer_with(320, 320, seed..seed + 1), Some(1));
    }
    h.state_mut().state.form.prompt = "A cosy reading nook with a green armchair".into();
    h.run();
    h.get_by_label("Compare qualities…").click();
    h.run();
    h.get_by_label("Make 3 pictures").click();
    step_until(&mut h, "the comparison", |h| h.state().active_jobs() == 0 && h.state().gallery.len() == 12);
    drop(h);
    // Fixed days and times, so the headings and the viewer's "Created" read the same on every run.
    let day = |days_ago: i64, time: &str| {
        let date = today() - chrono::Duration::days(days_ago);
        let t = chrono::NaiveTime::parse_from_str(time, "%H:%M").unwrap();
        date.and_time(t).and_utc()
    };
    made_on(world, "A cosy reading nook", day(0, "09:40"));
    made_on(world, "Hills at sunset", day(0, "09:15"));
    made_on(world, "A lighthouse", day(1, "18:45"));
    let long_ago = chrono::DateTime::parse_from_rfc3339("2025-03-14T10:30:00Z").unwrap().with_timezone(&chrono::Utc);
    made_on(world, "A red fox", long_ago);
}

/// The most pixels allowed to differ from a kept picture: antialiasing's wobble, not a date
/// or a figure (a price's digit is about 60).
const MOST_DIFFERING: usize = 50;

/// Compares the window with docs/screenshots/`name`.png (skipped where nothing can draw it or
/// no CJK font is there, unless required).
fn look(h: &mut Harness<'static, App>, name: &str) {
    let required = std::env::var_os("EASEL_REQUIRE_SNAPSHOTS").is_some();
    if h.state().cjk_font_missing() && !required {
        eprintln!("{name} was not checked: this machine has no CJK font (install fonts-noto-cjk).");
        return;
    }
    // No pointer left where the last click was.
    h.input_mut().events.push(egui::Event::PointerGone);
    h.run();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    let options = egui_kittest::SnapshotOptions::new().output_path(dir).max_failed_pixels(MOST_DIFFERING);
    match h.try_snapshot_options(name, &options) {
        Ok(()) => {}
        Err(egui_kittest::SnapshotError::RenderError { err }) if !required => {
            eprintln!("{name} was not checked: nothing here can draw it ({err}).");
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_main_window_the_viewer_and_a_comparison_in_english_and_chinese() {
    let _turn = turn();
    let world = world();
    library(&world);
    for (lang, suffix) in [(Lang::En, "en"), (Lang::ZhCn, "zh")] {
        let mut h = world.app_in(lang);
        h.set_size(SIZE);
        // Only the rows on screen are drawn and loaded: every tile drawn has its thumbnail.
        let tile = if lang == Lang::En { "Picture " } else { "张图片：" };
        step_until(&mut h, "the library", |h| {
            let s = h.state();
            let drawn = h.query_all_by_label_contains(tile).count();
            !s.history_loading && s.gallery.len() == 12 && drawn > 0 && s.thumbs.len() >= drawn
        });
        // A prompt ready to send, as the window looks in use.
        h.state_mut().state.form.prompt = if lang == Lang::En {
            "A quiet harbour at dawn, soft mist, watercolour"
        } else {
            "黎明时分宁静的港湾，薄雾，水彩"
        }
        .into();
        // No text cursor blinking in the prompt, no focus ring anywhere.
        h.ctx.memory_mut(|m| {
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
        h.run();
        look(&mut h, &format!("main-{suffix}"));

        let lighthouse = |g: &&easel::app::GalleryItem| {
            g.saved.meta.request.prompt.starts_with("A lighthouse") && g.saved.meta.index == 1
        };
        let id = h.state().gallery.iter().find(lighthouse).unwrap().id;
        h.state_mut().push(easel::app::Command::OpenViewer(id));
        h.run();
        step_until(&mut h, "the picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
        h.run();
        look(&mut h, &format!("viewer-{suffix}"));
        h.key_press(egui::Key::Escape);
        h.run();

        let open = if lang == Lang::En { "Open comparison" } else { "打开对比" };
        h.get_all_by_label(open).next().unwrap().click();
        step_until(&mut h, "the comparison's pictures", |h| {
            h.state().comparison.as_ref().is_some_and(|c| {
                !c.pictures.is_empty() && c.pictures.values().all(|p| matches!(p, easel::app::Picture::Ready(_)))
            })
        });
        h.run();
        look(&mut h, &format!("comparison-{suffix}"));
    }
}

/// Changing a picture: the form with the pictures of the change and the painter beside it,
/// an area painted; then the change made, in the viewer with its versions and before/after.
#[test]
fn changing_a_picture_and_its_versions_in_english_and_chinese() {
    let _turn = turn();
    for (lang, suffix) in [(Lang::En, "en"), (Lang::ZhCn, "zh")] {
        let world = world();
        let mut h = world.app();
        h.run();
        answer(&world, 384, 256, 0..2);
        let prompt = "A lighthouse on a rocky coast at dusk, dramatic clouds, oil painting";
        make(&mut h, prompt, 2, SizeChoice::Landscape, 2);
        drop(h);
        let mut h = world.app_in(lang);
        h.set_size(SIZE);
        step_until(&mut h, "the pictures", |h| h.state().gallery.len() == 2);
        let (first, second) = (h.state().gallery[0].id, h.state().gallery[1].id);
        h.state_mut().push(easel::app::Command::ChangePicture(first));
        h.state_mut().push(easel::app::Command::UseAsReference(second));
        step_until(&mut h, "the painter and the pictures", |h| {
            let s = h.state();
            s.change.tray.len() == 2 && s.painter.as_ref().is_some_and(|p| p.pixel_size().is_some())
        });
        h.run();
        drag(&mut h, &[(40.0, 70.0), (120.0, 60.0), (200.0, 75.0), (300.0, 65.0)]);
        h.state_mut().state.form.prompt =
            if lang == Lang::En { "Add a flock of gulls in the sky" } else { "在天空中加一群海鸥" }.into();
        h.ctx.memory_mut(|m| {
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
        pin_times(&mut h);
        h.run();
        look(&mut h, &format!("change-{suffix}"));

        // The change made: the relay answers with another painting; the viewer shows the line.
        let edits = wiremock::Mock::given(wiremock::matchers::method("POST"))
            .and(wiremock::matchers::path("/v1/images/edits"))
            .respond_with(answer_with(384, 256, 3..4));
        world.rt.block_on(edits.mount(&world.server));
        let change = if lang == Lang::En { "Change" } else { "修改" };
        h.get_by_label(change).click();
        step_until(&mut h, "the change", |h| h.state().jobs.is_empty() && h.state().shown().len() == 3);
        let made =
            h.state().gallery.iter().find(|g| g.saved.meta.edit.is_some() && !g.saved.meta.is_raw_result()).unwrap().id;
        h.state_mut().push(easel::app::Command::OpenViewer(made));
        step_until(&mut h, "the change in the viewer", |h| {
            let s = h.state();
            s.viewer.as_ref().is_some_and(|v| v.texture.is_some()) && s.thumbs.has(&s.gallery[0].saved.path)
        });
        pin_times(&mut h);
        h.run();
        look(&mut h, &format!("versions-{suffix}"));
    }
}
