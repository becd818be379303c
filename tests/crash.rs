#![cfg(unix)]
//! A `kill -9` of the real `easel` process while ten large pictures are arriving and being
//! saved: whatever moment the kill lands, every picture a user can see in the library is
//! complete (its pixels are exactly those sent), every details file is whole JSON, nothing
//! half-written is listed, and nothing already saved (seen on disk or reported on standard
//! output) is lost.

mod common;

use common::*;
use easel::library::{Entry, Library};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GEN: &str = "/v1/images/generations";
const COUNT: usize = 10;
const W: u32 = 1536;
const H: u32 = 1024;
/// Runs after the planned ones, only if none of those killed easel mid-way through saving.
const EXTRA_RUNS: usize = 6;
const SIGKILL: i32 = 9;

/// One of the ten pictures the relay sends: its bytes and its pixels.
struct Sent {
    png: Vec<u8>,
    pixels: Vec<u8>,
}

/// Noisy (5 random bits a byte over a gradient), so each PNG is about 4 MB (an answer of 53 MB)
/// and saving ten takes a while (about 150 ms with fsync on ext4); every picture is different.
fn noisy_picture(seed: u64) -> Sent {
    let mut pixels = vec![0u8; (W * H * 3) as usize];
    fastrand::Rng::with_seed(seed).fill(&mut pixels);
    for (row, line) in pixels.chunks_exact_mut((W * 3) as usize).enumerate() {
        let base = (row * 96 / H as usize) as u8;
        for (i, b) in line.iter_mut().enumerate() {
            *b = (*b & 0x1f) + base + (i % 3) as u8 * 32;
        }
    }
    let img = image::RgbImage::from_raw(W, H, pixels).unwrap();
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    Sent { png, pixels: img.into_raw() }
}

fn make_pictures() -> Vec<Sent> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..COUNT).map(|i| s.spawn(move || noisy_picture(0xEA5E1 + i as u64))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

struct Relay {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Relay {
    fn start(body: String) -> Relay {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        assert!(server.uri().starts_with("http://127.0.0.1:"), "{}", server.uri());
        rt.block_on(
            Mock::given(method("POST"))
                .and(path(GEN))
                .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
                .mount(&server),
        );
        Relay { rt, server }
    }
    fn base(&self) -> String {
        format!("{}/v1", self.server.uri())
    }
    fn request_count(&self) -> usize {
        let all = self.rt.block_on(self.server.received_requests()).unwrap_or_default();
        all.iter().filter(|r| r.method == wiremock::http::Method::POST).count()
    }
}

/// A relay that sends the status line, the headers and half of the answer, then stalls: a kill
/// then lands, for certain, while the answer is still arriving.
struct StallingRelay {
    base: String,
    halves_sent: Arc<AtomicUsize>,
}

impl StallingRelay {
    fn start(body: Arc<String>) -> StallingRelay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/v1", listener.local_addr().unwrap());
        let halves_sent = Arc::new(AtomicUsize::new(0));
        let count = halves_sent.clone();
        // Lives until the test process ends; each connection ends when easel is killed.
        named("stalling-relay", move || {
            for stream in listener.incoming().flatten() {
                let (body, count) = (body.clone(), count.clone());
                named("stalling-relay-connection", move || stall(stream, &body, &count));
            }
        });
        StallingRelay { base, halves_sent }
    }
    fn halves_sent(&self) -> usize {
        self.halves_sent.load(Ordering::SeqCst)
    }
}

fn stall(mut stream: TcpStream, body: &str, count: &AtomicUsize) {
    // The request: headers, then as many bytes as Content-Length says.
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let Ok(n) = stream.read(&mut buf) else { return };
        if n == 0 {
            return;
        }
        got.extend_from_slice(&buf[..n]);
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&got[..head_end]).to_ascii_lowercase();
    assert!(head.starts_with(&format!("post {GEN} ")), "{head}");
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap());
    while got.len() < head_end + length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    let answer = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
    let half = &body.as_bytes()[..body.len() / 2];
    if stream.write_all(answer.as_bytes()).and_then(|_| stream.write_all(half)).and_then(|_| stream.flush()).is_err() {
        return;
    }
    count.fetch_add(1, Ordering::SeqCst);
    // Hold the connection open (the rest never comes) until easel is gone.
    while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
}

/// When to kill easel.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// With the stalling relay: as soon as half the answer has been sent.
    HalfAnswer,
    /// Never: easel runs to the end (the happy path, and how long it takes).
    Never,
    /// As soon as the relay has the request: the answer is on its way.
    RequestArrived,
    /// This long after the relay has the request: anywhere from receiving to saving.
    AfterRequest(Duration),
    /// As soon as a hidden temporary file is seen: the first picture is being written.
    FirstPart,
    /// As soon as this many pictures are visible.
    Pictures(usize),
    /// As soon as this many details (.json) files are visible.
    Details(usize),
}

/// The child is killed if the test fails while it runs.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What is in the images folder at one moment.
#[derive(Default)]
struct Listing {
    pictures: BTreeSet<String>,
    details: BTreeSet<String>,
    hidden: BTreeSet<String>,
    other: BTreeSet<String>,
}

fn list(dir: &Path) -> Listing {
    let mut l = Listing::default();
    let Ok(entries) = std::fs::read_dir(dir) else { return l };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            l.hidden.insert(name);
        } else if name.ends_with(".png") {
            l.pictures.insert(name);
        } else if name.ends_with(".json") {
            l.details.insert(name);
        } else {
            l.other.insert(name);
        }
    }
    l
}

/// What one run did.
struct Outcome {
    moment: Moment,
    /// Killed by SIGKILL (false: easel had already ended by itself).
    killed: bool,
    status: ExitStatus,
    /// From spawning to the kill (or the end).
    elapsed: Duration,
    /// From spawning to the relay having the request, if it was seen.
    request_after: Option<Duration>,
    /// Pictures visible at some point before the kill.
    seen: BTreeSet<String>,
    /// Paths easel reported as saved on standard output.
    printed: Vec<PathBuf>,
    stderr: String,
    /// Visible pictures and details files after the kill, and hidden files left.
    pictures: usize,
    details: usize,
    hidden: usize,
}

/// Starts a named thread, so a hang in a test says whose it was.
fn named<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> JoinHandle<T> {
    std::thread::Builder::new().name(name.into()).spawn(f).expect("a thread starts")
}

fn reader(mut from: impl Read + Send + 'static) -> JoinHandle<String> {
    named("output-reader", move || {
        let mut s = Vec::new();
        let _ = from.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    })
}

/// Runs `easel generate --n 10` against `base` and kills it at `moment`; `requests` counts the
/// requests the relay has had (for the stalling relay: answered by half).
fn run_once(base: &str, requests: &dyn Fn() -> usize, sent: &[Sent], moment: Moment) -> Outcome {
    let data = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let images = data.path().join("images");
    let requests_before = requests();
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_easel"))
        .args(["generate", "--prompt", "ten large pictures", "--n", "10", "--quality", "low", "--size", "1536x1024"])
        .env("EASEL_DATA_DIR", data.path())
        .env("EASEL_BASE_URL", base)
        .env("EASEL_API_KEY", KEY)
        .env("EASEL_TIMEOUT_SECS", "120")
        .env_remove("EASEL_PROMPT_LIMIT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut guard = Guard(child);
    let stdout = guard.0.stdout.take().unwrap();
    let printed: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let out_thread = {
        let printed = printed.clone();
        named("stdout-reader", move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                printed.lock().unwrap().push(PathBuf::from(line));
            }
        })
    };
    let err_thread = reader(guard.0.stderr.take().unwrap());

    let mut seen = BTreeSet::new();
    let mut part_seen = false;
    let mut request_at: Option<Instant> = None;
    let ended = loop {
        if let Some(status) = guard.0.try_wait().unwrap() {
            break Some(status);
        }
        let now = list(&images);
        seen.extend(now.pictures.iter().cloned());
        part_seen |= !now.hidden.is_empty();
        if request_at.is_none() && requests() > requests_before {
            request_at = Some(Instant::now());
        }
        let fire = match moment {
            Moment::Never => false,
            Moment::RequestArrived | Moment::HalfAnswer => request_at.is_some(),
            Moment::AfterRequest(d) => request_at.is_some_and(|t| t.elapsed() >= d),
            Moment::FirstPart => part_seen,
            Moment::Pictures(k) => now.pictures.len() >= k,
            Moment::Details(k) => now.details.len() >= k,
        };
        if fire {
            guard.0.kill().unwrap();
            break None;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "easel neither ended nor reached {moment:?} in 120 s");
        std::thread::sleep(Duration::from_millis(1));
    };
    let status = match ended {
        Some(s) => s,
        None => guard.0.wait().unwrap(),
    };
    let elapsed = started.elapsed();
    out_thread.join().unwrap();
    let stderr = err_thread.join().unwrap();
    let printed = printed.lock().unwrap().clone();
    // SIGKILL landing on a process that had just exited changes nothing: judge by the status.
    let killed = status.signal() == Some(SIGKILL);
    if !killed {
        assert_eq!(status.code(), Some(0), "easel ended by itself, but not well: {stderr}");
    }

    let after = list(&images);
    let outcome = Outcome {
        moment,
        killed,
        status,
        elapsed,
        request_after: request_at.map(|t| t - started),
        seen,
        printed,
        stderr,
        pictures: after.pictures.len(),
        details: after.details.len(),
        hidden: after.hidden.len(),
    };
    check_library(data.path(), sent, &outcome);
    outcome
}

/// `<group>-<n>.png` → (group, n - 1).
fn group_and_index(name: &str) -> (String, usize) {
    let stem = Path::new(name).file_stem().unwrap().to_string_lossy().into_owned();
    let (group, n) = stem.rsplit_once('-').unwrap_or_else(|| panic!("not an Easel picture name: {name}"));
    let n: usize = n.parse().unwrap_or_else(|_| panic!("not an Easel picture name: {name}"));
    assert!((1..=COUNT).contains(&n), "{name}: only {COUNT} pictures were sent");
    (group.to_string(), n - 1)
}

/// Everything a user would see after the kill, and what Easel shows when it starts again.
fn check_library(data: &Path, sent: &[Sent], run: &Outcome) {
    let ctx =
        format!("{:?} (killed: {}, status {:?}); easel said:\n{}", run.moment, run.killed, run.status, run.stderr);
    let dir = data.join("images");
    let files = list(&dir);
    assert!(files.other.is_empty(), "unexpected files {:?} after {ctx}", files.other);
    for h in &files.hidden {
        assert!(h.ends_with(".part"), "a hidden file that is not a temporary file: {h}, after {ctx}");
    }
    if matches!(run.moment, Moment::HalfAnswer) {
        assert!(run.killed, "easel ended with half an answer: {ctx}");
        let all = [&files.pictures, &files.details, &files.hidden];
        assert!(all.iter().all(|s| s.is_empty()), "files from half an answer: {all:?} after {ctx}");
    }
    if !run.killed {
        assert_eq!(files.pictures.len(), COUNT, "easel ended well but did not save every picture: {ctx}");
        assert!(files.hidden.is_empty(), "easel ended well but left temporary files {:?}: {ctx}", files.hidden);
    }

    // Every visible picture is complete: it decodes, and its pixels are those sent as picture n.
    let pictures: Vec<(String, usize)> =
        files.pictures.iter().map(|name| (name.clone(), group_and_index(name).1)).collect();
    std::thread::scope(|s| {
        for chunk in pictures.chunks(pictures.len().div_ceil(2).max(1)) {
            let (dir, ctx) = (&dir, &ctx);
            s.spawn(move || {
                for (name, index) in chunk {
                    let bytes = std::fs::read(dir.join(name)).unwrap();
                    let img = image::load_from_memory(&bytes)
                        .unwrap_or_else(|e| panic!("{name} does not decode ({e}) after {ctx}"));
                    assert_eq!((img.width(), img.height()), (W, H), "{name} after {ctx}");
                    assert!(
                        img.to_rgb8().into_raw() == sent[*index].pixels,
                        "{name} is not the picture sent as number {} after {ctx}",
                        index + 1
                    );
                }
            });
        }
    });
    let groups: BTreeSet<String> = files.pictures.iter().map(|name| group_and_index(name).0).collect();
    assert!(groups.len() <= 1, "one request, one group: {groups:?}");

    // Every visible details file is whole. Details are written before their picture, so the
    // last one may describe a picture the kill stopped: never shown, never a damaged entry.
    let mut orphans = 0;
    for name in &files.details {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name} is not JSON ({e}) after {ctx}"));
        assert!(value.is_object(), "{name}: {value}");
        let meta = Library::read_meta(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e} after {ctx}"));
        let (_, index) = group_and_index(&meta.file);
        assert_eq!(meta.index, index, "{name}");
        assert_eq!(meta.count, COUNT, "{name}");
        assert_eq!((meta.width, meta.height), (W, H), "{name}");
        if !files.pictures.contains(&meta.file) {
            orphans += 1;
            continue;
        }
        assert_eq!(
            meta.bytes,
            std::fs::metadata(dir.join(&meta.file)).unwrap().len(),
            "{name}: the size of {}",
            meta.file
        );
    }
    assert!(orphans <= 1, "only the picture being written when killed can be missing, after {ctx}");

    // What Easel shows when it starts again: exactly the visible pictures, never a temporary file.
    let lib = Library::open(data).unwrap();
    let history = lib.history().unwrap();
    let listed: BTreeMap<String, &Entry> =
        history.iter().map(|e| (e.saved.path.file_name().unwrap().to_string_lossy().into_owned(), e)).collect();
    assert_eq!(listed.len(), history.len(), "a picture listed twice: {history:?}");
    let listed_names: BTreeSet<String> = listed.keys().cloned().collect();
    assert_eq!(listed_names, files.pictures, "the history lists exactly the visible pictures, after {ctx}");
    for (name, entry) in &listed {
        assert!(!name.starts_with('.'), "a temporary file is listed: {name}");
        let stem = name.strip_suffix(".png").unwrap();
        let has_details = files.details.contains(&format!("{stem}.json"));
        if has_details {
            assert_eq!(entry.damaged, None, "{name} has its details file, yet is listed as damaged, after {ctx}");
            assert_eq!(&entry.saved.meta.file, name);
            assert_eq!(entry.saved.meta.request.prompt, "ten large pictures");
        } else {
            panic!("{name} is on disk without its details, which are written first, after {ctx}");
        }
    }
    // Nothing that was already there before the kill is lost.
    for name in &run.seen {
        assert!(listed.contains_key(name), "{name} was on disk before the kill and is gone, after {ctx}");
    }
    // Easel reports a picture as saved only once it and its details are on disk.
    for p in &run.printed {
        assert!(p.starts_with(&dir), "{p:?}");
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let entry = listed.get(&name).unwrap_or_else(|| panic!("{name} was reported saved and is gone, after {ctx}"));
        assert_eq!(entry.damaged, None, "{name} was reported saved, after {ctx}");
    }
    // The same answer again, from the index just written.
    assert_eq!(lib.history().unwrap(), history);

    // Fresh temporary files are left alone (another Easel may be writing them), and do no harm;
    // once old, opening the library clears them and the history is unchanged.
    let parts: Vec<PathBuf> = files.hidden.iter().map(|h| dir.join(h)).collect();
    for p in &parts {
        assert!(p.exists(), "a fresh temporary file was removed: {p:?}");
        let old = SystemTime::now() - Duration::from_secs(20 * 60);
        std::fs::File::options().write(true).open(p).unwrap().set_modified(old).unwrap();
    }
    let reopened = Library::open(data).unwrap();
    for p in &parts {
        assert!(!p.exists(), "an old temporary file was not cleared: {p:?}");
    }
    assert_eq!(reopened.history().unwrap(), history);
    assert!(list(&dir).hidden.is_empty());
}

#[test]
fn kill_9_while_ten_pictures_arrive_loses_nothing_saved_and_shows_nothing_half_written() {
    let t0 = Instant::now();
    let sent = make_pictures();
    let sizes: Vec<usize> = sent.iter().map(|s| s.png.len()).collect();
    let pngs: Vec<Vec<u8>> = sent.iter().map(|s| s.png.clone()).collect();
    let body = b64_answer(&pngs).to_string();
    drop(pngs);
    eprintln!(
        "{COUNT} pictures of {W}x{H}, {:.1}–{:.1} MB each, answer {:.0} MB, made in {:.1} s",
        *sizes.iter().min().unwrap() as f64 / 1e6,
        *sizes.iter().max().unwrap() as f64 / 1e6,
        body.len() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    let body = Arc::new(body);
    let relay = Relay::start(String::clone(&body));
    let requests = || relay.request_count();
    let run = |moment| report(run_once(&relay.base(), &requests, &sent, moment));

    // First a run to the end: everything saved, and how long receiving and saving take.
    let whole = run(Moment::Never);
    assert!(!whole.killed && whole.pictures == COUNT && whole.printed.len() == COUNT);
    let mut outcomes = vec![whole];
    // Then, for certain, while the answer is still arriving.
    let stalling = StallingRelay::start(body.clone());
    outcomes.push(report(run_once(&stalling.base, &|| stalling.halves_sent(), &sent, Moment::HalfAnswer)));
    let mut rng = fastrand::Rng::new();
    let plan = vec![
        Moment::RequestArrived,
        Moment::FirstPart,
        Moment::Pictures(1),
        Moment::Details(1),
        Moment::Pictures(COUNT / 2),
        Moment::Pictures(COUNT - 1),
    ];
    for moment in plan {
        outcomes.push(run(moment));
    }
    // And at random moments from the request arriving to about the last picture being saved
    // (as long as the kill at the ninth picture took; the first run to the end is slower).
    let span = outcomes
        .iter()
        .rev()
        .find(|o| matches!(o.moment, Moment::Pictures(k) if k == COUNT - 1) && o.killed)
        .or(outcomes.first())
        .map(|o| o.elapsed.saturating_sub(o.request_after.unwrap_or_default()))
        .unwrap();
    let span_ms = span.as_millis().max(1) as u64;
    for _ in 0..4 {
        outcomes.push(run(Moment::AfterRequest(Duration::from_millis(rng.u64(0..span_ms)))));
    }
    let midway = |o: &Outcome| o.killed && o.pictures > 0 && o.pictures < COUNT;
    let mut extra = 0;
    while !outcomes.iter().any(midway) && extra < EXTRA_RUNS {
        extra += 1;
        outcomes.push(run(Moment::Pictures(1 + extra % (COUNT - 1))));
    }
    eprintln!("{} runs in {:.1} s", outcomes.len(), t0.elapsed().as_secs_f64());
    assert!(
        outcomes.iter().any(midway),
        "no run was killed while saving (with some but not all pictures on disk); the pictures are saved too fast to catch"
    );
}

fn report(o: Outcome) -> Outcome {
    eprintln!(
        "{:<26} {} after {:>4} ms (request in at {:>4} ms): {:>2} pictures, {:>2} details, {} temporary left; {:>2} seen before, {:>2} reported saved",
        format!("{:?}", o.moment),
        if o.killed { "killed" } else { "ended " },
        o.elapsed.as_millis(),
        o.request_after.map_or_else(|| "-".into(), |d| d.as_millis().to_string()),
        o.pictures,
        o.details,
        o.hidden,
        o.seen.len(),
        o.printed.len(),
    );
    o
}
