//! The gallery as a user meets it: requests as tiles in the grid that become the pictures, no
//! card left behind, a selection worked on as a whole, nothing moving under the pointer, and a
//! window at its smallest still able to send. The real `App` through egui_kittest, against a
//! fake relay over a real socket.

mod common;

use common::harness::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::time::Duration;

fn rect(h: &Harness<'_, easel::app::App>, name: &str) -> egui::Rect {
    h.get_by_label(name).rect()
}

#[test]
fn a_request_is_a_tile_in_the_grid_that_becomes_its_pictures_and_leaves_no_card() {
    let world = World::new().with_key();
    world.answer(ok_answer(2).set_delay(Duration::from_millis(600)), None);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "two herons");
    h.state_mut().state.form.n = 2;
    h.run();
    h.get_by_label("Generate").click();
    step_until(&mut h, "the placeholders", |h| h.query_all_by_label_contains("on its way").count() == 2);
    assert!(has_label_containing(&h, "Making 2 pictures…"), "the header says what is being made");
    assert!(has_label_containing(&h, "Today"), "the tiles are at the top, under today");
    step_until(&mut h, "the pictures", |h| pictures_ready(h, 2));
    h.run();
    assert_eq!(h.query_all_by_label_contains("on its way").count(), 0);
    assert_eq!(h.query_all_by_label_contains("Picture ").count(), 2, "each picture once: no card repeats them");
    assert!(h.query_by_label("Dismiss").is_none(), "nothing to dismiss after a success");
    assert!(h.state().jobs.is_empty(), "the request is over");
    assert!(!has_label_containing(&h, "Making"), "and the header no longer says so");
}

#[test]
fn a_failed_request_stays_as_a_tile_until_dismissed() {
    let world = World::new().with_key();
    world.answer(
        wiremock::ResponseTemplate::new(500)
            .set_body_raw(r#"{"error":{"message":"The server had an error"}}"#, "application/json"),
        None,
    );
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "a stormy sea");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the failed tile", |h| h.query_by_label_contains("Request: a stormy sea").is_some());
    h.run();
    assert!(h.query_by_label("Try again").is_some());
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.query_by_label_contains("Request: a stormy sea").is_none());
    assert!(h.state().jobs.is_empty());
}

#[test]
fn a_selection_is_saved_favoured_deleted_and_brought_back_as_one() {
    let world = World::new().with_key();
    let mut h = world.generated("three owls", 3);
    h.run();
    // Ctrl-click the first, Shift-click the third: all three, and the bar says so.
    h.get_by_label_contains("Picture 1:").click_modifiers(egui::Modifiers::COMMAND);
    h.run();
    assert!(h.state().viewer.is_none(), "Ctrl-click selects rather than opens");
    h.get_by_label_contains("Picture 3:").click_modifiers(egui::Modifiers::SHIFT);
    h.run();
    assert!(has_label_containing(&h, "3 pictures selected"));
    // The bar kept its height: the grid did not move when the selection began.
    let out = tempfile::tempdir().unwrap();
    *world.dialogs.answer.lock().unwrap() = Some(out.path().to_path_buf());
    h.get_by_label("Save…").click();
    step_until(&mut h, "the saved copies", |_| std::fs::read_dir(out.path()).is_ok_and(|d| d.count() == 3));
    h.get_by_label("Add to favourites").click();
    step_until(&mut h, "three favourites on disk", |_| {
        world.images().iter().all(|p| {
            std::fs::read_to_string(p.with_extension("json")).unwrap_or_default().contains("\"favourite\": true")
        })
    });
    h.get_by_label("Delete").click();
    step_until(&mut h, "the toast", |h| has_label_containing(h, "3 pictures were moved to the trash."));
    h.run();
    assert_eq!(h.query_all_by_label_contains("Picture ").count(), 0);
    assert_eq!(world.images().len(), 3, "nothing leaves the disk while Undo is offered");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.query_all_by_label_contains("Picture ").count(), 3, "Ctrl+Z brings all three back");
}

#[test]
fn ctrl_a_selects_everything_shown_and_esc_lets_go() {
    let world = World::new().with_key();
    let mut h = world.generated("two hares", 2);
    h.run();
    // The prompt has the keys at first: Ctrl+A there selects its text, not the pictures.
    h.get_by_label("Search prompts").focus();
    h.run();
    h.get_by_label("Search prompts").type_text("");
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label_contains("Picture 1:").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    assert!(has_label_containing(&h, "2 pictures selected"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!has_label_containing(&h, "selected"));
    assert!(h.query_by_label("Search prompts").is_some(), "the filters are back in the bar");
}

#[test]
fn a_finished_request_and_a_selection_move_nothing_under_the_pointer() {
    let world = World::new().with_key();
    world.answer(ok_answer(1), None);
    let mut h = world.generated("a fox", 1);
    h.run();
    let (bar, generate) = (rect(&h, "Search prompts"), rect(&h, "Generate"));
    // Another request: its tile comes and turns into the picture; the bar and form stay put.
    h.get_by_label("Generate").click();
    step_until(&mut h, "the second picture", |h| pictures_ready(h, 2));
    h.run();
    assert_eq!(rect(&h, "Search prompts"), bar);
    assert_eq!(rect(&h, "Generate"), generate);
    let first_tile = h.get_all_by_label_contains("Picture 1:").next().unwrap().rect();
    h.get_all_by_label_contains("Picture 1:").next().unwrap().click_modifiers(egui::Modifiers::COMMAND);
    h.run();
    assert_eq!(
        h.get_all_by_label_contains("Picture 1:").next().unwrap().rect(),
        first_tile,
        "a selection moves no tile"
    );
}

#[test]
fn at_the_smallest_window_generate_is_in_sight_and_the_filters_are_a_menu() {
    let world = World::new().with_key();
    let mut h = world.generated("a small window", 1);
    h.set_size(egui::vec2(720.0, 480.0));
    h.run();
    // Below the fold in so small a window: scrolled to, as a user would, then opened.
    h.get_by_label("Advanced").scroll_to_me();
    h.run();
    h.get_by_label("Advanced").click();
    h.run();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(720.0, 480.0));
    assert!(screen.contains_rect(rect(&h, "Generate")), "Generate is on screen: {:?}", rect(&h, "Generate"));
    assert!(h.query_by_label("Filter by quality").is_none(), "no row of filters squeezed in");
    let filters = rect(&h, "Filters");
    assert!(h.query_by_label("Thumbnail size (Ctrl + wheel)").is_none(), "the size slider is in the ⋯ menu");
    assert!(filters.right() < rect(&h, "More").left(), "nothing drawn over the Filters button");
    h.get_by_label("Filters").click();
    h.run();
    assert!(h.query_by_label_contains("Quality: Any quality").is_some(), "the choices are in the menu");
}

#[test]
fn counts_read_right_in_both_languages() {
    use easel::i18n::{Lang, with};
    use easel::ui::text;
    assert_eq!(with(Lang::En, || text::selected(1)), "1 picture selected");
    assert_eq!(with(Lang::En, || text::selected(3)), "3 pictures selected");
    assert_eq!(with(Lang::En, || text::making(1)), "Making 1 picture…");
    assert_eq!(with(Lang::En, || text::making(2)), "Making 2 pictures…");
    assert_eq!(with(Lang::En, || text::deleted(1)), "The picture was moved to the trash.");
    assert_eq!(with(Lang::En, || text::deleted(2)), "2 pictures were moved to the trash.");
    assert_eq!(with(Lang::ZhCn, || text::selected(3)), "已选 3 张");
    assert_eq!(with(Lang::ZhCn, || text::making(1)), "正在生成 1 张图片…");
    assert_eq!(with(Lang::ZhCn, || text::deleted(2)), "已将 2 张图片移到回收站。");
}

#[test]
fn recently_deleted_pictures_can_be_put_back_while_the_trash_holds_them() {
    let mut world = World::new().with_key();
    world.undo_window = Duration::ZERO;
    let mut h = world.generated("two swans", 2);
    h.run();
    h.get_all_by_label_contains("Picture 2:").next().unwrap().click_secondary();
    h.run();
    h.get_by_label("Delete").click();
    step_until(&mut h, "the picture in the trash", |h| h.state().gallery.iter().any(|g| g.trashed.is_some()));
    assert_eq!(world.images().len(), 1);
    h.run();
    assert!(h.query_by_label_contains("Picture 2:").is_none(), "gone from the gallery");
    h.get_by_label("More").click();
    h.run();
    h.get_by_label("Recently deleted (1)").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label_contains("Picture 2:").is_some(), "the deleted picture, shown apart");
    assert!(h.query_by_label_contains("Picture 1:").is_none(), "and only it");
    h.get_by_label("Put back all").click();
    step_until(&mut h, "the picture back", |_| world.images().len() == 2);
    step_until(&mut h, "the gallery as it was", |h| pictures_ready(h, 2));
    h.run();
    assert_eq!(h.query_all_by_label_contains("Picture ").count(), 2);
    assert!(h.query_by_label("Put back all").is_none(), "nothing left deleted: back to all pictures");
}

#[test]
fn opening_advanced_at_the_window_s_first_size_moves_no_picture() {
    let world = World::new().with_key();
    let mut h = world.generated("a wide field", 1);
    // The size the window opens at (window::run).
    h.set_size(egui::vec2(1200.0, 800.0));
    h.run();
    let tile = h.get_all_by_label_contains("Picture 1:").next().unwrap().rect();
    h.get_by_label("Advanced").click();
    h.run();
    h.run();
    assert_eq!(h.get_all_by_label_contains("Picture 1:").next().unwrap().rect(), tile, "the form did not widen");
}

#[test]
fn a_pointed_tile_offers_its_menu_without_a_right_click() {
    let world = World::new().with_key();
    let mut h = world.generated("two herons", 2);
    h.run();
    let toolbar = h.query_all_by_label("More").count();
    assert_eq!(toolbar, 1, "only the toolbar's until a tile is pointed at");
    h.get_by_label_contains("Picture 1:").hover();
    h.run();
    let mores: Vec<egui::Rect> = h.query_all_by_label("More").map(|n| n.rect()).collect();
    assert_eq!(mores.len(), 2, "the tile shows its ⋯");
    let tile = h.get_by_label_contains("Picture 1:").rect();
    let corner = mores.into_iter().find(|r| tile.contains_rect(*r)).expect("inside the tile");
    h.get_all_by_label("More").find(|n| n.rect() == corner).unwrap().click();
    h.run();
    assert!(h.state().viewer.is_none(), "the ⋯ is not a click on the picture");
    assert!(h.query_by_label("Change this picture…").is_some(), "the picture's actions");
}
