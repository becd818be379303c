//! Lenient parsing of every answer shape seen in the wild (docs/API.md) into pictures and usage.
//!
//! The body of a 10-image answer is 40–50 MB of JSON, so base64 strings are borrowed from it
//! rather than copied, and decoded in parallel. Callers run this off the async executor.

use super::error::{ApiError, ErrorKind, Reason, classify_status};
use super::request::OutputFormat;
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

/// Token counts as the endpoint reported them, under either naming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// Of the input, tokens of text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_input_tokens: Option<u64>,
    /// Of the input, tokens of images (edits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_input_tokens: Option<u64>,
}

impl Usage {
    /// The counts of two answers (a request sent twice, a stream's events) added up, each
    /// count kept under [`MAX_TOKENS`]; a count only one of them gave is kept as it is.
    pub fn plus(self, other: Usage) -> Usage {
        Usage {
            input_tokens: sum_tokens(self.input_tokens, other.input_tokens),
            output_tokens: sum_tokens(self.output_tokens, other.output_tokens),
            total_tokens: sum_tokens(self.total_tokens, other.total_tokens),
            text_input_tokens: sum_tokens(self.text_input_tokens, other.text_input_tokens),
            image_input_tokens: sum_tokens(self.image_input_tokens, other.image_input_tokens),
        }
    }
}

/// Two token counts added up, kept under [`MAX_TOKENS`]: the one sum of counts from outside.
fn sum_tokens(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.saturating_add(b).min(MAX_TOKENS)),
        (a, b) => a.or(b),
    }
}

/// Settings the endpoint says it used, when it echoes them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Echo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
}

/// One picture in an answer: its bytes, or a URL to fetch them from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Bytes that arrived inline (base64 or a data URI), already decoded from base64.
    Bytes(Vec<u8>),
    /// A link to download at once (it may expire within the hour).
    Url(String),
}

/// A parsed answer: pictures still to check, plus what else the endpoint told us.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answer {
    pub items: Vec<Item>,
    /// Inline items that could not be decoded; the rest are still delivered.
    pub problems: Vec<ApiError>,
    pub usage: Option<Usage>,
    pub echo: Echo,
    /// The endpoint's rewritten prompt, when it gives one.
    pub revised_prompt: Option<String>,
    /// Pictures the endpoint sent beyond the most asked for, left out before any was decoded.
    pub dropped: usize,
}

#[derive(Deserialize)]
struct RawAnswer<'a> {
    #[serde(borrow, default)]
    data: Option<Vec<RawDatum<'a>>>,
    // Everything but the base64 is read loosely: an odd field must not cost the pictures.
    #[serde(default)]
    choices: Option<Value>,
    #[serde(default)]
    usage: Option<Value>,
    #[serde(default)]
    output_format: Option<Value>,
    #[serde(default)]
    size: Option<Value>,
    #[serde(default)]
    quality: Option<Value>,
    #[serde(default)]
    background: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct RawDatum<'a> {
    #[serde(borrow, default)]
    b64_json: Option<Cow<'a, str>>,
    #[serde(default)]
    url: Option<Value>,
    #[serde(default)]
    revised_prompt: Option<Value>,
}

pub(crate) fn as_text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// A short value the endpoint echoes (a size, a format), cleaned to one bounded line: it is
/// kept, and may be shown.
pub(crate) fn as_short_text(v: &Option<Value>) -> Option<String> {
    as_text(v).map(|t| crate::outside::one_line_cut(&t, super::error::MAX_ID_CHARS)).filter(|t| !t.is_empty())
}

/// The longest rewritten prompt kept, in characters: more than any endpoint accepts as a prompt.
const MAX_REVISED_PROMPT_CHARS: usize = 32_000;

/// The endpoint's rewritten prompt as it may be kept and shown: cleaned of control characters
/// and bidi controls (its line breaks stay), and bounded.
pub(crate) fn as_revised_prompt(v: &Option<Value>) -> Option<String> {
    let cleaned = crate::outside::clean(&as_text(v)?);
    let kept = match cleaned.char_indices().nth(MAX_REVISED_PROMPT_CHARS) {
        Some((at, _)) => format!("{}…", &cleaned[..at]),
        None => cleaned.trim().to_string(),
    };
    (!kept.is_empty()).then_some(kept)
}

/// The most tokens a count from a relay is taken as: far above any request (a 4K picture at high
/// quality is under 10,000 output tokens), so sums and prices of hostile counts stay finite.
pub(crate) const MAX_TOKENS: u64 = 1_000_000_000;

fn as_count(v: Option<&Value>) -> Option<u64> {
    let count = match v? {
        Value::Number(n) => {
            n.as_u64().or_else(|| n.as_f64().filter(|f| f.is_finite() && *f >= 0.0).map(|f| f.round() as u64))
        }
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    count.map(|c| c.min(MAX_TOKENS))
}

/// Reads usage under either naming: `input_tokens`/`output_tokens` or `prompt_tokens`/`completion_tokens`.
pub(crate) fn usage_from(v: &Value) -> Option<Usage> {
    let input = as_count(v.get("input_tokens")).or(as_count(v.get("prompt_tokens")));
    let output = as_count(v.get("output_tokens")).or(as_count(v.get("completion_tokens")));
    let details = v.get("input_tokens_details").or(v.get("prompt_tokens_details"));
    let usage = Usage {
        input_tokens: input,
        output_tokens: output,
        total_tokens: as_count(v.get("total_tokens"))
            .or(input.zip(output).and_then(|(i, o)| sum_tokens(Some(i), Some(o)))),
        text_input_tokens: details.and_then(|d| as_count(d.get("text_tokens"))),
        image_input_tokens: details.and_then(|d| as_count(d.get("image_tokens"))),
    };
    (usage != Usage::default()).then_some(usage)
}

/// A reference to a picture found in the answer, before decoding.
enum Found<'a> {
    Base64(Cow<'a, str>),
    Url(String),
}

/// Collects picture references from a chat-completion `choices` array, whatever its parts' shapes.
fn refs_in_choices<'a>(choices: &Value, found: &mut Vec<Found<'a>>) {
    let url_of = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("url").and_then(Value::as_str).map(str::to_string),
            _ => None,
        }
    };
    for choice in choices.as_array().into_iter().flatten() {
        let Some(message) = choice.get("message").or_else(|| choice.get("delta")) else { continue };
        match message.get("content") {
            Some(Value::String(text)) => found.extend(refs_in_text(text)),
            Some(Value::Array(parts)) => {
                for part in parts {
                    if let Some(u) = part.get("image_url").and_then(url_of) {
                        found.push(url_or_data_uri(u));
                    }
                    if let Some(t) = part.get("text").and_then(Value::as_str) {
                        found.extend(refs_in_text(t));
                    }
                }
            }
            _ => {}
        }
        for image in message.get("images").and_then(Value::as_array).into_iter().flatten() {
            if let Some(u) = image.get("image_url").and_then(url_of).or_else(|| url_of(image)) {
                found.push(url_or_data_uri(u));
            }
        }
    }
}

/// Parses a successful (2xx) body into its pictures, keeping the first `at_most` (the number
/// asked for) and counting the rest in [`Answer::dropped`]: a relay answering thousands of
/// pictures for one gets the one decoded. Base64 is decoded in parallel; URLs are left for the
/// client to download. An answer without any picture is an error.
pub fn parse_answer(body: &[u8], at_most: usize) -> Result<Answer, ApiError> {
    let raw: RawAnswer<'_> = serde_json::from_slice(body).map_err(|e| unreadable_json(body, &e))?;
    let mut found: Vec<Found<'_>> = Vec::new();
    let mut revised_prompt = None;
    for d in raw.data.into_iter().flatten() {
        revised_prompt = revised_prompt.or_else(|| as_revised_prompt(&d.revised_prompt));
        match (d.b64_json, as_text(&d.url)) {
            (Some(b), _) if !b.trim().is_empty() => found.push(base64_or_data_uri(b)),
            (_, Some(u)) => found.push(url_or_data_uri(u)),
            _ => {}
        }
    }
    if let Some(choices) = &raw.choices {
        refs_in_choices(choices, &mut found);
    }
    if found.is_empty() {
        // Some relays answer 200 with an error object; read it as the error it is.
        let has_error = matches!(&raw.error, Some(Value::Object(o)) if !o.is_empty())
            || matches!(&raw.error, Some(Value::String(s)) if !s.is_empty());
        if has_error {
            let mut err = classify_status(200, body, None);
            if err.kind == ErrorKind::Unreadable {
                err.kind = ErrorKind::Server;
            }
            return Err(err);
        }
        return Err(ApiError::new(ErrorKind::NoImage).because(Reason::NoPictureInAnswer));
    }

    let dropped = found.len().saturating_sub(at_most.max(1));
    found.truncate(at_most.max(1));
    // Decode every inline picture at once; each is megabytes of base64.
    let decoded: Vec<Result<Item, ApiError>> = parallel_map(found, |f| match f {
        Found::Url(u) => Ok(Item::Url(u)),
        Found::Base64(b) => decode_base64(&b).map(Item::Bytes),
    });
    let mut answer = Answer {
        usage: raw.usage.as_ref().and_then(usage_from),
        echo: Echo {
            output_format: as_short_text(&raw.output_format),
            size: as_short_text(&raw.size),
            quality: as_short_text(&raw.quality),
            background: as_short_text(&raw.background),
        },
        revised_prompt,
        dropped,
        ..Answer::default()
    };
    for d in decoded {
        match d {
            Ok(item) => answer.items.push(item),
            Err(e) => answer.problems.push(e),
        }
    }
    if answer.items.is_empty() {
        return Err(answer.problems.into_iter().next().unwrap_or_else(|| ApiError::new(ErrorKind::NoImage)));
    }
    Ok(answer)
}

/// Maps `items` on scoped threads, at most as many at once as the machine has cores (and never
/// more than eight), keeping their order. An answer holds at most ten pictures, but a hostile
/// one could hold thousands of entries: this never starts thousands of threads.
pub fn parallel_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let width = std::thread::available_parallelism().map_or(2, std::num::NonZero::get).clamp(1, 8);
    let mut out = Vec::with_capacity(items.len());
    let mut items = items.into_iter().peekable();
    let f = &f;
    while items.peek().is_some() {
        let batch: Vec<T> = items.by_ref().take(width).collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = batch.into_iter().map(|item| s.spawn(move || f(item))).collect();
            for h in handles {
                match h.join() {
                    Ok(r) => out.push(r),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
    }
    out
}

fn unreadable_json(body: &[u8], e: &serde_json::Error) -> ApiError {
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).map(|i| body[i]);
    let reason = match start {
        None => Reason::AnswerEmpty,
        Some(b'<') => Reason::AnswerWebPage,
        _ if e.is_eof() => Reason::AnswerCutOff,
        _ => Reason::AnswerWrongFormat,
    };
    ApiError::new(ErrorKind::Unreadable).because(reason)
}

fn invalid_base64() -> ApiError {
    ApiError::new(ErrorKind::NoImage).because(Reason::PictureDamaged)
}

fn base64_or_data_uri(b: Cow<'_, str>) -> Found<'_> {
    match b.trim_start().strip_prefix("data:") {
        Some(rest) => Found::Base64(Cow::Owned(rest.split_once(',').map_or(rest, |(_, d)| d).to_string())),
        None => Found::Base64(b),
    }
}

fn url_or_data_uri(u: String) -> Found<'static> {
    let t = u.trim();
    match t.strip_prefix("data:") {
        Some(rest) => Found::Base64(Cow::Owned(rest.split_once(',').map_or(rest, |(_, d)| d).to_string())),
        None => Found::Url(t.to_string()),
    }
}

/// Finds pictures in chat text: Markdown image links and data URIs; bare http(s) links only when
/// the text has no Markdown image, so a link to a help page is not taken for a picture.
fn refs_in_text(text: &str) -> Vec<Found<'static>> {
    let markdown: Vec<String> = text
        .match_indices("![")
        .filter_map(|(i, _)| {
            let rest = &text[i..];
            let open = rest.find("](")?;
            let inner = &rest[open + 2..];
            let close = inner.find(')')?;
            Some(inner[..close].split_whitespace().next().unwrap_or("").to_string())
        })
        .filter(|u| u.starts_with("http://") || u.starts_with("https://") || u.starts_with('/'))
        .collect();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let is_end = |c: char| c.is_whitespace() || matches!(c, ')' | ']' | '"' | '\'' | '<' | '>' | '`');
    let markers: &[&str] = if markdown.is_empty() { &["data:image/", "https://", "http://"] } else { &["data:image/"] };
    for u in markdown {
        if seen.insert(u.clone()) {
            out.push(Found::Url(u));
        }
    }
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let next = markers.iter().filter_map(|m| rest.find(m).map(|p| (p, *m))).min_by_key(|(p, _)| *p);
        let Some((pos, marker)) = next else { break };
        let start = i + pos;
        let len = text[start..].find(is_end).unwrap_or(text.len() - start);
        let token = text[start..start + len].trim_end_matches(['.', ',', ';']);
        if marker == "data:image/" {
            if let Some((_, data)) = token.split_once(',') {
                out.push(Found::Base64(Cow::Owned(data.to_string())));
            }
        } else if seen.insert(token.to_string()) {
            out.push(Found::Url(token.to_string()));
        }
        i = start + len.max(marker.len());
    }
    out
}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 as relays send it: padded or not, standard or URL-safe, perhaps wrapped in lines.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, ApiError> {
    let t = text.trim();
    if let Ok(bytes) = LENIENT.decode(t) {
        return Ok(bytes);
    }
    // Slow path only for the rare wrapped or URL-safe payload.
    let compact: String = t.chars().filter(|c| !c.is_ascii_whitespace() && *c != '\\').collect();
    LENIENT.decode(&compact).or_else(|_| LENIENT_URL_SAFE.decode(&compact)).map_err(|_| invalid_base64())
}

/// The picture format from the bytes' magic number; `None` if it is not a picture Easel reads.
pub fn sniff_format(bytes: &[u8]) -> Option<OutputFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(OutputFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(OutputFormat::Jpeg)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(OutputFormat::Webp)
    } else {
        None
    }
}

/// A picture received and checked: its real format and pixel size from its own bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceivedImage {
    pub bytes: Vec<u8>,
    pub format: OutputFormat,
    pub width: u32,
    pub height: u32,
}

impl std::fmt::Debug for ReceivedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReceivedImage({} {}x{}, {} bytes)", self.format, self.width, self.height, self.bytes.len())
    }
}

impl ReceivedImage {
    /// Checks that `bytes` are a PNG, JPEG or WebP whose header can be read. Only the header is
    /// read here; full decoding is the library's job, after the file is safe on disk.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<ReceivedImage, ApiError> {
        let not_image = || ApiError::new(ErrorKind::NoImage).because(Reason::NotAPicture);
        let format = sniff_format(&bytes).ok_or_else(not_image)?;
        let image_format = match format {
            OutputFormat::Png => image::ImageFormat::Png,
            OutputFormat::Jpeg => image::ImageFormat::Jpeg,
            OutputFormat::Webp => image::ImageFormat::WebP,
        };
        let (width, height) = image::ImageReader::with_format(std::io::Cursor::new(&bytes), image_format)
            .into_dimensions()
            .map_err(|_| not_image())?;
        Ok(ReceivedImage { bytes, format, width, height })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
        0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF,
        0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    fn b64() -> String {
        STANDARD.encode(PNG_1X1)
    }

    fn bytes_of(a: &Answer) -> Vec<&[u8]> {
        a.items.iter().filter_map(|i| if let Item::Bytes(b) = i { Some(b.as_slice()) } else { None }).collect()
    }

    #[test]
    fn token_counts_are_bounded() {
        // Found by tests/fuzz.rs: counts at u64's end overflowed their sum.
        let usage = usage_from(
            &serde_json::json!({"input_tokens": 18446744073709551615u64, "output_tokens": "18446744073709551615"}),
        );
        let usage = usage.unwrap();
        // The total too is a count under the cap (Usage::plus, the one sum of counts).
        assert_eq!((usage.input_tokens, usage.total_tokens), (Some(MAX_TOKENS), Some(MAX_TOKENS)));
    }

    #[test]
    fn openai_shape_with_usage_and_echo() {
        let body = format!(
            r#"{{"created":1713833628,"data":[{{"b64_json":"{0}"}},{{"b64_json":"{0}"}}],
               "usage":{{"input_tokens":50,"output_tokens":4160,"total_tokens":4210,
               "input_tokens_details":{{"text_tokens":50,"image_tokens":0}}}},
               "output_format":"png","quality":"high","size":"1024x1024","background":"opaque"}}"#,
            b64()
        );
        let a = parse_answer(body.as_bytes(), 10).unwrap();
        assert_eq!(bytes_of(&a), vec![PNG_1X1, PNG_1X1]);
        let u = a.usage.unwrap();
        assert_eq!(
            (u.input_tokens, u.output_tokens, u.total_tokens, u.text_input_tokens),
            (Some(50), Some(4160), Some(4210), Some(50))
        );
        assert_eq!(a.echo.output_format.as_deref(), Some("png"));
        assert_eq!(a.echo.size.as_deref(), Some("1024x1024"));
    }

    #[test]
    fn data_prefix_and_escaped_slashes() {
        let escaped = b64().replace('/', "\\/");
        let body = format!(
            r#"{{"created":1,"data":[{{"b64_json":"data:image/png;base64,{}"}},{{"b64_json":"{escaped}"}}]}}"#,
            b64()
        );
        let a = parse_answer(body.as_bytes(), 10).unwrap();
        assert_eq!(bytes_of(&a), vec![PNG_1X1, PNG_1X1]);
        assert!(a.usage.is_none());
    }

    #[test]
    fn urls_and_mixed() {
        let body =
            format!(r#"{{"created":1,"data":[{{"url":"https://files.example/a.png"}},{{"b64_json":"{}"}}]}}"#, b64());
        let a = parse_answer(body.as_bytes(), 10).unwrap();
        assert_eq!(a.items[0], Item::Url("https://files.example/a.png".into()));
        assert_eq!(a.items[1], Item::Bytes(PNG_1X1.to_vec()));
    }

    #[test]
    fn chat_completion_shapes() {
        let content = format!(
            "Here you go:\n\n![image](https://cdn.example/x.png)\nSee https://help.example/faq. And data:image/png;base64,{}",
            b64()
        );
        let body = serde_json::json!({
            "object": "chat.completion", "created": 1,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 9, "completion_tokens": 1200, "total_tokens": 1209}
        });
        let a = parse_answer(body.to_string().as_bytes(), 10).unwrap();
        assert_eq!(
            a.items,
            vec![Item::Url("https://cdn.example/x.png".into()), Item::Bytes(PNG_1X1.to_vec())],
            "a help link beside a Markdown image is not a picture"
        );
        let u = a.usage.unwrap();
        assert_eq!((u.input_tokens, u.output_tokens, u.total_tokens), (Some(9), Some(1200), Some(1209)));

        let gateway = serde_json::json!({
            "choices": [{"message": {"content": "", "images": [{"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{}", b64())}}]}}]
        });
        assert_eq!(bytes_of(&parse_answer(gateway.to_string().as_bytes(), 10).unwrap()), vec![PNG_1X1]);

        let parts = serde_json::json!({
            "choices": [{"message": {"content": [{"type": "text", "text": "done"}, {"type": "image_url", "image_url": {"url": "https://cdn.example/z.png"}}]}}]
        });
        assert_eq!(
            parse_answer(parts.to_string().as_bytes(), 10).unwrap().items,
            vec![Item::Url("https://cdn.example/z.png".into())]
        );
    }

    #[test]
    fn bare_links_count_when_there_is_no_markdown_image() {
        let body = serde_json::json!({"choices": [{"message": {"content": "Done: https://cdn.example/y.webp."}}]});
        assert_eq!(
            parse_answer(body.to_string().as_bytes(), 10).unwrap().items,
            vec![Item::Url("https://cdn.example/y.webp".into())]
        );
    }

    #[test]
    fn odd_fields_do_not_cost_the_pictures() {
        let body = format!(
            r#"{{"data":[{{"b64_json":"{}","revised_prompt":{{"x":1}},"url":null}}],"usage":{{"prompt_tokens":9.0,"completion_tokens":"1200"}},
               "size":[1024,1024],"quality":7,"error":null}}"#,
            b64()
        );
        let a = parse_answer(body.as_bytes(), 10).unwrap();
        assert_eq!(bytes_of(&a), vec![PNG_1X1]);
        let u = a.usage.unwrap();
        assert_eq!((u.input_tokens, u.output_tokens), (Some(9), Some(1200)));
        assert_eq!(a.echo.size, None);
        assert_eq!(a.echo.quality.as_deref(), Some("7"));
        let with_empty_error = format!(r#"{{"data":[{{"b64_json":"{}"}}],"error":{{}}}}"#, b64());
        assert_eq!(bytes_of(&parse_answer(with_empty_error.as_bytes(), 10).unwrap()), vec![PNG_1X1]);
    }

    #[test]
    fn texts_taken_from_an_answer_are_cleaned_and_bounded() {
        let body = serde_json::json!({
            "data": [{"b64_json": b64(), "revised_prompt": format!("\u{1b}[2J{}", "long ".repeat(10_000))}],
            "size": format!("1024x1024\u{202e}{}", "x".repeat(500)),
        });
        let a = parse_answer(body.to_string().as_bytes(), 10).unwrap();
        let revised = a.revised_prompt.unwrap();
        assert_eq!(revised.chars().count(), MAX_REVISED_PROMPT_CHARS + 1, "cut, with “…”");
        assert!(!revised.contains('\u{1b}'));
        let size = a.echo.size.unwrap();
        assert!(size.starts_with("1024x1024x") && size.chars().count() <= 101, "{size}");
    }

    #[test]
    fn many_entries_do_not_start_many_threads() {
        let entries: Vec<String> = (0..200).map(|_| format!(r#"{{"b64_json":"{}"}}"#, b64())).collect();
        let body = format!(r#"{{"data":[{}]}}"#, entries.join(","));
        assert_eq!(parse_answer(body.as_bytes(), 200).unwrap().items.len(), 200);
    }

    #[test]
    fn pictures_beyond_those_asked_for_are_left_out_before_decoding() {
        // 20,000 entries, all but the first damaged: only the first is decoded, so none of the
        // damaged ones is even noticed.
        let mut entries = vec![format!(r#"{{"b64_json":"{}"}}"#, b64())];
        entries.extend((1..20_000).map(|_| r#"{"b64_json":"%%%"}"#.to_string()));
        let body = format!(r#"{{"data":[{}]}}"#, entries.join(","));
        let a = parse_answer(body.as_bytes(), 1).unwrap();
        assert_eq!((bytes_of(&a), a.problems.len(), a.dropped), (vec![PNG_1X1], 0, 19_999));
        let links = serde_json::json!({"data": [{"url": "https://a.example/1"}, {"url": "https://a.example/2"}]});
        let a = parse_answer(links.to_string().as_bytes(), 1).unwrap();
        assert_eq!((a.items, a.dropped), (vec![Item::Url("https://a.example/1".into())], 1));
    }

    #[test]
    fn chat_text_without_image_is_no_image() {
        let body = r#"{"object":"chat.completion","choices":[{"message":{"content":"Hello there, how may I assist you today?"}}]}"#;
        assert_eq!(parse_answer(body.as_bytes(), 10).unwrap_err().kind, ErrorKind::NoImage);
    }

    #[test]
    fn empty_and_broken_answers() {
        assert_eq!(parse_answer(br#"{"created":1,"data":[]}"#, 10).unwrap_err().kind, ErrorKind::NoImage);
        assert_eq!(parse_answer(br#"{"created":1}"#, 10).unwrap_err().kind, ErrorKind::NoImage);
        assert_eq!(parse_answer(br#"{"created":1,"data":null}"#, 10).unwrap_err().kind, ErrorKind::NoImage);
        let cut = parse_answer(br#"{"created":1,"data":[{"b64_json":"iVBORw0"#, 10).unwrap_err();
        assert_eq!(cut.kind, ErrorKind::Unreadable);
        assert!(cut.to_string().contains("cut off"), "{cut}");
        let html = parse_answer(b"<html><body>oops</body></html>", 10).unwrap_err();
        assert!(html.to_string().contains("web page"), "{html}");
        assert_eq!(parse_answer(b"", 10).unwrap_err().kind, ErrorKind::Unreadable);
    }

    #[test]
    fn invalid_base64_is_reported_but_good_pictures_survive() {
        let body = format!(r#"{{"data":[{{"b64_json":"%%%not base64%%%"}},{{"b64_json":"{}"}}]}}"#, b64());
        let a = parse_answer(body.as_bytes(), 10).unwrap();
        assert_eq!(bytes_of(&a), vec![PNG_1X1]);
        assert_eq!(a.problems.len(), 1);
        let only_bad = parse_answer(br#"{"data":[{"b64_json":"%%%"}]}"#, 10).unwrap_err();
        assert_eq!(only_bad.kind, ErrorKind::NoImage);
        assert!(only_bad.to_string().contains("damaged"));
    }

    #[test]
    fn error_object_in_a_200() {
        let e = parse_answer(
            br#"{"error":{"message":"Your request was rejected by the safety system","code":"moderation_blocked"}}"#,
            10,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Moderation);
    }

    #[test]
    fn base64_variants() {
        let plain = b64();
        let unpadded = plain.trim_end_matches('=').to_string();
        let wrapped: String = plain
            .chars()
            .collect::<Vec<_>>()
            .chunks(10)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        for v in [plain, unpadded, wrapped] {
            assert_eq!(decode_base64(&v).unwrap(), PNG_1X1);
        }
    }

    #[test]
    fn sniffing_reads_the_bytes_not_the_label() {
        assert_eq!(sniff_format(PNG_1X1), Some(OutputFormat::Png));
        assert_eq!(sniff_format(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(OutputFormat::Jpeg));
        assert_eq!(sniff_format(b"RIFF\0\0\0\0WEBPVP8 "), Some(OutputFormat::Webp));
        assert_eq!(sniff_format(b"GIF89a"), None);
        assert_eq!(sniff_format(b"<html>"), None);
        let img = ReceivedImage::from_bytes(PNG_1X1.to_vec()).unwrap();
        assert_eq!((img.format, img.width, img.height), (OutputFormat::Png, 1, 1));
        assert_eq!(ReceivedImage::from_bytes(b"hello world".to_vec()).unwrap_err().kind, ErrorKind::NoImage);
        assert!(ReceivedImage::from_bytes(PNG_1X1[..12].to_vec()).is_err(), "a PNG cut inside its header");
    }
}
