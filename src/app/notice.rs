//! What the window tells the user after something happened, as data: a toast over the window
//! words it when it draws, so a notice shown before a language switch reads in the new language.

use super::{PictureId, Problem};
use crate::compare::{CompareError, Setting};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long a notice that needs nothing from the user stays.
pub const NOTICE_LASTS: Duration = Duration::from_secs(8);

/// A short message shown as a toast, until it expires, is dismissed or replaced.
#[derive(Debug)]
pub struct Notice {
    pub message: Message,
    /// A folder the notice offers to open.
    pub folder: Option<PathBuf>,
    /// Deleted pictures the notice offers to bring back (Undo, Ctrl+Z).
    pub undo: Vec<PictureId>,
    /// When it was shown.
    pub since: Instant,
}

impl Notice {
    /// A notice saying `message`.
    pub fn new(message: Message) -> Notice {
        Notice { message, folder: None, undo: Vec::new(), since: Instant::now() }
    }

    /// When it goes by itself: news fades after a while; a problem stays until dismissed, and a
    /// delete's notice until its Undo time is up (the trash takes it away then).
    pub fn expires(&self) -> Option<Instant> {
        (!self.is_error() && self.undo.is_empty()).then(|| self.since + NOTICE_LASTS)
    }

    /// The same, offering to open `folder`.
    pub fn with_folder(mut self, folder: Option<PathBuf>) -> Notice {
        self.folder = folder;
        self
    }

    /// Whether it reports something that went wrong (drawn in the warning colour).
    pub fn is_error(&self) -> bool {
        self.message.is_error()
    }
}

/// Everything a notice can say.
#[derive(Debug)]
pub enum Message {
    Failed(Problem),
    /// Save as… wrote the picture here.
    Saved(PathBuf),
    /// Save all… copied `count` pictures into `folder`; those in `failed` could not be.
    SavedAll {
        count: usize,
        folder: PathBuf,
        failed: Vec<Problem>,
    },
    /// The system's trash refused a picture, so it went to `folder`.
    TrashFallback {
        reason: crate::library::Reason,
        folder: PathBuf,
    },
    /// Move… moved the pictures (`finished`: a move an earlier run began, finished at start).
    LibraryMoved {
        moved: crate::library::Moved,
        finished: bool,
    },
    Copied,
    /// This many pictures are hidden and go to the trash once Undo's time is up.
    Deleted(usize),
    /// Undo brought this many deleted pictures back.
    Restored(usize),
    /// What a finished request's pictures came with (a format not asked for, pictures left out).
    Notes(Vec<crate::worker::JobNote>),
    /// The key was saved, but only until Easel closes: no keyring works here.
    KeySessionOnly,
    /// No file dialog could open; the pictures are in `folder`.
    NoDialog {
        folder: Option<PathBuf>,
    },
    /// No file dialog could open to pick pictures for a change: dropping or pasting them does.
    NoPictureDialog,
    /// The comparison's sheet was written to `path`; `no_dialog` when no file dialog could open
    /// and it went beside the library instead.
    SheetSaved {
        path: PathBuf,
        width: u32,
        height: u32,
        no_dialog: bool,
    },
    NoKey,
    /// The form's request cannot be sent now.
    Blocked(super::Blocked),
    /// No file manager could open `folder`.
    NoFileManager(PathBuf),
    /// Chinese, Japanese or Korean text has no font on this computer.
    NoCjkFont,
    /// A comparison in the history whose details cannot be read back.
    ComparisonUnreadable(CompareError),
    /// "Use this quality" put these settings (each with its value) in the form.
    UsingCell(Vec<(Setting, String)>),
}

impl Message {
    /// Whether it reports something that went wrong or needs the user's attention.
    pub fn is_error(&self) -> bool {
        match self {
            Message::SavedAll { failed, .. } => !failed.is_empty(),
            Message::SheetSaved { no_dialog, .. } => *no_dialog,
            // Files left behind in the old folder are the user's to look at.
            Message::LibraryMoved { moved, .. } => moved.left > 0,
            Message::Failed(_)
            | Message::TrashFallback { .. }
            | Message::KeySessionOnly
            | Message::NoDialog { .. }
            | Message::NoPictureDialog
            | Message::NoKey
            | Message::Blocked(_)
            | Message::NoFileManager(_)
            | Message::NoCjkFont
            | Message::ComparisonUnreadable(_)
            | Message::Notes(_) => true,
            Message::Saved(_)
            | Message::Copied
            | Message::Deleted(_)
            | Message::Restored(_)
            | Message::UsingCell(_) => false,
        }
    }
}
