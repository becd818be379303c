//! Changing pictures in the window as a user does it: "Change this picture…" from a picture's
//! menu, references from the menu, a file dialog and the clipboard, the form turned into a
//! change (its words, its cost with the pictures read, its button), what the relay receives at
//! `/images/edits`, and Retry of a failed change. The real `App` through egui_kittest, against a
//! fake relay over a real socket.

mod common;

use common::harness::*;
use common::multipart::parts;
use common::*;
use easel::app::form::SizeChoice;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const EDITS: &str = "/v1/images/edits";

fn answer_edits(world: &World, template: ResponseTemplate, times: Option<u64>) {
    let mock = Mock::given(method("POST")).and(path(EDITS)).respond_with(template);
    let mock = if let Some(n) = times { mock.up_to_n_times(n) } else { mock };
    world.rt.block_on(mock.mount(&world.server));
}

fn edit_requests(world: &World) -> Vec<wiremock::Request> {
    let all = world.rt.block_on(world.server.received_requests()).unwrap_or_default();
    all.into_iter().filter(|r| r.url.path() == EDITS).collect()
}

/// Opens a picture's menu and picks `item` in it.
fn from_menu(h: &mut Harness<'_, easel::app::App>, picture: &str, item: &str) {
    h.get_by_label_contains(picture).click_secondary();
    h.run();
    h.get_by_label(item).click();
    // Not `run`: a spinner turns while the picture is checked.
    h.step();
}

fn tray_len(h: &Harness<'_, easel::app::App>) -> usize {
    h.state().change.tray.len()
}

#[test]
fn a_picture_changed_from_its_menu_goes_to_the_edits_endpoint_and_comes_back_as_a_change() {
    let world = World::new().with_key();
    let mut h = world.generated("a red barn", 1);
    answer_edits(&world, ok_answer(1), None);
    let original = world.images()[0].clone();

    from_menu(&mut h, "Picture 1:", "Change this picture…");
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    h.run();
    // The form now speaks of a change: its title, the picture, its prompt, its cost, its button.
    assert!(has_label_containing(&h, "Change a picture"));
    assert!(has_label_containing(&h, "the picture changed"), "the first picture is named as the one changed");
    assert!(has_label_containing(&h, "What should change"));
    assert!(has_label_containing(&h, "Includes reading your pictures."), "the cost counts the picture read");
    assert!(h.query_by_label("Generate").is_none(), "the button says what it does: Change");
    assert_eq!(focused(&h).as_deref(), Some("What should change"), "the words of the change can be typed at once");
    assert_eq!(h.state().state.form.prompt, "", "the words that made the picture are not the change");
    assert_eq!(
        h.state().state.form.size,
        SizeChoice::Landscape,
        "the change comes back in the picture's shape (64×48)"
    );

    h.state_mut().state.form.prompt.clear();
    type_prompt(&mut h, "add snow on the roof");
    h.get_by_label("Change").click();
    step_until(&mut h, "the changed picture", |h| pictures_ready(h, 2));

    let sent = edit_requests(&world);
    assert_eq!(sent.len(), 1, "one request, to /images/edits");
    let parts = parts(&sent[0]);
    let picture = parts.iter().find(|p| p.name == "image[]").expect("the picture, as image[]");
    assert_eq!(picture.content_type.as_deref(), Some("image/png"));
    assert_eq!(picture.body, std::fs::read(&original).unwrap(), "the picture exactly as it is in the library");
    assert_eq!(parts.iter().find(|p| p.name == "prompt").unwrap().text(), "add snow on the roof");
    assert!(parts.iter().all(|p| p.name != "moderation" && p.name != "mask"), "nothing a change never sends");

    // The new picture records what it was made from.
    let new = world.images().into_iter().find(|p| *p != original).unwrap();
    let record = std::fs::read_to_string(new.with_extension("json")).unwrap();
    let name = original.file_name().unwrap().to_string_lossy().into_owned();
    assert!(record.contains(&format!("\"file\": \"{name}\"")), "{record}");
    assert_eq!(tray_len(&h), 1, "the picture stays in the change for the next one");
}

#[test]
fn references_join_from_the_menu_a_dialog_and_the_clipboard_and_leave_again() {
    let world = World::new().with_key();
    let mut h = world.generated("two cats", 2);
    from_menu(&mut h, "Picture 1:", "Change this picture…");
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    // The painter opened over the gallery; nothing needs painting here.
    assert!(h.state().painting);
    h.get_by_label("Done").click();
    h.run();
    from_menu(&mut h, "Picture 2:", "Use as reference");
    step_until(&mut h, "the reference", |h| tray_len(h) == 2);
    h.run();
    assert!(has_label_containing(&h, "a reference"));
    assert!(has_label_containing(&h, "The first picture is the one changed"));

    // A file that is not a picture is refused with its name and what to do, and nothing joins.
    let outside = tempfile::tempdir().unwrap();
    let notes = outside.path().join("notes.png");
    std::fs::write(&notes, "shopping: milk, eggs").unwrap();
    *world.dialogs.answer.lock().unwrap() = Some(notes);
    h.get_by_label("Add pictures…").click();
    step_until(&mut h, "the refusal", |h| has_label_containing(h, "“notes.png” is not a picture Easel can send"));
    assert_eq!(tray_len(&h), 2);

    // A real picture from elsewhere joins.
    let photo = outside.path().join("holiday.jpg");
    std::fs::write(&photo, picture(image::ImageFormat::Jpeg, 120, 80)).unwrap();
    *world.dialogs.answer.lock().unwrap() = Some(photo.clone());
    h.get_by_label("Add pictures…").click();
    step_until(&mut h, "the photo", |h| tray_len(h) == 3);
    assert_eq!(h.state().change.tray[2].path, photo);
    assert_eq!(h.state().change.tray[2].size, (120, 80));

    // A picture pasted from the clipboard is kept as a file in the library, then joins.
    let pasted = egui::ColorImage::from_rgba_unmultiplied([40, 30], &[200u8; 40 * 30 * 4]);
    h.input_mut().events.push(egui::Event::PasteImage(Arc::new(pasted)));
    step_until(&mut h, "the pasted picture", |h| tray_len(h) == 4);
    let kept = h.state().change.tray[3].path.clone();
    assert!(kept.starts_with(world.data.path().join("pasted")), "{}", kept.display());
    assert_eq!(image::image_dimensions(&kept).unwrap(), (40, 30));

    // Moving one first makes it the one changed.
    h.get_by_label_contains("holiday.jpg").click_secondary();
    h.run();
    h.get_by_label("Change this one").click();
    h.run();
    assert_eq!(h.state().change.tray[0].path, photo);

    // × on a picture takes it out; "Stop changing" goes back to making new pictures.
    h.get_by_label_contains("holiday.jpg").hover();
    h.run();
    h.get_by_label("Remove").click();
    h.run();
    assert_eq!(tray_len(&h), 3);
    assert!(h.state().change.tray.iter().all(|p| p.path != photo));
    h.get_by_label("Stop changing").click();
    h.run();
    assert_eq!(tray_len(&h), 0);
    assert!(h.query_by_label("Generate").is_some(), "the form makes new pictures again");
    assert_eq!(world.images().len(), 2, "no picture of the library was touched");
}

#[test]
fn a_picture_gone_before_sending_is_named_and_nothing_is_sent() {
    let world = World::new().with_key();
    let mut h = world.generated("a lighthouse", 1);
    answer_edits(&world, ok_answer(1), None);
    let outside = tempfile::tempdir().unwrap();
    let photo = outside.path().join("coast.png");
    std::fs::write(&photo, png(100, 60)).unwrap();
    h.state_mut().push(easel::app::Command::AddToChange(vec![photo.clone()]));
    step_until(&mut h, "the photo", |h| tray_len(h) == 1);
    std::fs::remove_file(&photo).unwrap();
    type_prompt(&mut h, " at night");
    h.get_by_label("Change").click();
    step_until(&mut h, "the reason", |h| has_label_containing(h, "“coast.png” could not be read"));
    assert!(edit_requests(&world).is_empty(), "nothing was sent");
    assert!(h.state().jobs.is_empty(), "no request tile for a change that never left");
}

#[test]
fn a_pipe_or_a_file_of_gigabytes_is_refused_before_it_is_read() {
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    let outside = tempfile::tempdir().unwrap();
    let huge = outside.path().join("huge.png");
    std::fs::File::create(&huge).unwrap().set_len(2 << 30).unwrap();
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut cases = vec![(huge, "“huge.png” is 2048 MB; a picture can be at most 50 MB")];
    #[cfg(unix)]
    {
        let fifo = outside.path().join("pipe.png");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        cases.push((fifo, "“pipe.png” is not a file (it is a folder, a device or a pipe)"));
    }
    for (file, said) in cases {
        h.state_mut().push(easel::app::Command::AddToChange(vec![file]));
        step_until(&mut h, said, |h| has_label_containing(h, said));
        assert_eq!(tray_len(&h), 0);
    }
}

#[test]
fn a_failed_change_is_tried_again_as_the_same_change() {
    let world = World::new().with_key();
    let mut h = world.generated("a teapot", 1);
    let server_error = ResponseTemplate::new(500)
        .set_body_raw(r#"{"error":{"message":"The server had an error"}}"#, "application/json");
    // Two answers: the streamed attempt and the one without previews the client falls back to
    // (a server error is tried once more at most).
    answer_edits(&world, server_error, Some(2));
    answer_edits(&world, ok_answer(1), None);
    from_menu(&mut h, "Picture 1:", "Change this picture…");
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    h.state_mut().push(easel::app::Command::StopChanging);
    h.run();
    // Even after the form went back to new pictures, Try again sends the change.
    let first = h.state().gallery[0].id;
    h.state_mut().push(easel::app::Command::ChangePicture(first));
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    h.state_mut().state.form.prompt = "with steam".into();
    h.run();
    h.get_by_label("Change").click();
    step_until(&mut h, "the failed tile", |h| h.query_by_label("Try again").is_some());
    h.state_mut().push(easel::app::Command::StopChanging);
    h.run();
    h.get_by_label("Try again").click();
    step_until(&mut h, "the changed picture", |h| pictures_ready(h, 2));
    let sent = edit_requests(&world);
    assert_eq!(sent.len(), 3, "every attempt to /images/edits");
    assert_eq!(parts(&sent[0]), parts(&sent[2]), "the same change, part by part");
}

#[test]
fn a_comparison_of_changes_sends_each_quality_with_the_same_pictures() {
    let world = World::new().with_key();
    let mut h = world.generated("a blue door", 1);
    answer_edits(&world, ok_answer(1), None);
    from_menu(&mut h, "Picture 1:", "Change this picture…");
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    type_prompt(&mut h, ", painted green");
    h.get_by_label("Compare qualities…").click();
    h.run();
    h.get_by_label("Make 3 pictures").click();
    step_until(&mut h, "the comparison's pictures", |h| {
        h.state().gallery.iter().filter(|g| g.saved.meta.comparison.is_some()).count() == 3
    });
    let sent = edit_requests(&world);
    assert_eq!(sent.len(), 3, "each cell to /images/edits");
    let mut qualities: Vec<String> = sent
        .iter()
        .map(|r| {
            let parts = parts(r);
            let picture = parts.iter().find(|p| p.name == "image[]").unwrap();
            assert_eq!(picture.body, std::fs::read(&world.images()[0]).unwrap(), "the same picture in each");
            parts.iter().find(|p| p.name == "quality").unwrap().text().to_string()
        })
        .collect();
    qualities.sort();
    assert_eq!(qualities, ["high", "low", "medium"]);
    assert!(h.state().comparison.is_some(), "the comparison is on screen");
}

#[test]
fn a_refused_change_comes_back_into_the_form_as_a_change_of_the_same_pictures() {
    let world = World::new().with_key();
    let mut h = world.generated("a quiet street", 1);
    let refusal = serde_json::json!({"error": {"message": "Your request was rejected by the safety system.", "code": "moderation_blocked"}});
    answer_edits(&world, ResponseTemplate::new(400).set_body_raw(refusal.to_string(), "application/json"), None);
    from_menu(&mut h, "Picture 1:", "Change this picture…");
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    h.state_mut().state.form.prompt = "something refused".into();
    h.run();
    h.get_by_label("Change").click();
    step_until(&mut h, "the refusal", |h| h.query_by_label("Change the prompt").is_some());
    // Meanwhile the user went back to new pictures; the remedy brings the change back.
    h.get_by_label("Stop changing").click();
    h.run();
    h.get_by_label("Change the prompt").click();
    step_until(&mut h, "the change again", |h| tray_len(h) == 1);
    h.run();
    assert_eq!(h.state().state.form.prompt, "something refused");
    assert_eq!(h.state().change.tray[0].path, world.images()[0]);
    assert!(h.query_by_label("Change").is_some(), "the form is a change again");
}

/// A relay that changes the whole picture: a flat red one of `w`×`h`.
fn red_answer(w: u32, h: u32) -> ResponseTemplate {
    let red = image::RgbaImage::from_pixel(w, h, image::Rgba([230, 20, 20, 255]));
    let mut bytes = Vec::new();
    red.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    ResponseTemplate::new(200).set_body_raw(b64_answer(&[bytes]).to_string(), "application/json")
}

#[test]
fn a_painted_area_is_sent_as_the_mask_and_everything_outside_it_stays_as_it_was() {
    let world = World::new().with_key();
    let mut h = world.generated("a field of wheat", 1);
    let original = world.images()[0].clone();
    let (w, ht) = image::image_dimensions(&original).unwrap();
    answer_edits(&world, red_answer(w, ht), None);

    from_menu(&mut h, "Picture 1:", "Change this picture…");
    step_until(&mut h, "the painter with its picture", |h| {
        h.state().painting && h.state().painter.as_ref().is_some_and(|p| p.pixel_size().is_some())
    });
    h.run();
    assert!(has_label_containing(&h, "Nothing painted: the whole picture may change."));
    // A zoomed-in brush across the middle of the small picture, then back to the form's prompt.
    drag(&mut h, &[(10.0, 24.0), (50.0, 24.0)]);
    assert!(has_label_containing(&h, "Changing"), "the form says how much will change");
    assert!(has_label_containing(&h, "Keep everything else exactly as it is"));
    type_prompt(&mut h, ", with a scarecrow");
    h.get_by_label("Change").click();
    step_until(&mut h, "the changed picture", |h| pictures_ready(h, 2));

    let sent = edit_requests(&world);
    let parts = parts(&sent[0]);
    let mask = parts.iter().find(|p| p.name == "mask").expect("the painted area, as the mask");
    assert_eq!(mask.content_type.as_deref(), Some("image/png"));
    let mask = image::load_from_memory(&mask.body).unwrap().to_rgba8();
    assert_eq!(mask.dimensions(), (w, ht), "the first picture's size");
    assert_eq!(mask.get_pixel(30, 24)[3], 0, "transparent where painted");
    assert_eq!(mask.get_pixel(2, 2)[3], 255, "opaque where not");

    // The saved change: the original outside the area, the relay's red inside.
    let changed = world.images().into_iter().find(|p| *p != original && !p.to_string_lossy().contains("-raw")).unwrap();
    let (before, after) = (image::open(&original).unwrap().to_rgba8(), image::open(&changed).unwrap().to_rgba8());
    assert_eq!(after.get_pixel(2, 2), before.get_pixel(2, 2), "outside kept, pixel for pixel");
    assert_eq!(after.get_pixel(w - 2, ht - 2), before.get_pixel(w - 2, ht - 2));
    assert_eq!(after.get_pixel(30, 24), &image::Rgba([230, 20, 20, 255]), "inside from the model");
    // The gallery's thumbnail is of the picture saved, not of the model's all-red one.
    let name = changed.file_name().unwrap().to_string_lossy().into_owned();
    let thumb = walk(world.data.path()).into_iter().find(|p| {
        let n = p.file_name().unwrap().to_string_lossy();
        n.starts_with(&name) && n != name && p.parent().is_some_and(|d| d.ends_with("thumbs"))
    });
    let thumb = image::open(thumb.expect("the thumbnail kept")).unwrap().to_rgba8();
    let corner = thumb.get_pixel(1, 1);
    assert_ne!(corner, &image::Rgba([230, 20, 20, 255]), "the thumbnail's corner is the original's");
    h.run();
    assert!(
        has_label_containing(&h, "of the picture outside your mask; those changes were undone."),
        "the window says the model changed more than the area, and that it was undone: {:?}",
        h.state().notice.as_ref().map(|n| format!("{n:?}"))
    );
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn pictures_dropped_together_start_a_change_and_join_one_in_progress() {
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    let outside = tempfile::tempdir().unwrap();
    let files: Vec<_> = ["room.png", "sofa.jpg", "lamp.png"]
        .iter()
        .map(|name| {
            let path = outside.path().join(name);
            let format = if name.ends_with("jpg") { image::ImageFormat::Jpeg } else { image::ImageFormat::Png };
            std::fs::write(&path, picture(format, 90, 60)).unwrap();
            path
        })
        .collect();
    // Two at once: a change of the first, the second as a reference, in the order dropped.
    for f in &files[..2] {
        h.input_mut().dropped_files.push(std::sync::Arc::new(DroppedPath(f.clone())));
    }
    step_until(&mut h, "the dropped pictures", |h| tray_len(h) == 2);
    assert_eq!(h.state().change.tray[0].path, files[0]);
    assert_eq!(h.state().change.tray[1].path, files[1]);
    assert!(h.state().dropped().is_none(), "no settings dialog for pictures dropped together");
    // One more while changing joins the change rather than showing its settings.
    h.input_mut().dropped_files.push(std::sync::Arc::new(DroppedPath(files[2].clone())));
    step_until(&mut h, "the third", |h| tray_len(h) == 3);
    assert!(h.state().dropped().is_none());
}

#[test]
fn a_change_starts_empty_with_one_picture_and_gives_the_form_back_when_closed() {
    let world = World::new().with_key();
    let mut h = world.generated("a lighthouse", 1);
    // The user goes on to another prompt and asks for many pictures, then changes the picture.
    h.state_mut().state.form.prompt = "a harbour at night".into();
    h.state_mut().state.form.n = 10;
    h.run();
    let first = h.state().gallery[0].id;
    h.state_mut().push(easel::app::Command::ChangePicture(first));
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    let form = &h.state().state.form;
    assert_eq!((form.prompt.as_str(), form.n), ("", 1), "the change starts with no words and one picture");
    type_prompt(&mut h, "add a red boat");
    h.state_mut().push(easel::app::Command::StopChanging);
    h.run();
    let form = &h.state().state.form;
    assert_eq!((form.prompt.as_str(), form.n), ("a harbour at night", 10), "closing it gives the form back");
    // Taking its only picture out ends it the same way.
    h.state_mut().push(easel::app::Command::ChangePicture(first));
    step_until(&mut h, "the picture in the change", |h| tray_len(h) == 1);
    type_prompt(&mut h, "make it snow");
    h.state_mut().push(easel::app::Command::RemoveFromChange(0));
    h.run();
    assert_eq!(h.state().state.form.prompt, "a harbour at night");
}

#[test]
fn without_a_file_dialog_the_change_says_to_drop_or_paste_pictures() {
    let world = World::new().with_key();
    let mut h = world.generated("a kettle", 1);
    world.dialogs.unavailable.store(true, std::sync::atomic::Ordering::SeqCst);
    h.state_mut().push(easel::app::Command::AskPicturesForChange);
    let said = "Drop pictures on the window, or copy one and paste it here.";
    step_until(&mut h, said, |h| has_label_containing(h, said));
    assert!(!has_label_containing(&h, "Your pictures are in the library folder"), "not the words of Save as");
}
