//! Every piece of text the window shows, in English, in one place, ready for the translation
//! that follows. Sentence case; button text that opens a dialog ends in "…".

pub use crate::library::sheet::thousands;

pub const APP_NAME: &str = "Easel";

// The key screen.
pub const KEY_TITLE: &str = "Paste your API key";
pub const KEY_INTRO: &str = "Easel needs an API key to make pictures. It is kept in your system's keyring, never in a file.";
pub const KEY_FIELD: &str = "API key";
pub const KEY_SHOW: &str = "Show";
pub const KEY_SAVE: &str = "Save key";
pub const KEY_TEST: &str = "Test key";
pub const KEY_TESTING: &str = "Testing the key…";
pub const KEY_OK: &str = "The key works.";
pub const KEY_SESSION_ONLY: &str = "No keyring is available on this system, so the key lasts only until Easel closes.";
pub const KEY_FROM_ENV: &str = "The key comes from the EASEL_API_KEY environment variable.";
pub const ENDPOINT: &str = "Endpoint";
pub const ENDPOINT_QUICKROUTER: &str = "QuickRouter";
pub const ENDPOINT_OPENAI: &str = "OpenAI";
pub const ENDPOINT_CUSTOM: &str = "Custom address";
pub const CUSTOM_URL: &str = "Base URL";

// The form.
pub const PROMPT: &str = "Prompt";
pub const PROMPT_HINT: &str = "Describe the picture you want…";
pub const MODEL: &str = "Model";
pub const MODEL_SUGGESTIONS: &str = "Model suggestions";
pub const COUNT: &str = "Number of images";
pub const SIZE: &str = "Size";
pub const SIZE_AUTO: &str = "Auto";
pub const SIZE_SQUARE: &str = "Square 1024×1024";
pub const SIZE_LANDSCAPE: &str = "Landscape 1536×1024";
pub const SIZE_PORTRAIT: &str = "Portrait 1024×1536";
pub const SIZE_CUSTOM: &str = "Custom…";
pub const WIDTH: &str = "Width";
pub const HEIGHT: &str = "Height";
pub const QUALITY: &str = "Quality";
pub const QUALITY_LOW: &str = "Low";
pub const QUALITY_MEDIUM: &str = "Medium";
pub const QUALITY_HIGH: &str = "High";
pub const QUALITY_AUTO: &str = "Auto";
pub const FORMAT: &str = "Format";
pub const ADVANCED: &str = "Advanced";
pub const BACKGROUND: &str = "Background";
pub const BACKGROUND_DEFAULT: &str = "Default";
pub const BACKGROUND_OPAQUE: &str = "Opaque";
pub const BACKGROUND_TRANSPARENT: &str = "Transparent";
pub const COMPRESSION: &str = "Compression (JPEG and WebP)";
pub const COMPRESSION_SET: &str = "Set compression";
pub const MODERATION: &str = "Moderation";
pub const MODERATION_DEFAULT: &str = "Default";
pub const MODERATION_LOW: &str = "Less strict";
pub const GENERATE: &str = "Generate";
pub const GENERATE_SHORTCUT: &str = "Ctrl+Enter";
pub const NO_KEY: &str = "Add an API key first.";
pub const COST_UNKNOWN: &str = "No price known for this model.";

// Jobs.
pub const CANCEL: &str = "Cancel";
pub const RETRY: &str = "Retry";
pub const DISMISS: &str = "Dismiss";
pub const WAITING: &str = "Waiting for a free slot…";
pub const CANCELLED: &str = "Cancelled.";

// Gallery and viewer.
pub const GALLERY: &str = "Pictures";
pub const GALLERY_EMPTY: &str = "Your pictures will appear here.";
pub const SAVE_AS: &str = "Save as…";
pub const SAVE_ALL: &str = "Save all…";
pub const COPY: &str = "Copy image";
pub const COPIED: &str = "The picture is on the clipboard.";
pub const DELETE: &str = "Delete";
pub const DELETED: &str = "The picture was moved to the trash.";
pub const UNDO: &str = "Undo";
pub const OPEN_FOLDER: &str = "Open folder";
pub const REUSE: &str = "Reuse settings";
pub const CLOSE: &str = "Close";
pub const FIT: &str = "Fit";
pub const ACTUAL_SIZE: &str = "1:1";
pub const ZOOM_IN: &str = "Zoom in";
pub const ZOOM_OUT: &str = "Zoom out";
pub const PREVIOUS: &str = "Previous";
pub const NEXT: &str = "Next";
pub const LOADING: &str = "Loading…";
pub const PICTURE_AREA: &str = "The picture";
pub const DAMAGED: &str = "Damaged";
pub const NO_DIALOG: &str = "No file dialog could open on this system. Your pictures are in the library folder:";
pub const SAVED_TO: &str = "Saved to";
pub const FAVOURITE: &str = "Add to favourites";
pub const UNFAVOURITE: &str = "Remove from favourites";
pub const NO_DETAILS: &str = "No details";
pub const LOADING_HISTORY: &str = "Loading your pictures…";
pub const NOTHING_MATCHES: &str = "No picture matches the search and filters.";

// The library in Settings.
pub const LIBRARY_FOLDER: &str = "Library folder";
pub const MOVE_LIBRARY: &str = "Move…";
pub const MOVE_WHILE_JOBS: &str = "Wait for the running requests to finish first.";
pub const MOVING: &str = "Moving the pictures…";
pub const SETTINGS_IN_FILES: &str = "Put the prompt and settings inside pictures I save";
pub const SETTINGS_IN_FILES_HINT: &str = "Save as… and Save all… write them into the file, where other programs can read them. Turn this off to share pictures without them. Pictures in the library always keep them.";

// A dropped picture.
pub const DROPPED_TITLE: &str = "Settings in this picture";
pub const USE_SETTINGS: &str = "Use these settings";
pub const NEGATIVE_PROMPT: &str = "Negative prompt (not used by gpt-image models)";
pub const DROP_HINT: &str = "Drop a picture to see the prompt and settings inside it";

// Search and filters.
pub const SEARCH: &str = "Search prompts";
pub const SEARCH_HINT: &str = "Search prompts…";
pub const MODEL_FILTER: &str = "Filter by model";
pub const ANY_MODEL: &str = "Any model";
pub const QUALITY_FILTER: &str = "Filter by quality";
pub const ANY_QUALITY: &str = "Any quality";
pub const SIZE_FILTER: &str = "Filter by size";
pub const ANY_SIZE: &str = "Any size";
pub const DATE_FILTER: &str = "Filter by date";
pub const ANY_TIME: &str = "Any time";
pub const LAST_DAY: &str = "Last 24 hours";
pub const LAST_WEEK: &str = "Last 7 days";
pub const LAST_MONTH: &str = "Last 30 days";
pub const FAVOURITES: &str = "Favourites";
pub const CLEAR_FILTERS: &str = "Clear filters";

// Progress on a card.
pub const SENDING: &str = "Sending…";
pub const MAKING: &str = "Making the pictures…";
pub const ADJUSTING: &str = "Adjusting a setting for this endpoint…";

// The viewer's facts.
pub const ASKED_SIZE: &str = "Asked size";
pub const REAL_SIZE: &str = "Real size";
pub const FILE_SIZE: &str = "File size";
pub const TIME: &str = "Time";
pub const TOKENS_REQUEST: &str = "Tokens (request)";
pub const COST_REQUEST: &str = "Cost (request)";
pub const ESTIMATE: &str = "Estimate";
pub const CREATED: &str = "Created";

// Comparisons.
pub const COMPARE_QUALITIES: &str = "Compare qualities…";
pub const COMPARE_HOVER: &str = "One picture per quality (or any setting you pick), side by side with its time and cost. You see the total before anything is sent.";
pub const COMPARE_TITLE: &str = "Compare";
pub const COMPARE_INTRO: &str = "One picture per value, side by side. Everything else is as in the form; each picture is a separate paid request.";
pub const VARY: &str = "Vary";
pub const AND_VARY: &str = "And vary";
pub const NOTHING: &str = "Nothing (one row)";
pub const VALUES: &str = "Values";
pub const SIZES_HINT: &str = "1024x1024, 1536x1024";
pub const MODELS_HINT: &str = "gpt-image-2, gpt-image-1.5";
pub const COMPARISON: &str = "Comparison";
pub const OPEN_COMPARISON: &str = "Open comparison";
pub const EXPORT_SHEET: &str = "Export sheet…";
pub const EXPORT_SHEET_HOVER: &str = "One PNG with every picture and its labels, for sharing.";
pub const SHEET_FILE: &str = "compare-sheet.png";
pub const AB_WIPE: &str = "A/B wipe";
pub const AB_WIPE_HOVER: &str = "Two pictures in one frame with a divider to drag across.";
pub const AB_NEEDS_TWO: &str = "Needs two finished pictures.";
pub const LEFT_PICTURE: &str = "Left (A)";
pub const RIGHT_PICTURE: &str = "Right (B)";
pub const DIVIDER: &str = "Divider";
pub const GRID: &str = "Side by side";
pub const SAME_DETAIL: &str = "Drag or scroll on any picture: all follow. Double-click opens one in the viewer.";
pub const NOT_MADE: &str = "Not made.";
pub const CELL_DELETED: &str = "Deleted.";
pub const PICK_A_VALUE: &str = "Tick or type at least one value to compare.";
pub const EXPORT_WAIT: &str = "Wait for every picture to arrive first.";
pub const NO_PICTURE_CAME: &str = "No picture came back.";
pub const NO_DIALOG_SHEET: &str = "No file dialog could open on this system.";
pub const RELAY_CHECK: &str = "Relay check";

// Settings and the app.
pub const PRICES: &str = "Prices per picture (USD): low / medium / high";
pub const PRICES_SQUARE: &str = "1024×1024";
pub const PRICES_WIDE: &str = "1536×1024 and 1024×1536";
pub const SETTINGS: &str = "Settings…";
pub const SETTINGS_TITLE: &str = "Settings";
pub const REPLACE_KEY: &str = "Replace key…";
pub const FORGET_KEY: &str = "Forget key";
pub const TIMEOUT: &str = "Request timeout in seconds (from the next start)";
pub const MAX_JOBS: &str = "Requests at once";
pub const ABOUT: &str = "About…";
pub const ABOUT_TEXT: &str = "Easel makes pictures with gpt-image models through QuickRouter or any OpenAI-compatible endpoint.";
pub const CLOSE_TITLE: &str = "Requests are still running";
pub const CLOSE_TEXT: &str = "They are paid requests: if you quit now, pictures that have not arrived yet are lost.";
pub const CLOSE_ANYWAY: &str = "Quit anyway";
pub const KEEP_OPEN: &str = "Keep Easel open";
pub const PRICES_NOTE: &str = "Costs are estimates at OpenAI's list prices; your endpoint may charge differently.";

/// "Saved 3 pictures to /home/me/Pictures".
pub fn saved_all(count: usize, folder: &str) -> String {
    format!("Saved {count} picture(s) to {folder}.")
}

/// The About box's line on drawing speed.
pub fn frame_times(frames: u64, mean_ms: f64, worst_ms: f64) -> String {
    format!("Drawing: {frames} frames, {mean_ms:.1} ms on average, {worst_ms:.1} ms at most.")
}

pub fn sending_again(attempt: u32) -> String {
    format!("Sending again (attempt {attempt})…")
}

pub fn receiving(amount: &str) -> String {
    format!("Receiving ({amount})…")
}

pub fn retrying(reason: &str, secs: f64) -> String {
    format!("{reason}; trying again in {secs:.0} s…")
}

pub fn downloading(count: usize) -> String {
    format!("Downloading {count} picture(s)…")
}

pub fn pictures_in(count: usize, time: &str) -> String {
    format!("{count} picture(s) in {time}")
}

pub fn from_tokens(cost: &str) -> String {
    format!("{cost} from tokens")
}

pub fn estimated(cost: &str) -> String {
    format!("{cost} estimated")
}

pub fn arrived_and_saved(count: usize) -> String {
    format!("{count} picture(s) arrived and are saved.")
}

pub fn no_file_manager(folder: &str) -> String {
    format!("Could not open a file manager. The folder is {folder}")
}

pub fn unreadable_picture(path: &str, why: &str) -> String {
    format!("The picture could not be read from {path}: {why}")
}

pub fn version(v: &str) -> String {
    format!("Version {v}")
}

pub fn running_requests(n: usize) -> String {
    format!("{n} request(s) running. {CLOSE_TEXT}")
}

/// "Low · $0.006 each".
pub fn quality_with_cost(quality: &str, each: &str) -> String {
    format!("{quality} · {each} each")
}

/// "2 × Low · Landscape 1536×1024 · PNG · gpt-image-2".
pub fn settings_line(n: u8, quality: &str, size: &str, format: &str, model: &str) -> String {
    format!("{n} × {quality} · {size} · {format} · {model}")
}

/// "12 of 1,000 pictures".
pub fn shown_of(shown: usize, all: usize) -> String {
    format!("{} of {} pictures", thousands(shown), thousands(all))
}

/// "3 pictures".
pub fn pictures(n: usize) -> String {
    if n == 1 { "1 picture".into() } else { format!("{} pictures", thousands(n)) }
}

/// The Start button of the compare dialog.
pub fn make_pictures(n: usize) -> String {
    format!("Make {}", pictures(n))
}

/// "3 pictures, about $0.27 in all (list prices)."
pub fn comparison_total(n: usize, cost: &str, unknown: usize) -> String {
    let base = format!("{}, {cost} in all at list prices.", pictures(n));
    if unknown == 0 { base } else { format!("{base} No price is known for {unknown} of them.") }
}

/// The comparison's summary line: "2 of 3 made · $0.18 in all".
pub fn comparison_made(made: usize, all: usize, cost: Option<&str>) -> String {
    match cost {
        Some(c) => format!("{made} of {all} made · {c} in all"),
        None => format!("{made} of {all} made"),
    }
}

/// "High cost 35× Low".
pub fn times_dearer(dear: &str, times: f64, cheap: &str) -> String {
    format!("{dear} cost {times:.0}× {cheap}")
}

/// "Use this quality", "Use this size", or for a grid "Use these settings".
pub fn use_this(settings: &[crate::compare::Setting]) -> String {
    match settings {
        [one] => format!("Use this {}", one.name()),
        _ => "Use these settings".into(),
    }
}

/// After "Use this quality".
pub fn using_cell(label: &str) -> String {
    format!("The form now uses {label}.")
}

/// The name a screen reader gives a cell's picture.
pub fn cell_picture(label: &str) -> String {
    format!("Picture for {label}")
}

/// A failed cell on the sheet.
pub fn failed(message: &str) -> String {
    format!("Failed: {message}")
}

/// "3.4 s": a comparison's time, precise enough to compare.
pub fn seconds_precise(secs: f64) -> String {
    if secs < 60.0 { format!("{secs:.1} s") } else { seconds(secs) }
}

/// After Export sheet….
pub fn sheet_saved(path: &str, width: u32, height: u32) -> String {
    format!("Sheet saved to {path} ({width}×{height}).")
}

/// A comparison whose details cannot be read back.
pub fn comparison_unreadable(why: &str) -> String {
    format!("This comparison cannot be shown again: {why}")
}

/// Why a picture's details are missing.
pub fn details_damaged(reason: &str) -> String {
    format!("This picture's details could not be read ({reason}). The picture itself is fine.")
}

/// A dropped file that is not a picture.
pub fn not_a_picture(name: &str) -> String {
    format!("“{name}” is not a PNG, JPEG or WebP picture.")
}

/// A dropped picture without settings inside.
pub fn no_settings_inside(name: &str) -> String {
    format!("“{name}” has no prompt or settings inside it. Pictures made by Easel, by A1111, or by other tools that write a “parameters” text have them.")
}

/// After the library moved.
pub fn library_moved(files: usize, folder: &str) -> String {
    format!("Moved {files} file(s). The library is now in {folder}.")
}

/// When the system's trash refused a picture.
pub fn trash_fallback(reason: &str, folder: &str) -> String {
    format!("The system's trash could not take the picture ({reason}), so it was moved to {folder}.")
}

/// "Picture 2: a red fox in…", the name a screen reader gives a thumbnail.
pub fn picture_name(index: usize, prompt: &str) -> String {
    format!("Picture {index}: {prompt}")
}

/// An RFC 3339 time in the computer's time zone: "2026-11-24 15:30".
pub fn local_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// "gpt-image-2, 1024×1024, Low", the name of a price field.
pub fn price_name(model: &str, shape: &str, quality: &str) -> String {
    format!("{model}, {shape}, {quality}")
}

/// "3 images".
pub fn count_hover(n: u8) -> String {
    if n == 1 { "1 image".into() } else { format!("{n} images") }
}

/// "3 of 1000 characters".
pub fn char_count(count: usize, limit: usize) -> String {
    format!("{count} of {limit} characters")
}

/// "$0.012" or "about $0.21" for an upper bound.
pub fn cost(usd: f64, approximate: bool) -> String {
    let figure = if usd < 0.1 { format!("${usd:.3}") } else { format!("${usd:.2}") };
    if approximate { format!("up to {figure}") } else { figure }
}

/// "Estimated cost: $0.012 (2 × $0.006)".
pub fn request_cost(total: &str, n: u8, each: &str) -> String {
    if n == 1 { format!("Estimated cost: {total}") } else { format!("Estimated cost: {total} ({n} × {each})") }
}

/// "12 s" / "2 min 5 s".
pub fn seconds(secs: f64) -> String {
    if secs < 60.0 { format!("{secs:.0} s") } else { format!("{} min {} s", (secs / 60.0).floor(), (secs % 60.0).floor()) }
}

/// "4,210 tokens".
pub fn tokens(n: u64) -> String {
    format!("{} tokens", thousands(n))
}

/// "1.2 MB".
pub fn bytes(n: u64) -> String {
    if n >= 1_000_000 { format!("{:.1} MB", n as f64 / 1e6) } else { format!("{:.0} KB", (n as f64 / 1e3).max(1.0)) }
}
