//! The languages Easel speaks, the one in use, and the macros that define a text in every
//! language at once.
//!
//! A text is written once with all its translations side by side ([`texts!`] for fixed
//! texts, [`formats!`] for texts with values in them, [`plurals!`] for texts with a count that
//! English says in two forms), so a text missing in one language does not compile, and neither
//! does a translation that drops or invents a `{value}`, nor a plural without both its forms.
//! The language is one process-wide setting: switching it changes every text from the next
//! frame on.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU8, Ordering};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    ZhCn,
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language for this thread only, for tests that run side by side in one process.
    static THIS_THREAD: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// The language in use.
pub fn current() -> Lang {
    THIS_THREAD.with(std::cell::Cell::get).unwrap_or_else(|| match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::ZhCn,
        _ => Lang::En,
    })
}

/// Runs `f` with `lang` as this thread's language, whatever the process-wide one is.
pub fn with<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    /// Puts the thread's language back even if `f` panics.
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THIS_THREAD.with(|t| t.set(self.0));
        }
    }
    let _restore = Restore(THIS_THREAD.with(|t| t.replace(Some(lang))));
    f()
}

/// Switches the language for every text from now on.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// Whether words are read in a terminal, where advice names commands and options rather than
/// the window's buttons ("run `easel key set`", not "check the key in Settings").
static IN_TERMINAL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says that from now on the words are read in a terminal (the terminal commands call it).
pub fn set_terminal() {
    IN_TERMINAL.store(true, Ordering::Relaxed);
}

/// Whether the words are read in a terminal.
pub fn in_terminal() -> bool {
    IN_TERMINAL.load(Ordering::Relaxed)
}

impl Lang {
    /// Every language, in the order Settings lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The language's name in itself, as a language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// A BCP 47 tag: for fonts (Chinese glyph shapes differ from Japanese ones) and dates.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language for a locale such as `zh_CN.UTF-8`, `zh-Hans-CN` or `en-GB`: any Chinese
    /// gets Simplified Chinese (the only Chinese there is), anything else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("zh") { Lang::ZhCn } else { Lang::En }
    }

    /// The system's language: `LC_ALL`, `LC_MESSAGES` or `LANG` where set (so a terminal's
    /// choice wins), else what the operating system reports.
    pub fn from_system() -> Lang {
        let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty() && v != "C" && v != "POSIX"));
        env.or_else(sys_locale::get_locale).map_or(Lang::En, |l| Lang::from_locale(&l))
    }
}

/// Fixed texts in every language: `NAME => "English", "简体中文";` becomes
/// `pub fn NAME() -> &'static str`, in the language in use. `TABLE` lists them all for tests.
#[macro_export]
macro_rules! texts {
    ($table:ident; $( $(#[$meta:meta])* $name:ident => $en:literal, $zh:literal; )*) => {
        $(
            $(#[$meta])*
            #[allow(non_snake_case)]
            pub fn $name() -> &'static str {
                match $crate::i18n::current() {
                    $crate::i18n::Lang::En => $en,
                    $crate::i18n::Lang::ZhCn => $zh,
                }
            }
        )*
        /// Every fixed text: its name, English, Chinese.
        #[allow(dead_code)]
        pub const $table: &[(&str, &str, &str)] = &[$((stringify!($name), $en, $zh)),*];
    };
}

/// Texts with values in them: `name(count: usize) => "{count} pictures", "{count} 张图片";`
/// becomes `pub fn name(count: usize) -> String`. Every value must appear in every language.
#[macro_export]
macro_rules! formats {
    ($table:ident; $( $(#[$meta:meta])* $name:ident($($arg:ident: $ty:ty),*) => $en:literal, $zh:literal; )*) => {
        $(
            $(#[$meta])*
            pub fn $name($($arg: $ty),*) -> String {
                match $crate::i18n::current() {
                    $crate::i18n::Lang::En => format!($en, $($arg = $arg),*),
                    $crate::i18n::Lang::ZhCn => format!($zh, $($arg = $arg),*),
                }
            }
        )*
        /// Every text with values: its name, English, Chinese.
        #[allow(dead_code)]
        pub const $table: &[(&str, &str, &str)] = &[$((stringify!($name), $en, $zh)),*];
    };
}

/// Texts with a count that English says in two forms: `name(count: usize, folder: &str) =>
/// "Saved {count} picture to {folder}.", "Saved {count} pictures to {folder}.",
/// "已将 {count} 张图片保存到 {folder}。";` becomes `pub fn name(count: usize, folder: &str) ->
/// String`. The first value is the count: English takes the singular when it is 1 and the
/// plural otherwise; Chinese has one form. The count reads with its thousands grouped ("1,234
/// pictures"). The singular may leave the count out ("Saved a picture…"), since it is always
/// 1; the plural and the Chinese must show it, and every form must show every other value.
/// `TABLE` lists each English form beside the Chinese under the text's name, singular first,
/// so [`untranslated`] checks both.
#[macro_export]
macro_rules! plurals {
    ($table:ident; $(
        $(#[$meta:meta])*
        $name:ident($count:ident: $count_ty:ty $(, $arg:ident: $ty:ty)*) => $one:literal, $many:literal, $zh:literal;
    )*) => {
        $(
            $(#[$meta])*
            pub fn $name($count: $count_ty $(, $arg: $ty)*) -> String {
                // The singular takes the count from the argument list when it shows it (an
                // inline `{count}`), so leaving it out is no error there, unlike in the others.
                match ($crate::i18n::current(), $count == 1) {
                    ($crate::i18n::Lang::En, true) => format!($one, $($arg = $arg),*),
                    ($crate::i18n::Lang::En, false) => {
                        format!($many, $count = $crate::i18n::thousands($count), $($arg = $arg),*)
                    }
                    ($crate::i18n::Lang::ZhCn, _) => {
                        format!($zh, $count = $crate::i18n::thousands($count), $($arg = $arg),*)
                    }
                }
            }
        )*
        /// Every text with a count: its name, an English form, Chinese; singular, then plural.
        #[allow(dead_code)]
        pub const $table: &[(&str, &str, &str)] = &[$((stringify!($name), $one, $zh), (stringify!($name), $many, $zh)),*];
    };
}

/// "4,160": digits grouped by thousands, as counts read in both languages.
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The test every module with text tables has: `translated!(FIXED, WITH_VALUES);` checks those
/// tables with [`untranslated`] (each module's names are its own, so the test lives beside them).
#[macro_export]
macro_rules! translated {
    ($($table:ident),+ $(,)?) => {
        #[cfg(test)]
        #[test]
        fn every_text_is_translated() {
            let problems = $crate::i18n::untranslated(&[$($table),+], &[]);
            assert!(problems.is_empty(), "{problems:#?}");
        }
    };
}

/// What is wrong with tables of texts made by [`texts!`], [`formats!`] and [`plurals!`]: a text
/// empty in a language, a Chinese one with no Chinese in it (left in English), "…" in one
/// language only, an English "(s)" where [`plurals!`] says it properly, or a plural whose two
/// forms read the same. Names in `same_in_both` (names, formats, symbols) are let through as
/// they are.
#[cfg(test)]
pub fn untranslated(tables: &[&[(&str, &str, &str)]], same_in_both: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for table in tables {
        for (name, en, zh) in *table {
            problems.extend(untranslated_text(name, en, zh, same_in_both));
        }
        // A plural's two forms are side by side under one name (see `plurals!`).
        for pair in table.windows(2).filter(|p| p[0].0 == p[1].0) {
            if pair[0].1 == pair[1].1 {
                problems.push(format!("{}: its singular and plural read the same", pair[0].0));
            }
        }
    }
    problems
}

/// What is wrong with one text, if anything.
#[cfg(test)]
fn untranslated_text(name: &str, en: &str, zh: &str, same_in_both: &[&str]) -> Option<String> {
    // Chinese characters, or full-width punctuation for a sentence that is only its values.
    let chinese = |t: &str| {
        t.chars().any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}'))
    };
    if en.trim().is_empty() || zh.trim().is_empty() {
        Some(format!("{name} is empty in a language"))
    } else if !same_in_both.contains(&name) && (en == zh || !chinese(zh)) {
        Some(format!("{name} has no Chinese translation: “{zh}”"))
    } else if en.ends_with('…') != zh.ends_with('…') {
        Some(format!("{name}: “…” in one language only"))
    } else if en.contains("(s)") {
        Some(format!("{name}: “(s)” in “{en}”; write the text with plurals! instead"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_languages() {
        for (locale, lang) in [
            ("zh_CN.UTF-8", Lang::ZhCn),
            ("zh-Hans-CN", Lang::ZhCn),
            ("zh_TW", Lang::ZhCn),
            ("en_GB.UTF-8", Lang::En),
            ("de-DE", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::from_locale(locale), lang, "{locale}");
        }
    }

    mod counted {
        crate::plurals! { TABLE;
            saved(count: usize, folder: &str) => "Saved {count} picture to {folder}.", "Saved {count} pictures to {folder}.",
                "已将 {count} 张图片保存到 {folder}。";
            one_left_out(n: u8) => "A picture", "{n} pictures", "{n} 张图片";
        }
    }

    #[test]
    fn plurals_follow_the_count_in_english_and_group_its_thousands() {
        let texts =
            || (counted::saved(1, "f"), counted::saved(2, "f"), counted::saved(1234, "f"), counted::one_left_out(1));
        assert_eq!(
            with(Lang::En, texts),
            (
                "Saved 1 picture to f.".to_string(),
                "Saved 2 pictures to f.".to_string(),
                "Saved 1,234 pictures to f.".to_string(),
                "A picture".to_string()
            )
        );
        let zh = with(Lang::ZhCn, || (counted::saved(1, "f"), counted::one_left_out(1)));
        assert_eq!(zh, ("已将 1 张图片保存到 f。".to_string(), "1 张图片".to_string()));
        assert_eq!(untranslated(&[counted::TABLE], &[]), Vec::<String>::new());
    }

    #[test]
    fn the_checker_finds_untranslated_texts_and_bad_plurals() {
        let table: &[(&str, &str, &str)] = &[
            ("left_in_english", "Save", "Save"),
            ("half_a_plural", "{n} file(s)", "{n} 个文件"),
            ("same_forms", "{n} sheep", "{n} 只羊"),
            ("same_forms", "{n} sheep", "{n} 只羊"),
            ("dots", "Open…", "打开"),
        ];
        let problems = untranslated(&[table], &[]);
        assert_eq!(problems.len(), 4, "{problems:#?}");
        for name in ["left_in_english", "half_a_plural", "same_forms", "dots"] {
            assert!(problems.iter().any(|p| p.starts_with(name)), "{name}: {problems:#?}");
        }
    }
}
