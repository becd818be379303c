//! The words for the app's values. `app` keeps what happened as data (a request's activity, a
//! problem, a notice); these `Display` impls word it when it is drawn, in the language in use
//! then, from the checked tables in [`super::text`]. Errors of the core (the endpoint, the
//! disk, the keyring) word themselves the same way, in their own modules, for the terminal too.

use super::text;
use crate::api::Progress;
use crate::app::{Activity, Blocked, CellState, KeyMessage, Message, Problem};
use std::fmt;

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Api(e) => e.fmt(f),
            Problem::Job(e) => e.fmt(f),
            Problem::Library(e) => e.fmt(f),
            Problem::Location(e) => e.fmt(f),
            Problem::Picture(e) => e.fmt(f),
            Problem::Embed(e) => e.fmt(f),
            Problem::Sheet(e) => e.fmt(f),
            Problem::Keyring(e) => e.fmt(f),
            Problem::Key(e) => e.fmt(f),
            Problem::EnvKey(e) => e.fmt(f),
            Problem::Compare(e) => e.fmt(f),
            Problem::Edit(e) => e.fmt(f),
            Problem::Internal => f.write_str(text::INTERNAL_PROBLEM()),
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocked::Endpoint(e) => e.fmt(f),
            Blocked::NoKey => f.write_str(text::NO_KEY()),
            Blocked::NoLibrary => f.write_str(text::NO_LIBRARY()),
            Blocked::Invalid(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for KeyMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyMessage::Works => f.write_str(text::KEY_OK()),
            // Said on the key screen itself: not "check the key in Settings".
            KeyMessage::Failed(Problem::Api(e)) if e.kind == crate::api::ErrorKind::Key => {
                f.write_str(text::KEY_REFUSED())
            }
            KeyMessage::Failed(p) => p.fmt(f),
        }
    }
}

impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Submitted lasts until the worker takes the job in, a moment: it is waiting too.
            Activity::Submitted | Activity::Queued => f.write_str(text::WAITING()),
            Activity::Sending => f.write_str(text::SENDING()),
            Activity::Wire(p) => f.write_str(&progress(p)),
        }
    }
}

/// What a request is doing, with its time so far once it runs: "Making the pictures… 12 s".
pub(super) fn activity_line(activity: &Activity, running_since: Option<std::time::Instant>) -> String {
    match running_since {
        None => activity.to_string(),
        Some(t) => format!("{activity} {}", text::seconds(t.elapsed().as_secs_f64())),
    }
}

/// What a request's tile says while the wire reports `p`.
fn progress(p: &Progress) -> String {
    match p {
        Progress::Sending { attempt: 1 } => text::SENDING().into(),
        Progress::Sending { attempt } => text::sending_again(*attempt),
        Progress::Waiting => text::MAKING().into(),
        Progress::Receiving { bytes } => text::receiving(&text::bytes(*bytes)),
        // Rounded up: a wait of 1.2 s is not over after "1 second".
        Progress::Retrying { delay, kind, .. } => {
            text::retrying(delay.as_secs() + u64::from(delay.subsec_nanos() > 0), kind.title())
        }
        Progress::SwitchingFormatField { .. } | Progress::SwitchingImageField { .. } | Progress::WithoutPreviews => {
            text::ADJUSTING().into()
        }
        Progress::Downloading { count } => text::downloading(*count),
        // The worker sends previews as `Event::Preview`, decoded small; never as progress.
        Progress::Preview { .. } => text::MAKING().into(),
    }
}

/// What a cell without a picture says in its place (on the sheet too): a running cell's
/// activity with its time so far, or why there is no picture.
impl fmt::Display for CellState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellState::Waiting { activity, running_since, .. } => f.write_str(&activity_line(activity, *running_since)),
            CellState::Done { .. } => Ok(()),
            CellState::Failed(e) => e.fmt(f),
            CellState::NoPicture => f.write_str(text::NO_PICTURE_CAME()),
            CellState::Cancelled => f.write_str(text::CANCELLED()),
            CellState::Deleted => f.write_str(text::CELL_DELETED()),
            CellState::Missing => f.write_str(text::NOT_MADE()),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = |p: &std::path::Path| p.display().to_string();
        // Where the user just chose to save: its name says enough, the whole path is noise.
        let name = |p: &std::path::Path| p.file_name().map_or_else(|| path(p), |n| n.to_string_lossy().into_owned());
        let words = match self {
            Message::Failed(p) => return p.fmt(f),
            Message::Saved(p) => format!("{} {}", text::SAVED_TO(), name(p)),
            Message::SavedAll { count, folder, failed } => {
                let saved = text::saved_all(*count, &name(folder));
                let failed: Vec<String> = failed.iter().map(ToString::to_string).collect();
                if failed.is_empty() { saved } else { format!("{saved} {}", failed.join(" ")) }
            }
            Message::TrashFallback { reason, folder } => text::trash_fallback(&reason.to_string(), &path(folder)),
            Message::LibraryMoved { moved, finished } => {
                let folder = path(&moved.folder);
                let done = if *finished {
                    text::move_finished(moved.files, &folder)
                } else {
                    text::library_moved(moved.files, &folder)
                };
                if moved.left == 0 {
                    done
                } else {
                    format!("{done} {}", text::left_behind(moved.left, &path(&moved.from)))
                }
            }
            Message::Copied => text::COPIED().into(),
            Message::Deleted(count) => text::deleted(*count),
            Message::Restored(count) => text::restored(*count),
            Message::Notes(notes) => notes.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
            Message::KeySessionOnly => text::KEY_SESSION_ONLY().into(),
            Message::NoPictureDialog => text::NO_PICTURE_DIALOG().into(),
            Message::NoDialog { folder } => {
                format!("{} {}", text::NO_DIALOG(), folder.as_deref().map(path).unwrap_or_default())
            }
            Message::SheetSaved { path: p, width, height, no_dialog } => {
                let saved = text::sheet_saved(&name(p), *width, *height);
                if *no_dialog { format!("{} {saved}", text::NO_DIALOG_SHEET()) } else { saved }
            }
            Message::NoKey => text::NO_KEY().into(),
            Message::Blocked(b) => b.to_string(),
            Message::NoFileManager(folder) => text::no_file_manager(&path(folder)),
            // In English: without a CJK font the Chinese words would be empty boxes too.
            Message::NoCjkFont => crate::i18n::with(crate::i18n::Lang::En, text::NO_CJK_FONT).into(),
            Message::UsingCell(values) => {
                let label: Vec<String> = values.iter().map(|(s, v)| s.display(v)).collect();
                text::using_cell(&label.join(" · "))
            }
            Message::ComparisonUnreadable(e) => text::comparison_unreadable(&e.to_string()),
        };
        f.write_str(&words)
    }
}
