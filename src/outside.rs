//! Text that comes from outside Easel — a relay's message or request id, a prompt the relay
//! rewrote, the settings inside a dropped file, a file's name — is cleaned by [`clean`] before
//! it is stored or shown, in the window and in the terminal alike. A hostile relay must not be
//! able to clear a terminal, write to the clipboard through an escape sequence (OSC 52), ring
//! its bell, or turn a file name around with a bidi override.

/// `text` without control characters and bidi controls: C0 controls other than tab and line
/// feed (a raw NUL and ESC among them), DEL, C1 controls, and the characters that change the
/// direction text is drawn in. Everything else, every script and emoji, is kept.
pub fn clean(text: &str) -> String {
    text.chars().filter(|c| !is_forbidden(*c)).collect()
}

/// [`clean`], with line breaks and runs of white space made single spaces: one line, as a
/// message quoted in a sentence or a request id needs.
pub fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name of the file at `path` as its owner knows it (the whole path when it has none), made
/// safe to show: file names come from outside too.
pub fn file_name(path: &std::path::Path) -> String {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    one_line(&name)
}

/// [`one_line`], cut to at most `max` characters (at a word when one is near) with "…".
pub fn one_line_cut(text: &str, max: usize) -> String {
    let line = one_line(text);
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max).collect();
    // At a word if that loses little; a long id has no spaces and is cut where it is.
    let at_word = cut.rsplit_once(' ').map(|(a, _)| a).filter(|a| a.chars().count() * 4 >= max * 3);
    format!("{}…", at_word.unwrap_or(&cut))
}

/// Cuts `text` to its first `max` characters, in place (at a character's boundary, with no
/// mark): for texts read from files, bounded when they are read so nothing later holds or lays
/// out megabytes of them. Whether anything was cut.
pub fn truncate_chars(text: &mut String, max: usize) -> bool {
    match text.char_indices().nth(max) {
        Some((at, _)) => {
            text.truncate(at);
            true
        }
        None => false,
    }
}

fn is_forbidden(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        // C0, DEL and C1.
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Arabic letter mark, LRM/RLM, the embeddings and overrides, the isolates.
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_bells_and_overrides_are_gone_and_words_stay() {
        let hostile = "bad \u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7} \u{202e}gnp.exe\0 \u{9b}31m 雪 🦊\tend\r\n";
        let cleaned = clean(hostile);
        assert!(!cleaned.chars().any(|c| c.is_control() && c != '\t' && c != '\n'), "{cleaned:?}");
        assert!(!cleaned.contains('\u{202e}'));
        assert_eq!(cleaned, "bad [2J]52;c;cHduZWQ= gnp.exe 31m 雪 🦊\tend\n");
        assert_eq!(one_line(hostile), "bad [2J]52;c;cHduZWQ= gnp.exe 31m 雪 🦊 end");
    }

    #[test]
    fn texts_are_cut_at_a_character() {
        let mut t = "雪🦊ab".to_string();
        assert!(!truncate_chars(&mut t, 4));
        assert!(truncate_chars(&mut t, 2));
        assert_eq!(t, "雪🦊");
    }

    #[test]
    fn long_text_is_cut_at_a_word_or_where_it_is() {
        assert_eq!(one_line_cut("short", 10), "short");
        assert_eq!(one_line_cut("alpha beta gamma delta", 18), "alpha beta gamma…");
        let id = "x".repeat(60_000);
        assert_eq!(one_line_cut(&id, 100).chars().count(), 101);
    }
}
