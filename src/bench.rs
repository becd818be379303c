//! Bench mode, for `scripts/bench-library.sh`: with `EASEL_BENCH` set, the window measures its
//! own start-up, scrolls the gallery from top to bottom one screen at a time (waiting at each
//! screen for its thumbnails), measures its memory, and closes.
//!
//! It prints on standard output, one `key value` per line:
//!
//! | key | what |
//! |---|---|
//! | `first-ui-ms` | ms from the start of `main` until the first frame was built |
//! | `first-frame-ms` | ms until the first frame was on screen (taken as the second frame is built; eframe shows the window after painting the first) |
//! | `first-frame-cpu-ms` | what eframe measured for the first frame (build, tessellation, paint) |
//! | `history-ms` | ms until the history was read and in the gallery |
//! | `first-screen-ms` | ms until the history was in and the first screen of thumbnails was drawn |
//! | `rss-mb-start`, `textures-start` | resident memory (MiB) and thumbnail textures then |
//! | `scroll-steps`, `scroll-ms`, `stalled-steps`, `step-wait-worst-ms` | the scroll: screens, time, screens whose thumbnails did not all come within 10 s, longest wait for a screen |
//! | `frame-cpu-mean-ms`, `frame-cpu-worst-ms`, `slow-frames` | eframe's frame times (build, tessellation, paint) from the first screen to the end; frames over 50 ms |
//! | `loading-frames` | frames that showed at least one "Loading" tile |
//! | `frame-interval-ms` | wall time between frames drawn back to back at the bottom (build, paint and present) |
//! | `rss-mb`, `rss-peak-mb`, `rss-anon-mb`, `rss-file-mb`, `rss-shmem-mb` | after the scroll: resident memory (`VmRSS`), its peak (`VmHWM`), and its parts |
//! | `textures`, `egui-textures`, `gallery` | after the scroll: thumbnail textures, all of egui's textures, pictures in the gallery |
//! | `total-ms` | ms from the start of `main` until the bench closed the window |
//! | `done 1` | the bench finished; `error <why>` instead when it could not |
//!
//! `EASEL_BENCH=trace` also writes a line per screen on standard error. `EASEL_BENCH=first`
//! (for `scripts/first-frame.sh`) closes after the first frame, having printed the wall clock
//! then (`first-frame-epoch-ns`, ns since 1970, so the script can count from before the process
//! existed) and the resident memory (`rss-mb-first`, and its parts `rss-anon-mb-first` and
//! `rss-file-mb-first`).
//!
//! Hooks, one line each:
//! * Start-up's steps (`App::with_state`, `window::run`): [`stage`].
//! * `main()`, first line: [`mark_process_start`] (without it, times count from the process's
//!   start as `/proc` gives it, to 10 ms).
//! * The window's frame (`window.rs`), after the views are drawn: [`after_frame`].
//! * The main scroll area in `ui::draw`: wrapped in [`scroll_area`], its output given to [`scrolled`].
//!
//! Without `EASEL_BENCH` every hook returns at once.

use eframe::egui;
use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The environment variable that turns bench mode on.
pub const ENV_BENCH: &str = "EASEL_BENCH";
/// When `main` started; set by [`mark_process_start`].
pub static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// How long one screen may take to show its thumbnails before the scroll goes on anyway.
const STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the history and the first screen may take.
const START_TIMEOUT: Duration = Duration::from_secs(180);
/// Frames drawn at the bottom before memory is measured, so that textures dropped on the way
/// down have been freed by the renderer.
const SETTLE_FRAMES: u32 = 10;
/// A frame slower than this is counted as slow.
const SLOW_FRAME: f64 = 0.050;

static BENCH: OnceLock<Option<Mutex<Bench>>> = OnceLock::new();

/// Call first thing in `main`: start-up times are measured from here.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(Instant::now);
}

fn global() -> Option<std::sync::MutexGuard<'static, Bench>> {
    BENCH
        .get_or_init(|| Bench::from_env().map(Mutex::new))
        .as_ref()
        .map(|m| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Whether bench mode is on.
pub fn enabled() -> bool {
    global().is_some()
}

/// The gallery's scroll area, scrolled where the bench wants it this frame.
pub fn scroll_area(area: egui::ScrollArea) -> egui::ScrollArea {
    match global().and_then(|mut b| b.scroll_offset()) {
        Some(offset) => area.vertical_scroll_offset(offset),
        None => area,
    }
}

/// Prints `stage-<name>-ms`, the time from the start of `main` until now, in bench mode: the
/// steps of start-up, so `scripts/first-frame.sh` can say where the time goes.
pub fn stage(name: &str) {
    if let Some(b) = global() {
        let ms = b.ms(Instant::now());
        drop(b);
        report(&[(format!("stage-{name}-ms"), ms)]);
    }
}

/// Prints `key value` in bench mode.
pub fn figure(key: &str, value: impl FnOnce() -> String) {
    if enabled() {
        report(&[(key.to_string(), value())]);
    }
}

/// Tells the bench where the gallery's scroll area is.
pub fn scrolled<R>(out: &egui::scroll_area::ScrollAreaOutput<R>) {
    if let Some(mut b) = global() {
        b.scrolled(out.state.clamped_offset().y, out.content_size.y, out.inner_rect.height());
    }
}

/// Call at the end of each frame, after the views are drawn, with what the app shows.
pub fn after_frame(ctx: &egui::Context, input: &FrameInput) {
    let Some(mut bench) = global() else { return };
    // A pass egui will run again draws nothing on screen.
    if ctx.will_discard() {
        return;
    }
    let mut out = Vec::new();
    let action = bench.frame(Instant::now(), input, &mut out);
    drop(bench);
    report(&out);
    match action {
        Action::Repaint => ctx.request_repaint(),
        Action::RepaintAfter(d) => ctx.request_repaint_after(d),
        Action::Close => {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            ctx.request_repaint();
        }
        Action::Idle => {}
    }
}

fn report(lines: &[(String, String)]) {
    if lines.is_empty() {
        return;
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    // The bench's reader is the script that started it: if it is gone, no one needs the figures.
    let written = lines.iter().try_for_each(|(k, v)| writeln!(w, "{k} {v}")).and_then(|()| w.flush());
    if let Err(e) = written {
        log::warn!("bench figures could not be written: {e}");
    }
}

/// What the app tells the bench about a frame.
#[derive(Debug, Clone, Default)]
pub struct FrameInput {
    pub history_loaded: bool,
    /// A "Loading" tile is visible: thumbnails on screen are still coming.
    pub loading_tiles: bool,
    /// Thumbnail textures held.
    pub textures: usize,
    /// All textures egui holds (fonts, thumbnails, anything else).
    pub egui_textures: usize,
    /// Pictures in the gallery.
    pub gallery: usize,
    /// eframe's frame times so far, summed (`FrameStats::total_secs`).
    pub cpu_total_secs: f64,
    /// Why the gallery cannot show.
    pub blocked: Option<String>,
}

/// What the window should do after a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Repaint,
    RepaintAfter(Duration),
    Close,
    /// The bench is over.
    Idle,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Before the first frame was shown.
    Starting,
    /// Waiting for the history and the first screen of thumbnails.
    FirstScreen,
    /// Scrolling; a step was asked for at `since` (frame `frame`).
    Scrolling {
        since: Instant,
        frame: u64,
    },
    /// At the bottom, letting the renderer catch up; frames left.
    Settling(u32),
    Done,
}

/// Where the gallery's scroll area was last frame.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    offset: f32,
    content: f32,
    height: f32,
}

impl View {
    fn max_offset(&self) -> f32 {
        (self.content - self.height).max(0.0)
    }

    fn at_bottom(&self) -> bool {
        self.offset >= self.max_offset() - 1.0
    }
}

/// The bench's state.
pub struct Bench {
    start: Instant,
    trace: bool,
    /// Close after the first frame (`EASEL_BENCH=first`).
    first_only: bool,
    phase: Phase,
    /// Frames seen (passes that were shown).
    frames: u64,
    /// Where the scroll area is, and whether it was drawn this frame.
    view: Option<View>,
    view_fresh: bool,
    /// An offset to apply next time the scroll area is built.
    target: Option<f32>,
    history_at: Option<Instant>,
    last_cpu_total: f64,
    scroll_started: Option<Instant>,
    steps: u32,
    stalled: u32,
    worst_wait: Duration,
    scroll_cpu: Vec<f64>,
    loading_frames: u64,
    /// When the last frame was taken in, and the time between frames drawn back to back.
    last_frame_at: Option<Instant>,
    settle_intervals: Vec<Duration>,
}

impl Bench {
    /// Bench mode if `EASEL_BENCH` is set (to anything but empty or `0`), timed from
    /// [`PROCESS_START`] (or, if `main` never set it, from the process's start as Linux says).
    pub fn from_env() -> Option<Bench> {
        let value = std::env::var(ENV_BENCH).ok().filter(|v| !v.is_empty() && v != "0")?;
        let start = *PROCESS_START.get_or_init(|| {
            let now = Instant::now();
            process_age().and_then(|age| now.checked_sub(age)).unwrap_or(now)
        });
        let mut bench = Bench::new(start, value == "trace");
        bench.first_only = value == "first";
        Some(bench)
    }

    /// A bench timed from `start`.
    pub fn new(start: Instant, trace: bool) -> Bench {
        Bench {
            start,
            trace,
            first_only: false,
            phase: Phase::Starting,
            frames: 0,
            view: None,
            view_fresh: false,
            target: None,
            history_at: None,
            last_cpu_total: 0.0,
            scroll_started: None,
            steps: 0,
            stalled: 0,
            worst_wait: Duration::ZERO,
            scroll_cpu: Vec::new(),
            loading_frames: 0,
            last_frame_at: None,
            settle_intervals: Vec::new(),
        }
    }

    /// The offset the gallery's scroll area must take this frame, if any.
    pub fn scroll_offset(&mut self) -> Option<f32> {
        self.target.take()
    }

    /// Where the gallery's scroll area is (its output this frame).
    pub fn scrolled(&mut self, offset: f32, content_height: f32, view_height: f32) {
        self.view = Some(View { offset, content: content_height, height: view_height });
        self.view_fresh = true;
    }

    fn ms(&self, now: Instant) -> String {
        format!("{:.0}", now.saturating_duration_since(self.start).as_secs_f64() * 1000.0)
    }

    /// Takes in a frame that was drawn; says what to print (in `out`) and what to do next.
    pub fn frame(&mut self, now: Instant, input: &FrameInput, out: &mut Vec<(String, String)>) -> Action {
        let mut put = |k: &str, v: String| out.push((k.to_string(), v));
        self.frames += 1;
        let interval = self.last_frame_at.map(|t| now.saturating_duration_since(t));
        self.last_frame_at = Some(now);
        let cpu = (input.cpu_total_secs - self.last_cpu_total).max(0.0);
        self.last_cpu_total = input.cpu_total_secs;
        let view_fresh = std::mem::take(&mut self.view_fresh);
        if input.loading_tiles {
            self.loading_frames += 1;
        }
        if self.history_at.is_none() && input.history_loaded && self.frames > 0 {
            self.history_at = Some(now);
        }
        match self.phase {
            Phase::Starting => self.starting(now, cpu, out),
            Phase::FirstScreen => {
                if let Some(why) = &input.blocked {
                    put("error", why.clone());
                    self.phase = Phase::Done;
                    return Action::Close;
                }
                if now.saturating_duration_since(self.start) > START_TIMEOUT {
                    put("error", format!("no first screen after {} s", START_TIMEOUT.as_secs()));
                    self.phase = Phase::Done;
                    return Action::Close;
                }
                if !(input.history_loaded && view_fresh && !input.loading_tiles) {
                    return Action::RepaintAfter(Duration::from_millis(50));
                }
                if let Some(h) = self.history_at {
                    put("history-ms", self.ms(h));
                }
                put("first-screen-ms", self.ms(now));
                put("rss-mb-start", mb(proc_status("VmRSS")));
                put("textures-start", input.textures.to_string());
                self.scroll_started = Some(now);
                self.next_step(now)
            }
            Phase::Scrolling { since, frame } => {
                self.scroll_cpu.push(cpu);
                let waited = now.saturating_duration_since(since);
                let shown = self.frames >= frame + 2 && view_fresh && !input.loading_tiles;
                if !shown && waited < STEP_TIMEOUT {
                    return Action::RepaintAfter(Duration::from_millis(50));
                }
                if !shown {
                    self.stalled += 1;
                }
                self.worst_wait = self.worst_wait.max(waited);
                if self.trace {
                    let v = self.view.unwrap_or(View { offset: 0.0, content: 0.0, height: 0.0 });
                    eprintln!(
                        "bench step={} offset={:.0}/{:.0} waited-ms={} textures={} rss-mb={} stalled={}",
                        self.steps,
                        v.offset,
                        v.max_offset(),
                        waited.as_millis(),
                        input.textures,
                        mb(proc_status("VmRSS")),
                        !shown
                    );
                }
                self.next_step(now)
            }
            Phase::Settling(left) => {
                self.scroll_cpu.push(cpu);
                // Settling frames are asked for back to back: their spacing is the frame rate.
                if left < SETTLE_FRAMES {
                    self.settle_intervals.extend(interval);
                }
                if left > 1 {
                    self.phase = Phase::Settling(left - 1);
                    return Action::Repaint;
                }
                let scroll = self.scroll_started.map(|s| now.saturating_duration_since(s)).unwrap_or_default();
                let frames = self.scroll_cpu.len().max(1) as f64;
                let sum = self.scroll_cpu.iter().fold(0.0, |a, b| a + b);
                let worst = self.scroll_cpu.iter().copied().fold(0.0, f64::max);
                put("scroll-steps", self.steps.to_string());
                put("scroll-ms", format!("{:.0}", scroll.as_secs_f64() * 1000.0));
                put("stalled-steps", self.stalled.to_string());
                put("step-wait-worst-ms", self.worst_wait.as_millis().to_string());
                put("frame-cpu-mean-ms", format!("{:.1}", sum / frames * 1000.0));
                put("frame-cpu-worst-ms", format!("{:.1}", worst * 1000.0));
                put("slow-frames", self.scroll_cpu.iter().filter(|&&c| c > SLOW_FRAME).count().to_string());
                put("loading-frames", self.loading_frames.to_string());
                let n = self.settle_intervals.len().max(1) as f64;
                put(
                    "frame-interval-ms",
                    format!(
                        "{:.1}",
                        self.settle_intervals.iter().map(Duration::as_secs_f64).sum::<f64>().max(0.0) / n * 1000.0
                    ),
                );
                put("rss-mb", mb(proc_status("VmRSS")));
                put("rss-peak-mb", mb(proc_status("VmHWM")));
                put("rss-anon-mb", mb(proc_status("RssAnon")));
                put("rss-file-mb", mb(proc_status("RssFile")));
                put("rss-shmem-mb", mb(proc_status("RssShmem")));
                put("textures", input.textures.to_string());
                put("egui-textures", input.egui_textures.to_string());
                put("gallery", input.gallery.to_string());
                put("total-ms", self.ms(now));
                put("done", "1".into());
                self.phase = Phase::Done;
                Action::Close
            }
            Phase::Done => Action::Idle,
        }
    }

    /// The first two frames: the first built, then (eframe shows the window once the first
    /// frame is painted, then builds the next) the first on screen.
    fn starting(&mut self, now: Instant, cpu: f64, out: &mut Vec<(String, String)>) -> Action {
        let mut put = |k: &str, v: String| out.push((k.to_string(), v));
        if self.frames == 1 {
            put("first-ui-ms", self.ms(now));
            return Action::Repaint;
        }
        put("first-frame-ms", self.ms(now));
        put("first-frame-cpu-ms", format!("{:.1}", cpu * 1000.0));
        if self.first_only {
            let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            put("first-frame-epoch-ns", wall.to_string());
            let since_main = now.saturating_duration_since(self.start).as_nanos();
            put("main-epoch-ns", wall.saturating_sub(since_main).to_string());
            put("rss-mb-first", mb(proc_status("VmRSS")));
            put("rss-anon-mb-first", mb(proc_status("RssAnon")));
            put("rss-file-mb-first", mb(proc_status("RssFile")));
            self.phase = Phase::Done;
            return Action::Close;
        }
        self.phase = Phase::FirstScreen;
        Action::Repaint
    }

    /// Scrolls one screen further down, or settles when at the bottom.
    fn next_step(&mut self, now: Instant) -> Action {
        match self.view {
            Some(v) if !v.at_bottom() => {
                self.target = Some((v.offset + v.height).min(v.max_offset()));
                self.steps += 1;
                self.phase = Phase::Scrolling { since: now, frame: self.frames };
                Action::Repaint
            }
            _ => {
                self.phase = Phase::Settling(SETTLE_FRAMES);
                Action::Repaint
            }
        }
    }
}

/// How long ago the process started, from `/proc` (to 10 ms).
fn process_age() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Field 22, counted after the command name (which may hold spaces), in clock ticks of 1/100 s.
    let ticks: u64 = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_secs_f64((uptime - ticks as f64 / 100.0).max(0.0)))
}

/// A `kB` field of `/proc/self/status`, in kB.
fn proc_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// kB as MiB with one decimal; `-1` where the system does not say.
fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(|| "-1".to_string(), |kb| format!("{:.1}", kb as f64 / 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(history_loaded: bool, loading_tiles: bool) -> FrameInput {
        FrameInput { history_loaded, loading_tiles, textures: 3, egui_textures: 5, gallery: 9, ..FrameInput::default() }
    }

    fn keys(out: &[(String, String)]) -> Vec<&str> {
        out.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// Frames drawn at `offset` until the bench closes the window.
    fn until_close(b: &mut Bench, offset: f32, out: &mut Vec<(String, String)>) -> usize {
        for n in 1..100 {
            b.scrolled(offset, 2500.0, 1000.0);
            if b.frame(Instant::now(), &input(true, false), out) == Action::Close {
                return n;
            }
        }
        panic!("never closed");
    }

    #[test]
    fn scrolls_a_screen_at_a_time_waiting_for_thumbnails_then_closes() {
        let t0 = Instant::now();
        let mut b = Bench::new(t0, false);
        let mut out = Vec::new();
        assert_eq!(b.frame(t0, &input(false, false), &mut out), Action::Repaint);
        assert_eq!(b.frame(t0, &input(false, false), &mut out), Action::Repaint);
        assert_eq!(keys(&out), ["first-ui-ms", "first-frame-ms", "first-frame-cpu-ms"]);
        out.clear();
        // History in, but thumbnails on screen still loading: wait.
        b.scrolled(0.0, 2500.0, 1000.0);
        assert!(matches!(b.frame(t0, &input(true, true), &mut out), Action::RepaintAfter(_)));
        assert!(out.is_empty());
        b.scrolled(0.0, 2500.0, 1000.0);
        assert_eq!(b.frame(t0, &input(true, false), &mut out), Action::Repaint);
        assert_eq!(keys(&out), ["history-ms", "first-screen-ms", "rss-mb-start", "textures-start"]);
        assert_eq!(b.scroll_offset(), Some(1000.0));
        assert_eq!(b.scroll_offset(), None, "applied once");
        out.clear();
        // Even with every thumbnail already in, a screen is shown for two frames.
        b.scrolled(1000.0, 2500.0, 1000.0);
        assert!(matches!(b.frame(t0, &input(true, false), &mut out), Action::RepaintAfter(_)));
        b.scrolled(1000.0, 2500.0, 1000.0);
        assert_eq!(b.frame(t0, &input(true, false), &mut out), Action::Repaint);
        assert_eq!(b.scroll_offset(), Some(1500.0), "the last step stops at the bottom");
        assert_eq!(until_close(&mut b, 1500.0, &mut out), 2 + SETTLE_FRAMES as usize);
        let k = keys(&out);
        assert!(k.contains(&"rss-mb") && k.contains(&"textures") && k.last() == Some(&"done"), "{k:?}");
        assert_eq!(out.iter().find(|(k, _)| k == "scroll-steps").unwrap().1, "2");
        assert_eq!(out.iter().find(|(k, _)| k == "stalled-steps").unwrap().1, "0");
    }

    #[test]
    fn an_empty_library_settles_at_once_and_a_key_screen_is_an_error() {
        let t0 = Instant::now();
        let mut b = Bench::new(t0, false);
        let mut out = Vec::new();
        b.frame(t0, &input(true, false), &mut out);
        b.frame(t0, &input(true, false), &mut out);
        b.scrolled(0.0, 300.0, 1000.0);
        b.frame(t0, &input(true, false), &mut out);
        assert_eq!(b.scroll_offset(), None);
        let mut action = Action::Repaint;
        for _ in 0..SETTLE_FRAMES {
            action = b.frame(t0, &input(true, false), &mut out);
        }
        assert_eq!(action, Action::Close);
        assert_eq!(out.iter().find(|(k, _)| k == "scroll-steps").unwrap().1, "0");

        let mut b = Bench::new(t0, false);
        let mut out = Vec::new();
        let blocked = FrameInput { blocked: Some("key".into()), ..input(true, false) };
        b.frame(t0, &blocked, &mut out);
        b.frame(t0, &blocked, &mut out);
        assert_eq!(b.frame(t0, &blocked, &mut out), Action::Close);
        assert_eq!(out.last().unwrap().0, "error");
    }

    #[test]
    fn a_screen_that_never_loads_is_counted_and_skipped() {
        let t0 = Instant::now();
        let mut b = Bench::new(t0, false);
        let mut out = Vec::new();
        b.frame(t0, &input(true, false), &mut out);
        b.frame(t0, &input(true, false), &mut out);
        b.scrolled(0.0, 2000.0, 1000.0);
        b.frame(t0, &input(true, false), &mut out);
        assert_eq!(b.scroll_offset(), Some(1000.0));
        b.scrolled(1000.0, 2000.0, 1000.0);
        assert!(matches!(b.frame(t0, &input(true, true), &mut out), Action::RepaintAfter(_)));
        b.scrolled(1000.0, 2000.0, 1000.0);
        assert_eq!(b.frame(t0 + STEP_TIMEOUT, &input(true, true), &mut out), Action::Repaint);
        assert_eq!(b.stalled, 1);
    }

    #[test]
    fn reads_proc_status() {
        if cfg!(target_os = "linux") {
            assert!(proc_status("VmRSS").is_some_and(|kb| kb > 0));
            assert!(process_age().is_some_and(|age| age < Duration::from_secs(3600)), "{:?}", process_age());
        }
        assert_eq!(mb(Some(2048)), "2.0");
        assert_eq!(mb(None), "-1");
    }
}
