//! Copies of library pictures under names made from their prompt, for `--out DIR` and Save all.

use super::fsutil::{sync_parent, write_temp_beside};
use super::{Action, LibraryError, Reason};
use std::path::{Path, PathBuf};

/// The longest stem made from a prompt, in characters.
const MAX_STEM_CHARS: usize = 60;
/// And in bytes: file systems allow 255, CJK characters take 3 or 4 bytes in UTF-8, and the
/// temporary name adds a dot, a tag and a suffix.
const MAX_STEM_BYTES: usize = 120;

/// A file name stem from a prompt: letters and digits of any script kept, everything else a
/// dash, never a path separator, a dot-name or a name Windows reserves. Empty prompts give "image".
pub fn file_stem_from_prompt(prompt: &str) -> String {
    let mut stem = String::new();
    for c in prompt.chars() {
        if c.is_alphanumeric() {
            stem.extend(c.to_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.chars().count() >= MAX_STEM_CHARS || stem.len() + 4 > MAX_STEM_BYTES {
            break;
        }
    }
    let stem = stem.trim_end_matches('-').to_string();
    if stem.is_empty() {
        return "image".to_string();
    }
    let upper = stem.to_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str())
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if reserved { format!("image-{stem}") } else { stem }
}

/// Copies `bytes` into `dir` as `<stem from prompt>-<index>.<ext>`, adding `-2`, `-3`… rather
/// than overwriting a file that is there. Returns the new file's path, always inside `dir`.
pub fn copy_named(bytes: &[u8], dir: &Path, prompt: &str, index: usize, ext: &str) -> Result<PathBuf, LibraryError> {
    std::fs::create_dir_all(dir).map_err(|e| LibraryError::io(Action::CreateFolder, dir, &e))?;
    let base = format!("{}-{index}", file_stem_from_prompt(prompt));
    let ext: String = ext.chars().filter(char::is_ascii_alphanumeric).collect();
    let first = dir.join(format!("{base}.{ext}"));
    let tmp = write_temp_beside(&first, bytes)?;
    for n in 1..10_000 {
        let candidate = if n == 1 { first.clone() } else { dir.join(format!("{base}-{n}.{ext}")) };
        // A hard link fails if the name is taken, so two writers can never overwrite each other.
        match std::fs::hard_link(&tmp, &candidate) {
            Ok(()) => {
                super::fsutil::remove_leftover(&tmp);
                sync_parent(&candidate);
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) if !candidate.exists() => {
                // File systems without hard links (FAT, some network shares): rename instead.
                return match std::fs::rename(&tmp, &candidate) {
                    Ok(()) => Ok(candidate),
                    Err(e) => {
                        super::fsutil::remove_leftover(&tmp);
                        Err(LibraryError::io(Action::Save, &candidate, &e))
                    }
                };
            }
            Err(_) => continue,
        }
    }
    super::fsutil::remove_leftover(&tmp);
    Err(LibraryError::Io { action: Action::Save, path: first, reason: Reason::TooManyNames })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe_and_readable() {
        assert_eq!(file_stem_from_prompt("A red fox, in snow!"), "a-red-fox-in-snow");
        assert_eq!(file_stem_from_prompt("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem_from_prompt("C:\\Windows\\system32"), "c-windows-system32");
        assert_eq!(file_stem_from_prompt("一只在雪地里的红狐狸"), "一只在雪地里的红狐狸");
        assert_eq!(file_stem_from_prompt("   ...   "), "image");
        assert_eq!(file_stem_from_prompt("con"), "image-con");
        assert_eq!(file_stem_from_prompt("COM1"), "image-com1");
        assert_eq!(file_stem_from_prompt("tab\tnew\nline\0nul"), "tab-new-line-nul");
        let long = file_stem_from_prompt(&"word ".repeat(100));
        assert!(long.chars().count() <= MAX_STEM_CHARS && !long.ends_with('-'), "{long}");
        let wide = file_stem_from_prompt(&"𠀀".repeat(100));
        assert!(wide.len() <= MAX_STEM_BYTES, "{} bytes", wide.len());
    }

    #[test]
    fn copies_never_overwrite_and_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let a = copy_named(b"one", dir.path(), "../up/../fox", 1, "png").unwrap();
        let b = copy_named(b"two", dir.path(), "../up/../fox", 1, "png").unwrap();
        assert_eq!(a, dir.path().join("up-fox-1.png"));
        assert_eq!(b, dir.path().join("up-fox-1-2.png"));
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        assert_eq!(std::fs::read(&b).unwrap(), b"two");
        let names = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(names, 2, "no temporary file left behind");
        let odd = copy_named(b"x", dir.path(), "x", 1, "../png").unwrap();
        assert_eq!(odd.parent().unwrap(), dir.path());
    }
}
