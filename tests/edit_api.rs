//! Edits (`POST /images/edits`) against a fake relay over real HTTP on 127.0.0.1: what the relay
//! received, part by part, and what was refused before anything was sent.

mod common;

use common::multipart::{Received, parts};
use common::*;
use easel::api::edit::{MAX_PIXELS, MAX_SIDE};
use easel::api::{
    ApiError, Client, EditError, EditFile, EditNote, EditRequest, ErrorKind, FormatField, Generation, ImageField,
    ImageRequest, InputFidelity, Moderation, OutputFormat, Progress, Quality, Remedy, Size, Target,
};
use easel::endpoint::{Order, Prices};
use easel::i18n::{Lang, with};
use reqwest::Url;
use serde_json::json;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const EDITS: &str = "/v1/images/edits";

fn field<'a>(parts: &'a [Received], name: &str) -> Option<&'a str> {
    parts.iter().find(|p| p.name == name).map(Received::text)
}

fn base(server: &MockServer) -> Url {
    Url::parse(&format!("{}/v1", server.uri())).unwrap()
}

fn settings(model: &str) -> ImageRequest {
    ImageRequest {
        model: model.into(),
        quality: Quality::Low,
        size: Size::Square,
        // Set, and never sent on an edit.
        moderation: Some(Moderation::Low),
        ..ImageRequest::new("the same, with a red hat")
    }
}

/// A black-and-white mask, `w`×`h`, white (change) on the left half, black (keep) on the right.
fn bw_mask(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| if x < w / 2 { image::Rgb([255; 3]) } else { image::Rgb([0; 3]) });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn made(server_pics: &[Vec<u8>]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(b64_answer(server_pics).to_string(), "application/json")
}

async fn edit(
    server: &MockServer,
    request: &EditRequest,
    image_field: ImageField,
) -> (Result<Generation, ApiError>, Vec<Progress>) {
    let client = Client::new(fast_config()).unwrap();
    let url = base(server);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress = move |p: Progress| sink.lock().unwrap().push(p);
    let target = Target { base_url: &url, key: KEY, format_field: FormatField::OutputFormat };
    let result = client.edit(target, request, image_field, &CancellationToken::new(), &progress).await;
    let seen = seen.lock().unwrap().clone();
    (result, seen)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn pictures_mask_and_settings_arrive_as_named_parts() {
    let server = MockServer::start().await;
    let result = png(64, 64);
    Mock::given(method("POST"))
        .and(path(EDITS))
        .respond_with(made(std::slice::from_ref(&result)))
        .expect(1)
        .mount(&server)
        .await;
    let first = png(64, 48);
    // A JPEG named .png: the bytes decide its content type and the name sent.
    let second = picture(image::ImageFormat::Jpeg, 40, 30);
    let third = picture(image::ImageFormat::WebP, 20, 20);
    let request = EditRequest::prepare(
        settings("gpt-image-2"),
        Some(InputFidelity::High),
        vec![
            EditFile::new("/photos/portrait.png", first.clone()),
            EditFile::new("hat.png", second.clone()),
            EditFile::new("logo.webp", third.clone()),
        ],
        Some(EditFile::new("mask.png", bw_mask(64, 48))),
    )
    .unwrap();

    let (g, _) = edit(&server, &request, ImageField::Array).await;
    let g = g.unwrap();
    assert_eq!(g.images.len(), 1);
    assert_eq!(g.images[0].bytes, result);
    assert_eq!(g.image_field, Some(ImageField::Array));

    let sent = &received(&server).await[0];
    assert_eq!(sent.headers.get("authorization").unwrap(), &format!("Bearer {KEY}"));
    let parts = parts(sent);
    let pictures: Vec<_> = parts.iter().filter(|p| p.name == "image[]").collect();
    assert_eq!(pictures.len(), 3, "{parts:#?}");
    let expect = [
        ("portrait.png", "image/png", &first),
        ("hat.jpg", "image/jpeg", &second),
        ("logo.webp", "image/webp", &third),
    ];
    for (part, (file_name, content_type, bytes)) in pictures.iter().zip(expect) {
        assert_eq!(part.file_name.as_deref(), Some(file_name));
        assert_eq!(part.content_type.as_deref(), Some(content_type));
        assert_eq!(&part.body, bytes, "sent as given: they fit");
    }
    let mask = parts.iter().find(|p| p.name == "mask").unwrap();
    assert_eq!((mask.file_name.as_deref(), mask.content_type.as_deref()), (Some("mask.png"), Some("image/png")));
    assert_eq!(mask.body, request.mask().unwrap().bytes());
    assert!(parts.iter().all(|p| p.name == "image[]" || p.name == "mask" || p.file_name.is_none()));

    assert_eq!(field(&parts, "model"), Some("gpt-image-2"));
    assert_eq!(field(&parts, "prompt"), Some("the same, with a red hat"));
    assert_eq!(field(&parts, "n"), Some("1"));
    assert_eq!(field(&parts, "size"), Some("1024x1024"));
    assert_eq!(field(&parts, "quality"), Some("low"));
    assert_eq!(field(&parts, "output_format"), Some("png"), "the format field as for generations");
    for never in ["moderation", "response_format", "format", "input_fidelity"] {
        assert!(field(&parts, never).is_none(), "{never} was sent to gpt-image-2");
    }
}

#[tokio::test]
async fn input_fidelity_only_for_the_models_that_take_it() {
    for (model, sent) in
        [("gpt-image-1", true), ("gpt-image-1.5", true), ("gpt-image-1-mini", false), ("gpt-image-2", false)]
    {
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path(EDITS)).respond_with(made(&[png(8, 8)])).mount(&server).await;
        let request = EditRequest::prepare(
            settings(model),
            Some(InputFidelity::High),
            vec![EditFile::new("a.png", png(8, 8))],
            None,
        )
        .unwrap();
        edit(&server, &request, ImageField::Array).await.0.unwrap();
        let parts = parts(&received(&server).await[0]);
        assert_eq!(field(&parts, "input_fidelity"), sent.then_some("high"), "{model}");
        assert_eq!(field(&parts, "model"), Some(model));
        assert!(field(&parts, "moderation").is_none(), "{model}");
    }
}

#[tokio::test]
async fn a_retry_sends_the_same_body_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(EDITS))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path(EDITS)).respond_with(made(&[png(8, 8)])).mount(&server).await;
    // Without previews: a streamed request that meets a server error falls back instead (tests/stream.rs).
    let request = EditRequest::prepare(
        ImageRequest { partial_images: 0, ..settings("gpt-image-1.5") },
        Some(InputFidelity::Low),
        vec![EditFile::new("a.png", png(32, 32)), EditFile::new("b.jpg", picture(image::ImageFormat::Jpeg, 16, 16))],
        Some(EditFile::new("m.png", bw_mask(32, 32))),
    )
    .unwrap();
    let (g, progress) = edit(&server, &request, ImageField::Array).await;
    assert_eq!(g.unwrap().attempts, 2);
    assert!(progress.iter().any(|p| matches!(p, Progress::Retrying { kind: ErrorKind::Server, .. })), "{progress:?}");
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    let (first, second) = (parts(&sent[0]), parts(&sent[1]));
    assert_eq!(first, second, "the same parts, in the same order, with the same bytes");
    assert_eq!(first.iter().filter(|p| p.name == "image[]").count(), 2);
    assert!(!first[0].body.is_empty());
}

#[tokio::test]
async fn a_relay_that_refuses_image_brackets_gets_image_once() {
    let server = MockServer::start().await;
    let result = png(8, 8);
    let answer = made(std::slice::from_ref(&result));
    let refusal = ResponseTemplate::new(400).set_body_raw(
        json!({"error": {"message": "Unknown parameter: 'image[]'.", "type": "invalid_request_error",
                         "param": "image[]", "code": "unknown_parameter"}})
        .to_string(),
        "application/json",
    );
    Mock::given(method("POST"))
        .and(path(EDITS))
        .respond_with(move |r: &Request| {
            let named_array = parts(r).iter().any(|p| p.name == "image[]");
            if named_array { refusal.clone() } else { answer.clone() }
        })
        .mount(&server)
        .await;
    let request =
        EditRequest::prepare(settings("gpt-image-2"), None, vec![EditFile::new("a.png", png(16, 16))], None).unwrap();
    let (g, progress) = edit(&server, &request, ImageField::Array).await;
    let g = g.unwrap();
    assert_eq!(g.images[0].bytes, result);
    assert_eq!(g.image_field, Some(ImageField::Plain), "the name that worked, to remember");
    assert!(progress.contains(&Progress::SwitchingImageField { to: ImageField::Plain }), "{progress:?}");
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2, "tried once more, not retried");
    let second = parts(&sent[1]);
    let picture = second.iter().find(|p| p.name == "image").unwrap();
    assert_eq!(picture.content_type.as_deref(), Some("image/png"));

    // Remembered: the next edit goes straight to `image`.
    let (g, progress) = edit(&server, &request, ImageField::Plain).await;
    assert_eq!(g.unwrap().image_field, Some(ImageField::Plain));
    assert!(!progress.iter().any(|p| matches!(p, Progress::SwitchingImageField { .. })));
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn several_pictures_are_always_image_brackets() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(EDITS)).respond_with(made(&[png(8, 8)])).mount(&server).await;
    let request = EditRequest::prepare(
        settings("gpt-image-2"),
        None,
        vec![EditFile::new("a.png", png(8, 8)), EditFile::new("b.png", png(8, 8))],
        None,
    )
    .unwrap();
    edit(&server, &request, ImageField::Plain).await.0.unwrap();
    let parts = parts(&received(&server).await[0]);
    assert_eq!(parts.iter().filter(|p| p.name == "image[]").count(), 2, "`image` names one picture only");
}

#[tokio::test]
async fn an_endpoint_without_edits_says_so() {
    for status in [404, 405] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(EDITS))
            .respond_with(ResponseTemplate::new(status).set_body_raw(
                json!({"error": {"message": "Invalid URL (POST /v1/images/edits)", "type": "invalid_request_error"}})
                    .to_string(),
                "application/json",
            ))
            .mount(&server)
            .await;
        let request =
            EditRequest::prepare(settings("gpt-image-2"), None, vec![EditFile::new("a.png", png(8, 8))], None).unwrap();
        let e = edit(&server, &request, ImageField::Array).await.0.unwrap_err();
        assert_eq!(e.kind, ErrorKind::NoEdits, "{status}");
        assert_eq!(e.remedy(), Remedy::CheckSettings);
        assert_eq!(with(Lang::En, || e.sentence()), "This endpoint does not offer picture changes.");
        assert_eq!(with(Lang::ZhCn, || e.sentence()), "这个接口不提供修改图片的功能。");
        let whole = with(Lang::En, || e.to_string());
        assert!(whole.contains("pick another endpoint in Settings"), "{whole}");
        assert!(!whole.contains('{'), "{whole}");
        assert_eq!(received(&server).await.len(), 1, "not retried");
    }
}

#[tokio::test]
async fn every_refused_input_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(EDITS)).respond_with(made(&[png(8, 8)])).expect(0).mount(&server).await;
    let ok = || EditFile::new("ok.png", png(16, 16));
    let mut damaged = png(16, 16);
    damaged.truncate(20);
    let mut over = png(16, 16);
    over.resize(50 * 1024 * 1024 + 1, 0);
    let mut cut_jpeg = picture(image::ImageFormat::Jpeg, 64, 64);
    cut_jpeg.truncate(cut_jpeg.len() / 2);
    let mut black_mask = Vec::new();
    image::GrayImage::new(16, 16)
        .write_to(&mut std::io::Cursor::new(&mut black_mask), image::ImageFormat::Png)
        .unwrap();
    let cases: Vec<(Vec<EditFile>, Option<EditFile>, EditError)> = vec![
        (vec![], None, EditError::NoPictures),
        ((0..17).map(|_| ok()).collect(), None, EditError::TooMany { count: 17 }),
        (
            vec![ok(), EditFile::new("notes.png", b"just some words, named like a picture".to_vec())],
            None,
            EditError::NotAPicture { name: "notes.png".into() },
        ),
        (
            vec![EditFile::new("huge.png", over.clone())],
            None,
            EditError::TooLarge { name: "huge.png".into(), bytes: over.len() as u64 },
        ),
        (vec![EditFile::new("cut.png", damaged)], None, EditError::Unreadable { name: "cut.png".into() }),
        (
            vec![EditFile::new("poster.png", huge_grey_png(17_000, 1_000))],
            None,
            EditError::PictureTooLarge { name: "poster.png".into(), size: (17_000, 1_000) },
        ),
        // Whole enough for its header to read, not for its pixels.
        (vec![EditFile::new("cut.jpg", cut_jpeg)], None, EditError::Unreadable { name: "cut.jpg".into() }),
        (
            vec![ok()],
            Some(EditFile::new("black.png", black_mask)),
            EditError::MaskChangesNothing { name: "black.png".into() },
        ),
        (
            vec![ok()],
            Some(EditFile::new("mask.png", b"GIF89a not a mask".to_vec())),
            EditError::MaskNotAPicture { name: "mask.png".into() },
        ),
        (
            vec![ok()],
            Some(EditFile::new("mask.png", bw_mask(32, 16))),
            EditError::MaskSize { mask: (32, 16), picture: (16, 16) },
        ),
    ];
    for (pictures, mask, expected) in cases {
        let e = EditRequest::prepare(settings("gpt-image-2"), None, pictures, mask).unwrap_err();
        assert_eq!(e, expected);
        for lang in [Lang::En, Lang::ZhCn] {
            let text = with(lang, || e.to_string());
            assert!(text.ends_with('.') || text.ends_with('。'), "a sentence: {text}");
            assert!(!text.contains('{') && !text.chars().any(char::is_control), "{text}");
        }
    }
    assert!(received(&server).await.is_empty());
}

#[test]
fn a_black_and_white_mask_becomes_transparent_where_white() {
    let request = EditRequest::prepare(
        settings("gpt-image-2"),
        None,
        vec![EditFile::new("a.png", png(8, 4))],
        Some(EditFile::new("painted.png", bw_mask(8, 4))),
    )
    .unwrap();
    assert_eq!(request.notes(), &[EditNote::MaskFromBlackAndWhite]);
    let mask = request.mask().unwrap();
    assert_eq!(mask.format(), OutputFormat::Png);
    let decoded = image::load_from_memory(mask.bytes()).unwrap();
    assert!(decoded.color().has_alpha(), "sent with an alpha channel");
    let rgba = decoded.to_rgba8();
    assert_eq!(rgba.dimensions(), (8, 4));
    for (x, y, p) in rgba.enumerate_pixels() {
        let alpha = if x < 4 { 0 } else { 255 };
        assert_eq!(p[3], alpha, "({x}, {y}): white = change (transparent), black = keep");
    }

    // A mask that already has transparency is sent as painted.
    let painted = image::RgbaImage::from_fn(8, 4, |x, _| image::Rgba([0, 0, 0, if x == 0 { 0 } else { 255 }]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(painted.clone())
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    let request = EditRequest::prepare(
        settings("gpt-image-2"),
        None,
        vec![EditFile::new("a.png", png(8, 4))],
        Some(EditFile::new("alpha.png", bytes)),
    )
    .unwrap();
    assert!(request.notes().is_empty());
    assert_eq!(image::load_from_memory(request.mask().unwrap().bytes()).unwrap().to_rgba8(), painted);
}

#[tokio::test]
async fn a_picture_larger_than_the_model_takes_is_scaled_to_fit() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(EDITS)).respond_with(made(&[png(8, 8)])).mount(&server).await;
    let big = picture(image::ImageFormat::Jpeg, 5000, 3000);
    let request = tokio::task::spawn_blocking(move || {
        EditRequest::prepare(
            settings("gpt-image-2"),
            None,
            vec![EditFile::new("wide.jpg", big)],
            Some(EditFile::new("mask.png", bw_mask(5000, 3000))),
        )
    })
    .await
    .unwrap()
    .unwrap();
    let (w, h) = request.pictures()[0].dimensions();
    assert!(w <= MAX_SIDE && h <= MAX_SIDE && u64::from(w) * u64::from(h) <= MAX_PIXELS, "{w}x{h}");
    assert!((f64::from(w) / f64::from(h) - 5.0 / 3.0).abs() < 0.005, "its shape kept: {w}x{h}");
    assert_eq!(request.mask().unwrap().dimensions(), (w, h), "the mask follows its picture");
    let note = request.notes().iter().find(|n| matches!(n, EditNote::Scaled { .. })).unwrap();
    assert_eq!(note, &EditNote::Scaled { name: "wide.jpg".into(), from: (5000, 3000), to: (w, h) });
    let en = with(Lang::En, || note.to_string());
    assert_eq!(
        en,
        format!(
            "“wide.jpg” (5000×3000 pixels) is larger than the model accepts, so it was scaled down to {w}×{h}, its shape kept."
        )
    );
    assert!(with(Lang::ZhCn, || note.to_string()).contains("缩小"));

    edit(&server, &request, ImageField::Array).await.0.unwrap();
    let parts = parts(&received(&server).await[0]);
    let sent = parts.iter().find(|p| p.name == "image[]").unwrap();
    assert_eq!(sent.content_type.as_deref(), Some("image/jpeg"));
    let decoded = image::load_from_memory(&sent.body).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (w, h), "what was sent is the scaled picture");
}

#[test]
fn the_cost_estimate_counts_the_input_pictures() {
    let prices = Prices::default();
    let request = EditRequest::prepare(
        settings("gpt-image-2"),
        None,
        vec![EditFile::new("a.png", png(1024, 1024)), EditFile::new("b.png", png(1536, 1024))],
        None,
    )
    .unwrap();
    let tokens = request.estimated_input_tokens();
    assert!(tokens > 2 * 65, "{tokens}");
    let s = &request.settings;
    let without = prices.estimate(&Order::of(s).previews(0)).unwrap();
    let with_inputs = prices.estimate(&Order::of(s).previews(0).inputs(Some(tokens))).unwrap();
    assert!(
        (with_inputs.usd - without.usd - tokens as f64 * 8.0 / 1_000_000.0).abs() < 1e-12,
        "gpt-image-2: $8 per 1M image input tokens"
    );
    assert!(with_inputs.approximate, "labelled an estimate");
    // gpt-image-1 reads at low fidelity unless asked, and high fidelity costs more.
    let low = EditRequest::prepare(settings("gpt-image-1"), None, vec![EditFile::new("a.png", png(1024, 1024))], None)
        .unwrap()
        .estimated_input_tokens();
    let high = EditRequest::prepare(
        settings("gpt-image-1"),
        Some(InputFidelity::High),
        vec![EditFile::new("a.png", png(1024, 1024))],
        None,
    )
    .unwrap()
    .estimated_input_tokens();
    assert!(high > low, "{high} > {low}");
}
