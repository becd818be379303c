//! Plain words in the window (issue 13): what a user reads, in both languages, from the real
//! App in egui_kittest against a fake relay over real HTTP.

mod common;

use common::harness::*;
use common::*;
use easel::app::{App, JobStatus};
use easel::i18n::Lang;
use easel::worker::Remedy;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use wiremock::ResponseTemplate;

/// The interface language is one setting for the whole process, and these tests switch it:
/// each holds this while its window is open.
static ONE_LANGUAGE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_LANGUAGE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Sends what the form holds and waits until the request has failed.
fn generate_until_failed(h: &mut Harness<'_, App>, prompt: &str) {
    type_prompt(h, prompt);
    h.get_by_label("Generate").click();
    step_until(h, "the failure", |h| h.state().jobs.iter().any(|j| matches!(j.status, JobStatus::Failed { .. })));
    h.run();
}

#[test]
fn an_untouched_prompt_gets_a_calm_hint_and_no_complaint() {
    let _language = one_at_a_time();
    for (lang, hint, complaint) in [
        (Lang::En, "Type a prompt to start.", "The prompt is empty"),
        (Lang::ZhCn, "输入提示词即可开始。", "提示词为空"),
    ] {
        let world = World::new().with_key();
        let mut h = world.app_in(lang);
        h.run();
        assert!(h.get_by_label(if lang == Lang::En { "Generate" } else { "生成" }).accesskit_node().is_disabled());
        assert!(has_label_containing(&h, hint), "{lang:?}: the hint");
        assert!(!has_label_containing(&h, complaint), "{lang:?}: no complaint before typing");
    }
    // Typed, then emptied again: now the reason is said as it is.
    let world = World::new().with_key();
    let mut h = world.app();
    h.run();
    type_prompt(&mut h, "a");
    h.key_press(Key::Backspace);
    h.run();
    h.run();
    assert!(h.state().state.form.prompt.is_empty());
    assert!(has_label_containing(&h, "The prompt is empty"));
    assert!(!has_label_containing(&h, "Type a prompt to start."));
}

#[test]
fn a_refused_prompt_offers_to_change_it_and_that_focuses_the_prompt() {
    let _language = one_at_a_time();
    let world = World::new().with_key();
    world.answer(
        ResponseTemplate::new(400).set_body_raw(
            serde_json::json!({"error": {"message": "Your request was rejected by the safety system.", "type": "image_generation_user_error", "code": "moderation_blocked"}}).to_string(),
            "application/json",
        ),
        None,
    );
    let mut h = world.app();
    h.run();
    generate_until_failed(&mut h, "something refused");
    let (id, remedy, sentence) = {
        let job = h.state().jobs.iter().find(|j| matches!(j.status, JobStatus::Failed { .. })).unwrap();
        let JobStatus::Failed { error, .. } = &job.status else { unreachable!() };
        (job.id, error.remedy(), error.sentence())
    };
    assert_eq!(remedy, Remedy::ChangePrompt, "a refusal is not retried");
    assert_eq!(remedy.label(), "Change the prompt");
    assert_eq!(sentence, "The prompt was refused by the safety system.");
    assert_eq!(world.requests(), 1, "nothing was sent again");

    // The focus is elsewhere (the model field), then the remedy's command brings it back.
    h.get_by_label("Model").focus();
    h.run();
    assert_ne!(focused(&h).as_deref(), Some("Prompt"));
    h.state_mut().push(remedy.command(id));
    h.run();
    h.run();
    assert_eq!(focused(&h).as_deref(), Some("Prompt"), "typing goes into the prompt");
    assert!(!h.state().state.form.focus_prompt, "the request for focus is used once");
    assert_eq!(world.requests(), 1);
}

#[test]
fn a_rate_limit_says_one_wait_without_the_relays_counters() {
    let _language = one_at_a_time();
    let world = World::new().with_key();
    // OpenAI's words say 12 s; its header says 200 s: the header is believed, and said once.
    world.answer(
        ResponseTemplate::new(429)
            .set_body_raw(
                error_body(
                    "Rate limit reached for gpt-image-1 in organization org-x on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in 12s.",
                    "rate_limit_exceeded",
                )
                .to_string(),
                "application/json",
            )
            .insert_header("retry-after", "200"),
        None,
    );
    let mut h = world.app();
    h.run();
    generate_until_failed(&mut h, "a fox");
    assert!(has_label_containing(&h, "Too many requests right now."));
    assert!(has_label_containing(&h, "Try again in about 4 minutes"), "200 seconds, rounded up to minutes");
    for raw in ["IPM", "Limit 5", "12s", "12 seconds", "org-x", "seconds."] {
        assert!(!has_label_containing(&h, raw), "“{raw}” reached the window");
    }
    let job = &h.state().jobs[0];
    let JobStatus::Failed { error, .. } = &job.status else { panic!("not failed") };
    assert_eq!(error.remedy(), Remedy::RetryLater);
    assert_eq!(error.sentence(), "Too many requests right now. Try again in about 4 minutes.");
}

#[test]
fn a_finished_request_counts_its_pictures_and_costs_about_so_much_each() {
    let _language = one_at_a_time();
    // 4,160 output tokens at $30 per million and 50 input at $5: from the tokens, not the table.
    for (lang, said) in [(Lang::En, "This session: 1 picture, about $0.13"), (Lang::ZhCn, "本次：1 张图片，约 $0.13")]
    {
        let world = World::new().with_key();
        world.answer(ok_answer(1), None);
        let mut h = world.app_in(lang);
        h.run();
        type_prompt(&mut h, "a lighthouse at dusk");
        h.get_by_label_contains(if lang == Lang::En { "Low ·" } else { "低 ·" }).click();
        h.run();
        h.get_by_label(if lang == Lang::En { "Generate" } else { "生成" }).click();
        step_until(&mut h, "the picture", |h| pictures_ready(h, 1));
        h.run();
        assert!(has_label_containing(&h, said), "{lang:?}");
        assert!(!has_label_containing(&h, "1 pictures") && !has_label_containing(&h, "1 seconds"), "{lang:?}");
        assert_eq!(h.state().session.usd, 4160.0 * 30.0 / 1e6 + 50.0 * 5.0 / 1e6);
    }
}
