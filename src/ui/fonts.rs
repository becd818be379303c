//! Whether the system has fonts egui's system font provider can use.

/// False on a Linux system without a single font file, where the system font provider would
/// fail; egui's built-in fonts are used then (CJK text shows as boxes until a font such as
/// fonts-noto-cjk is installed).
pub fn system_fonts_present() -> bool {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return true;
    }
    let mut dirs: Vec<std::path::PathBuf> = vec!["/usr/share/fonts".into(), "/usr/local/share/fonts".into()];
    if let Some(home) = std::env::var_os("HOME") {
        let home = std::path::PathBuf::from(home);
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
    }
    if let Some(data) = std::env::var_os("XDG_DATA_HOME") {
        dirs.push(std::path::PathBuf::from(data).join("fonts"));
    }
    dirs.iter().any(|d| has_font_file(d, 5))
}

fn has_font_file(dir: &std::path::Path, depth: u32) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if depth > 0 && has_font_file(&path, depth - 1) {
                return true;
            }
        } else if let Some(ext) = path.extension().and_then(|e| e.to_str())
            && matches!(ext.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc") {
                return true;
            }
    }
    false
}
