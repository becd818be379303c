//! Shared pieces for the integration tests: real picture bytes, answer bodies, a fast client.
#![allow(dead_code)]

pub mod harness;
pub mod multipart;
pub mod sse;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use easel::api::ClientConfig;
use serde_json::{Value, json};
use std::time::Duration;

pub const KEY: &str = "sk-test-0123456789abcdefghijklmnop";

/// A real picture in `format`, `w`×`h`, with a gradient so it is not trivially compressible.
pub fn picture(format: image::ImageFormat, w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 128]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut out), format).unwrap();
    out
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    picture(image::ImageFormat::Png, w, h)
}

/// A real PNG whose header says it is `w`×`h`, though its data is that of a 4×4 picture: what
/// a decoder that trusts the header would try to hold. Only the header is read before a
/// picture is saved, so it is saved like any other.
pub fn declared_png(w: u32, h: u32) -> Vec<u8> {
    let mut png = png(4, 4);
    // IHDR is the first chunk: its length, "IHDR", width, height, five bytes more, its CRC.
    png[16..20].copy_from_slice(&w.to_be_bytes());
    png[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// A real, whole PNG of `w`×`h` black grey pixels, written row by row: a few hundred kB for a
/// size that takes gigabytes once decoded (23000×23000 is about 514 kB).
pub fn huge_grey_png(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![0u8; w as usize];
    for _ in 0..h {
        std::io::Write::write_all(&mut stream, &row).unwrap();
    }
    stream.finish().unwrap();
    drop(writer);
    bytes
}

pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// OpenAI's usual answer shape with inline base64 pictures and usage.
pub fn b64_answer(pictures: &[Vec<u8>]) -> Value {
    json!({
        "created": 1_713_833_628,
        "data": pictures.iter().map(|p| json!({"b64_json": b64(p)})).collect::<Vec<_>>(),
        "usage": {"input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
                  "input_tokens_details": {"text_tokens": 50, "image_tokens": 0}}
    })
}

/// A client that waits milliseconds, not seconds, between retries.
pub fn fast_config() -> ClientConfig {
    ClientConfig {
        backoff_base: Duration::from_millis(10),
        request_timeout: Duration::from_secs(20),
        ..ClientConfig::default()
    }
}

/// An OpenAI-style error body.
pub fn error_body(message: &str, code: &str) -> Value {
    json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": code}})
}

/// What an edit of the files `pictures` (the first the one changed) with `mask` was made from,
/// as the worker has it: each file read once, as it was sent.
pub fn edit_source(
    pictures: &[std::path::PathBuf],
    mask: Option<&[u8]>,
    whole_result: bool,
) -> easel::library::edit::EditSource {
    use easel::library::edit::{EditInput, EditSource};
    let bytes: Vec<Vec<u8>> = pictures.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let name = |p: &std::path::PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    let inputs: Vec<EditInput> = pictures.iter().zip(&bytes).map(|(p, b)| EditInput::of(name(p), b)).collect();
    EditSource::new(&inputs, mask.and(bytes.first().map(Vec::as_slice)), mask, whole_result)
}

/// A relay that knows this month's models as OpenAI answers them: it refuses what a model does
/// not take (xhigh and max before gpt-image-2.5, complexity before 2.6, any size but the presets
/// before gpt-image-2, a model shut down) with OpenAI's 400, and answers the rest with a picture.
pub struct ModelsRelay;

impl wiremock::Respond for ModelsRelay {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let model = body["model"].as_str().unwrap_or_default();
        let newer = model.starts_with("gpt-image-2.5") || model.starts_with("gpt-image-2.6");
        let refuse = |message: &str, param: &str| {
            let body = json!({"error": {"message": message, "type": "invalid_request_error", "param": param, "code": "invalid_value"}});
            wiremock::ResponseTemplate::new(400).set_body_json(body)
        };
        if ["gpt-image-1", "dall-e-2", "dall-e-3"].contains(&model) {
            return refuse(&format!("The model {model} has been deprecated."), "model");
        }
        if let Some(q) = body["quality"].as_str().filter(|q| ["xhigh", "max"].contains(q))
            && !newer
        {
            return refuse(
                &format!("Invalid value: '{q}'. Supported values are: 'low', 'medium', 'high' and 'auto'."),
                "quality",
            );
        }
        if body.get("complexity").is_some() && !model.starts_with("gpt-image-2.6") {
            return refuse("Unknown parameter: 'complexity'.", "complexity");
        }
        let size = body["size"].as_str().unwrap_or("auto");
        if !["auto", "1024x1024", "1536x1024", "1024x1536"].contains(&size) && !model.starts_with("gpt-image-2") {
            return refuse(&format!("Invalid value: '{size}'."), "size");
        }
        let n = body["n"].as_u64().unwrap_or(1).clamp(1, 10) as usize;
        let pictures: Vec<Vec<u8>> = (0..n).map(|i| png(24 + i as u32, 16)).collect();
        wiremock::ResponseTemplate::new(200).set_body_json(b64_answer(&pictures))
    }
}
