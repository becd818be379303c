//! The worker: a tokio runtime on its own named threads that runs jobs and reports back.
//!
//! Jobs go in with [`Worker::submit`]; [`Event`]s come out over a channel, and after each one
//! the worker calls the waker it was given (the window passes `ctx.request_repaint`), so a UI
//! can drain events once per frame and never block. Several jobs run at once, up to a limit;
//! any job can be cancelled by its id.

pub use crate::api::Remedy;
use crate::api::{
    ApiError, Client, ClientConfig, ErrorKind, Generation, ImageRequest, OutputFormat, Progress, Reason, ReceivedImage,
    Target, ValidationError,
};
use crate::endpoint::{Endpoint, Order, Prices};
use crate::library::decode::DecodeError;
use crate::library::{self, Library, LibraryError, Provenance, SavedImage, Thumbnail};
use crate::secrets::ApiKey;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

/// Identifies a job for its lifetime in one run of Easel.
pub type JobId = u64;

/// A request to run: what to ask for, where, with which key.
#[derive(Debug, Clone)]
pub struct Job {
    pub request: ImageRequest,
    pub endpoint: Endpoint,
    pub key: ApiKey,
    /// The comparison cell this request is, kept in its pictures' metadata.
    pub comparison: Option<crate::compare::Tag>,
    /// A change of pictures (`POST /images/edits`) rather than new ones; `request` holds the
    /// same settings (the edit's).
    pub edit: Option<Arc<EditJob>>,
}

/// What an edit sends and what its pictures are saved with: the files as they were read, once.
#[derive(Debug, Clone)]
pub struct EditJob {
    /// The checked request, pictures and mask as they are sent.
    pub request: crate::api::EditRequest,
    /// Where the pictures came from (the first is the one changed), to take a refused change up
    /// again. Never read again for this job: a file replaced or gone after sending changes
    /// nothing of what is saved.
    pub pictures: Vec<PathBuf>,
    /// Each picture's name and SHA-256, as it was read to be sent.
    pub inputs: Vec<library::edit::EditInput>,
    /// With a mask: the first picture as it was read, from which the outside is put back at
    /// its full size (shared by a comparison's cells, never copied).
    pub original: Option<bytes::Bytes>,
    /// The mask's bytes as the user gave them (with transparency, or black and white).
    pub mask: Option<Vec<u8>>,
    /// Keep the model's whole picture rather than the original outside the mask.
    pub whole_result: bool,
}

impl EditJob {
    /// Checks and readies an edit of `pictures` (each with where it was read from; the first is
    /// the one changed) and `mask`, read once by the caller ([`library::edit::read_edit_file`]):
    /// what is sent, recorded and kept outside the mask are these bytes. Blocking: decodes.
    pub fn prepare(
        settings: ImageRequest,
        fidelity: Option<crate::api::InputFidelity>,
        pictures: Vec<(PathBuf, crate::api::EditFile)>,
        mask: Option<crate::api::EditFile>,
        whole_result: bool,
    ) -> Result<EditJob, crate::api::EditError> {
        let inputs = pictures.iter().map(|(_, f)| library::edit::EditInput::of(f.name.clone(), &f.bytes)).collect();
        let original =
            mask.as_ref().and(pictures.first()).map(|(_, first)| bytes::Bytes::copy_from_slice(&first.bytes));
        let mask_bytes = mask.as_ref().map(|m| m.bytes.clone());
        let (paths, files): (Vec<PathBuf>, Vec<crate::api::EditFile>) = pictures.into_iter().unzip();
        let request = crate::api::EditRequest::prepare(settings, fidelity, files, mask)?;
        Ok(EditJob { request, pictures: paths, inputs, original, mask: mask_bytes, whole_result })
    }

    /// The same pictures and mask with other settings (a comparison's cell).
    pub fn with_settings(&self, settings: ImageRequest) -> EditJob {
        let mut job = self.clone();
        job.request.settings = settings;
        job
    }
}

/// How the worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub client: ClientConfig,
    /// Jobs running at once; more wait their turn.
    pub max_concurrent: usize,
    /// When set, a thumbnail of at most this many pixels a side follows each saved picture.
    pub thumbnail_size: Option<u32>,
    /// Prices for the estimates written into each picture's metadata.
    pub prices: Prices,
    /// Threads for the runtime (network work is light; decoding runs on its blocking pool).
    pub threads: usize,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            client: ClientConfig::default(),
            max_concurrent: 3,
            thumbnail_size: Some(256),
            prices: Prices::default(),
            threads: 2,
        }
    }
}

/// Why a job failed, in words.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("{0}")]
    Api(#[from] ApiError),
    /// The pictures arrived but could not be written to the library; those not saved there
    /// were put in `rescued`, or are lost when it is `None`.
    #[error("{}", disk_words(error, rescued.as_deref()))]
    Disk { error: LibraryError, rescued: Option<PathBuf> },
    /// A bug in Easel stopped the job; pictures already saved are kept.
    #[error("{}", words::INTERNAL())]
    Internal,
}

fn disk_words(error: &LibraryError, rescued: Option<&std::path::Path>) -> String {
    match rescued {
        Some(dir) => words::rescued(&error.to_string(), &dir.display().to_string()),
        None => words::lost(&error.to_string()),
    }
}

impl JobError {
    /// Whether the user cancelled it.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, JobError::Api(e) if e.kind == ErrorKind::Cancelled)
    }

    /// The one action that fixes it, for a view to offer as a button beside
    /// [`sentence`](Self::sentence): worded by [`Remedy::label`], run by the command
    /// `Remedy::command` gives (in `app::problem`). A prompt the safety system refused is
    /// [`Remedy::ChangePrompt`], never a retry.
    pub fn remedy(&self) -> Remedy {
        match self {
            JobError::Invalid(ValidationError::EmptyPrompt | ValidationError::PromptTooLong { .. }) => {
                Remedy::ChangePrompt
            }
            JobError::Invalid(_) => Remedy::ChangeSettings,
            JobError::Api(e) => e.remedy(),
            JobError::Disk { .. } => Remedy::CheckSettings,
            JobError::Internal => Remedy::Retry,
        }
    }

    /// The same failure `waited` after it happened ([`ApiError::waited`]): a wait the service
    /// asked for counts down.
    pub fn waited(&self, waited: std::time::Duration) -> JobError {
        match self {
            JobError::Api(e) => JobError::Api(e.waited(waited)),
            other => other.clone(),
        }
    }

    /// What happened, in one sentence in the language in use and without the advice, which the
    /// [`remedy`](Self::remedy)'s button gives; the whole message (`Display`) is for "More
    /// info" and the terminal. A disk failure keeps its whole message: it says where the
    /// pictures are.
    pub fn sentence(&self) -> String {
        match self {
            JobError::Api(e) => e.sentence(),
            JobError::Internal => words::INTERNAL_SHORT().into(),
            JobError::Invalid(_) | JobError::Disk { .. } => self.to_string(),
        }
    }
}

/// What a finished job produced.
#[derive(Debug, Clone)]
pub struct JobSummary {
    pub saved: Vec<SavedImage>,
    /// From sending the request to the answer being in.
    pub elapsed: Duration,
    pub usage: Option<crate::api::Usage>,
    /// List-price estimate from the table, for the whole request.
    pub estimated_cost_usd: Option<f64>,
    /// List-price cost from the reported tokens, for the whole request.
    pub cost_from_usage_usd: Option<f64>,
    /// Things the user should know that did not stop the job.
    pub notes: Vec<JobNote>,
    /// Pictures of the answer that could not be had (a link that failed, damaged data).
    pub missing: usize,
}

impl JobSummary {
    /// What one picture of this request cost at list prices, the one figure a view shows
    /// (worded by `ui::text::about_cost`: "about $0.01"): from the tokens the endpoint reported
    /// when it reported them, else the price table's estimate. `None` when no price is known
    /// or no picture came. The parts (usage, both figures) stay in the summary for "More info".
    pub fn cost_per_picture(&self) -> Option<f64> {
        let pictures = self.saved.len();
        if pictures == 0 {
            return None;
        }
        self.cost().map(|total| total / pictures as f64)
    }

    /// The request's cost at list prices: from the tokens reported, else the estimate.
    pub fn cost(&self) -> Option<f64> {
        self.cost_from_usage_usd.or(self.estimated_cost_usd)
    }
}

/// Something the user should know about a finished job that did not stop it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JobNote {
    /// One picture of the answer could not be had (a link that failed, damaged data).
    #[error("{}", words::missing_picture(&.0.to_string()))]
    MissingPicture(ApiError),
    /// The pictures came back in another format than asked; they are kept as what they are.
    #[error("{}", words::other_format(&asked.wire().to_uppercase(), &got.wire().to_uppercase()))]
    OtherFormat { asked: OutputFormat, got: OutputFormat },
    /// The endpoint sent `sent` pictures for the `kept` asked for; the rest were left out unread.
    #[error("{}", words::too_many_pictures(*kept, &crate::i18n::thousands(sent)))]
    TooManyPictures { sent: usize, kept: usize },
    /// How much the model changed outside the mask (undone, or kept as the user chose).
    #[error("{0}")]
    Outside(library::edit::OutsideNote),
    /// The outside of the mask could not be put back; the model's picture is saved as it came.
    #[error("{0}")]
    NotKept(Box<library::edit::EditSaveError>),
    /// The endpoint refused streamed previews: the pictures were asked again without them, as
    /// they will be at this endpoint for a week.
    #[error("{}", words::NO_PREVIEWS())]
    NoPreviews,
    /// The endpoint failed when asked for previews (a relay that cannot pass them on), before
    /// sending one: the pictures were asked again without them, as they will be for a week.
    #[error("{}", words::PREVIEWS_BROKE())]
    PreviewsBroke,
    /// A change with a painted area was asked in `asked` (JPEG or WebP) and is kept as PNG: the
    /// picture outside the painted area stays exactly as it was only in a lossless file.
    #[error("{}", words::kept_as_png(&asked.wire().to_uppercase()))]
    KeptAsPng { asked: OutputFormat },
    /// It took this many requests to get the pictures (a retry, a fallback, a setting the
    /// endpoint refused): said, since a failed request may still be billed.
    #[error("{}", words::took_requests(u64::from(*.0)))]
    TookRequests(u32),
}

/// How long a refusal of previews is remembered before they are asked for again: relays change.
pub const PREVIEWS_REFUSAL_LASTS: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// What the worker reports, in the order it happens for each job.
#[derive(Debug, Clone)]
pub enum Event {
    /// Accepted; waiting for a free slot.
    Queued { id: JobId },
    /// Running.
    Started { id: JobId },
    /// Something happened on the wire.
    Progress { id: JobId, progress: Progress },
    /// A picture is safely on disk.
    ImageSaved { id: JobId, index: usize, image: Box<SavedImage> },
    /// A thumbnail of a saved picture, or why it cannot be shown.
    Thumbnail { id: JobId, index: usize, thumbnail: Result<Thumbnail, DecodeError> },
    /// A streamed preview of picture `index` of the request: `step` of `of`, decoded small.
    Preview { id: JobId, index: usize, step: u8, of: u8, preview: Thumbnail },
    /// Done: every picture that arrived is saved.
    Finished { id: JobId, summary: Box<JobSummary> },
    /// Failed or cancelled; `saved` pictures (if any) are on disk all the same.
    Failed { id: JobId, error: JobError, saved: Vec<SavedImage> },
}

impl Event {
    /// The job this event is about.
    pub fn job(&self) -> JobId {
        match self {
            Event::Queued { id }
            | Event::Started { id }
            | Event::Progress { id, .. }
            | Event::ImageSaved { id, .. }
            | Event::Thumbnail { id, .. }
            | Event::Preview { id, .. }
            | Event::Finished { id, .. }
            | Event::Failed { id, .. } => *id,
        }
    }
}

type Waker = Arc<dyn Fn() + Send + Sync>;

/// Everything a job's task needs, shared.
struct Shared {
    client: LazyClient,
    library: Arc<Library>,
    config: WorkerConfig,
    events: Sender<Event>,
    waker: Waker,
    jobs: Mutex<HashMap<JobId, CancellationToken>>,
    slots: Arc<Semaphore>,
    limit: AtomicUsize,
    /// The price table for the estimates in metadata; Settings can change it at any time.
    prices: Mutex<Prices>,
}

impl Shared {
    fn send(&self, event: Event) {
        // The receiver is gone only when the front end is closing; nothing is lost on disk.
        if self.events.send(event).is_err() {
            log::debug!("an event came after the front end closed");
        }
        (self.waker)();
    }
}

/// The background worker. Dropping it cancels every job and stops its threads.
pub struct Worker {
    runtime: Option<tokio::runtime::Runtime>,
    shared: Arc<Shared>,
    events: Receiver<Event>,
    next_id: AtomicU64,
}

/// The HTTP client, made on the worker's blocking pool when first needed rather than when the
/// window opens: making one reads the system's certificates (about 8 ms of one core), which the
/// first frame need not wait for.
#[derive(Clone)]
pub struct LazyClient {
    cell: Arc<tokio::sync::OnceCell<Client>>,
    config: ClientConfig,
}

impl LazyClient {
    fn new(config: ClientConfig) -> LazyClient {
        LazyClient { cell: Arc::new(tokio::sync::OnceCell::new()), config }
    }

    /// The client, made on first use (once; a failure is tried again next time).
    pub async fn get(&self) -> Result<&Client, ApiError> {
        self.cell
            .get_or_try_init(|| {
                // Copied only when the client is made, not on every request.
                let config = self.config.clone();
                async move {
                    tokio::task::spawn_blocking(move || Client::new(config))
                        .await
                        .unwrap_or_else(|_| Err(ApiError::new(ErrorKind::Network).because(Reason::NetworkDidNotStart)))
                }
            })
            .await
    }
}

impl Worker {
    /// Starts the runtime. `waker` is called after every event, from a worker thread.
    pub fn new(
        config: WorkerConfig,
        library: Arc<Library>,
        waker: impl Fn() + Send + Sync + 'static,
    ) -> Result<Worker, ApiError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.threads.max(1))
            .thread_name("easel-worker")
            .enable_all()
            .build()
            .map_err(|_| ApiError::new(ErrorKind::Network).because(Reason::NoThreads))?;
        // Made by the first request that needs it, not now: at start-up the window's first frame
        // needs both cores.
        let client = LazyClient::new(config.client.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        let limit = config.max_concurrent.max(1);
        let shared = Arc::new(Shared {
            client,
            library,
            events: tx,
            waker: Arc::new(waker),
            jobs: Mutex::new(HashMap::new()),
            slots: Arc::new(Semaphore::new(limit)),
            limit: AtomicUsize::new(limit),
            prices: Mutex::new(config.prices.clone()),
            config,
        });
        Ok(Worker { runtime: Some(runtime), shared, events: rx, next_id: AtomicU64::new(1) })
    }

    /// Queues a job and returns its id at once; its events follow.
    pub fn submit(&self, job: Job) -> JobId {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let cancel = CancellationToken::new();
        self.shared.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id, cancel.clone());
        let shared = self.shared.clone();
        let handle = self.handle();
        handle.clone().spawn(async move {
            let inner = shared.clone();
            // A job that panics must still end with an event, or its tile would spin forever.
            let event = handle
                .spawn(async move { run_job(&inner, id, job, &cancel).await })
                .await
                .unwrap_or_else(|_| Event::Failed { id, error: JobError::Internal, saved: Vec::new() });
            shared.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&id);
            shared.send(event);
        });
        id
    }

    /// Cancels a job; `false` if it had already ended. Pictures already on disk stay there.
    pub fn cancel(&self, id: JobId) -> bool {
        match self.shared.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&id) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    /// How many jobs are queued or running.
    pub fn active(&self) -> usize {
        self.shared.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    /// Changes how many jobs may run at once; running jobs are not interrupted.
    pub fn set_max_concurrent(&self, n: usize) {
        let n = n.max(1);
        let old = self.shared.limit.swap(n, Ordering::SeqCst);
        if n > old {
            self.shared.slots.add_permits(n - old);
        } else if n < old {
            let slots = self.shared.slots.clone();
            let fewer = (old - n) as u32;
            // Taken as running jobs finish, then given up for good.
            self.handle().spawn(async move {
                if let Ok(p) = slots.acquire_many(fewer).await {
                    p.forget();
                }
            });
        }
    }

    /// Changes the prices used for the estimates of jobs that finish from now on.
    pub fn set_prices(&self, prices: Prices) {
        *self.shared.prices.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = prices;
    }

    /// The next event, if one is waiting. Never blocks: for a UI frame.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// Waits up to `timeout` for the next event: for the terminal front end.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// The runtime, for the front ends' own small tasks (a Ctrl+C listener, a key check).
    pub fn handle(&self) -> tokio::runtime::Handle {
        self.runtime.as_ref().expect("the runtime lives as long as the worker").handle().clone()
    }

    /// The HTTP client, for one-off calls such as checking a key.
    pub fn client(&self) -> LazyClient {
        self.shared.client.clone()
    }

    /// The library jobs save into.
    pub fn library(&self) -> &Arc<Library> {
        &self.shared.library
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        for token in self.shared.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).values() {
            token.cancel();
        }
        if let Some(rt) = self.runtime.take() {
            // Saving in progress finishes (it runs on blocking threads), within reason.
            rt.shutdown_timeout(Duration::from_secs(10));
        }
    }
}

async fn run_job(shared: &Arc<Shared>, id: JobId, job: Job, cancel: &CancellationToken) -> Event {
    let fail = |error: JobError| Event::Failed { id, error, saved: Vec::new() };
    if let Err(e) = job.request.validate(job.endpoint.prompt_limit) {
        return fail(e.into());
    }
    shared.send(Event::Queued { id });
    let slot = tokio::select! {
        biased;
        _ = cancel.cancelled() => return fail(ApiError::new(ErrorKind::Cancelled).into()),
        permit = shared.slots.clone().acquire_owned() => permit,
    };
    let Ok(_slot) = slot else { return fail(ApiError::new(ErrorKind::Cancelled).into()) };
    shared.send(Event::Started { id });

    let library = shared.library.clone();
    let memory_key = job.endpoint.memory_key();
    let field = library.format_field_for(&memory_key).unwrap_or(job.endpoint.format_field);
    let image_field = library.image_field_for(&memory_key).unwrap_or_default();
    let started = Instant::now();
    let (sent, previews) = send(shared, id, &job, &memory_key, field, image_field, cancel).await;
    let generation = match sent {
        Ok(g) => g,
        Err(e) => return fail(e.into()),
    };
    let elapsed = started.elapsed();

    let missing = generation.problems.len();
    let mut notes: Vec<JobNote> = generation.problems.iter().cloned().map(JobNote::MissingPicture).collect();
    if generation.dropped > 0 {
        let kept = usize::from(job.request.n);
        notes.push(JobNote::TooManyPictures { sent: kept + generation.dropped, kept });
    }
    remember_format_choice(&library, &memory_key, field, &generation, &job.request, &mut notes);
    remember_image_field(&library, &memory_key, image_field, generation.image_field);
    if generation.previews_refused || generation.previews_broke {
        notes.push(if generation.previews_refused { JobNote::NoPreviews } else { JobNote::PreviewsBroke });
        // Failing to remember only means one refused request more next time.
        if let Err(e) = library.remember_previews_refused(&memory_key) {
            log::warn!("that {memory_key} takes no previews could not be remembered: {e}");
        }
    }
    if generation.attempts > 1 {
        notes.push(JobNote::TookRequests(generation.attempts));
    }
    // Previews are made (and billed) only when the answer was streamed: a relay that ignores
    // `stream` and answers plain JSON made none.
    let previews = if generation.streamed { previews } else { 0 };

    let prices = shared.prices.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    let count = generation.images.len();
    let r = &job.request;
    let n = u32::try_from(count).unwrap_or(u32::MAX);
    // An edit also pays for reading its input pictures.
    let inputs = job.edit.as_ref().map(|e| e.request.estimated_input_tokens());
    let estimated_total = prices.estimate(&Order::of(r).pictures(n).previews(previews).inputs(inputs));
    let cost_from_usage = generation.usage.as_ref().and_then(|u| prices.cost_from_usage(&job.request.model, u));
    let prov = Provenance {
        elapsed_secs: elapsed.as_secs_f64(),
        usage: generation.usage,
        estimated_cost_usd: estimated_total.map(|e| e.usd / count.max(1) as f64),
        request_cost_usd: cost_from_usage,
        revised_prompt: generation.revised_prompt.clone(),
        request_id: generation.request_id.clone(),
        comparison: job.comparison.clone(),
        // The previews that were made, not those first asked for (none, after a fallback).
        ..Provenance::new(
            ImageRequest { partial_images: previews, ..job.request.clone() },
            job.endpoint.base_url.to_string(),
            job.endpoint.display_name(),
            count,
        )
    };

    // Paid-for pictures are saved even if the job is cancelled now: this part is not cancellable.
    let images = generation.images;
    let save_shared = shared.clone();
    let edit = job.edit.clone();
    let saved = tokio::task::spawn_blocking(move || save_all(&save_shared, id, images, &prov, edit.as_deref())).await;
    let (saved, disk_error, edit_notes) = match saved {
        Ok(result) => result,
        // Saving panicked: whatever was saved is on disk and listed by the history.
        Err(_) => (Vec::new(), Some(JobError::Internal), Vec::new()),
    };
    notes.extend(edit_notes);
    if saved.iter().any(|s| s.meta.edit.as_ref().is_some_and(|e| e.outcome == library::edit::EditOutcome::OutsideKept))
        && job.request.format != OutputFormat::Png
    {
        notes.push(JobNote::KeptAsPng { asked: job.request.format });
    }
    if let Some(error) = disk_error {
        return Event::Failed { id, error, saved };
    }
    // The stream stopped before every picture was finished: those finished are saved above,
    // and the failure is said now.
    if let Some(error) = generation.interrupted {
        return Event::Failed { id, error: error.into(), saved };
    }
    Event::Finished {
        id,
        summary: Box::new(JobSummary {
            saved,
            elapsed,
            usage: generation.usage,
            estimated_cost_usd: estimated_total.map(|e| e.usd),
            cost_from_usage_usd: cost_from_usage,
            notes,
            missing,
        }),
    }
}

/// Sends the job's request, streamed with previews unless this endpoint refused them before,
/// and decodes its previews as they come; returns the answer and the previews asked for.
async fn send(
    shared: &Arc<Shared>,
    id: JobId,
    job: &Job,
    memory_key: &str,
    field: crate::api::FormatField,
    image_field: crate::api::ImageField,
    cancel: &CancellationToken,
) -> (Result<Generation, ApiError>, u8) {
    let target = Target { base_url: &job.endpoint.base_url, key: job.key.expose(), format_field: field };
    let refused = shared
        .library
        .previews_refused_at(memory_key)
        .is_some_and(|at| at.elapsed().is_ok_and(|age| age < PREVIEWS_REFUSAL_LASTS));
    let previews = if refused { 0 } else { job.request.partial_images };
    let client = match shared.client.get().await {
        Ok(c) => c,
        Err(e) => return (Err(e), previews),
    };
    let decoder = Arc::new(PreviewDecoder::new(shared.clone(), id));
    let progress = {
        let (shared, decoder) = (shared.clone(), decoder.clone());
        move |p: Progress| match p {
            // Megabytes of picture: decoded small, off the async threads, never sent as progress.
            Progress::Preview { picture, step, of, image } => decoder.offer(picture, step, of, image),
            p => shared.send(Event::Progress { id, progress: p }),
        }
    };
    // The picture field's name this endpoint took last time, else `image[]`; the client tries
    // the other name once for a single picture, and says which one worked.
    let sent = match &job.edit {
        None if previews != job.request.partial_images => {
            let request = ImageRequest { partial_images: previews, ..job.request.clone() };
            client.generate(target, &request, cancel, &progress).await
        }
        None => client.generate(target, &job.request, cancel, &progress).await,
        Some(edit) if previews != edit.request.settings.partial_images => {
            let mut request = edit.request.clone();
            request.settings.partial_images = previews;
            client.edit(target, &request, image_field, cancel, &progress).await
        }
        Some(edit) => client.edit(target, &edit.request, image_field, cancel, &progress).await,
    };
    // No preview after the answer: the final pictures take their place from now on.
    decoder.close();
    (sent, previews)
}

/// The longest side of a decoded preview: a job card's picture, not the whole picture.
const PREVIEW_SIDE: u32 = 512;

/// Decodes a job's previews on the blocking pool, one at a time: a preview that arrives while
/// another is being decoded waits, and a newer one replaces it, so a slow decode never queues
/// up megabytes and the card always gets the latest.
struct PreviewDecoder {
    shared: Arc<Shared>,
    id: JobId,
    state: Mutex<PreviewState>,
}

#[derive(Default)]
struct PreviewState {
    waiting: Option<(usize, u8, u8, ReceivedImage)>,
    decoding: bool,
    closed: bool,
}

impl PreviewDecoder {
    fn new(shared: Arc<Shared>, id: JobId) -> PreviewDecoder {
        PreviewDecoder { shared, id, state: Mutex::new(PreviewState::default()) }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, PreviewState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a preview to decode; called on the async threads, so it only hands it over.
    fn offer(self: &Arc<Self>, index: usize, step: u8, of: u8, image: ReceivedImage) {
        let mut state = self.state();
        if state.closed {
            return;
        }
        state.waiting = Some((index, step, of, image));
        if std::mem::replace(&mut state.decoding, true) {
            return;
        }
        drop(state);
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.decode_waiting());
    }

    fn decode_waiting(&self) {
        loop {
            let (index, step, of, image) = {
                let mut state = self.state();
                match state.waiting.take() {
                    Some(next) if !state.closed => next,
                    _ => {
                        state.decoding = false;
                        return;
                    }
                }
            };
            let thumbnail = library::thumbnail(&image, PREVIEW_SIDE);
            drop(image);
            // Sent under the lock, so nothing is sent once `close` has returned.
            let state = self.state();
            match thumbnail {
                Ok(preview) if !state.closed => {
                    self.shared.send(Event::Preview { id: self.id, index, step, of, preview });
                }
                // A preview that cannot be read costs nothing: the final picture follows.
                Ok(_) => {}
                Err(e) => log::debug!("a preview could not be decoded: {e}"),
            }
        }
    }

    /// No preview is sent from now on.
    fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        state.waiting = None;
    }
}

/// Learns the format field name: the one that worked, or the other one when the pictures came
/// back in another format than asked (the endpoint probably ignored the name).
fn remember_format_choice(
    library: &Library,
    endpoint: &str,
    tried: crate::api::FormatField,
    generation: &Generation,
    request: &ImageRequest,
    notes: &mut Vec<JobNote>,
) {
    let mut next = generation.format_field;
    if let Some(got) = generation.returned_other_format {
        next = generation.format_field.other();
        notes.push(JobNote::OtherFormat { asked: request.format, got });
    }
    // `tried` is the remembered name (or the profile's when none is), so only a change is written.
    if next != tried {
        // Failing to remember only means the switch happens again next time.
        if let Err(e) = library.remember_format_field(endpoint, next) {
            log::warn!("the format field for {endpoint} could not be remembered: {e}");
        }
    }
}

/// Learns the name an edit's picture parts went under, when it is not the one tried first, so
/// the next edit does not pay a refused request for it.
fn remember_image_field(
    library: &Library,
    endpoint: &str,
    tried: crate::api::ImageField,
    worked: Option<crate::api::ImageField>,
) {
    let Some(worked) = worked.filter(|w| *w != tried) else { return };
    // Failing to remember only means the switch happens again next time.
    if let Err(e) = library.remember_image_field(endpoint, worked) {
        log::warn!("the picture field for {endpoint} could not be remembered: {e}");
    }
}

/// Saves every picture, in order, reporting each as soon as it is on disk; then makes the
/// thumbnails. If the library cannot be written, the pictures go to a rescue folder instead.
fn save_all(
    shared: &Shared,
    id: JobId,
    images: Vec<ReceivedImage>,
    prov: &Provenance,
    edit: Option<&EditJob>,
) -> (Vec<SavedImage>, Option<JobError>, Vec<JobNote>) {
    let mut saved = Vec::new();
    let mut failure: Option<LibraryError> = None;
    let mut notes = Vec::new();
    // An edit's inputs are read once for all its pictures (hashes; the original and mask to keep).
    let source = edit
        .map(|e| library::edit::EditSource::new(&e.inputs, e.original.as_deref(), e.mask.as_deref(), e.whole_result));
    for (index, img) in images.iter().enumerate() {
        let result = match &source {
            None => shared.library.save(img, index, prov),
            Some(source) => match shared.library.save_edit(img, index, prov, source) {
                Ok(edited) => {
                    notes.extend(edited.note().map(JobNote::Outside));
                    Ok(edited.picture)
                }
                // The model's picture is saved all the same: shown, and the reason said.
                Err(library::edit::EditSaveError::NotSaved(e)) => Err(e),
                Err(e) => {
                    let raw = e.saved().cloned();
                    notes.push(JobNote::NotKept(Box::new(e)));
                    raw.ok_or(LibraryError::NoDataDir)
                }
            },
        };
        match result {
            Ok(s) => {
                shared.send(Event::ImageSaved { id, index, image: Box::new(s.clone()) });
                saved.push(s);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    if let Some(e) = failure {
        let rescued = rescue(&images[saved.len()..], &prov.request.prompt, saved.len());
        return (saved, Some(JobError::Disk { error: e, rescued }), notes);
    }
    if let Some(side) = shared.config.thumbnail_size {
        // One picture at a time, each at the thumbnail's size and within the decoder's limits:
        // an answer of ten huge pictures never holds ten whole pictures at once.
        for (index, (img, s)) in images.iter().zip(&saved).enumerate() {
            // An edit's picture is not the model's when the outside was put back: its thumbnail
            // is made from the file saved (the model's picture only if that cannot be read).
            let kept = edit.and_then(|_| {
                ReceivedImage::from_bytes(library::read_bounded(&s.path, library::PICTURE_FILE).ok()?).ok()
            });
            let thumbnail = library::thumbnail(kept.as_ref().unwrap_or(img), side);
            if let Ok(t) = &thumbnail {
                // Kept for the gallery's next start; if it cannot be written it is made again then.
                if let Err(e) = shared.library.store_thumbnail(&s.path, side, t) {
                    log::debug!("thumbnail not kept: {e}");
                }
            }
            shared.send(Event::Thumbnail { id, index, thumbnail });
        }
    }
    (saved, None, notes)
}

/// Last resort when the library folder cannot be written: a new private folder (readable only
/// by this user) in the system's temporary folder.
fn rescue(images: &[ReceivedImage], prompt: &str, first_index: usize) -> Option<PathBuf> {
    rescue_in(None, images, prompt, first_index)
}

/// [`rescue`] into a new private folder inside `parent`, or the system's temporary folder.
fn rescue_in(
    parent: Option<&std::path::Path>,
    images: &[ReceivedImage],
    prompt: &str,
    first_index: usize,
) -> Option<PathBuf> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("easel-rescued-");
    // Others on this computer must not read the user's pictures: 0700 where modes exist (the
    // system's temporary folder is shared). Elsewhere the user's own temporary folder is private.
    #[cfg(unix)]
    builder.permissions(<std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o700));
    let dir = match parent {
        Some(parent) => builder.tempdir_in(parent),
        None => builder.tempdir(),
    };
    let dir = match dir {
        Ok(d) => d.keep(),
        Err(e) => {
            log::warn!("no rescue folder could be made: {e}");
            return None;
        }
    };
    let mut any = false;
    for (i, img) in images.iter().enumerate() {
        match library::copy_named(&img.bytes, &dir, prompt, first_index + i + 1, img.format.extension()) {
            Ok(_) => any = true,
            Err(e) => log::warn!("a picture could not be rescued into {}: {e}", dir.display()),
        }
    }
    any.then_some(dir)
}

/// The worker's own words, in the interface language.
mod words {
    crate::texts! { FIXED;
        /// [`JobError::Internal`](super::JobError::Internal).
        INTERNAL => "Something went wrong inside Easel and this request stopped. Pictures already saved are kept. Please try again.",
            "Easel 内部出了问题，这个请求已停止。已保存的图片都还在。请再试一次。";
        /// [`JobError::sentence`](super::JobError::sentence) of an internal failure.
        INTERNAL_SHORT => "Something went wrong inside Easel and this request stopped.",
            "Easel 内部出了问题，这个请求已停止。";
        /// [`JobNote::NoPreviews`](super::JobNote::NoPreviews).
        NO_PREVIEWS => "This endpoint does not send previews; Easel asks without them for a week, unless you ask for previews again.",
            "这个接口不发送预览；除非你再次要求预览，Easel 在一周内请求时不再要预览。";
        /// [`JobNote::PreviewsBroke`](super::JobNote::PreviewsBroke).
        PREVIEWS_BROKE => "This endpoint failed when asked for previews, so Easel asked again without them; it will for a week, unless you ask for previews again.",
            "这个接口在请求预览时出错，因此 Easel 不带预览重新请求；除非你再次要求预览，一周内都会如此。";
    }

    crate::plurals! { COUNTS;
        /// [`JobNote::TookRequests`](super::JobNote::TookRequests).
        took_requests(times: u64) => "Easel sent {times} request to get these pictures.", "Easel sent {times} requests to get these pictures.",
            "为获取这些图片，Easel 共发送了 {times} 次请求。";
        /// [`JobNote::TooManyPictures`](super::JobNote::TooManyPictures); `sent` has its thousands grouped.
        too_many_pictures(kept: usize, sent: &str) =>
            "The endpoint sent {sent} pictures though you asked for one; Easel kept the first and did not save the rest.",
            "The endpoint sent {sent} pictures though you asked for {kept}; Easel kept the first {kept} and did not save the rest.",
            "接口返回了 {sent} 张图片，但你只要了 {kept} 张；Easel 保留了前 {kept} 张，其余的没有保存。";
    }

    crate::formats! { WITH_VALUES;
        missing_picture(why: &str) => "One picture could not be had: {why}",
            "有一张图片未能获取：{why}";
        kept_as_png(asked: &str) => "You asked for {asked}; the change is kept as PNG, so that everything outside the area you painted stays exactly as it was (the model's own picture is kept beside it as it came).",
            "你要的是 {asked}；修改后的图片保存为 PNG，这样你涂抹区域之外的部分会完全保持原样（模型返回的原图按原样保存在旁边）。";
        other_format(asked: &str, got: &str) => "You asked for {asked}, but the service sent {got} pictures. They are kept as {got}.",
            "你要的是 {asked}，但服务返回了 {got} 图片。图片按 {got} 保存。";
        rescued(error: &str, folder: &str) => "{error} The pictures that could not be saved there were put in “{folder}” instead.",
            "{error} 没能保存在那里的图片已改放到“{folder}”。";
        lost(error: &str) => "{error} The pictures could not be saved anywhere; they are lost.",
            "{error} 这些图片无法保存到任何地方，已经丢失。";
    }

    crate::translated!(FIXED, WITH_VALUES, COUNTS);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_prompt_is_changed_and_said_in_one_sentence() {
        let refused = JobError::Api(crate::api::error::classify_status(
            400,
            br#"{"error":{"message":"Your request was rejected by the safety system.","code":"moderation_blocked"}}"#,
            None,
        ));
        assert_eq!(refused.remedy(), Remedy::ChangePrompt, "not Retry: the same prompt is refused again");
        let (sentence, button) =
            crate::i18n::with(crate::i18n::Lang::En, || (refused.sentence(), refused.remedy().label()));
        assert_eq!((sentence.as_str(), button), ("The prompt was refused by the safety system.", "Change the prompt"));
        assert_eq!(JobError::Invalid(ValidationError::TransparentJpeg).remedy(), Remedy::ChangeSettings);
        assert_eq!(JobError::Internal.remedy(), Remedy::Retry);
        let zh = crate::i18n::with(crate::i18n::Lang::ZhCn, || JobError::Internal.sentence());
        assert_eq!(zh, "Easel 内部出了问题，这个请求已停止。");
    }

    #[test]
    fn a_job_without_pictures_has_no_cost_per_picture() {
        let summary = JobSummary {
            saved: Vec::new(),
            elapsed: Duration::from_secs(3),
            usage: None,
            estimated_cost_usd: Some(0.012),
            cost_from_usage_usd: None,
            notes: Vec::new(),
            missing: 2,
        };
        assert_eq!(summary.cost_per_picture(), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_rescue_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let mut png = Vec::new();
        image::RgbaImage::new(2, 2).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        let images = [ReceivedImage::from_bytes(png).unwrap()];
        let dir = rescue_in(Some(parent.path()), &images, "a fox", 0).unwrap();
        assert!(dir.starts_with(parent.path()), "{dir:?}");
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files, ["a-fox-1.png"]);
    }
}
