//! Streamed answers: server-sent events read as they arrive, their previews and final pictures.
//!
//! The parser is hand-written rather than taken from a crate. `eventsource-stream` (the usual
//! choice, last released in 2022) keeps an event's data in a `String` without any bound and runs
//! its parser over the whole unfinished buffer again on every chunk, so one 4 MB `data:` line
//! arriving in small chunks costs quadratic time, and a relay's endless line costs all memory;
//! `sse-stream` has no bound either. Easel needs little of the format (`event:`, `data:`,
//! comments, three kinds of line end), and needs it bounded: [`SseParser`] looks at each byte
//! once and holds at most one event, of at most the client's answer-size cap.
//!
//! [`interpret`] reads one event's JSON (off the async executor: a final picture is megabytes
//! of base64), and [`Collector`] puts the pictures of a request together in order, whichever
//! way a relay tells them apart.

use super::error::{ApiError, ErrorKind, Reason, classify_status};
use super::response::{
    Answer, Echo, Item, ReceivedImage, Usage, as_revised_prompt, as_short_text, decode_base64, usage_from,
};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;

/// One server-sent event: its type (`event:`), if it has one, and its data lines joined by `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: Vec<u8>,
}

/// An event grew past the limit the parser was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// An incremental parser of server-sent events (the WHATWG `text/event-stream` format): feed it
/// the chunks as they come with [`push`](Self::push), in any sizes, and it hands back each event
/// as its blank line arrives. Lines end in LF, CRLF or CR, even when a CRLF is split between
/// chunks; comment lines (`: …`), `id:`, `retry:` and unknown fields are skipped.
#[derive(Debug)]
pub struct SseParser {
    /// The line being read, without its end.
    line: Vec<u8>,
    event: Option<String>,
    data: Vec<u8>,
    has_data: bool,
    /// The last chunk ended in CR: an LF first thing in the next one ends nothing more.
    after_cr: bool,
    /// The most bytes one event (its unfinished line and its data so far) may hold.
    limit: usize,
    /// Past the byte-order mark a stream may open with (or sure it has none).
    started: bool,
    /// How many bytes of that mark have come so far.
    bom_matched: usize,
}

/// UTF-8's byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl SseParser {
    /// A parser that refuses an event larger than `limit` bytes.
    pub fn new(limit: usize) -> SseParser {
        SseParser {
            line: Vec::new(),
            event: None,
            data: Vec::new(),
            has_data: false,
            after_cr: false,
            limit,
            started: false,
            bom_matched: 0,
        }
    }

    /// Reads `chunk`, appending every event it completes to `out`.
    pub fn push(&mut self, mut chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), TooLarge> {
        if !self.started {
            // A byte-order mark may open the stream (the format allows one), in pieces too.
            let mut matched = self.bom_matched;
            while matched < BOM.len() && chunk.first() == Some(&BOM[matched]) {
                matched += 1;
                chunk = &chunk[1..];
            }
            if matched < BOM.len() && chunk.is_empty() {
                self.bom_matched = matched;
                return Ok(());
            }
            self.started = true;
            if matched < BOM.len() {
                // Not a mark after all: those bytes were the stream's.
                self.read(&BOM[..matched], out)?;
            }
        }
        self.read(chunk, out)
    }

    fn read(&mut self, mut chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), TooLarge> {
        while !chunk.is_empty() {
            if std::mem::take(&mut self.after_cr) && chunk[0] == b'\n' {
                chunk = &chunk[1..];
                continue;
            }
            match chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
                None => {
                    self.extend_line(chunk)?;
                    break;
                }
                Some(at) => {
                    self.extend_line(&chunk[..at])?;
                    self.after_cr = chunk[at] == b'\r';
                    chunk = &chunk[at + 1..];
                    self.end_line(out);
                }
            }
        }
        Ok(())
    }

    /// At the end of the stream: the event still being read, if it has data. The format says to
    /// drop it; a relay that leaves out the last blank line still sent a whole event, and a cut
    /// one is caught when its JSON does not read.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let mut out = Vec::new();
        if !self.line.is_empty() {
            self.end_line(&mut out);
        }
        self.dispatch(&mut out);
        out.pop()
    }

    fn extend_line(&mut self, bytes: &[u8]) -> Result<(), TooLarge> {
        if self.line.len() + self.data.len() + bytes.len() > self.limit {
            return Err(TooLarge);
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn end_line(&mut self, out: &mut Vec<SseEvent>) {
        let mut line = std::mem::take(&mut self.line);
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line[0] == b':' {
            // A comment: relays send them to keep the connection alive.
            return;
        }
        let (name_end, value_start) = match line.iter().position(|&b| b == b':') {
            Some(c) => (c, c + 1 + usize::from(line.get(c + 1) == Some(&b' '))),
            None => (line.len(), line.len()),
        };
        match &line[..name_end] {
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                    self.data.extend_from_slice(&line[value_start..]);
                } else {
                    // The usual event has one data line of megabytes: it becomes the data
                    // without a copy of it being made.
                    line.drain(..value_start);
                    self.data = line;
                    self.has_data = true;
                }
            }
            b"event" => self.event = Some(String::from_utf8_lossy(&line[value_start..]).trim().to_string()),
            // `id`, `retry` and fields the format does not know are not needed.
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        let event = self.event.take();
        if std::mem::take(&mut self.has_data) {
            out.push(SseEvent { event, data: std::mem::take(&mut self.data) });
        }
    }
}

/// What one event says, read from its JSON. Few are made (one per event), so their sizes do not
/// matter.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Update {
    /// A preview of picture `picture` (when the relay says which), the `step`th (0-based, when
    /// it says).
    Preview { picture: Option<usize>, step: Option<u32>, image: ReceivedImage },
    /// A picture is finished: its bytes (or link), and what came with it.
    Final {
        picture: Option<usize>,
        item: Result<Item, ApiError>,
        usage: Option<Usage>,
        echo: Echo,
        revised: Option<String>,
    },
    /// The service reported a failure.
    Failed(ApiError),
    /// `data: [DONE]`: nothing more will come.
    Done,
    /// Anything else (an unknown type, a preview that is not a picture).
    Ignored,
}

#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(default, rename = "type")]
    kind: Option<Value>,
    #[serde(borrow, default)]
    b64_json: Option<Cow<'a, str>>,
    #[serde(default)]
    url: Option<Value>,
    #[serde(default)]
    partial_image_index: Option<Value>,
    #[serde(default)]
    image_index: Option<Value>,
    #[serde(default)]
    output_index: Option<Value>,
    #[serde(default)]
    index: Option<Value>,
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
    revised_prompt: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

fn small_number(v: Option<&Value>) -> Option<u32> {
    v.and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok())
}

/// Reads one event. Blocking for a picture's event: it decodes megabytes of base64 and reads
/// the picture's header.
pub fn interpret(event: &SseEvent) -> Update {
    let data = trim_ascii(&event.data);
    if data == b"[DONE]" {
        return Update::Done;
    }
    let Ok(raw) = serde_json::from_slice::<RawEvent<'_>>(data) else {
        // An event that is not JSON: a keep-alive's words, or a final event cut in the middle,
        // which the collector then reports as a picture that never finished.
        return Update::Ignored;
    };
    let kind = raw.kind.as_ref().and_then(Value::as_str).map(str::to_lowercase);
    let kind = kind.or_else(|| event.event.as_ref().map(|e| e.to_lowercase())).unwrap_or_default();
    let has_error = matches!(&raw.error, Some(Value::Object(o)) if !o.is_empty())
        || matches!(&raw.error, Some(Value::String(s)) if !s.is_empty());
    if kind == "error" || kind.ends_with(".error") || kind.ends_with(".failed") || has_error {
        return Update::Failed(error_event(data));
    }
    let picture = small_number(raw.image_index.as_ref())
        .or_else(|| small_number(raw.output_index.as_ref()))
        .or_else(|| small_number(raw.index.as_ref()))
        .map(|i| i as usize);
    let step = small_number(raw.partial_image_index.as_ref());
    let is_preview = kind.ends_with("partial_image") || (kind.is_empty() && step.is_some());
    let is_final = kind.ends_with("completed") || kind.ends_with(".done") || (kind.is_empty() && !is_preview);
    let b64 = raw.b64_json.as_deref().filter(|b| !b.trim().is_empty());
    if is_preview {
        let image = b64
            .ok_or(())
            .and_then(|b| decode(b).map_err(drop))
            .and_then(|b| ReceivedImage::from_bytes(b).map_err(drop));
        return match image {
            Ok(image) => Update::Preview { picture, step, image },
            // A damaged preview costs nothing: the final picture is what is kept.
            Err(()) => Update::Ignored,
        };
    }
    if !is_final {
        return Update::Ignored;
    }
    let item = match (b64, raw.url.as_ref().and_then(Value::as_str)) {
        (Some(b), _) => decode(b).map(Item::Bytes),
        (None, Some(u)) if !u.trim().is_empty() => Ok(Item::Url(u.trim().to_string())),
        // A `completed` without a picture: ignored when it is only an echo of the settings.
        _ if kind.ends_with("completed") => Err(ApiError::new(ErrorKind::NoImage).because(Reason::NoPictureInAnswer)),
        _ => return Update::Ignored,
    };
    Update::Final {
        picture,
        item,
        usage: raw.usage.as_ref().and_then(usage_from),
        echo: Echo {
            output_format: as_short_text(&raw.output_format),
            size: as_short_text(&raw.size),
            quality: as_short_text(&raw.quality),
            background: as_short_text(&raw.background),
        },
        revised: as_revised_prompt(&raw.revised_prompt),
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// Base64 as relays send it, with or without a `data:…;base64,` prefix.
fn decode(text: &str) -> Result<Vec<u8>, ApiError> {
    let t = text.trim_start();
    match t.strip_prefix("data:") {
        Some(rest) => decode_base64(rest.split_once(',').map_or(rest, |(_, d)| d)),
        None => decode_base64(t),
    }
}

/// An `error` event, worded as any error answer is (the service's words cleaned, never its
/// JSON). It came after the request was taken in, so the work may be billed.
fn error_event(data: &[u8]) -> ApiError {
    let mut e = classify_status(200, data, None);
    e.status = None;
    if matches!(e.kind, ErrorKind::Unreadable | ErrorKind::NoImage) {
        e.kind = ErrorKind::Server;
    }
    e.maybe_billed = e.kind != ErrorKind::Moderation;
    e
}

/// The error of a stream that stopped before every picture was finished.
pub fn cut() -> ApiError {
    let mut e = ApiError::new(ErrorKind::StreamCut);
    e.maybe_billed = true;
    e
}

/// What to do after an event.
#[derive(Debug)]
pub enum Step {
    /// Keep reading.
    Continue,
    /// Report this preview: picture `picture` (0-based), `step` (1-based) of `of`.
    Preview { picture: usize, step: u8, of: u8, image: ReceivedImage },
    /// The stream ended, or failed with the error.
    Stop(Option<ApiError>),
}

/// Puts a request's pictures together from its events: each final picture in its place (by the
/// index the relay gives, else in the order they come), each preview told as which picture's
/// which step. Without an index, a preview belongs to the first picture not yet finished.
#[derive(Debug)]
pub struct Collector {
    finals: Vec<Option<Result<Item, ApiError>>>,
    steps: Vec<u8>,
    of: u8,
    usage: Option<Usage>,
    echo: Echo,
    revised: Option<String>,
    dropped: usize,
}

impl Collector {
    /// For `n` pictures with `of` previews each.
    pub fn new(n: u8, of: u8) -> Collector {
        let n = usize::from(n.max(1));
        Collector {
            finals: (0..n).map(|_| None).collect(),
            steps: vec![0; n],
            of,
            usage: None,
            echo: Echo::default(),
            revised: None,
            dropped: 0,
        }
    }

    /// Whether every picture asked for is finished.
    pub fn complete(&self) -> bool {
        self.finals.iter().all(Option::is_some)
    }

    fn first_unfinished(&self) -> Option<usize> {
        self.finals.iter().position(Option::is_none)
    }

    /// Takes in one event's update.
    pub fn take(&mut self, update: Update) -> Step {
        match update {
            Update::Preview { picture, step, image } => {
                let picture = match picture {
                    Some(p) if p < self.finals.len() => p,
                    Some(_) => return Step::Continue,
                    None => match self.first_unfinished() {
                        Some(p) => p,
                        None => return Step::Continue,
                    },
                };
                let step = step.map_or(self.steps[picture].saturating_add(1), |s| {
                    u8::try_from(s.saturating_add(1)).unwrap_or(u8::MAX)
                });
                // Only the previews asked for, each once and in order: a relay's hundred
                // thousand, or the same one again, are not each told.
                if step > self.of || step <= self.steps[picture] {
                    return Step::Continue;
                }
                self.steps[picture] = step;
                Step::Preview { picture, step, of: self.of, image }
            }
            Update::Final { picture, item, usage, echo, revised } => {
                let slot = picture.filter(|p| self.finals.get(*p).is_some_and(Option::is_none));
                let Some(slot) = slot.or_else(|| self.first_unfinished()) else {
                    self.dropped += 1;
                    return Step::Continue;
                };
                self.finals[slot] = Some(item);
                // Each picture's event counts its own tokens.
                self.usage = add_usage(self.usage, usage);
                self.echo = Echo {
                    output_format: self.echo.output_format.take().or(echo.output_format),
                    size: self.echo.size.take().or(echo.size),
                    quality: self.echo.quality.take().or(echo.quality),
                    background: self.echo.background.take().or(echo.background),
                };
                self.revised = self.revised.take().or(revised);
                Step::Continue
            }
            Update::Failed(e) => Step::Stop(Some(e)),
            Update::Done => Step::Stop(None),
            Update::Ignored => Step::Continue,
        }
    }

    /// The pictures that arrived, as an answer, and why the stream stopped early when it did
    /// (`ended`, else [`cut`]). With no picture at all, that reason is the error.
    pub fn finish(self, ended: Option<ApiError>) -> Result<(Answer, Option<ApiError>), ApiError> {
        let interrupted = (!self.complete()).then(|| ended.unwrap_or_else(cut));
        let mut answer = Answer {
            usage: self.usage,
            echo: self.echo,
            revised_prompt: self.revised,
            dropped: self.dropped,
            ..Answer::default()
        };
        for r in self.finals.into_iter().flatten() {
            match r {
                Ok(item) => answer.items.push(item),
                Err(e) => answer.problems.push(e),
            }
        }
        if answer.items.is_empty() {
            return Err(interrupted.or_else(|| answer.problems.into_iter().next()).unwrap_or_else(cut));
        }
        Ok((answer, interrupted))
    }
}

fn add_usage(a: Option<Usage>, b: Option<Usage>) -> Option<Usage> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.plus(b)),
        (a, b) => a.or(b),
    }
}

/// Whether a body that was not sent as an event stream is one all the same (a relay that
/// streams under another content type): it starts with an SSE field or comment.
pub fn looks_like_events(body: &[u8]) -> bool {
    let t = trim_ascii(body);
    [&b"event:"[..], b"data:", b":"].iter().any(|p| t.starts_with(p))
}

/// Reads a whole body of events at once, for an event stream that arrived under another content
/// type; previews are handed to `preview`.
pub fn collect_all(
    body: &[u8],
    n: u8,
    of: u8,
    limit: usize,
    preview: &mut dyn FnMut(usize, u8, u8, ReceivedImage),
) -> Result<(Answer, Option<ApiError>), ApiError> {
    let mut parser = SseParser::new(limit);
    let mut events = Vec::new();
    let too_large = || ApiError::new(ErrorKind::Unreadable).because(Reason::AnswerTooLarge);
    parser.push(body, &mut events).map_err(|_| too_large())?;
    events.extend(parser.finish());
    let mut collector = Collector::new(n, of);
    let mut ended = None;
    for event in &events {
        match collector.take(interpret(event)) {
            Step::Continue => {}
            Step::Preview { picture, step, of, image } => preview(picture, step, of, image),
            Step::Stop(e) => {
                ended = e;
                break;
            }
        }
        if collector.complete() {
            break;
        }
    }
    collector.finish(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_in(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut p = SseParser::new(1 << 20);
        let mut out = Vec::new();
        for c in chunks {
            p.push(c, &mut out).unwrap();
        }
        out.extend(p.finish());
        out
    }

    fn ev(event: Option<&str>, data: &str) -> SseEvent {
        SseEvent { event: event.map(str::to_string), data: data.as_bytes().to_vec() }
    }

    #[test]
    fn a_byte_order_mark_in_pieces_is_still_one() {
        // Found by tests/fuzz.rs: a mark split between two reads was taken as the first field's name.
        let whole = parse_in(&[b"\xEF\xBB\xBFdata: a\n\n"]);
        assert_eq!(whole, [ev(None, "a")]);
        assert_eq!(parse_in(&[b"\xEF", b"\xBB", b"\xBFdata: a\n\n"]), whole);
        assert_eq!(parse_in(&[b"\xEF\xBB", b"", b"\xBFda", b"ta: a\n\n"]), whole);
        // Bytes that begin like the mark and are not it stay the stream's.
        assert_eq!(parse_in(&[b"\xEF", b"data: a\n\n"]), parse_in(&[b"\xEFdata: a\n\n"]));
    }

    const SMALL: &[u8] = b": keep-alive\r\nevent: image_generation.partial_image\r\ndata: {\"a\":1}\r\n\r\n\
event: x\ndata: line one\ndata:line two\nid: 7\nretry: 10\n\n:comment\rdata: cr only\r\rdata: [DONE]\n\n";

    fn small_expected() -> Vec<SseEvent> {
        vec![
            ev(Some("image_generation.partial_image"), "{\"a\":1}"),
            ev(Some("x"), "line one\nline two"),
            ev(None, "cr only"),
            ev(None, "[DONE]"),
        ]
    }

    #[test]
    fn every_split_point_gives_the_same_events() {
        assert_eq!(parse_in(&[SMALL]), small_expected());
        for at in 0..=SMALL.len() {
            assert_eq!(parse_in(&[&SMALL[..at], &SMALL[at..]]), small_expected(), "split at {at}");
        }
        for a in 0..=SMALL.len() {
            for b in a..=SMALL.len() {
                let got = parse_in(&[&SMALL[..a], &SMALL[a..b], &SMALL[b..]]);
                assert_eq!(got, small_expected(), "split at {a} and {b}");
            }
        }
        let bytes: Vec<&[u8]> = SMALL.chunks(1).collect();
        assert_eq!(parse_in(&bytes), small_expected(), "a byte at a time");
    }

    #[test]
    fn an_event_without_its_blank_line_is_read_at_the_end() {
        assert_eq!(parse_in(&[b"data: {\"x\":2}"]), vec![ev(None, "{\"x\":2}")]);
        assert_eq!(parse_in(&[b"data: {\"x\":2}\n"]), vec![ev(None, "{\"x\":2}")]);
        assert!(parse_in(&[b"event: only a name\n\n: and a comment\n"]).is_empty(), "no data, no event");
        assert_eq!(parse_in(&[b"\xEF\xBB\xBFdata: a\n\n"]), vec![ev(None, "a")], "a byte-order mark");
    }

    #[test]
    fn a_line_of_megabytes_in_chunks_of_any_size() {
        let payload: String = (0..3 * 1024 * 1024).map(|i| char::from(b'A' + (i % 26) as u8)).collect();
        let stream = format!("event: image_generation.completed\r\ndata: {payload}\r\n\r\n");
        for size in [1usize, 7, 4096, 65_536] {
            let mut p = SseParser::new(8 << 20);
            let mut out = Vec::new();
            let bytes = stream.as_bytes();
            if size == 1 {
                // A byte at a time is slow only in a debug build's loop; a few hundred kB show it.
                let part = &bytes[..300_000];
                for b in part.chunks(1) {
                    p.push(b, &mut out).unwrap();
                }
                p.push(&bytes[300_000..], &mut out).unwrap();
            } else {
                for c in bytes.chunks(size) {
                    p.push(c, &mut out).unwrap();
                }
            }
            assert_eq!(out.len(), 1, "{size}");
            assert_eq!(out[0].data.len(), payload.len(), "{size}");
            assert!(out[0].data == payload.as_bytes(), "{size}");
        }
    }

    #[test]
    fn an_event_larger_than_the_limit_is_refused() {
        let mut p = SseParser::new(1000);
        let mut out = Vec::new();
        p.push(b"data: ", &mut out).unwrap();
        let long = vec![b'x'; 600];
        p.push(&long, &mut out).unwrap();
        assert_eq!(p.push(&long, &mut out), Err(TooLarge), "one line");
        let mut p = SseParser::new(1000);
        let mut lines = Vec::new();
        for _ in 0..3 {
            lines.extend_from_slice(b"data: ");
            lines.extend_from_slice(&long[..400]);
            lines.push(b'\n');
        }
        assert_eq!(p.push(&lines, &mut out), Err(TooLarge), "several data lines of one event");
        let mut p = SseParser::new(1000);
        for _ in 0..10 {
            p.push(b"data: ", &mut out).unwrap();
            p.push(&long[..500], &mut out).unwrap();
            p.push(b"\n\n", &mut out).unwrap();
        }
        assert_eq!(out.len(), 10, "the limit is per event, not per stream");
    }

    fn png() -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbaImage::new(3, 2).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    fn b64(bytes: &[u8]) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn events_are_read_by_their_type() {
        let pic = b64(&png());
        let partial = format!(
            r#"{{"type":"image_generation.partial_image","b64_json":"{pic}","partial_image_index":1,"size":"3x2"}}"#
        );
        match interpret(&ev(None, &partial)) {
            Update::Preview { picture: None, step: Some(1), image } => assert_eq!((image.width, image.height), (3, 2)),
            other => panic!("{other:?}"),
        }
        // The type may come only as the event's name, and the picture as a data URI.
        let done =
            format!(r#"{{"b64_json":"data:image/png;base64,{pic}","usage":{{"output_tokens":10}},"image_index":1}}"#);
        match interpret(&ev(Some("image_edit.completed"), &done)) {
            Update::Final { picture: Some(1), item: Ok(Item::Bytes(b)), usage, .. } => {
                assert_eq!(b, png());
                assert_eq!(usage.unwrap().output_tokens, Some(10));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(interpret(&ev(None, " [DONE] ")), Update::Done));
        assert!(matches!(interpret(&ev(Some("ping"), "{}")), Update::Ignored));
        assert!(matches!(interpret(&ev(None, "not json")), Update::Ignored));
        let damaged = r#"{"type":"image_generation.partial_image","b64_json":"!!!!","partial_image_index":0}"#;
        assert!(matches!(interpret(&ev(None, damaged)), Update::Ignored), "a damaged preview is skipped");
    }

    #[test]
    fn an_error_event_is_worded_never_raw() {
        let data = "{\"type\":\"error\",\"error\":{\"message\":\"The upstream \\u001b[31mfailed\\u001b[0m {\\\"x\\\":1} (request id: abc)\",\"code\":\"server_error\"}}";
        let Update::Failed(e) = interpret(&ev(Some("error"), data)) else { panic!() };
        assert_eq!(e.kind, ErrorKind::Server);
        assert!(e.maybe_billed);
        assert_eq!(e.request_id.as_deref(), Some("abc"));
        let shown = crate::i18n::with(crate::i18n::Lang::En, || e.to_string());
        assert!(!shown.contains('\u{1b}') && !shown.contains('{') && !shown.contains("server_error"), "{shown}");
        assert!(shown.contains("The upstream"), "{shown}");
        let moderation =
            r#"{"type":"error","error":{"message":"Rejected by the safety system","code":"moderation_blocked"}}"#;
        let Update::Failed(m) = interpret(&ev(None, moderation)) else { panic!() };
        assert_eq!(m.kind, ErrorKind::Moderation);
    }

    fn preview(picture: Option<usize>, step: Option<u32>) -> Update {
        Update::Preview { picture, step, image: ReceivedImage::from_bytes(png()).unwrap() }
    }

    fn last(picture: Option<usize>, byte: u8) -> Update {
        Update::Final { picture, item: Ok(Item::Bytes(vec![byte])), usage: None, echo: Echo::default(), revised: None }
    }

    fn said(step: Step) -> (usize, u8, u8) {
        match step {
            Step::Preview { picture, step, of, .. } => (picture, step, of),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pictures_are_told_apart_with_an_index_or_without() {
        let mut c = Collector::new(2, 2);
        assert_eq!(said(c.take(preview(Some(1), Some(0)))), (1, 1, 2));
        assert_eq!(said(c.take(preview(Some(0), Some(0)))), (0, 1, 2));
        assert_eq!(said(c.take(preview(Some(0), Some(1)))), (0, 2, 2));
        c.take(last(Some(1), 2));
        assert!(!c.complete());
        c.take(last(Some(0), 1));
        assert!(c.complete());
        let (answer, cut) = c.finish(None).unwrap();
        assert_eq!(answer.items, [Item::Bytes(vec![1]), Item::Bytes(vec![2])], "in the pictures' order");
        assert!(cut.is_none());

        let mut c = Collector::new(2, 3);
        assert_eq!(said(c.take(preview(None, None))), (0, 1, 3));
        assert_eq!(said(c.take(preview(None, None))), (0, 2, 3));
        c.take(last(None, 1));
        assert_eq!(said(c.take(preview(None, Some(0)))), (1, 1, 3), "after the first is done, the second");
        c.take(last(None, 2));
        c.take(last(None, 3));
        let (answer, _) = c.finish(None).unwrap();
        assert_eq!(answer.items.len(), 2);
        assert_eq!(answer.dropped, 1, "a picture more than asked for is left out");
    }

    #[test]
    fn a_stream_that_stops_early_keeps_what_was_finished() {
        let mut c = Collector::new(2, 1);
        c.take(last(None, 1));
        let (answer, cut) = c.finish(None).unwrap();
        assert_eq!(answer.items, [Item::Bytes(vec![1])]);
        let cut = cut.unwrap();
        assert_eq!(cut.kind, ErrorKind::StreamCut);
        let shown = crate::i18n::with(crate::i18n::Lang::En, || cut.to_string());
        assert!(shown.starts_with("The connection closed before the picture was finished."), "{shown}");
        assert!(shown.contains("may still have been charged"), "{shown}");

        let mut nothing = Collector::new(1, 3);
        assert!(matches!(nothing.take(preview(None, Some(0))), Step::Preview { .. }));
        assert_eq!(nothing.finish(None).unwrap_err().kind, ErrorKind::StreamCut, "a preview is not a picture");
        let failed = Collector::new(1, 1).finish(Some(ApiError::new(ErrorKind::Server))).unwrap_err();
        assert_eq!(failed.kind, ErrorKind::Server, "the error event's own reason");
    }

    #[test]
    fn a_whole_body_of_events_is_read_too() {
        let pic = b64(&png());
        let body = format!(
            "event: image_generation.partial_image\ndata: {{\"b64_json\":\"{pic}\",\"partial_image_index\":0}}\n\n\
             event: image_generation.completed\ndata: {{\"b64_json\":\"{pic}\"}}\n\n"
        );
        assert!(looks_like_events(body.as_bytes()));
        assert!(!looks_like_events(b"{\"data\":[]}"));
        let mut seen = Vec::new();
        let (answer, cut) =
            collect_all(body.as_bytes(), 1, 1, 1 << 20, &mut |p, s, o, _| seen.push((p, s, o))).unwrap();
        assert_eq!((answer.items.len(), cut.is_none(), seen), (1, true, vec![(0, 1, 1)]));
    }
}
