//! A bounded fuzzer for everything Easel reads from outside: relays' answers (success and
//! error), the metadata and index files in the library, and the settings inside picture files.
//! Seeds of every real shape are mutated (bytes flipped, cut, repeated, JSON tokens and control
//! characters spliced in) from fixed seeds, so a failure repeats; `EASEL_FUZZ_ITERS` runs more
//! (CI runs the default). The properties: nothing panics, nothing hangs, and no text that a
//! user could read carries a control character from the input.
//!
//! Figures are printed on standard error: `cargo test --test fuzz -- --nocapture`.

mod common;

use common::*;
use easel::api::error::classify_status;
use easel::api::response::parse_answer;
use easel::api::stream::{SseEvent, SseParser, collect_all};
use easel::library::embed::{Parameters, read_parameters};
use easel::library::{Library, Provenance};
use serde_json::json;
use std::time::Instant;

/// Inputs per target unless `EASEL_FUZZ_ITERS` says otherwise.
const DEFAULT_ITERS: usize = 20_000;

fn iterations(scale: usize) -> usize {
    let base = std::env::var("EASEL_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_ITERS);
    (base / scale).max(1)
}

/// Pieces that make parsers take unusual paths.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b",",
    b":",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"18446744073709551616",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\x1b[2J",
    b"\x1b]52;c;cHduZWQ=\x07",
    "\u{202e}".as_bytes(),
    b"\0",
    b"\"b64_json\"",
    b"\"url\"",
    b"\"data\"",
    b"\"error\"",
    b"\"message\"",
    b"(request id: ",
    b"data:image/png;base64,",
    b"\xff\xfe",
    b"<html>",
    b"\r\n",
];

/// Changes `seed` in one to four random ways.
fn mutate(rng: &mut fastrand::Rng, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let at = if out.is_empty() { 0 } else { rng.usize(..out.len()) };
        match rng.u8(..6) {
            0 if !out.is_empty() => out[at] = rng.u8(..),
            1 => out.truncate(at),
            2 => {
                let token = TOKENS[rng.usize(..TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            3 if !out.is_empty() => {
                let end = (at + rng.usize(1..64)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            4 if !out.is_empty() => {
                let end = (at + rng.usize(1..32)).min(out.len());
                out.drain(at..end);
            }
            _ => out.push(rng.u8(..)),
        }
    }
    out
}

/// No control character but tab and newline, no bidi control.
fn readable(text: &str) -> bool {
    !text.chars().any(|c| {
        (c.is_control() && c != '\t' && c != '\n')
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// What a run did: inputs tried, and how many were read (the rest refused, every word checked).
fn report(target: &str, tried: usize, read: usize, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    eprintln!("fuzz {target}: {tried} inputs, {read} read and {} refused, {secs:.1} s", tried - read);
}

/// Every word of a picture answer a user could read: the prompt the model says it used, what
/// it says it used of the settings, why a picture of it was left out.
fn answer_readable(answer: &easel::api::response::Answer) -> bool {
    let echo = &answer.echo;
    let echoed = [&echo.output_format, &echo.size, &echo.quality, &echo.background];
    answer.revised_prompt.as_deref().is_none_or(readable)
        && echoed.iter().all(|t| t.as_deref().is_none_or(readable))
        && answer.problems.iter().all(|p| readable(&p.to_string()))
}

#[test]
fn answers_never_panic_and_errors_stay_readable() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_0001);
    let small = png(3, 2);
    let seeds: Vec<Vec<u8>> = vec![
        b64_answer(std::slice::from_ref(&small)).to_string().into_bytes(),
        json!({"data": [{"url": "https://files.example/a.png"}, {"b64_json": b64(&small), "revised_prompt": "a fox"}]})
            .to_string()
            .into_bytes(),
        json!({"data": [{"b64_json": format!("data:image/png;base64,{}", b64(&small))}], "usage": {"prompt_tokens": 9, "completion_tokens": "1200"}})
            .to_string()
            .into_bytes(),
        error_body("Your request was rejected by the safety system (request id: abc123)", "moderation_blocked")
            .to_string()
            .into_bytes(),
        json!({"error": "insufficient quota", "detail": [{"msg": "bad size"}]}).to_string().into_bytes(),
        b"<!DOCTYPE html><html><title>502 Bad Gateway</title></html>".to_vec(),
        b"Service Unavailable".to_vec(),
    ];
    let started = Instant::now();
    let (n, mut read) = (iterations(1), 0);
    for i in 0..n {
        let input = mutate(&mut rng, &seeds[i % seeds.len()]);
        match parse_answer(&input, 10) {
            Ok(answer) => {
                read += 1;
                assert!(answer_readable(&answer), "{answer:?} from {:?}", String::from_utf8_lossy(&input));
            }
            Err(e) => {
                assert!(readable(&e.to_string()), "{:?} from {:?}", e.to_string(), String::from_utf8_lossy(&input));
            }
        }
        let status = [400, 401, 403, 404, 429, 500, 502, 524][i % 8];
        let e = classify_status(status, &input, None);
        assert!(readable(&e.to_string()), "{:?} from {:?}", e.to_string(), String::from_utf8_lossy(&input));
    }
    report("answers", n, read, started);
}

/// The events `input` holds, fed to the parser in pieces cut at `cuts` (or whole), with what
/// is left at its end; `None` when an event grew past `limit`.
fn parse_in_pieces(input: &[u8], cuts: &[usize], limit: usize) -> Option<Vec<SseEvent>> {
    let mut parser = SseParser::new(limit);
    let mut events = Vec::new();
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
        let cut = cut.clamp(from, input.len());
        parser.push(&input[from..cut], &mut events).ok()?;
        from = cut;
    }
    events.extend(parser.finish());
    Some(events)
}

#[test]
fn streams_never_panic_are_read_alike_in_any_pieces_and_stay_bounded() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_0004);
    let (small, other) = (png(3, 2), png(4, 4));
    let preview = |p: &[u8], i: u32| common::sse::partial(p, i);
    let seeds: Vec<Vec<u8>> = vec![
        format!("{}{}{}data: [DONE]\n\n", preview(&small, 0), preview(&small, 1), common::sse::completed(&other)),
        format!(
            ": keep-alive\r\n\r\n{}\r\n{}",
            preview(&small, 0).replace('\n', "\r\n"),
            common::sse::completed(&other)
        ),
        format!(
            "{}event: error\ndata: {}\n\n",
            preview(&small, 0),
            json!({"type": "error", "error": {"message": "upstream \u{1b}[31mfailed", "code": "server_error"}})
        ),
        format!(
            "data: {}\n\ndata: {}\n\n",
            json!({"type": "image_generation.completed", "b64_json": b64(&small), "image_index": 1}),
            json!({"type": "image_generation.completed", "b64_json": b64(&other), "image_index": 0})
        ),
        "\u{feff}data: {\"b64_json\":\"iVBOR\"}\rdata: more\r\r".to_string(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect();
    let started = Instant::now();
    let (n, mut read) = (iterations(2), 0);
    for i in 0..n {
        let input = mutate(&mut rng, &seeds[i % seeds.len()]);
        let limit = if i % 7 == 0 { 64 } else { 1 << 20 };
        // However the bytes arrive, the same events come out, or the same refusal.
        let whole = parse_in_pieces(&input, &[], limit);
        let mut cuts: Vec<usize> = (0..rng.usize(1..8)).map(|_| rng.usize(..=input.len())).collect();
        cuts.sort_unstable();
        assert_eq!(
            parse_in_pieces(&input, &cuts, limit),
            whole,
            "{:?} cut at {cuts:?}",
            String::from_utf8_lossy(&input)
        );
        if let Some(events) = &whole {
            assert!(events.iter().all(|e| e.data.len() <= limit), "an event past the limit");
        }
        // Read as an answer: at most the pictures and previews asked for, and readable words.
        let (pictures, previews) = (1 + (i % 3) as u8, (i % 4) as u8);
        let mut told = 0;
        let result = collect_all(&input, pictures, previews, limit, &mut |_, step, of, _| {
            assert!(step >= 1 && step <= of && of == previews, "preview {step} of {of}, {previews} asked");
            told += 1;
        });
        assert!(told <= usize::from(pictures) * usize::from(previews), "{told} previews told");
        match result {
            Ok((answer, interrupted)) => {
                read += 1;
                assert!(answer.items.len() <= usize::from(pictures));
                assert!(answer_readable(&answer), "{answer:?} from {:?}", String::from_utf8_lossy(&input));
                if let Some(e) = interrupted {
                    assert!(readable(&e.to_string()), "{e}");
                }
            }
            Err(e) => {
                assert!(readable(&e.to_string()), "{:?} from {:?}", e.to_string(), String::from_utf8_lossy(&input));
            }
        }
    }
    report("streams", n, read, started);
}

#[test]
fn settings_inside_pictures_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_0002);
    let text = "a red fox\nNegative prompt: blur\nSteps: 20, Size: 1024x1024, Model: gpt-image-2, Quality: low";
    let seeds: Vec<Vec<u8>> = [image::ImageFormat::Png, image::ImageFormat::Jpeg, image::ImageFormat::WebP]
        .into_iter()
        .map(|f| easel::library::embed::embed(&picture(f, 8, 6), text).unwrap())
        .collect();
    let started = Instant::now();
    let (n, mut read) = (iterations(1), 0);
    for i in 0..n {
        let input = mutate(&mut rng, &seeds[i % seeds.len()]);
        if let Some(found) = read_parameters(&input) {
            read += 1;
            let params = Parameters::parse(&found);
            let _request = params.request();
        }
        // Embedding into a damaged file refuses or succeeds; it never panics.
        if let Ok(with) = easel::library::embed::embed(&input, "x\nModel: m") {
            assert!(read_parameters(&with).is_some(), "what was embedded can be read back");
        }
    }
    report("settings inside pictures", n, read, started);
}

#[test]
fn library_files_never_panic_and_cost_only_their_own_details() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_0003);
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path()).unwrap();
    let prov = Provenance::new(easel::api::ImageRequest::new("a fox"), "http://127.0.0.1:9/v1", "test", 1);
    let saved = lib.save(&easel::api::ReceivedImage::from_bytes(png(4, 3)).unwrap(), 0, &prov).unwrap();
    let meta_seed = std::fs::read(&saved.meta_path).unwrap();
    lib.history().unwrap();
    let index_path = lib.cache_dir().join("index.json");
    let index_seed = std::fs::read(&index_path).unwrap();
    let started = Instant::now();
    // Each round rewrites both files and reads the whole library: slower than a parser call.
    let (n, mut read) = (iterations(10), 0);
    for _ in 0..n {
        std::fs::write(&saved.meta_path, mutate(&mut rng, &meta_seed)).unwrap();
        std::fs::write(&index_path, mutate(&mut rng, &index_seed)).unwrap();
        let _meta = Library::read_meta(&saved.meta_path);
        let entries = lib.history().expect("a damaged file never hides the library");
        assert_eq!(entries.len(), 1, "the picture is listed, with or without its details");
        match &entries[0].damaged {
            Some(reason) => assert!(readable(&reason.to_string())),
            None => read += 1,
        }
    }
    report("library files", n, read, started);
}
