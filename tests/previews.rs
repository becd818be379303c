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
    assert!(h.state().preview_open().is_some());
    step_until(&mut h, "the picture in the viewer", |h| h.state().viewer.is_some());
    assert!(h.state().preview_open().is_none(), "the preview gave way to its picture");
    assert_eq!(h.state().gallery.len(), 1);
}

#[test]
fn advanced_says_when_an_endpoint_refused_previews_and_asks_again_on_a_click() {
    let world = World::new().with_key();
    world.answer(ok_answer(1), None);
    // This endpoint failed with previews an hour ago, as the library remembers it.
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    let memory = serde_json::json!({ world.base(): easel::library::utc_millis(an_hour_ago) });
    std::fs::write(world.data.path().join("previews.json"), memory.to_string()).unwrap();
    let mut h = world.app();
    step_until(&mut h, "the refusal read", |h| h.state().previews_refused.is_some());
    h.get_by_label("Advanced").click();
    h.run();
    assert!(has_label_containing(&h, "This endpoint failed with previews lately, so Easel asks it without them until"));
    h.get_by_label("Ask with previews again").click();
    h.run();
    assert!(!has_label_containing(&h, "failed with previews lately"));
    let memory = world.data.path().join("previews.json");
    step_until(&mut h, "the refusal forgotten", |_| !std::fs::read_to_string(&memory).unwrap().contains("127.0.0.1"));
    type_prompt(&mut h, "a kite");
    h.get_by_label("Generate").click();
    step_until(&mut h, "the picture", |h| pictures_ready(h, 1));
    let sent = world.posted();
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body["stream"], serde_json::json!(true), "asked with previews again");
}
