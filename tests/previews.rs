//! Streamed previews in the window: a request's tile shows the latest preview as it arrives,
//! then the picture takes its place. The real `App` through egui_kittest, against a relay on
//! 127.0.0.1 that sends its events with pauses.

mod common;

use common::harness::*;
use common::sse::{completed, paced_relay, partial};
use common::*;
use egui_kittest::kittest::Queryable;
use std::time::Duration;

#[test]
fn a_request_tile_shows_its_previews_before_the_picture() {
    let world = World::new();
    let events = vec![partial(&png(64, 48), 0), partial(&png(64, 48), 1), completed(&png(64, 48))];
    let base = world.rt.block_on(paced_relay(events, Duration::from_millis(600), Duration::from_secs(5)));
    let world = world.using(&base);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "a slow sunrise over the sea");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the first preview on the tile", |h| has_label_containing(h, "Preview 1 of 3"));
    assert!(h.state().gallery.is_empty(), "the picture itself has not come yet");
    step_until(&mut h, "the second preview in its place", |h| has_label_containing(h, "Preview 2 of 3"));
    assert!(!has_label_containing(&h, "Preview 1 of 3"), "one preview per picture, the latest");
    step_until(&mut h, "the picture", |h| pictures_ready(h, 1));
    h.run();
    assert!(!has_label_containing(&h, "Preview"), "the picture took the preview's place");
    assert_eq!(world.images().len(), 1);
}

#[test]
fn a_preview_opens_large_while_the_picture_is_made_and_the_viewer_takes_its_place() {
    let world = World::new();
    let events = vec![partial(&png(64, 48), 0), partial(&png(64, 48), 1), completed(&png(64, 48))];
    let base = world.rt.block_on(paced_relay(events, Duration::from_millis(700), Duration::from_secs(5)));
    let world = world.using(&base);
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "a slow moonrise");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the first preview on the tile", |h| has_label_containing(h, "Preview 1 of 3"));
    h.get_by_label_contains("Preview 1 of 3").click();
    step_until(&mut h, "the preview, large", |h| has_label_containing(h, "The picture is still being made"));
    assert!(h.state().preview_open.is_some());
    step_until(&mut h, "the picture in the viewer", |h| h.state().viewer.is_some());
    assert!(h.state().preview_open.is_none(), "the preview gave way to its picture");
    assert_eq!(h.state().gallery.len(), 1);
}
