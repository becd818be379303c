//! What can go wrong on disk, typed, and worded in the language in use only when shown: what
//! Easel was doing ([`Action`]), why it failed ([`Reason`]), and on which path.

use std::path::{Path, PathBuf};

/// Something went wrong on disk; the message names the path and what to do. Comparable and
/// clonable, so errors that carry it (a picture that cannot be read) can be too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibraryError {
    /// Easel could not do `action` to `path`, for `reason`.
    Io { action: Action, path: PathBuf, reason: Reason },
    /// The system has no data folder for Easel and `EASEL_DATA_DIR` is not set.
    NoDataDir,
}

/// What Easel was doing to a path when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateFolder,
    Move,
    /// Moving the library into another folder.
    MovePicturesInto,
    ReadFolder,
    Read,
    Remove,
    Save,
    /// Putting a deleted picture back from the trash.
    PutBack,
}

/// Why a path could not be used: the common causes in Easel's words, else the system's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    PermissionDenied,
    /// The folder (or the file) is not there.
    NoFolder,
    DiskFull,
    ReadOnly,
    /// A library cannot move into a folder inside itself.
    InsideCurrentFolder,
    /// Every numbered variant of a file name is taken.
    TooManyNames,
    /// The folder's name cannot be written down in `library.json` (it is not UTF-8).
    NameNotRecordable,
    /// The file was read, but its details are not valid.
    Damaged(Damage),
    /// A picture whose details file is gone.
    DetailsMissing,
    /// The system's trash does not take a whole drive.
    WholeDrive,
    /// There is no system trash here.
    NoSystemTrash,
    /// The system's trash no longer holds the picture (it was emptied, or put back already).
    NotInTrash,
    /// A file of that name is back in its place already.
    AlreadyBack,
    /// This system's trash gives nothing back to programs (macOS): the Finder can.
    TrashKeepsIt,
    /// The file is not there (moved, renamed or deleted).
    NoFile,
    /// Not a regular file (a folder, a device, a FIFO): Easel reads only files.
    NotAFile,
    /// The file holds `bytes`, more than the `limit` Easel reads of it.
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    /// The system's message, as it gave it (and in its language).
    Other(String),
}

/// How a details file is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    EndsEarly,
    NotJson,
    UnexpectedValue,
    Unreadable,
}

impl LibraryError {
    /// Easel could not do `action` to `path` because of `e`: the usual causes in Easel's words.
    pub(crate) fn io(action: Action, path: &Path, e: &std::io::Error) -> LibraryError {
        LibraryError::Io { action, path: path.to_path_buf(), reason: Reason::from(e) }
    }
}

impl From<&std::io::Error> for Reason {
    /// The usual causes in Easel's words, else the system's own.
    fn from(e: &std::io::Error) -> Reason {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => Reason::PermissionDenied,
            std::io::ErrorKind::NotFound => Reason::NoFolder,
            std::io::ErrorKind::StorageFull => Reason::DiskFull,
            std::io::ErrorKind::ReadOnlyFilesystem => Reason::ReadOnly,
            _ => Reason::Other(e.to_string()),
        }
    }
}

impl std::fmt::Display for LibraryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LibraryError::Io { action, path, reason } => {
                f.write_str(&words::could_not(action.words(), &path.display().to_string(), &reason.to_string()))
            }
            LibraryError::NoDataDir => f.write_str(words::NO_DATA_DIR()),
        }
    }
}

impl std::error::Error for LibraryError {}

impl Action {
    /// The action in a sentence: "create the folder", "创建文件夹".
    fn words(self) -> &'static str {
        match self {
            Action::CreateFolder => words::CREATE_FOLDER(),
            Action::Move => words::MOVE(),
            Action::MovePicturesInto => words::MOVE_PICTURES_INTO(),
            Action::ReadFolder => words::READ_FOLDER(),
            Action::Read => words::READ(),
            Action::Remove => words::REMOVE(),
            Action::Save => words::SAVE(),
            Action::PutBack => words::PUT_BACK(),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::PermissionDenied => words::PERMISSION_DENIED(),
            Reason::NoFolder => words::NO_FOLDER(),
            Reason::DiskFull => words::DISK_FULL(),
            Reason::ReadOnly => words::READ_ONLY(),
            Reason::InsideCurrentFolder => words::INSIDE_CURRENT_FOLDER(),
            Reason::TooManyNames => words::TOO_MANY_NAMES(),
            Reason::NameNotRecordable => words::NAME_NOT_RECORDABLE(),
            Reason::Damaged(damage) => return f.write_str(&words::damaged(damage.words())),
            Reason::DetailsMissing => words::DETAILS_MISSING(),
            Reason::WholeDrive => words::WHOLE_DRIVE(),
            Reason::NoSystemTrash => words::NO_SYSTEM_TRASH(),
            Reason::NotInTrash => words::NOT_IN_TRASH(),
            Reason::AlreadyBack => words::ALREADY_BACK(),
            Reason::TrashKeepsIt => words::TRASH_KEEPS_IT(),
            Reason::NotAFile => words::NOT_A_FILE(),
            Reason::NoFile => words::NO_FILE(),
            Reason::TooLarge { bytes, limit } => {
                return f.write_str(&words::too_large(&size_words(*bytes), &size_words(*limit)));
            }
            Reason::Other(message) => message,
        })
    }
}

impl Damage {
    /// What JSON's reader found wrong with a details file.
    pub(super) fn of(e: &serde_json::Error) -> Damage {
        match e.classify() {
            serde_json::error::Category::Eof => Damage::EndsEarly,
            serde_json::error::Category::Syntax => Damage::NotJson,
            serde_json::error::Category::Data => Damage::UnexpectedValue,
            serde_json::error::Category::Io => Damage::Unreadable,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Damage::EndsEarly => words::ENDS_EARLY(),
            Damage::NotJson => words::NOT_JSON(),
            Damage::UnexpectedValue => words::UNEXPECTED_VALUE(),
            Damage::Unreadable => words::UNREADABLE(),
        }
    }
}

/// A file's size in words: bytes when small, else whole megabytes.
fn size_words(bytes: u64) -> String {
    if bytes < 1 << 20 { words::bytes(bytes) } else { words::megabytes(bytes >> 20) }
}

/// Why the system's trash refused, without the trash crate's debug dump; the system's own
/// words where it gave some.
pub(super) fn trash_reason(e: &trash::Error) -> Reason {
    match e {
        trash::Error::Unknown { description } | trash::Error::Os { description, .. } => {
            Reason::Other(description.clone())
        }
        #[cfg(all(unix, not(target_os = "macos"), not(target_os = "ios"), not(target_os = "android")))]
        trash::Error::FileSystem { source, .. } => Reason::Other(source.to_string()),
        trash::Error::TargetedRoot => Reason::WholeDrive,
        _ => Reason::NoSystemTrash,
    }
}

/// Every word of the library's errors, in every language.
pub(super) mod words {
    crate::texts! { FIXED;
        NO_DATA_DIR => "Easel has no folder to keep pictures in. Set EASEL_DATA_DIR to a folder you can write to.",
            "Easel 没有存放图片的文件夹。请把 EASEL_DATA_DIR 设为一个你可以写入的文件夹。";
        // What Easel was doing: "Easel could not … “path”".
        CREATE_FOLDER => "create the folder", "创建文件夹";
        MOVE => "move", "移动";
        MOVE_PICTURES_INTO => "move the pictures into", "把图片移入";
        READ_FOLDER => "read the folder", "读取文件夹";
        READ => "read", "读取";
        REMOVE => "remove", "删除";
        SAVE => "save", "保存";
        PUT_BACK => "put back", "放回";
        // Why.
        PERMISSION_DENIED => "permission denied", "没有权限";
        NO_FOLDER => "the folder does not exist", "文件夹不存在";
        DISK_FULL => "the disk is full", "磁盘已满";
        READ_ONLY => "the disk is read-only", "磁盘是只读的";
        INSIDE_CURRENT_FOLDER => "it is inside the current pictures folder", "它位于当前的图片文件夹之内";
        TOO_MANY_NAMES => "too many files with this name already", "同名文件已经太多";
        NAME_NOT_RECORDABLE => "its name has characters Easel cannot record; rename the folder or pick another",
            "它的名称中有 Easel 无法记录的字符；请重命名该文件夹或另选一个";
        // How a details file is damaged.
        ENDS_EARLY => "it ends too early", "内容提前结束";
        NOT_JSON => "it is not valid JSON", "不是有效的 JSON";
        UNEXPECTED_VALUE => "a field has an unexpected value", "某个字段的值不符合预期";
        UNREADABLE => "it could not be read", "无法读取";
        /// A picture listed without its details.
        DETAILS_MISSING => "its details file is missing", "详细信息文件丢失";
        // Why the system's trash refused a picture.
        WHOLE_DRIVE => "a whole drive cannot go to the trash", "整个磁盘无法移到回收站";
        NO_SYSTEM_TRASH => "the system's trash is not available here", "此系统的回收站在这里不可用";
        // Why a deleted picture could not be put back.
        NOT_IN_TRASH => "the trash no longer holds it (it was emptied)", "回收站里已经没有它了（回收站已被清空）";
        ALREADY_BACK => "a file of that name is in its place already", "原位置已有同名文件";
        NO_FILE => "the file is not there (moved, renamed or deleted)", "文件不在那里（已被移动、重命名或删除）";
        NOT_A_FILE => "it is not a file (a folder, a device or a pipe)", "它不是文件（而是文件夹、设备或管道）";
        TRASH_KEEPS_IT => "this system's trash gives pictures back only in the Finder: open the Trash and choose Put Back",
            "此系统的废纸篓只能在访达中放回图片：请打开废纸篓并选择“放回原处”";
    }

    crate::formats! { WITH_VALUES;
        could_not(action: &str, path: &str, reason: &str) => "Easel could not {action} “{path}”: {reason}. Check that the disk is not full and that the folder may be written to.",
            "Easel 无法{action}“{path}”：{reason}。请检查磁盘是否已满，以及该文件夹是否可写。";
        damaged(how: &str) => "the file is damaged ({how})", "文件已损坏（{how}）";
        too_large(size: &str, limit: &str) => "it is larger than Easel reads ({size}; at most {limit})", "它超过了 Easel 读取的大小（{size}；最多 {limit}）";
        bytes(n: u64) => "{n} bytes", "{n} 字节";
        megabytes(n: u64) => "{n} MB", "{n} 兆字节";
    }

    crate::translated!(FIXED, WITH_VALUES);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};

    #[test]
    fn errors_say_what_why_and_where_in_the_language_in_use() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = LibraryError::io(Action::CreateFolder, Path::new("/pics"), &denied);
        assert_eq!(
            with(Lang::En, || e.to_string()),
            "Easel could not create the folder “/pics”: permission denied. Check that the disk is not full and that the folder may be written to."
        );
        assert_eq!(
            with(Lang::ZhCn, || e.to_string()),
            "Easel 无法创建文件夹“/pics”：没有权限。请检查磁盘是否已满，以及该文件夹是否可写。"
        );
        let damaged = Reason::Damaged(Damage::NotJson);
        assert_eq!(with(Lang::ZhCn, || damaged.to_string()), "文件已损坏（不是有效的 JSON）");
        let other = LibraryError::io(Action::Save, Path::new("/x"), &std::io::Error::other("the system's words"));
        assert!(with(Lang::ZhCn, || other.to_string()).contains("无法保存“/x”：the system's words。"));
    }
}
