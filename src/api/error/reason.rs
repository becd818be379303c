//! [`Reason`]: Easel's own explanation of an error, kept as data until it is shown.

use super::words;
use std::borrow::Cow;
use std::fmt;

/// Easel's own explanation of an [`ApiError`](super::ApiError), a sentence fragment such as
/// "could not connect to relay.example".
///
/// It holds what happened and the values that go with it (a host, a setting's name, the text a
/// user typed), never words: `Display` words it in the language in use when it is shown, so an
/// error made before a language switch reads in the new language after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The HTTP client could not be built.
    NetworkDidNotStart,
    /// The worker's runtime could not start its threads.
    NoThreads,
    /// Cancelled while a picture link was still downloading.
    DownloadUnfinished,
    /// The endpoint redirected to another origin, where the key is not sent.
    RedirectedElsewhere,
    /// The answer grew past the largest one accepted.
    AnswerTooLarge,
    /// A picture link in the answer is not an address.
    LinkInvalid,
    /// A picture link redirected without saying where.
    LinkLedNowhere,
    /// A picture link answered 403, 404 or 410.
    LinkExpired,
    /// A picture link redirected more times than are followed, or in a loop.
    LinkKeptRedirecting,
    /// A plain `http://` address of another machine; `host` when it has one.
    PlainHttp { host: Option<String> },
    /// An address whose scheme is neither https nor http.
    UnsupportedScheme { scheme: String },
    /// The text typed as a base URL is not an address at all.
    NotAWebAddress { text: String },
    /// The text typed as a base URL has no host.
    NoHost { text: String },
    /// A base URL with a user name, a password, a query or a fragment.
    AddressWithExtras,
    /// No connection could be made; `host` when the failure named one.
    Unreachable { host: Option<String> },
    /// The answer did not arrive in time; `host` when the failure named one.
    TooSlow { host: Option<String> },
    /// The whole request took longer than the `secs` allowed (Settings, `EASEL_TIMEOUT_SECS`).
    GaveUpAfter { secs: u64 },
    /// A stream sent nothing at all, not even a keep-alive, for `secs` (Settings, `EASEL_IDLE_SECS`).
    SilentFor { secs: u64 },
    /// The connection broke; `host` when the failure named one.
    ConnectionBroke { host: Option<String> },
    /// More redirects than are followed.
    TooManyRedirects,
    /// The background task reading the answer failed (it panicked).
    ReadingFailed,
    /// A successful answer with no picture and no error in it.
    NoPictureInAnswer,
    /// An empty body.
    AnswerEmpty,
    /// An HTML page where JSON was expected.
    AnswerWebPage,
    /// JSON that ends before it is complete.
    AnswerCutOff,
    /// JSON, but not of a shape Easel reads.
    AnswerWrongFormat,
    /// Base64 that does not decode.
    PictureDamaged,
    /// Bytes that are not a PNG, JPEG or WebP whose header can be read.
    NotAPicture,
    /// 431: the request's headers were too large to read; the key is all Easel adds to them.
    HeadersTooLarge,
    /// The endpoint named `param` as refused, without a message of its own.
    RefusedSetting { param: String },
}

impl Reason {
    /// The same reason with `key` masked in the values it carries: a value may come from the
    /// endpoint or from an address, and the key must not reach the screen through either.
    pub(crate) fn redacted(self, key: &str) -> Reason {
        let mask = |text: String| super::redact(&text, key);
        match self {
            Reason::PlainHttp { host } => Reason::PlainHttp { host: host.map(mask) },
            Reason::UnsupportedScheme { scheme } => Reason::UnsupportedScheme { scheme: mask(scheme) },
            Reason::NotAWebAddress { text } => Reason::NotAWebAddress { text: mask(text) },
            Reason::NoHost { text } => Reason::NoHost { text: mask(text) },
            Reason::Unreachable { host } => Reason::Unreachable { host: host.map(mask) },
            Reason::TooSlow { host } => Reason::TooSlow { host: host.map(mask) },
            Reason::ConnectionBroke { host } => Reason::ConnectionBroke { host: host.map(mask) },
            Reason::RefusedSetting { param } => Reason::RefusedSetting { param: mask(param) },
            other => other,
        }
    }
}

/// A sentence fragment in the language in use, without capital or closing punctuation:
/// [`ApiError`](super::ApiError)'s message puts it after its title.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Without a host, the sentence names "the service", worded whole in each language
        // rather than with a translated stand-in put where the host would go.
        let about_host = |host: &Option<String>, named: fn(&str) -> String, unnamed: fn() -> &'static str| {
            host.as_deref().map_or_else(|| Cow::Borrowed(unnamed()), |h| Cow::Owned(named(h)))
        };
        let text: Cow<'static, str> = match self {
            Reason::NetworkDidNotStart => words::NETWORK_DID_NOT_START().into(),
            Reason::NoThreads => words::NO_THREADS().into(),
            Reason::DownloadUnfinished => words::DOWNLOAD_UNFINISHED().into(),
            Reason::RedirectedElsewhere => words::REDIRECTED_ELSEWHERE().into(),
            Reason::AnswerTooLarge => words::ANSWER_TOO_LARGE().into(),
            Reason::LinkInvalid => words::LINK_INVALID().into(),
            Reason::LinkLedNowhere => words::LINK_LED_NOWHERE().into(),
            Reason::LinkExpired => words::LINK_EXPIRED().into(),
            Reason::LinkKeptRedirecting => words::LINK_KEPT_REDIRECTING().into(),
            Reason::PlainHttp { host } => about_host(host, words::plain_http, words::PLAIN_HTTP_SOMEWHERE),
            Reason::UnsupportedScheme { scheme } => words::unsupported_scheme(scheme).into(),
            Reason::NotAWebAddress { text } => words::not_a_web_address(text).into(),
            Reason::NoHost { text } => words::no_host(text).into(),
            Reason::AddressWithExtras => words::ADDRESS_WITH_EXTRAS().into(),
            // The host is kept for the log, not shown: the user knows the service by its name
            // in Settings, and a bare host name is one more thing to puzzle over.
            Reason::Unreachable { .. } => words::SERVICE_UNREACHABLE().into(),
            Reason::TooSlow { .. } => words::SERVICE_TOO_SLOW().into(),
            Reason::GaveUpAfter { secs } => {
                words::gave_up_after(&super::wait_words(std::time::Duration::from_secs(*secs))).into()
            }
            Reason::SilentFor { secs } => {
                words::silent_for(&super::wait_words(std::time::Duration::from_secs(*secs))).into()
            }
            Reason::ConnectionBroke { .. } => words::SERVICE_CONNECTION_BROKE().into(),
            Reason::TooManyRedirects => words::TOO_MANY_REDIRECTS().into(),
            Reason::ReadingFailed => words::READING_FAILED().into(),
            Reason::NoPictureInAnswer => words::NO_PICTURE_IN_ANSWER().into(),
            Reason::AnswerEmpty => words::ANSWER_EMPTY().into(),
            Reason::AnswerWebPage => words::ANSWER_WEB_PAGE().into(),
            Reason::AnswerCutOff => words::ANSWER_CUT_OFF().into(),
            Reason::AnswerWrongFormat => words::ANSWER_WRONG_FORMAT().into(),
            Reason::PictureDamaged => words::PICTURE_DAMAGED().into(),
            Reason::NotAPicture => words::NOT_A_PICTURE().into(),
            Reason::RefusedSetting { param } => words::refused_setting(param).into(),
            Reason::HeadersTooLarge => words::HEADERS_TOO_LARGE().into(),
        };
        f.write_str(&text)
    }
}
