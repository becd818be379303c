//! Easel: make pictures with gpt-image models, through QuickRouter or any OpenAI-compatible
//! endpoint, from a native window or a terminal.
//!
//! # Shape
//! The arrows point one way (`tests/arrows.rs` checks it on the source): [`window`], the eframe
//! shell, uses [`app`] and [`ui`], and only `main` uses it; [`ui`] reads [`app`]'s state and
//! pushes its commands; [`app`] and [`cli`] use [`worker`], [`library`], [`secrets`] and
//! [`endpoint`]; [`worker`] uses [`api`], [`endpoint`] and [`library`]; [`api`] uses nothing
//! of Easel's but [`i18n`] and [`outside`]; [`fonts`] and [`bench`] are leaves. State holds
//! values; words are made when they are shown (`docs/DESIGN.md`).
//!
//! # What fails where, and what the user sees
//! | where | what fails | what the user sees |
//! |---|---|---|
//! | [`api::request`] | a setting the endpoint would refuse (empty or long prompt, n, size rules) | the reason, before anything is sent; Generate disabled / exit 2 |
//! | [`api::edit`] | an edit's file that is not a picture (by its bytes), over 50 MB, none or more than 16, a mask of another size | the reason, before anything is sent; a picture over 3840 px or 8,294,400 pixels is scaled down instead, with a note |
//! | [`api::client`] | an endpoint without edits (404/405 on `images/edits`) | "This endpoint does not offer picture changes", and to pick another endpoint in Settings |
//! | [`api::client`] | connection, timeout, 429, 5xx | retried (at most 2, with backoff and `Retry-After`); then a message with what to do |
//! | [`api::client`] | a timeout after the request was sent | "may still have been charged", never repeated silently |
//! | [`api::client`] | a stream kept open with keep-alives, silent for the idle limit, or past 512 MB in all | given up on (the request timeout, 600 s; the idle limit, 300 s; the cap), the pictures finished by then kept, and why said |
//! | [`api::client`] | a picture carrying text, EXIF or XMP of the relay's, or the key | the foreign text is taken out before it is kept ([`library::embed`]); any piece of the key of 12 bytes is overwritten |
//! | [`api::error`] | 400/401/403/quota, moderation | the endpoint's reason in words and what to do; never JSON, never the key, never a terminal escape |
//! | [`api::client`] | an answer with more pictures than asked, links that keep redirecting | the pictures asked for are kept, and a note says so; "the picture's link kept redirecting" |
//! | [`api::response`] | HTML page, cut-off JSON, bad base64, bytes that are not a picture, no picture | "the answer could not be understood" / "no picture came back", in words |
//! | [`library`] | the data folder cannot be written | the path and the reason; the pictures are put in a rescue folder instead |
//! | [`library::decode`] | a saved picture is damaged | the file stays; its tile says it cannot be shown |
//! | [`library::decode`] | a picture larger than Easel opens (16384 pixels a side, 512 MB of pixels) | refused before its pixels are read; the tile, the viewer and the sheet say "too large to open"; the file stays |
//! | [`library::history`] | the index is missing or damaged; a `.json` is damaged or gone | the index is rebuilt; the picture is listed with "No details" and why |
//! | [`library::edit`] | the outside of an edit's mask cannot be kept (the original is gone, the mask or the model's picture cannot be read) | the model's picture is saved all the same, and the message says where |
//! | [`library::embed`] | the settings do not fit the file (a very long prompt in a JPEG) | the picture is saved as received, without them |
//! | [`library`] (trash) | the system's trash refuses a picture | it goes to `deleted/` in the data folder, and the user is told where |
//! | [`library`] (move) | a move is cut short by a crash | it is finished at the next start; no picture is left in a folder no one reads |
//! | [`library`] (location) | `library.json` is damaged | the default folder is used, and the window and the terminal say so and why |
//! | [`library`] (location) | the move `library.json` records cannot be finished (where from is unknown, one folder is inside the other, or Easel never began a move there) | nothing is moved; the pictures folder is used and the move forgotten; the window and the terminal say where to look |
//! | [`library`] (move) | files in the old pictures folder that are not Easel's | left where they are, and said |
//! | [`library`] (any read) | a file that is not a regular file (a pipe, a device) or larger than its kind ever is | refused before it is read, with the reason; texts read from files are cut (a prompt to 32,000 characters) |
//! | [`app`] (background work) | a bug stops a piece of background work | a notice says so; nothing is left "in progress" |
//! | [`secrets`] | no keyring on this system | the key is kept in memory for this run, and the user is told so |

// A panic in the window or on a worker thread loses the user's work: the library says why a
// value cannot be missing (`expect`) or handles it. Tests, benches and examples may unwrap.
#![warn(clippy::unwrap_used)]

pub mod api;
pub mod app;
pub mod bench;
pub mod cli;
pub mod compare;
pub mod endpoint;
pub mod fonts;
pub mod i18n;
pub mod library;
pub mod outside;
pub mod secrets;
pub mod ui;
pub mod window;
pub mod worker;

/// Easel's version and commit, as the About box and the User-Agent show them.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("EASEL_COMMIT"), ")");
