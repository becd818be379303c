//! The HTTP side: timeouts, retries, the format-field and picture-field switches, downloads of
//! returned URLs, cancellation, and keeping the key on the endpoint's own origin. Generations
//! and edits go through the same code; only their bodies differ (`Body`).

use super::edit::{EditRequest, ImageField};
use super::error::{
    ApiError, ErrorKind, MAX_ID_CHARS, Reason, classify_status, is_refused_image_field, is_refused_streaming,
    is_unknown_format_field, mask_key_in_bytes, redact,
};
use super::request::{FormatField, ImageRequest, OutputFormat};
use super::response::{Answer, Echo, Item, ReceivedImage, Usage, parse_answer};
use super::stream::{Collector, SseParser, Step, collect_all, interpret, looks_like_events};
use futures_util::StreamExt;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{StatusCode, Url, redirect};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Timeouts, retries and limits. The defaults are the official SDKs'.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, answer included, streamed or not (high quality can
    /// take minutes): a relay that keeps a stream open with keep-alive comments is given up on
    /// then, the pictures finished by then kept. At most [`MAX_TIMEOUT`].
    pub request_timeout: Duration,
    /// The longest a stream may send nothing at all, not even a keep-alive comment, before it
    /// is given up on: a gateway that dropped the connection without closing it. At most the
    /// request timeout.
    pub idle_timeout: Duration,
    /// Automatic retries after a rate limit, a server error or a failed connection.
    pub max_retries: u32,
    /// First backoff delay; doubled on each retry, with jitter.
    pub backoff_base: Duration,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
    /// The largest answer accepted; ten 4K PNGs in base64 fit well within it.
    pub max_body_bytes: usize,
    /// Sent as `User-Agent`.
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(600),
            idle_timeout: Duration::from_secs(300),
            max_retries: 2,
            backoff_base: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(120),
            max_body_bytes: 512 * 1024 * 1024,
            user_agent: format!("easel/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The longest timeout Easel keeps: a day. Larger ones (`EASEL_TIMEOUT_SECS=1e19`) would
/// overflow the clock's arithmetic; no picture takes that long.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// The most model ids taken from an endpoint's list (relays list a few hundred).
pub const MAX_LISTED_MODELS: usize = 2_000;

/// The ids in an OpenAI-style model list (`{"data": [{"id": …}, …]}`), cleaned, bounded, once
/// each, in the endpoint's order.
fn listed_models(body: &[u8]) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else { return Vec::new() };
    let mut ids: Vec<String> = Vec::new();
    for entry in value["data"].as_array().into_iter().flatten().take(MAX_LISTED_MODELS) {
        let Some(id) = entry["id"].as_str() else { continue };
        let id = crate::outside::one_line_cut(id, super::error::MAX_ID_CHARS);
        if !id.is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

impl ClientConfig {
    /// The same, with every time within what the clocks can add: at least a second, at most
    /// [`MAX_TIMEOUT`], the silence allowed no longer than the whole request.
    fn bounded(mut self) -> ClientConfig {
        let clamp = |d: Duration| d.clamp(Duration::from_secs(1), MAX_TIMEOUT);
        self.connect_timeout = clamp(self.connect_timeout);
        self.request_timeout = clamp(self.request_timeout);
        self.idle_timeout = clamp(self.idle_timeout).min(self.request_timeout);
        self.max_retry_after = self.max_retry_after.min(MAX_TIMEOUT);
        self
    }
}

/// Where to send a request, and with which key and format field name.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// The endpoint's base URL, such as `https://api.quickrouter.ai/v1`; checked by [`check_base_url`].
    pub base_url: &'a Url,
    /// The API key; only ever sent to `base_url`'s origin.
    pub key: &'a str,
    /// The format field name to try first.
    pub format_field: FormatField,
}

/// What a request is doing, for a progress line or a spinner's caption.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// The request is being sent (attempt 1 is the first).
    Sending { attempt: u32 },
    /// Sent; the picture is being made. Nothing arrives until it is done.
    Waiting,
    /// The answer is arriving.
    Receiving { bytes: u64 },
    /// A failure of `kind` that is safe to retry; the next attempt starts after `delay`. A
    /// caption words it with [`ErrorKind::title`] when it is drawn.
    Retrying { attempt: u32, delay: Duration, kind: ErrorKind },
    /// The endpoint did not know the format field's name; the other name is being tried.
    SwitchingFormatField { to: FormatField },
    /// The endpoint refused the name an edit's picture was sent under; the other is being tried.
    SwitchingImageField { to: ImageField },
    /// Pictures returned as links are being downloaded.
    Downloading { count: usize },
    /// A streamed preview of picture `picture` (0-based, of the `n` asked for) arrived: preview
    /// `step` (1-based) of the `of` asked for. Its bytes are megabytes: a front end decodes it
    /// small, off its own thread (the worker sends [`crate::worker::Event::Preview`] instead).
    Preview { picture: usize, step: u8, of: u8, image: ReceivedImage },
    /// The endpoint refused streamed previews; the request is being sent again without them.
    WithoutPreviews,
}

/// A finished request: the pictures, and everything known about how they were made.
#[derive(Debug, Clone)]
pub struct Generation {
    /// The pictures, in the order the endpoint gave them.
    pub images: Vec<ReceivedImage>,
    /// Pictures of the answer that could not be had (a link that failed, bytes that were not a picture).
    pub problems: Vec<ApiError>,
    pub usage: Option<Usage>,
    pub echo: Echo,
    pub revised_prompt: Option<String>,
    /// The format field name that this endpoint accepted; remember it for next time.
    pub format_field: FormatField,
    /// For an edit, the picture field name this endpoint accepted (`image[]` or `image`);
    /// remember it per endpoint for next time, as the format field. `None` for a generation.
    pub image_field: Option<ImageField>,
    /// Set when every picture came back in another format than asked: the endpoint probably
    /// ignored the field's name, so the other name should be used next time.
    pub returned_other_format: Option<OutputFormat>,
    /// The relay's request id, for support.
    pub request_id: Option<String>,
    /// Requests that went out, retries and fallbacks included.
    pub attempts: u32,
    /// Pictures the endpoint sent beyond the number asked for; they were left out before being
    /// decoded or downloaded.
    pub dropped: usize,
    /// The endpoint refused streamed previews and the request went again without them: remember
    /// it per endpoint, and ask without previews from then on.
    pub previews_refused: bool,
    /// The endpoint failed (a server error) when asked for a stream, before any preview, and the
    /// request went again without previews: remember it per endpoint, as a refusal.
    pub previews_broke: bool,
    /// The answer came as an event stream, so its previews were made (and billed); `false` when
    /// the endpoint answered plain JSON, ignoring the request to stream.
    pub streamed: bool,
    /// The streamed answer stopped before every picture was finished: why. `images` holds the
    /// pictures finished before it, which are paid for and are to be kept.
    pub interrupted: Option<ApiError>,
}

/// How a request has been tried so far.
struct Tries {
    /// Requests that went out.
    sent: u32,
    /// Whether a server error may still be tried once more.
    server_retry_left: bool,
    /// Whether the request asks for a stream (until the endpoint refused or broke on one).
    stream: bool,
}

/// An answer that arrived, with how it was obtained.
struct Sent {
    reply: Reply,
    request_id: Option<String>,
    field: FormatField,
    switched: bool,
    image_field: Option<ImageField>,
    /// Whether the request that was answered asked for a stream.
    streamed: bool,
    /// The endpoint refused streaming, so the answer was asked without it.
    previews_refused: bool,
}

/// A successful answer: a whole body, or an event stream still to be read.
enum Reply {
    Body(Vec<u8>),
    Events(reqwest::Response),
}

/// What is sent: a generation's JSON or an edit's multipart form, made anew for each attempt
/// from the request, so a retry sends the same body.
#[derive(Clone, Copy)]
enum Body<'a> {
    Generate(&'a ImageRequest),
    Edit(&'a EditRequest),
}

/// One attempt's body, ready for the HTTP client.
enum Payload {
    /// JSON, and its length (sent as `Content-Length`: the body is a stream that says when it went out).
    Json(reqwest::Body, usize),
    Form(reqwest::multipart::Form),
}

impl<'a> Body<'a> {
    /// Where it goes, under the base URL.
    fn path(self) -> &'static str {
        match self {
            Body::Generate(_) => "images/generations",
            Body::Edit(_) => "images/edits",
        }
    }

    /// The settings asked for: how many pictures, in which format.
    fn settings(self) -> &'a ImageRequest {
        match self {
            Body::Generate(r) => r,
            Body::Edit(e) => &e.settings,
        }
    }

    /// The body; without `stream`, the streaming fields are left out (the endpoint refused them).
    /// `went_out` is told when all of it has been handed to the connection.
    fn payload(self, field: FormatField, image_field: ImageField, stream: bool, went_out: &Arc<Notify>) -> Payload {
        match self {
            Body::Generate(r) => {
                let mut json = r.body(field);
                if let (false, Some(map)) = (stream, json.as_object_mut()) {
                    map.remove("stream");
                    map.remove("partial_images");
                }
                let bytes = serde_json::to_vec(&json).expect("a JSON value always serialises");
                let len = bytes.len();
                Payload::Json(super::signalled(bytes.into(), went_out.clone()), len)
            }
            Body::Edit(e) => Payload::Form(e.form(field, image_field, stream, went_out)),
        }
    }

    /// Whether an answer refusing the picture field's name is worth the other name.
    fn may_switch_image_field(self) -> bool {
        matches!(self, Body::Edit(e) if e.may_switch_image_field())
    }

    /// The picture field name reported in the result: only an edit has one.
    fn image_field(self, field: ImageField) -> Option<ImageField> {
        matches!(self, Body::Edit(_)).then_some(field)
    }
}

/// The HTTP client. Cheap to clone; share one for all jobs.
#[derive(Clone)]
pub struct Client {
    config: ClientConfig,
    /// For the endpoint, with the key: follows redirects only within the same origin.
    authed: reqwest::Client,
    /// For downloads from other hosts, without the key.
    plain: reqwest::Client,
    /// As `authed`, but never reusing a connection: made when a reused connection turned out
    /// closed, for the one request sent again.
    fresh: Arc<std::sync::OnceLock<reqwest::Client>>,
}

/// How long an unused connection is kept for the next request: under the 5 s after which
/// Python's and Node's servers (uvicorn, which LiteLLM runs on) close one, so a request after a
/// relay's "try again in 5 seconds" is never sent on a connection the relay has just closed.
const POOL_IDLE: Duration = Duration::from_secs(3);

/// Redirects the key may follow: at most five, all on the origin it was sent to.
fn same_origin() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        match first {
            _ if attempt.previous().len() > 5 => attempt.stop(),
            Some(first) if first.origin() == attempt.url().origin() => attempt.follow(),
            // The key must not follow a redirect to another host: stop, and report it.
            _ => attempt.stop(),
        }
    })
}

/// A reqwest client with Easel's timeouts: `total`, held to the request timeout as a whole (a
/// download; the endpoint's requests set it themselves); `pooled`, reusing connections.
fn build(
    config: &ClientConfig,
    policy: redirect::Policy,
    total: bool,
    pooled: bool,
) -> Result<reqwest::Client, ApiError> {
    let builder = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        // A bound on any silence; a stream is held to the shorter idle timeout itself.
        .read_timeout(config.request_timeout)
        .pool_idle_timeout(POOL_IDLE)
        .user_agent(config.user_agent.clone())
        .redirect(policy);
    let builder = if total { builder.timeout(config.request_timeout) } else { builder };
    let builder = if pooled { builder } else { builder.pool_max_idle_per_host(0) };
    builder.build().map_err(|_| ApiError::new(ErrorKind::Network).because(Reason::NetworkDidNotStart))
}

/// Whether a request failed because the connection it was sent on was closed before a byte of
/// the answer came: what a reused connection does when the server has just closed it as idle.
/// Nothing was answered, so nothing was made: it is safe to send again, on a new connection.
fn closed_before_answering(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_incomplete_message) {
            return true;
        }
        source = s.source();
    }
    false
}

impl Client {
    /// Builds the client.
    pub fn new(config: ClientConfig) -> Result<Client, ApiError> {
        let config = config.bounded();
        // Stopping hands back the redirect itself; `download_once` says why it went no further.
        let allowed_downloads = redirect::Policy::custom(|attempt| {
            let looped = attempt.previous().contains(attempt.url());
            if attempt.previous().len() > 5 || looped || check_url(attempt.url()).is_err() {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        Ok(Client {
            authed: build(&config, same_origin(), false, true)?,
            plain: build(&config, allowed_downloads, true, true)?,
            fresh: Arc::default(),
            config,
        })
    }

    /// The client that opens a new connection for every request, made the first time it is needed.
    fn fresh(&self) -> Result<&reqwest::Client, ApiError> {
        if let Some(c) = self.fresh.get() {
            return Ok(c);
        }
        let made = build(&self.config, same_origin(), false, false)?;
        Ok(self.fresh.get_or_init(|| made))
    }

    /// Sends `request` to `target` and returns the pictures, retrying what is safe to retry.
    ///
    /// `cancel` stops everything at once while the request is out. Once the answer has arrived
    /// it is paid for: it is always read, and a cancel then only stops picture links still
    /// downloading, so whatever already arrived is returned and can be saved.
    pub async fn generate(
        &self,
        target: Target<'_>,
        request: &ImageRequest,
        cancel: &CancellationToken,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Generation, ApiError> {
        self.run(target, Body::Generate(request), ImageField::default(), cancel, progress).await
    }

    /// Sends the edit `request` to `{base}/images/edits` and returns the pictures, with the
    /// same retries, cancellation, key rules and answers as [`generate`](Self::generate).
    ///
    /// The pictures go under `image_field`'s name (the one remembered for this endpoint, else
    /// `image[]`); when the endpoint refuses it for a single picture, the other name is tried
    /// once and [`Generation::image_field`] says which one worked, for the caller to remember.
    /// An endpoint without edits (404 or 405) is [`ErrorKind::NoEdits`].
    pub async fn edit(
        &self,
        target: Target<'_>,
        request: &EditRequest,
        image_field: ImageField,
        cancel: &CancellationToken,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Generation, ApiError> {
        self.run(target, Body::Edit(request), image_field, cancel, progress).await.map_err(no_edits_here)
    }

    /// Sends and receives, with the one fallback a stream gets: a streamed request that fails
    /// with a server error before any preview arrived (LiteLLM passes `stream` on but cannot
    /// read image events back) is asked once more without previews, and [`Generation::previews_broke`]
    /// says so for the caller to remember. That counts as the one retry a server error gets.
    async fn run(
        &self,
        target: Target<'_>,
        body: Body<'_>,
        image_field: ImageField,
        cancel: &CancellationToken,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Generation, ApiError> {
        let mut tries = Tries { sent: 0, server_retry_left: true, stream: body.settings().streams() };
        let mut broke = false;
        let result = loop {
            let previewed = std::sync::atomic::AtomicBool::new(false);
            let watched = |p: Progress| {
                if matches!(p, Progress::Preview { .. }) {
                    previewed.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                progress(p);
            };
            let sent = tokio::select! {
                biased;
                _ = cancel.cancelled() => Err(ApiError::new(ErrorKind::Cancelled)),
                result = self.send_with_retries(target, body, image_field, &mut tries, cancel, &watched) => result,
            };
            let result = match sent {
                Ok(sent) => self.receive(target, body.settings(), sent, cancel, &watched).await,
                Err(e) => Err(e),
            };
            match result {
                Err(e)
                    if tries.stream
                        && tries.server_retry_left
                        && e.kind == ErrorKind::Server
                        && !previewed.load(std::sync::atomic::Ordering::Relaxed) =>
                {
                    (tries.stream, tries.server_retry_left, broke) = (false, false, true);
                    progress(Progress::WithoutPreviews);
                }
                other => break other,
            }
        };
        match result {
            Ok(mut g) => {
                (g.attempts, g.previews_broke) = (tries.sent, broke);
                Ok(redact_generation(g, target.key))
            }
            Err(mut e) => {
                e.attempts = tries.sent;
                Err(redact_error(e, target.key))
            }
        }
    }

    /// Sends the request until it is answered, switching what an endpoint refused before any
    /// work (the format field's name, the picture field's, streaming) and retrying what is safe
    /// to: a rate limit or a failed connection twice, a server error once in all (`tries` keeps
    /// count across a stream's fallback), a streamed request's server error never here (see
    /// [`Client::run`]).
    async fn send_with_retries(
        &self,
        target: Target<'_>,
        body: Body<'_>,
        mut image_field: ImageField,
        tries: &mut Tries,
        cancel: &CancellationToken,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Sent, ApiError> {
        check_url(target.base_url)?;
        let url = endpoint_url(target.base_url, body.path());
        let mut field = target.format_field;
        let (mut switched, mut image_switched) = (false, false);
        let mut previews_refused = false;
        let mut retries = 0;
        loop {
            tries.sent += 1;
            let stream = tries.stream;
            progress(Progress::Sending { attempt: tries.sent });
            let payload = |went_out: &Arc<Notify>| body.payload(field, image_field, stream, went_out);
            match self.post(&url, target.key, &payload, stream, progress).await {
                Ok((reply, request_id)) => {
                    let image_field = body.image_field(image_field);
                    return Ok(Sent {
                        reply,
                        request_id,
                        field,
                        switched,
                        image_field,
                        streamed: stream,
                        previews_refused,
                    });
                }
                Err(e) if stream && is_refused_streaming(&e) => {
                    // Refused before any work, so it cost nothing: once more, as a plain request.
                    tries.stream = false;
                    previews_refused = true;
                    progress(Progress::WithoutPreviews);
                }
                Err(e) if !switched && is_unknown_format_field(&e, field.name()) => {
                    // Not a retry: the request was refused before any work, so it cost nothing.
                    field = field.other();
                    switched = true;
                    progress(Progress::SwitchingFormatField { to: field });
                }
                Err(e) if !image_switched && body.may_switch_image_field() && is_refused_image_field(&e) => {
                    // Refused before any work, as above.
                    image_field = image_field.other();
                    image_switched = true;
                    progress(Progress::SwitchingImageField { to: image_field });
                }
                // A relay retries inside too, each try perhaps a paid generation upstream: a
                // server error is tried once more at most, and a streamed one not here at all.
                Err(e) if e.kind == ErrorKind::Server && (stream || !tries.server_retry_left) => return Err(e),
                Err(e) if e.is_retryable() && retries < self.config.max_retries => {
                    // A wait longer than the cap is not worth holding the job for: say when to come back.
                    if e.retry_after.is_some_and(|ra| ra > self.config.max_retry_after) {
                        return Err(e);
                    }
                    if e.kind == ErrorKind::Server {
                        tries.server_retry_left = false;
                    }
                    retries += 1;
                    let delay = self.backoff(retries, e.retry_after);
                    progress(Progress::Retrying { attempt: retries, delay, kind: e.kind });
                    sleep_unless_cancelled(delay, cancel).await?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn receive(
        &self,
        target: Target<'_>,
        request: &ImageRequest,
        sent: Sent,
        cancel: &CancellationToken,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Generation, ApiError> {
        let Sent { reply, request_id, field, switched, image_field, streamed, previews_refused } = sent;
        let was_stream = match &reply {
            Reply::Events(_) => true,
            Reply::Body(b) => streamed && looks_like_events(b),
        };
        let answer = self.answer(reply, request, streamed, cancel, progress).await.map_err(|mut e| {
            e.request_id = e.request_id.take().or(request_id.clone());
            e
        })?;
        let (Answer { items, mut problems, usage, echo, revised_prompt, dropped }, mut interrupted) = answer;
        let urls = items.iter().filter(|i| matches!(i, Item::Url(_))).count();
        if urls > 0 {
            progress(Progress::Downloading { count: urls });
        }
        // A few links at a time, each within DOWNLOAD_LIMIT, kept in the answer's order.
        let fetched: Vec<Result<Vec<u8>, ApiError>> = futures_util::stream::iter(items.into_iter().map(|item| async move {
            match item {
                Item::Bytes(b) => Ok(b),
                Item::Url(u) => tokio::select! {
                    biased;
                    _ = cancel.cancelled() => Err(ApiError::new(ErrorKind::Cancelled).because(Reason::DownloadUnfinished)),
                    r = self.download(&u, target) => r,
                },
            }
        }))
        .buffered(DOWNLOADS_AT_ONCE)
        .collect()
        .await;
        let key = target.key.to_string();
        let checked = run_blocking(move || {
            let masked = |mut bytes: Vec<u8>| {
                if mask_key_in_bytes(&mut bytes, &key) {
                    log::warn!("a picture from the endpoint carried a piece of the key; it was masked");
                }
                ReceivedImage::from_bytes(bytes)
            };
            Ok(fetched.into_iter().map(|r| r.and_then(masked)).collect::<Vec<_>>())
        })
        .await?;
        let mut images = Vec::new();
        for c in checked {
            match c {
                Ok(img) => images.push(img),
                Err(e) => problems.push(e),
            }
        }
        if images.is_empty() {
            if cancel.is_cancelled() {
                return Err(ApiError::new(ErrorKind::Cancelled));
            }
            let first_problem =
                || if problems.is_empty() { ApiError::new(ErrorKind::NoImage) } else { problems.remove(0) };
            let mut e = interrupted.take().unwrap_or_else(first_problem);
            e.request_id = e.request_id.or(request_id);
            return Err(e);
        }
        let returned_other_format =
            images.iter().all(|i| i.format != request.format).then(|| images[0].format).filter(|_| !switched);
        Ok(Generation {
            images,
            problems,
            usage,
            echo,
            revised_prompt,
            format_field: field,
            image_field,
            returned_other_format,
            request_id,
            // Counted by `run`, which knows every request that went out.
            attempts: 0,
            dropped,
            previews_refused,
            previews_broke: false,
            streamed: was_stream,
            interrupted,
        })
    }

    /// The answer's pictures, still to be checked: from a body, or from an event stream read as
    /// it arrives (reporting its previews), with why a stream stopped early when it did.
    async fn answer(
        &self,
        reply: Reply,
        request: &ImageRequest,
        streamed: bool,
        cancel: &CancellationToken,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<(Answer, Option<ApiError>), ApiError> {
        let (n, of, limit) = (request.n, request.partial_images, self.config.max_body_bytes);
        match reply {
            Reply::Events(resp) => self.read_events(resp, n, of, cancel, progress).await,
            // A relay that streams under another content type: its events, read at once.
            Reply::Body(body) if streamed && looks_like_events(&body) => {
                let (answer, interrupted, previews) = run_blocking(move || {
                    let mut previews = Vec::new();
                    let mut seen =
                        |picture, step, of, image| previews.push(Progress::Preview { picture, step, of, image });
                    collect_all(&body, n, of, limit, &mut seen).map(|(a, i)| (a, i, previews))
                })
                .await?;
                previews.into_iter().for_each(progress);
                Ok((answer, interrupted))
            }
            // Never more pictures than asked for: a relay's thousands are not decoded, downloaded or saved.
            Reply::Body(body) => {
                let at_most = usize::from(n.max(1));
                run_blocking(move || parse_answer(&body, at_most)).await.map(|a| (a, None))
            }
        }
    }

    /// Reads an event stream as it arrives, never more than one event at a time, reporting each
    /// preview; stops once every picture asked for is finished. A stream that ends, breaks, is
    /// cancelled, stays silent longer than the idle timeout, outlasts the request timeout or
    /// grows past the answer-size cap (all its events together) before that keeps the pictures
    /// finished so far and says why it stopped. A plain JSON answer sent under the event-stream
    /// content type is read as one.
    async fn read_events(
        &self,
        resp: reqwest::Response,
        n: u8,
        of: u8,
        cancel: &CancellationToken,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<(Answer, Option<ApiError>), ApiError> {
        let limit = self.config.max_body_bytes;
        let mut parser = SseParser::new(limit);
        let mut collector = Collector::new(n, of);
        let mut stream = resp.bytes_stream();
        let mut events = Vec::new();
        // Every byte of the stream counts against one cap, whatever the events' sizes.
        let mut received = 0usize;
        let mut first_byte = None;
        let ended = loop {
            let next = match self.next_piece(&mut stream, cancel).await {
                Ok(next) => next,
                Err(stop) => break Some(stop),
            };
            let too_large = || ApiError::new(ErrorKind::Unreadable).because(Reason::AnswerTooLarge);
            let mut over = false;
            let at_end = match next {
                None => {
                    events.extend(parser.finish());
                    true
                }
                Some(mut chunk) => {
                    // What fits under the cap is read (its finished pictures kept), then no more.
                    let room = limit.saturating_sub(received);
                    received = received.saturating_add(chunk.len());
                    if chunk.len() > room {
                        chunk.truncate(room);
                        over = true;
                    }
                    if first_byte.is_none() {
                        first_byte = chunk.iter().copied().find(|b| !b.is_ascii_whitespace());
                        if matches!(first_byte, Some(b'{' | b'[')) {
                            // No event begins so: an answer in JSON under the stream's type.
                            let body = self.rest_of_body(chunk.to_vec(), &mut stream, cancel).await?;
                            let at_most = usize::from(n.max(1));
                            return run_blocking(move || parse_answer(&body, at_most)).await.map(|a| (a, None));
                        }
                    }
                    if parser.push(&chunk, &mut events).is_err() {
                        break Some(too_large());
                    }
                    false
                }
            };
            if let Some(stop) = take_events(&mut collector, &mut events, progress).await {
                break stop;
            }
            if over && !collector.complete() {
                break Some(too_large());
            }
            if at_end || collector.complete() {
                break None;
            }
        };
        collector.finish(ended)
    }

    /// The next piece of a stream (`None` at its end), or why there is none: cancelled, silent
    /// for longer than the idle timeout, over the request timeout, or cut.
    async fn next_piece(
        &self,
        stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
        cancel: &CancellationToken,
    ) -> Result<Option<bytes::Bytes>, ApiError> {
        let idle = self.config.idle_timeout;
        tokio::select! {
            biased;
            _ = cancel.cancelled() => Err(ApiError::new(ErrorKind::Cancelled)),
            next = tokio::time::timeout(idle, stream.next()) => match next {
                Err(_) => {
                    let mut e = ApiError::new(ErrorKind::Timeout).because(Reason::SilentFor { secs: idle.as_secs() });
                    e.maybe_billed = true;
                    Err(e)
                }
                Ok(None) => Ok(None),
                Ok(Some(Err(e))) => Err(self.gave_up(stream_failure(&e))),
                Ok(Some(Ok(chunk))) => Ok(Some(chunk)),
            },
        }
    }

    /// The rest of a stream's body after `body`, within the answer-size cap.
    async fn rest_of_body(
        &self,
        mut body: Vec<u8>,
        stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
        cancel: &CancellationToken,
    ) -> Result<Vec<u8>, ApiError> {
        while let Some(chunk) = self.next_piece(stream, cancel).await? {
            body.extend_from_slice(&chunk);
            if body.len() > self.config.max_body_bytes {
                return Err(ApiError::new(ErrorKind::Unreadable).because(Reason::AnswerTooLarge));
            }
        }
        Ok(body)
    }

    /// A request's timeout said as what it was: the request timeout, over (not "too slow").
    fn gave_up(&self, mut e: ApiError) -> ApiError {
        if e.kind == ErrorKind::Timeout && matches!(e.reason, Some(Reason::TooSlow { .. })) {
            e.reason = Some(Reason::GaveUpAfter { secs: self.config.request_timeout.as_secs() });
        }
        e
    }

    /// Checks a key with `GET {base}/models`: `Ok` when the endpoint accepts it.
    pub async fn check_key(&self, base_url: &Url, key: &str, cancel: &CancellationToken) -> Result<(), ApiError> {
        self.list_models(base_url, key, cancel).await.map(|_| ())
    }

    /// The model ids the endpoint lists at `GET {base}/models`, as it lists them (an endpoint
    /// that lists none, or answers with something else, gives an empty list). A hostile answer
    /// is bounded: 4 MB read, [`MAX_LISTED_MODELS`] ids, each cleaned and at most
    /// [`super::error::MAX_ID_CHARS`] long.
    pub async fn list_models(
        &self,
        base_url: &Url,
        key: &str,
        cancel: &CancellationToken,
    ) -> Result<Vec<String>, ApiError> {
        check_url(base_url)?;
        let url = endpoint_url(base_url, "models");
        let work = async {
            let request = self.authed.get(url).header(AUTHORIZATION, bearer(key)).timeout(self.config.request_timeout);
            let resp = request.send().await.map_err(|e| from_reqwest(&e))?;
            let status = resp.status();
            let retry_after = parse_retry_after(resp.headers());
            let body = self.read_body(resp, 4 << 20, &|_| {}).await?;
            if status.is_success() {
                Ok(listed_models(&body))
            } else {
                Err(classify_masked(status, &body, retry_after, Some(key)))
            }
        };
        tokio::select! {
            biased;
            _ = cancel.cancelled() => Err(ApiError::new(ErrorKind::Cancelled)),
            r = work => r.map_err(|e| redact_error(e, key)),
        }
    }

    fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            return ra.min(self.config.max_retry_after);
        }
        let exp = self.config.backoff_base.saturating_mul(1 << (retry - 1).min(4));
        exp.mul_f64(0.75 + fastrand::f64() * 0.5).min(Duration::from_secs(8))
    }

    async fn post(
        &self,
        url: &Url,
        key: &str,
        payload: &(dyn Fn(&Arc<Notify>) -> Payload + Sync),
        stream: bool,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<(Reply, Option<String>), ApiError> {
        let accept = if stream { "text/event-stream, application/json" } else { "application/json" };
        let request = |client: &reqwest::Client, went_out: &Arc<Notify>| {
            // The whole request, a stream's last event included, within the request timeout.
            let request = client
                .post(url.clone())
                .header(AUTHORIZATION, bearer(key))
                .header(ACCEPT, accept)
                .timeout(self.config.request_timeout);
            // A form sets its own content type and length, with its boundary.
            match payload(went_out) {
                Payload::Json(body, len) => {
                    request.header(CONTENT_TYPE, "application/json").header(CONTENT_LENGTH, len).body(body)
                }
                Payload::Form(form) => request.multipart(form),
            }
        };
        let went_out = Arc::new(Notify::new());
        let mut sent = std::pin::pin!(request(&self.authed, &went_out).send());
        // "Sent." once the whole request has been handed to the connection, not before.
        let resp = tokio::select! {
            biased;
            resp = &mut sent => resp,
            () = went_out.notified() => {
                progress(Progress::Waiting);
                sent.await
            }
        };
        let resp = match resp {
            Err(e) if closed_before_answering(&e) => {
                log::info!("the server closed a reused connection before answering; sending again on a new one");
                request(self.fresh()?, &went_out).send().await
            }
            other => other,
        };
        let resp = resp.map_err(|e| self.gave_up(from_reqwest(&e)))?;
        let status = resp.status();
        let request_id = header_text(resp.headers(), &["x-request-id", "x-oneapi-request-id", "request-id"]);
        let retry_after = parse_retry_after(resp.headers());
        if status.is_redirection() {
            let mut e = ApiError::new(ErrorKind::Insecure).because(Reason::RedirectedElsewhere);
            e.status = Some(status.as_u16());
            return Err(e);
        }
        if status.is_success() && stream && is_event_stream(resp.headers()) {
            return Ok((Reply::Events(resp), request_id));
        }
        let body = self.read_body(resp, self.config.max_body_bytes, progress).await.map_err(|e| self.gave_up(e))?;
        if !status.is_success() {
            let mut e = classify_masked(status, &body, retry_after, Some(key));
            e.request_id = e.request_id.or(request_id);
            return Err(e);
        }
        Ok((Reply::Body(body), request_id))
    }

    async fn read_body(
        &self,
        resp: reqwest::Response,
        limit: usize,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Vec<u8>, ApiError> {
        // Content-Length is a hint, not a promise: never reserve more than 64 MB on its word.
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0).min(limit as u64).min(64 << 20) as usize);
        let mut stream = resp.bytes_stream();
        let mut last_report = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                // The request was sent and the work done; only the answer failed to arrive.
                let mut err = from_reqwest(&e);
                err.maybe_billed = true;
                err
            })?;
            body.extend_from_slice(&chunk);
            if body.len() > limit {
                return Err(ApiError::new(ErrorKind::Unreadable).because(Reason::AnswerTooLarge));
            }
            // A progress event per megabyte is plenty for a caption.
            if body.len() as u64 - last_report >= 1 << 20 {
                last_report = body.len() as u64;
                progress(Progress::Receiving { bytes: last_report });
            }
        }
        Ok(body)
    }

    /// Downloads a returned picture link, sending the key only if the link is on the endpoint's
    /// origin. Relative links are resolved against the endpoint; plain http links to other
    /// machines are fetched over https instead.
    async fn download(&self, link: &str, target: Target<'_>) -> Result<Vec<u8>, ApiError> {
        let bad_link = || ApiError::new(ErrorKind::NoImage).because(Reason::LinkInvalid);
        let mut url = target.base_url.join(link.trim()).map_err(|_| bad_link())?;
        if url.scheme() == "http" && !is_loopback(&url) {
            url.set_scheme("https").map_err(|_| bad_link())?;
        }
        check_url(&url)?;
        let same_origin = url.origin() == target.base_url.origin();
        let mut retries = 0;
        loop {
            let result = self.download_once(&url, same_origin.then_some(target.key)).await;
            match result {
                // A download is a plain GET of a picture already paid for: safe to repeat.
                Err(mut e)
                    if retries < self.config.max_retries
                        && matches!(
                            e.kind,
                            ErrorKind::Network | ErrorKind::Server | ErrorKind::RateLimit | ErrorKind::Timeout
                        ) =>
                {
                    retries += 1;
                    e.maybe_billed = false;
                    tokio::time::sleep(self.backoff(retries, e.retry_after.map(|d| d.min(Duration::from_secs(10)))))
                        .await;
                }
                other => return other,
            }
        }
    }

    async fn download_once(&self, url: &Url, key: Option<&str>) -> Result<Vec<u8>, ApiError> {
        let mut resp = match key {
            Some(k) => {
                let request = self.authed.get(url.clone()).header(AUTHORIZATION, bearer(k));
                request.timeout(self.config.request_timeout).send().await
            }
            None => self.plain.get(url.clone()).send().await,
        }
        .map_err(|e| from_reqwest(&e))?;
        if resp.status().is_redirection() && key.is_some() {
            // The endpoint's own file link sends us to a CDN: follow it, without the key.
            let next = redirect_target(&resp)?;
            resp = self.plain.get(next).send().await.map_err(|e| from_reqwest(&e))?;
        }
        if resp.status().is_redirection() {
            // The key-less client stopped following: at an address it may not go to, or after
            // too many hops or a loop.
            redirect_target(&resp)?;
            return Err(ApiError::new(ErrorKind::NoImage).because(Reason::LinkKeptRedirecting));
        }
        let status = resp.status();
        let retry_after = parse_retry_after(resp.headers());
        if status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN || status == StatusCode::GONE {
            return Err(ApiError::new(ErrorKind::NoImage).because(Reason::LinkExpired));
        }
        let body = self.read_body(resp, DOWNLOAD_LIMIT, &|_| {}).await?;
        if !status.is_success() {
            return Err(classify_masked(status, &body, retry_after, key));
        }
        Ok(body)
    }
}

/// Whether an answer is an event stream, by its content type.
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("text/event-stream"))
}

/// A stream that broke: too slow between two pieces (the read timeout), or cut. Either way the
/// picture was being made and may be billed.
fn stream_failure(e: &reqwest::Error) -> ApiError {
    if e.is_timeout() {
        return from_reqwest(e);
    }
    super::stream::cut()
}

/// Reads the events waiting, off the async executor (a final picture is megabytes of base64),
/// and reports each preview. `Some` when the stream said it is over: `Some(None)` for its end,
/// `Some(Some(e))` for a failure.
async fn take_events(
    collector: &mut Collector,
    events: &mut Vec<super::stream::SseEvent>,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Option<Option<ApiError>> {
    for event in std::mem::take(events) {
        let Ok(update) = tokio::task::spawn_blocking(move || interpret(&event)).await else {
            return Some(Some(ApiError::new(ErrorKind::Unreadable).because(Reason::ReadingFailed)));
        };
        match collector.take(update) {
            Step::Continue => {}
            Step::Preview { picture, step, of, image } => progress(Progress::Preview { picture, step, of, image }),
            Step::Stop(e) => return Some(e),
        }
        if collector.complete() {
            break;
        }
    }
    None
}

/// An edit answered 404 or 405: the endpoint is there (its generations may work) but offers no
/// picture changes, which is worth its own sentence rather than "the address seems wrong".
fn no_edits_here(mut e: ApiError) -> ApiError {
    if e.kind == ErrorKind::WrongAddress && matches!(e.status, Some(404 | 405)) {
        e.kind = ErrorKind::NoEdits;
    }
    e
}

/// Where a redirect answer sends a picture download, if it may go there.
fn redirect_target(resp: &reqwest::Response) -> Result<Url, ApiError> {
    let next = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| resp.url().join(l).ok())
        .ok_or_else(|| ApiError::new(ErrorKind::NoImage).because(Reason::LinkLedNowhere))?;
    check_url(&next)?;
    Ok(next)
}

/// The largest single picture download accepted (a 4K PNG is around 25 MB).
const DOWNLOAD_LIMIT: usize = 128 << 20;

/// Picture links downloaded at once: enough to be quick, few enough that a relay's links to
/// huge files cannot hold more than a few times [`DOWNLOAD_LIMIT`] in memory.
const DOWNLOADS_AT_ONCE: usize = 4;

/// Checks that a base URL or picture link may be used: https anywhere, plain http only on this
/// computer (loopback), where nothing travels over a network.
pub fn check_url(url: &Url) -> Result<(), ApiError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => {
            Err(ApiError::new(ErrorKind::Insecure)
                .because(Reason::PlainHttp { host: url.host_str().map(str::to_string) }))
        }
        other => {
            Err(ApiError::new(ErrorKind::Insecure).because(Reason::UnsupportedScheme { scheme: other.to_string() }))
        }
    }
}

/// Parses and checks a base URL typed by a user; trailing slashes are fine.
pub fn parse_base_url(text: &str) -> Result<Url, ApiError> {
    let t = text.trim();
    let url = Url::parse(t)
        .map_err(|_| ApiError::new(ErrorKind::Insecure).because(Reason::NotAWebAddress { text: t.to_string() }))?;
    if url.host_str().is_none() {
        return Err(ApiError::new(ErrorKind::Insecure).because(Reason::NoHost { text: t.to_string() }));
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
        // A key in the address would end up in messages and metadata: it belongs in the keyring.
        return Err(ApiError::new(ErrorKind::Insecure).because(Reason::AddressWithExtras));
    }
    check_url(&url)?;
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `{base}/{path}`, whether or not the base ends in a slash.
pub fn endpoint_url(base: &Url, path: &str) -> Url {
    let mut s = base.as_str().trim_end_matches('/').to_string();
    s.push('/');
    s.push_str(path);
    Url::parse(&s).unwrap_or_else(|_| base.clone())
}

fn bearer(key: &str) -> reqwest::header::HeaderValue {
    let mut v = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", key.trim()))
        .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("Bearer invalid"));
    v.set_sensitive(true);
    v
}

/// The first of the headers `names` that has a value, cleaned to one line of at most
/// [`MAX_ID_CHARS`] characters: it is kept and shown, and the relay chose every byte of it.
fn header_text(headers: &HeaderMap, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| headers.get(*n))
        .map(|v| crate::outside::one_line_cut(&String::from_utf8_lossy(v.as_bytes()), MAX_ID_CHARS))
        .filter(|s| !s.is_empty())
}

/// `Retry-After` in seconds or as an HTTP date.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    // An HTTP date (any of the three forms HTTP allows), or, leniently, an RFC 3339 one.
    let rfc3339 = || chrono::DateTime::parse_from_rfc3339(text).ok().map(std::time::SystemTime::from);
    let when = httpdate::parse_http_date(text).ok().or_else(rfc3339)?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

/// Classifies a transport failure. A failure to connect is safe to retry; a timeout
/// or break after the request went out may already be billed.
fn from_reqwest(e: &reqwest::Error) -> ApiError {
    let host = e.url().and_then(|u| u.host_str()).map(str::to_string);
    if e.is_connect() {
        return ApiError::new(ErrorKind::Network).because(Reason::Unreachable { host });
    }
    if e.is_timeout() {
        let mut err = ApiError::new(ErrorKind::Timeout).because(Reason::TooSlow { host });
        err.maybe_billed = true;
        return err;
    }
    if e.is_redirect() {
        return ApiError::new(ErrorKind::Insecure).because(Reason::TooManyRedirects);
    }
    let mut err = ApiError::new(ErrorKind::Network).because(Reason::ConnectionBroke { host });
    err.maybe_billed = true;
    err
}

/// Classifies an error answer with the key masked in its body first, before anything is cut
/// or quoted, so no fragment of it can survive into a message.
fn classify_masked(status: StatusCode, body: &[u8], retry_after: Option<Duration>, key: Option<&str>) -> ApiError {
    match key {
        Some(k) => classify_status(status.as_u16(), redact(&String::from_utf8_lossy(body), k).as_bytes(), retry_after),
        None => classify_status(status.as_u16(), body, retry_after),
    }
}

/// The error with the key masked in every text it holds, all of them taken from the answer or an
/// address. The last step before an error leaves the client: after cleaning, so no control
/// character put between the key's characters can hide it.
fn redact_error(mut e: ApiError, key: &str) -> ApiError {
    let mask = |text: String| redact(&text, key);
    e.detail = e.detail.map(mask);
    e.reason = e.reason.map(|r| r.redacted(key));
    e.request_id = e.request_id.map(mask);
    e.code = e.code.map(mask);
    e.param = e.param.map(mask);
    e
}

/// The finished request with the key masked in every text taken from the answer, before any of
/// it is shown or written into a picture's metadata: a relay may echo the key in its request id
/// or its rewritten prompt.
fn redact_generation(mut g: Generation, key: &str) -> Generation {
    let mask = |text: String| redact(&text, key);
    g.request_id = g.request_id.map(mask);
    g.revised_prompt = g.revised_prompt.map(mask);
    g.echo = Echo {
        output_format: g.echo.output_format.map(mask),
        size: g.echo.size.map(mask),
        quality: g.echo.quality.map(mask),
        background: g.echo.background.map(mask),
    };
    g.problems = g.problems.into_iter().map(|p| redact_error(p, key)).collect();
    g
}

async fn sleep_unless_cancelled(delay: Duration, cancel: &CancellationToken) -> Result<(), ApiError> {
    tokio::select! {
        _ = cancel.cancelled() => Err(ApiError::new(ErrorKind::Cancelled)),
        _ = tokio::time::sleep(delay) => Ok(()),
    }
}

/// Runs CPU-heavy work (JSON of tens of MB, base64, image headers) off the async executor.
async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Err(ApiError::new(ErrorKind::Unreadable).because(Reason::ReadingFailed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_on_loopback() {
        for ok in [
            "https://api.quickrouter.ai/v1",
            "http://127.0.0.1:8080/v1",
            "http://localhost:3000",
            "http://[::1]:9/v1",
            "http://127.8.9.10/",
        ] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.quickrouter.ai/v1",
            "http://192.168.1.2/v1",
            "ftp://x.example",
            "api.quickrouter.ai",
            "not a url",
            "file:///etc/passwd",
            "https://user:sk-123@relay.example/v1",
            "https://relay.example/v1?key=sk-123",
        ] {
            let e = parse_base_url(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Insecure, "{bad}");
        }
    }

    #[test]
    fn endpoint_urls_join_cleanly() {
        let a = Url::parse("https://api.quickrouter.ai/v1").unwrap();
        let b = Url::parse("https://api.quickrouter.ai/v1/").unwrap();
        assert_eq!(endpoint_url(&a, "images/generations").as_str(), "https://api.quickrouter.ai/v1/images/generations");
        assert_eq!(endpoint_url(&b, "images/generations").as_str(), "https://api.quickrouter.ai/v1/images/generations");
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(RETRY_AFTER, "0.5".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_millis(500)));
        h.insert(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO), "a date in the past means now");
        h.insert(RETRY_AFTER, "Sunday, 06-Nov-94 08:49:37 GMT".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO), "the older HTTP date forms too");
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(parse_retry_after(&h), None);
        h.insert(RETRY_AFTER, "1e20".parse().unwrap());
        assert_eq!(parse_retry_after(&h), None, "an absurd value is ignored, not a panic");
    }

    #[test]
    fn backoff_honours_retry_after_up_to_the_cap() {
        let c = Client::new(ClientConfig::default()).unwrap();
        assert_eq!(c.backoff(1, Some(Duration::from_secs(7))), Duration::from_secs(7));
        assert_eq!(c.backoff(1, Some(Duration::from_secs(900))), Duration::from_secs(120));
        let d = c.backoff(2, None);
        assert!(d >= Duration::from_millis(750) && d <= Duration::from_millis(1250), "{d:?}");
    }
}
