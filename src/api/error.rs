//! One error type for everything that can go wrong between Easel and the endpoint, classified
//! the way a user needs it: what happened, and what to do next.
//!
//! What a user reads comes from [`ApiError`]'s `Display`; it never carries JSON, a parser's
//! wording or the key (the client redacts the key from anything the endpoint echoes). An error
//! holds data only, its [`Reason`] included, and is worded when shown, so it follows the
//! language in use then.

use crate::i18n::Lang;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

mod reason;
mod remedy;
// The tables are read only by the test of the translations; an unused text still warns there.
#[cfg_attr(not(test), allow(dead_code))]
mod words;

pub use reason::Reason;
pub use remedy::Remedy;

/// What kind of failure, in the terms a user acts on (docs/API.md's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The safety system refused the prompt.
    Moderation,
    /// Out of credit, or a spending limit reached.
    Quota,
    /// Wrong, revoked or missing key.
    Key,
    /// The account may not use this (region, unverified organisation, relay quota group).
    Account,
    /// Too many requests for now.
    RateLimit,
    /// A setting the endpoint does not accept.
    BadSetting,
    /// Nothing answers at that address (404/405): the base URL is probably wrong.
    WrongAddress,
    /// The endpoint answers, but not to picture changes (404/405 on `images/edits`).
    NoEdits,
    /// The endpoint or a gateway in front of it failed.
    Server,
    /// No connection could be made, or it broke.
    Network,
    /// No answer within the time allowed.
    Timeout,
    /// An answer came, but it could not be understood.
    Unreadable,
    /// The answer held no picture, or bytes that are not a picture.
    NoImage,
    /// The base URL or an image URL is not allowed (plain http to another machine, redirect elsewhere).
    Insecure,
    /// The user cancelled.
    Cancelled,
    /// A gateway in front of the service gave up waiting for a slow answer (504, Cloudflare's
    /// 524): the picture may still have been made and billed. Never repeated by itself;
    /// streamed previews, which keep the connection alive, are the fix.
    GatewayGaveUp,
    /// A streamed answer stopped before a picture's final event: the picture may still be
    /// billed. Pictures finished before it are kept.
    StreamCut,
}

impl ErrorKind {
    /// A short title for the failure, as a tile or a terminal line shows it, in the language
    /// in use. No closing punctuation: a progress line puts it before its own words.
    pub fn title(self) -> &'static str {
        match self {
            ErrorKind::Moderation => words::TITLE_MODERATION(),
            ErrorKind::Quota => words::TITLE_QUOTA(),
            ErrorKind::Key => words::TITLE_KEY(),
            ErrorKind::Account => words::TITLE_ACCOUNT(),
            ErrorKind::RateLimit => words::TITLE_RATE_LIMIT(),
            ErrorKind::BadSetting => words::TITLE_BAD_SETTING(),
            ErrorKind::WrongAddress => words::TITLE_WRONG_ADDRESS(),
            ErrorKind::NoEdits => words::TITLE_NO_EDITS(),
            ErrorKind::Server => words::TITLE_SERVER(),
            ErrorKind::Network => words::TITLE_NETWORK(),
            ErrorKind::Timeout => words::TITLE_TIMEOUT(),
            ErrorKind::Unreadable => words::TITLE_UNREADABLE(),
            ErrorKind::NoImage => words::TITLE_NO_IMAGE(),
            ErrorKind::Insecure => words::TITLE_INSECURE(),
            ErrorKind::Cancelled => words::TITLE_CANCELLED(),
            ErrorKind::GatewayGaveUp => words::TITLE_GATEWAY_GAVE_UP(),
            ErrorKind::StreamCut => words::TITLE_STREAM_CUT(),
        }
    }

    /// What the user can do about it, in the language in use.
    pub fn advice(self) -> &'static str {
        // The terminal's advice names its commands and options, the window's its buttons.
        let terminal = crate::i18n::in_terminal();
        match self {
            ErrorKind::Moderation => words::ADVICE_MODERATION(),
            ErrorKind::Quota => words::ADVICE_QUOTA(),
            ErrorKind::Key if terminal => words::ADVICE_KEY_TERMINAL(),
            ErrorKind::Key => words::ADVICE_KEY(),
            ErrorKind::Account => words::ADVICE_ACCOUNT(),
            ErrorKind::RateLimit => words::ADVICE_RATE_LIMIT(),
            ErrorKind::BadSetting => words::ADVICE_BAD_SETTING(),
            ErrorKind::WrongAddress => words::ADVICE_WRONG_ADDRESS(),
            ErrorKind::NoEdits if terminal => words::ADVICE_NO_EDITS_TERMINAL(),
            ErrorKind::NoEdits => words::ADVICE_NO_EDITS(),
            ErrorKind::Server => words::ADVICE_SERVER(),
            ErrorKind::Network => words::ADVICE_NETWORK(),
            ErrorKind::Timeout => words::ADVICE_TIMEOUT(),
            ErrorKind::Unreadable => words::ADVICE_UNREADABLE(),
            ErrorKind::NoImage => words::ADVICE_NO_IMAGE(),
            ErrorKind::Insecure => words::ADVICE_INSECURE(),
            ErrorKind::Cancelled => words::ADVICE_CANCELLED(),
            ErrorKind::GatewayGaveUp if terminal => words::ADVICE_GATEWAY_GAVE_UP_TERMINAL(),
            ErrorKind::GatewayGaveUp => words::ADVICE_GATEWAY_GAVE_UP(),
            ErrorKind::StreamCut => words::ADVICE_STREAM_CUT(),
        }
    }
}

/// An error from the image endpoint, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The classification that decides the message and whether to retry.
    pub kind: ErrorKind,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Easel's own explanation of what happened, worded when shown.
    pub reason: Option<Reason>,
    /// The endpoint's own short message, cleaned of request ids, the key, control characters
    /// and bidi controls ([`crate::outside`]); shown as a quote.
    pub detail: Option<String>,
    /// The endpoint's error code (`invalid_api_key`, `unknown_parameter`, …), lower case.
    pub code: Option<String>,
    /// The setting the endpoint named as refused.
    pub param: Option<String>,
    /// The relay's request id, for support.
    pub request_id: Option<String>,
    /// The request may have reached the endpoint and be billed even though no picture came back.
    pub maybe_billed: bool,
    /// How long the endpoint asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// How many requests went out before this failure was final (retries and fallbacks
    /// included); 0 when none was sent. More than one is said: each may have been charged.
    pub attempts: u32,
}

impl ApiError {
    /// An error of `kind` with nothing else known.
    pub fn new(kind: ErrorKind) -> Self {
        ApiError {
            kind,
            status: None,
            reason: None,
            detail: None,
            code: None,
            param: None,
            request_id: None,
            maybe_billed: false,
            retry_after: None,
            attempts: 0,
        }
    }

    /// The same error with Easel's explanation of it.
    pub fn because(mut self, reason: Reason) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Whether the client should try again by itself (never for anything that may be billed).
    pub fn is_retryable(&self) -> bool {
        !self.maybe_billed
            && matches!(self.kind, ErrorKind::RateLimit | ErrorKind::Server | ErrorKind::Network | ErrorKind::Timeout)
    }

    /// A short title for the failure, as a tile or a terminal line shows it, in the language
    /// in use. No closing punctuation: a progress line puts it before its own words.
    pub fn title(&self) -> &'static str {
        self.kind.title()
    }

    /// What the user can do about it, in the language in use. A rate limit's advice follows
    /// the wait the service asked for, so it never says "wait a minute" to a wait of days, and
    /// says the wait once, in its own sentence ("Try again in 12 seconds, …").
    pub fn advice(&self) -> std::borrow::Cow<'static, str> {
        match self.asked_wait() {
            Some(wait) if wait > LONG_WAIT => words::ADVICE_RATE_LIMIT_LONG_WAIT().into(),
            Some(wait) => words::try_again_in(&wait_words(wait)).into(),
            None => self.kind.advice().into(),
        }
    }

    /// The failure in one sentence, without the advice: a view shows it beside the
    /// [`remedy`](Self::remedy)'s button, and the whole message ([`Display`](fmt::Display))
    /// under "More info". A wait the service asked for and a possible charge are said here,
    /// since no button says them.
    pub fn sentence(&self) -> String {
        let gap = sentence_gap();
        let mut out = words::title_alone(self.title());
        match self.asked_wait() {
            Some(wait) if wait > LONG_WAIT => out = format!("{out}{gap}{}", words::ASKS_TO_WAIT_LONG()),
            Some(wait) => out = format!("{out}{gap}{}", words::try_again_in_short(&wait_words(wait))),
            None => {}
        }
        if self.maybe_billed {
            out = format!("{out}{gap}{}", words::MAYBE_CHARGED_SHORT());
        }
        out
    }

    /// The same failure `waited` after it happened: the wait the service asked for counts down
    /// (a view shows "Try again in 12 seconds" falling to nothing, and then offers to try again).
    pub fn waited(&self, waited: Duration) -> ApiError {
        // The last part of a second still counts as one: the wait is said until it is over.
        let left = |w: Duration| match w.saturating_sub(waited) {
            left if left.is_zero() || w < Duration::from_secs(1) => left,
            left => left.max(Duration::from_secs(1)),
        };
        ApiError { retry_after: self.retry_after.map(left), ..self.clone() }
    }

    /// The wait a rate limit asked for, when it asked for one worth saying.
    fn asked_wait(&self) -> Option<Duration> {
        self.retry_after.filter(|w| self.kind == ErrorKind::RateLimit && *w >= Duration::from_secs(1))
    }

    /// Whether the service's own words are quoted. A rate limit's are not: they are counters
    /// and waits ("IPM: Limit 5, Used 5, … try again in 12s") that the title and the one wait
    /// Easel says already tell, and would contradict it when `Retry-After` says otherwise.
    fn quotes_detail(&self) -> bool {
        self.kind != ErrorKind::RateLimit
    }
}

/// English sentences are separated by a space; Chinese ones, ending in “。”, by nothing.
fn sentence_gap() -> &'static str {
    match crate::i18n::current() {
        Lang::En => " ",
        Lang::ZhCn => "",
    }
}

/// A wait longer than this is told as "a long time", and the advice is to come back later.
const LONG_WAIT: Duration = Duration::from_secs(60 * 60);

/// The message is put together when it is shown, so all of it, the reason included, follows
/// the language in use at that moment.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gap = sentence_gap();
        match &self.reason {
            Some(r) => f.write_str(&words::title_and_reason(self.title(), &r.to_string()))?,
            None => f.write_str(&words::title_alone(self.title()))?,
        }
        if let Some(d) = self.detail.as_ref().filter(|_| self.quotes_detail()) {
            write!(f, "{gap}{}", words::service_said(d))?;
        }
        if self.asked_wait().is_some_and(|wait| wait > LONG_WAIT) {
            write!(f, "{gap}{}", words::ASKS_TO_WAIT_LONG())?;
        }
        if self.maybe_billed {
            write!(f, "{gap}{}", words::MAYBE_CHARGED())?;
        }
        if self.attempts > 1 {
            write!(f, "{gap}{}", words::sent_times(u64::from(self.attempts)))?;
        }
        write!(f, "{gap}{}", self.advice())?;
        if let Some(id) = &self.request_id {
            write!(f, "{gap}{}", words::request_id(id))?;
        }
        Ok(())
    }
}

/// "12 seconds", "1 second", "about 5 minutes": a wait, rounded up to whole seconds (a wait of
/// 1.2 s is not over after 1), in minutes from two minutes on.
fn wait_words(d: Duration) -> String {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    if secs < 120 { words::wait_seconds(secs) } else { words::wait_minutes(secs.div_ceil(60)) }
}

impl std::error::Error for ApiError {}

/// The longest endpoint message quoted to the user; longer ones are cut at a word.
const MAX_DETAIL_CHARS: usize = 300;

/// The longest request id, error code or setting name kept from an answer; a real one is a few
/// dozen characters, and a relay's megabyte of "id" is cut like a long message.
pub const MAX_ID_CHARS: usize = 100;

/// Finds the message, code, type and param in any of the error shapes relays use:
/// `{"error": {...}}`, `{"error": "text"}`, `{"message": ...}`, `{"detail": ...}`, `{"msg": ...}`.
fn error_fields(v: &Value) -> (String, String, String, Option<String>) {
    let text = |v: Option<&Value>| -> String {
        match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Object(o)) => o
                .get("message")
                .or_else(|| o.get("msg"))
                .map(|m| m.as_str().unwrap_or_default().to_string())
                .unwrap_or_default(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.get("msg").or_else(|| x.get("message")).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("; "),
            _ => String::new(),
        }
    };
    let inner = match v.get("error") {
        Some(e @ Value::Object(_)) => e,
        _ => v,
    };
    let mut message = text(inner.get("message"));
    if message.is_empty() {
        message = [v.get("error"), v.get("detail"), v.get("msg"), v.get("message")]
            .into_iter()
            .map(text)
            .find(|m| !m.is_empty())
            .unwrap_or_default();
    }
    // Codes and names are kept and may be shown: cleaned and bounded like every text taken in.
    let code = crate::outside::one_line_cut(&text(inner.get("code")), MAX_ID_CHARS).to_lowercase();
    let etype = crate::outside::one_line_cut(&text(inner.get("type")), MAX_ID_CHARS).to_lowercase();
    let param = inner.get("param").and_then(Value::as_str).map(|p| crate::outside::one_line_cut(p, MAX_ID_CHARS));
    (message, code, etype, param)
}

/// Classifies a non-success answer from its status, `Retry-After` and body.
pub fn classify_status(status: u16, body: &[u8], retry_after: Option<Duration>) -> ApiError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let (raw_message, code, etype, param) = parsed.as_ref().map(error_fields).unwrap_or_default();
    let (message, request_id) = split_request_id(&raw_message);
    let lower = message.to_lowercase();
    let code_has = |needle: &str| code.contains(needle) || etype.contains(needle);
    let says = |words: &[&str]| words.iter().any(|w| lower.contains(w));

    // Codes decide first; the message's words only when the code says nothing.
    let out_of_credit_code = code_has("quota") || code_has("credit") || code_has("spend_limit") || code_has("billing");
    let kind = if code_has("moderation") || says(&["safety system"]) {
        ErrorKind::Moderation
    } else if status == 402 || out_of_credit_code {
        ErrorKind::Quota
    } else if code_has("rate_limit") || code_has("slow_down") {
        ErrorKind::RateLimit
    } else if status == 401 || status == 431 || code_has("invalid_api_key") {
        // 431: the request's headers were too large to be read, and the key is all Easel adds.
        ErrorKind::Key
    } else if code.is_empty()
        && says(&["insufficient", "余额", "额度", "credit balance", "quota"])
        && !says(&["per minute", "rate limit"])
    {
        // A relay's quota message without a code (and not a per-minute limit): out of credit.
        ErrorKind::Quota
    } else if status == 403 {
        ErrorKind::Account
    } else if status == 429 {
        ErrorKind::RateLimit
    } else if status == 408 {
        // The server never got the whole request: safe to repeat.
        ErrorKind::Timeout
    } else if (status == 404 || status == 405) && !code_has("model") {
        ErrorKind::WrongAddress
    } else if status == 504 || status == 524 {
        // The gateway stopped waiting, not the service: the picture may be made and billed.
        ErrorKind::GatewayGaveUp
    } else if status >= 500 {
        ErrorKind::Server
    } else if (400..500).contains(&status) {
        ErrorKind::BadSetting
    } else {
        ErrorKind::Unreadable
    };

    let mut detail = clean_detail(&message);
    if detail.is_none() && parsed.is_none() && !looks_like_markup(body) {
        // A short plain-text error body is still words worth quoting.
        detail = clean_detail(&String::from_utf8_lossy(body));
    }
    let mut e = ApiError::new(kind);
    if kind == ErrorKind::BadSetting
        && detail.is_none()
        && let Some(p) = &param
    {
        e.reason = Some(Reason::RefusedSetting { param: p.clone() });
    }
    if status == 431 {
        e.reason = Some(Reason::HeadersTooLarge);
    }
    e.status = Some(status);
    e.maybe_billed = kind == ErrorKind::GatewayGaveUp;
    e.detail = detail;
    e.code = (!code.is_empty()).then_some(code);
    e.param = param;
    e.request_id = request_id;
    // One wait, said once: `Retry-After` when the answer has it, else the one in the message.
    e.retry_after = match kind {
        ErrorKind::RateLimit => retry_after.or_else(|| wait_in_message(&message)),
        ErrorKind::Server => retry_after,
        _ => None,
    };
    e
}

/// The wait a rate limit's message asks for: OpenAI's "Please try again in 12s" (or "1.5s",
/// "6m0s", "20ms"), "retry after 30 seconds", a relay's "请 20 秒后重试".
fn wait_in_message(message: &str) -> Option<Duration> {
    let lower = message.to_lowercase();
    for marker in ["try again in", "retry after", "retry in", "wait"] {
        if let Some(wait) = lower.match_indices(marker).find_map(|(at, _)| parse_wait(&lower[at + marker.len()..])) {
            return Some(wait);
        }
    }
    // Chinese puts the number before its unit and the verb after it: "20 秒后重试".
    lower.match_indices('秒').find_map(|(at, _)| {
        let before = lower[..at].trim_end();
        let start = before.rfind(|c: char| !(c.is_ascii_digit() || c == '.')).map_or(0, |i| i + 1);
        before[start..].parse::<f64>().ok().and_then(|s| Duration::try_from_secs_f64(s).ok())
    })
}

/// A wait written as numbers and units ("12s", "6m0s", "1.5 seconds", "20ms") at the start of
/// `text`, or `None` when it starts with none.
fn parse_wait(text: &str) -> Option<Duration> {
    let mut rest = text.trim_start();
    let mut total = 0.0;
    let mut any = false;
    loop {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let Ok(n) = rest[..digits].parse::<f64>() else { break };
        let after = rest[digits..].trim_start();
        let letters = after.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(after.len());
        let scale = match &after[..letters] {
            "ms" | "millisecond" | "milliseconds" => 0.001,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hour" | "hours" => 3600.0,
            _ => break,
        };
        total += n * scale;
        any = true;
        rest = &after[letters..];
    }
    if any { Duration::try_from_secs_f64(total).ok() } else { None }
}

/// Whether a 400 answer says the format field's name is unknown: then the other name is tried.
pub fn is_unknown_format_field(err: &ApiError, field: &str) -> bool {
    if err.status != Some(400) || err.kind != ErrorKind::BadSetting {
        return false;
    }
    let d = err.detail.as_deref().unwrap_or_default().to_lowercase();
    let names_field =
        err.param.as_deref() == Some(field) || d.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == field);
    let unknown_code =
        err.code.as_deref().is_some_and(|c| c.contains("unknown_parameter") || c.contains("unrecognized"));
    let unknown_words = [
        "unknown parameter",
        "unrecognized",
        "unrecognised",
        "unknown field",
        "not permitted",
        "extra inputs",
        "extra fields",
        "unexpected",
    ]
    .iter()
    .any(|w| d.contains(w));
    names_field && (unknown_code || unknown_words)
}

/// Whether a 400 answer refuses streaming: it names `stream` or `partial_images` as unknown, or
/// says a stream needs previews ("Streaming must have non-zero partial images"). Then the
/// request is sent once more without streaming, which such an endpoint answers as plain JSON.
pub fn is_refused_streaming(err: &ApiError) -> bool {
    if err.status != Some(400) || err.kind != ErrorKind::BadSetting {
        return false;
    }
    let d = err.detail.as_deref().unwrap_or_default().to_lowercase();
    let needs_previews = d.contains("partial image") || d.contains("partial_image");
    is_unknown_format_field(err, "stream") || is_unknown_format_field(err, "partial_images") || needs_previews
}

/// Whether a 400 answer to an edit refuses the name its picture parts were sent under (`image[]`
/// or `image`): it names the field as unknown, or says the picture is missing. Then, for a single
/// picture, the other name is tried. A picture the endpoint did not like ("invalid image", "image
/// too large") is not a refused name.
pub fn is_refused_image_field(err: &ApiError) -> bool {
    if err.status != Some(400) || err.kind != ErrorKind::BadSetting {
        return false;
    }
    let d = err.detail.as_deref().unwrap_or_default().to_lowercase();
    let names_image = matches!(err.param.as_deref(), Some("image" | "image[]"))
        || d.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "image");
    let code = err.code.as_deref().unwrap_or_default();
    let refused_code = ["unknown_parameter", "unrecognized", "missing", "required"].iter().any(|c| code.contains(c));
    let refused_words = [
        "unknown parameter",
        "unrecognized",
        "unrecognised",
        "unknown field",
        "extra inputs",
        "extra fields",
        "unexpected",
        "missing",
        "required",
    ]
    .iter()
    .any(|w| d.contains(w));
    names_image && (refused_code || refused_words)
}

/// Splits `message (request id: XYZ)` into the message and the id, the id cleaned to one line
/// of at most [`MAX_ID_CHARS`] characters.
fn split_request_id(message: &str) -> (String, Option<String>) {
    // ASCII lowering keeps byte offsets, so the index found is valid in `message`.
    let lower = message.to_ascii_lowercase();
    for marker in ["(request id:", "(request_id:", "(request id："] {
        if let Some(start) = lower.find(marker) {
            let rest = &message[start + marker.len()..];
            let id = crate::outside::one_line_cut(rest.split(')').next().unwrap_or(""), MAX_ID_CHARS);
            let msg = message[..start].trim_end().to_string();
            return (msg, (!id.is_empty()).then_some(id));
        }
    }
    (message.trim().to_string(), None)
}

fn looks_like_markup(body: &[u8]) -> bool {
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).map(|i| body[i]);
    matches!(start, Some(b'{' | b'[' | b'<'))
}

/// A message fit to quote: one line of printable text (no escape sequence, bell or bidi control
/// survives, see [`crate::outside`]), bounded, never markup and never a bare status number. A
/// message that wraps another, as relays pass an upstream's error on (`litellm.AuthenticationError:
/// … OpenAIException - {"error": {"message": "…"}}\n\nLiteLLM: model group …`, `400: {'error':
/// '…'}`), is reduced to the innermost message: JSON with text before or after it, or a Python
/// dict, nested a few levels at most.
fn clean_detail(text: &str) -> Option<String> {
    let mut t = crate::outside::one_line(unwrapped(text));
    for _ in 0..MAX_NESTING {
        let Some(pos) = t.find(['{', '<']) else { break };
        let inner = embedded_object(&t[pos..]).map(|v| error_fields(&v).0).filter(|m| !m.trim().is_empty());
        t = match inner {
            // The inner message was JSON inside a string: its escapes are characters only now.
            Some(m) => crate::outside::one_line(unwrapped(&m)),
            None => t[..pos].trim().trim_end_matches([':', ',', '-']).trim().to_string(),
        };
    }
    let trimmed = t.trim().trim_end_matches('.');
    let status = trimmed.strip_prefix("Error code:").unwrap_or(trimmed).trim();
    let bare_status = status.len() == 3 && status.bytes().all(|b| b.is_ascii_digit());
    if trimmed.is_empty() || bare_status || trimmed.contains('<') || trimmed.contains('{') {
        return None;
    }
    if trimmed.chars().count() <= MAX_DETAIL_CHARS {
        return Some(trimmed.to_string());
    }
    let cut: String = trimmed.chars().take(MAX_DETAIL_CHARS).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    Some(format!("{at_word}…"))
}

/// A relay's message without what the relay wrapped around the service's: only its first
/// paragraph (LiteLLM adds "LiteLLM: model group … failed with the error above" after a blank
/// line), without the names of exceptions before it (`litellm.AuthenticationError:
/// AuthenticationError: OpenAIException - `) or the path it was asking (`/images/edits: `).
fn unwrapped(message: &str) -> &str {
    let mut t = message.trim().split("\n\n").next().unwrap_or_default().trim();
    loop {
        let name_end = t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '/')).unwrap_or(0);
        let name = &t[..name_end];
        let is_wrapper = name.ends_with("Error") || name.ends_with("Exception") || name.starts_with('/');
        let rest = t[name_end..].strip_prefix(": ").or_else(|| t[name_end..].strip_prefix(" - "));
        match rest {
            Some(rest) if is_wrapper && !rest.trim().is_empty() => t = rest.trim_start(),
            _ => return t,
        }
    }
}

/// How many messages wrapped in messages are opened, at most.
const MAX_NESTING: usize = 4;

/// The object `text` starts with, whatever follows it: JSON, or a Python dict as Python prints one
/// (single-quoted strings, `True`, `False`, `None`).
fn embedded_object(text: &str) -> Option<Value> {
    let first = |t: &str| serde_json::Deserializer::from_str(t).into_iter::<Value>().next()?.ok();
    first(text).or_else(|| first(&python_to_json(text)?))
}

/// The Python literal `text` starts with, as JSON: its strings (either quotes) re-quoted, `True`,
/// `False` and `None` spelt JSON's way, up to where its outermost brackets close; `None` when a
/// string does not end.
fn python_to_json(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '{' | '[' => {
                depth += 1;
                out.push(c);
            }
            '}' | ']' => {
                out.push(c);
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            '\'' | '"' => {
                let mut value = String::new();
                loop {
                    match chars.next()? {
                        '\\' => match chars.next()? {
                            'n' => value.push('\n'),
                            't' => value.push('\t'),
                            other => value.push(other),
                        },
                        q if q == c => break,
                        other => value.push(other),
                    }
                }
                out.push_str(&Value::String(value).to_string());
            }
            c if c.is_ascii_alphabetic() => {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphanumeric() || **n == '_') {
                    word.push(n);
                    chars.next();
                }
                out.push_str(match word.as_str() {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    other => other,
                });
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// The shortest piece of the key that is masked wherever it appears.
const KEY_PIECE: usize = 8;

/// Overwrites every piece of `secret` of [`PICTURE_KEY_PIECE`] bytes or more found in `bytes` (a
/// picture a relay sent) with `*`, in place; whether there was one. A relay that wrote the
/// request's key into a picture (in a colour profile's description, after its end, in a damaged
/// file) has it made unusable. Linear in `bytes`, and quick: tens of milliseconds for a 4K picture.
pub fn mask_key_in_bytes(bytes: &mut [u8], secret: &str) -> bool {
    let mut masked = false;
    for (start, end) in key_runs(bytes, secret) {
        if end - start >= PICTURE_KEY_PIECE {
            bytes[start..end].fill(b'*');
            masked = true;
        }
    }
    masked
}

/// The shortest piece of a key masked in a picture's bytes: longer than in text, since pictures
/// hold runs of eight letters of their own (a JPEG's standard Huffman tables list `cdefghij` and
/// `stuvwxyz`), which a key may share; a key a relay writes in is whole.
const PICTURE_KEY_PIECE: usize = 12;

/// The runs of `haystack` covered by windows of [`KEY_PIECE`] bytes that are also windows of
/// `secret` (trimmed), merged when they touch, in order. Empty for a secret shorter than a piece.
fn key_runs(haystack: &[u8], secret: &str) -> Vec<(usize, usize)> {
    let secret = secret.trim().as_bytes();
    if secret.len() < KEY_PIECE || haystack.len() < KEY_PIECE {
        return Vec::new();
    }
    let window = |w: &[u8]| -> u64 {
        let mut bytes = [0u8; KEY_PIECE];
        bytes.copy_from_slice(w);
        u64::from_le_bytes(bytes)
    };
    // A 65,536-bit filter of the key's windows in front of the set: almost every window of a
    // picture's megabytes is turned away by one bit test.
    let slot = |w: u64| (w.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize;
    let pieces: std::collections::HashSet<u64> = secret.windows(KEY_PIECE).map(window).collect();
    let mut filter = vec![0u64; 1024];
    for &p in &pieces {
        filter[slot(p) / 64] |= 1 << (slot(p) % 64);
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (at, w) in haystack.windows(KEY_PIECE).enumerate() {
        let w = window(w);
        if filter[slot(w) / 64] & (1 << (slot(w) % 64)) == 0 || !pieces.contains(&w) {
            continue;
        }
        match runs.last_mut() {
            Some((_, end)) if at <= *end => *end = at + KEY_PIECE,
            _ => runs.push((at, at + KEY_PIECE)),
        }
    }
    runs
}

/// Replaces every piece of `secret` of [`KEY_PIECE`] bytes or more found in `text` with a mask:
/// the whole key, its prefixes, its suffixes, anything in between. Relays sometimes echo part of
/// a wrong key; none of it may reach the screen or the disk. Apply it to a body before it is
/// classified, so no cut can leave a fragment behind.
///
/// Linear in `text`: every byte covered by a window of [`KEY_PIECE`] bytes that is also one of
/// the key's windows is marked, and each run of marked bytes becomes one mask.
pub fn redact(text: &str, secret: &str) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (mut start, mut end) in key_runs(text.as_bytes(), secret) {
        // Widened to whole characters (a key that is not ASCII may match from inside one),
        // merged when they touch.
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        match runs.last_mut() {
            Some((_, last_end)) if start <= *last_end => *last_end = (*last_end).max(end),
            _ => runs.push((start, end)),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in runs {
        out.push_str(&text[copied..start]);
        out.push_str("[your key]");
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(status: u16, json: &str) -> ApiError {
        classify_status(status, json.as_bytes(), None)
    }

    #[test]
    fn classifies_the_table_in_api_md() {
        let moderation = body(
            400,
            r#"{"error":{"message":"Your request was rejected by the safety system.","type":"image_generation_user_error","code":"moderation_blocked"}}"#,
        );
        assert_eq!(moderation.kind, ErrorKind::Moderation);
        assert_eq!(
            body(400, r#"{"error":{"message":"Invalid value: 'huge'.","code":"invalid_value","param":"size"}}"#).kind,
            ErrorKind::BadSetting
        );
        assert_eq!(
            body(401, r#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#).kind,
            ErrorKind::Key
        );
        assert_eq!(
            body(403, r#"{"error":{"message":"用户额度不足","code":"insufficient_user_quota"}}"#).kind,
            ErrorKind::Quota
        );
        assert_eq!(body(403, r#"{"error":{"message":"Country, region, or territory not supported","code":"unsupported_country_region_territory"}}"#).kind, ErrorKind::Account);
        assert_eq!(body(429, r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#).kind, ErrorKind::Quota);
        assert_eq!(
            body(429, r#"{"error":{"message":"Billing hard limit","code":"billing_hard_limit_reached"}}"#).kind,
            ErrorKind::Quota
        );
        assert_eq!(body(429, r#"{"error":{"message":"x","code":"credit_balance_exhausted"}}"#).kind, ErrorKind::Quota);
        assert_eq!(
            body(429, r#"{"error":{"message":"x","code":"monthly_spend_limit_exceeded"}}"#).kind,
            ErrorKind::Quota
        );
        assert_eq!(
            body(429, r#"{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}"#).kind,
            ErrorKind::RateLimit
        );
        for s in [500, 502, 503] {
            assert_eq!(body(s, "<html><body>Bad gateway</body></html>").kind, ErrorKind::Server, "{s}");
        }
    }

    #[test]
    fn a_gateway_that_gave_up_is_said_and_never_repeated() {
        for s in [504, 524] {
            let e = body(s, "<html><body>A timeout occurred</body></html>");
            assert_eq!(e.kind, ErrorKind::GatewayGaveUp, "{s}");
            assert!(e.maybe_billed && !e.is_retryable(), "{s}: each repeat may be billed");
            assert_eq!(e.remedy(), Remedy::ChangeSettings, "previews are a setting");
            let en = crate::i18n::with(Lang::En, || e.to_string());
            assert!(en.starts_with("A gateway in front of the image service gave up waiting"), "{en}");
            assert!(en.contains("may still have been") && en.contains("turn them on if they are off"), "{en}");
            let zh = crate::i18n::with(Lang::ZhCn, || e.to_string());
            assert!(zh.contains("网关") && zh.contains("预览"), "{zh}");
        }
    }

    #[test]
    fn refused_streaming_is_told_from_other_refusals() {
        for refused in [
            r#"{"error":{"message":"Unknown parameter: 'stream'.","param":"stream","code":"unknown_parameter"}}"#,
            r#"{"error":{"message":"Unrecognized request argument supplied: partial_images"}}"#,
            r#"{"error":{"message":"Streaming must have non-zero partial images"}}"#,
        ] {
            assert!(is_refused_streaming(&body(400, refused)), "{refused}");
        }
        for other in [
            r#"{"error":{"message":"Unknown parameter: 'format'.","param":"format","code":"unknown_parameter"}}"#,
            r#"{"error":{"message":"Invalid value for size"}}"#,
        ] {
            assert!(!is_refused_streaming(&body(400, other)), "{other}");
        }
        let server = body(500, r#"{"error":{"message":"Unknown parameter: 'stream'."}}"#);
        assert!(!is_refused_streaming(&server), "only a 400 is a refusal");
    }

    #[test]
    fn retry_only_what_is_safe() {
        assert!(body(429, r#"{"error":{"code":"rate_limit_exceeded"}}"#).is_retryable());
        assert!(body(502, "").is_retryable());
        assert!(!body(429, r#"{"error":{"code":"insufficient_quota"}}"#).is_retryable());
        assert!(!body(400, "{}").is_retryable());
        assert!(!body(401, "{}").is_retryable());
        let mut timeout = ApiError::new(ErrorKind::Timeout);
        timeout.maybe_billed = true;
        assert!(!timeout.is_retryable());
        assert!(body(408, "").is_retryable(), "408: the server never got the request");
    }

    #[test]
    fn other_error_shapes_and_statuses() {
        let e = body(429, r#"{"error":"insufficient quota for this account"}"#);
        assert_eq!(e.kind, ErrorKind::Quota, "never retried");
        assert_eq!(e.detail.as_deref(), Some("insufficient quota for this account"));
        assert_eq!(body(400, r#"{"detail":"prompt too long"}"#).detail.as_deref(), Some("prompt too long"));
        assert_eq!(body(400, r#"{"msg":"bad size"}"#).detail.as_deref(), Some("bad size"));
        assert_eq!(body(402, r#"{"error":{"message":"Insufficient credits"}}"#).kind, ErrorKind::Quota);
        let per_minute =
            body(429, r#"{"error":{"message":"Quota exceeded for requests per minute","code":"rate_limit_exceeded"}}"#);
        assert_eq!(per_minute.kind, ErrorKind::RateLimit, "a per-minute limit is retried, not out of credit");
        assert_eq!(
            body(404, r#"{"error":{"message":"Invalid URL (POST /v1/v1/images/generations)"}}"#).kind,
            ErrorKind::WrongAddress
        );
        assert_eq!(
            body(404, r#"{"error":{"message":"The model does not exist","code":"model_not_found"}}"#).kind,
            ErrorKind::BadSetting
        );
        let nested = body(
            500,
            r#"{"error":{"message":"bad response status code 500, message: {\"error\":{\"message\":\"upstream overloaded\"}}"}}"#,
        );
        assert_eq!(nested.detail.as_deref(), Some("upstream overloaded"), "the innermost message");
        let kelvin = body(500, r#"{"error":{"message":"K failed (request id: abc)"}}"#);
        assert_eq!(kelvin.request_id.as_deref(), Some("abc"));
    }

    #[test]
    fn easels_words_are_not_quoted_as_the_services() {
        let e = ApiError::new(ErrorKind::Unreadable).because(Reason::AnswerCutOff);
        let text = e.to_string();
        assert!(text.starts_with("The answer could not be understood: the answer was cut off"), "{text}");
        assert!(!text.contains("The service said"), "{text}");
    }

    #[test]
    fn a_reason_is_worded_in_the_language_it_is_shown_in() {
        let host = Some("relay.example".to_string());
        let e = crate::i18n::with(Lang::En, || ApiError::new(ErrorKind::Network).because(Reason::Unreachable { host }));
        assert_eq!(
            crate::i18n::with(Lang::ZhCn, || e.to_string()),
            "无法连接到图像服务：无法连接到服务。请检查网络连接和接口地址，然后再试。",
            "the host is kept, not shown"
        );
        let nameless = ApiError::new(ErrorKind::Network).because(Reason::Unreachable { host: None });
        assert_eq!(
            crate::i18n::with(Lang::En, || nameless.to_string()),
            "Could not reach the image service: could not connect to the service. Check your internet connection and the endpoint address, then try again."
        );
    }

    #[test]
    fn the_key_is_redacted_from_a_reasons_values() {
        let key = "sk-live-abcdefghijklmnopqrstuvwxyz";
        let reason = Reason::NotAWebAddress { text: format!("relay.example/{key}") }.redacted(key);
        assert_eq!(reason, Reason::NotAWebAddress { text: "relay.example/[your key]".to_string() });
        assert_eq!(Reason::AnswerEmpty.redacted(key), Reason::AnswerEmpty);
    }

    #[test]
    fn code_may_be_a_number_or_null() {
        assert_eq!(body(429, r#"{"error":{"message":"slow down","code":429}}"#).kind, ErrorKind::RateLimit);
        assert_eq!(body(400, r#"{"error":{"message":"bad","code":null,"type":null}}"#).kind, ErrorKind::BadSetting);
    }

    #[test]
    fn request_id_is_split_from_the_message() {
        let e = body(500, r#"{"error":{"message":"upstream error (request id: 2026112412ab)","code":"bad_response"}}"#);
        assert_eq!(e.detail.as_deref(), Some("upstream error"));
        assert_eq!(e.request_id.as_deref(), Some("2026112412ab"));
        let shown = e.to_string();
        assert!(shown.contains("Request id for support: 2026112412ab"), "{shown}");
    }

    #[test]
    fn html_and_garbage_never_reach_the_user() {
        let html = body(502, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>");
        assert_eq!(html.detail, None);
        let text = html.to_string();
        assert!(!text.contains('<'), "{text}");
        assert!(text.contains("Try again in a few minutes"), "{text}");
        let truncated = body(500, r#"{"error":{"mess"#);
        assert!(!truncated.to_string().contains('{'));
        let plain = body(503, "Service Unavailable");
        assert_eq!(plain.detail.as_deref(), Some("Service Unavailable"));
    }

    #[test]
    fn long_messages_are_cut_at_a_word() {
        let long = format!(r#"{{"error":{{"message":"{}"}}}}"#, "word ".repeat(200));
        let d = body(400, &long).detail.unwrap();
        assert!(d.chars().count() <= MAX_DETAIL_CHARS + 1);
        assert!(d.ends_with('…'));
    }

    #[test]
    fn unknown_field_detection() {
        let e = body(
            400,
            r#"{"error":{"message":"Unknown parameter: 'format'.","type":"invalid_request_error","param":"format","code":"unknown_parameter"}}"#,
        );
        assert!(is_unknown_format_field(&e, "format"));
        assert!(!is_unknown_format_field(&e, "output_format"));
        let e2 = body(400, r#"{"error":{"message":"Unrecognized request argument supplied: output_format"}}"#);
        assert!(is_unknown_format_field(&e2, "output_format"));
        let by_param =
            body(400, r#"{"error":{"message":"Unknown parameter.","param":"format","code":"unknown_parameter"}}"#);
        assert!(is_unknown_format_field(&by_param, "format"));
        let other = body(400, r#"{"error":{"message":"Invalid value for size"}}"#);
        assert!(!is_unknown_format_field(&other, "format"));
        let vague = body(400, r#"{"error":{"message":"Invalid request format"}}"#);
        assert!(!is_unknown_format_field(&vague, "format"), "“invalid … format” is not an unknown field");
    }

    #[test]
    fn a_refused_image_field_is_told_from_a_refused_picture() {
        for refused in [
            r#"{"error":{"message":"Unknown parameter: 'image[]'.","param":"image[]","code":"unknown_parameter"}}"#,
            r#"{"error":{"message":"Missing required parameter: 'image'.","param":"image","code":"missing_required_parameter"}}"#,
            r#"{"error":{"message":"image is required"}}"#,
        ] {
            assert!(is_refused_image_field(&body(400, refused)), "{refused}");
        }
        for fine in [
            r#"{"error":{"message":"Invalid image file or mode for image 1, please check your image file.","param":"image"}}"#,
            r#"{"error":{"message":"Invalid file 'image': unsupported mimetype ('application/octet-stream')."}}"#,
            r#"{"error":{"message":"Unknown parameter: 'format'.","param":"format","code":"unknown_parameter"}}"#,
        ] {
            assert!(!is_refused_image_field(&body(400, fine)), "{fine}");
        }
        let not_found = body(404, r#"{"error":{"message":"Unknown parameter: 'image[]'."}}"#);
        assert!(!is_refused_image_field(&not_found), "only a 400 is a refused name");
    }

    #[test]
    fn the_key_is_redacted() {
        let key = "sk-live-abcdefghijklmnopqrstuvwxyz";
        assert_eq!(
            redact(&format!("Incorrect API key provided: {key}."), key),
            "Incorrect API key provided: [your key]."
        );
        let partial = redact("Incorrect API key provided: sk-live-abcdefgh****wxyz", key);
        assert!(!partial.contains("abcdefgh"), "{partial}");
    }

    #[test]
    fn any_piece_of_the_key_of_eight_characters_is_masked() {
        let key = "sk-live-abcdefghijklmnopqrstuvwxyz";
        // The key without its first characters, as a relay echoing a "malformed" key prints it.
        for cut in 1..=4 {
            let shown = redact(&format!("Invalid token: {}.", &key[cut..]), key);
            assert_eq!(shown, "Invalid token: [your key].", "{cut}");
        }
        assert_eq!(redact("middle ghijklmn end", key), "middle [your key] end");
        assert_eq!(redact("seven ghijklm stays", key), "seven ghijklm stays", "7 characters are not a piece");
        assert_eq!(redact(&format!("{key}{key} twice"), key), "[your key] twice", "touching pieces are one mask");
        assert_eq!(redact(&format!("a {key} b {key} c"), key), "a [your key] b [your key] c");
        assert_eq!(redact("nothing here", key), "nothing here");
        assert_eq!(redact("anything", "short"), "anything", "a key under 8 characters masks nothing");
        // A key that is not ASCII is masked by whole characters, never splitting one: "Ѻ" ends
        // in the byte "к" ends in, so a piece of the key starts inside it.
        let odd = "ключ-ключ-ключ";
        assert_eq!(redact("«Ѻлюч-ключ»", odd), "«[your key]»");
        assert_eq!(redact(&format!("«{}»", &odd[2..]), odd), "«[your key]»");
    }

    #[test]
    fn a_key_in_a_pictures_bytes_is_masked_in_place() {
        let key = "sk-live-abcdefghijklmnopqrstuvwxyz";
        let mut bytes: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let untouched = bytes.clone();
        assert!(!mask_key_in_bytes(&mut bytes, key));
        assert_eq!(bytes, untouched, "nothing that is not the key is touched");
        bytes[1000..1000 + key.len()].copy_from_slice(key.as_bytes());
        bytes[500_000..500_012].copy_from_slice(&key.as_bytes()[20..32]);
        // As a JPEG's Huffman table holds them: eight letters in a row, shared with this key.
        bytes[700_000..700_008].copy_from_slice(b"cdefghij");
        assert!(mask_key_in_bytes(&mut bytes, key));
        assert_eq!(&bytes[1000..1000 + key.len()], "*".repeat(key.len()).as_bytes());
        assert_eq!(&bytes[500_000..500_012], b"************", "a piece of it too");
        assert_eq!(&bytes[700_000..700_008], b"cdefghij", "but not a picture's own letters");
        assert_eq!(bytes.len(), untouched.len());
        assert_eq!(bytes[..1000], untouched[..1000]);
    }

    #[test]
    fn a_relays_wrapping_is_taken_off_and_its_words_kept() {
        // LiteLLM 1.108.7 in front of an OpenAI-style upstream, as it answered on 127.0.0.1.
        let cases = [
            (
                401,
                r#"{"error":{"message":"litellm.AuthenticationError: AuthenticationError: OpenAIException - Incorrect API key provided: sk-ab***. You can find your API key at https://platform.openai.com/account/api-keys.\n\nLiteLLM: model group 'gpt-image-2' failed with the error above. No fallback was attempted.","type":"authentication_error","param":null,"code":"401"}}"#,
                Some(
                    "Incorrect API key provided: sk-ab***. You can find your API key at https://platform.openai.com/account/api-keys",
                ),
            ),
            (
                401,
                r#"{"error":{"message":"litellm.AuthenticationError: AuthenticationError: OpenAIException - {\"error\": {\"message\": \"Incorrect API key provided: sk-ab***.\", \"type\": \"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}\n\nLiteLLM: model group 'gpt-image-1.5' failed with the error above. No fallback was attempted.","type":"authentication_error","param":null,"code":"401"}}"#,
                Some("Incorrect API key provided: sk-ab***"),
            ),
            (
                400,
                r#"{"error":{"message":"400: {'error': '/image/generations: Invalid model name passed in model=gpt-image-9. Call `/v1/models` to view available models for your key.'}","type":"invalid_request_error","param":null,"code":"400"}}"#,
                Some(
                    "Invalid model name passed in model=gpt-image-9. Call `/v1/models` to view available models for your key",
                ),
            ),
            (
                400,
                r#"{"error":{"message":"litellm.BadRequestError: OpenAIException - Invalid value: 'jpg'. Supported values are: 'png', 'jpeg', and 'webp'.\n\nLiteLLM: model group 'gpt-image-2' failed with the error above. No fallback was attempted.","type":"invalid_request_error","param":"output_format","code":"400"}}"#,
                Some("Invalid value: 'jpg'. Supported values are: 'png', 'jpeg', and 'webp'"),
            ),
            (
                502,
                r#"{"error":{"message":"litellm.BadGatewayError: BadGatewayError: OpenAIException - Error code: 502\n\nLiteLLM: model group 'gpt-image-2' failed with the error above. No fallback was attempted.","type":"internal_server_error","param":null,"code":"502"}}"#,
                None,
            ),
            (400, r#"{"error": "400"}"#, None),
            (
                500,
                r#"{"error":{"message":"upstream said: {\"error\":{\"message\":\"overloaded\"}} (try later)"}}"#,
                Some("overloaded"),
            ),
        ];
        for (status, body, said) in cases {
            let e = classify_status(status, body.as_bytes(), None);
            assert_eq!(e.detail.as_deref(), said, "{body}");
            for lang in [Lang::En, Lang::ZhCn] {
                let text = crate::i18n::with(lang, || e.to_string());
                assert!(!text.contains("litellm") && !text.contains("'400'") && !text.contains("“400”"), "{text}");
            }
        }
    }

    #[test]
    fn headers_too_large_are_the_keys_length_not_a_setting() {
        let e = classify_status(431, b"Request Header Fields Too Large", None);
        assert_eq!((e.kind, e.reason.clone()), (ErrorKind::Key, Some(Reason::HeadersTooLarge)));
        let en = crate::i18n::with(Lang::En, || e.to_string());
        assert!(en.contains("far longer than a key"), "{en}");
        assert!(!en.contains("setting"), "{en}");
    }

    #[test]
    fn redaction_is_linear_in_the_text() {
        let key = "sk-live-abcdefghijklmnopqrstuvwxyz";
        // A megabyte of near misses: every window starts like the key and fails at its end.
        let text = "sk-live-abcdefgX".repeat(1 << 16);
        let started = std::time::Instant::now();
        let shown = redact(&text, key);
        assert!(!shown.contains("sk-live-"), "the first 8 characters are a piece of the key");
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn a_refusal_in_each_language() {
        let e = classify_status(
            400,
            br#"{"error":{"message":"Your request was rejected by the safety system.","code":"moderation_blocked"}}"#,
            None,
        );
        let quote = "“Your request was rejected by the safety system”";
        let zh = crate::i18n::with(Lang::ZhCn, || e.to_string());
        assert!(
            zh.starts_with("提示词被安全系统拒绝。") && zh.contains(quote) && zh.contains("被拒绝的请求不会扣费"),
            "{zh}"
        );
        let en = crate::i18n::with(Lang::En, || e.to_string());
        assert_eq!(
            en,
            format!(
                "The prompt was refused by the safety system. The service said: {quote}. Change the prompt and try again; nothing was charged for the refused request."
            )
        );
    }

    #[test]
    fn every_sentence_follows_the_language() {
        let shown = |lang| {
            crate::i18n::with(lang, || {
                let mut e = classify_status(
                    429,
                    br#"{"error":{"message":"Rate limit reached (request id: r42)","code":"rate_limit_exceeded"}}"#,
                    Some(Duration::from_secs(30)),
                );
                e.maybe_billed = true;
                let refused = classify_status(400, br#"{"error":{"code":"invalid_value","param":"size"}}"#, None);
                (e.to_string(), refused.to_string())
            })
        };
        let (zh, zh_refused) = shown(Lang::ZhCn);
        assert_eq!(
            zh,
            "当前请求过多。这次请求可能已经计费，因此 Easel 没有自动重发。请在 30 秒后再试，或减少同时发出的请求。（请求 ID，可提供给技术支持：r42）"
        );
        assert_eq!(zh_refused, "接口不接受某项设置：接口拒绝了设置“size”。请修改该设置，或换一个模型或接口。");
        let (en, en_refused) = shown(Lang::En);
        assert_eq!(
            en,
            "Too many requests right now. The request may still have been charged, so Easel did not repeat it. Try again in 30 seconds, or run fewer requests at once. (Request id for support: r42)"
        );
        assert_eq!(
            en_refused,
            "The endpoint does not accept a setting: it refused the setting “size”. Change that setting, or pick another model or endpoint."
        );
        assert_eq!(crate::i18n::with(Lang::ZhCn, || wait_words(Duration::from_secs(300))), "5 分钟左右");
        assert_eq!(crate::i18n::with(Lang::En, || wait_words(Duration::from_secs(300))), "about 5 minutes");
    }

    #[test]
    fn the_advice_follows_the_wait_asked_for() {
        let asked = |secs: u64, lang| {
            let e =
                classify_status(429, br#"{"error":{"code":"rate_limit_exceeded"}}"#, Some(Duration::from_secs(secs)));
            crate::i18n::with(lang, || e.to_string())
        };
        let days = asked(2_300_411_760, Lang::En);
        assert_eq!(
            days,
            "Too many requests right now. It asks to wait a long time, more than an hour. Try again later. If the service keeps asking for such long waits, ask the provider of your key about your account's limits."
        );
        assert_eq!(
            asked(2_300_411_760, Lang::ZhCn),
            "当前请求过多。服务要求等待很长时间，超过一小时。请稍后再试。如果服务一直要求等待这么久，请向 API 密钥的提供方询问你账户的用量限制。"
        );
        assert_eq!(
            asked(600, Lang::En),
            "Too many requests right now. Try again in about 10 minutes, or run fewer requests at once."
        );
        assert_eq!(asked(600, Lang::ZhCn), "当前请求过多。请在 10 分钟左右后再试，或减少同时发出的请求。");
        assert!(asked(3600, Lang::En).contains("about 60 minutes"), "an hour is still said in minutes");
        assert!(asked(30, Lang::En).ends_with("Try again in 30 seconds, or run fewer requests at once."));
        assert!(
            asked(1, Lang::En).ends_with("Try again in 1 second, or run fewer requests at once."),
            "not “1 seconds”"
        );
        let unsaid = classify_status(429, br#"{"error":{"code":"rate_limit_exceeded"}}"#, None);
        assert!(unsaid.to_string().ends_with("Wait a minute and try again, or run fewer requests at once."));
        // Only a rate limit's wait is told: a server error's Retry-After changes nothing.
        let server = classify_status(503, b"", Some(Duration::from_secs(2_300_411_760)));
        assert_eq!(server.advice(), ErrorKind::Server.advice());
    }

    /// OpenAI's own 429 body for an images-per-minute limit.
    const OPENAI_IPM: &[u8] = br#"{"error":{"message":"Rate limit reached for gpt-image-1 in organization org-x on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in 12s. Visit https://platform.openai.com/account/rate-limits to learn more.","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#;

    #[test]
    fn a_rate_limit_says_one_wait_and_no_counters() {
        let e = classify_status(429, OPENAI_IPM, None);
        assert_eq!(e.kind, ErrorKind::RateLimit);
        assert_eq!(e.retry_after, Some(Duration::from_secs(12)), "the message's wait, without a Retry-After");
        assert!(e.detail.as_deref().is_some_and(|d| d.contains("IPM")), "the words are kept for More info");
        let en = crate::i18n::with(Lang::En, || e.to_string());
        assert_eq!(en, "Too many requests right now. Try again in 12 seconds, or run fewer requests at once.");
        let zh = crate::i18n::with(Lang::ZhCn, || e.to_string());
        assert_eq!(zh, "当前请求过多。请在 12 秒后再试，或减少同时发出的请求。");
        assert_eq!(
            crate::i18n::with(Lang::En, || e.sentence()),
            "Too many requests right now. Try again in 12 seconds."
        );
        assert_eq!(e.remedy(), Remedy::RetryLater);

        // Retry-After and the message disagree: the header wins, and the wait is said once.
        let both = classify_status(429, OPENAI_IPM, Some(Duration::from_secs(1)));
        let en = crate::i18n::with(Lang::En, || both.to_string());
        assert_eq!(en, "Too many requests right now. Try again in 1 second, or run fewer requests at once.");
        for raw in ["IPM", "Limit 5", "12", "org-x", "seconds", "platform.openai.com"] {
            assert!(!en.contains(raw), "{raw} in {en}");
        }
    }

    #[test]
    fn relays_word_their_waits_in_many_ways() {
        let cases: [(&str, Option<u64>); 7] = [
            (
                r#"{"error":{"message":"Too many requests, please retry after 1 seconds","code":"rate_limit_exceeded"}}"#,
                Some(1),
            ),
            (
                r#"{"error":{"message":"Requests rate limit exceeded, please try again in 6m0s.","code":"rate_limit_exceeded"}}"#,
                Some(360),
            ),
            (
                r#"{"error":{"message":"Rate limit reached. Please try again in 1.5s.","code":"rate_limit_exceeded"}}"#,
                Some(2),
            ),
            (r#"{"error":{"message":"Please try again in 20ms.","code":"rate_limit_exceeded"}}"#, None),
            (
                r#"{"error":{"message":"您的请求过于频繁，请 20 秒后重试 (request id: 2026abc)","type":"new_api_error"}}"#,
                Some(20),
            ),
            (r#"{"error":{"message":"当前分组上游负载已饱和，请稍后再试","code":"rate_limit"}}"#, None),
            (r#"{"detail":"IPM: Limit 5, Used 5, Requested 1"}"#, None),
        ];
        for (json, secs) in cases {
            let e = classify_status(429, json.as_bytes(), None);
            assert_eq!(e.kind, ErrorKind::RateLimit, "{json}");
            // What is said is rounded up to whole seconds; sub-second waits are not said.
            let said = e.asked_wait().map(|w| w.as_secs() + u64::from(w.subsec_nanos() > 0));
            assert_eq!(said, secs, "{json}");
            let en = crate::i18n::with(Lang::En, || e.to_string());
            assert!(!en.contains("IPM") && !en.contains("1 seconds") && !en.contains("请"), "{en}");
            assert_eq!(en.matches("Try again").count() + en.matches("try again").count(), 1, "one wait: {en}");
        }
    }

    #[test]
    fn waits_take_their_plural() {
        let said = |secs: u64, lang| crate::i18n::with(lang, || wait_words(Duration::from_secs(secs)));
        assert_eq!(said(0, Lang::En), "0 seconds");
        assert_eq!(said(1, Lang::En), "1 second");
        assert_eq!(said(2, Lang::En), "2 seconds");
        assert_eq!(said(1, Lang::ZhCn), "1 秒");
        assert_eq!(said(2, Lang::ZhCn), "2 秒");
        assert_eq!(crate::i18n::with(Lang::En, || wait_words(Duration::from_millis(1_200))), "2 seconds", "rounded up");
    }

    #[test]
    fn a_broken_connection_names_no_host() {
        let host = Some("relay.internal.example:8443".to_string());
        for reason in [
            Reason::Unreachable { host: host.clone() },
            Reason::TooSlow { host: host.clone() },
            Reason::ConnectionBroke { host: host.clone() },
        ] {
            let shown = ApiError::new(ErrorKind::Network).because(reason).to_string();
            assert!(!shown.contains("relay.internal"), "{shown}");
        }
    }

    #[test]
    fn every_message_says_what_to_do() {
        let kinds = [
            ErrorKind::Moderation,
            ErrorKind::Quota,
            ErrorKind::Key,
            ErrorKind::Account,
            ErrorKind::RateLimit,
            ErrorKind::BadSetting,
            ErrorKind::WrongAddress,
            ErrorKind::NoEdits,
            ErrorKind::Server,
            ErrorKind::Network,
            ErrorKind::Timeout,
            ErrorKind::Unreadable,
            ErrorKind::NoImage,
            ErrorKind::Insecure,
            ErrorKind::Cancelled,
            ErrorKind::GatewayGaveUp,
            ErrorKind::StreamCut,
        ];
        for k in kinds {
            let e = ApiError::new(k);
            assert!(e.to_string().len() > e.title().len() + 10, "{k:?} has no advice");
        }
        let mut billed = ApiError::new(ErrorKind::Timeout);
        billed.maybe_billed = true;
        assert!(billed.to_string().contains("may still have been charged"));
    }
}
