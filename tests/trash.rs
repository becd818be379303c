//! Delete sends a picture and its details to the system's real trash (the freedesktop trash
//! on Linux), from where the user's file manager can restore it. Its own test binary: it
//! points `XDG_DATA_HOME` at a temporary folder so the developer's own trash is left alone.
#![cfg(all(unix, not(target_os = "macos")))]
// Setting an environment variable is `unsafe` in edition 2024; see the one place below.
#![allow(unsafe_code)]

mod common;

use easel::api::{ImageRequest, ReceivedImage};
use easel::library::{Library, Provenance, Trashed};

#[test]
fn delete_uses_the_system_trash() {
    let dir = tempfile::tempdir().unwrap();
    let data_home = dir.path().join("xdg-data");
    // SAFETY: this binary's only test sets it before starting any other thread.
    unsafe { std::env::set_var("XDG_DATA_HOME", &data_home) };

    let lib = Library::open(dir.path().join("easel")).unwrap();
    let prov = Provenance::new(ImageRequest::new("a picture for the bin"), "http://127.0.0.1:9/v1", "test", 1);
    let saved = lib.save(&ReceivedImage::from_bytes(common::png(20, 10)).unwrap(), 0, &prov).unwrap();
    let picture = std::fs::read(&saved.path).unwrap();

    assert_eq!(lib.trash(&saved).unwrap(), Trashed::System);
    assert!(!saved.path.exists() && !saved.meta_path.exists());
    let trash = data_home.join("Trash");
    let name = saved.path.file_name().unwrap();
    assert_eq!(std::fs::read(trash.join("files").join(name)).unwrap(), picture, "the picture is whole in the trash");
    assert!(trash.join("files").join(saved.meta_path.file_name().unwrap()).exists());
    let info =
        std::fs::read_to_string(trash.join("info").join(format!("{}.trashinfo", name.to_string_lossy()))).unwrap();
    assert!(
        info.contains("Path=") && info.contains("DeletionDate="),
        "the file manager knows where to restore it: {info}"
    );
    assert!(lib.history().unwrap().is_empty());

    // Put back from the same trash: the picture and its details where they were, whole.
    lib.put_back(&saved, &Trashed::System).unwrap();
    assert_eq!(std::fs::read(&saved.path).unwrap(), picture);
    assert!(saved.meta_path.exists());
    assert!(!trash.join("files").join(name).exists(), "and no longer in the trash");
    assert_eq!(lib.history().unwrap().len(), 1);
    // Once back, there is nothing to put back.
    let again = lib.put_back(&saved, &Trashed::System).unwrap_err();
    assert!(again.to_string().contains("in its place already"), "{again}");
}
