//! `easel compare`: the same prompt once per value of one or two settings, all at once.

use super::{
    EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, Next, Started, endpoint, flush_stdout, next_event, start, usage_error,
};
use crate::api::{ImageRequest, Quality, Size};
use crate::compare::{Axis, Plan};
use crate::library::{self, SavedImage, sheet};
use crate::worker::{Event, Job, JobError, JobId, Worker};
use clap::Args;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Requests sent at once: enough for a row of qualities to run side by side.
const AT_ONCE: usize = 4;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// What the picture should show.
    #[arg(long)]
    pub prompt: String,
    /// A setting and its values, like quality=low,medium,high or size=1024x1024,1536x1024
    /// (settings: quality, size, model, format). Once for a row, twice for a grid; default
    /// quality=low,medium,high.
    #[arg(long, value_name = "SETTING=A,B,…")]
    pub vary: Vec<String>,
    /// Model id for every cell (unless varied).
    #[arg(long, default_value = crate::api::DEFAULT_MODEL)]
    pub model: String,
    /// Size for every cell (unless varied).
    #[arg(long, default_value = "auto", value_parser = |s: &str| Size::parse(s).map_err(|e| e.to_string()))]
    pub size: Size,
    #[command(flatten)]
    pub stream: super::StreamArgs,
    #[command(flatten)]
    pub output: super::OutputArgs,
}

/// How one cell ended: kept as what happened, worded where it is shown (the terminal in its
/// language, the sheet in English).
enum Outcome {
    Saved(Box<SavedImage>),
    Failed(JobError),
    NoPicture,
    /// The worker stopped before the cell had an outcome.
    Ended,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Saved(_) => Ok(()),
            Outcome::Failed(e) => e.fmt(f),
            Outcome::NoPicture => f.write_str(words::NO_PICTURE()),
            Outcome::Ended => f.write_str(words::ENDED_WITHOUT_RESULT()),
        }
    }
}

pub fn compare(args: CompareArgs) -> i32 {
    let endpoint = match endpoint(args.output.base_url.as_deref()) {
        Ok(e) => e,
        Err(m) => return usage_error(m),
    };
    let axes: Result<Vec<Axis>, _> = args.vary.iter().map(|v| Axis::parse(v)).collect();
    let mut axes = match axes {
        Ok(a) if a.len() > 2 => return usage_error(words::AT_MOST_TWO()),
        Ok(a) => a.into_iter(),
        Err(e) => return usage_error(e),
    };
    let base = ImageRequest {
        model: args.model.trim().to_string(),
        size: args.size,
        format: args.output.format,
        quality: Quality::Auto,
        partial_images: args.stream.partial_images(),
        ..ImageRequest::new(args.prompt)
    };
    let x = axes.next().unwrap_or_else(Axis::qualities);
    let plan = match Plan::new(&base, x, axes.next(), endpoint.prompt_limit) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let Started { key, worker, interrupts } =
        match start(&endpoint, args.output.out.as_deref(), AT_ONCE, args.stream.insists()) {
            Ok(s) => s,
            Err(code) => return code,
        };
    let prices = crate::endpoint::Prices::default();
    let estimates: Vec<Option<f64>> = plan
        .cells
        .iter()
        .map(|c| prices.estimate(&crate::endpoint::Order::of(&c.request).pictures(1)).map(|e| e.usd))
        .collect();
    let labels: Vec<&str> = plan.cells.iter().map(|c| c.label.as_str()).collect();
    let total: f64 = estimates.iter().flatten().sum();
    let varied = match &plan.y {
        Some(y) => format!("{} × {}", plan.x.setting.word(), y.setting.word()),
        None => plan.x.setting.word().to_string(),
    };
    eprintln!("{}", words::comparing(&varied, &endpoint.display_name(), &labels.join(words::LIST_SEPARATOR()), total));

    // Each cell's pictures carry the comparison's id and their place, so the window can show
    // the comparison again from the history.
    let id = library::new_group();
    let ids: HashMap<JobId, usize> = plan
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let job = Job {
                request: c.request.clone(),
                endpoint: endpoint.clone(),
                key: key.clone(),
                comparison: Some(plan.tag(&id, i)),
                edit: None,
            };
            (worker.submit(job), i)
        })
        .collect();
    let Some((outcomes, cancel_sent)) = wait_for_cells(&worker, &interrupts, &plan, &ids) else {
        return EXIT_CANCELLED;
    };
    let failed = outcomes.iter().any(|o| !matches!(o, Outcome::Saved(_)));
    // What went wrong in the --out folder is said as it happens.
    let out_whole = args.output.out.as_deref().is_none_or(|dir| copy_and_sheet(&plan, &outcomes, dir));
    if cancel_sent {
        EXIT_CANCELLED
    } else if failed {
        eprintln!("easel: {}", words::NOT_EVERY_CELL());
        EXIT_FAILED
    } else if !out_whole {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Prints each cell's pictures and figures as they come, until every cell has an outcome;
/// whether the user cancelled with Ctrl+C, or `None` when they pressed it twice.
fn wait_for_cells(
    worker: &Worker,
    interrupts: &AtomicUsize,
    plan: &Plan,
    ids: &HashMap<JobId, usize>,
) -> Option<(Vec<Outcome>, bool)> {
    let mut outcomes: Vec<Option<Outcome>> = plan.cells.iter().map(|_| None).collect();
    let mut saved: HashMap<usize, SavedImage> = HashMap::new();
    let mut cancel_sent = false;
    while outcomes.iter().any(Option::is_none) {
        match interrupts.load(Ordering::SeqCst) {
            0 => {}
            1 if !cancel_sent => {
                eprintln!("{}", super::words::CANCELLING());
                ids.keys().for_each(|id| {
                    worker.cancel(*id);
                });
                cancel_sent = true;
            }
            1 => {}
            _ => {
                eprintln!("{}", super::words::STOPPED());
                return None;
            }
        }
        let event = match next_event(worker) {
            Next::Event(e) => e,
            Next::Waiting => continue,
            Next::Ended => {
                for outcome in outcomes.iter_mut().filter(|o| o.is_none()) {
                    *outcome = Some(Outcome::Ended);
                }
                continue;
            }
        };
        let Some(&cell) = ids.get(&event.job()) else { continue };
        let label = &plan.cells[cell].label;
        match event {
            Event::ImageSaved { image, .. } => {
                println!("{}", image.path.display());
                flush_stdout();
                saved.insert(cell, *image);
            }
            Event::Finished { .. } => {
                outcomes[cell] = Some(match saved.remove(&cell) {
                    Some(s) => {
                        // The figures as the window and the sheet give them.
                        eprintln!("{}", words::cell_line(label, &sheet::figure_lines(&s.meta).join(" · ")));
                        Outcome::Saved(Box::new(s))
                    }
                    None => {
                        eprintln!("{}", words::cell_line(label, words::NO_PICTURE()));
                        Outcome::NoPicture
                    }
                });
            }
            Event::Failed { error, .. } => {
                eprintln!("{}", words::cell_line(label, &error.to_string()));
                outcomes[cell] = Some(Outcome::Failed(error));
            }
            _ => {}
        }
    }
    Some((outcomes.into_iter().flatten().collect(), cancel_sent))
}

/// The longest side of a cell's picture on the sheet: pictures are decoded at this size.
const SHEET_CELL: u32 = 512;

/// Copies each picture into `dir` and writes the sheet there; `false` if any of it failed
/// (a copy, a picture that cannot be drawn on the sheet, the sheet).
fn copy_and_sheet(plan: &Plan, outcomes: &[Outcome], dir: &Path) -> bool {
    let mut ok = true;
    let mut undrawn = false;
    let mut cells = Vec::new();
    for (cell, outcome) in plan.cells.iter().zip(outcomes) {
        let saved = match outcome {
            Outcome::Saved(saved) => saved,
            not_made => {
                let failed = crate::i18n::with(crate::i18n::Lang::En, || sheet::failed_line(&not_made.to_string()));
                cells.push(sheet::SheetCell { picture: None, lines: vec![cell.label.clone(), failed] });
                continue;
            }
        };
        ok &= copy_out(saved, &format!("{} {}", cell.label, cell.request.prompt), dir);
        // One cell at a time, at the size it is drawn: a sheet of huge pictures never holds
        // them whole, and one too large to open leaves the others drawn.
        let picture = library::read_picture_fitting(&saved.path, SHEET_CELL);
        // The sheet's font has no Chinese characters: its labels are English.
        let mut lines = crate::i18n::with(crate::i18n::Lang::En, || sheet::cell_lines(&cell.label, &saved.meta));
        if let Err(e) = &picture {
            eprintln!("easel: {}", words::cell_line(&cell.label, &e.to_string()));
            lines.insert(1, crate::i18n::with(crate::i18n::Lang::En, || e.to_string()));
            undrawn = true;
        }
        cells.push(sheet::SheetCell { picture: picture.ok(), lines });
    }
    let spec = crate::i18n::with(crate::i18n::Lang::En, || sheet::SheetSpec::comparison(plan, cells));
    let path = dir.join("compare-sheet.png");
    let written = sheet::render(&spec, SHEET_CELL)
        .and_then(|(_, image)| sheet::to_png(&image))
        .map_err(|e| e.to_string())
        .and_then(|png| library::write_atomic(&path, &png).map_err(|e| e.to_string()));
    match written {
        Ok(()) => eprintln!("{}", words::sheet_written(&path.display().to_string())),
        Err(e) => {
            eprintln!("easel: {}", words::sheet_failed(&e));
            ok = false;
        }
    }
    if undrawn {
        eprintln!("easel: {}", words::NOT_EVERY_PICTURE_DRAWN());
    }
    ok && !undrawn
}

/// Copies one saved picture into `dir` under a name made from `name`; `false` if it failed.
fn copy_out(saved: &SavedImage, name: &str, dir: &Path) -> bool {
    let bytes = match std::fs::read(&saved.path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("easel: {}", library::LibraryError::io(library::Action::Read, &saved.path, &e));
            return false;
        }
    };
    match library::copy_named(&bytes, dir, name, 1, saved.meta.format.extension()) {
        Ok(p) => {
            eprintln!("{}", super::words::copied_to(&p.display().to_string()));
            true
        }
        Err(e) => {
            eprintln!("easel: {e}");
            false
        }
    }
}

/// `easel compare`'s own words, in every language.
mod words {
    crate::texts! { FIXED;
        AT_MOST_TWO => "Vary at most two settings: one for a row, two for a grid.",
            "最多改变两项设置：一项排成一行，两项排成网格。";
        /// Between the cells' labels in the "Comparing …" line.
        LIST_SEPARATOR => ", ", "、";
        ENDED_WITHOUT_RESULT => "the request ended without a result",
            "请求没有得到结果就结束了";
        NO_PICTURE => "no picture came back",
            "没有返回图片";
        NOT_EVERY_CELL => "not every cell could be made; the others are saved.",
            "部分格子未能生成；其余已保存。";
        NOT_EVERY_PICTURE_DRAWN => "not every picture could be drawn on the sheet (see above); every picture is saved and copied all the same.",
            "部分图片未能画在对比图上（见上文）；所有图片仍都已保存并复制。";
    }

    crate::formats! { WITH_VALUES;
        comparing(varied: &str, endpoint: &str, labels: &str, usd: f64) => "Comparing {varied} on {endpoint}: {labels}; estimated about ${usd:.3} at list prices in all.",
            "正在 {endpoint} 上对比 {varied}：{labels}；按官方价格估算共约 ${usd:.3}。";
        /// How one cell went: "High: 3.4 s · …" or "Medium: the endpoint refused the prompt".
        cell_line(label: &str, what: &str) => "{label}: {what}", "{label}：{what}";
        /// A failed cell on the sheet.
        sheet_written(path: &str) => "Sheet: {path}", "对比图：{path}";
        sheet_failed(error: &str) => "the sheet could not be written: {error}", "对比图无法写入：{error}";
    }

    crate::translated!(FIXED, WITH_VALUES);
}
