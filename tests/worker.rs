//! The worker end to end: jobs in, events out, pictures on disk, over real HTTP.

mod common;

use common::*;
use easel::api::{FormatField, ImageRequest, OutputFormat, Quality, Size};
use easel::endpoint::Endpoint;
use easel::library::Library;
use easel::secrets::ApiKey;
use easel::worker::{Event, Job, JobId, JobNote, Worker, WorkerConfig};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GEN: &str = "/v1/images/generations";

struct Setup {
    worker: Worker,
    library: Arc<Library>,
    wakes: Arc<AtomicUsize>,
    _dir: tempfile::TempDir,
}

fn setup(max_concurrent: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let library = Arc::new(Library::open(dir.path()).unwrap());
    let wakes = Arc::new(AtomicUsize::new(0));
    let w = wakes.clone();
    let config =
        WorkerConfig { client: fast_config(), max_concurrent, thumbnail_size: Some(64), ..WorkerConfig::default() };
    let worker = Worker::new(config, library.clone(), move || {
        w.fetch_add(1, Ordering::SeqCst);
    })
    .unwrap();
    Setup { worker, library, wakes, _dir: dir }
}

fn job(server: &MockServer, prompt: &str, n: u8) -> Job {
    Job {
        request: ImageRequest {
            n,
            quality: Quality::Low,
            size: Size::Landscape,
            format: OutputFormat::Png,
            ..ImageRequest::new(prompt)
        },
        endpoint: Endpoint::from_base_url(&format!("{}/v1", server.uri()), None).unwrap(),
        key: ApiKey::new(KEY).unwrap(),
        comparison: None,
        edit: None,
    }
}

/// Collects events until `done` says so, or fails after a generous deadline.
fn collect_until(worker: &Worker, mut done: impl FnMut(&[Event]) -> bool) -> Vec<Event> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut events = Vec::new();
    while Instant::now() < deadline {
        if let Some(e) = worker.recv_timeout(Duration::from_millis(50)) {
            events.push(e);
            if done(&events) {
                return events;
            }
        }
    }
    panic!("timed out; events so far: {events:#?}");
}

fn ended(id: JobId) -> impl FnMut(&[Event]) -> bool {
    move |events| events.iter().any(|e| e.job() == id && matches!(e, Event::Finished { .. } | Event::Failed { .. }))
}

#[test]
fn a_job_saves_every_picture_with_its_metadata() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let pics: Vec<Vec<u8>> = (0..3).map(|_| png(96, 64)).collect();
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(ResponseTemplate::new(200).set_body_raw(b64_answer(&pics).to_string(), "application/json"))
            .mount(&server),
    );
    let s = setup(2);
    let id = s.worker.submit(job(&server, "一只在雪地里的红狐狸", 3));
    let events = collect_until(&s.worker, |ev| {
        ev.iter().filter(|e| matches!(e, Event::Thumbnail { .. })).count() == 3 && ended(id)(ev)
    });

    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            Event::Queued { .. } => "queued",
            Event::Started { .. } => "started",
            Event::Progress { .. } => "progress",
            Event::ImageSaved { .. } => "saved",
            Event::Thumbnail { .. } => "thumb",
            Event::Preview { .. } => "preview",
            Event::Finished { .. } => "finished",
            Event::Failed { .. } => "failed",
        })
        .filter(|k| *k != "progress")
        .collect();
    assert_eq!(kinds, ["queued", "started", "saved", "saved", "saved", "thumb", "thumb", "thumb", "finished"]);
    // The waker runs just after each send, on the worker's thread: give the last one its moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.wakes.load(Ordering::SeqCst) < events.len() && Instant::now() < deadline {
        std::thread::yield_now();
    }
    assert!(s.wakes.load(Ordering::SeqCst) >= events.len(), "the UI was not woken for every event");

    let Some(Event::Finished { summary, .. }) = events.last() else { panic!() };
    assert_eq!(summary.saved.len(), 3);
    // Low 1536×1024 is 158 output tokens by gpt-image-2's formula, at $30 a million.
    assert!((summary.estimated_cost_usd.unwrap() - 3.0 * 158.0 * 30e-6).abs() < 1e-9);
    assert!(summary.cost_from_usage_usd.is_some());
    let each = summary.cost_per_picture().unwrap();
    assert!((each - summary.cost_from_usage_usd.unwrap() / 3.0).abs() < 1e-12, "the tokens' figure, per picture");
    for (i, saved) in summary.saved.iter().enumerate() {
        assert!(saved.path.starts_with(s.library.images_dir()));
        assert!(saved.path.is_absolute());
        let on_disk = std::fs::read(&saved.path).unwrap();
        assert_eq!(
            easel::library::embed::strip(&on_disk).unwrap(),
            pics[i],
            "the bytes received, plus only the settings chunk"
        );
        assert!(easel::library::embed::read_parameters(&on_disk).unwrap().starts_with("一只在雪地里的红狐狸\n"));
        let meta = Library::read_meta(&saved.meta_path).unwrap();
        assert_eq!(meta.request.prompt, "一只在雪地里的红狐狸");
        assert_eq!(meta.request.quality, Quality::Low);
        assert_eq!(meta.request.size, Size::Landscape);
        assert_eq!((meta.width, meta.height, meta.format), (96, 64, OutputFormat::Png));
        assert_eq!(meta.index, i);
        assert_eq!(meta.count, 3);
        assert_eq!(meta.group, summary.saved[0].meta.group, "one request, one group");
        assert!(saved.path.file_name().unwrap().to_string_lossy().starts_with(&meta.group));
        assert_eq!(meta.usage.unwrap().output_tokens, Some(4160));
        assert!(meta.endpoint.starts_with("http://127.0.0.1"));
        assert!(meta.elapsed_secs > 0.0);
        assert!((meta.estimated_cost_usd.unwrap() - 158.0 * 30e-6).abs() < 1e-9);
        let raw = std::fs::read_to_string(&saved.meta_path).unwrap();
        assert!(!raw.contains(KEY), "the key leaked into metadata");
    }
    let thumbs: Vec<_> = events
        .iter()
        .filter_map(
            |e| if let Event::Thumbnail { thumbnail, .. } = e { Some(thumbnail.clone().unwrap()) } else { None },
        )
        .collect();
    assert_eq!((thumbs[0].width, thumbs[0].height), (64, 43));
}

#[test]
fn a_picture_too_large_to_open_is_saved_and_its_thumbnail_says_why() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let pics = vec![png(96, 64), declared_png(60_000, 60_000)];
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(ResponseTemplate::new(200).set_body_raw(b64_answer(&pics).to_string(), "application/json"))
            .mount(&server),
    );
    let s = setup(1);
    let id = s.worker.submit(job(&server, "a huge fox", 2));
    let events = collect_until(&s.worker, |ev| {
        ev.iter().filter(|e| matches!(e, Event::Thumbnail { .. })).count() == 2 && ended(id)(ev)
    });
    let thumbs: Vec<_> = events
        .iter()
        .filter_map(|e| if let Event::Thumbnail { thumbnail, .. } = e { Some(thumbnail.clone()) } else { None })
        .collect();
    assert_eq!(thumbs[0].as_ref().map(|t| (t.width, t.height)), Ok((64, 43)));
    assert_eq!(thumbs[1], Err(easel::library::DecodeError::TooLarge { width: 60_000, height: 60_000 }));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:#?}") };
    assert_eq!(summary.saved.len(), 2, "both are kept");
    assert_eq!(easel::library::embed::strip(&std::fs::read(&summary.saved[1].path).unwrap()).unwrap(), pics[1]);
}

#[test]
fn cancel_stops_a_slow_job_and_leaves_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    rt.block_on(
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(b64_answer(&[png(8, 8)]).to_string(), "application/json")
                    .set_delay(Duration::from_secs(30)),
            )
            .mount(&server),
    );
    let s = setup(2);
    let id = s.worker.submit(job(&server, "slow", 1));
    collect_until(&s.worker, |ev| ev.iter().any(|e| matches!(e, Event::Started { .. })));
    let started = Instant::now();
    assert!(s.worker.cancel(id));
    let events = collect_until(&s.worker, ended(id));
    assert!(started.elapsed() < Duration::from_secs(5));
    let Some(Event::Failed { error, saved, .. }) = events.last() else { panic!("{events:?}") };
    assert!(error.is_cancelled());
    assert!(saved.is_empty());
    assert_eq!(std::fs::read_dir(s.library.images_dir()).unwrap().count(), 0);
    assert!(!s.worker.cancel(id), "an ended job cannot be cancelled again");
}

#[test]
fn jobs_run_side_by_side_up_to_the_limit() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    rt.block_on(
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(b64_answer(&[png(8, 8)]).to_string(), "application/json")
                    .set_delay(Duration::from_millis(800)),
            )
            .mount(&server),
    );
    let s = setup(2);
    let ids: Vec<JobId> = (0..3).map(|i| s.worker.submit(job(&server, &format!("picture {i}"), 1))).collect();
    let events = collect_until(&s.worker, |ev| ids.iter().all(|id| ended(*id)(ev)));
    // When the first picture is saved (its job still holds its slot), exactly two had started:
    // the third waited. (A job's Finished can follow the next job's Started, so it is no boundary.)
    let first_end = events.iter().position(|e| matches!(e, Event::ImageSaved { .. })).unwrap();
    let started_before = events[..first_end].iter().filter(|e| matches!(e, Event::Started { .. })).count();
    assert_eq!(started_before, 2);
    assert_eq!(events.iter().filter(|e| matches!(e, Event::Finished { .. })).count(), 3);
    assert_eq!(s.worker.active(), 0);
}

#[test]
fn an_invalid_request_fails_before_sending() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let s = setup(1);
    let mut j = job(&server, "x", 1);
    j.endpoint.prompt_limit = 10;
    j.request.prompt = "far more than ten characters".into();
    let id = s.worker.submit(j);
    let events = collect_until(&s.worker, ended(id));
    let Some(Event::Failed { error, .. }) = events.last() else { panic!() };
    assert!(error.to_string().contains("at most 10"), "{error}");
    assert_eq!(error.remedy(), easel::worker::Remedy::ChangePrompt, "a prompt too long is shortened");
    assert!(rt.block_on(server.received_requests()).unwrap().is_empty());
}

#[test]
fn the_format_field_choice_is_remembered() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    rt.block_on(async {
        Mock::given(method("POST"))
            .and(|r: &wiremock::Request| String::from_utf8_lossy(&r.body).contains("\"output_format\""))
            .respond_with(
                ResponseTemplate::new(400).set_body_raw(
                    json!({"error": {"message": "Unknown parameter: 'output_format'.", "code": "unknown_parameter"}})
                        .to_string(),
                    "application/json",
                ),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(b64_answer(&[png(8, 8)]).to_string(), "application/json"),
            )
            .mount(&server)
            .await;
    });
    let s = setup(1);
    // A custom endpoint starts with `output_format`; this one wants `format`.
    let first = s.worker.submit(job(&server, "one", 1));
    collect_until(&s.worker, ended(first));
    assert_eq!(rt.block_on(server.received_requests()).unwrap().len(), 2);
    let base = format!("{}/v1", server.uri());
    assert_eq!(s.library.format_field_for(&base), Some(FormatField::Format));
    let second = s.worker.submit(job(&server, "two", 1));
    collect_until(&s.worker, ended(second));
    assert_eq!(rt.block_on(server.received_requests()).unwrap().len(), 3, "the second job went straight to `format`");
}

#[test]
fn what_a_relay_echoes_reaches_the_metadata_masked_and_clean() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let answer = json!({"data": [{
        "b64_json": b64(&png(8, 8)),
        "revised_prompt": format!("a fox \u{1b}]52;c;cHduZWQ=\u{7}signed {KEY}")
    }]});
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(answer.to_string(), "application/json")
                    .insert_header("x-request-id", KEY),
            )
            .mount(&server),
    );
    let s = setup(1);
    let id = s.worker.submit(job(&server, "a fox", 1));
    let events = collect_until(&s.worker, ended(id));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:?}") };
    let meta_path = &summary.saved[0].meta_path;
    let meta = Library::read_meta(meta_path).unwrap();
    assert_eq!(meta.request_id.as_deref(), Some("[your key]"));
    assert_eq!(meta.revised_prompt.as_deref(), Some("a fox ]52;c;cHduZWQ=signed [your key]"));
    // No file of the library holds the key, or a piece of it.
    for entry in std::fs::read_dir(s.library.images_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&KEY[4..20]) && !text.contains(&KEY[16..]), "the key reached the disk");
    }
}

#[test]
fn a_relay_sending_more_pictures_than_asked_gets_only_those_saved() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let many: Vec<Vec<u8>> = vec![png(8, 8); 300];
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(ResponseTemplate::new(200).set_body_raw(b64_answer(&many).to_string(), "application/json"))
            .mount(&server),
    );
    let s = setup(1);
    let id = s.worker.submit(job(&server, "one fox", 1));
    let events = collect_until(&s.worker, ended(id));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:?}") };
    assert_eq!(summary.saved.len(), 1);
    assert_eq!(summary.notes, [JobNote::TooManyPictures { sent: 300, kept: 1 }]);
    assert_eq!(summary.missing, 0, "pictures not asked for are not missing ones");
    assert!((summary.estimated_cost_usd.unwrap() - 158.0 * 30e-6).abs() < 1e-9, "the one kept is priced");
    let pictures = std::fs::read_dir(s.library.images_dir())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "png"))
        .count();
    assert_eq!(pictures, 1);
    let note = |lang| easel::i18n::with(lang, || summary.notes[0].to_string());
    assert_eq!(
        note(easel::i18n::Lang::En),
        "The endpoint sent 300 pictures though you asked for one; Easel kept the first and did not save the rest."
    );
    assert_eq!(
        note(easel::i18n::Lang::ZhCn),
        "接口返回了 300 张图片，但你只要了 1 张；Easel 保留了前 1 张，其余的没有保存。"
    );
}

/// An edit of `picture` (a file on disk) with one picture, sent to `server`.
fn edit_job(server: &MockServer, picture: &std::path::Path) -> Job {
    let settings = job(server, "the same, at night", 1).request;
    let file = easel::api::EditFile::new("a.png", std::fs::read(picture).unwrap());
    let edit =
        easel::worker::EditJob::prepare(settings.clone(), None, vec![(picture.to_path_buf(), file)], None, false)
            .unwrap();
    Job { edit: Some(Arc::new(edit)), ..job(server, "the same, at night", 1) }
}

/// The names of the picture parts of a multipart body, in order.
fn picture_parts(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    text.match_indices("name=\"image")
        .map(|(at, _)| text[at + 6..].split('"').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_picture_field_an_endpoint_takes_is_remembered() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    // A relay that wants `image` for a single picture and refuses `image[]`.
    rt.block_on(async {
        Mock::given(method("POST"))
            .and(path("/v1/images/edits"))
            .and(|r: &wiremock::Request| picture_parts(&r.body).iter().any(|n| n == "image[]"))
            .respond_with(
                ResponseTemplate::new(400).set_body_raw(
                    json!({"error": {"message": "Unknown parameter: 'image[]'.", "param": "image[]",
                                     "code": "unknown_parameter"}})
                    .to_string(),
                    "application/json",
                ),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/images/edits"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(b64_answer(&[png(16, 16)]).to_string(), "application/json"),
            )
            .mount(&server)
            .await;
    });
    let s = setup(1);
    let picture = s.library.root().join("to-change.png");
    std::fs::write(&picture, png(16, 16)).unwrap();
    let base = format!("{}/v1", server.uri());
    assert_eq!(s.library.image_field_for(&base), None);

    let first = s.worker.submit(edit_job(&server, &picture));
    let events = collect_until(&s.worker, ended(first));
    assert!(events.iter().any(|e| matches!(e, Event::Finished { .. })), "{events:#?}");
    let sent = rt.block_on(server.received_requests()).unwrap();
    let names: Vec<Vec<String>> = sent.iter().map(|r| picture_parts(&r.body)).collect();
    assert_eq!(names, [vec!["image[]".to_string()], vec!["image".to_string()]], "`image[]` first, then `image`");
    assert_eq!(s.library.image_field_for(&base), Some(easel::api::ImageField::Plain));

    // The next edit, even after a restart, goes straight to `image`: one request.
    let reopened = Library::open(s.library.root()).unwrap();
    assert_eq!(reopened.image_field_for(&base), Some(easel::api::ImageField::Plain));
    let second = s.worker.submit(edit_job(&server, &picture));
    let events = collect_until(&s.worker, ended(second));
    assert!(events.iter().any(|e| matches!(e, Event::Finished { .. })), "{events:#?}");
    let sent = rt.block_on(server.received_requests()).unwrap();
    assert_eq!(sent.len(), 3, "one request for the second edit");
    assert_eq!(picture_parts(&sent[2].body), ["image"]);
}
