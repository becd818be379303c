//! The API client against a fake relay over real HTTP on 127.0.0.1.

mod common;

use common::*;
use easel::api::{
    ApiError, Client, ClientConfig, ErrorKind, FormatField, Generation, ImageRequest, OutputFormat, Progress, Quality,
    Size, Target,
};
use reqwest::Url;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const GEN: &str = "/v1/images/generations";

fn base(server: &MockServer) -> Url {
    Url::parse(&format!("{}/v1", server.uri())).unwrap()
}

fn request(format: OutputFormat, n: u8) -> ImageRequest {
    // The plain answer, as before streaming: tests/stream.rs has the streamed one.
    ImageRequest {
        n,
        quality: Quality::Low,
        size: Size::Square,
        format,
        partial_images: 0,
        ..ImageRequest::new("a lighthouse at dusk")
    }
}

async fn run_with(
    config: ClientConfig,
    server: &MockServer,
    field: FormatField,
    req: &ImageRequest,
) -> (Result<Generation, ApiError>, Vec<Progress>) {
    let client = Client::new(config).unwrap();
    let url = base(server);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress = move |p: Progress| sink.lock().unwrap().push(p);
    let target = Target { base_url: &url, key: KEY, format_field: field };
    let result = client.generate(target, req, &CancellationToken::new(), &progress).await;
    let seen = seen.lock().unwrap().clone();
    (result, seen)
}

async fn run(server: &MockServer, field: FormatField, req: &ImageRequest) -> Result<Generation, ApiError> {
    run_with(fast_config(), server, field, req).await.0
}

fn json_response(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

async fn requests_to(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn three_pictures_in_each_format() {
    for (format, image_format) in [
        (OutputFormat::Png, image::ImageFormat::Png),
        (OutputFormat::Jpeg, image::ImageFormat::Jpeg),
        (OutputFormat::Webp, image::ImageFormat::WebP),
    ] {
        let server = MockServer::start().await;
        let pics: Vec<Vec<u8>> = (0..3).map(|i| picture(image_format, 64 + i * 16, 48)).collect();
        Mock::given(method("POST"))
            .and(path(GEN))
            .and(body_partial_json(
                json!({"model": "gpt-image-2", "n": 3, "size": "1024x1024", "quality": "low", "format": format.wire()}),
            ))
            .respond_with(json_response(200, b64_answer(&pics)))
            .expect(1)
            .mount(&server)
            .await;
        let g = run(&server, FormatField::Format, &request(format, 3)).await.unwrap();
        assert_eq!(g.images.len(), 3, "{format}");
        for (i, img) in g.images.iter().enumerate() {
            assert_eq!(img.format, format);
            assert_eq!((img.width, img.height), (64 + i as u32 * 16, 48));
            assert_eq!(img.bytes, pics[i]);
        }
        assert_eq!(g.usage.unwrap().output_tokens, Some(4160));
        assert_eq!(g.returned_other_format, None);
        let sent = &requests_to(&server).await[0];
        assert_eq!(sent.headers.get("authorization").unwrap(), &format!("Bearer {KEY}"));
        assert_eq!(sent.headers.get("content-type").unwrap(), "application/json");
        assert_eq!(sent.headers.get("accept").unwrap(), "application/json");
        let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
        assert!(body.get("response_format").is_none());
    }
}

#[tokio::test]
async fn url_answers_download_without_leaking_the_key() {
    let relay = MockServer::start().await;
    let files = MockServer::start().await;
    // A "second server": loopback under another name is another origin, as a CDN would be.
    let files_url = files.uri().replace("127.0.0.1", "localhost");
    let a = png(40, 30);
    let b = picture(image::ImageFormat::Jpeg, 50, 20);
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(
            200,
            json!({"created": 1, "data": [{"url": format!("{}/files/a.png", relay.uri())}, {"url": format!("{files_url}/cdn/b.jpg")}]}),
        ))
        .mount(&relay)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/a.png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(a.clone(), "image/png"))
        .mount(&relay)
        .await;
    // The CDN labels a JPEG as PNG: the bytes decide.
    Mock::given(method("GET"))
        .and(path("/cdn/b.jpg"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b.clone(), "image/png"))
        .mount(&files)
        .await;

    let g = run(&relay, FormatField::Format, &request(OutputFormat::Png, 2)).await.unwrap();
    assert_eq!(g.images.len(), 2);
    assert_eq!((g.images[0].format, g.images[0].bytes.clone()), (OutputFormat::Png, a));
    assert_eq!((g.images[1].format, g.images[1].bytes.clone()), (OutputFormat::Jpeg, b));

    let cdn = requests_to(&files).await;
    assert_eq!(cdn.len(), 1);
    assert!(cdn[0].headers.get("authorization").is_none(), "the key went to another host");
    let same_origin = requests_to(&relay).await.into_iter().find(|r| r.method.as_str() == "GET").unwrap();
    assert!(same_origin.headers.get("authorization").is_some(), "the endpoint's own files may need the key");
}

#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_key() {
    let relay = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let target = format!("{}{GEN}", elsewhere.uri().replace("127.0.0.1", "localhost"));
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(ResponseTemplate::new(307).insert_header("location", target.as_str()))
        .mount(&relay)
        .await;
    Mock::given(method("POST")).respond_with(json_response(200, b64_answer(&[png(8, 8)]))).mount(&elsewhere).await;
    let e = run(&relay, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Insecure);
    assert!(requests_to(&elsewhere).await.is_empty(), "the request followed the redirect");
    assert!(e.to_string().contains("key is not sent there"), "{e}");
}

/// A relay that answers the first request with a 429 saying `message` and `Retry-After: 1`,
/// and every later one with a picture.
async fn busy_once_then_made(message: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(429, error_body(message, "rate_limit_exceeded")).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, b64_answer(&[png(16, 16)])))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn rate_limit_with_retry_after_then_success() {
    let server = busy_once_then_made("Rate limit reached for images").await;
    let started = std::time::Instant::now();
    let (result, progress) =
        run_with(fast_config(), &server, FormatField::Format, &request(OutputFormat::Png, 1)).await;
    let g = result.unwrap();
    assert_eq!(g.images.len(), 1);
    assert_eq!(g.attempts, 2);
    assert_eq!(requests_to(&server).await.len(), 2);
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After: 1 was not honoured");
    assert!(progress.iter().any(|p| matches!(p, Progress::Retrying { delay, .. } if *delay == Duration::from_secs(1))));
}

#[tokio::test]
async fn no_retry_on_refusals() {
    let cases = [
        (
            400,
            error_body("Invalid value: 'huge'. Supported values are: 'auto', '1024x1024'.", "invalid_value"),
            ErrorKind::BadSetting,
        ),
        (401, error_body("Incorrect API key provided", "invalid_api_key"), ErrorKind::Key),
        (403, error_body("用户额度不足", "insufficient_user_quota"), ErrorKind::Quota),
        (
            429,
            error_body(
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota",
            ),
            ErrorKind::Quota,
        ),
        (
            400,
            json!({"error": {"message": "Your request was rejected by the safety system.", "type": "image_generation_user_error", "code": "moderation_blocked"}}),
            ErrorKind::Moderation,
        ),
    ];
    for (status, body, kind) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path(GEN)).respond_with(json_response(status, body)).mount(&server).await;
        let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
        assert_eq!(e.kind, kind, "{status}");
        assert_eq!(requests_to(&server).await.len(), 1, "{status} {kind:?} was retried");
        let text = e.to_string();
        assert!(!text.contains('{') && !text.contains("invalid_request_error"), "{text}");
    }
}

#[tokio::test]
async fn a_server_error_is_retried_once_then_explained() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(
            500,
            error_body("upstream error (request id: 20261124abc)", "bad_response_status_code"),
        ))
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    // A relay retries inside too (LiteLLM: nine upstream calls for one request): one retry here.
    assert_eq!(requests_to(&server).await.len(), 2, "one try and one retry");
    assert_eq!((e.kind, e.attempts), (ErrorKind::Server, 2));
    let text = e.to_string();
    assert!(text.contains("The image service had a problem") && text.contains("Try again in a few minutes"), "{text}");
    assert!(text.contains("Easel sent the request 2 times."), "{text}");
    assert!(text.contains("20261124abc"), "the request id helps support: {text}");
}

#[tokio::test]
async fn a_server_error_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, b64_answer(&[png(16, 16)])))
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap();
    assert_eq!(g.attempts, 2);
}

#[tokio::test]
async fn html_502_is_explained_in_words() {
    let server = MockServer::start().await;
    let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert_eq!(e.status, Some(502));
    let text = e.to_string();
    assert!(!text.contains('<') && !text.contains("nginx"), "{text}");
}

#[tokio::test]
async fn broken_answers_are_errors_in_words() {
    let pic = b64(&png(16, 16));
    let cases: Vec<(Vec<u8>, ErrorKind, &str)> = vec![
        (
            format!(r#"{{"created":1,"data":[{{"b64_json":"{}"#, &pic[..pic.len() / 2]).into_bytes(),
            ErrorKind::Unreadable,
            "cut off",
        ),
        (br#"{"created":1,"data":[{"b64_json":"!!!not*base64!!!"}]}"#.to_vec(), ErrorKind::NoImage, "damaged"),
        (
            format!(r#"{{"created":1,"data":[{{"b64_json":"{}"}}]}}"#, b64(b"<html>certainly not a picture</html>"))
                .into_bytes(),
            ErrorKind::NoImage,
            "not a picture",
        ),
        (br#"{"created":1,"data":[]}"#.to_vec(), ErrorKind::NoImage, "no picture"),
        (b"<html><body>Welcome to nginx</body></html>".to_vec(), ErrorKind::Unreadable, "web page"),
    ];
    for (body, kind, words) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
        assert_eq!(e.kind, kind, "{words}");
        let text = e.to_string();
        assert!(text.contains(words), "expected “{words}” in: {text}");
        assert!(!text.contains("line 1") && !text.contains("column"), "parser wording leaked: {text}");
        assert_eq!(requests_to(&server).await.len(), 1, "a paid answer must not be requested again");
    }
}

#[tokio::test]
async fn a_slow_server_times_out_once_and_says_it_may_be_billed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, b64_answer(&[png(8, 8)])).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let config = ClientConfig { request_timeout: Duration::from_millis(500), ..fast_config() };
    let (result, _) = run_with(config, &server, FormatField::Format, &request(OutputFormat::Png, 1)).await;
    let e = result.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(e.maybe_billed);
    assert!(e.to_string().contains("may still have been charged"), "{e}");
    assert_eq!(requests_to(&server).await.len(), 1, "a request that may be billed was repeated");
}

#[tokio::test]
async fn cancellation_stops_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, b64_answer(&[png(8, 8)])).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = Client::new(fast_config()).unwrap();
    let url = base(&server);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        trigger.cancel();
    });
    let started = std::time::Instant::now();
    let req = request(OutputFormat::Png, 1);
    let e = client
        .generate(Target { base_url: &url, key: KEY, format_field: FormatField::Format }, &req, &cancel, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(5), "cancel took {:?}", started.elapsed());
}

#[tokio::test]
async fn unknown_format_field_switches_name_once() {
    let server = MockServer::start().await;
    // Like OpenAI: `format` is unknown, `output_format` works.
    Mock::given(method("POST"))
        .and(path(GEN))
        .and(|r: &Request| serde_json::from_slice::<serde_json::Value>(&r.body).is_ok_and(|b| b.get("format").is_some()))
        .respond_with(json_response(400, json!({"error": {"message": "Unknown parameter: 'format'.", "type": "invalid_request_error", "param": "format", "code": "unknown_parameter"}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .and(body_partial_json(json!({"output_format": "webp"})))
        .respond_with(json_response(200, b64_answer(&[picture(image::ImageFormat::WebP, 32, 32)])))
        .mount(&server)
        .await;
    let (result, progress) =
        run_with(fast_config(), &server, FormatField::Format, &request(OutputFormat::Webp, 1)).await;
    let g = result.unwrap();
    assert_eq!(g.format_field, FormatField::OutputFormat);
    assert_eq!(g.images[0].format, OutputFormat::Webp);
    assert_eq!(requests_to(&server).await.len(), 2);
    assert!(progress.contains(&Progress::SwitchingFormatField { to: FormatField::OutputFormat }));

    // Both names refused: the second refusal is the answer, with no loop.
    let strict = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_response(400, json!({"error": {"message": "Unknown parameter: 'output_format'. Unknown parameter: 'format'.", "code": "unknown_parameter"}})))
        .mount(&strict)
        .await;
    let e = run(&strict, FormatField::Format, &request(OutputFormat::Webp, 1)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadSetting);
    assert_eq!(requests_to(&strict).await.len(), 2);
}

#[tokio::test]
async fn a_relay_that_ignores_the_field_is_noticed() {
    let server = MockServer::start().await;
    // Asked for JPEG; the relay dropped the field it did not know and sent its default, PNG.
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, b64_answer(&[png(16, 16)])))
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Jpeg, 1)).await.unwrap();
    assert_eq!(g.returned_other_format, Some(OutputFormat::Png));
    assert_eq!(g.images[0].format, OutputFormat::Png);
}

#[tokio::test]
async fn the_key_never_appears_in_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(401, error_body(&format!("Incorrect API key provided: {KEY}. You can find your API key at https://platform.openai.com/account/api-keys."), "invalid_api_key")))
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Key);
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(KEY) && !shown.contains(&KEY[..16]), "{shown}");
}

#[tokio::test]
async fn connection_failures_are_retried_then_explained() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = Url::parse(&format!("http://127.0.0.1:{port}/v1")).unwrap();
    let client = Client::new(fast_config()).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let req = request(OutputFormat::Png, 1);
    let e = client
        .generate(
            Target { base_url: &url, key: KEY, format_field: FormatField::Format },
            &req,
            &CancellationToken::new(),
            &move |p| sink.lock().unwrap().push(p),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert!(!e.maybe_billed);
    assert!(e.to_string().contains("Check your internet connection"), "{e}");
    let retries = seen.lock().unwrap().iter().filter(|p| matches!(p, Progress::Retrying { .. })).count();
    assert_eq!(retries, 2);
}

#[tokio::test]
async fn chat_completion_answers_with_links_and_data_uris() {
    let server = MockServer::start().await;
    let linked = png(20, 20);
    let inline = picture(image::ImageFormat::Jpeg, 24, 24);
    let content = format!(
        "Here is your image:\n\n![image]({}/img/1.png)\n\nand data:image/jpeg;base64,{}",
        server.uri(),
        b64(&inline)
    );
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(
            200,
            json!({"id": "chatcmpl-1", "object": "chat.completion", "created": 1,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 9, "completion_tokens": 1056, "total_tokens": 1065}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/img/1.png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(linked.clone(), "image/png"))
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 2)).await.unwrap();
    assert_eq!(g.images.len(), 2);
    assert_eq!(g.images[0].bytes, linked);
    assert_eq!(g.images[1].format, OutputFormat::Jpeg);
    let u = g.usage.unwrap();
    assert_eq!((u.input_tokens, u.output_tokens), (Some(9), Some(1056)));
}

#[tokio::test]
async fn an_expired_link_costs_only_that_picture() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(
            200,
            json!({"data": [{"url": format!("{}/gone.png", server.uri())}, {"b64_json": b64(&png(8, 8))}]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/gone.png")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 2)).await.unwrap();
    assert_eq!(g.images.len(), 1);
    assert_eq!(g.problems.len(), 1);
    assert!(g.problems[0].to_string().contains("no longer works"));
}

#[tokio::test]
async fn plain_http_to_another_machine_is_refused_before_sending() {
    let client = Client::new(fast_config()).unwrap();
    let url = Url::parse("http://relay.example/v1").unwrap();
    let req = request(OutputFormat::Png, 1);
    let e = client
        .generate(
            Target { base_url: &url, key: KEY, format_field: FormatField::Format },
            &req,
            &CancellationToken::new(),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Insecure);
    assert!(e.to_string().contains("https://"), "{e}");
}

#[tokio::test]
async fn own_links_may_redirect_to_a_cdn_which_never_gets_the_key() {
    let relay = MockServer::start().await;
    let cdn = MockServer::start().await;
    let cdn_url = format!("{}/bucket/p.png", cdn.uri().replace("127.0.0.1", "localhost"));
    let pic = png(12, 12);
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, json!({"data": [{"url": "/files/p.png"}]})))
        .mount(&relay)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/p.png"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", cdn_url.as_str()))
        .mount(&relay)
        .await;
    Mock::given(method("GET"))
        .and(path("/bucket/p.png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(pic.clone(), "image/png"))
        .mount(&cdn)
        .await;
    let g = run(&relay, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap();
    assert_eq!(g.images[0].bytes, pic, "a relative link on the endpoint, then a redirect to the CDN");
    let at_cdn = requests_to(&cdn).await;
    assert_eq!(at_cdn.len(), 1);
    assert!(at_cdn[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn cancelling_during_downloads_keeps_what_already_arrived() {
    let server = MockServer::start().await;
    let inline = png(10, 10);
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(
            200,
            json!({"data": [{"b64_json": b64(&inline)}, {"url": format!("{}/slow.png", server.uri())}]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/slow.png"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(png(8, 8), "image/png").set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let client = Client::new(fast_config()).unwrap();
    let url = base(&server);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let progress = move |p: Progress| {
        if matches!(p, Progress::Downloading { .. }) {
            trigger.cancel();
        }
    };
    let req = request(OutputFormat::Png, 2);
    let g = client
        .generate(Target { base_url: &url, key: KEY, format_field: FormatField::Format }, &req, &cancel, &progress)
        .await
        .unwrap();
    assert_eq!(g.images.len(), 1, "the paid, inline picture survives the cancel");
    assert_eq!(g.images[0].bytes, inline);
    assert_eq!(g.problems[0].kind, ErrorKind::Cancelled);
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[tokio::test]
async fn an_answer_compressed_without_asking_is_read() {
    let server = MockServer::start().await;
    let pic = png(16, 16);
    let body = gzipped(b64_answer(std::slice::from_ref(&pic)).to_string().as_bytes());
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(body, "application/json").insert_header("content-encoding", "gzip"),
        )
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap();
    assert_eq!(g.images[0].bytes, pic, "the paid picture is not lost to a compressed answer");
}

#[tokio::test]
async fn the_size_cap_applies_to_the_decompressed_answer() {
    let server = MockServer::start().await;
    // 64 MB of spaces before the JSON: a few dozen kB on the wire.
    let mut inflated = vec![b' '; 64 << 20];
    inflated.extend_from_slice(b64_answer(&[png(8, 8)]).to_string().as_bytes());
    let body = gzipped(&inflated);
    assert!(body.len() < 1 << 20);
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(body, "application/json").insert_header("content-encoding", "gzip"),
        )
        .mount(&server)
        .await;
    let config = ClientConfig { max_body_bytes: 8 << 20, ..fast_config() };
    let e = run_with(config, &server, FormatField::Format, &request(OutputFormat::Png, 1)).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreadable);
    assert_eq!(e.reason, Some(easel::api::Reason::AnswerTooLarge), "{e}");
}

#[tokio::test]
async fn a_key_echoed_without_its_first_characters_is_masked() {
    for cut in [3, 4] {
        let server = MockServer::start().await;
        let echoed = &KEY[cut..];
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(json_response(401, error_body(&format!("Invalid token: {echoed}"), "invalid_api_key")))
            .mount(&server)
            .await;
        let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Key);
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains(&KEY[12..20]), "{shown}");
        assert!(shown.contains("Invalid token: [your key]"), "{shown}");
    }
}

/// What a hostile relay puts in its texts: clear the screen, write the clipboard (OSC 52), ring
/// the bell, turn a file name around, and a raw NUL.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7} \u{202e}gnp.exe\0";

/// `text` holds nothing that acts on a terminal: no control character but line breaks and tabs
/// (none at all when `one_line`), no bidi control.
fn assert_inert(text: &str, one_line: bool) {
    for c in text.chars() {
        let allowed = !one_line && (c == '\n' || c == '\t');
        assert!(!c.is_control() || allowed, "{c:?} in {text:?}");
        assert!(
            !matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
            "{c:?} in {text:?}"
        );
    }
}

#[tokio::test]
async fn escapes_in_an_error_never_reach_the_terminal() {
    let server = MockServer::start().await;
    let message = format!("bad size {HOSTILE} (request id: {HOSTILE}r42)");
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            json_response(400, json!({"error": {"message": message, "code": format!("x{HOSTILE}"), "param": format!("size{HOSTILE}")}}))
                .insert_header("x-request-id", "header-id"),
        )
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadSetting);
    assert_inert(&e.to_string(), true);
    for kept in [&e.detail, &e.request_id, &e.code, &e.param] {
        assert_inert(kept.as_deref().unwrap(), true);
    }
    assert_eq!(e.detail.as_deref(), Some("bad size [2J]52;c;cHduZWQ= gnp.exe"));
    assert_eq!(e.request_id.as_deref(), Some("[2J]52;c;cHduZWQ= gnp.exer42"));
}

#[tokio::test]
async fn escapes_in_a_plain_text_body_or_a_header_never_reach_the_terminal() {
    let server = MockServer::start().await;
    // HTTP refuses raw control bytes in a header, but a C1 control or a bidi override passes.
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_raw(format!("Upstream refused {HOSTILE}"), "text/plain")
                .insert_header("x-request-id", "id-\u{9b}31m-\u{202e}fdp.exe"),
        )
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    assert_inert(&e.to_string(), true);
    assert_eq!(e.detail.as_deref(), Some("Upstream refused [2J]52;c;cHduZWQ= gnp.exe"));
    assert_eq!(e.request_id.as_deref(), Some("id-31m-fdp.exe"));
}

#[tokio::test]
async fn escapes_in_a_success_and_in_a_failed_links_note_are_cleaned() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            json_response(
                200,
                json!({"data": [
                    {"b64_json": b64(&png(8, 8)), "revised_prompt": format!("a lighthouse\n{HOSTILE}\u{85}at dusk")},
                    {"url": format!("{}/broken.png", server.uri())}
                ], "size": format!("1024x1024{HOSTILE}")}),
            )
            .insert_header("x-request-id", "ok-\u{202e}txt.exe"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/broken.png"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(format!("no such picture {HOSTILE}"), "text/plain"))
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 2)).await.unwrap();
    assert_eq!(g.revised_prompt.as_deref(), Some("a lighthouse\n[2J]52;c;cHduZWQ= gnp.exeat dusk"));
    assert_eq!(g.request_id.as_deref(), Some("ok-txt.exe"));
    assert_inert(g.echo.size.as_deref().unwrap(), true);
    assert_eq!(g.problems.len(), 1);
    let note = g.problems[0].to_string();
    assert_inert(&note, true);
    assert!(note.contains("no such picture [2J]52;c;cHduZWQ= gnp.exe"), "{note}");
}

#[tokio::test]
async fn a_key_in_a_successful_answer_is_masked_before_it_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            json_response(
                200,
                json!({"data": [{"b64_json": b64(&png(8, 8)), "revised_prompt": format!("a lighthouse, signed {KEY}")}]}),
            )
            .insert_header("x-request-id", KEY),
        )
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap();
    assert_eq!(g.request_id.as_deref(), Some("[your key]"));
    assert_eq!(g.revised_prompt.as_deref(), Some("a lighthouse, signed [your key]"));
    assert!(!format!("{g:?}").contains(&KEY[8..16]));
}

#[tokio::test]
async fn a_key_hidden_between_escapes_is_masked_once_they_are_gone() {
    let server = MockServer::start().await;
    // Pieces of 7 characters are too short to be masked alone; cleaned, they join into the key.
    let hidden: String =
        KEY.as_bytes().chunks(7).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\u{7}");
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(401, error_body(&format!("Bad key {hidden}"), "invalid_api_key")))
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    assert_eq!(e.detail.as_deref(), Some("Bad key [your key]"));
}

#[tokio::test]
async fn a_huge_request_id_is_cut_like_a_message() {
    let server = MockServer::start().await;
    let huge = "7".repeat(1 << 20);
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(400, error_body(&format!("no (request id: {huge})"), "invalid_value")))
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    let id = e.request_id.clone().unwrap();
    assert!(id.chars().count() <= 101 && id.ends_with('…'), "{} characters", id.chars().count());
    assert!(e.to_string().chars().count() < 1000);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, b64_answer(&[png(8, 8)])).insert_header("x-request-id", "8".repeat(60_000)))
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap();
    assert!(g.request_id.unwrap().chars().count() <= 101);
}

/// A file server on a raw socket that answers every GET with `body` after `delay`, one request a
/// connection, counting the requests it is serving at once: (its address, the most at once, all).
async fn counting_file_server(body: Vec<u8>, delay: Duration) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (now, most, total) =
        (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (most_seen, all) = (most.clone(), total.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let (now, most, total, body) = (now.clone(), most.clone(), total.clone(), body.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                total.fetch_add(1, Ordering::SeqCst);
                most.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                now.fetch_sub(1, Ordering::SeqCst);
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (address, most_seen, all)
}

#[tokio::test]
async fn pictures_beyond_those_asked_for_are_left_out() {
    let server = MockServer::start().await;
    let pic = png(4, 4);
    let many: Vec<Vec<u8>> = vec![pic.clone(); 20_000];
    Mock::given(method("POST")).and(path(GEN)).respond_with(json_response(200, b64_answer(&many))).mount(&server).await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap();
    assert_eq!((g.images.len(), g.dropped, g.problems.len()), (1, 19_999, 0));

    // Links beyond those asked for are not even downloaded.
    let (files, _, fetched) = counting_file_server(pic, Duration::ZERO).await;
    let server = MockServer::start().await;
    let links: Vec<_> = (0..30).map(|i| json!({"url": format!("{files}/p{i}.png")})).collect();
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, json!({"data": links})))
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 2)).await.unwrap();
    assert_eq!((g.images.len(), g.dropped), (2, 28));
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn links_are_downloaded_a_few_at_a_time() {
    let (files, most, fetched) = counting_file_server(png(4, 4), Duration::from_millis(300)).await;
    let server = MockServer::start().await;
    let links: Vec<_> = (0..10).map(|i| json!({"url": format!("{files}/p{i}.png")})).collect();
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, json!({"data": links})))
        .mount(&server)
        .await;
    let g = run(&server, FormatField::Format, &request(OutputFormat::Png, 10)).await.unwrap();
    assert_eq!(g.images.len(), 10);
    assert_eq!(fetched.load(Ordering::SeqCst), 10);
    let most = most.load(Ordering::SeqCst);
    assert!((2..=4).contains(&most), "{most} downloads at once");
}

#[tokio::test]
async fn a_link_that_keeps_redirecting_says_so() {
    let relay = MockServer::start().await;
    let files = MockServer::start().await;
    let files_url = files.uri().replace("127.0.0.1", "localhost");
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(
            200,
            json!({"data": [{"url": "/loop.png"}, {"url": format!("{files_url}/hop/0")}, {"b64_json": b64(&png(4, 4))}]}),
        ))
        .mount(&relay)
        .await;
    // The endpoint's own link redirects to itself, for ever.
    Mock::given(method("GET"))
        .and(path("/loop.png"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop.png"))
        .mount(&relay)
        .await;
    // A CDN's link sends Easel on through 12 hops.
    Mock::given(method("GET"))
        .respond_with(|r: &Request| {
            let hop: usize = r.url.path().trim_start_matches("/hop/").parse().unwrap();
            let next = if hop < 12 { format!("/hop/{}", hop + 1) } else { "/hop/0".to_string() };
            ResponseTemplate::new(302).insert_header("location", next.as_str())
        })
        .mount(&files)
        .await;
    let g = run(&relay, FormatField::Format, &request(OutputFormat::Png, 3)).await.unwrap();
    assert_eq!(g.images.len(), 1);
    assert_eq!(g.problems.len(), 2);
    for e in &g.problems {
        assert_eq!(e.kind, ErrorKind::NoImage);
        assert_eq!(e.reason, Some(easel::api::Reason::LinkKeptRedirecting), "{e}");
        assert!(e.to_string().contains("kept passing Easel on to other addresses"), "{e}");
    }
    assert!(requests_to(&files).await.len() <= 20, "hops are bounded");
}

#[tokio::test]
async fn a_link_that_redirects_to_plain_http_elsewhere_is_refused_in_words() {
    let relay = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(200, json!({"data": [{"url": "/p.png"}, {"b64_json": b64(&png(4, 4))}]})))
        .mount(&relay)
        .await;
    Mock::given(method("GET"))
        .and(path("/p.png"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "http://files.example/p.png"))
        .mount(&relay)
        .await;
    let g = run(&relay, FormatField::Format, &request(OutputFormat::Png, 2)).await.unwrap();
    assert_eq!(g.problems[0].kind, ErrorKind::Insecure);
    assert!(g.problems[0].to_string().contains("files.example uses plain http://"), "{}", g.problems[0]);
}

#[tokio::test]
async fn a_wait_of_days_is_not_told_as_a_minute() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            json_response(429, error_body("Rate limit reached", "rate_limit_exceeded"))
                .insert_header("retry-after", "2300411760"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let e = run(&server, FormatField::Format, &request(OutputFormat::Png, 1)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimit);
    let shown = easel::i18n::with(easel::i18n::Lang::En, || e.to_string());
    assert!(shown.contains("It asks to wait a long time, more than an hour. Try again later."), "{shown}");
    assert!(!shown.contains("minute") && !shown.contains("38340196"), "{shown}");
}

/// OpenAI's 429 for an images-per-minute limit, word for word.
const OPENAI_IPM: &str = "Rate limit reached for gpt-image-1 in organization org-x on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in 12s. Visit https://platform.openai.com/account/rate-limits to learn more.";

#[tokio::test]
async fn a_rate_limit_without_retry_after_takes_the_wait_its_message_asks_for() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(json_response(429, error_body(OPENAI_IPM, "rate_limit_exceeded")))
        .expect(1)
        .mount(&server)
        .await;
    let config = ClientConfig { max_retries: 0, ..fast_config() };
    let e = run_with(config, &server, FormatField::Format, &request(OutputFormat::Png, 1)).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimit);
    assert_eq!(e.retry_after, Some(Duration::from_secs(12)));
    let en = easel::i18n::with(easel::i18n::Lang::En, || e.to_string());
    assert_eq!(en, "Too many requests right now. Try again in 12 seconds, or run fewer requests at once.");
    let zh = easel::i18n::with(easel::i18n::Lang::ZhCn, || e.to_string());
    assert_eq!(zh, "当前请求过多。请在 12 秒后再试，或减少同时发出的请求。");
}

#[tokio::test]
async fn retry_after_wins_over_the_wait_in_the_message() {
    let server = busy_once_then_made(OPENAI_IPM).await;
    let started = std::time::Instant::now();
    let (result, progress) =
        run_with(fast_config(), &server, FormatField::Format, &request(OutputFormat::Png, 1)).await;
    assert_eq!(result.unwrap().attempts, 2);
    assert!(started.elapsed() < Duration::from_secs(8), "waited the message's 12 s, not the header's 1 s");
    assert!(progress.iter().any(|p| matches!(p, Progress::Retrying { delay, .. } if *delay == Duration::from_secs(1))));
}

#[tokio::test]
async fn a_relays_rate_limit_in_chinese_is_worded_plainly() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEN))
        .respond_with(
            json_response(
                429,
                json!({"error": {"message": "您的请求过于频繁，请 1 秒后重试 (request id: 20261124ab)", "type": "new_api_error", "code": null}}),
            )
            .insert_header("retry-after", "1"),
        )
        .mount(&server)
        .await;
    let config = ClientConfig { max_retries: 0, ..fast_config() };
    let e = run_with(config, &server, FormatField::Format, &request(OutputFormat::Png, 1)).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimit);
    let en = easel::i18n::with(easel::i18n::Lang::En, || e.to_string());
    assert!(en.contains("Try again in 1 second,") && !en.contains("1 seconds") && !en.contains("请"), "{en}");
    assert!(en.contains("20261124ab"), "the request id is kept for support: {en}");
}

/// A relay as uvicorn behaves at its keep-alive's end: the first request is answered 429 ("try
/// again in 1 second") on a connection kept open; a second request on that same connection
/// finds it closed, unanswered, as when the server's close crosses the request; any request on
/// a new connection gets a picture. Counts connections and requests.
async fn closing_relay(connections: Arc<AtomicUsize>, requests: Arc<AtomicUsize>) -> Url {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let first_connection = connections.fetch_add(1, Ordering::SeqCst) == 0;
            let requests = requests.clone();
            tokio::spawn(async move {
                let mut on_this_connection = 0;
                let mut buf = vec![0u8; 1 << 16];
                loop {
                    // One request per read is enough for these small bodies.
                    let Ok(n) = socket.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    requests.fetch_add(1, Ordering::SeqCst);
                    on_this_connection += 1;
                    let reply = match (first_connection, on_this_connection) {
                        (true, 1) => {
                            let body = r#"{"error":{"message":"Too many requests. Please try again in 1 second.","code":"rate_limit_exceeded"}}"#;
                            format!(
                                "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            )
                        }
                        // Closed as the request arrives: nothing answered.
                        (true, _) => return,
                        _ => {
                            let body = b64_answer(&[png(16, 16)]).to_string();
                            format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            )
                        }
                    };
                    if socket.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Url::parse(&format!("http://{address}/v1")).unwrap()
}

#[tokio::test]
async fn a_request_on_a_connection_the_relay_just_closed_is_sent_again_on_a_new_one() {
    let (connections, requests) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let url = closing_relay(connections.clone(), requests.clone()).await;
    let client = Client::new(fast_config()).unwrap();
    let target = Target { base_url: &url, key: KEY, format_field: FormatField::OutputFormat };
    let result = client.generate(target, &request(OutputFormat::Png, 1), &CancellationToken::new(), &|_| {}).await;
    let g = result.expect("the picture, not 'the connection broke; it may have been charged'");
    assert_eq!(g.images.len(), 1);
    assert_eq!(requests.load(Ordering::SeqCst), 3, "the refused one, the unanswered one, the answered one");
    assert_eq!(connections.load(Ordering::SeqCst), 2, "the last on a new connection");
}
