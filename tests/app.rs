//! The real `App` driven through `egui_kittest`, against a fake relay (wiremock), keyring-core's
//! mock store, a temporary data folder and a save dialog that the test answers.

mod common;

use common::harness::*;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::time::{Duration, Instant};
use wiremock::ResponseTemplate;

#[test]
fn first_run_asks_for_the_key_and_stores_it() {
    let world = World::new();
    // A test before may have stored a key for a server that had this port.
    world.secrets.delete(&world.account()).unwrap();
    let mut h = world.app();
    h.run();
    assert!(has_label_containing(&h, "Paste your API key"));
    let generate = h.query_by_label("Generate");
    assert!(generate.is_none(), "the form is not shown before a key exists");
    type_into(&mut h, egui::accesskit::Role::PasswordInput, "sk-pasted-abcdef123456");
    h.get_by_label("Save key").click();
    step_until(&mut h, "the form, once the key is saved", |h| h.query_by_label("Generate").is_some());
    assert_eq!(world.secrets.load(&world.account()).unwrap().0.expose(), "sk-pasted-abcdef123456");
}

#[test]
fn an_empty_prompt_disables_generate_with_its_reason() {
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    assert!(h.get_by_label("Generate").accesskit_node().is_disabled());
    // Before anything is typed the reason is a calm hint (tests/words.rs has the rest).
    assert!(has_label_containing(&h, "Type a prompt to start."));
    type_prompt(&mut h, "a red fox");
    assert!(!h.get_by_label("Generate").accesskit_node().is_disabled());
    assert!(!has_label_containing(&h, "Type a prompt to start."));
}

#[test]
fn generate_two_low_pictures_shows_thumbnails_and_writes_files() {
    let world = World::new().with_key();
    world.answer(ok_answer(2), None);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "a lighthouse at dusk");
    h.get_by_label("2").click();
    h.get_by_label_contains("Low ·").click();
    h.run();
    // Two Low pictures at $0.006 and three previews each (300 output tokens at $30 per million).
    assert!(has_label_containing(&h, "Estimated cost: $0.030 (2 × $0.015)"));
    h.get_by_label("Generate").click();
    step_until(&mut h, "two thumbnails", |h| {
        h.query_all_by_label_contains("Picture ").count() >= 2 && pictures_ready(h, 2)
    });
    assert_eq!(world.images().len(), 2, "two files in the library");
    assert!(h.query_by_label_contains("on its way").is_none(), "the placeholders became the pictures");
    // The cost from the tokens the answer reports (the fake relay's usage), not the estimate.
    assert!(has_label_containing(&h, "This session: 2 pictures, about $0.13"), "the header's spend");
    let body: serde_json::Value = serde_json::from_slice(&world.posted()[0].body).unwrap();
    assert_eq!(body["n"], 2);
    assert_eq!(body["quality"], "low");
}

#[test]
fn a_refusal_says_so_in_one_sentence_and_change_the_prompt_puts_it_back_to_edit() {
    let world = World::new().with_key();
    world.answer(
        ResponseTemplate::new(400).set_body_raw(
            serde_json::json!({"error": {"message": "Your request was rejected by the safety system.", "code": "moderation_blocked"}}).to_string(),
            "application/json",
        ),
        Some(1),
    );
    world.answer(ok_answer(1), None);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "something refused");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the error", |h| has_label_containing(h, "refused by the safety system"));
    assert!(!has_label_containing(&h, "moderation_blocked"), "no codes or JSON for the user");
    assert!(h.query_by_label("Try again").is_none(), "a refusal is not simply sent again");
    // Meanwhile the form holds something else; the remedy brings the refused prompt back.
    h.state_mut().state.form.prompt = "another idea".into();
    h.get_by_label("Change the prompt").click();
    h.run();
    h.run();
    assert_eq!(h.state().state.form.prompt, "something refused");
    assert_eq!(focused(&h).as_deref(), Some("Prompt"), "ready to be changed");
    assert!(h.query_by_label_contains("Request: something refused").is_none(), "its tile is gone");
    h.input_mut().events.push(egui::Event::Text(", gently".into()));
    h.run();
    h.get_by_label("Generate").click();
    step_until(&mut h, "the changed request's picture", |h| h.state().gallery.len() == 1);
    assert_eq!(h.state().gallery[0].saved.meta.request.prompt, "something refused, gently");
    assert_eq!(world.requests(), 2);
    assert_eq!(world.images().len(), 1);
}

#[test]
fn cancel_stops_a_slow_job() {
    let world = World::new().with_key();
    world.answer(ok_answer(1).set_delay(Duration::from_secs(30)), None);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "slow");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the request to be out", |h| {
        h.query_by_label_contains("on its way").is_some() && h.state().jobs.iter().any(|j| j.status.is_active())
    });
    assert!(h.query_by_label("Cancel").is_none(), "Cancel shows on hover only");
    h.get_by_label_contains("Picture 1 of 1, on its way").hover();
    h.step();
    h.step();
    let started = Instant::now();
    h.get_by_label("Cancel").click();
    // Cancelled, it leaves nothing behind to dismiss.
    step_until(&mut h, "the request to go", |h| h.state().jobs.is_empty());
    assert!(started.elapsed() < Duration::from_secs(10));
    h.run();
    assert!(h.query_by_label_contains("on its way").is_none());
    assert!(!has_label_containing(&h, "Cancelled"), "no tile says cancelled");
    assert!(h.query_by_label("Try again").is_none());
    assert!(world.images().is_empty());
}

#[test]
fn save_as_writes_where_the_dialog_said() {
    let world = World::new().with_key();
    let pic = png(80, 60);
    world.answer(
        ResponseTemplate::new(200).set_body_raw(b64_answer(std::slice::from_ref(&pic)).to_string(), "application/json"),
        None,
    );
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path().join("my picture.png");
    *world.dialogs.answer.lock().unwrap() = Some(target.clone());
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "A fox, in snow");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the finished job", |h| pictures_ready(h, 1));
    h.get_all_by_label_contains("Picture 1").last().unwrap().click();
    step_until(&mut h, "the viewer", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    h.get_by_label("Save as…").click();
    step_until(&mut h, "the saved note", |h| has_label_containing(h, "Saved to"));
    let saved = std::fs::read(&target).unwrap();
    assert_eq!(
        image::load_from_memory(&saved).unwrap().into_rgba8(),
        image::load_from_memory(&pic).unwrap().into_rgba8()
    );
    assert!(
        easel::library::embed::read_parameters(&saved).unwrap().starts_with("A fox, in snow\n"),
        "the prompt travels inside the file"
    );
    assert_eq!(world.dialogs.asked.lock().unwrap().as_slice(), ["a-fox-in-snow.png"]);

    // No dialog on this system: say so, and offer the library folder.
    *world.dialogs.answer.lock().unwrap() = None;
    h.get_by_label("Save as…").click();
    step_until(&mut h, "the no-dialog note", |h| has_label_containing(h, "No file dialog could open"));
    let library = world.data.path().join("images").display().to_string();
    assert!(has_label_containing(&h, &library), "the note names the library folder");
    // The viewer's own Open folder is in its "⋯" menu.
    h.get_by_label("More").click();
    h.run();
    assert_eq!(
        h.query_all_by_label("Open folder").count(),
        2,
        "the note offers to open it, beside the viewer's own button"
    );
}

#[test]
fn the_viewer_zooms_steps_and_closes_with_keys() {
    let world = World::new().with_key();
    let mut h = world.generated("two pictures", 2);
    h.get_all_by_label_contains("Picture 1").last().unwrap().click();
    step_until(&mut h, "the full picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    // The details past the prompt, the settings and the cost are under "More info".
    assert!(!has_label_containing(&h, "Real size"));
    h.get_by_label("More info").click();
    h.run();
    assert!(has_label_containing(&h, "Real size"));
    h.key_press(egui::Key::Plus);
    h.run();
    assert!(h.state().viewer.as_ref().unwrap().zoom.scale.is_some_and(|z| z > 0.0));
    h.key_press(egui::Key::ArrowRight);
    step_until(&mut h, "the next picture", |h| {
        h.state().viewer.as_ref().is_some_and(|v| v.picture == h.state().gallery[1].id)
    });
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().viewer.is_none());
}

#[test]
fn delete_has_undo_and_save_all_copies_everything() {
    let world = World::new().with_key();
    let mut h = world.generated("two foxes", 2);

    let out = tempfile::tempdir().unwrap();
    *world.dialogs.answer.lock().unwrap() = Some(out.path().to_path_buf());
    h.get_by_label("More").click();
    h.run();
    h.get_by_label("Save all…").click();
    step_until(&mut h, "the saved-all note", |h| has_label_containing(h, "Saved 2 pictures"));
    let mut names: Vec<String> =
        std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["two-foxes-1.png", "two-foxes-2.png"]);

    h.get_all_by_label_contains("Picture 1").last().unwrap().click();
    step_until(&mut h, "the viewer", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    h.key_press(egui::Key::Delete);
    step_until(&mut h, "the deleted note", |h| has_label_containing(h, "moved to the trash"));
    let other = h.state().gallery.iter().find(|g| !g.hidden).unwrap().saved.path.clone();
    let viewed = h.state().viewer.as_ref().and_then(|v| h.state().picture(v.picture)).map(|g| g.saved.path.clone());
    assert_eq!(viewed, Some(other), "the viewer moved on to the other picture");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.query_all_by_label_contains("Picture 1").count(), 0, "the deleted thumbnail is gone from the gallery");
    assert_eq!(h.query_all_by_label_contains("Picture 2").count(), 1);
    assert_eq!(world.images().len(), 2, "nothing leaves the disk while Undo is offered");
    h.get_by_label("Undo").click();
    step_until(&mut h, "the picture back", |h| pictures_ready(h, 2));
    h.run();
    assert_eq!(h.query_all_by_label_contains("Picture 1").count(), 1);
    assert_eq!(world.images().len(), 2);
}

#[test]
fn deleted_pictures_go_to_the_trash_when_undo_time_is_up() {
    let mut world = World::new().with_key();
    world.undo_window = Duration::ZERO;
    let mut h = world.generated("two foxes", 2);
    h.get_all_by_label_contains("Picture 2").last().unwrap().click_secondary();
    h.run();
    h.get_by_label("Delete").click();
    step_until(&mut h, "the file in the trash", |_| std::fs::read_dir(world.trash()).is_ok_and(|d| d.count() == 2));
    assert_eq!(world.images().len(), 1);
    assert_eq!(h.state().shown().len(), 1);
    step_until(&mut h, "the trash's answer", |h| h.state().gallery.iter().any(|g| g.trashed.is_some()));
    assert_eq!(h.state().gallery.iter().filter(|g| g.trashed.is_some()).count(), 1, "under Recently deleted");
}

#[test]
fn closing_while_a_paid_request_runs_asks_first() {
    let world = World::new().with_key();
    world.answer(ok_answer(1).set_delay(Duration::from_secs(30)), None);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "slow and paid");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the request to run", |h| h.state().jobs.iter().any(|j| j.status.is_active()));
    // The window manager's close button.
    h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
    h.step();
    h.step();
    assert!(has_label_containing(&h, "Requests are still running"));
    assert!(has_label_containing(&h, "1 request running"));
    h.get_by_label("Keep Easel open").click();
    h.run_steps(3);
    assert!(!has_label_containing(&h, "Requests are still running"));
    assert!(h.state().jobs.iter().any(|j| j.status.is_active()), "the request goes on");
}

#[test]
fn forgetting_the_key_brings_back_the_key_screen() {
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    h.get_by_label("Settings…").click();
    h.run();
    h.get_by_label("Forget key").click();
    step_until(&mut h, "the key screen", |h| has_label_containing(h, "Paste your API key"));
    assert!(world.secrets.load(&world.account()).is_none(), "the key left the keyring");
}

#[test]
fn the_viewer_keeps_its_picture_while_others_arrive_and_the_history_is_read_again() {
    let world = World::new().with_key();
    let mut h = world.generated("the first picture", 1);
    h.get_all_by_label_contains("Picture 1").last().unwrap().click();
    step_until(&mut h, "the viewer", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    let viewed = |h: &Harness<'_, easel::app::App>| {
        h.state().viewer.as_ref().and_then(|v| h.state().picture(v.picture)).map(|g| g.saved.path.clone())
    };
    let first = viewed(&h).expect("a picture in the viewer");
    // A request made from the terminal meanwhile: the window reads the history again when it
    // gets the focus back, and the new pictures go before the one being viewed.
    let lib = easel::library::Library::open(world.data.path()).unwrap();
    let prov = easel::library::Provenance::new(
        easel::api::ImageRequest::new("made elsewhere"),
        "http://127.0.0.1:9/v1",
        "test",
        2,
    );
    for i in 0..2 {
        lib.save(&easel::api::ReceivedImage::from_bytes(png(30 + i, 20)).unwrap(), i as usize, &prov).unwrap();
    }
    h.input_mut().focused = false;
    h.step();
    h.input_mut().focused = true;
    step_until(&mut h, "the pictures made elsewhere", |h| h.state().gallery.len() == 3);
    h.step();
    assert_eq!(h.state().gallery[2].saved.path, first, "the first picture is now third");
    assert_eq!(viewed(&h), Some(first.clone()), "the viewer still shows the picture it showed");
    // Stepping goes by what is shown, from the picture in view.
    h.key_press(egui::Key::ArrowLeft);
    step_until(&mut h, "the previous picture", |h| viewed(h) == Some(h.state().gallery[1].saved.path.clone()));
}

#[test]
fn typing_right_after_start_goes_into_the_prompt_and_ctrl_enter_sends() {
    let world = World::new().with_key();
    world.answer(ok_answer(1), None);
    let mut h = world.app();
    h.run();
    assert_eq!(focused(&h).as_deref(), Some("Prompt"), "the prompt has the focus at start");
    h.input_mut().events.push(egui::Event::Text("a heron at dawn".into()));
    h.run();
    assert_eq!(h.state().state.form.prompt, "a heron at dawn");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    step_until(&mut h, "the picture", |h| pictures_ready(h, 1));
    h.run();
    assert_eq!(world.requests(), 1);
    assert_eq!(focused(&h).as_deref(), Some("Prompt"), "and again once the request is sent");
}

#[test]
fn a_notice_and_advanced_move_nothing_under_the_pointer() {
    let world = World::new().with_key();
    let mut h = world.generated("a quiet harbour", 2);
    h.run();
    let rect = |h: &Harness<'_, easel::app::App>, name: &str| h.get_by_label(name).rect();
    let (generate, search) = (rect(&h, "Generate"), rect(&h, "Search prompts"));
    h.get_all_by_label_contains("Picture 1").last().unwrap().click_secondary();
    h.run();
    h.get_by_label("Delete").click();
    step_until(&mut h, "the deleted note", |h| has_label_containing(h, "moved to the trash"));
    h.run();
    assert_eq!(rect(&h, "Generate"), generate, "a notice does not push the form");
    assert_eq!(rect(&h, "Search prompts"), search, "nor the gallery");
    h.get_by_label("Advanced").click();
    h.run();
    assert_eq!(rect(&h, "Generate"), generate, "opening Advanced does not move Generate");
    // Ctrl+Z is Undo while the notice offers it.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(h.state().gallery.iter().all(|g| !g.hidden), "the picture is back");
    assert!(has_label_containing(&h, "The picture is back."), "and Undo says so");
    assert!(!has_label_containing(&h, "moved to the trash"), "in place of the delete's notice");
}

#[test]
fn an_empty_library_offers_examples_and_one_goes_into_the_prompt() {
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    assert!(has_label_containing(&h, "Try one of these"));
    h.get_by_label_contains("A red fox curled up").click();
    h.run();
    assert!(h.state().state.form.prompt.starts_with("A red fox curled up"));
    assert!(!h.get_by_label("Generate").accesskit_node().is_disabled(), "ready to send");
}

#[test]
fn settings_say_which_endpoint_is_really_in_use() {
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    h.get_by_label("Settings…").click();
    h.run();
    // The tests fix the endpoint as EASEL_BASE_URL does: Settings says so, with the address.
    assert!(has_label_containing(&h, &format!("Requests go to {}", world.base())));
    assert!(has_label_containing(&h, "set by the EASEL_BASE_URL environment variable"));
}
