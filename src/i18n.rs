//! The languages Easel speaks, the one in use, and the macros that define a text in every
//! language at once.
//!
//! A text is written once with all its translations side by side ([`texts!`] for fixed
//! texts, [`formats!`] for texts with values in them), so a text missing in one language does
//! not compile, and neither does a translation that drops or invents a `{value}`. The language
//! is one process-wide setting: switching it changes every text from the next frame on.

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

/// What is wrong with tables of texts made by [`texts!`] and [`formats!`]: a text empty in a
/// language, a Chinese one with no Chinese in it (left in English), or "…" in one language
/// only. Names in `same_in_both` (names, formats, symbols) are let through as they are.
#[cfg(test)]
pub fn untranslated(tables: &[&[(&str, &str, &str)]], same_in_both: &[&str]) -> Vec<String> {
    // Chinese characters, or full-width punctuation for a sentence that is only its values.
    let chinese = |t: &str| {
        t.chars().any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}'))
    };
    let mut problems = Vec::new();
    for (name, en, zh) in tables.iter().flat_map(|t| t.iter()) {
        if en.trim().is_empty() || zh.trim().is_empty() {
            problems.push(format!("{name} is empty in a language"));
        } else if !same_in_both.contains(name) && (en == zh || !chinese(zh)) {
            problems.push(format!("{name} has no Chinese translation: “{zh}”"));
        } else if en.ends_with('…') != zh.ends_with('…') {
            problems.push(format!("{name}: “…” in one language only"));
        }
    }
    problems
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
}
