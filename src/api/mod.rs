//! The wire and nothing else: requests, answers, errors and HTTP. No UI, no disk, nothing of
//! Easel's other modules but [`crate::i18n`] (its messages speak the interface language) and
//! [`crate::outside`] (every text taken from an answer is cleaned as it is taken in), so
//! the same code serves the window, the terminal and the tests. What it returns is data: errors
//! and progress are worded by their `Display` or by the view when shown, never when made.

pub mod client;
pub mod edit;
pub mod error;
pub mod models;
pub mod request;
pub mod response;
pub mod stream;
pub mod wire;

pub use client::{Client, ClientConfig, Generation, Progress, Target, check_url, parse_base_url};
pub use edit::{EditError, EditFile, EditNote, EditPicture, EditRequest, ImageField};
pub use error::{ApiError, ErrorKind, Reason, Remedy};
pub use request::{
    Background, Complexity, DEFAULT_MODEL, DEFAULT_PREVIEWS, FormatField, ImageRequest, InputFidelity, MAX_IMAGES,
    MAX_PREVIEWS, Moderation, OutputFormat, PREVIEW_OUTPUT_TOKENS, Quality, Size, ValidationError,
};
pub use response::{ReceivedImage, Usage};

/// A request body of `bytes` that tells `went_out` when the connection takes them: the
/// connection is made and the request's head written then, its last bytes going out, and
/// "Sent." is true. (Told as they are taken, not after: with a known length, the connection
/// asks for no more once it has them.)
fn signalled(bytes: bytes::Bytes, went_out: std::sync::Arc<tokio::sync::Notify>) -> reqwest::Body {
    reqwest::Body::wrap_stream(futures_util::stream::once(async move {
        went_out.notify_one();
        Ok::<_, std::io::Error>(bytes)
    }))
}
