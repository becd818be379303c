//! `easel edit`: change pictures with a prompt (`POST /images/edits`), with reference pictures
//! and an optional mask; prints one saved path per picture, like `generate`.

use super::{OutputArgs, PictureArgs, Started, follow, usage_error, words};
use crate::api::{EditError, EditFile, InputFidelity};
use crate::library::edit::read_edit_file;
use crate::worker::{EditJob, Job};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct EditArgs {
    /// A picture to change or to use as a reference (PNG, JPEG or WebP; up to 16, each under
    /// 50 MB). The first is the one a mask applies to.
    #[arg(long = "image", value_name = "FILE", required = true)]
    pub images: Vec<PathBuf>,
    /// Where the first picture may change: a PNG whose transparent part is the area to change,
    /// or a black-and-white picture (white = change); the first picture's size.
    #[arg(long, value_name = "FILE")]
    pub mask: Option<PathBuf>,
    #[command(flatten)]
    pub picture: PictureArgs,
    /// With --mask: keep the model's whole picture, rather than the first picture exactly as
    /// it was outside the mask (the default).
    #[arg(long)]
    pub whole_result: bool,
    /// How closely the model keeps the pictures' details, low or high (gpt-image-1 and
    /// gpt-image-1.5; gpt-image-2 always reads them at high fidelity, and is not sent it).
    #[arg(long, value_parser = |s: &str| InputFidelity::parse(s).map_err(|e| e.to_string()))]
    pub input_fidelity: Option<InputFidelity>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn edit(args: EditArgs) -> i32 {
    let endpoint = match super::endpoint(args.output.base_url.as_deref()) {
        Ok(e) => e,
        Err(m) => return usage_error(m),
    };
    let insists = args.picture.stream.insists();
    let settings = args.picture.request(args.output.format);
    if let Err(e) = settings.validate(endpoint.prompt_limit) {
        return usage_error(e);
    }
    // Every file is read once and checked before anything is sent (or the key is even looked up).
    let read = |p: &PathBuf, mask| read_edit_file(p, mask).map(|f| (p.clone(), f));
    let pictures: Result<Vec<(PathBuf, EditFile)>, EditError> = args.images.iter().map(|p| read(p, false)).collect();
    let mask = args.mask.as_ref().map(|m| read(m, true).map(|(_, f)| f)).transpose();
    let (pictures, mask) = match (pictures, mask) {
        (Ok(p), Ok(m)) => (p, m),
        (Err(e), _) | (_, Err(e)) => return usage_error(e),
    };
    let edit = match EditJob::prepare(settings.clone(), args.input_fidelity, pictures, mask, args.whole_result) {
        Ok(e) => e,
        Err(e) => return usage_error(e),
    };
    for note in edit.request.notes() {
        eprintln!("{}", words::note(&note.to_string()));
    }
    let Started { key, worker, interrupts } = match super::start(&endpoint, args.output.out.as_deref(), 1, insists) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let prices = crate::endpoint::Prices::default();
    let inputs = edit.request.estimated_input_tokens();
    if let Some(cost) = prices.estimate(&crate::endpoint::Order::of(&settings).inputs(Some(inputs))) {
        let pictures = words::pictures(usize::from(settings.n));
        let quality = crate::compare::Setting::Quality.display(settings.quality.wire());
        let usd = words::estimated(cost.usd);
        eprintln!("{}", words::asking(&endpoint.display_name(), &pictures, &settings.size.to_string(), &quality, &usd));
    }
    let prompt = settings.prompt.clone();
    let job = Job { request: settings, endpoint, key, comparison: None, edit: Some(Arc::new(edit)) };
    follow(&worker, &interrupts, job, args.output.out.as_deref(), &prompt)
}
