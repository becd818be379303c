//! The terminal front end: `easel generate` and `easel key …`, over the same core as the window.
//!
//! Standard output carries only results (one saved path per line), so scripts can read it;
//! progress and errors go to standard error. Exit codes: 0 every picture saved, 1 the endpoint
//! failed or nothing usable came back, 2 invalid arguments (found before anything is sent),
//! 130 cancelled with Ctrl+C.

mod compare;

use crate::api::{ClientConfig, ImageRequest, OutputFormat, Progress, Quality, Size};
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

/// `EASEL_BASE_URL`: the endpoint, as `--base-url` sets it.
pub const ENV_BASE_URL: &str = "EASEL_BASE_URL";
/// `EASEL_TIMEOUT_SECS`: the whole-request timeout (default 600).
pub const ENV_TIMEOUT: &str = "EASEL_TIMEOUT_SECS";
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
#[command(name = "easel", version = crate::VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make pictures from a prompt and save them in the library; prints each saved path.
    Generate(GenerateArgs),
    /// Make the same prompt once per value of one or two settings; prints each saved path and,
    /// with --out, writes a labelled sheet of them all.
    Compare(compare::CompareArgs),
    /// Store, check or delete the API key.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What the picture should show.
    #[arg(long)]
    pub prompt: String,
    /// Model id: gpt-image-2, gpt-image-1.5, gpt-image-1-mini, gpt-image-1, or any other.
    #[arg(long, default_value = crate::api::DEFAULT_MODEL)]
    pub model: String,
    /// How many pictures, 1 to 10.
    #[arg(short, long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub n: u8,
    /// auto, 1024x1024, 1536x1024, 1024x1536, or WIDTHxHEIGHT (gpt-image-2).
    #[arg(long, default_value = "auto", value_parser = |s: &str| Size::parse(s).map_err(|e| e.to_string()))]
    pub size: Size,
    /// low, medium, high or auto.
    #[arg(long, default_value = "auto", value_parser = |s: &str| Quality::parse(s).map_err(|e| e.to_string()))]
    pub quality: Quality,
    #[command(flatten)]
    pub output: OutputArgs,
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
    /// The endpoint (default: QuickRouter, or EASEL_BASE_URL).
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
pub fn run(command: Command) -> i32 {
    match command {
        Command::Generate(args) => generate(args),
        Command::Compare(args) => compare::compare(args),
        Command::Key { action } => key(action),
    }
}

/// The endpoint from `--base-url`, else `EASEL_BASE_URL`, else QuickRouter.
fn endpoint(flag: Option<&str>) -> Result<Endpoint, String> {
    let env = std::env::var(ENV_BASE_URL).ok().filter(|s| !s.trim().is_empty());
    let text = flag.map(str::to_string).or(env).unwrap_or_else(|| QUICKROUTER_BASE.to_string());
    let limit = std::env::var(ENV_PROMPT_LIMIT).ok().and_then(|s| s.trim().parse().ok());
    Endpoint::from_base_url(&text, limit).map_err(|e| e.to_string())
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
    let request = ImageRequest {
        model: args.model.trim().to_string(),
        prompt: args.prompt,
        n: args.n,
        size: args.size,
        quality: args.quality,
        format: args.output.format,
        background: None,
        output_compression: None,
        moderation: None,
    };
    if let Err(e) = request.validate(endpoint.prompt_limit) {
        return usage_error(e);
    }
    let Started { key, worker, interrupts } = match start(&endpoint, args.output.out.as_deref(), 1) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let prompt = request.prompt.clone();
    if let Some(cost) = crate::endpoint::Prices::default().estimate(&request.model, request.size, request.quality, request.n) {
        eprintln!(
            "Asking {} for {} picture{} ({}, {} quality); {} about ${:.3} at list prices.",
            endpoint.display_name(),
            request.n,
            if request.n == 1 { "" } else { "s" },
            request.size,
            request.quality,
            if cost.approximate { "at most" } else { "estimated" },
            cost.usd
        );
    }
    let id = worker.submit(Job { request, endpoint, key, comparison: None });

    let mut cancel_sent = false;
    let mut saved_count = 0usize;
    let mut copy_failed = false;
    loop {
        match interrupts.load(Ordering::SeqCst) {
            0 => {}
            1 if !cancel_sent => {
                eprintln!("Cancelling… (press Ctrl+C again to quit at once)");
                worker.cancel(id);
                cancel_sent = true;
            }
            1 => {}
            _ => {
                eprintln!("Stopped. Pictures listed above are saved.");
                return EXIT_CANCELLED;
            }
        }
        let event = match next_event(&worker) {
            Next::Event(e) => e,
            Next::Waiting => continue,
            Next::Ended => {
                eprintln!("easel: the request ended without a result. Please try again.");
                return EXIT_FAILED;
            }
        };
        match event {
            Event::Queued { .. } | Event::Thumbnail { .. } => {}
            Event::Started { .. } => eprintln!("Sent. Making pictures can take from seconds to a few minutes…"),
            Event::Progress { progress, .. } => progress_line(&progress),
            Event::ImageSaved { image, index, .. } => {
                saved_count += 1;
                println!("{}", image.path.display());
                let _ = std::io::stdout().flush();
                if let Some(dir) = &args.output.out {
                    let bytes = std::fs::read(&image.path);
                    match bytes.map_err(|e| e.to_string()).and_then(|b| {
                        library::copy_named(&b, dir, &prompt, index + 1, image.meta.format.extension()).map_err(|e| e.to_string())
                    }) {
                        Ok(p) => eprintln!("Copied to {}", p.display()),
                        Err(e) => {
                            copy_failed = true;
                            eprintln!("easel: the picture is in the library, but copying it to {} failed: {e}", dir.display())
                        }
                    }
                }
            }
            Event::Finished { summary, .. } => {
                for note in &summary.notes {
                    eprintln!("Note: {note}");
                }
                let cost = summary
                    .cost_from_usage_usd
                    .map(|c| format!(", about ${c:.3} from the tokens reported"))
                    .or(summary.estimated_cost_usd.map(|c| format!(", estimated ${c:.3}")))
                    .unwrap_or_default();
                eprintln!(
                    "Saved {} picture{} in {:.1} s{cost}.",
                    summary.saved.len(),
                    if summary.saved.len() == 1 { "" } else { "s" },
                    summary.elapsed.as_secs_f64()
                );
                if summary.missing > 0 || copy_failed {
                    eprintln!("easel: not every picture could be saved; those listed above are.");
                    return EXIT_FAILED;
                }
                return EXIT_OK;
            }
            Event::Failed { error, saved, .. } => {
                if error.is_cancelled() {
                    eprintln!("Cancelled. Nothing was left half-written.");
                    return EXIT_CANCELLED;
                }
                eprintln!("easel: {error}");
                if !saved.is_empty() || saved_count > 0 {
                    eprintln!("The pictures listed above are saved all the same.");
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
fn start(endpoint: &Endpoint, out: Option<&std::path::Path>, jobs: usize) -> Result<Started, i32> {
    let secrets = Secrets::new();
    let Some((key, _)) = secrets.load(&endpoint.key_account()) else {
        return Err(usage_error(format!(
            "No API key for {}. Run `easel key set` and paste it, or set EASEL_API_KEY. {}",
            endpoint.display_name(),
            endpoint.key_help()
        )));
    };
    let mut client = ClientConfig { user_agent: format!("easel/{}", crate::VERSION), ..ClientConfig::default() };
    if let Ok(text) = std::env::var(ENV_TIMEOUT) {
        match text.trim().parse::<f64>().ok().filter(|s| *s > 0.0).and_then(|s| Duration::try_from_secs_f64(s).ok()) {
            Some(d) => client.request_timeout = d,
            None => return Err(usage_error(format!("{ENV_TIMEOUT} must be a number of seconds above zero, such as 600 (it is “{text}”)."))),
        }
    }
    if let Some(dir) = out
        && let Err(e) = check_writable(dir)
    {
        return Err(usage_error(format!("Cannot write pictures into --out {}: {e}. Pick a folder you can write to.", dir.display())));
    }
    let library = match Library::default_dir().and_then(Library::open) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            eprintln!("easel: {e}");
            return Err(EXIT_FAILED);
        }
    };
    let config = WorkerConfig { client, max_concurrent: jobs, thumbnail_size: None, threads: 2, ..WorkerConfig::default() };
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
            if let Ok(mut sig) = signal(kind) {
                let count = count.clone();
                handle.spawn(async move {
                    while sig.recv().await.is_some() {
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        }
    }
    #[cfg(windows)]
    if let Ok(mut sig) = tokio::signal::windows::ctrl_c() {
        handle.spawn(async move {
            while sig.recv().await.is_some() {
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
    }
}

/// Creates `dir` if needed and checks that a file can be written there.
fn check_writable(dir: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.kind().to_string())?;
    tempfile::tempfile_in(dir).map(|_| ()).map_err(|e| e.kind().to_string())
}

fn progress_line(p: &Progress) {
    match p {
        Progress::Sending { attempt } if *attempt > 1 => eprintln!("Sending again (attempt {attempt})…"),
        Progress::Retrying { delay, reason, .. } => eprintln!("{reason}; trying again in {:.0} s…", delay.as_secs_f64().ceil()),
        Progress::SwitchingFormatField { to } => {
            eprintln!("The endpoint does not know this name for the format setting; trying “{}”…", to.name())
        }
        Progress::Downloading { count } => eprintln!("Downloading {count} picture{}…", if *count == 1 { "" } else { "s" }),
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
                rpassword::prompt_password(format!("Paste your API key for {name} and press Enter: "))
            } else {
                let mut text = String::new();
                stdin.lock().read_to_string(&mut text).map(|_| text)
            };
            let Ok(text) = read else {
                return usage_error("Could not read the key from standard input.");
            };
            let key = match ApiKey::parse(&text) {
                Ok(k) => k,
                Err(e) => return usage_error(format!("{e} Pipe it in, e.g. `easel key set < key.txt`. {}", endpoint.key_help())),
            };
            match secrets.store(&account, &key) {
                Ok(Stored::Keyring) => {
                    eprintln!("Saved the key for {name} in the system keyring.");
                    EXIT_OK
                }
                Ok(Stored::SessionOnly) => {
                    eprintln!(
                        "easel: the key was not saved: {}. Set EASEL_API_KEY in your environment instead.",
                        secrets.keyring_problem().unwrap_or_else(|| "no system keyring is available".into())
                    );
                    EXIT_FAILED
                }
                Err(e) => {
                    eprintln!("easel: {e}");
                    EXIT_FAILED
                }
            }
        }
        KeyAction::Status => {
            match secrets.load(&account) {
                Some((_, source)) => println!("The key for {name} comes from {source}."),
                None => match secrets.keyring_problem() {
                    Some(problem) => println!("No key is set for {name} ({problem}). Set EASEL_API_KEY to use one."),
                    None => println!("No key is set for {name}. Run `easel key set` to store one."),
                },
            }
            EXIT_OK
        }
        KeyAction::Delete => {
            let env_note = if std::env::var(crate::secrets::ENV_KEY).is_ok_and(|v| !v.trim().is_empty()) {
                " EASEL_API_KEY is still set in your environment and will still be used."
            } else {
                ""
            };
            match secrets.delete(&account) {
                Ok(true) => {
                    eprintln!("Deleted the key for {name} from the system keyring.{env_note}");
                    EXIT_OK
                }
                Ok(false) => {
                    eprintln!("There was no key for {name} in the system keyring.{env_note}");
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
