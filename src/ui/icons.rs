//! The toolbar icons Easel uses, and only those: Google's Material Symbols (rounded, outlined),
//! from `egui_material_icons`' codepoints, drawn with `assets/icons.ttf`, the font cut down to these
//! glyphs by `scripts/subset-icons.sh` (7 KB in place of the whole font's 1.2 MB). An icon not
//! listed here does not compile; one listed but missing from the font fails the test below.

pub use egui_material_icons::MaterialIcon;

macro_rules! icons {
    ($($name:ident,)*) => {
        $(
            #[allow(missing_docs)]
            pub const $name: MaterialIcon = egui_material_icons::icons::$name;
        )*
        /// Every icon above, for the font's check and the script that cuts it.
        pub const ALL: &[(&str, MaterialIcon)] = &[$((stringify!($name), $name),)*];
    };
}

icons! {
    ICON_ADD,
    ICON_ADD_PHOTO_ALTERNATE,
    ICON_ARROW_BACK,
    ICON_ARROW_FORWARD,
    ICON_BRUSH,
    ICON_CHECK,
    ICON_CHEVRON_LEFT,
    ICON_CHEVRON_RIGHT,
    ICON_CLOSE,
    ICON_COMPARE,
    ICON_CONTENT_COPY,
    ICON_CROP_SQUARE,
    ICON_DELETE,
    ICON_DOWNLOAD,
    ICON_EDIT,
    ICON_FILTER_LIST,
    ICON_FIT_SCREEN,
    ICON_FOLDER_OPEN,
    ICON_INK_ERASER,
    ICON_INVERT_COLORS,
    ICON_IOS_SHARE,
    ICON_KEY,
    ICON_LAYERS_CLEAR,
    ICON_MORE_HORIZ,
    ICON_OPEN_IN_FULL,
    ICON_PHOTO_LIBRARY,
    ICON_REDO,
    ICON_REFRESH,
    ICON_RESTORE_FROM_TRASH,
    ICON_SETTINGS,
    ICON_STAR,
    ICON_TUNE,
    ICON_UNDO,
    ICON_VERTICAL_ALIGN_TOP,
    ICON_WARNING,
    ICON_ZOOM_IN,
    ICON_ZOOM_OUT,
}

#[cfg(test)]
mod tests {
    use ab_glyph::Font;

    #[test]
    fn the_font_has_every_icon() {
        let font = ab_glyph::FontRef::try_from_slice(crate::fonts::ICON_FONT).expect("assets/icons.ttf is a font");
        let missing: Vec<&str> = super::ALL
            .iter()
            .filter(|(_, icon)| icon.codepoint.chars().any(|c| font.glyph_id(c).0 == 0))
            .map(|(name, _)| *name)
            .collect();
        assert!(missing.is_empty(), "not in assets/icons.ttf (run scripts/subset-icons.sh): {missing:?}");
        assert!(super::ALL.len() > 30);
    }
}
