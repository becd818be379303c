//! What went wrong, kept as data until a view words it (`ui::words`): each kind of failure is
//! the typed error of the module it came from, worded when it is shown, in the language in use
//! then.

use crate::api::{ApiError, ValidationError};
use crate::compare::CompareError;
use crate::library::embed::EmbedError;
use crate::library::sheet::SheetError;
use crate::library::{LibraryError, LocationProblem, PictureError};
use crate::secrets::{KeyError, SecretsError};
use crate::worker::JobError;
use std::sync::Arc;

/// Something that failed, from any part of Easel.
#[derive(Debug, Clone)]
pub enum Problem {
    /// The endpoint, its address, or the background threads.
    Api(ApiError),
    /// A request that failed.
    Job(JobError),
    /// The disk.
    Library(LibraryError),
    /// `library.json` could not be read.
    Location(LocationProblem),
    /// A picture in the library that cannot be read or decoded.
    Picture(PictureError),
    /// Settings that could not be taken out of a picture for a private copy.
    Embed(EmbedError),
    /// A comparison sheet that could not be drawn (not `Clone`, hence shared).
    Sheet(Arc<SheetError>),
    /// The keyring.
    Keyring(SecretsError),
    /// Pasted text that is not a key.
    Key(KeyError),
    /// `EASEL_API_KEY` holds something that is not a key, and is not used.
    EnvKey(crate::secrets::EnvKeyError),
    /// A comparison that cannot be made or shown again.
    Compare(CompareError),
    /// A change of pictures that cannot be sent: which file, and why.
    Edit(crate::api::EditError),
    /// A bug in Easel stopped a piece of background work; nothing saved is lost.
    Internal,
}

/// `From` for each error kept as it is, so `?` and `.into()` make a `Problem`.
macro_rules! problem_from {
    ($($variant:ident($error:ty)),* $(,)?) => {
        $(impl From<$error> for Problem {
            fn from(e: $error) -> Self {
                Problem::$variant(e)
            }
        })*
    };
}

problem_from!(
    Api(ApiError),
    Job(JobError),
    Library(LibraryError),
    Location(LocationProblem),
    Picture(PictureError),
    Embed(EmbedError),
    Key(KeyError),
    EnvKey(crate::secrets::EnvKeyError),
    Keyring(SecretsError),
    Compare(CompareError),
    Edit(crate::api::EditError),
);

impl From<SheetError> for Problem {
    fn from(e: SheetError) -> Self {
        Problem::Sheet(Arc::new(e))
    }
}

/// Why the form's request cannot be sent now; Generate says it beside itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Blocked {
    /// The endpoint's address is not usable.
    Endpoint(ApiError),
    NoKey,
    /// The library could not be opened at start-up (the window says why).
    NoLibrary,
    /// A setting the endpoint would refuse.
    Invalid(ValidationError),
}

/// What the key screen says under its buttons.
#[derive(Debug, Clone)]
pub enum KeyMessage {
    /// The key was tested and works.
    Works,
    Failed(Problem),
}
