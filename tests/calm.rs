//! Calm under use (issue 25): the window stays usable whatever the user does to it. The real App
//! in egui_kittest.

mod common;

use common::harness::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn text_size_stays_where_every_screen_fits_and_ctrl_0_always_resets_it() {
    let world = World::new().with_key();
    let mut h = world.app();
    // Ctrl + pressed again and again (egui's own shortcut goes to 500%): held at 200%.
    for _ in 0..20 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
        h.run();
    }
    let most = easel::app::MAX_SCALE;
    assert!((h.ctx.zoom_factor() - most).abs() < 1e-3, "held at {most}: {}", h.ctx.zoom_factor());
    assert!((h.state().state.settings.ui_scale - most).abs() < 1e-3, "and kept so for next time");
    // Ctrl+0 puts it back, Settings open or not.
    h.get_by_label("Settings…").click();
    h.run();
    assert!(h.state().modal_open());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-3, "Ctrl+0 with Settings open: {}", h.ctx.zoom_factor());
    for _ in 0..20 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
        h.run();
    }
    assert!((h.ctx.zoom_factor() - easel::app::MIN_SCALE).abs() < 1e-3, "held at the least too");
}

#[test]
fn a_size_kept_from_an_older_easel_beyond_the_bounds_starts_within_them() {
    let world = World::new().with_key();
    let mut state = easel::app::Persisted::default();
    state.settings.ui_scale = 5.0;
    state.settings.language = Some(easel::i18n::Lang::En);
    let ctx = egui::Context::default();
    let app = easel::app::App::with_state(&ctx, world.options(), state);
    // The window opens at the largest size allowed (egui takes it at the first frame).
    assert!((app.state.settings.ui_scale - easel::app::MAX_SCALE).abs() < 1e-3, "{}", app.state.settings.ui_scale);
}

/// The key screen as a first start shows it: no key, the endpoint chosen in the window.
fn first_start(world: &World, endpoint: easel::app::EndpointChoice) -> egui_kittest::Harness<'static, easel::app::App> {
    let mut options = Some(easel::app::AppOptions { base_url_override: None, ..world.options() });
    let mut h = egui_kittest::Harness::builder().with_size(egui::vec2(1280.0, 900.0)).build_eframe(move |cc| {
        let mut state = easel::app::Persisted::default();
        state.settings.language = Some(easel::i18n::Lang::En);
        state.settings.endpoint = endpoint;
        easel::app::App::with_state(&cc.egui_ctx, options.take().unwrap(), state)
    });
    h.run();
    h
}

#[test]
fn a_custom_address_not_typed_yet_is_asked_for_not_refused() {
    let world = World::new();
    let h = first_start(&world, easel::app::EndpointChoice::Custom);
    assert!(h.state().needs_key());
    assert!(has_label_containing(&h, "Type the address your service gives for its API"));
    assert!(!has_label_containing(&h, "refused"), "nothing typed is no mistake");
    assert!(h.query_by_label("Address of the service").is_some(), "in words, not 'Base URL'");
}

#[test]
fn a_key_the_service_refuses_is_said_so_on_the_key_screen_and_not_saved_as_it_is() {
    let world = World::new();
    let refused = wiremock::ResponseTemplate::new(401).set_body_raw(
        r#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#,
        "application/json",
    );
    world.rt.block_on(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path("/v1/models"))
            .respond_with(refused)
            .mount(&world.server),
    );
    let mut h = world.app();
    h.get_by_role(egui::accesskit::Role::PasswordInput).type_text("sk-wrong-0123456789abcdefghij");
    h.run();
    assert!(!h.get_by_label("Save key").accesskit_node().is_disabled());
    h.get_by_label("Test key").click();
    let said = "The service refused this key";
    step_until(&mut h, said, |h| has_label_containing(h, said));
    assert!(!has_label_containing(&h, "in Settings"), "the key screen is where the key is typed");
    assert!(h.get_by_label("Save key").accesskit_node().is_disabled(), "Save waits for another key");
    h.get_by_role(egui::accesskit::Role::PasswordInput).type_text("x");
    h.run();
    assert!(!h.get_by_label("Save key").accesskit_node().is_disabled(), "another key can be saved");
}

#[test]
fn generate_stays_where_it_is_when_the_first_character_is_typed() {
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    let before = h.get_by_label("Generate").rect();
    type_prompt(&mut h, "a");
    h.run();
    let after = h.get_by_label("Generate").rect();
    assert_eq!(before, after, "Generate moved under the pointer");
}

#[test]
fn the_ten_counts_are_on_one_line_in_a_small_window_and_a_large_one() {
    let world = World::new().with_key();
    // 760 points: the form at its narrowest (as after a larger text size, or a drag).
    for (lang, size) in [
        (easel::i18n::Lang::En, egui::vec2(760.0, 600.0)),
        (easel::i18n::Lang::ZhCn, egui::vec2(760.0, 600.0)),
        (easel::i18n::Lang::En, egui::vec2(1920.0, 1080.0)),
    ] {
        let mut h = world.app_sized(lang, size, 1.0);
        h.run();
        let (one, ten) = (h.get_by_label("1").rect(), h.get_by_label("10").rect());
        assert_eq!(one.top(), ten.top(), "\"10\" on the line of \"1\" at {size:?} in {lang:?}");
        h.get_by_label("10").click();
        h.run();
        assert_eq!(h.state().state.form.n, 10);
    }
}

/// The window with a client that does not retry by itself: a failure reaches the tile at once.
fn without_retries(world: &World) -> egui_kittest::Harness<'static, easel::app::App> {
    let client = easel::api::ClientConfig { max_retries: 0, ..common::fast_config() };
    let mut options = Some(easel::app::AppOptions { client, ..world.options() });
    let mut h = egui_kittest::Harness::builder().with_size(egui::vec2(1280.0, 900.0)).with_max_steps(12).build_eframe(
        move |cc| {
            let mut state = easel::app::Persisted::default();
            state.settings.language = Some(easel::i18n::Lang::En);
            easel::app::App::with_state(&cc.egui_ctx, options.take().unwrap(), state)
        },
    );
    step_until(&mut h, "the history", |h| !h.state().history_loading);
    h
}

fn failed(h: &egui_kittest::Harness<'_, easel::app::App>) -> usize {
    h.state().jobs.iter().filter(|j| j.status.has_ended()).count()
}

#[test]
fn a_failure_says_its_prompt_and_counts_the_wait_down_to_a_retry() {
    let world = World::new().with_key();
    world.answer(
        wiremock::ResponseTemplate::new(429)
            .set_body_raw(
                r#"{"error":{"message":"Too many requests","code":"rate_limit_exceeded"}}"#,
                "application/json",
            )
            .insert_header("retry-after", "3"),
        None,
    );
    let mut h = without_retries(&world);
    type_prompt(&mut h, "a fox on a hill at dawn");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the failure", |h| failed(h) == 1);
    h.run();
    let Some(easel::app::JobStatus::Failed { at, .. }) = h.state().jobs.first().map(|j| &j.status) else {
        panic!("not failed")
    };
    let at = *at;
    // The prompt is read on the tile, not only on hover, and the wait is said.
    assert!(h.query_by_label("a fox on a hill at dawn").is_some(), "the prompt that failed is on its tile");
    assert!(has_label_containing(&h, "Try again in "), "the wait is said");
    // The wait counts down and ends when it is over: the tile then says nothing of waiting.
    step_until(&mut h, "a second less to wait", |h| has_label_containing(h, "Try again in 1 second."));
    step_until(&mut h, "the wait to end", |h| !has_label_containing(h, "Try again in"));
    let said: Vec<String> = h
        .query_all(
            egui_kittest::kittest::By::new().include_labels().predicate(|n| {
                n.label().is_some_and(|l| l.contains("request") || l.contains("Try") || l.contains("fox"))
            }),
        )
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert!(
        at.elapsed() >= std::time::Duration::from_secs(3),
        "not before its end: {:?}, saying {said:?}",
        at.elapsed()
    );
    assert!(has_label_containing(&h, "Too many requests right now."), "what happened stays said");
    h.get_by_label("Try again").click();
    step_until(&mut h, "the second request", |_| world.requests() == 2);
}

#[test]
fn several_failures_fold_into_one_line_that_opens() {
    let world = World::new().with_key();
    world.answer(
        wiremock::ResponseTemplate::new(400)
            .set_body_raw(r#"{"error":{"message":"Invalid size","code":"invalid_value"}}"#, "application/json"),
        None,
    );
    let mut h = without_retries(&world);
    for (i, prompt) in ["a red kite", "a blue kite", "a green kite"].into_iter().enumerate() {
        h.state_mut().state.form.prompt = prompt.to_string();
        h.run();
        h.get_by_label("Generate").click();
        step_until(&mut h, "the failure", |h| failed(h) == i + 1);
    }
    h.run();
    assert!(has_label_containing(&h, "3 requests failed"));
    assert_eq!(h.query_all_by_label_contains("Request: ").count(), 0, "folded, no tile each");
    h.get_by_label("Show").click();
    h.run();
    assert_eq!(h.query_all_by_label_contains("Request: ").count(), 3, "opened, a tile each");
    assert!(h.query_by_label("a green kite").is_some());
    h.get_by_label("Hide").click();
    h.run();
    assert_eq!(h.query_all_by_label_contains("Request: ").count(), 0);
    h.get_by_label("Dismiss all").click();
    h.run();
    assert!(h.state().jobs.is_empty());
    assert!(!has_label_containing(&h, "failed"));
}

#[test]
fn a_tile_under_the_pointer_stays_put_while_another_request_ends_and_its_cancel_cancels_it() {
    use wiremock::matchers::{body_partial_json, method};
    let world = World::new().with_key();
    for (prompt, delay) in [("a slow snail", 30_000), ("a quick hare", 800)] {
        let answer = ok_answer(1).set_delay(std::time::Duration::from_millis(delay));
        let mock = wiremock::Mock::given(method("POST")).and(body_partial_json(serde_json::json!({"prompt": prompt})));
        world.rt.block_on(mock.respond_with(answer).mount(&world.server));
    }
    let mut h = world.app();
    for (i, prompt) in ["a slow snail", "a quick hare"].into_iter().enumerate() {
        h.state_mut().state.form.prompt = prompt.to_string();
        // Steps, not runs: a request on its way repaints its tile's clock.
        h.run_steps(2);
        h.get_by_label("Generate").click();
        step_until(&mut h, "the request out", |h| h.query_all_by_label_contains("on its way").count() == i + 1);
    }
    // The newest request's tile comes first: the slow one is second. The pointer aims at it,
    // moving a little as a hand does (the harness's clock runs a quarter second a step).
    let slow = "Picture 1 of 1, on its way: a slow snail";
    let before = h.get_by_label(slow).rect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut wobble = 0.0;
    let mut after_arrival = 3;
    while after_arrival > 0 {
        wobble = 1.0 - wobble;
        h.input_mut().events.push(egui::Event::PointerMoved(before.center() + egui::vec2(wobble, 0.0)));
        h.step();
        if h.state().gallery.len() == 1 && h.state().active_jobs() == 1 {
            after_arrival -= 1;
        }
        assert!(std::time::Instant::now() < deadline, "the quick picture never came");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(h.get_by_label(slow).rect(), before, "the tile under the pointer moved");
    h.get_by_label("Cancel").click();
    step_until(&mut h, "the slow request to go", |h| h.state().jobs.is_empty());
    assert_eq!(world.images().len(), 1, "the quick picture, nothing of the cancelled one");
    // Once the pointer leaves the pictures, they close up: the new picture comes first.
    h.input_mut().events.push(egui::Event::PointerGone);
    h.run_steps(2);
    let hare = h.get_by_label_contains("a quick hare").rect();
    assert!(hare.left() < before.left(), "closed up: {hare:?}, the slow tile was at {before:?}");
}

#[test]
fn a_notice_never_covers_the_forms_cost_or_buttons_in_a_small_window() {
    let world = World::new().with_key();
    world.answer(ok_answer(1), None);
    let mut h = world.app_sized(easel::i18n::Lang::En, egui::vec2(1024.0, 640.0), 1.0);
    type_prompt(&mut h, "a quiet harbour");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the picture", |h| pictures_ready(h, 1));
    h.run();
    // Save as… says where it wrote, a long notice at its widest.
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("a picture of a quiet harbour, saved for the family album.png");
    *world.dialogs.answer.lock().unwrap() = Some(target.clone());
    h.get_all_by_label_contains("Picture 1").last().unwrap().click_secondary();
    h.run();
    h.get_by_label("Save as…").click();
    step_until(&mut h, "the notice", |_| target.exists());
    step_until(&mut h, "the notice", |h| has_label_containing(h, "family album"));
    h.run();
    let notice = h.get_by_label_contains("family album").rect();
    let cost = h.get_by_label_contains("Estimated cost").rect();
    for name in ["Generate", "Compare qualities…"] {
        let button = h.get_by_label(name).rect();
        assert!(!notice.intersects(button), "the notice {notice:?} covers {name} {button:?}");
    }
    assert!(!notice.intersects(cost), "the notice {notice:?} covers the cost {cost:?}");
    // It stands over the pictures' side, clear of the whole form.
    let form = h.get_by_label("Prompt").rect();
    assert!(notice.left() > form.right(), "the notice {notice:?} reaches into the form {form:?}");
}

#[test]
fn a_change_begun_shows_its_form_in_place_from_its_first_frame() {
    let world = World::new().with_key();
    let mut h = world.generated("a fox", 2);
    h.run();
    let id = h.state().gallery[0].id;
    h.state_mut().push(easel::app::Command::ChangePicture(id));
    let place = |h: &egui_kittest::Harness<'_, easel::app::App>| {
        (h.query_by_label("What should change").map(|n| n.rect()), h.query_by_label("Change").map(|n| n.rect()))
    };
    step_until(&mut h, "the change's form", |h| place(h).1.is_some());
    let first = place(&h);
    h.run();
    // The footer grew a line ("Includes reading your pictures"): drawn again before shown.
    assert_eq!(place(&h), first, "the change's form moved after its first frame");
}

#[test]
fn a_running_comparisons_labels_stay_under_their_empty_cells() {
    let world = World::new().with_key();
    world.answer(ok_answer(1).set_delay(std::time::Duration::from_secs(20)), None);
    let mut h = world.app();
    h.state_mut().state.form.prompt = "A cosy reading nook".into();
    h.run();
    h.get_by_label("Compare qualities…").click();
    h.run();
    h.get_by_label("Make 3 pictures").click();
    step_until(&mut h, "the cells at work", |h| has_label_containing(h, "Making the pictures"));
    for quality in ["Low", "Medium", "High"] {
        let cell = h.get_by_label(&format!("Picture for {quality}")).rect();
        let label = h.get_by_label(quality).rect();
        assert!(label.top() >= cell.bottom(), "“{quality}” at {label:?} floats over its cell {cell:?}");
    }
}

#[test]
fn a_pointer_left_over_the_pictures_while_typing_holds_nothing_back() {
    let world = World::new().with_key();
    let mut h = world.generated("a first heron", 1);
    h.get_by_label_contains("Picture 1: a first heron").hover();
    h.run();
    // The pointer stays where it was; the next prompt is typed and sent from the keyboard.
    h.state_mut().state.form.prompt.clear();
    type_prompt(&mut h, "a second heron");
    assert_eq!(h.state().state.form.prompt, "a second heron", "typed into the prompt");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    step_until(&mut h, "the second picture", |h| pictures_ready(h, 2));
    h.run();
    assert!(h.query_by_label_contains("Picture 1: a second heron").is_some(), "the new picture is shown");
}

#[test]
fn a_row_of_many_sizes_wraps_in_a_small_window_rather_than_scroll_sideways() {
    let world = World::new().with_key();
    world.answer(ok_answer(1), None);
    let mut h = world.app_sized(easel::i18n::Lang::En, egui::vec2(1024.0, 640.0), 1.0);
    h.state_mut().state.form.prompt = "A cosy reading nook".into();
    h.run();
    h.get_by_label("Compare qualities…").click();
    h.run();
    let sizes = "1024x1024,1536x1024,1024x1536,auto,2048x2048,1280x720,720x1280";
    if let Some(easel::app::Modal::CompareDialog(draft)) = h.state_mut().modals.last_mut() {
        draft.x = easel::app::compare_draft::AxisDraft { setting: easel::compare::Setting::Size, values: sizes.into() };
    }
    h.run();
    h.get_by_label("Make 7 pictures").click();
    step_until(&mut h, "the comparison", |h| h.state().active_jobs() == 0 && h.state().gallery.len() == 7);
    h.run();
    let window = h.ctx.content_rect();
    if let Some(dir) = std::env::var_os("EASEL_SURVEY") {
        h.render().unwrap().save(std::path::Path::new(&dir).join("seven-sizes.png")).unwrap();
    }
    let cells: Vec<egui::Rect> = h.query_all_by_label_contains("Picture for ").map(|n| n.rect()).collect();
    assert_eq!(cells.len(), 7);
    for cell in cells {
        assert!(cell.right() <= window.right(), "a cell at {cell:?} is past the window's edge {window:?}");
    }
}
