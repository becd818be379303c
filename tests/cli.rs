//! The `easel` binary itself, run against a fake relay with `EASEL_*` variables: the files it
//! writes, the lines it prints, its exit codes.

mod common;

use common::*;
use serde_json::json;
use std::io::Write;
#[cfg(unix)]
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GEN: &str = "/v1/images/generations";

struct Relay {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Relay {
    fn start() -> Relay {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        Relay { rt, server }
    }
    fn answer(&self, status: u16, body: String) {
        self.answer_slowly(status, body, Duration::ZERO);
    }
    fn answer_slowly(&self, status: u16, body: String, delay: Duration) {
        self.rt.block_on(
            Mock::given(method("POST"))
                .and(path(GEN))
                .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json").set_delay(delay))
                .mount(&self.server),
        );
    }
    fn base(&self) -> String {
        format!("{}/v1", self.server.uri())
    }
    fn requests(&self) -> Vec<wiremock::Request> {
        self.rt.block_on(self.server.received_requests()).unwrap_or_default()
    }
}

fn easel(data: &Path, base: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_easel"));
    c.env("EASEL_DATA_DIR", data)
        .env("EASEL_BASE_URL", base)
        .env("EASEL_API_KEY", KEY)
        .env_remove("EASEL_PROMPT_LIMIT");
    // English whatever this machine's locale: the tests read its sentences.
    c.env("LC_ALL", "en_US.UTF-8").env_remove("LC_MESSAGES").env_remove("LANG");
    c.stdin(Stdio::null());
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|r| r.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
    v.sort();
    v
}

/// Nothing a user reads may look like a crash or a dump.
fn assert_no_internals(out: &Output) {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    for bad in ["panicked", "RUST_BACKTRACE", "{\"", "reqwest::", "Error {", KEY] {
        assert!(!all.contains(bad), "“{bad}” in output:\n{all}");
    }
}

#[test]
fn generate_prints_saved_paths_and_copies_into_out() {
    let relay = Relay::start();
    let pics: Vec<Vec<u8>> = (0..3).map(|i| png(32 + i, 32)).collect();
    relay.answer(200, b64_answer(&pics).to_string());
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["generate", "--prompt", "A lighthouse, at dusk!", "--n", "3", "--quality", "low", "--size", "1536x1024"])
        .arg("--out")
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_no_internals(&out);
    let stdout = text(&out.stdout);
    let printed: Vec<PathBuf> = stdout.lines().map(PathBuf::from).collect();
    assert_eq!(printed.len(), 3, "one line per saved picture, nothing else on stdout:\n{stdout}");
    for (i, p) in printed.iter().enumerate() {
        assert!(p.is_absolute(), "{p:?}");
        assert!(p.starts_with(data.path().join("images")), "{p:?}");
        assert_eq!(strip(&std::fs::read(p).unwrap()), pics[i], "the picture as received, plus its settings");
        assert!(p.with_extension("json").exists(), "metadata beside {p:?}");
    }
    let copies: Vec<String> =
        files_in(out_dir.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(copies, ["a-lighthouse-at-dusk-1.png", "a-lighthouse-at-dusk-2.png", "a-lighthouse-at-dusk-3.png"]);
    let copy = std::fs::read(out_dir.path().join("a-lighthouse-at-dusk-2.png")).unwrap();
    assert_eq!(strip(&copy), pics[1]);
    let settings = easel::library::embed::read_parameters(&copy).unwrap();
    assert!(
        settings.starts_with("A lighthouse, at dusk!\nModel: gpt-image-2, Size: 33x32, Quality: low, Format: png"),
        "the real size: {settings}"
    );
    let body: serde_json::Value = serde_json::from_slice(&relay.requests()[0].body).unwrap();
    assert_eq!(
        body,
        json!({"model": "gpt-image-2", "prompt": "A lighthouse, at dusk!", "n": 3, "size": "1536x1024", "quality": "low", "output_format": "png",
               "stream": true, "partial_images": 3}),
        "streamed by default; this relay ignores it and answers plain JSON"
    );
    assert!(text(&out.stderr).contains("Saved 3 pictures"), "{}", text(&out.stderr));
}

#[test]
fn a_relative_pictures_folder_is_inside_the_data_folder_wherever_easel_starts() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(8, 8)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    for (recorded, folder) in [("rel-images", "rel-images"), ("", "images")] {
        let json = json!({ "images_dir": recorded });
        std::fs::write(data.path().join("library.json"), json.to_string()).unwrap();
        let out = easel(data.path(), &relay.base())
            .current_dir(elsewhere.path())
            .args(["generate", "--prompt", "a fox"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{recorded:?}: {}", text(&out.stderr));
        let printed = PathBuf::from(text(&out.stdout).trim());
        assert!(printed.is_absolute(), "{recorded:?}: {printed:?}");
        assert!(printed.starts_with(data.path().join(folder)), "{recorded:?}: {printed:?}");
        assert!(printed.is_file(), "{printed:?}");
        assert!(!text(&out.stderr).contains("library.json"), "nothing to say: {}", text(&out.stderr));
    }
    assert_eq!(files_in(elsewhere.path()), Vec::<PathBuf>::new(), "nothing where Easel was started");
}

#[test]
fn the_real_extension_comes_from_the_bytes() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[picture(image::ImageFormat::Jpeg, 16, 16)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["generate", "--prompt", "fox", "--format", "png", "--out"])
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).trim().ends_with(".jpg"));
    assert!(out_dir.path().join("fox-1.jpg").exists());
    assert!(
        text(&out.stderr).contains("You asked for PNG, but the service sent JPEG pictures"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn invalid_arguments_exit_2_before_any_request() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(8, 8)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let long = "x".repeat(1001);
    let cases: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
        (vec!["generate", "--prompt", "fox", "--n", "11"], None, "11"),
        (vec!["generate", "--prompt", "fox", "--size", "huge"], None, "not a size"),
        (vec!["generate", "--prompt", "fox", "--size", "1000x1000"], None, "multiples of 16"),
        (vec!["generate", "--prompt", "fox", "--quality", "ultra"], None, "low, medium, high, xhigh, max, auto"),
        (vec!["generate", "--prompt", "   "], None, "prompt is empty"),
        (
            vec!["generate", "--prompt", "fox", "--model", "gpt-image-1.5", "--size", "2048x1152"],
            None,
            "only the sizes",
        ),
        // A model shut down, a quality or a setting the model does not take: said before sending.
        (vec!["generate", "--prompt", "fox", "--model", "gpt-image-1"], None, "shut down on 2026-10-23"),
        (vec!["generate", "--prompt", "fox", "--quality", "xhigh"], None, "does not take the quality xhigh"),
        (vec!["generate", "--prompt", "fox", "--complexity", "low"], None, "does not take a complexity"),
        (vec!["generate"], None, "--prompt"),
        (vec!["generate", "--prompt", &long, "--base-url", "https://api.quickrouter.ai/v1"], None, "at most 1000"),
        (vec!["generate", "--prompt", "fox", "--base-url", "http://relay.example/v1"], None, "https://"),
        (vec!["generate", "--prompt", "fox"], Some("no key"), "No API key"),
    ];
    for (args, no_key, expect) in cases {
        let mut cmd = easel(data.path(), &relay.base());
        if no_key.is_some() {
            cmd.env_remove("EASEL_API_KEY");
        }
        let out = cmd.args(&args).output().unwrap();
        if no_key.is_some() && out.status.code() == Some(0) {
            // A real keyring on this machine may hold a key for a loopback port; unlikely, but not an error.
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(expect), "{args:?}: expected “{expect}” in {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
        assert_no_internals(&out);
    }
    assert!(relay.requests().is_empty(), "a request went out despite invalid arguments");
    assert!(files_in(&data.path().join("images")).is_empty());
}

#[test]
fn an_unwritable_out_folder_is_found_before_sending() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(8, 8)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let a_file = data.path().join("not-a-folder");
    std::fs::write(&a_file, b"x").unwrap();
    let out =
        easel(data.path(), &relay.base()).args(["generate", "--prompt", "fox", "--out"]).arg(&a_file).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Cannot write pictures into --out"), "{}", text(&out.stderr));
    assert!(relay.requests().is_empty());
    let bad_timeout = easel(data.path(), &relay.base())
        .env("EASEL_TIMEOUT_SECS", "inf")
        .args(["generate", "--prompt", "fox"])
        .output()
        .unwrap();
    assert_eq!(bad_timeout.status.code(), Some(2));
    assert_no_internals(&bad_timeout);
    let bad_idle = easel(data.path(), &relay.base())
        .env("EASEL_IDLE_SECS", "soon")
        .args(["generate", "--prompt", "fox"])
        .output()
        .unwrap();
    assert_eq!(bad_idle.status.code(), Some(2));
    assert!(
        text(&bad_idle.stderr).contains("EASEL_IDLE_SECS must be a number of seconds"),
        "{}",
        text(&bad_idle.stderr)
    );
    assert!(relay.requests().is_empty());
}

#[test]
fn a_key_in_the_environment_that_is_not_one_is_said_as_such() {
    let relay = Relay::start();
    let data = tempfile::tempdir().unwrap();
    for (key, said) in [
        ("sk-test-0123\n456789", "it has spaces, line breaks or other invisible characters inside"),
        ("sk-tést-0123456789", "it has characters keys never have"),
    ] {
        let out = easel(data.path(), &relay.base())
            .env("EASEL_API_KEY", key)
            .args(["generate", "--prompt", "fox"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(stderr.contains("EASEL_API_KEY is set, but what it holds is not a key"), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(!stderr.contains("No API key"), "{stderr}");
        let status =
            easel(data.path(), &relay.base()).env("EASEL_API_KEY", key).args(["key", "status"]).output().unwrap();
        assert!(text(&status.stdout).contains(said), "{}", text(&status.stdout));
    }
    assert!(relay.requests().is_empty());
}

#[test]
fn a_timeout_of_any_size_keeps_the_picture() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(8, 8)]).to_string());
    let data = tempfile::tempdir().unwrap();
    // Beyond what the clock can add: taken as a day, and the picture that arrived is saved.
    let out = easel(data.path(), &relay.base())
        .env("EASEL_TIMEOUT_SECS", "1e19")
        .env("EASEL_IDLE_SECS", "1e19")
        .args(["generate", "--prompt", "fox", "--quality", "low"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_internals(&out);
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

#[test]
fn endpoint_failures_exit_1_with_words() {
    let cases = [
        (401, error_body("Incorrect API key provided", "invalid_api_key").to_string(), "The API key was not accepted"),
        // The terminal's advice, in the terminal's words.
        (
            401,
            error_body("Incorrect API key provided", "invalid_api_key").to_string(),
            "store it again with `easel key set`",
        ),
        (524, "A timeout occurred".to_string(), "leave out --no-stream if you gave it"),
        (200, json!({"created": 1, "data": []}).to_string(), "No picture came back"),
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>".to_string(), "The image service had a problem"),
        (200, "{\"created\":1,\"data\":[{\"b64_json\":\"iVBOR".to_string(), "cut off"),
    ];
    for (status, body, words) in cases {
        let relay = Relay::start();
        relay.answer(status, body);
        let data = tempfile::tempdir().unwrap();
        let out = easel(data.path(), &relay.base())
            .env("EASEL_TIMEOUT_SECS", "20")
            .args(["generate", "--prompt", "fox"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{status}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(words), "expected “{words}”: {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
        assert_no_internals(&out);
        assert!(!text(&out.stderr).contains('<'), "HTML reached the user");
        assert!(
            !text(&out.stderr).contains("Settings") && !text(&out.stderr).contains("Advanced ›"),
            "{}",
            text(&out.stderr)
        );
        assert!(text(&out.stderr).matches("charged").count() <= 1, "said once: {}", text(&out.stderr));
    }
}

#[test]
fn key_status_names_the_source_and_never_the_key() {
    let relay = Relay::start();
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base()).args(["key", "status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("comes from the EASEL_API_KEY environment variable"), "{}", text(&out.stdout));
    assert_no_internals(&out);
    let out = easel(data.path(), &relay.base()).env_remove("EASEL_API_KEY").args(["key", "status"]).output().unwrap();
    assert!(text(&out.stdout).contains("No key is set for 127.0.0.1"), "{}", text(&out.stdout));
}

#[cfg(unix)]
#[test]
fn ctrl_c_cancels_and_leaves_no_half_written_file() {
    let relay = Relay::start();
    relay.answer_slowly(200, b64_answer(&[png(8, 8)]).to_string(), Duration::from_secs(60));
    let data = tempfile::tempdir().unwrap();
    let mut child = easel(data.path(), &relay.base())
        .args(["generate", "--prompt", "slow fox"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("Sent.") {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "easel ended before sending");
    }
    // Give the request a moment to reach the relay, so the cancel interrupts a live request.
    let deadline = Instant::now() + Duration::from_secs(10);
    while relay.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(status.code(), Some(130));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(rest.contains("Cancelled"), "{rest}");
    assert!(files_in(&data.path().join("images")).is_empty(), "a file was left behind");
}

/// `easel key set` / `status` / `delete` and a generate that uses the stored key, against the
/// real Secret Service. Run by `.ci/run` under dbus-run-session with gnome-keyring.
#[test]
#[ignore = "needs a running, unlocked Secret Service (see .ci/run)"]
fn key_commands_with_the_real_keyring() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(8, 8)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let stored_key = "sk-from-the-keyring-0987654321";
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = easel(data.path(), &relay.base());
        cmd.env_remove("EASEL_API_KEY").args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        if stdin.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(s) = stdin {
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    };
    let set = run(&["key", "set"], Some(&format!("{stored_key}\n")));
    assert_eq!(set.status.code(), Some(0), "{}", text(&set.stderr));
    assert!(text(&set.stderr).contains("system keyring"));
    let status = run(&["key", "status"], None);
    assert!(text(&status.stdout).contains("comes from the system keyring"), "{}", text(&status.stdout));
    assert_no_internals(&status);
    assert!(!text(&status.stdout).contains(stored_key));
    let generated = run(&["generate", "--prompt", "fox"], None);
    assert_eq!(generated.status.code(), Some(0), "{}", text(&generated.stderr));
    assert_eq!(relay.requests()[0].headers.get("authorization").unwrap(), &format!("Bearer {stored_key}"));
    let deleted = run(&["key", "delete"], None);
    assert_eq!(deleted.status.code(), Some(0));
    let status = run(&["key", "status"], None);
    assert!(text(&status.stdout).contains("No key is set"), "{}", text(&status.stdout));
}

/// A saved picture without the settings Easel adds: the bytes the relay sent.
fn strip(bytes: &[u8]) -> Vec<u8> {
    easel::library::embed::strip(bytes).unwrap()
}

#[test]
fn compare_makes_a_cell_per_quality_saves_the_others_when_one_fails_and_writes_the_sheet() {
    let relay = Relay::start();
    // Latency differs by quality, as on a real endpoint; Medium is refused.
    for (quality, delay, width) in [("low", 50, 96), ("high", 600, 128)] {
        relay.rt.block_on(
            Mock::given(method("POST"))
                .and(path(GEN))
                .and(wiremock::matchers::body_partial_json(json!({"quality": quality})))
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_raw(b64_answer(&[png(width, 64)]).to_string(), "application/json")
                        .set_delay(Duration::from_millis(delay)),
                )
                .mount(&relay.server),
        );
    }
    relay.rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .and(wiremock::matchers::body_partial_json(json!({"quality": "medium"})))
            .respond_with(
                ResponseTemplate::new(400)
                    .set_body_json(error_body("Your request was rejected by the safety system.", "moderation_blocked")),
            )
            .mount(&relay.server),
    );
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["compare", "--prompt", "a lighthouse at dusk", "--vary", "quality=low,medium,high", "--out"])
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert_no_internals(&out);
    assert_eq!(out.status.code(), Some(1), "one cell failed: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Medium:") && stderr.contains("safety"), "{stderr}");
    assert!(stderr.contains("Low:") && stderr.contains("High:"), "{stderr}");
    let printed: Vec<PathBuf> = text(&out.stdout).lines().map(PathBuf::from).collect();
    assert_eq!(printed.len(), 2, "the two cells that worked are saved and printed");
    let widths: Vec<u32> = printed.iter().map(|p| image::open(p).unwrap().width()).collect();
    assert!(widths.contains(&96) && widths.contains(&128), "{widths:?}");
    // Each picture carries the comparison's tag, so the window's history can show it again.
    let tags: Vec<serde_json::Value> = printed
        .iter()
        .map(|p| {
            serde_json::from_slice::<serde_json::Value>(&std::fs::read(p.with_extension("json")).unwrap()).unwrap()
                    ["comparison"]
                    .clone()
        })
        .collect();
    assert!(
        tags.iter().all(|t| t["id"] == tags[0]["id"] && t["x"]["values"] == json!(["low", "medium", "high"])),
        "{tags:?}"
    );
    let mut columns: Vec<u64> = tags.iter().map(|t| t["column"].as_u64().unwrap()).collect();
    columns.sort();
    assert_eq!(columns, [0, 2], "Low and High, in their places");
    let bodies: Vec<serde_json::Value> =
        relay.requests().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(bodies.len(), 3);
    assert!(bodies.iter().all(|b| b["n"] == 1 && b["prompt"] == "a lighthouse at dusk"));
    let copies: Vec<String> =
        files_in(out_dir.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(copies, ["compare-sheet.png", "high-a-lighthouse-at-dusk-1.png", "low-a-lighthouse-at-dusk-1.png"]);
    let sheet = image::open(out_dir.path().join("compare-sheet.png")).unwrap();
    assert!(sheet.width() > sheet.height(), "three cells side by side: {}x{}", sheet.width(), sheet.height());
}

#[test]
fn compare_draws_every_cell_it_can_and_says_which_picture_is_too_large_for_the_sheet() {
    let relay = Relay::start();
    let huge = huge_grey_png(23_000, 23_000);
    assert!(huge.len() < 1_000_000, "{} bytes", huge.len());
    for (quality, picture) in [("low", png(96, 64)), ("high", huge)] {
        relay.rt.block_on(
            Mock::given(method("POST"))
                .and(path(GEN))
                .and(wiremock::matchers::body_partial_json(json!({"quality": quality})))
                .respond_with(
                    ResponseTemplate::new(200).set_body_raw(b64_answer(&[picture]).to_string(), "application/json"),
                )
                .mount(&relay.server),
        );
    }
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["compare", "--prompt", "a lighthouse at dusk", "--vary", "quality=low,high", "--out"])
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert_no_internals(&out);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "not everything is on the sheet: {stderr}");
    assert!(stderr.contains("High: The picture is too large for Easel to open (23000 × 23000 pixels)."), "{stderr}");
    assert!(stderr.contains("not every picture could be drawn on the sheet"), "{stderr}");
    assert!(!stderr.contains("not every cell could be made"), "both cells were made: {stderr}");
    assert_eq!(text(&out.stdout).lines().count(), 2, "both pictures are saved");
    let copies: Vec<String> =
        files_in(out_dir.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(copies, ["compare-sheet.png", "high-a-lighthouse-at-dusk-1.png", "low-a-lighthouse-at-dusk-1.png"]);
    let sheet = image::open(out_dir.path().join("compare-sheet.png")).unwrap().into_rgb8();
    // Low's picture is drawn (the test picture's blue channel is 128), High's place is the grey box.
    assert!(sheet.pixels().any(|p| p.0[2] == 128 && p.0[0] != p.0[1]), "the low cell's picture is drawn");
    assert!(sheet.pixels().any(|p| p.0 == [232, 232, 232]), "the high cell is drawn as not shown");
}

#[test]
fn compare_refuses_bad_variations_before_sending() {
    let relay = Relay::start();
    let data = tempfile::tempdir().unwrap();
    for (vary, words) in [
        (vec!["--vary", "steps=10,20"], "cannot be varied"),
        (vec!["--vary", "quality=low", "--vary", "quality=high"], "varied twice"),
        (vec!["--vary", "quality=low,best"], "cannot be made"),
        (vec!["--vary", "quality=low", "--vary", "size=auto", "--vary", "model=a"], "at most two"),
    ] {
        let out = easel(data.path(), &relay.base()).args(["compare", "--prompt", "x"]).args(&vary).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{vary:?}");
        assert!(text(&out.stderr).contains(words), "{vary:?}: {}", text(&out.stderr));
    }
    assert!(relay.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_chinese_terminal_gets_chinese() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(8, 8)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let zh = || {
        let mut c = easel(data.path(), &relay.base());
        c.env("LC_ALL", "zh_CN.UTF-8");
        c
    };
    for (args, words) in [
        (vec!["generate", "--prompt", "   "], "提示词为空"),
        (vec!["compare", "--prompt", "fox", "--vary", "steps=1,2"], "无法对比"),
        (
            vec!["compare", "--prompt", "fox", "--vary", "quality=low", "--vary", "size=auto", "--vary", "model=a"],
            "最多改变两项设置",
        ),
    ] {
        let out = zh().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(words), "{args:?}: expected “{words}” in {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
        assert_no_internals(&out);
    }
    // The terminal front end's own sentences too; stdout stays the bare path.
    let out = zh().args(["generate", "--prompt", "fox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("已发送") && stderr.contains("已保存 1 张图片"), "{stderr}");
    assert!(PathBuf::from(text(&out.stdout).trim()).exists(), "{}", text(&out.stdout));
    let status = zh().args(["key", "status"]).output().unwrap();
    assert!(text(&status.stdout).contains("的 API 密钥来自环境变量 EASEL_API_KEY"), "{}", text(&status.stdout));
    assert!(relay.requests().len() == 1, "only the one valid generate was sent");
}

/// Whether `text` holds anything that acts on a terminal: a control character other than a line
/// break or a tab, or a bidi control.
fn acts_on_a_terminal(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn a_hostile_relay_cannot_drive_the_terminal_or_write_the_key() {
    let hostile = "\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7} \u{202e}gnp.exe\0";
    let relay = Relay::start();
    let message = format!("bad {hostile} (request id: {hostile}{KEY})");
    relay.answer(400, json!({"error": {"message": message, "code": "invalid_value"}}).to_string());
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base()).args(["generate", "--prompt", "fox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(!acts_on_a_terminal(&stderr), "{stderr:?}");
    assert!(stderr.contains("gnp.exe") && stderr.contains("[your key]"), "{stderr}");
    assert_no_internals(&out);

    // A success: 3 pictures for the 1 asked, the key in the request id and the rewritten prompt.
    let relay = Relay::start();
    let answer = json!({"data": (0..3).map(|_| json!({
        "b64_json": b64(&png(8, 8)),
        "revised_prompt": format!("fox {hostile} {KEY}"),
    })).collect::<Vec<_>>()});
    relay.rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(answer.to_string(), "application/json")
                    .insert_header("x-request-id", format!("{KEY}-\u{202e}").as_str()),
            )
            .mount(&relay.server),
    );
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base()).args(["generate", "--prompt", "fox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!acts_on_a_terminal(&all), "{all:?}");
    assert!(all.contains("The endpoint sent 3 pictures though you asked for one"), "{all}");
    assert_eq!(text(&out.stdout).lines().count(), 1, "one picture saved");
    assert_no_internals(&out);
    let images = files_in(&data.path().join("images"));
    assert!(images.iter().any(|f| f.extension().is_some_and(|x| x == "json")), "{images:?}");
    for file in images {
        let bytes = std::fs::read(&file).unwrap();
        let content = String::from_utf8_lossy(&bytes);
        assert!(!content.contains(&KEY[8..20]), "the key is in {}", file.display());
        if file.extension().is_some_and(|x| x == "json") {
            assert!(!acts_on_a_terminal(&content.replace("\\u001b", "\u{1b}")), "{content}");
            assert!(content.contains("[your key]"), "{content}");
        }
    }
}

#[test]
fn a_picture_on_the_command_line_is_what_open_with_runs() {
    use clap::Parser;
    let cli = easel::cli::Cli::try_parse_from(["easel", "/home/me/Pictures/fox.png"]).unwrap();
    assert!(cli.command.is_none(), "the window opens");
    assert_eq!(cli.picture.as_deref(), Some(std::path::Path::new("/home/me/Pictures/fox.png")));
    // A command still is a command.
    let cli = easel::cli::Cli::try_parse_from(["easel", "key", "status"]).unwrap();
    assert!(cli.command.is_some() && cli.picture.is_none());
}

/// A relay (or model) that changes the whole 64×48 picture, mask or not, to white, answering
/// edits after `delay`.
fn relay_changing_everything(delay: Duration) -> Relay {
    let relay = Relay::start();
    let white = image::RgbImage::from_pixel(64, 48, image::Rgb([255, 255, 255]));
    let mut answer = Vec::new();
    white.write_to(&mut std::io::Cursor::new(&mut answer), image::ImageFormat::Png).unwrap();
    let body = b64_answer(&[answer]).to_string();
    relay.rt.block_on(
        Mock::given(method("POST"))
            .and(path("/v1/images/edits"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json").set_delay(delay))
            .mount(&relay.server),
    );
    relay
}

/// A black-and-white 64×48 mask, as paint programs make them: white (the left half) is where to change.
fn left_half_mask(path: &Path) {
    image::GrayImage::from_fn(64, 48, |x, _| image::Luma([if x < 32 { 255 } else { 0 }])).save(path).unwrap();
}

#[test]
fn edit_sends_the_pictures_and_mask_as_parts_and_keeps_everything_outside_the_mask() {
    let relay = relay_changing_everything(Duration::ZERO);
    let data = tempfile::tempdir().unwrap();
    let (photo, logo, mask) = (data.path().join("mug.png"), data.path().join("logo.jpg"), data.path().join("mask.png"));
    std::fs::write(&photo, png(64, 48)).unwrap();
    std::fs::write(&logo, picture(image::ImageFormat::Jpeg, 32, 32)).unwrap();
    left_half_mask(&mask);
    let out = easel(data.path(), &relay.base())
        .args(["edit", "--image"])
        .arg(&photo)
        .arg("--image")
        .arg(&logo)
        .arg("--mask")
        .arg(&mask)
        .args(["--prompt", "put the logo on the mug", "--quality", "low"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(printed.len(), 1, "one path per picture asked for");
    // The picture printed: the original exactly where the mask keeps it (the right half, beyond
    // the soft edge), the model's white where it was painted (the left half, inside the edge).
    let kept = image::open(&printed[0]).unwrap().to_rgba8();
    let original = image::load_from_memory(&png(64, 48)).unwrap().to_rgba8();
    for y in 0..48 {
        for x in 36..64 {
            assert_eq!(kept.get_pixel(x, y), original.get_pixel(x, y), "outside the mask at {x},{y}");
        }
        for x in 0..28 {
            assert_eq!(kept.get_pixel(x, y).0, [255, 255, 255, 255], "inside the mask at {x},{y}");
        }
    }
    // The model's whole picture is kept too, unprinted; and what it did outside is said.
    let raws =
        files_in(&data.path().join("images")).into_iter().filter(|p| p.to_string_lossy().ends_with("-raw.png")).count();
    assert_eq!(raws, 1, "the raw result is in the library");
    assert!(
        text(&out.stderr).contains("of the picture outside your mask; those changes were undone"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("the white part is changed"),
        "the mask's reading is said: {}",
        text(&out.stderr)
    );
    let requests = relay.requests();
    assert_eq!(requests.len(), 1);
    let body = String::from_utf8_lossy(&requests[0].body);
    for part in [
        "name=\"image[]\"; filename=\"mug.png\"",
        "name=\"image[]\"; filename=\"logo.jpg\"",
        "name=\"mask\"",
        "image/jpeg",
    ] {
        assert!(body.contains(part), "no {part} in the multipart body");
    }
    assert!(!body.contains("name=\"moderation\""), "never on edits");
}

#[test]
fn edit_refuses_bad_files_before_sending() {
    let relay = Relay::start();
    let data = tempfile::tempdir().unwrap();
    let not_a_picture = data.path().join("notes.png");
    std::fs::write(&not_a_picture, b"just some text").unwrap();
    let missing = data.path().join("gone.png");
    for args in [vec!["--image", not_a_picture.to_str().unwrap()], vec!["--image", missing.to_str().unwrap()], vec![]] {
        let out = easel(data.path(), &relay.base()).arg("edit").args(&args).args(["--prompt", "x"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert_no_internals(&out);
    }
    assert!(relay.requests().is_empty(), "nothing was sent");
}

#[test]
fn edit_refuses_huge_files_devices_and_pipes_before_reading_them() {
    let relay = Relay::start();
    let data = tempfile::tempdir().unwrap();
    // 2 GB that take no disk: the size is read from the file system, not by reading it.
    let huge = data.path().join("huge.png");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut cases = vec![(huge, "“huge.png” is 2048 MB; a picture can be at most 50 MB")];
    #[cfg(unix)]
    {
        let fifo = data.path().join("pipe.png");
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        cases.push((fifo, "“pipe.png” is not a file (it is a folder, a device or a pipe)"));
        cases.push((PathBuf::from("/dev/zero"), "“zero” is not a file (it is a folder, a device or a pipe)"));
    }
    for (file, said) in cases {
        let started = Instant::now();
        let out =
            easel(data.path(), &relay.base()).args(["edit", "--prompt", "x", "--image"]).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{file:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(said), "{}", text(&out.stderr));
        assert!(started.elapsed() < Duration::from_secs(20), "{file:?} took {:?}", started.elapsed());
        assert_no_internals(&out);
        // The same as a mask.
        let photo = data.path().join("photo.png");
        std::fs::write(&photo, png(16, 16)).unwrap();
        let out = easel(data.path(), &relay.base())
            .args(["edit", "--prompt", "x", "--image"])
            .arg(&photo)
            .arg("--mask")
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{file:?} as a mask: {}", text(&out.stderr));
    }
    assert!(relay.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_change_asked_in_jpeg_is_kept_as_png_and_said() {
    let relay = relay_changing_everything(Duration::ZERO);
    let data = tempfile::tempdir().unwrap();
    let (photo, mask) = (data.path().join("mug.png"), data.path().join("mask.png"));
    std::fs::write(&photo, png(64, 48)).unwrap();
    left_half_mask(&mask);
    let out = easel(data.path(), &relay.base())
        .args(["edit", "--prompt", "a mug", "--format", "jpeg", "--no-stream", "--image"])
        .arg(&photo)
        .arg("--mask")
        .arg(&mask)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).trim().ends_with(".png"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("You asked for JPEG; the change is kept as PNG"), "{}", text(&out.stderr));
}

#[test]
fn sent_is_said_only_once_the_request_went_out() {
    let data = tempfile::tempdir().unwrap();
    // Nothing listens there: the request never goes out.
    let out = easel(data.path(), "http://127.0.0.1:9/v1").args(["generate", "--prompt", "fox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("Sent."), "{}", text(&out.stderr));
}

#[test]
fn edit_refuses_a_mask_that_changes_nothing() {
    let relay = Relay::start();
    let data = tempfile::tempdir().unwrap();
    let photo = data.path().join("photo.png");
    std::fs::write(&photo, png(16, 16)).unwrap();
    let black = data.path().join("black.png");
    image::GrayImage::new(16, 16).save(&black).unwrap();
    // Opaque everywhere, in colour: read as black and white, it is dark, so it keeps everything.
    let opaque = data.path().join("opaque.png");
    image::RgbaImage::from_pixel(16, 16, image::Rgba([3, 2, 1, 255])).save(&opaque).unwrap();
    for mask in [black, opaque] {
        let out = easel(data.path(), &relay.base())
            .args(["edit", "--prompt", "x", "--image"])
            .arg(&photo)
            .arg("--mask")
            .arg(&mask)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{mask:?}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("keeps the whole picture, so nothing would change"),
            "{}",
            text(&out.stderr)
        );
    }
    assert!(relay.requests().is_empty(), "nothing was sent, nothing billed");
}

#[test]
fn edit_keeps_what_it_sent_though_the_file_changes_during_the_request() {
    let relay = relay_changing_everything(Duration::from_secs(3));
    let data = tempfile::tempdir().unwrap();
    let (photo, mask) = (data.path().join("mug.png"), data.path().join("mask.png"));
    let sent = png(64, 48);
    std::fs::write(&photo, &sent).unwrap();
    left_half_mask(&mask);
    let child = easel(data.path(), &relay.base())
        .args(["edit", "--prompt", "a mug", "--quality", "low", "--no-stream", "--image"])
        .arg(&photo)
        .arg("--mask")
        .arg(&mask)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the request is out, the file is replaced by another picture of the same size.
    let deadline = Instant::now() + Duration::from_secs(30);
    while relay.requests().is_empty() {
        assert!(Instant::now() < deadline, "the request never arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    let replacement = image::RgbImage::from_pixel(64, 48, image::Rgb([0, 0, 0]));
    replacement.save(&photo).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = PathBuf::from(text(&out.stdout).trim());
    let kept = image::open(&printed).unwrap().to_rgba8();
    let original = image::load_from_memory(&sent).unwrap().to_rgba8();
    for x in 36..64 {
        assert_eq!(kept.get_pixel(x, 10), original.get_pixel(x, 10), "the outside is the picture sent, at {x}");
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(printed.with_extension("json")).unwrap()).unwrap();
    assert_eq!(meta["edit"]["inputs"][0]["sha256"], json!(easel::library::edit::sha256_hex(&sent)));
}

/// A PNG with `secret` written where a relay could put it: a text chunk, a chunk of its own
/// kind, and after the picture's end.
fn png_carrying(secret: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 4, 4);
    encoder.set_color(png::ColorType::Rgba);
    encoder.add_text_chunk("Comment".into(), format!("Authorization: {secret}")).unwrap();
    let mut writer = encoder.write_header().unwrap();
    writer.write_chunk(png::chunk::ChunkType(*b"keYs"), secret.as_bytes()).unwrap();
    writer.write_image_data(&[90u8; 64]).unwrap();
    writer.finish().unwrap();
    out.extend_from_slice(secret.as_bytes());
    out
}

/// A JPEG with `secret` in a comment, an EXIF segment and after the picture's end.
fn jpeg_carrying(secret: &str) -> Vec<u8> {
    let jpeg = picture(image::ImageFormat::Jpeg, 8, 8);
    let segment = |marker: u8, payload: &[u8]| {
        [&[0xFF, marker][..], &((payload.len() + 2) as u16).to_be_bytes(), payload].concat()
    };
    let exif = [&b"Exif\0\0"[..], secret.as_bytes()].concat();
    [&jpeg[..2], &segment(0xFE, secret.as_bytes()), &segment(0xE1, &exif), &jpeg[2..], secret.as_bytes()].concat()
}

#[test]
fn a_key_a_relay_writes_into_its_pictures_is_not_kept() {
    let relay = Relay::start();
    // The relay writes the request's own Authorization header into the pictures it sends.
    relay.rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(|r: &wiremock::Request| {
                let auth = r.headers.get("authorization").unwrap().to_str().unwrap().to_string();
                let body = json!({"created": 1, "data": [
                    {"b64_json": b64(&png_carrying(&auth))}, {"b64_json": b64(&jpeg_carrying(&auth))}]});
                ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
            })
            .mount(&relay.server),
    );
    let data = tempfile::tempdir().unwrap();
    let out_dir = data.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["generate", "--prompt", "a kite", "--n", "2", "--quality", "low", "--no-stream", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let kept: Vec<PathBuf> = files_in(&data.path().join("images")).into_iter().chain(files_in(&out_dir)).collect();
    assert_eq!(kept.len(), 6, "two pictures and their details, and two copies: {kept:?}");
    for file in kept {
        let bytes = std::fs::read(&file).unwrap();
        let piece = &KEY.as_bytes()[4..12];
        assert!(!bytes.windows(piece.len()).any(|w| w == piece), "a piece of the key in {file:?}");
        if file.extension().is_some_and(|e| e != "json") {
            // Still the picture, with Easel's own settings inside.
            image::load_from_memory(&bytes).unwrap();
            let settings = easel::library::embed::read_parameters(&bytes).unwrap_or_default();
            assert!(settings.starts_with("a kite\n"), "{file:?}: {settings}");
        }
    }
}

#[test]
fn generate_streams_by_default_and_says_each_preview() {
    let relay = Relay::start();
    let last = png(40, 40);
    let body = format!(
        "{}{}{}data: [DONE]\n\n",
        common::sse::partial(&png(8, 8), 0),
        common::sse::partial(&png(9, 8), 1),
        common::sse::completed(&last)
    );
    relay.rt.block_on(
        Mock::given(method("POST"))
            .and(path(GEN))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
            .mount(&relay.server),
    );
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["generate", "--prompt", "a kite", "--quality", "low", "--previews", "2"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert_no_internals(&out);
    let printed: Vec<PathBuf> = text(&out.stdout).lines().map(PathBuf::from).collect();
    assert_eq!(printed.len(), 1);
    assert_eq!(strip(&std::fs::read(&printed[0]).unwrap()), last);
    let body: serde_json::Value = serde_json::from_slice(&relay.requests()[0].body).unwrap();
    assert_eq!((body["stream"].clone(), body["partial_images"].clone()), (json!(true), json!(2)));
}

#[test]
fn no_stream_and_previews_set_what_is_asked() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(16, 16)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["generate", "--prompt", "a kite", "--quality", "low", "--no-stream"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let body: serde_json::Value = serde_json::from_slice(&relay.requests()[0].body).unwrap();
    assert!(body.get("stream").is_none() && body.get("partial_images").is_none(), "{body}");
    let too_many =
        easel(data.path(), &relay.base()).args(["generate", "--prompt", "a kite", "--previews", "4"]).output().unwrap();
    assert_eq!(too_many.status.code(), Some(2), "{}", text(&too_many.stderr));
    assert_eq!(relay.requests().len(), 1, "nothing sent for a refused argument");
}

#[test]
fn every_setting_of_the_window_can_be_given_in_the_terminal() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[picture(image::ImageFormat::WebP, 16, 16)]).to_string());
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["generate", "--prompt", "a kite", "--format", "webp", "--background", "transparent"])
        .args(["--moderation", "low", "--compression", "70", "--no-stream"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body: serde_json::Value = serde_json::from_slice(&relay.requests()[0].body).unwrap();
    assert_eq!(
        (&body["background"], &body["moderation"], &body["output_compression"]),
        (&json!("transparent"), &json!("low"), &json!(70))
    );
    // Refused before anything is sent, in words: compression beyond 100, an unknown background.
    for bad in [["--compression", "101"], ["--background", "glass"]] {
        let out = easel(data.path(), &relay.base()).args(["generate", "--prompt", "x"]).args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    assert_eq!(relay.requests().len(), 1);
}

#[test]
fn an_edit_can_ask_for_high_input_fidelity() {
    let relay = relay_changing_everything(Duration::ZERO);
    let data = tempfile::tempdir().unwrap();
    let photo = data.path().join("mug.png");
    std::fs::write(&photo, png(64, 48)).unwrap();
    let out = easel(data.path(), &relay.base())
        .args(["edit", "--prompt", "a mug", "--model", "gpt-image-1.5", "--input-fidelity", "high", "--image"])
        .arg(&photo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body = String::from_utf8_lossy(&relay.requests()[0].body).into_owned();
    assert!(body.contains("name=\"input_fidelity\"\r\n\r\nhigh"), "{body}");
}

#[test]
fn compare_can_be_told_not_to_stream_and_how_many_previews() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(16, 16)]).to_string());
    let data = tempfile::tempdir().unwrap();
    for (args, stream) in [(vec!["--no-stream"], None), (vec!["--previews", "1"], Some(json!(1)))] {
        let before = relay.requests().len();
        let out = easel(data.path(), &relay.base())
            .args(["compare", "--prompt", "a kite", "--vary", "quality=low,medium"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        for r in &relay.requests()[before..] {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(body.get("partial_images").cloned(), stream, "{args:?}: {body}");
        }
    }
}

#[test]
fn previews_asked_for_in_so_many_words_are_asked_for_again() {
    let relay = Relay::start();
    relay.answer(200, b64_answer(&[png(16, 16)]).to_string());
    let data = tempfile::tempdir().unwrap();
    // This endpoint failed with previews a minute ago: Easel asks without them for a week…
    let refused = easel::library::utc_millis(std::time::SystemTime::now());
    std::fs::write(data.path().join("previews.json"), json!({ relay.base(): refused }).to_string()).unwrap();
    let sent = |args: &[&str]| {
        let out = easel(data.path(), &relay.base()).args(["generate", "--prompt", "x"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let r = relay.requests();
        serde_json::from_slice::<serde_json::Value>(&r[r.len() - 1].body).unwrap()
    };
    assert!(sent(&[]).get("stream").is_none(), "the endpoint's refusal is remembered");
    // …unless the user asks for them.
    assert_eq!(sent(&["--previews", "2"]).get("partial_images"), Some(&json!(2)));
    assert_eq!(sent(&[]).get("partial_images"), Some(&json!(3)), "and from then on");
}

#[test]
fn a_preview_line_is_printed_as_each_preview_arrives() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let events = vec![common::sse::partial(&png(64, 64), 0), common::sse::completed(&png(32, 32))];
    // The final picture a while after the preview, as from the service.
    let base = rt.block_on(common::sse::paced_relay(events, Duration::from_secs(2), Duration::from_secs(60)));
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &base).args(["generate", "--prompt", "a kite", "--previews", "1"]).output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.contains("Preview 1 of 1 of picture 1 arrived."), "{stderr}");
}

#[test]
fn the_newest_models_are_asked_for_with_their_own_settings_and_priced_at_least_as_high() {
    let relay = Relay::start();
    relay
        .rt
        .block_on(Mock::given(method("POST")).and(path(GEN)).respond_with(common::ModelsRelay).mount(&relay.server));
    let data = tempfile::tempdir().unwrap();
    let asks: [(&str, &str, Option<&str>); 2] =
        [("gpt-image-2.6-flare", "max", Some("high")), ("gpt-image-2.5-sunburst", "xhigh", None)];
    for (model, quality, complexity) in asks {
        let mut cmd = easel(data.path(), &relay.base());
        cmd.args(["generate", "--prompt", "a fox", "--model", model, "--quality", quality, "--size", "1024x1024"]);
        cmd.arg("--no-stream");
        if let Some(c) = complexity {
            cmd.args(["--complexity", c]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{model}: {}", text(&out.stderr));
        assert_no_internals(&out);
        // No published count for xhigh and max: the estimate is high's, said as the least.
        assert!(text(&out.stderr).contains("at least about $0.211"), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout).lines().count(), 1, "one picture saved");
    }
    let bodies: Vec<serde_json::Value> =
        relay.requests().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(bodies.len(), 2, "each sent once, none refused");
    assert_eq!((bodies[0]["quality"].as_str(), bodies[0]["complexity"].as_str()), (Some("max"), Some("high")));
    assert_eq!((bodies[1]["quality"].as_str(), bodies[1].get("complexity")), (Some("xhigh"), None));
}

#[test]
fn models_prints_the_endpoints_image_models_and_what_the_known_ones_are_for() {
    let relay = Relay::start();
    let list = serde_json::json!({"object": "list", "data": [
        {"id": "gpt-4o"}, {"id": "gpt-image-2"}, {"id": "text-embedding-3-small"}, {"id": "dall-e-3"},
        {"id": "gpt-image-2.6-sunburst"}, {"id": "tts-1"}, {"id": "flux-kontext-pro"},
        {"id": "gpt-image-2\u{1b}[31m-red"},
    ]});
    relay.rt.block_on(
        Mock::given(method("GET"))
            .and(path("/v1/models"))
            .respond_with(ResponseTemplate::new(200).set_body_json(list))
            .mount(&relay.server),
    );
    let data = tempfile::tempdir().unwrap();
    let out = easel(data.path(), &relay.base()).arg("models").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_internals(&out);
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(
        lines,
        [
            "gpt-image-2\tDependable · any size",
            "gpt-image-2.6-sunburst\tNewest · most detail",
            "flux-kontext-pro",
            "gpt-image-2[31m-red"
        ],
        "image models only, none shut down, known ones described, control characters gone"
    );
}
