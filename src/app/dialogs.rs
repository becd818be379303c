//! The system's file dialogs and file manager, behind a trait that tests replace.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a native dialog answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAnswer {
    Chosen(PathBuf),
    Cancelled,
    /// No dialog could open (rfd without a portal returns at once, like Cancel).
    Unavailable,
}

/// What a dialog picking several files answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickedFiles {
    Chosen(Vec<PathBuf>),
    Cancelled,
    Unavailable,
}

/// File dialogs, replaceable in tests. Called on a worker thread, never the UI thread.
pub trait Dialogs: Send + Sync {
    /// Asks where to save a file, suggesting a name and a folder.
    fn save_file(&self, suggested_name: &str, folder: Option<&Path>) -> DialogAnswer;
    /// Asks for a folder.
    fn pick_folder(&self, folder: Option<&Path>) -> DialogAnswer;
    /// Asks for picture files (PNG, JPEG, WebP), one or more.
    fn pick_pictures(&self, folder: Option<&Path>) -> PickedFiles;
}

/// Tells a dialog that was never shown from one the user cancelled.
fn answer(picked: Option<PathBuf>, asked: Instant) -> DialogAnswer {
    match picked {
        Some(p) => DialogAnswer::Chosen(p),
        // Nobody cancels a dialog within a quarter second: none was shown.
        None if asked.elapsed() < Duration::from_millis(250) => DialogAnswer::Unavailable,
        None => DialogAnswer::Cancelled,
    }
}

/// The system's dialogs, through rfd.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn save_file(&self, suggested_name: &str, folder: Option<&Path>) -> DialogAnswer {
        // No title of ours: the system's own ("Save File") is in the system's language.
        let mut d = rfd::FileDialog::new().set_file_name(suggested_name);
        if let Some(f) = folder {
            d = d.set_directory(f);
        }
        let asked = Instant::now();
        answer(d.save_file(), asked)
    }

    fn pick_folder(&self, folder: Option<&Path>) -> DialogAnswer {
        let mut d = rfd::FileDialog::new();
        if let Some(f) = folder {
            d = d.set_directory(f);
        }
        let asked = Instant::now();
        answer(d.pick_folder(), asked)
    }

    fn pick_pictures(&self, folder: Option<&Path>) -> PickedFiles {
        let mut d = rfd::FileDialog::new().add_filter("PNG, JPEG, WebP", &["png", "jpg", "jpeg", "webp"]);
        if let Some(f) = folder {
            d = d.set_directory(f);
        }
        let asked = Instant::now();
        match d.pick_files() {
            Some(files) if !files.is_empty() => PickedFiles::Chosen(files),
            picked => match answer(picked.and_then(|f| f.into_iter().next()), asked) {
                DialogAnswer::Unavailable => PickedFiles::Unavailable,
                _ => PickedFiles::Cancelled,
            },
        }
    }
}

/// Opens a folder in the system's file manager.
pub fn open_in_file_manager(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let program = "explorer";
    #[cfg(target_os = "macos")]
    let program = "open";
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let program = "xdg-open";
    let mut child = std::process::Command::new(program).arg(path).spawn()?;
    // Reap it when it exits, so no zombie is left behind.
    std::thread::Builder::new().name("easel-open-folder".into()).spawn(move || child.wait()).map(|_| ())
}
