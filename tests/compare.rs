//! Comparisons in the window: the real App in `egui_kittest` against a fake relay over real HTTP
//! whose latency differs by quality, one quality refused, one not honoured.

mod common;

use common::harness::*;
use common::*;
use easel::api::{ImageRequest, Quality};
use easel::app::{App, CellState};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::ResponseTemplate;

const PROMPT: &str = "a lighthouse at dusk";

/// One picture of `w`×`h` with `tokens` output tokens, after `delay_ms`.
fn answer(w: u32, h: u32, tokens: u64, delay_ms: u64) -> ResponseTemplate {
    let mut body = b64_answer(&[png(w, h)]);
    body["usage"] = json!({"input_tokens": 20, "output_tokens": tokens, "total_tokens": 20 + tokens});
    ResponseTemplate::new(200)
        .set_body_raw(body.to_string(), "application/json")
        .set_delay(Duration::from_millis(delay_ms))
}

/// Low answers at once, honestly (gpt-image-2 square low is about 200 tokens); Medium is
/// refused once, then made; High takes longer and comes back at another size with Low's tokens.
fn relay(world: &World) {
    world.answer_quality("low", answer(1024, 1024, 200, 50), None);
    let refused = ResponseTemplate::new(400)
        .set_body_json(error_body("Your request was rejected by the safety system.", "moderation_blocked"));
    world.answer_quality("medium", refused, Some(1));
    world.answer_quality("medium", answer(1024, 1024, 1800, 50), None);
    world.answer_quality("high", answer(1536, 1024, 200, 1500), None);
}

fn cells(h: &Harness<'_, App>) -> Vec<CellState> {
    h.state().comparison_cells()
}

fn waiting(c: &CellState) -> bool {
    matches!(c, CellState::Waiting { .. })
}

fn done(c: &CellState) -> bool {
    matches!(c, CellState::Done { .. })
}

/// No cell is waiting, every made cell's full-size picture is decoded and on screen, and every
/// request has ended (the header's activity stops turning).
fn pictures_in(h: &Harness<'_, App>) -> bool {
    let s = h.state();
    let Some(c) = &s.comparison else { return false };
    s.active_jobs() == 0
        && s.comparison_cells().iter().all(|cell| match cell {
            CellState::Waiting { .. } => false,
            CellState::Done { picture } => s
                .picture(*picture)
                .is_some_and(|g| matches!(c.pictures.get(&g.saved.path), Some(easel::app::Picture::Ready(_)))),
            _ => true,
        })
}

/// The window with the relay above, the prompt typed and the compare dialog open.
fn compare_dialog(world: &World) -> Harness<'static, App> {
    relay(world);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, PROMPT);
    h.get_by_label("Compare qualities…").click();
    h.run();
    h
}

fn bodies(world: &World) -> Vec<Value> {
    world.posted().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

#[test]
fn comparing_qualities_shows_each_cell_as_it_arrives_with_its_figures_and_keeps_it() {
    let world = World::new().with_key();
    let mut h = compare_dialog(&world);

    // The total is shown before anything is sent: gpt-image-2, square, 0.006 + 0.053 + 0.211,
    // and the form's 3 previews a picture (300 output tokens at $30 per million, 0.009 each), as
    // the cells are sent and recorded: the dialog once left the previews out.
    assert!(has_label_containing(&h, "3 pictures, $0.30 in all at list prices."));
    assert!(has_label_containing(&h, "$0.015") && has_label_containing(&h, "$0.22"));
    assert_eq!(world.requests(), 0, "nothing is sent before the user confirms");
    h.get_by_label("Make 3 pictures").click();

    // Low arrives while High is still being made: the grid fills in as results come.
    step_until(&mut h, "the Low cell", |h| done(&cells(h)[0]));
    assert!(waiting(&cells(&h)[2]), "High is slower: {:?}", cells(&h));
    step_until(&mut h, "every cell", pictures_in);
    h.run();

    let c = cells(&h);
    assert!(done(&c[0]) && done(&c[2]), "{c:?}");
    assert!(matches!(&c[1], CellState::Failed(e) if e.to_string().contains("safety system")), "{c:?}");
    // Each cell is labelled with its quality and figures; the failed one says why, with Retry.
    for label in ["Low", "Medium", "High", "Picture for Low", "Picture for High"] {
        assert!(h.query_by_label(label).is_some(), "no {label}");
    }
    assert!(has_label_containing(&h, "The prompt was refused by the safety system"));
    assert_eq!(h.get_all_by_label("Retry").count(), 1);
    // One cost per picture (Low's, from its 200 tokens); the tokens themselves only under More info.
    assert!(has_label_containing(&h, "about $0.01"), "Low's cost");
    assert!(!has_label_containing(&h, "tokens"), "no token counts by default");
    assert!(has_label_containing(&h, "1024×1024 PNG · "));
    assert!(has_label_containing(&h, "2 of 3 made · $0.012 in all"));
    // What the relay did not do as asked: High came back at another size, and with Low's tokens.
    assert!(has_label_containing(&h, "Asked for 1024×1024, came back 1536×1024."));
    assert!(has_label_containing(&h, "This looks like Low quality, not High"));
    assert_eq!(h.query_all(By::new().label_contains("not have made the quality")).count(), 1, "Low was honoured");
    h.get_all_by_label("More info").next().unwrap().click();
    h.run();
    assert!(has_label_containing(&h, "200 tokens · $0.006 from tokens"), "Low's tokens and cost from them");

    // Three requests, one picture each, same prompt, one per quality.
    let mut sent: Vec<String> = bodies(&world)
        .iter()
        .map(|b| {
            assert_eq!((b["n"].as_u64(), b["prompt"].as_str()), (Some(1), Some(PROMPT)));
            b["quality"].as_str().unwrap().to_string()
        })
        .collect();
    sent.sort();
    assert_eq!(sent, ["high", "low", "medium"]);

    // Both pictures are in the library, each tagged with its place in the comparison.
    let metas: Vec<Value> = world
        .images()
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p.with_extension("json")).unwrap()).unwrap())
        .collect();
    assert_eq!(metas.len(), 2);
    let id = metas[0]["comparison"]["id"].clone();
    assert!(metas.iter().all(|m| m["comparison"]["id"] == id && m["comparison"]["x"]["setting"] == "quality"));

    // Retry the refused cell: the relay makes it this time, in its place.
    h.get_by_label("Retry").click();
    step_until(&mut h, "the retried cell", |h| done(&cells(h)[1]) && pictures_in(h));
    assert_eq!(world.images().len(), 3);
    assert!(has_label_containing(&h, "3 of 3 made"));

    // Pick the winner: Low goes into the form, and the form is back.
    h.get_all_by_label("Use this quality").next().unwrap().click();
    step_until(&mut h, "the form", |h| h.state().comparison.is_none() && pictures_ready(h, 3));
    h.run();
    assert_eq!(h.state().state.form.quality, Quality::Low);
    assert!(h.state().comparison.is_none());
    assert!(has_label_containing(&h, "The form now uses Low."));
    assert_eq!(h.state().state.form.prompt, PROMPT, "only the compared setting changes");
}

#[test]
fn a_comparison_reopens_from_the_history_and_exports_its_sheet() {
    let world = World::new().with_key();
    {
        let mut h = compare_dialog(&world);
        h.get_by_label("Make 3 pictures").click();
        step_until(&mut h, "every cell", |h| h.state().comparison_cells().iter().all(|c| !waiting(c)));
    }

    // After a restart the history offers the comparison again; the refused cell was never made.
    let mut h = world.app();
    h.run();
    h.get_all_by_label("Open comparison").next().expect("an Open comparison button in the history").click();
    step_until(&mut h, "the reopened comparison", pictures_in);
    h.run();
    let c = cells(&h);
    assert!(done(&c[0]) && done(&c[2]) && c[1] == CellState::Missing, "{c:?}");
    assert!(h.query_by_label("Not made.").is_some());

    // Zoom is shared: one + zooms every cell; the A/B wipe shows two cells in one frame.
    h.get_by_label("Zoom in").click();
    h.run();
    let zoom = &h.state().comparison.as_ref().unwrap().view.zoom;
    let fitted = zoom.reference.expect("a picture drawn").fit_scale();
    assert!(zoom.scale.is_some_and(|s| (s - fitted * 1.25).abs() < 1e-4), "{zoom:?}");
    h.get_by_label("A/B wipe").click();
    h.run();
    assert!(h.query_by_label("A/B wipe: Low | High").is_some());
    h.get_by_label("A/B wipe").click();
    h.run();

    // With no file dialog on the system the sheet is still made, beside the library, and said so.
    h.get_by_label("Export sheet…").click();
    step_until(&mut h, "the sheet without a dialog", |h| {
        h.state().comparison.as_ref().is_some_and(|c| c.exported.is_some())
    });
    h.run();
    assert!(has_label_containing(&h, "No file dialog could open on this system. Sheet saved to"));
    let sheets: Vec<_> = std::fs::read_dir(world.data.path().join("sheets")).unwrap().collect();
    assert_eq!(sheets.len(), 1);
    h.state_mut().comparison.as_mut().unwrap().exported = None;

    // Export sheet…: one PNG whose size and labels are those of the layout it was drawn from.
    let target = world.data.path().join("sheet.png");
    *world.dialogs.answer.lock().unwrap() = Some(target.clone());
    h.get_by_label("Export sheet…").click();
    step_until(&mut h, "the sheet", |h| h.state().comparison.as_ref().is_some_and(|c| c.exported.is_some()));
    h.run();
    assert!(has_label_containing(&h, "Sheet saved to"));
    let layout = h.state().comparison.as_ref().unwrap().exported.clone().unwrap();
    let sheet = image::open(&target).unwrap().into_rgba8();
    assert_eq!((sheet.width(), sheet.height()), (layout.width, layout.height));
    let texts: Vec<&str> = layout.texts.iter().map(|t| t.text.as_str()).collect();
    for wanted in ["Low", "Medium", "High", "Not made."] {
        assert!(texts.contains(&wanted), "{wanted} missing from {texts:?}");
    }
    assert!(texts.iter().any(|t| t.contains("$0.006") && t.contains(" s")), "time and cost on the sheet: {texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("1536×1024 PNG")), "the real size: {texts:?}");
    assert!(layout.pictures[0].is_some() && layout.pictures[1].is_none() && layout.pictures[2].is_some());
    // The pictures are really drawn: the middle of Low's picture is the gradient, not paper.
    let r = layout.pictures[0].unwrap();
    let centre = sheet.get_pixel(r.x + r.width / 2, r.y + r.height / 2);
    assert_eq!(centre[2], 128, "the test picture's blue channel: {centre:?}");
}

#[test]
fn a_grid_of_two_settings_puts_each_cell_in_its_place() {
    use egui::accesskit::Role;
    let world = World::new().with_key();
    let mut h = compare_dialog(&world);
    // Quality Low and High across, format PNG and WebP down.
    h.get(By::new().role(Role::CheckBox).label("Medium")).click();
    h.run();
    h.get(By::new().role(Role::ComboBox).label("And vary")).click();
    h.run();
    h.get(By::new().role(Role::Button).label("Format")).click();
    h.run();
    h.get(By::new().role(Role::CheckBox).label("JPEG")).click();
    h.run();
    assert!(has_label_containing(&h, "4 pictures,"));
    h.get_by_label("Make 4 pictures").click();
    step_until(&mut h, "every cell", pictures_in);
    h.run();

    // The field's name may change on the way: a relay that ignores the format makes Easel try
    // the other name ("format") next time.
    let format = |b: &Value| b.get("output_format").or(b.get("format")).and_then(Value::as_str).unwrap().to_string();
    let mut sent: Vec<(String, String)> =
        bodies(&world).iter().map(|b| (b["quality"].as_str().unwrap().into(), format(b))).collect();
    sent.sort();
    assert_eq!(
        sent,
        [
            ("high".into(), "png".into()),
            ("high".into(), "webp".into()),
            ("low".into(), "png".into()),
            ("low".into(), "webp".into())
        ]
    );
    let c = h.state().comparison.as_ref().unwrap();
    let labels: Vec<&str> = c.plan.cells.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Low · PNG", "High · PNG", "Low · WEBP", "High · WEBP"]);
    // Each cell shows the picture made for it: the WebP row asked for WebP and got PNG back.
    for (i, cell) in cells(&h).iter().enumerate() {
        let CellState::Done { picture } = cell else { panic!("cell {i}: {cell:?}") };
        let meta = &h.state().picture(*picture).unwrap().saved.meta;
        // The relay answered in one piece: the record says no previews were made.
        assert_eq!(meta.request.partial_images, 0, "cell {i}");
        let asked = ImageRequest { partial_images: 0, ..c.plan.cells[i].request.clone() };
        assert_eq!(meta.request, asked, "cell {i}");
    }
    assert_eq!(h.query_all(By::new().label_contains("Asked for WEBP, came back as PNG.")).count(), 2);

    // The winner of the second row, second column: both its settings go into the form.
    // It is below the fold in this window: scrolled to, as a user would.
    h.get_all_by_label("Use these settings").nth(3).unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label("Use these settings").nth(3).unwrap().click();
    step_until(&mut h, "the form", |h| h.state().comparison.is_none());
    let form = &h.state().state.form;
    assert_eq!((form.quality, form.format), (Quality::High, easel::api::OutputFormat::Webp));
}
