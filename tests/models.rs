//! This month's models in the window (issue 26): the picker offers the known models newest first
//! with what each is for and never a retired one; xhigh and max come with the models that make
//! them, priced "at least"; complexity is gpt-image-2.6's; what a model cannot take is greyed out
//! with why, and never sent. The real App in egui_kittest, against a relay that knows the models.

mod common;

use common::harness::*;
use egui_kittest::kittest::{NodeT, Queryable};

fn world() -> World {
    let world = World::new().with_key();
    world.rt.block_on(
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .and(wiremock::matchers::path("/v1/images/generations"))
            .respond_with(common::ModelsRelay)
            .mount(&world.server),
    );
    world
}

fn survey(h: &mut egui_kittest::Harness<'static, easel::app::App>, name: &str) {
    if let Some(dir) = std::env::var_os("EASEL_SURVEY") {
        h.run();
        h.render().unwrap().save(std::path::Path::new(&dir).join(format!("{name}.png"))).unwrap();
    }
}

#[test]
fn the_picker_offers_the_newest_models_first_and_never_a_retired_one() {
    let world = world();
    let mut h = world.app();
    h.get_by_label("Model suggestions").click();
    h.run();
    survey(&mut h, "models-picker");
    let first = h.get_by_label_contains("gpt-image-2.6-sunburst").rect();
    let older = h.get_by_label_contains("gpt-image-1.5").rect();
    assert!(first.top() < older.top(), "the newest first");
    assert!(has_label_containing(&h, "Newest · most detail"), "each says what it is for");
    assert!(
        h.query_by_label_contains("gpt-image-1 ").is_none() && !has_label_containing(&h, "dall-e"),
        "no retired model"
    );
    h.get_by_label_contains("gpt-image-2.6-flare").click();
    h.run();
    assert_eq!(h.state().state.form.model, "gpt-image-2.6-flare");
}

#[test]
fn maximum_quality_and_complexity_are_sent_to_the_model_that_takes_them_and_greyed_out_for_others() {
    let world = world();
    let mut h = world.app();
    h.state_mut().state.form.model = "gpt-image-2.6-flare".into();
    type_prompt(&mut h, "a fox in the snow");
    h.get_by_label_contains("Maximum").click();
    h.get_by_label("Advanced").click();
    h.run();
    h.get_by_label("Complexity").click();
    h.run();
    h.get_by_label("Low").click();
    h.run();
    survey(&mut h, "models-2.6-form");
    // High's 7,024 tokens and three previews' 300, at $30 a million: $0.2197.
    assert!(has_label_containing(&h, "Maximum · at least $0.22 each"), "no count is published: at least high's price");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the picture", |h| pictures_ready(h, 1));
    let sent: serde_json::Value = serde_json::from_slice(&world.posted()[0].body).unwrap();
    assert_eq!((sent["quality"].as_str(), sent["complexity"].as_str()), (Some("max"), Some("low")));

    // gpt-image-2 takes neither: Maximum stays in sight, greyed out, and Generate says why.
    h.state_mut().state.form.model = "gpt-image-2".into();
    h.run();
    survey(&mut h, "models-2-form");
    assert!(h.get_by_label_contains("Maximum").accesskit_node().is_disabled(), "greyed out, not dropped");
    assert!(has_label_containing(&h, "gpt-image-2 does not take the quality max"));
    assert!(h.get_by_label("Generate").accesskit_node().is_disabled());
    assert_eq!(world.requests(), 1, "nothing more was sent");
}

#[test]
fn a_retired_model_from_an_old_picture_is_refused_before_sending_with_its_date() {
    let world = world();
    let mut h = world.app();
    // As "Use these settings" on a picture made with it would put it.
    h.state_mut().state.form.model = "gpt-image-1".into();
    type_prompt(&mut h, "a fox in the snow");
    h.run();
    assert!(has_label_containing(&h, "gpt-image-1 was shut down on 2026-10-23"));
    assert!(has_label_containing(&h, "Use gpt-image-2 or gpt-image-1.5 instead."));
    assert!(h.get_by_label("Generate").accesskit_node().is_disabled());
    assert_eq!(world.requests(), 0);
}

/// The relay's own list: two image models (one Easel does not know), a chat model.
fn listing(world: &World) {
    let list = serde_json::json!({"object": "list", "data": [{"id": "gpt-image-2"}, {"id": "flux-kontext-pro"}, {"id": "gpt-4o"}]});
    world.rt.block_on(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path("/v1/models"))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(list))
            .mount(&world.server),
    );
}

fn lists_asked(world: &World) -> usize {
    let all = world.rt.block_on(world.server.received_requests()).unwrap_or_default();
    all.iter().filter(|r| r.url.path() == "/v1/models").count()
}

#[test]
fn the_endpoints_own_models_join_the_picker_and_are_read_once() {
    let world = world();
    listing(&world);
    let mut h = world.app();
    step_until(&mut h, "the endpoint's list", |h| !h.state().state.listed_models.is_empty());
    h.run();
    h.get_by_label("Model suggestions").click();
    h.run();
    survey(&mut h, "models-picker-listed");
    assert!(has_label_containing(&h, "From your service"));
    assert!(h.query_by_label_contains("flux-kontext-pro").is_some(), "the endpoint's other image model");
    assert!(h.query_by_label_contains("gpt-4o").is_none(), "not a chat model");
    assert!(has_label_containing(&h, "Newest · most detail · not listed by your service"));
    h.get_by_label_contains("flux-kontext-pro").click();
    h.run();
    assert_eq!(h.state().state.form.model, "flux-kontext-pro");
    for _ in 0..5 {
        h.run();
    }
    assert_eq!(lists_asked(&world), 1, "once a run");
    // Started again within the day with the list kept: not asked again.
    let kept = h.state().state.clone();
    drop(h);
    let ctx = egui::Context::default();
    let mut app = easel::app::App::with_state(&ctx, world.options(), kept);
    app.logic(&ctx);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(lists_asked(&world), 1, "a list younger than a day is kept");
}

#[test]
fn the_compare_dialog_offers_the_qualities_the_model_makes() {
    let world = world();
    let mut h = world.app();
    h.state_mut().state.form.prompt = "a fox".into();
    h.run();
    h.get_by_label("Compare qualities…").click();
    h.run();
    let offered = |h: &egui_kittest::Harness<'_, easel::app::App>, q: &str| h.query_all_by_label(q).count() > 0;
    assert!(offered(&h, "Low"));
    assert!(!offered(&h, "Extra high"), "gpt-image-2 does not make it");
    h.key_press(egui::Key::Escape);
    h.run();
    h.state_mut().state.form.model = "gpt-image-2.6-sunburst".into();
    h.run();
    h.get_by_label("Compare qualities…").click();
    h.run();
    assert!(offered(&h, "Extra high") && offered(&h, "Maximum"));
}

#[test]
fn a_custom_size_is_greyed_out_for_a_model_that_makes_only_the_presets() {
    let world = world();
    let mut h = world.app();
    for (model, offered) in [("gpt-image-1.5", false), ("gpt-image-2.6-flare", true)] {
        h.state_mut().state.form.model = model.into();
        h.run();
        h.get_by_label("Size").click();
        h.run();
        let custom = h.get_by_label("Custom…").accesskit_node().is_disabled();
        assert_eq!(!custom, offered, "{model}");
        h.key_press(egui::Key::Escape);
        h.run();
    }
}
