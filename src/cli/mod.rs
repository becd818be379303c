//! The terminal front end: `easel generate`, `edit`, `compare` and `key …`, over the same core
//! as the window.
//!
//! Standard output carries only results (one saved path per line), so scripts can read it;
//! progress and errors go to standard error. Exit codes: 0 every picture saved, 1 the endpoint
//! failed or nothing usable came back, 2 invalid arguments (found before anything is sent),
//! 130 cancelled with Ctrl+C.

mod compare;
mod edit;

use crate::api::{
    ApiError, Background, ClientConfig, Complexity, ImageRequest, Moderation, OutputFormat, Progress, Quality, Size,
};
use crate::endpoint::{Endpoint, QUICKROUTER_BASE};
use crate::library::{self, Library};
use crate::secrets::{ApiKey, Secrets, Stored};
use crate::worker::{Event, Job, Worker, WorkerConfig};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub use crate::endpoint::ENV_BASE_URL;
/// `EASEL_TIMEOUT_SECS`: the whole-request timeout (default 600).
pub const ENV_TIMEOUT: &str = "EASEL_TIMEOUT_SECS";
/// `EASEL_IDLE_SECS`: the longest a stream may send nothing at all, in seconds (default 300).
pub const ENV_IDLE: &str = "EASEL_IDLE_SECS";
/// `EASEL_PROMPT_LIMIT`: a lower prompt limit for a custom endpoint.
pub const ENV_PROMPT_LIMIT: &str = "EASEL_PROMPT_LIMIT";

/// Exit code: every picture saved.
pub const EXIT_OK: i32 = 0;
/// Exit code: the endpoint failed, or no usable picture came back.
pub const EXIT_FAILED: i32 = 1;
/// Exit code: invalid arguments, found before any request was sent.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: cancelled with Ctrl+C.
pub const EXIT_CANCELLED: i32 = 130;

/// Easel: make pictures with gpt-image models. With no command, opens the window.
#[derive(Debug, Parser)]
#[command(name = "easel", version = crate::VERSION, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A picture to open in the window with its prompt and settings shown ("Open with Easel").
    #[arg(value_name = "PICTURE")]
    pub picture: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make pictures from a prompt and save them in the library; prints each saved path.
    Generate(GenerateArgs),
    /// Make the same prompt once per value of one or two settings; prints each saved path and,
    /// with --out, writes a labelled sheet of them all.
    Compare(compare::CompareArgs),
    /// Change pictures with a prompt: reference pictures and, optionally, a mask of where the
    /// first may change; prints each saved path.
    Edit(edit::EditArgs),
    /// List the image models the endpoint offers, one a line; those Easel knows say what they
    /// are for.
    Models {
        /// The endpoint (default: QuickRouter, or `EASEL_BASE_URL`).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Store, check or delete the API key.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub picture: PictureArgs,
    /// Content moderation: auto (the service's default) or low (less strict).
    #[arg(long, value_parser = |s: &str| Moderation::parse(s).map_err(|e| e.to_string()))]
    pub moderation: Option<Moderation>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What a picture is asked for with: the same for `generate` and `edit`.
#[derive(Debug, Args)]
pub struct PictureArgs {
    /// What the picture should show (for `edit`: what to change, in words).
    #[arg(long)]
    pub prompt: String,
    /// Model id: gpt-image-2.6-sunburst, gpt-image-2.6-flare, gpt-image-2.5-sunburst,
    /// gpt-image-2.5-flare, gpt-image-2, gpt-image-1.5, gpt-image-1-mini, or any other your
    /// endpoint lists.
    #[arg(long, default_value = crate::api::DEFAULT_MODEL)]
    pub model: String,
    /// How many pictures, 1 to 10.
    #[arg(short, long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub n: u8,
    /// auto, 1024x1024, 1536x1024, 1024x1536, or `WIDTHxHEIGHT` (gpt-image-2).
    #[arg(long, default_value = "auto", value_parser = |s: &str| Size::parse(s).map_err(|e| e.to_string()))]
    pub size: Size,
    /// low, medium, high or auto; also xhigh and max with gpt-image-2.5 and 2.6.
    #[arg(long, default_value = "auto", value_parser = |s: &str| Quality::parse(s).map_err(|e| e.to_string()))]
    pub quality: Quality,
    /// How much gpt-image-2.6 plans the picture before drawing it: low, medium or high (its
    /// default).
    #[arg(long, value_parser = |s: &str| Complexity::parse(s).map_err(|e| e.to_string()))]
    pub complexity: Option<Complexity>,
    /// auto, opaque or transparent (transparent needs png or webp).
    #[arg(long, value_parser = |s: &str| Background::parse(s).map_err(|e| e.to_string()))]
    pub background: Option<Background>,
    /// Compression of a jpeg or webp picture, 0 to 100 (%).
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub compression: Option<u8>,
    #[command(flatten)]
    pub stream: StreamArgs,
}

impl PictureArgs {
    /// The request these arguments ask for, in `format`.
    fn request(self, format: OutputFormat) -> ImageRequest {
        let PictureArgs { prompt, model, n, size, quality, complexity, background, compression, stream } = self;
        ImageRequest {
            model: model.trim().to_string(),
            n,
            size,
            quality,
            complexity,
            format,
            background,
            output_compression: compression,
            partial_images: stream.partial_images(),
            ..ImageRequest::new(prompt)
        }
    }
}

/// Streamed previews: the same for `generate`, `edit` and `compare`.
#[derive(Debug, Args)]
pub struct StreamArgs {
    /// Streamed previews per picture while it is made, 0 to 3 (default 3; each costs about 100
    /// output tokens); they also keep a slow request alive behind gateways that cut silent
    /// connections. Given, it asks for previews even from an endpoint that failed with them
    /// lately (which Easel otherwise asks without them for a week).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=i64::from(crate::api::MAX_PREVIEWS)))]
    pub previews: Option<u8>,
    /// Ask for the picture in one piece, without streamed previews (as --previews 0).
    #[arg(long, conflicts_with = "previews")]
    pub no_stream: bool,
}

impl StreamArgs {
    /// The previews asked for.
    fn partial_images(&self) -> u8 {
        if self.no_stream { 0 } else { self.previews.unwrap_or(crate::api::DEFAULT_PREVIEWS) }
    }

    /// Whether previews were asked for in so many words, which overrides an endpoint's refusal.
    fn insists(&self) -> bool {
        self.previews.is_some_and(|n| n > 0)
    }
}

/// Where pictures go and in what format: the same for `generate` and `compare`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// png, jpeg or webp.
    #[arg(long, default_value = "png", value_parser = |s: &str| OutputFormat::parse(s).map_err(|e| e.to_string()))]
    pub format: OutputFormat,
    /// Also copy the pictures into this folder, named from the prompt (compare adds its sheet).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The endpoint (default: QuickRouter, or `EASEL_BASE_URL`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Read the key from standard input and store it in the system keyring.
    Set,
    /// Say where the key comes from (keyring, environment, none); never prints it.
    Status,
    /// Delete the key from the system keyring.
    Delete,
}

/// Runs a terminal command and returns the process exit code.
/// `main` has set the terminal's language before parsing the arguments.
pub fn run(command: Command) -> i32 {
    crate::i18n::set_terminal();
    match command {
        Command::Generate(args) => generate(args),
        Command::Compare(args) => compare::compare(args),
        Command::Edit(args) => edit::edit(args),
        Command::Models { base_url } => models(base_url.as_deref()),
        Command::Key { action } => key(action),
    }
}

/// `easel models`: the endpoint's image models, one a line on standard output, those Easel
/// knows with what they are for; the rest of its list (chat, speech…) is left out.
fn models(base_url: Option<&str>) -> i32 {
    let endpoint = match endpoint(base_url) {
        Ok(e) => e,
        Err(m) => return usage_error(m),
    };
    if let Some(e) = crate::secrets::env_key_problem() {
        return usage_error(e);
    }
    let Some((key, _)) = Secrets::new().load(&endpoint.key_account()) else {
        return usage_error(words::no_key(&endpoint.display_name(), endpoint.key_help()));
    };
    let config = ClientConfig { user_agent: format!("easel/{}", crate::VERSION), ..ClientConfig::default() };
    let listed =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string()).and_then(|rt| {
            rt.block_on(async {
                let client = crate::api::Client::new(config)?;
                let cancel = tokio_util::sync::CancellationToken::new();
                client.list_models(&endpoint.base_url, key.expose(), &cancel).await
            })
            .map_err(|e| e.to_string())
        });
    let listed = match listed {
        Ok(l) => l,
        Err(e) => {
            eprintln!("easel: {e}");
            return EXIT_FAILED;
        }
    };
    let images = crate::api::models::image_models(&listed);
    if images.is_empty() {
        eprintln!("{}", words::no_image_models(&endpoint.display_name(), listed.len()));
    }
    for id in &images {
        match crate::api::models::find(id) {
            Some(known) => println!("{id}\t{}", (known.about)()),
            None => println!("{id}"),
        }
    }
    flush_stdout();
    EXIT_OK
}

/// The endpoint from `--base-url`, else `EASEL_BASE_URL`, else QuickRouter.
fn endpoint(flag: Option<&str>) -> Result<Endpoint, ApiError> {
    let env = std::env::var(ENV_BASE_URL).ok().filter(|s| !s.trim().is_empty());
    let text = flag.map(str::to_string).or(env).unwrap_or_else(|| QUICKROUTER_BASE.to_string());
    let limit = std::env::var(ENV_PROMPT_LIMIT).ok().and_then(|s| s.trim().parse().ok());
    Endpoint::from_base_url(&text, limit)
}

fn usage_error(message: impl std::fmt::Display) -> i32 {
    eprintln!("easel: {message}");
    EXIT_USAGE
}

fn generate(args: GenerateArgs) -> i32 {
    let endpoint = match endpoint(args.output.base_url.as_deref()) {
        Ok(e) => e,
        Err(m) => return usage_error(m),
    };
    let insists = args.picture.stream.insists();
    let request = ImageRequest { moderation: args.moderation, ..args.picture.request(args.output.format) };
    if let Err(e) = request.validate(endpoint.prompt_limit) {
        return usage_error(e);
    }
    let Started { key, worker, interrupts } = match start(&endpoint, args.output.out.as_deref(), 1, insists) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let prompt = request.prompt.clone();
    let prices = crate::endpoint::Prices::default();
    if let Some(cost) = prices.estimate(&crate::endpoint::Order::of(&request)) {
        let usd = if cost.at_least {
            words::at_least(cost.usd)
        } else if cost.approximate {
            words::at_most(cost.usd)
        } else {
            words::estimated(cost.usd)
        };
        let pictures = words::pictures(usize::from(request.n));
        eprintln!(
            "{}",
            words::asking(
                &endpoint.display_name(),
                &pictures,
                &request.size.to_string(),
                &crate::compare::Setting::Quality.display(request.quality.wire()),
                &usd
            )
        );
    }
    let job = Job { request, endpoint, key, comparison: None, edit: None };
    follow(&worker, &interrupts, job, args.output.out.as_deref(), &prompt)
}

/// Sends `job` and follows it to its end: each saved picture's path on standard output (and a
/// copy in `out`), progress and the outcome on standard error; returns the exit code.
fn follow(worker: &Worker, interrupts: &AtomicUsize, job: Job, out: Option<&std::path::Path>, prompt: &str) -> i32 {
    let id = worker.submit(job);

    let mut cancel_sent = false;
    let mut sent_said = false;
    let mut saved_count = 0usize;
    let mut copy_failed = false;
    loop {
        match interrupts.load(Ordering::SeqCst) {
            0 => {}
            1 if !cancel_sent => {
                eprintln!("{}", words::CANCELLING());
                worker.cancel(id);
                cancel_sent = true;
            }
            1 => {}
            _ => {
                eprintln!("{}", words::STOPPED());
                return EXIT_CANCELLED;
            }
        }
        let event = match next_event(worker) {
            Next::Event(e) => e,
            Next::Waiting => continue,
            Next::Ended => {
                eprintln!("easel: {}", words::ENDED_WITHOUT_RESULT());
                return EXIT_FAILED;
            }
        };
        match event {
            Event::Queued { .. } | Event::Thumbnail { .. } => {}
            Event::Preview { index, step, of, .. } => eprintln!("{}", words::preview(step, of, index + 1)),
            Event::Started { .. } => {}
            // Said once the request has gone out whole, not when it is about to be sent.
            Event::Progress { progress: Progress::Waiting, .. } if !sent_said => {
                eprintln!("{}", words::SENT());
                sent_said = true;
            }
            Event::Progress { progress, .. } => progress_line(&progress),
            Event::ImageSaved { image, index, .. } => {
                saved_count += 1;
                println!("{}", image.path.display());
                flush_stdout();
                if let Some(dir) = out {
                    let bytes = std::fs::read(&image.path);
                    match bytes.map_err(|e| e.to_string()).and_then(|b| {
                        library::copy_named(&b, dir, prompt, index + 1, image.meta.format.extension())
                            .map_err(|e| e.to_string())
                    }) {
                        Ok(p) => eprintln!("{}", words::copied_to(&p.display().to_string())),
                        Err(e) => {
                            copy_failed = true;
                            eprintln!("easel: {}", words::copy_failed(&dir.display().to_string(), &e));
                        }
                    }
                }
            }
            Event::Finished { summary, .. } => {
                for note in &summary.notes {
                    eprintln!("{}", words::note(&note.to_string()));
                }
                let cost = summary
                    .cost_from_usage_usd
                    .map(words::cost_from_tokens)
                    .or(summary.estimated_cost_usd.map(words::cost_estimated))
                    .unwrap_or_default();
                eprintln!(
                    "{}",
                    words::saved(&words::pictures(summary.saved.len()), summary.elapsed.as_secs_f64(), &cost)
                );
                if summary.missing > 0 || copy_failed {
                    eprintln!("easel: {}", words::NOT_EVERY_PICTURE());
                    return EXIT_FAILED;
                }
                return EXIT_OK;
            }
            Event::Failed { error, saved, .. } => {
                if error.is_cancelled() {
                    eprintln!("{}", words::CANCELLED());
                    return EXIT_CANCELLED;
                }
                eprintln!("easel: {error}");
                if !saved.is_empty() || saved_count > 0 {
                    eprintln!("{}", words::SAVED_ALL_THE_SAME());
                }
                return if matches!(error, crate::worker::JobError::Invalid(_)) { EXIT_USAGE } else { EXIT_FAILED };
            }
        }
    }
}

/// What a terminal command needs once its arguments are checked.
struct Started {
    key: ApiKey,
    worker: Worker,
    /// How many times Ctrl+C was pressed.
    interrupts: Arc<AtomicUsize>,
}

/// Finds the key, checks `--out`, opens the library, starts a worker running `jobs` requests at
/// once and listens for Ctrl+C, all before anything is sent. `Err` is the exit code.
/// `insists` on previews: the user asked for them in so many words, so an endpoint's remembered
/// refusal of them is forgotten and they are asked for again.
fn start(endpoint: &Endpoint, out: Option<&std::path::Path>, jobs: usize, insists: bool) -> Result<Started, i32> {
    // A key set in the environment that is not one is said as it is, not as "no key".
    if let Some(e) = crate::secrets::env_key_problem() {
        return Err(usage_error(e));
    }
    let secrets = Secrets::new();
    let Some((key, _)) = secrets.load(&endpoint.key_account()) else {
        return Err(usage_error(words::no_key(&endpoint.display_name(), endpoint.key_help())));
    };
    let mut client = ClientConfig { user_agent: format!("easel/{}", crate::VERSION), ..ClientConfig::default() };
    for (name, setting) in [(ENV_TIMEOUT, &mut client.request_timeout), (ENV_IDLE, &mut client.idle_timeout)] {
        let Ok(text) = std::env::var(name) else { continue };
        // Any number of seconds above zero; beyond a day is a day (the client bounds it).
        let most = crate::api::client::MAX_TIMEOUT.as_secs_f64();
        match text.trim().parse::<f64>().ok().filter(|s| *s > 0.0 && s.is_finite()) {
            Some(secs) => *setting = Duration::from_secs_f64(secs.min(most)),
            None => return Err(usage_error(words::bad_timeout(name, &text))),
        }
    }
    if let Some(dir) = out
        && let Err(e) = check_writable(dir)
    {
        return Err(usage_error(words::cannot_write_out(&dir.display().to_string(), &e.to_string())));
    }
    let library = match Library::default_dir().and_then(Library::open) {
        Ok(l) => {
            // Said before anything is saved: the pictures go to the default folder this time.
            if let Some(p) = l.location_problem() {
                eprintln!("easel: {p}");
            }
            if insists && let Err(e) = l.forget_previews_refusal(&endpoint.memory_key()) {
                log::warn!("the refusal of previews could not be forgotten: {e}");
            }
            Arc::new(l)
        }
        Err(e) => {
            eprintln!("easel: {e}");
            return Err(EXIT_FAILED);
        }
    };
    let config =
        WorkerConfig { client, max_concurrent: jobs, thumbnail_size: None, threads: 2, ..WorkerConfig::default() };
    let worker = match Worker::new(config, library, || {}) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("easel: {e}");
            return Err(EXIT_FAILED);
        }
    };
    // Listen for Ctrl+C (and the terminal closing) before anything is sent.
    let interrupts = Arc::new(AtomicUsize::new(0));
    listen_for_interrupts(&worker, interrupts.clone());
    Ok(Started { key, worker, interrupts })
}

/// Flushes standard output, so a script reading the printed paths sees each one at once.
fn flush_stdout() {
    // A reader that went away is its own business; the pictures are saved either way.
    if let Err(e) = std::io::stdout().flush() {
        log::debug!("standard output could not be flushed: {e}");
    }
}

/// What the worker has to say next.
enum Next {
    Event(Event),
    /// Nothing yet; requests are still running.
    Waiting,
    /// Nothing runs and nothing is left to say.
    Ended,
}

/// Waits a tenth of a second for the worker's next event.
fn next_event(worker: &Worker) -> Next {
    if let Some(e) = worker.recv_timeout(Duration::from_millis(100)) {
        return Next::Event(e);
    }
    if worker.active() > 0 {
        return Next::Waiting;
    }
    // A job's last event may still be on its way as it stops counting as active.
    match worker.recv_timeout(Duration::from_millis(100)) {
        Some(e) => Next::Event(e),
        None => Next::Ended,
    }
}

/// Counts interrupts: the first cancels the request, the second quits at once. Registered
/// synchronously, so a Ctrl+C straight after start-up is already caught.
fn listen_for_interrupts(worker: &Worker, count: Arc<AtomicUsize>) {
    let handle = worker.handle();
    let _guard = handle.enter();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        for kind in [SignalKind::interrupt(), SignalKind::terminate(), SignalKind::hangup()] {
            match signal(kind) {
                Ok(mut sig) => {
                    let count = count.clone();
                    handle.spawn(async move {
                        while sig.recv().await.is_some() {
                            count.fetch_add(1, Ordering::SeqCst);
                        }
                    });
                }
                // Ctrl+C then ends Easel the system's way, without its tidy stop.
                Err(e) => log::warn!("the {kind:?} handler could not be installed: {e}"),
            }
        }
    }
    #[cfg(windows)]
    match tokio::signal::windows::ctrl_c() {
        Ok(mut sig) => {
            handle.spawn(async move {
                while sig.recv().await.is_some() {
                    count.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
        Err(e) => log::warn!("the Ctrl+C handler could not be installed: {e}"),
    }
}

/// Creates `dir` if needed and checks that a file can be written there.
fn check_writable(dir: &std::path::Path) -> Result<(), crate::library::Reason> {
    std::fs::create_dir_all(dir).map_err(|e| crate::library::Reason::from(&e))?;
    tempfile::tempfile_in(dir).map(|_| ()).map_err(|e| crate::library::Reason::from(&e))
}

fn progress_line(p: &Progress) {
    match p {
        Progress::Sending { attempt } if *attempt > 1 => eprintln!("{}", words::sending_again(*attempt)),
        Progress::Retrying { delay, kind, .. } => {
            eprintln!("{}", words::retrying(kind.title(), delay.as_secs_f64().ceil()));
        }
        Progress::SwitchingFormatField { to } => eprintln!("{}", words::switching_field(to.name())),
        Progress::Downloading { count } => eprintln!("{}", words::downloading(&words::pictures(*count))),
        Progress::WithoutPreviews => eprintln!("{}", words::WITHOUT_PREVIEWS()),
        _ => {}
    }
}

fn key(action: KeyAction) -> i32 {
    let endpoint = match endpoint(None) {
        Ok(e) => e,
        Err(m) => return usage_error(m),
    };
    let account = endpoint.key_account();
    let name = endpoint.display_name();
    let secrets = Secrets::new();
    match action {
        KeyAction::Set => {
            let stdin = std::io::stdin();
            let read = if stdin.is_terminal() {
                // Typed or pasted at a terminal: not echoed, so it never sits on the screen.
                rpassword::prompt_password(words::key_prompt(&name))
            } else {
                let mut text = String::new();
                stdin.lock().read_to_string(&mut text).map(|_| text)
            };
            let Ok(text) = read else {
                return usage_error(words::CANNOT_READ_KEY());
            };
            let key = match ApiKey::parse(&text) {
                Ok(k) => k,
                Err(e) => return usage_error(words::pipe_it_in(&e.to_string(), endpoint.key_help())),
            };
            match secrets.store(&account, &key) {
                Ok(Stored::Keyring) => {
                    eprintln!("{}", words::key_saved(&name));
                    EXIT_OK
                }
                Ok(Stored::SessionOnly) => {
                    let problem = secrets.keyring_problem().unwrap_or_else(|| words::NO_KEYRING().into());
                    eprintln!("easel: {}", words::key_not_saved(&problem));
                    EXIT_FAILED
                }
                Err(e) => {
                    eprintln!("easel: {e}");
                    EXIT_FAILED
                }
            }
        }
        KeyAction::Status => {
            if let Some(e) = crate::secrets::env_key_problem() {
                println!("{e}");
            }
            match secrets.load(&account) {
                Some((_, source)) => println!("{}", words::key_from(&name, &source.to_string())),
                None => match secrets.keyring_problem() {
                    Some(problem) => println!("{}", words::no_key_with_problem(&name, &problem)),
                    None => println!("{}", words::no_key_set(&name)),
                },
            }
            EXIT_OK
        }
        KeyAction::Delete => {
            let env_note = if std::env::var(crate::secrets::ENV_KEY).is_ok_and(|v| !v.trim().is_empty()) {
                words::ENV_STILL_SET()
            } else {
                ""
            };
            match secrets.delete(&account) {
                Ok(true) => {
                    eprintln!("{}", words::key_deleted(&name, env_note));
                    EXIT_OK
                }
                Ok(false) => {
                    eprintln!("{}", words::no_key_in_keyring(&name, env_note));
                    EXIT_OK
                }
                Err(e) => {
                    eprintln!("easel: {e}");
                    EXIT_FAILED
                }
            }
        }
    }
}

/// The terminal front end's own words, in every language.
mod words {

    crate::texts! { FIXED;
        CANCELLING => "Cancelling… (press Ctrl+C again to quit at once)",
            "正在取消…（再按一次 Ctrl+C 立即退出）";
        STOPPED => "Stopped. Pictures listed above are saved.",
            "已停止。上面列出的图片都已保存。";
        ENDED_WITHOUT_RESULT => "the request ended without a result. Please try again.",
            "请求没有得到结果就结束了。请再试一次。";
        SENT => "Sent. Making pictures can take from seconds to a few minutes…",
            "已发送。生成图片可能需要几秒到几分钟…";
        NOT_EVERY_PICTURE => "not every picture could be saved; those listed above are.",
            "并非每张图片都能保存；上面列出的图片已保存。";
        CANCELLED => "Cancelled. Nothing was left half-written.",
            "已取消。没有留下写了一半的文件。";
        SAVED_ALL_THE_SAME => "The pictures listed above are saved all the same.",
            "上面列出的图片已照常保存。";
        CANNOT_READ_KEY => "Could not read the key from standard input.",
            "无法从标准输入读取 API 密钥。";
        NO_KEYRING => "no system keyring is available",
            "没有可用的系统密钥环";
        ENV_STILL_SET => " EASEL_API_KEY is still set in your environment and will still be used.",
            "环境中仍设置了 EASEL_API_KEY，它仍会被使用。";
        WITHOUT_PREVIEWS => "The endpoint does not send previews; asking again without them…",
            "接口不发送预览；正在不带预览重新请求…";
    }

    crate::formats! { WITH_VALUES;
        /// The estimate of a request whose price is only known as a ceiling.
        at_most(usd: f64) => "at most about ${usd:.3}", "最多约 ${usd:.3}";
        no_image_models(endpoint: &str, listed: usize) => "{endpoint} lists {listed} models, none of them for pictures. Ask its provider which image models your key may use.",
            "{endpoint} 列出了 {listed} 个模型，其中没有生成图片的模型。请向服务提供方询问你的密钥可以使用哪些图片模型。";
        at_least(usd: f64) => "at least about ${usd:.3}", "至少约 ${usd:.3}";
        estimated(usd: f64) => "estimated about ${usd:.3}", "估算约 ${usd:.3}";
        asking(endpoint: &str, pictures: &str, size: &str, quality: &str, cost: &str) => "Asking {endpoint} for {pictures} ({size}, {quality} quality); {cost} at list prices.",
            "正在向 {endpoint} 请求 {pictures}（{size}，{quality} 质量）；按官方价格{cost}。";
        copied_to(path: &str) => "Copied to {path}", "已复制到 {path}";
        copy_failed(dir: &str, error: &str) => "the picture is in the library, but copying it to {dir} failed: {error}",
            "图片已在图库中，但复制到 {dir} 失败：{error}";
        note(note: &str) => "Note: {note}", "注意：{note}";
        cost_from_tokens(usd: f64) => ", about ${usd:.3} from the tokens reported", "，按报告的 token 数约 ${usd:.3}";
        cost_estimated(usd: f64) => ", estimated ${usd:.3}", "，估算 ${usd:.3}";
        saved(pictures: &str, secs: f64, cost: &str) => "Saved {pictures} in {secs:.1} s{cost}.",
            "已保存 {pictures}，用时 {secs:.1} 秒{cost}。";
        no_key(endpoint: &str, help: &str) => "No API key for {endpoint}. Run `easel key set` and paste it, or set EASEL_API_KEY. {help}",
            "没有 {endpoint} 的 API 密钥。请运行 `easel key set` 并粘贴密钥，或设置 EASEL_API_KEY。{help}";
        bad_timeout(name: &str, text: &str) => "{name} must be a number of seconds above zero, such as 600 (it is “{text}”).",
            "{name} 必须是大于零的秒数，例如 600（现在是“{text}”）。";
        cannot_write_out(dir: &str, error: &str) => "Cannot write pictures into --out {dir}: {error}. Pick a folder you can write to.",
            "无法把图片写入 --out {dir}：{error}。请选择一个可以写入的文件夹。";
        sending_again(attempt: u32) => "Sending again (attempt {attempt})…", "正在重新发送（第 {attempt} 次）…";
        retrying(reason: &str, secs: f64) => "{reason}; trying again in {secs:.0} s…", "{reason}；{secs:.0} 秒后重试…";
        switching_field(name: &str) => "The endpoint does not know this name for the format setting; trying “{name}”…",
            "接口不认识格式设置的这个名称；正在尝试“{name}”…";
        downloading(pictures: &str) => "Downloading {pictures}…", "正在下载 {pictures}…";
        preview(step: u8, of: u8, picture: usize) => "Preview {step} of {of} of picture {picture} arrived.",
            "第 {picture} 张图片的预览 {step}/{of} 已到达。";
        key_prompt(endpoint: &str) => "Paste your API key for {endpoint} and press Enter: ", "请粘贴 {endpoint} 的 API 密钥，然后按回车：";
        pipe_it_in(error: &str, help: &str) => "{error} Pipe it in, e.g. `easel key set < key.txt`. {help}",
            "{error} 请用管道传入，例如 `easel key set < key.txt`。{help}";
        key_saved(endpoint: &str) => "Saved the key for {endpoint} in the system keyring.", "已把 {endpoint} 的 API 密钥保存到系统密钥环。";
        key_not_saved(problem: &str) => "the key was not saved: {problem}. Set EASEL_API_KEY in your environment instead.",
            "API 密钥没有保存：{problem}。请改为在环境中设置 EASEL_API_KEY。";
        key_from(endpoint: &str, source: &str) => "The key for {endpoint} comes from {source}.", "{endpoint} 的 API 密钥来自{source}。";
        no_key_with_problem(endpoint: &str, problem: &str) => "No key is set for {endpoint} ({problem}). Set EASEL_API_KEY to use one.",
            "没有为 {endpoint} 设置 API 密钥（{problem}）。如要使用密钥，请设置 EASEL_API_KEY。";
        no_key_set(endpoint: &str) => "No key is set for {endpoint}. Run `easel key set` to store one.",
            "没有为 {endpoint} 设置 API 密钥。请运行 `easel key set` 保存一个。";
        key_deleted(endpoint: &str, note: &str) => "Deleted the key for {endpoint} from the system keyring.{note}",
            "已从系统密钥环删除 {endpoint} 的 API 密钥。{note}";
        no_key_in_keyring(endpoint: &str, note: &str) => "There was no key for {endpoint} in the system keyring.{note}",
            "系统密钥环中没有 {endpoint} 的 API 密钥。{note}";
    }

    crate::plurals! { COUNTED;
        /// "1 picture", "3 pictures"; in Chinese "3 张图片" either way.
        pictures(count: usize) => "{count} picture", "{count} pictures", "{count} 张图片";
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::i18n::{Lang, with};

        #[test]
        fn every_text_is_translated() {
            let problems = crate::i18n::untranslated(&[FIXED, WITH_VALUES, COUNTED], &[]);
            assert!(problems.is_empty(), "{problems:#?}");
        }

        #[test]
        fn plurals_follow_the_count_in_english_only() {
            with(Lang::En, || {
                assert_eq!(
                    saved(&pictures(1), 2.04, &cost_estimated(0.0111)),
                    "Saved 1 picture in 2.0 s, estimated $0.011."
                );
                assert_eq!(downloading(&pictures(3)), "Downloading 3 pictures…");
            });
            with(Lang::ZhCn, || {
                assert_eq!(
                    saved(&pictures(3), 2.04, &cost_estimated(0.0111)),
                    "已保存 3 张图片，用时 2.0 秒，估算 $0.011。"
                );
                assert_eq!(pictures(1), "1 张图片");
            });
        }
    }
}
