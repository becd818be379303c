//! Streamed answers end to end: previews as they come, the relays that stream differently or not
//! at all, gateways that give up, streams that break, over real HTTP on 127.0.0.1.

mod common;

use common::sse::{completed, event, lingering_relay, paced_relay, partial};
use common::*;
use easel::api::{
    ApiError, Client, ClientConfig, ErrorKind, FormatField, Generation, ImageRequest, Progress, Quality, Size, Target,
};
use easel::endpoint::Endpoint;
use easel::library::Library;
use easel::secrets::ApiKey;
use easel::worker::{Event, Job, JobError, JobNote, Worker, WorkerConfig};
use reqwest::Url;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const GEN: &str = "/v1/images/generations";

fn request(n: u8, previews: u8) -> ImageRequest {
    ImageRequest {
        n,
        quality: Quality::Low,
        size: Size::Square,
        partial_images: previews,
        ..ImageRequest::new("a kite")
    }
}

fn events_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")
}

async fn generate_at(
    config: ClientConfig,
    base: &str,
    req: &ImageRequest,
) -> (Result<Generation, ApiError>, Vec<Progress>) {
    let client = Client::new(config).unwrap();
    let url = Url::parse(base).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress = move |p: Progress| sink.lock().unwrap().push(p);
    let target = Target { base_url: &url, key: KEY, format_field: FormatField::OutputFormat };
    let result = client.generate(target, req, &CancellationToken::new(), &progress).await;
    let seen = seen.lock().unwrap().clone();
    (result, seen)
}

async fn generate(server: &MockServer, req: &ImageRequest) -> (Result<Generation, ApiError>, Vec<Progress>) {
    generate_at(fast_config(), &format!("{}/v1", server.uri()), req).await
}

/// (picture, step, of, width) of each preview reported.
fn previews(progress: &[Progress]) -> Vec<(usize, u8, u8, u32)> {
    progress
        .iter()
        .filter_map(|p| match p {
            Progress::Preview { picture, step, of, image } => Some((*picture, *step, *of, image.width)),
            _ => None,
        })
        .collect()
}

fn body_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

/// A relay that answers `refusal` (a 400) to a request asking for a stream, and a picture to
/// one that does not.
fn refusing_stream(refusal: String) -> Mock {
    Mock::given(method("POST")).and(path(GEN)).respond_with(move |r: &Request| {
        if body_of(r).get("stream").is_some() {
            ResponseTemplate::new(400).set_body_raw(refusal.clone(), "application/json")
        } else {
            ResponseTemplate::new(200).set_body_raw(b64_answer(&[png(20, 20)]).to_string(), "application/json")
        }
    })
}

#[tokio::test]
async fn previews_come_in_order_then_the_picture() {
    let server = MockServer::start().await;
    let last = png(40, 30);
    // Comments, CRLF line ends and a closing [DONE], as relays send them.
    let body = format!(
        ": keep-alive\r\n\r\n{}{}{}{}data: [DONE]\r\n\r\n",
        partial(&png(10, 8), 0).replace('\n', "\r\n"),
        partial(&png(11, 8), 1),
        partial(&png(12, 8), 2),
        completed(&last)
    );
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).expect(1).mount(&server).await;
    let (result, progress) = generate(&server, &request(1, 3)).await;
    let g = result.unwrap();
    assert_eq!(previews(&progress), [(0, 1, 3, 10), (0, 2, 3, 11), (0, 3, 3, 12)]);
    assert_eq!(g.images.len(), 1);
    assert_eq!(g.images[0].bytes, last);
    assert!(g.streamed && g.interrupted.is_none() && !g.previews_refused);
    assert_eq!(g.usage.unwrap().output_tokens, Some(500));
    let sent = &server.received_requests().await.unwrap()[0];
    let body = body_of(sent);
    assert_eq!((body["stream"].clone(), body["partial_images"].clone()), (json!(true), json!(3)));
    assert!(sent.headers.get("accept").unwrap().to_str().unwrap().contains("text/event-stream"));
}

#[tokio::test]
async fn a_relay_that_ignores_stream_answers_plain_json() {
    let server = MockServer::start().await;
    let pic = png(20, 20);
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b64_answer(std::slice::from_ref(&pic)).to_string(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (result, progress) = generate(&server, &request(1, 2)).await;
    let g = result.unwrap();
    assert_eq!(g.images[0].bytes, pic);
    assert!(!g.streamed, "no previews were made, so none are priced");
    assert!(previews(&progress).is_empty());
}

#[tokio::test]
async fn a_relay_refusing_stream_is_asked_once_more_without_it() {
    for refusal in [
        error_body("Unknown parameter: 'stream'.", "unknown_parameter"),
        error_body("Unknown parameter: 'partial_images'.", "unknown_parameter"),
        json!({"error": {"message": "Streaming must have non-zero partial images"}}),
    ] {
        let server = MockServer::start().await;
        let pic = png(20, 20);
        let refusal = refusal.to_string();
        refusing_stream(refusal).mount(&server).await;
        let (result, progress) = generate(&server, &request(1, 3)).await;
        let g = result.unwrap();
        assert_eq!(g.images[0].bytes, pic);
        assert!(g.previews_refused);
        assert!(progress.contains(&Progress::WithoutPreviews));
        let sent = server.received_requests().await.unwrap();
        assert_eq!(sent.len(), 2, "one refused request, one without streaming");
        let again = body_of(&sent[1]);
        assert!(again.get("stream").is_none() && again.get("partial_images").is_none(), "{again}");
    }
}

#[tokio::test]
async fn a_gateway_that_gave_up_is_not_asked_again() {
    for status in [504, 524] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(ResponseTemplate::new(status).set_body_raw("<html>A timeout occurred</html>", "text/html"))
            .mount(&server)
            .await;
        let (result, _) = generate(&server, &request(1, 0)).await;
        let e = result.unwrap_err();
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{status}: each request may be billed");
        assert_eq!(e.kind, ErrorKind::GatewayGaveUp);
        let en = easel::i18n::with(easel::i18n::Lang::En, || e.to_string());
        assert!(en.contains("gave up waiting") && en.contains("may still have been"), "{en}");
        assert!(en.contains("turn them on if they are off"), "{en}");
        assert!(!en.contains("<html>"), "{en}");
    }
}

#[tokio::test]
async fn two_pictures_told_apart_by_their_index() {
    let server = MockServer::start().await;
    let (a, b) = (png(30, 10), png(31, 10));
    let preview = |picture: u32, index: u32, w| {
        event(
            "image_generation.partial_image",
            &json!({"b64_json": b64(&png(w, 5)), "partial_image_index": index, "image_index": picture}),
        )
    };
    let done = |picture: u32, bytes: &[u8]| {
        event("image_generation.completed", &json!({"b64_json": b64(bytes), "image_index": picture}))
    };
    // The second picture finishes first: each still goes to its place.
    let body = [preview(1, 0, 7), preview(0, 0, 8), done(1, &b), preview(0, 1, 9), done(0, &a)].concat();
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).mount(&server).await;
    let (result, progress) = generate(&server, &request(2, 2)).await;
    let g = result.unwrap();
    assert_eq!(previews(&progress), [(1, 1, 2, 7), (0, 1, 2, 8), (0, 2, 2, 9)]);
    assert_eq!(g.images.iter().map(|i| i.bytes.clone()).collect::<Vec<_>>(), [a, b]);
}

#[tokio::test]
async fn an_error_event_is_said_in_words() {
    let server = MockServer::start().await;
    let body = format!(
        "{}event: error\ndata: {}\n\n",
        partial(&png(8, 8), 0),
        json!({"type": "error", "error": {"message": "Upstream \u{1b}[2Jfailed {\"raw\":1}", "code": "server_error"}})
    );
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).mount(&server).await;
    let (result, progress) = generate(&server, &request(1, 2)).await;
    let e = result.unwrap_err();
    assert_eq!(previews(&progress).len(), 1);
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.maybe_billed && !e.is_retryable());
    let en = easel::i18n::with(easel::i18n::Lang::En, || e.to_string());
    assert!(en.contains("Upstream") && !en.contains('\u{1b}') && !en.contains('{'), "{en}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never repeated");
}

#[tokio::test]
async fn a_stream_cut_before_the_picture_is_an_error_in_words() {
    let server = MockServer::start().await;
    // The final event is cut in the middle of its base64, and the connection closes.
    let whole = completed(&png(30, 30));
    let body = format!("{}{}", partial(&png(8, 8), 0), &whole[..whole.len() / 2]);
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).mount(&server).await;
    let (result, _) = generate(&server, &request(1, 2)).await;
    let e = result.unwrap_err();
    assert_eq!(e.kind, ErrorKind::StreamCut);
    let en = easel::i18n::with(easel::i18n::Lang::En, || e.to_string());
    assert!(en.starts_with("The connection closed before the picture was finished."), "{en}");
    assert!(en.contains("may still have been charged"), "{en}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never repeated: it may be billed");
}

#[tokio::test]
async fn a_stream_outlives_a_gateway_that_cuts_silent_connections() {
    // Previews every second; a plain request is held silent and dropped after 2 s.
    let events = vec![partial(&png(8, 8), 0), partial(&png(9, 8), 1), partial(&png(10, 8), 2), completed(&png(12, 12))];
    let base = paced_relay(events, Duration::from_secs(1), Duration::from_secs(2)).await;
    // The client's idle timeout is shorter than the whole stream (about 4 s): it holds the
    // silence between pieces, not the whole stream (the request timeout does, at 20 s).
    let config = ClientConfig { idle_timeout: Duration::from_secs(3), ..fast_config() };
    let (streamed, progress) = generate_at(config.clone(), &base, &request(1, 3)).await;
    let g = streamed.unwrap();
    assert_eq!(g.images[0].width, 12);
    assert_eq!(previews(&progress).len(), 3);
    let plain = ClientConfig { max_retries: 0, ..config };
    let (cut, _) = generate_at(plain, &base, &request(1, 0)).await;
    let e = cut.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e:?}");
    assert!(e.maybe_billed);
}

#[tokio::test]
async fn a_stream_kept_open_with_keep_alives_is_given_up_at_the_request_timeout() {
    // One picture of two, then a comment every 100 ms, for ever.
    let base = lingering_relay(vec![completed(&png(16, 16))], Some(Duration::from_millis(100))).await;
    let config =
        ClientConfig { request_timeout: Duration::from_secs(2), idle_timeout: Duration::from_secs(1), ..fast_config() };
    let started = Instant::now();
    let (result, _) = generate_at(config, &base, &request(2, 1)).await;
    assert!(started.elapsed() < Duration::from_secs(15), "waited {:?}", started.elapsed());
    let generation = result.expect("the finished picture is kept");
    assert_eq!(generation.images.len(), 1);
    let why = generation.interrupted.expect("and why the other is missing");
    assert_eq!(why.kind, ErrorKind::Timeout);
    assert_eq!(why.reason, Some(easel::api::error::Reason::GaveUpAfter { secs: 2 }));
    let said = easel::i18n::with(easel::i18n::Lang::En, || why.to_string());
    assert!(said.contains("the picture was not finished after 2 seconds, the longest Easel waits for one"), "{said}");
    assert!(why.maybe_billed);
}

#[tokio::test]
async fn a_stream_gone_silent_is_given_up_at_the_idle_timeout() {
    let base = lingering_relay(vec![partial(&png(8, 8), 0)], None).await;
    let config = ClientConfig { idle_timeout: Duration::from_secs(1), ..fast_config() };
    let started = Instant::now();
    let (result, seen) = generate_at(config, &base, &request(1, 2)).await;
    assert!(started.elapsed() < Duration::from_secs(10), "waited {:?}", started.elapsed());
    assert_eq!(previews(&seen).len(), 1);
    let e = result.unwrap_err();
    assert_eq!(
        (e.kind, e.reason.clone()),
        (ErrorKind::Timeout, Some(easel::api::error::Reason::SilentFor { secs: 1 }))
    );
    let said = easel::i18n::with(easel::i18n::Lang::En, || e.to_string());
    assert!(said.contains("the service sent nothing at all for 1 second"), "{said}");
}

#[tokio::test]
async fn every_byte_of_a_stream_counts_against_one_cap() {
    let server = MockServer::start().await;
    // Ten finished pictures, each event under the cap, all of them far over it.
    let padded = |i: u32| {
        event(
            "image_generation.completed",
            &json!({"type": "image_generation.completed", "b64_json": b64(&png(8 + i, 8)), "image_index": i,
                    "padding": "x".repeat(60_000)}),
        )
    };
    let body: String = (0..10).map(padded).collect();
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).mount(&server).await;
    let config = ClientConfig { max_body_bytes: 200_000, ..fast_config() };
    let (result, _) = generate_at(config, &format!("{}/v1", server.uri()), &request(10, 1)).await;
    let generation = result.expect("the pictures within the cap are kept");
    assert_eq!(generation.images.len(), 3, "{} of 10", generation.images.len());
    let why = generation.interrupted.unwrap();
    assert_eq!(why.reason, Some(easel::api::error::Reason::AnswerTooLarge));
}

#[tokio::test]
async fn a_json_answer_under_the_event_stream_type_is_read() {
    let server = MockServer::start().await;
    let body = b64_answer(&[png(24, 16)]).to_string();
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(format!("\n{body}"))).mount(&server).await;
    let (result, _) = generate(&server, &request(1, 2)).await;
    let generation = result.expect("read as the answer it is");
    assert_eq!((generation.images[0].width, generation.images[0].height), (24, 16));
    assert!(generation.interrupted.is_none());
}

#[tokio::test]
async fn previews_beyond_those_asked_for_are_not_told() {
    let server = MockServer::start().await;
    let small = png(8, 8);
    // The same first preview a thousand times, then more steps than asked, then the picture;
    // and unnumbered previews, which count up.
    let mut body: String = (0..1000).map(|_| partial(&small, 0)).collect();
    body.extend((1..6).map(|i| partial(&small, i)));
    body.push_str(&completed(&png(16, 16)));
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).mount(&server).await;
    let (result, seen) = generate(&server, &request(1, 2)).await;
    assert!(result.is_ok());
    assert_eq!(previews(&seen), [(0, 1, 2, 8), (0, 2, 2, 8)]);

    let server = MockServer::start().await;
    let unnumbered = event("image_generation.partial_image", &json!({"b64_json": b64(&small)}));
    let mut body = unnumbered.repeat(500);
    body.push_str(&completed(&png(16, 16)));
    Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).mount(&server).await;
    let (_, seen) = generate(&server, &request(1, 3)).await;
    assert_eq!(previews(&seen).len(), 3);
}

#[tokio::test]
async fn an_edit_asks_for_previews_in_its_form() {
    let server = MockServer::start().await;
    let body =
        format!("{}{}", partial(&png(8, 8), 0), completed(&png(16, 16)).replace("image_generation", "image_edit"));
    Mock::given(method("POST")).and(path("/v1/images/edits")).respond_with(events_response(body)).mount(&server).await;
    let edit = easel::api::EditRequest::prepare(
        request(1, 2),
        None,
        vec![easel::api::EditFile::new("in.png", png(16, 16))],
        None,
    )
    .unwrap();
    let client = Client::new(fast_config()).unwrap();
    let url = Url::parse(&format!("{}/v1", server.uri())).unwrap();
    let target = Target { base_url: &url, key: KEY, format_field: FormatField::OutputFormat };
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress = move |p: Progress| sink.lock().unwrap().push(p);
    let g =
        client.edit(target, &edit, easel::api::ImageField::Array, &CancellationToken::new(), &progress).await.unwrap();
    assert_eq!(g.images[0].width, 16);
    assert_eq!(previews(&seen.lock().unwrap()), [(0, 1, 2, 8)]);
    let sent = &server.received_requests().await.unwrap()[0];
    let parts = common::multipart::parts(sent);
    let field = |name: &str| parts.iter().find(|p| p.name == name).map(|p| p.text().to_string());
    assert_eq!((field("stream"), field("partial_images")), (Some("true".into()), Some("2".into())));
}

// The worker: previews decoded small, a cut stream's finished pictures saved, refusals remembered.

struct Setup {
    worker: Worker,
    library: Arc<Library>,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let library = Arc::new(Library::open(dir.path()).unwrap());
    let config = WorkerConfig { client: fast_config(), thumbnail_size: Some(64), ..WorkerConfig::default() };
    let worker = Worker::new(config, library.clone(), || {}).unwrap();
    Setup { worker, library, _dir: dir }
}

fn job(server: &MockServer, n: u8, previews: u8) -> Job {
    job_at(&format!("{}/v1", server.uri()), n, previews)
}

fn job_at(base: &str, n: u8, previews: u8) -> Job {
    Job {
        request: request(n, previews),
        endpoint: Endpoint::from_base_url(base, None).unwrap(),
        key: ApiKey::new(KEY).unwrap(),
        comparison: None,
        edit: None,
    }
}

fn run(worker: &Worker, job: Job) -> Vec<Event> {
    let id = worker.submit(job);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut events = Vec::new();
    while Instant::now() < deadline {
        if let Some(e) = worker.recv_timeout(Duration::from_millis(50)) {
            let end = e.job() == id && matches!(e, Event::Finished { .. } | Event::Failed { .. });
            events.push(e);
            if end {
                return events;
            }
        }
    }
    panic!("timed out; events so far: {events:#?}");
}

#[test]
fn the_worker_sends_previews_small_and_never_as_progress() {
    let s = setup();
    let rt = tokio::runtime::Runtime::new().unwrap();
    // The final picture comes a while after the preview, as it does from the service: a
    // preview still decoding when the final picture is in is not sent.
    let events = vec![partial(&png(1536, 1024), 0), completed(&png(64, 64))];
    let base = rt.block_on(paced_relay(events, Duration::from_secs(2), Duration::from_secs(60)));
    let events = run(&s.worker, job_at(&base, 1, 1));
    let preview = events.iter().find_map(|e| match e {
        Event::Preview { index, step, of, preview, .. } => Some((*index, *step, *of, preview.width, preview.height)),
        _ => None,
    });
    assert_eq!(preview, Some((0, 1, 1, 512, 341)), "decoded to a card's size");
    let at = |f: &dyn Fn(&Event) -> bool| events.iter().position(f).unwrap();
    assert!(at(&|e| matches!(e, Event::Preview { .. })) < at(&|e| matches!(e, Event::ImageSaved { .. })));
    assert!(!events.iter().any(|e| matches!(e, Event::Progress { progress: Progress::Preview { .. }, .. })));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:#?}") };
    let order = easel::endpoint::Order {
        model: "gpt-image-2",
        size: Size::Square,
        quality: Quality::Low,
        pictures: 1,
        previews: 0,
        input_tokens: None,
    };
    let plain = easel::endpoint::Prices::default().estimate(&order).unwrap();
    assert!(summary.estimated_cost_usd.unwrap() > plain.usd, "the preview is priced");
}

#[test]
fn a_stream_cut_after_one_picture_of_two_keeps_the_first() {
    let s = setup();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let first = png(48, 32);
    let body = format!("{}{}{}", partial(&png(8, 8), 0), completed(&first), partial(&png(9, 8), 0));
    rt.block_on(Mock::given(method("POST")).and(path(GEN)).respond_with(events_response(body)).mount(&server));
    let events = run(&s.worker, job(&server, 2, 1));
    let Some(Event::Failed { error, saved, .. }) = events.last() else { panic!("{events:#?}") };
    assert!(matches!(error, JobError::Api(e) if e.kind == ErrorKind::StreamCut), "{error:?}");
    assert_eq!(saved.len(), 1, "the finished picture is paid for and kept");
    let on_disk = image::open(&saved[0].path).unwrap().into_rgb8();
    assert_eq!(on_disk, image::load_from_memory(&first).unwrap().into_rgb8());
    let shown = easel::i18n::with(easel::i18n::Lang::En, || error.to_string());
    assert!(shown.contains("closed before the picture was finished"), "{shown}");
    assert!(events.iter().any(|e| matches!(e, Event::ImageSaved { .. })));
}

#[test]
fn an_endpoint_refusing_previews_is_asked_without_them_from_then_on() {
    let s = setup();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    let refusal = error_body("Unknown parameter: 'stream'.", "unknown_parameter").to_string();
    rt.block_on(refusing_stream(refusal).mount(&server));
    let events = run(&s.worker, job(&server, 1, 3));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:#?}") };
    assert_eq!(summary.notes, [JobNote::NoPreviews, JobNote::TookRequests(2)]);
    let note = easel::i18n::with(easel::i18n::Lang::En, || summary.notes[0].to_string());
    assert_eq!(
        note,
        "This endpoint does not send previews; Easel asks without them for a week, unless you ask for previews again."
    );
    assert!(s.library.previews_refused_at(&format!("{}/v1", server.uri())).is_some());
    assert_eq!(rt.block_on(server.received_requests()).unwrap().len(), 2);

    let events = run(&s.worker, job(&server, 1, 3));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:#?}") };
    assert!(summary.notes.is_empty(), "{:?}", summary.notes);
    let sent = rt.block_on(server.received_requests()).unwrap();
    assert_eq!(sent.len(), 3, "the next request is sent once, without streaming");
    assert!(body_of(&sent[2]).get("stream").is_none());
}

#[test]
fn a_relay_failing_on_streams_is_asked_once_without_them_and_that_is_remembered_for_a_week() {
    let s = setup();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    // As LiteLLM answers a streamed image request it cannot read back (its upstream was billed).
    let litellm = r#"{"error":{"message":"litellm.APIConnectionError: APIConnectionError: OpenAIException - 'str' object has no attribute 'model_dump'\n\nLiteLLM: model group 'gpt-image-2' failed with the error above. No fallback was attempted.","type":"internal_server_error","param":null,"code":"500"}}"#;
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(move |r: &Request| {
                if body_of(r).get("stream").is_some() {
                    ResponseTemplate::new(500).set_body_raw(litellm, "application/json")
                } else {
                    ResponseTemplate::new(200).set_body_raw(b64_answer(&[png(20, 20)]).to_string(), "application/json")
                }
            })
            .mount(&server),
    );
    let events = run(&s.worker, job(&server, 1, 3));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:#?}") };
    assert_eq!(summary.notes, [JobNote::PreviewsBroke, JobNote::TookRequests(2)]);
    assert_eq!(summary.saved.len(), 1);
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&summary.saved[0].meta_path).unwrap()).unwrap();
    assert_eq!(kept["request"]["partial_images"], json!(0), "the previews made, not those first asked for");
    let sent = rt.block_on(server.received_requests()).unwrap();
    assert_eq!(sent.len(), 2, "one streamed, one without: not three streamed");
    assert!(body_of(&sent[1]).get("stream").is_none() && body_of(&sent[1]).get("partial_images").is_none());
    let endpoint = format!("{}/v1", server.uri());
    assert!(s.library.previews_refused_at(&endpoint).is_some());

    // From then on, one request without previews, and nothing more to say.
    let events = run(&s.worker, job(&server, 1, 3));
    let Some(Event::Finished { summary, .. }) = events.last() else { panic!("{events:#?}") };
    assert!(summary.notes.is_empty(), "{:?}", summary.notes);
    assert_eq!(rt.block_on(server.received_requests()).unwrap().len(), 3);

    // A week on, previews are asked for again.
    let week_ago = std::time::SystemTime::now() - easel::worker::PREVIEWS_REFUSAL_LASTS - Duration::from_secs(60);
    let memory = json!({ endpoint.clone(): easel::library::utc_millis(week_ago) });
    std::fs::write(s.library.root().join("previews.json"), memory.to_string()).unwrap();
    run(&s.worker, job(&server, 1, 3));
    let sent = rt.block_on(server.received_requests()).unwrap();
    assert_eq!(body_of(&sent[3]).get("stream"), Some(&json!(true)), "tried again after a week");
}
