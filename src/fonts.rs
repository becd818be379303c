//! Fonts: egui's own, then the system's for what they lack (Chinese, Japanese, Korean…),
//! chosen for the interface language, and a note when CJK text has no font at all.

use eframe::egui;
use egui_system_font_provider::SystemFontProvider;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Asks the system for fonts (when it has any) and remembers when CJK text found none.
pub struct FontWatch {
    system: Option<SystemFontProvider>,
    cjk_missing: Arc<AtomicBool>,
}

impl egui::FontProvider for FontWatch {
    fn font_for(&self, request: &egui::FallbackRequest<'_>) -> Option<egui::FontInsert> {
        let asked = std::time::Instant::now();
        let found = self.system.as_ref().and_then(|s| s.font_for(request));
        // The first lookup waits for the system's fonts to be listed: bench mode says so.
        crate::bench::figure("font-lookup", || {
            format!("{:?} {:.1} ms", request.cluster, asked.elapsed().as_secs_f64() * 1000.0)
        });
        if found.is_none() && request.cluster.chars().next().is_some_and(is_cjk) {
            self.cjk_missing.store(true, Ordering::Relaxed);
        }
        found
    }
}

/// Installs the system's fonts in `ctx`, preferring those for `lang` where scripts share
/// characters (Chinese and Japanese ideographs look different). The flag it returns turns
/// true when CJK text could not be drawn for want of a font.
pub fn install(ctx: &egui::Context, lang: crate::i18n::Lang) -> Arc<AtomicBool> {
    let cjk_missing = Arc::new(AtomicBool::new(false));
    // Without any font file the system provider cannot work; then only the note remains.
    let system = system_fonts_present().then(|| SystemFontProvider::new().with_locale(Some(lang.tag())));
    ctx.set_font_providers(vec![Arc::new(FontWatch { system, cjk_missing: cjk_missing.clone() })]);
    // The toolbars' icons; their code points are in a private-use area no text font has.
    ctx.add_font(icon_font());
    cjk_missing
}

/// Material Symbols cut down to the icons Easel draws (`ui/icons.rs`, `scripts/subset-icons.sh`).
pub const ICON_FONT: &[u8] = include_bytes!("../assets/icons.ttf");

/// The icon font as `egui_material_icons` registers its whole one: after the text fonts, nudged
/// down a little to sit on the line, and under the crate's family names.
fn icon_font() -> egui::epaint::text::FontInsert {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    let mut data = egui::FontData::from_static(ICON_FONT);
    data.tweak.y_offset_factor = 0.05;
    let family = |family, priority| InsertFontFamily { family, priority };
    let families = vec![
        family(egui::FontFamily::Proportional, FontPriority::Lowest),
        family(egui::FontFamily::Name(egui_material_icons::FONT_FAMILY.into()), FontPriority::Highest),
        family(egui::FontFamily::Name(egui_material_icons::FONT_FAMILY_OUTLINED.into()), FontPriority::Highest),
    ];
    FontInsert::new(egui_material_icons::FONT_FAMILY, data, families)
}

/// Han, kana, Hangul and their punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3100..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

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
            && matches!(ext.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc")
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::FontProvider;

    #[test]
    fn cjk_without_a_font_raises_the_note_and_latin_does_not() {
        let watch = FontWatch { system: None, cjk_missing: Arc::new(AtomicBool::new(false)) };
        let ask =
            |cluster: &str| watch.font_for(&egui::FallbackRequest { cluster, family: &egui::FontFamily::Proportional });
        assert!(ask("é").is_none());
        assert!(!watch.cjk_missing.load(Ordering::Relaxed), "a missing accent is not a missing CJK font");
        assert!(ask("狐").is_none());
        assert!(watch.cjk_missing.load(Ordering::Relaxed));
        assert!(is_cjk('あ') && is_cjk('한') && is_cjk('，') && !is_cjk('a') && !is_cjk('é'));
    }
}
