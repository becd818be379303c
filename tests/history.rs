//! The library as a user meets it in the window: the whole history at start-up, search,
//! filters, favourites, reusing settings, a damaged metadata file.

mod common;

use common::harness::*;
use common::*;
use easel::api::{ImageRequest, Quality, ReceivedImage};
use easel::app::App;
use easel::library::{Library, Provenance, SavedImage};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};

/// Saves a request's pictures into the library at `dir`, as the worker would have.
fn seed(dir: &std::path::Path, prompt: &str, quality: Quality, n: usize) -> Vec<SavedImage> {
    let lib = Library::open(dir).unwrap();
    let mut request = ImageRequest::new(prompt);
    request.quality = quality;
    request.n = n as u8;
    let prov = Provenance {
        elapsed_secs: 2.5,
        estimated_cost_usd: Some(0.006),
        ..Provenance::new(request, "http://127.0.0.1:9/v1", "test relay", n)
    };
    let saved = (0..n)
        .map(|i| lib.save(&ReceivedImage::from_bytes(png(60 + i as u32, 40)).unwrap(), i, &prov).unwrap())
        .collect();
    // Request names carry the millisecond: keep them apart.
    std::thread::sleep(std::time::Duration::from_millis(5));
    saved
}

fn thumbnails(h: &Harness<'_, App>, prompt: &str) -> usize {
    h.query_all(By::new().role(Role::Button).label_contains(prompt)).count()
}

fn history_ready(h: &Harness<'_, App>, n: usize) -> bool {
    let s = h.state();
    !s.history_loading && s.gallery.len() == n && s.gallery.iter().all(|g| s.thumbs.has(&g.saved.path))
}

fn pick(h: &mut Harness<'_, App>, combo: &str, choice: &str) {
    h.get(By::new().role(Role::ComboBox).label(combo)).click();
    h.run();
    h.get_all_by_label(choice).last().unwrap().click();
    h.run();
}

#[test]
fn the_whole_library_is_there_at_start_up_and_can_be_searched_and_filtered() {
    let world = World::new().with_key();
    let data = world.data.path();
    let fox = seed(data, "a red fox in the snow", Quality::Low, 2);
    let cat = seed(data, "an orange cat on the sill", Quality::High, 1);
    let lost = seed(data, "details lost", Quality::Low, 1);
    std::fs::write(&lost[0].meta_path, b"{\"version\": 1, \"file\": \"trunc").unwrap();

    let mut h = world.app();
    // Wide enough for the filters to show as a bar (narrower, they are in a menu: tests/app.rs).
    h.set_size(egui::vec2(1600.0, 900.0));
    step_until(&mut h, "the history", |h| history_ready(h, 4));
    h.run();
    // Newest request first, a request's pictures in order.
    let order: Vec<_> = h.state().gallery.iter().map(|g| g.saved.path.clone()).collect();
    assert_eq!(order, vec![lost[0].path.clone(), cat[0].path.clone(), fox[0].path.clone(), fox[1].path.clone()]);
    assert_eq!(thumbnails(&h, "a red fox"), 2);
    assert_eq!(thumbnails(&h, "an orange cat"), 1);
    assert!(has_label_containing(&h, "No details"), "the damaged entry says its details are missing");
    assert!(has_label_containing(&h, "Today"), "the pictures are under the day they were made");

    h.get_by_label("Search prompts").focus();
    h.run();
    h.get_by_label("Search prompts").type_text("FOX snow");
    h.run();
    assert_eq!((thumbnails(&h, "a red fox"), thumbnails(&h, "an orange cat")), (2, 0));
    assert!(has_label_containing(&h, "2 of 4 pictures"));
    h.get_by_label("Clear filters").click();
    h.run();
    assert_eq!(thumbnails(&h, "Picture "), 4);

    pick(&mut h, "Filter by quality", "High");
    assert_eq!((thumbnails(&h, "a red fox"), thumbnails(&h, "an orange cat")), (0, 1));
    h.get_by_label("Clear filters").click();
    h.run();
    pick(&mut h, "Filter by size", "61x40");
    assert_eq!(thumbnails(&h, "Picture "), 1, "only the second fox is 61 pixels wide");
    h.get_by_label("Clear filters").click();
    h.run();

    // A favourite, kept in the picture's metadata file.
    h.get(By::new().role(Role::Button).label_contains("an orange cat")).click_secondary();
    h.run();
    h.get_by_label("Add to favourites").click();
    step_until(&mut h, "the favourite on disk", |_| {
        std::fs::read_to_string(&cat[0].meta_path).unwrap().contains("\"favourite\": true")
    });
    h.get_by_label("Favourites").click();
    h.run();
    assert_eq!((thumbnails(&h, "a red fox"), thumbnails(&h, "an orange cat")), (0, 1));
    let kept = Library::read_meta(&cat[0].meta_path).unwrap();
    assert_eq!(kept.request.prompt, "an orange cat on the sill", "the rest of the metadata is unchanged");

    // Reuse the settings of a picture from the history.
    h.get(By::new().role(Role::Button).label_contains("an orange cat")).click_secondary();
    h.run();
    h.get_by_label("Use these settings").click();
    h.run();
    assert_eq!(h.state().state.form.prompt, "an orange cat on the sill");
    assert_eq!(h.state().state.form.quality, Quality::High);
}

#[test]
fn the_history_survives_a_restart_and_a_lost_index() {
    let world = World::new().with_key();
    let h = world.generated("made in the first run", 2);
    drop(h);

    let h = &mut world.app();
    step_until(h, "the history after a restart", |h| history_ready(h, 2));
    h.run();
    assert_eq!(thumbnails(h, "made in the first run"), 2);
    let cache = world.data.path().join("cache");
    assert!(cache.join("index.json").exists());
    assert_eq!(std::fs::read_dir(cache.join("thumbs")).unwrap().count(), 2, "the worker kept both thumbnails");

    std::fs::write(cache.join("index.json"), b"\x00\x01 not json").unwrap();
    std::fs::remove_dir_all(cache.join("thumbs")).unwrap();
    let h = &mut world.app();
    step_until(h, "the history rebuilt", |h| history_ready(h, 2));
    h.run();
    assert_eq!(thumbnails(h, "made in the first run"), 2);
}

fn drop_file(h: &mut Harness<'_, App>, path: std::path::PathBuf) {
    h.input_mut().dropped_files.push(std::sync::Arc::new(DroppedPath(path)));
    step_until(h, "the dropped file's settings", |h| h.state().dropped().is_some());
    h.run();
}

#[test]
fn a_dropped_picture_shows_its_settings_and_offers_them_to_the_form() {
    let world = World::new().with_key();
    let elsewhere = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let made = seed(other.path(), "a lighthouse at dusk, oil painting", Quality::High, 1);
    let easel_file = elsewhere.path().join("lighthouse.png");
    std::fs::copy(&made[0].path, &easel_file).unwrap();
    // A1111 writes a tEXt chunk named "parameters".
    let a1111 = elsewhere.path().join("a1111.png");
    let mut encoder = png::Encoder::new(std::fs::File::create(&a1111).unwrap(), 2, 2);
    encoder.set_color(png::ColorType::Rgba);
    encoder
        .add_text_chunk(
            "parameters".into(),
            "a cat in a hat\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, Size: 512x512, Model: sd15".into(),
        )
        .unwrap();
    encoder.write_header().unwrap().write_image_data(&[0; 16]).unwrap();
    let text_file = elsewhere.path().join("notes.txt");
    std::fs::write(&text_file, "not a picture").unwrap();

    let mut h = world.app();
    step_until(&mut h, "the empty history", |h| !h.state().history_loading);
    drop_file(&mut h, easel_file);
    assert!(has_label_containing(&h, "Settings in this picture"));
    assert!(has_label_containing(&h, "a lighthouse at dusk, oil painting"));
    assert!(has_label_containing(&h, "test relay"), "the endpoint's name is among the settings");
    h.get_by_label("Use these settings").click();
    h.run();
    assert!(h.state().dropped().is_none());
    assert_eq!(h.state().state.form.prompt, "a lighthouse at dusk, oil painting");
    assert_eq!(h.state().state.form.quality, Quality::High);

    drop_file(&mut h, a1111);
    assert!(has_label_containing(&h, "Negative prompt"));
    assert!(has_label_containing(&h, "Euler a"));
    h.get_by_label("Use these settings").click();
    h.run();
    assert_eq!(h.state().state.form.prompt, "a cat in a hat");
    assert_eq!(h.state().state.form.model, "sd15");

    drop_file(&mut h, text_file);
    assert!(has_label_containing(&h, "“notes.txt” is not a PNG, JPEG or WebP picture."));
    assert_eq!(h.query_all_by_label("Use these settings").count(), 0);
    h.get_by_label("Close").click();
    h.run();
    assert!(h.state().dropped().is_none());
}

#[test]
fn save_as_carries_the_settings_unless_the_privacy_switch_is_off() {
    let world = World::new().with_key();
    let made = seed(world.data.path(), "a quiet harbour", Quality::Low, 1);
    let out = tempfile::tempdir().unwrap();
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 1));
    h.run();

    let save = |h: &mut Harness<'_, App>, name: &str| {
        let target = out.path().join(name);
        *world.dialogs.answer.lock().unwrap() = Some(target.clone());
        h.get(By::new().role(Role::Button).label_contains("a quiet harbour")).click_secondary();
        h.run();
        h.get_by_label("Save as…").click();
        // The file and the window's word of it (a reply that wakes the window): both, so the
        // next frames do not meet the reply still on its way.
        step_until(h, "the saved file", |h| target.exists() && h.state().notice.is_some());
        h.state_mut().notice = None;
        std::fs::read(target).unwrap()
    };
    let with = save(&mut h, "with.png");
    let text = easel::library::embed::read_parameters(&with).unwrap();
    assert!(text.starts_with("a quiet harbour\nModel: gpt-image-2"), "{text}");

    h.get_by_label("Settings…").click();
    h.run();
    h.get_by_label("Put the prompt and settings inside pictures I save").click();
    h.run();
    assert!(!h.state().state.settings.settings_in_saved_files);
    // The settings window's own close button has no accessible name to find it by.
    h.state_mut().modals.clear();
    h.run();
    let without = save(&mut h, "without.png");
    assert_eq!(easel::library::embed::read_parameters(&without), None);
    let pixels = |b: &[u8]| image::load_from_memory(b).unwrap().into_rgba8();
    assert_eq!(pixels(&without), pixels(&with));
    assert!(
        easel::library::embed::read_parameters(&std::fs::read(&made[0].path).unwrap()).is_some(),
        "the library's own file keeps them"
    );
}

#[test]
fn the_library_folder_moves_with_its_files() {
    let world = World::new().with_key();
    let made = seed(world.data.path(), "a field of poppies", Quality::Low, 2);
    let target = tempfile::tempdir().unwrap();
    let new_home = target.path().join("my pictures");
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 2));
    *world.dialogs.answer.lock().unwrap() = Some(new_home.clone());
    h.get_by_label("Settings…").click();
    h.run();
    h.get_by_label("Move…").click();
    step_until(&mut h, "the moved library", |h| has_label_containing(h, "The library is now in"));
    step_until(&mut h, "the history from the new folder", |h| history_ready(h, 2));
    for saved in &made {
        assert!(!saved.path.exists());
        assert!(new_home.join(saved.path.file_name().unwrap()).exists());
        assert!(new_home.join(saved.meta_path.file_name().unwrap()).exists());
    }
    assert!(h.state().gallery.iter().all(|g| g.saved.path.starts_with(&new_home)));
    assert_eq!(
        Library::open(world.data.path()).unwrap().images_dir(),
        new_home,
        "the next start, and the terminal, use it too"
    );
}

#[test]
fn pictures_made_by_the_terminal_appear_when_the_window_is_back_in_focus() {
    let world = World::new().with_key();
    seed(world.data.path(), "made before", Quality::Low, 1);
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 1));
    h.input_mut().focused = false;
    h.step();
    let later = seed(world.data.path(), "made by a script meanwhile", Quality::Medium, 2);
    h.input_mut().focused = true;
    step_until(&mut h, "the new pictures", |h| history_ready(h, 3));
    h.run();
    let order: Vec<_> = h.state().gallery.iter().map(|g| g.saved.meta.request.prompt.clone()).collect();
    assert_eq!(order, ["made by a script meanwhile", "made by a script meanwhile", "made before"]);
    assert_eq!(h.state().gallery[0].saved.path, later[0].path);
    assert_eq!(thumbnails(&h, "made by a script"), 2);
}

#[test]
fn a_damaged_library_json_is_said_not_hidden() {
    let world = World::new().with_key();
    seed(world.data.path(), "in the default folder", Quality::Low, 1);
    std::fs::write(world.data.path().join("library.json"), b"{\"images_dir\": \"/somewhere/el").unwrap();
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 1));
    h.run();
    // The user is told what happened and where the pictures shown come from, not left
    // wondering where a moved library went.
    assert!(has_label_containing(&h, "Easel could not read where your pictures are kept"));
    assert!(has_label_containing(&h, "library.json is damaged"));
    assert_eq!(thumbnails(&h, "in the default folder"), 1);
}

#[test]
fn a_picture_too_large_to_open_says_so_in_its_tile_and_in_the_viewer() {
    let world = World::new().with_key();
    seed(world.data.path(), "an ordinary picture", Quality::Low, 1);
    let lib = Library::open(world.data.path()).unwrap();
    let prov = Provenance::new(
        ImageRequest::new("a picture of sixty thousand pixels a side"),
        "http://127.0.0.1:9/v1",
        "test relay",
        1,
    );
    let huge = lib.save(&ReceivedImage::from_bytes(declared_png(60_000, 60_000)).unwrap(), 0, &prov).unwrap();
    assert_eq!((huge.meta.width, huge.meta.height), (60_000, 60_000));

    let mut h = world.app();
    step_until(&mut h, "the history", |h| h.state().gallery.len() == 2);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !matches!(h.state_mut().thumbs.get(&huge.path), easel::app::thumbs::Thumb::Failed(_)) {
        assert!(std::time::Instant::now() < deadline, "the tile never failed");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    step_until(&mut h, "the other thumbnail", |h| h.state().thumbs.has(&h.state().gallery[1].saved.path));
    h.run();
    // The tile's word where the thumbnail would be (a screen reader says it too); what happened
    // when the pointer rests on it.
    let tile = By::new().role(Role::Button).label_contains("sixty thousand");
    let name = h.get(tile.clone()).accesskit_node().label().unwrap_or_default();
    assert!(name.ends_with("(Too large to open)"), "{name}");
    let said = "The picture is too large for Easel to open (60000 × 60000 pixels)";
    h.get(tile.clone()).hover();
    step_until(&mut h, "the tile's tooltip", |h| has_label_containing(h, said));
    assert!(h.state().thumbs.has(&h.state().gallery[1].saved.path), "the other picture is shown");
    assert!(!h.state().thumbs.has(&huge.path));

    h.get(tile).click();
    step_until(&mut h, "the viewer's answer", |h| h.state().viewer.as_ref().is_some_and(|v| v.error.is_some()));
    h.run();
    assert!(has_label_containing(&h, said), "the viewer says it in the picture's place");
    assert!(has_label_containing(&h, "open it with another program"));
    assert!(huge.path.exists(), "the file is kept");
}

#[test]
fn a_damaged_move_record_costs_neither_the_start_nor_the_pictures() {
    let world = World::new().with_key();
    let elsewhere = tempfile::tempdir().unwrap();
    seed(elsewhere.path(), "kept in the moved folder", Quality::Low, 2);
    let moved = elsewhere.path().join("images");
    let record = |moving_from: serde_json::Value| {
        let json = serde_json::json!({"images_dir": moved, "moving_from": moving_from});
        std::fs::write(world.data.path().join("library.json"), json.to_string()).unwrap();
    };
    record(serde_json::json!(42));
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 2));
    h.run();
    assert_eq!(thumbnails(&h, "kept in the moved folder"), 2, "the moved folder's pictures, not the default's");
    assert!(has_label_containing(&h, "Easel found an unfinished move of your pictures"));
    assert!(has_label_containing(&h, &format!("It shows the pictures in {}", moved.display())));
    drop(h);

    // A move from a folder that is gone, or from the pictures folder itself, is simply over.
    for from in [serde_json::json!("/no/such/folder"), serde_json::json!(moved)] {
        record(from.clone());
        let mut h = world.app();
        step_until(&mut h, "the history", |h| history_ready(h, 2));
        h.run();
        assert_eq!(thumbnails(&h, "kept in the moved folder"), 2, "{from}");
        assert!(h.state().notice.is_none(), "{from}: nothing to say");
    }
    assert_eq!(std::fs::read_dir(&moved).unwrap().count(), 4, "two pictures and their details, untouched");
}

/// The names and contents of every file in `folder`.
fn contents(folder: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn a_library_file_naming_someone_elses_folder_moves_nothing_and_says_so() {
    let world = World::new().with_key();
    seed(world.data.path(), "in the default folder", Quality::Low, 1);
    // A folder of the user's own, with one of Easel's pictures put among the files.
    let documents = tempfile::tempdir().unwrap();
    std::fs::write(documents.path().join("notes.txt"), b"my notes").unwrap();
    std::fs::write(documents.path().join("id_ed25519"), b"-----BEGIN OPENSSH PRIVATE KEY-----").unwrap();
    std::fs::write(documents.path().join("report.pdf"), b"%PDF-1.7").unwrap();
    std::fs::write(documents.path().join("holiday.jpg"), picture(image::ImageFormat::Jpeg, 8, 8)).unwrap();
    seed(documents.path(), "copied into documents", Quality::Low, 1);
    let pictures = documents.path().join("images");
    for f in std::fs::read_dir(&pictures).unwrap() {
        let f = f.unwrap();
        std::fs::rename(f.path(), documents.path().join(f.file_name())).unwrap();
    }
    std::fs::remove_dir(&pictures).unwrap();
    let before = contents(documents.path());
    // What anyone who can write the data folder (a synced library, an archive) could put there.
    let json = serde_json::json!({"moving_from": documents.path()});
    std::fs::write(world.data.path().join("library.json"), json.to_string()).unwrap();
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 1));
    h.run();
    assert_eq!(contents(documents.path()), before, "every file stays where it was");
    assert_eq!(thumbnails(&h, "in the default folder"), 1);
    assert_eq!(thumbnails(&h, "copied into documents"), 0);
    assert!(has_label_containing(&h, "Easel never began a move there, so it moved nothing"));
    let kept = std::fs::read_to_string(world.data.path().join("library.json")).unwrap();
    assert!(!kept.contains("moving_from"), "the record is forgotten: {kept}");
}

#[test]
fn a_move_cut_short_is_finished_at_start_and_what_stayed_is_said() {
    let world = World::new().with_key();
    seed(world.data.path(), "a lighthouse at dusk", Quality::Low, 2);
    let old = world.data.path().join("images");
    std::fs::write(old.join("my notes.txt"), b"mine").unwrap();
    let target = tempfile::tempdir().unwrap();
    let lib = Library::open(world.data.path()).unwrap();
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 2));
    drop(h);
    // Move… done by hand up to where a crash would cut it: after its mark and record, before any file moved.
    lib.move_to(target.path()).unwrap();
    for f in std::fs::read_dir(target.path()).unwrap() {
        let f = f.unwrap();
        std::fs::rename(f.path(), old.join(f.file_name())).unwrap();
    }
    std::fs::write(old.join(".easel-move"), target.path().to_string_lossy().as_bytes()).unwrap();
    let json = serde_json::json!({"images_dir": target.path(), "moving_from": old});
    std::fs::write(world.data.path().join("library.json"), json.to_string()).unwrap();

    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 2));
    h.run();
    assert_eq!(thumbnails(&h, "a lighthouse at dusk"), 2);
    assert_eq!(contents(target.path()).len(), 4, "two pictures and their details");
    assert_eq!(contents(&old).into_keys().collect::<Vec<_>>(), ["my notes.txt"]);
    let finished = format!("Easel finished moving your pictures into {}", target.path().display());
    assert!(has_label_containing(&h, &finished));
    assert!(has_label_containing(&h, "4 more files moved"));
    assert!(has_label_containing(&h, "1 other file in"));
    assert!(has_label_containing(&h, "is not one of Easel's pictures and stayed where it is"));
}

#[cfg(unix)]
#[test]
fn move_refuses_a_folder_name_it_cannot_record_and_keeps_every_picture() {
    use egui_kittest::kittest::NodeT;
    use std::os::unix::ffi::OsStrExt;
    let world = World::new().with_key();
    let made = seed(world.data.path(), "a field of poppies", Quality::Low, 2);
    let target = tempfile::tempdir().unwrap();
    // A name that is not UTF-8 (Latin-1 "café"): possible on Linux, impossible to write in JSON.
    let odd = target.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 2));
    *world.dialogs.answer.lock().unwrap() = Some(odd.clone());
    h.get_by_label("Settings…").click();
    h.run();
    h.get_by_label("Move…").click();
    step_until(&mut h, "the refusal", |h| !h.state().moving_library && h.state().notice.is_some());
    h.run();
    assert!(h.state().notice.as_ref().is_some_and(easel::app::Notice::is_error), "said as a problem");
    assert!(has_label_containing(&h, "Easel could not move the pictures into"));
    assert!(made.iter().all(|s| s.path.exists() && s.meta_path.exists()), "nothing moved");
    assert!(!odd.exists());
    assert!(h.query_by_label("Move…").is_some_and(|b| !b.accesskit_node().is_disabled()), "Move… works again");
}

#[test]
fn a_bug_in_background_work_ends_it_and_says_so() {
    use egui_kittest::kittest::NodeT;
    let world = World::new().with_key();
    let made = seed(world.data.path(), "a field of poppies", Quality::Low, 1);
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 1));
    world.dialogs.panic.store(true, std::sync::atomic::Ordering::SeqCst);
    h.get_by_label("Settings…").click();
    h.run();
    h.get_by_label("Move…").click();
    h.step();
    step_until(&mut h, "the move to end", |h| !h.state().moving_library);
    h.run();
    assert!(has_label_containing(&h, "Something went wrong inside Easel"));
    assert!(h.query_by_label("Move…").is_some_and(|b| !b.accesskit_node().is_disabled()), "Move… works again");
    assert!(made[0].path.exists(), "nothing moved, nothing lost");
}

#[test]
fn opening_easel_with_a_picture_shows_its_settings_as_a_drop_does() {
    let mut world = World::new().with_key();
    let made = seed(world.data.path(), "a harbour in the fog", Quality::High, 1);
    let elsewhere = world.data.path().join("from a friend.png");
    std::fs::copy(&made[0].path, &elsewhere).unwrap();
    world.open = Some(elsewhere);
    let mut h = world.app();
    // The history too: its arrival during `run` would redraw the window under the dialog.
    step_until(&mut h, "the picture's settings", |h| h.state().dropped().is_some() && !h.state().history_loading);
    h.run();
    assert!(has_label_containing(&h, "from a friend.png"));
    assert!(has_label_containing(&h, "a harbour in the fog"));
    // When it was made, as a date in the window's words, not the file's RFC 3339.
    let created = h.state().gallery[0].saved.meta.created.clone();
    assert!(!has_label_containing(&h, &created), "{created} shown raw");
    assert!(has_label_containing(&h, &easel::ui::text::local_time(&created)));
    h.get_by_label("Use these settings").click();
    h.run();
    assert_eq!(h.state().state.form.prompt, "a harbour in the fog");
    assert_eq!(h.state().state.form.quality, Quality::High);
}

#[test]
fn a_picture_with_megabytes_of_settings_opens_at_once_with_its_prompt_cut() {
    let mut world = World::new().with_key();
    // As a downloaded picture may be: 20 MB of "prompt" before a settings line.
    let text = format!("{}\nModel: gpt-image-2, Size: 8x8, Quality: high", "a harbour ".repeat(2 << 20));
    let file = world.data.path().join("downloaded.png");
    std::fs::write(&file, easel::library::embed::embed(&png(8, 8), &text).unwrap()).unwrap();
    world.open = Some(file);
    let mut h = world.app();
    step_until(&mut h, "the picture's settings", |h| h.state().dropped().is_some() && !h.state().history_loading);
    h.run();
    assert!(has_label_containing(&h, "downloaded.png"));
    assert!(has_label_containing(&h, "a harbour a harbour"));
    h.get_by_label("Use these settings").click();
    h.run();
    let prompt = &h.state().state.form.prompt;
    assert_eq!(prompt.chars().count(), easel::library::MAX_PROMPT_CHARS, "cut where it was read");
}

#[cfg(unix)]
#[test]
fn opening_a_pipe_or_a_device_says_so_and_waits_for_nothing() {
    for (name, path) in [("a pipe", None), ("a device", Some(std::path::PathBuf::from("/dev/zero")))] {
        let mut world = World::new().with_key();
        let path = path.unwrap_or_else(|| {
            let fifo = world.data.path().join("picture.png");
            assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
            fifo
        });
        world.open = Some(path);
        let mut h = world.app();
        step_until(&mut h, name, |h| h.state().dropped().is_some() && !h.state().history_loading);
        h.run();
        assert!(has_label_containing(&h, "it is not a file (a folder, a device or a pipe)"), "{name}");
    }
}

#[test]
fn details_of_megabytes_cost_only_the_details_and_long_prompts_are_cut() {
    let world = World::new().with_key();
    let made = seed(world.data.path(), "a plain prompt", Quality::Low, 2);
    // One details file over the size Easel reads, one under it with a prompt of a million characters.
    for (saved, prompt_len) in made.iter().zip([50 << 20, 1 << 20]) {
        let mut meta: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved.meta_path).unwrap()).unwrap();
        meta["request"]["prompt"] = serde_json::Value::from("p".repeat(prompt_len));
        std::fs::write(&saved.meta_path, serde_json::to_vec(&meta).unwrap()).unwrap();
    }
    let entries = Library::open(world.data.path()).unwrap().history().unwrap();
    let by_file = |p: &std::path::Path| entries.iter().find(|e| e.saved.path == p).unwrap();
    let huge = by_file(&made[0].path);
    let said = huge.damaged.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(said.contains("it is larger than Easel reads (50 MB; at most 4 MB)"), "{said}");
    let long = by_file(&made[1].path);
    assert!(long.damaged.is_none());
    assert_eq!(long.saved.meta.request.prompt.chars().count(), easel::library::MAX_PROMPT_CHARS);
    // The window shows both pictures, one without its details.
    let mut h = world.app();
    step_until(&mut h, "the history", |h| history_ready(h, 2));
}

#[cfg(unix)]
#[test]
fn pipes_in_place_of_easels_own_files_do_not_hold_the_start() {
    let world = World::new().with_key();
    let made = seed(world.data.path(), "a quiet harbour", Quality::Low, 1);
    let cache = world.data.path().join("cache");
    std::fs::create_dir_all(cache.join("thumbs")).unwrap();
    let name = made[0].path.file_name().unwrap().to_string_lossy().into_owned();
    let thumb = cache.join("thumbs").join(format!("{name}.{}.png", easel::app::thumbs::THUMB_PIXELS));
    for fifo in [
        world.data.path().join("library.json"),
        cache.join("index.json"),
        thumb,
        world.data.path().join("previews.json"),
    ] {
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    }
    let mut h = world.app();
    step_until(&mut h, "the history and its thumbnail", |h| history_ready(h, 1));
    assert_eq!(thumbnails(&h, "a quiet harbour"), 1);
}
