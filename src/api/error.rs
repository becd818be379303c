//! One error type for everything that can go wrong between Easel and the endpoint, classified
//! the way a user needs it: what happened, and what to do next.
//!
//! What a user reads comes from [`ApiError`]'s `Display`; it never carries JSON, a parser's
//! wording or the key (the client redacts the key from anything the endpoint echoes).

use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// What kind of failure, in the terms a user acts on (API.md's table).
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
}

/// An error from the image endpoint, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The classification that decides the message and whether to retry.
    pub kind: ErrorKind,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Easel's own explanation of what happened, a sentence fragment.
    pub reason: Option<String>,
    /// The endpoint's own short message, cleaned of request ids and the key; shown as a quote.
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
        }
    }

    /// The same error with Easel's explanation of it.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// Whether the client should try again by itself (never for anything that may be billed).
    pub fn is_retryable(&self) -> bool {
        !self.maybe_billed && matches!(self.kind, ErrorKind::RateLimit | ErrorKind::Server | ErrorKind::Network | ErrorKind::Timeout)
    }

    /// A short title for the failure, as a card or a terminal line shows it.
    pub fn title(&self) -> &'static str {
        match self.kind {
            ErrorKind::Moderation => "The prompt was refused by the safety system",
            ErrorKind::Quota => "Your account is out of credit",
            ErrorKind::Key => "The API key was not accepted",
            ErrorKind::Account => "Your account may not use this",
            ErrorKind::RateLimit => "Too many requests right now",
            ErrorKind::BadSetting => "The endpoint does not accept a setting",
            ErrorKind::WrongAddress => "The endpoint address seems wrong",
            ErrorKind::Server => "The image service had a problem",
            ErrorKind::Network => "Could not reach the image service",
            ErrorKind::Timeout => "The image service took too long to answer",
            ErrorKind::Unreadable => "The answer could not be understood",
            ErrorKind::NoImage => "No picture came back",
            ErrorKind::Insecure => "Easel refused an unsafe address",
            ErrorKind::Cancelled => "Cancelled",
        }
    }

    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self.kind {
            ErrorKind::Moderation => "Change the prompt and try again; nothing was charged for the refused request.",
            ErrorKind::Quota => "Add credit or raise the spending limit on your account, then try again.",
            ErrorKind::Key => "Check the key in Settings (or run `easel key set`) and paste it again.",
            ErrorKind::Account => "Check your account's status and region with the provider of your key.",
            ErrorKind::RateLimit => "Wait a minute and try again, or run fewer requests at once.",
            ErrorKind::BadSetting => "Change that setting, or pick another model or endpoint.",
            ErrorKind::WrongAddress => "Check the endpoint's base URL; it usually ends in /v1, as in https://api.quickrouter.ai/v1.",
            ErrorKind::Server => "This is on the service's side. Try again in a few minutes.",
            ErrorKind::Network => "Check your internet connection and the endpoint address, then try again.",
            ErrorKind::Timeout => "Try again later, or pick a lower quality or smaller size, which is faster.",
            ErrorKind::Unreadable => "Try again; if it keeps happening, the endpoint may not be compatible with Easel.",
            ErrorKind::NoImage => "Try again; if it keeps happening, try another model or endpoint.",
            ErrorKind::Insecure => "Use an https:// address (plain http:// is allowed only for this computer).",
            ErrorKind::Cancelled => "Nothing more will arrive for this request.",
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.title())?;
        match &self.reason {
            Some(r) => write!(f, ": {r}.")?,
            None => f.write_str(".")?,
        }
        if let Some(d) = &self.detail {
            write!(f, " The service said: “{d}”.")?;
        }
        if self.kind == ErrorKind::RateLimit
            && let Some(wait) = self.retry_after.filter(|w| *w >= Duration::from_secs(1)) {
                write!(f, " It asks to wait {}.", wait_words(wait))?;
            }
        if self.maybe_billed {
            f.write_str(" The request may still have been charged, so Easel did not repeat it.")?;
        }
        write!(f, " {}", self.advice())?;
        if let Some(id) = &self.request_id {
            write!(f, " (Request id for support: {id})")?;
        }
        Ok(())
    }
}

fn wait_words(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 120 { format!("{secs} seconds") } else { format!("about {} minutes", secs.div_ceil(60)) }
}

impl std::error::Error for ApiError {}

/// The longest endpoint message quoted to the user; longer ones are cut at a word.
const MAX_DETAIL_CHARS: usize = 300;

/// Finds the message, code, type and param in any of the error shapes relays use:
/// `{"error": {...}}`, `{"error": "text"}`, `{"message": ...}`, `{"detail": ...}`, `{"msg": ...}`.
fn error_fields(v: &Value) -> (String, String, String, Option<String>) {
    let text = |v: Option<&Value>| -> String {
        match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Object(o)) => o.get("message").or_else(|| o.get("msg")).map(|m| m.as_str().unwrap_or_default().to_string()).unwrap_or_default(),
            Some(Value::Array(a)) => a.iter().filter_map(|x| x.get("msg").or_else(|| x.get("message")).and_then(Value::as_str)).collect::<Vec<_>>().join("; "),
            _ => String::new(),
        }
    };
    let inner = match v.get("error") {
        Some(e @ Value::Object(_)) => e,
        _ => v,
    };
    let mut message = text(inner.get("message"));
    if message.is_empty() {
        message = [v.get("error"), v.get("detail"), v.get("msg"), v.get("message")].into_iter().map(text).find(|m| !m.is_empty()).unwrap_or_default();
    }
    let code = text(inner.get("code")).to_lowercase();
    let etype = text(inner.get("type")).to_lowercase();
    let param = inner.get("param").and_then(Value::as_str).map(str::to_string);
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
    } else if status == 401 || code_has("invalid_api_key") {
        ErrorKind::Key
    } else if code.is_empty() && says(&["insufficient", "余额", "额度", "credit balance", "quota"]) && !says(&["per minute", "rate limit"]) {
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
    if kind == ErrorKind::BadSetting && detail.is_none()
        && let Some(p) = &param {
            e.reason = Some(format!("it refused the setting “{p}”"));
        }
    e.status = Some(status);
    e.detail = detail;
    e.code = (!code.is_empty()).then_some(code);
    e.param = param;
    e.request_id = request_id;
    e.retry_after = if matches!(kind, ErrorKind::RateLimit | ErrorKind::Server) { retry_after } else { None };
    e
}

/// Whether a 400 answer says the format field's name is unknown: then the other name is tried.
pub fn is_unknown_format_field(err: &ApiError, field: &str) -> bool {
    if err.status != Some(400) || err.kind != ErrorKind::BadSetting {
        return false;
    }
    let d = err.detail.as_deref().unwrap_or_default().to_lowercase();
    let names_field = err.param.as_deref() == Some(field) || d.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == field);
    let unknown_code = err.code.as_deref().is_some_and(|c| c.contains("unknown_parameter") || c.contains("unrecognized"));
    let unknown_words = ["unknown parameter", "unrecognized", "unrecognised", "unknown field", "not permitted", "extra inputs", "extra fields", "unexpected"]
        .iter()
        .any(|w| d.contains(w));
    names_field && (unknown_code || unknown_words)
}

/// Splits `message (request id: XYZ)` into the message and the id.
fn split_request_id(message: &str) -> (String, Option<String>) {
    // ASCII lowering keeps byte offsets, so the index found is valid in `message`.
    let lower = message.to_ascii_lowercase();
    for marker in ["(request id:", "(request_id:", "(request id："] {
        if let Some(start) = lower.find(marker) {
            let rest = &message[start + marker.len()..];
            let id = rest.split(')').next().unwrap_or("").trim().to_string();
            let msg = message[..start].trim_end().to_string();
            return (msg, (!id.is_empty()).then_some(id));
        }
    }
    (message.trim().to_string(), None)
}

fn looks_like_markup(body: &[u8]) -> bool {
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).map(|i| body[i]);
    matches!(start, Some(b'{') | Some(b'[') | Some(b'<'))
}

/// A message fit to quote: one line of printable text, bounded, never markup. A message that
/// embeds JSON (`upstream said: {"error": {"message": "..."}}`) is reduced to the inner message.
fn clean_detail(text: &str) -> Option<String> {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut t = one_line.trim().to_string();
    if let Some(pos) = t.find(['{', '<']) {
        let inner = serde_json::from_str::<Value>(&t[pos..]).ok().map(|v| error_fields(&v).0).filter(|m| !m.is_empty());
        let head = t[..pos].trim().trim_end_matches([':', ',', '-']).trim().to_string();
        t = match inner {
            Some(m) if head.is_empty() => m,
            Some(m) => format!("{head}: {m}"),
            None => head,
        };
    }
    let trimmed = t.trim().trim_end_matches('.');
    if trimmed.is_empty() || trimmed.contains('<') || trimmed.contains('{') {
        return None;
    }
    if trimmed.chars().count() <= MAX_DETAIL_CHARS {
        return Some(trimmed.to_string());
    }
    let cut: String = trimmed.chars().take(MAX_DETAIL_CHARS).collect();
    let at_word = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    Some(format!("{at_word}…"))
}

/// Replaces every occurrence of `secret` (and of its longer prefixes) in `text` with a mask.
/// Relays sometimes echo part of a wrong key; none of it may reach the screen. Apply it to a
/// body before it is classified, so no cut can leave a fragment behind.
pub fn redact(text: &str, secret: &str) -> String {
    let secret = secret.trim();
    if secret.len() < 8 {
        return text.to_string();
    }
    let mut out = text.replace(secret, "[your key]");
    // A prefix of the key of 12 characters or more is as telling as the key.
    let chars: Vec<char> = secret.chars().collect();
    for len in (12..chars.len()).rev() {
        let prefix: String = chars[..len].iter().collect();
        if out.contains(&prefix) {
            out = out.replace(&prefix, "[your key]");
        }
    }
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
        assert_eq!(body(400, r#"{"error":{"message":"Invalid value: 'huge'.","code":"invalid_value","param":"size"}}"#).kind, ErrorKind::BadSetting);
        assert_eq!(body(401, r#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#).kind, ErrorKind::Key);
        assert_eq!(body(403, r#"{"error":{"message":"用户额度不足","code":"insufficient_user_quota"}}"#).kind, ErrorKind::Quota);
        assert_eq!(body(403, r#"{"error":{"message":"Country, region, or territory not supported","code":"unsupported_country_region_territory"}}"#).kind, ErrorKind::Account);
        assert_eq!(body(429, r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#).kind, ErrorKind::Quota);
        assert_eq!(body(429, r#"{"error":{"message":"Billing hard limit","code":"billing_hard_limit_reached"}}"#).kind, ErrorKind::Quota);
        assert_eq!(body(429, r#"{"error":{"message":"x","code":"credit_balance_exhausted"}}"#).kind, ErrorKind::Quota);
        assert_eq!(body(429, r#"{"error":{"message":"x","code":"monthly_spend_limit_exceeded"}}"#).kind, ErrorKind::Quota);
        assert_eq!(body(429, r#"{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}"#).kind, ErrorKind::RateLimit);
        for s in [500, 502, 503, 504, 524] {
            assert_eq!(body(s, "<html><body>Bad gateway</body></html>").kind, ErrorKind::Server, "{s}");
        }
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
        let per_minute = body(429, r#"{"error":{"message":"Quota exceeded for requests per minute","code":"rate_limit_exceeded"}}"#);
        assert_eq!(per_minute.kind, ErrorKind::RateLimit, "a per-minute limit is retried, not out of credit");
        assert_eq!(body(404, r#"{"error":{"message":"Invalid URL (POST /v1/v1/images/generations)"}}"#).kind, ErrorKind::WrongAddress);
        assert_eq!(body(404, r#"{"error":{"message":"The model does not exist","code":"model_not_found"}}"#).kind, ErrorKind::BadSetting);
        let nested = body(500, r#"{"error":{"message":"bad response status code 500, message: {\"error\":{\"message\":\"upstream overloaded\"}}"}}"#);
        assert_eq!(nested.detail.as_deref(), Some("bad response status code 500, message: upstream overloaded"));
        let kelvin = body(500, r#"{"error":{"message":"K failed (request id: abc)"}}"#);
        assert_eq!(kelvin.request_id.as_deref(), Some("abc"));
    }

    #[test]
    fn easels_words_are_not_quoted_as_the_services() {
        let e = ApiError::new(ErrorKind::Unreadable).because("the answer was cut off before its end");
        let text = e.to_string();
        assert!(text.starts_with("The answer could not be understood: the answer was cut off"), "{text}");
        assert!(!text.contains("The service said"), "{text}");
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
        let e = body(400, r#"{"error":{"message":"Unknown parameter: 'format'.","type":"invalid_request_error","param":"format","code":"unknown_parameter"}}"#);
        assert!(is_unknown_format_field(&e, "format"));
        assert!(!is_unknown_format_field(&e, "output_format"));
        let e2 = body(400, r#"{"error":{"message":"Unrecognized request argument supplied: output_format"}}"#);
        assert!(is_unknown_format_field(&e2, "output_format"));
        let by_param = body(400, r#"{"error":{"message":"Unknown parameter.","param":"format","code":"unknown_parameter"}}"#);
        assert!(is_unknown_format_field(&by_param, "format"));
        let other = body(400, r#"{"error":{"message":"Invalid value for size"}}"#);
        assert!(!is_unknown_format_field(&other, "format"));
        let vague = body(400, r#"{"error":{"message":"Invalid request format"}}"#);
        assert!(!is_unknown_format_field(&vague, "format"), "“invalid … format” is not an unknown field");
    }

    #[test]
    fn the_key_is_redacted() {
        let key = "sk-live-abcdefghijklmnopqrstuvwxyz";
        assert_eq!(redact(&format!("Incorrect API key provided: {key}."), key), "Incorrect API key provided: [your key].");
        let partial = redact("Incorrect API key provided: sk-live-abcdefgh****wxyz", key);
        assert!(!partial.contains("abcdefgh"), "{partial}");
    }

    #[test]
    fn every_message_says_what_to_do() {
        let kinds = [
            ErrorKind::Moderation, ErrorKind::Quota, ErrorKind::Key, ErrorKind::Account, ErrorKind::RateLimit,
            ErrorKind::BadSetting, ErrorKind::WrongAddress, ErrorKind::Server, ErrorKind::Network, ErrorKind::Timeout, ErrorKind::Unreadable,
            ErrorKind::NoImage, ErrorKind::Insecure, ErrorKind::Cancelled,
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
