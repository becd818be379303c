//! The `parameters` text itself, in the A1111 style: the prompt, then one line of settings.
//! Easel writes it from a picture's metadata, and reads it back (its own or A1111's) into
//! settings it can reuse.

use crate::api::{Background, ImageRequest, Moderation, OutputFormat, Quality, Size};
use crate::library::ImageMeta;

/// Keys of which at least one must be on a last line for it to count as the settings line.
#[rustfmt::skip]
const KNOWN_KEYS: &[&str] = &[
    "Steps", "Sampler", "Size", "Model", "Model hash", "Seed", "CFG scale", "Quality", "Format", "Endpoint", "Created",
    "Schedule type", "Denoising strength", "Clip skip", "Version",
];

/// The A1111-style text for a picture: the prompt, a newline, for an edit a line `Edit of: <file
/// names of the pictures changed, comma-separated>`, then one settings line
/// `Model: …, Size: WxH, Quality: …, Format: …, [Background: …, Compression: …, Moderation: …,]
/// Endpoint: …, Created: …`. Size is the real size returned; Endpoint is the endpoint's name
/// (its URL when it has no name). Values containing a comma, `": "`, a quote, a line break or
/// spaces at either end are written as JSON strings, as A1111 does.
pub fn parameters_text(meta: &ImageMeta) -> String {
    let r = &meta.request;
    let mut fields = vec![
        ("Model", r.model.clone()),
        ("Size", format!("{}x{}", meta.width, meta.height)),
        ("Quality", r.quality.wire().to_string()),
        ("Format", meta.format.wire().to_string()),
    ];
    if let Some(b) = r.background {
        fields.push(("Background", b.wire().to_string()));
    }
    if let Some(c) = r.output_compression {
        fields.push(("Compression", c.to_string()));
    }
    if let Some(m) = r.moderation {
        fields.push(("Moderation", m.wire().to_string()));
    }
    let endpoint = if meta.endpoint_name.trim().is_empty() { &meta.endpoint } else { &meta.endpoint_name };
    fields.push(("Endpoint", endpoint.clone()));
    fields.push(("Created", meta.created.clone()));
    let line: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {}", quote(v))).collect();
    let edit_of = match &meta.edit {
        Some(edit) => {
            let names: Vec<String> = edit.inputs.iter().map(|i| quote(&i.file)).collect();
            format!("{EDIT_OF} {}\n", names.join(", "))
        }
        None => String::new(),
    };
    format!("{}\n{edit_of}{}", r.prompt, line.join(", "))
}

/// The most characters of a settings text that are read: a few prompts' worth. Any more (a file
/// made to hold megabytes) is left unread.
pub const MAX_TEXT_CHARS: usize = 4 * crate::library::MAX_PROMPT_CHARS;
/// The most settings, and pictures an edit was made from, kept from one text.
const MAX_FIELDS: usize = 64;
/// The most characters of one setting (its name or value) or file name kept.
const MAX_VALUE_CHARS: usize = 1_000;

/// How the line naming an edit's pictures starts.
const EDIT_OF: &str = "Edit of:";

fn quote(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.contains(": ") || value.trim() != value {
        serde_json::Value::from(value).to_string()
    } else {
        value.to_string()
    }
}

/// Settings parsed from a parameters text (Easel's or A1111's).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parameters {
    pub prompt: String,
    pub negative_prompt: Option<String>,
    /// Every `Key: value` pair of the last line, in order, quotes removed (JSON-unescaped).
    pub fields: Vec<(String, String)>,
    /// The file names of the pictures this one was changed from (an "Edit of:" line), if any.
    pub edit_of: Vec<String>,
}

impl Parameters {
    /// Parses A1111's format: prompt lines, optional "Negative prompt: …" line(s), and a last line
    /// of `Key: value, Key: value` pairs (values may be JSON-quoted and contain commas).
    ///
    /// The settings line is always the last line, and it only counts as one if it is made of
    /// well-formed pairs with at least one known key (Model, Size, Steps, Sampler, Seed, …), so a
    /// prompt whose own last line reads like `a: b, c: d` stays prompt. Everything before the last
    /// newline is kept exactly, so Easel's prompts come back unchanged, except that a line just
    /// before the settings line starting with "Edit of:" names the pictures an edit changed, and a
    /// prompt line starting with "Negative prompt:" is read as the negative prompt, as A1111 does. A text
    /// without a recognisable settings line is all prompt. The text comes from a file made
    /// elsewhere: control characters are taken out first (`outside::clean`).
    ///
    /// What comes back is bounded, whatever the file held: the text is read to at most
    /// [`MAX_TEXT_CHARS`], the prompts to [`MAX_PROMPT_CHARS`](crate::library::MAX_PROMPT_CHARS),
    /// at most [`MAX_FIELDS`] fields and edited pictures of at most [`MAX_VALUE_CHARS`] each.
    pub fn parse(text: &str) -> Parameters {
        let mut parsed = Parameters::parse_whole(text);
        parsed.bound();
        parsed
    }

    /// Cuts what was parsed to what is ever shown (see [`Parameters::parse`]).
    fn bound(&mut self) {
        use crate::outside::truncate_chars;
        truncate_chars(&mut self.prompt, crate::library::MAX_PROMPT_CHARS);
        if let Some(n) = &mut self.negative_prompt {
            truncate_chars(n, crate::library::MAX_PROMPT_CHARS);
        }
        self.fields.truncate(MAX_FIELDS);
        self.edit_of.truncate(MAX_FIELDS);
        for value in self.fields.iter_mut().flat_map(|(k, v)| [k, v]).chain(&mut self.edit_of) {
            truncate_chars(value, MAX_VALUE_CHARS);
        }
    }

    fn parse_whole(text: &str) -> Parameters {
        let text = text.char_indices().nth(MAX_TEXT_CHARS).map_or(text, |(at, _)| &text[..at]);
        let cleaned = crate::outside::clean(text);
        let text = cleaned.as_str();
        let all_prompt = || Parameters { prompt: text.to_string(), ..Parameters::default() };
        let Some((head, last)) = text.rsplit_once('\n') else {
            return all_prompt();
        };
        let Some(fields) = settings_line(last) else {
            return all_prompt();
        };
        if !fields.iter().any(|(k, _)| KNOWN_KEYS.iter().any(|known| k.eq_ignore_ascii_case(known))) {
            return all_prompt();
        }
        let (head, edit_of) = edit_of_line(head);
        const NEGATIVE: &str = "Negative prompt:";
        let at = if head.starts_with(NEGATIVE) { Some(0) } else { head.find("\nNegative prompt:").map(|i| i + 1) };
        let (prompt, negative_prompt) = match at {
            None => (head.to_string(), None),
            Some(i) => (head[..i.saturating_sub(1)].to_string(), Some(head[i + NEGATIVE.len()..].trim().to_string())),
        };
        Parameters { prompt, negative_prompt, fields, edit_of }
    }

    /// A field's value by key, case-insensitive.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k.to_lowercase() == key.to_lowercase()).map(|(_, v)| v.as_str())
    }

    /// The request these settings describe, as far as Easel understands them: the prompt and
    /// any model, size, quality, format, background, compression and moderation given. Other
    /// tools' settings (steps, sampler…) have no counterpart and are left out.
    pub fn request(&self) -> ImageRequest {
        let mut r = ImageRequest::new(self.prompt.clone());
        let field = |k: &str| self.get(k).map(|v| v.trim().to_lowercase());
        if let Some(m) = self.get("Model").map(str::trim).filter(|m| !m.is_empty()) {
            r.model = m.to_string();
        }
        if let Some(s) = field("Size").and_then(|s| Size::parse(&s).ok()) {
            r.size = s;
        }
        if let Some(q) = field("Quality").and_then(|q| Quality::parse(&q).ok()) {
            r.quality = q;
        }
        if let Some(f) = field("Format")
            .map(|f| if f == "jpg" { "jpeg".into() } else { f })
            .and_then(|f| OutputFormat::parse(&f).ok())
        {
            r.format = f;
        }
        r.background = field("Background").and_then(|b| Background::parse(&b).ok());
        r.output_compression = field("Compression").and_then(|c| c.parse::<u8>().ok()).filter(|c| *c <= 100);
        r.moderation = field("Moderation").and_then(|m| Moderation::parse(&m).ok());
        r
    }
}

/// `head` without its last line and the file names on it, when that line is an "Edit of:" line;
/// else `head` as it is.
fn edit_of_line(head: &str) -> (&str, Vec<String>) {
    let (before, line) = head.rsplit_once('\n').unwrap_or(("", head));
    let mut names = Vec::new();
    let Some(mut rest) = line.strip_prefix(EDIT_OF).map(str::trim) else {
        return (head, names);
    };
    while !rest.is_empty() {
        let Some((name, next)) = next_value(rest) else {
            return (head, Vec::new());
        };
        names.push(name);
        rest = next.trim_start();
    }
    if names.is_empty() { (head, names) } else { (before, names) }
}

/// The `Key: value` pairs of a settings line, or `None` if the line is not made of them.
fn settings_line(line: &str) -> Option<Vec<(String, String)>> {
    let mut fields = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        let (key, after) = rest.split_once(':')?;
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || " _-/".contains(c)) {
            return None;
        }
        let (value, next) = next_value(after)?;
        fields.push((key.to_string(), value));
        rest = next.trim_start();
    }
    (!fields.is_empty()).then_some(fields)
}

/// The value at the start of `s` (a JSON string, or plain text up to the next comma) and what
/// follows its comma; `None` for a JSON string that is not closed or not followed by a comma.
fn next_value(s: &str) -> Option<(String, &str)> {
    let after = s.trim_start();
    if after.starts_with('"') {
        let end = json_string_end(after)?;
        let next = after[end..].trim_start();
        Some((serde_json::from_str(&after[..end]).ok()?, if next.is_empty() { next } else { next.strip_prefix(',')? }))
    } else {
        let (value, next) = after.split_once(',').unwrap_or((after, ""));
        Some((value.trim().to_string(), next))
    }
}

/// Where the JSON string at the start of `s` ends (just after its closing quote).
fn json_string_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::embed::test_support::{A1111, meta};

    #[test]
    fn easel_text_parses_back() {
        let prompts = [
            "a cat",
            "line one\nline two\n\nSize: big, Model: not this",
            "commas, colons: \"quotes\"",
            "一只猫\n水彩, 风格: 印象派",
            " spaces \n",
        ];
        for prompt in prompts {
            let mut m = meta(prompt);
            m.request.model = "my, model: \"x\"".into();
            m.request.background = Some(Background::Transparent);
            m.request.output_compression = Some(80);
            let p = Parameters::parse(&parameters_text(&m));
            assert_eq!(p.prompt, prompt);
            assert_eq!(p.negative_prompt, None);
            let keys: Vec<&str> = p.fields.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(
                keys,
                ["Model", "Size", "Quality", "Format", "Background", "Compression", "Endpoint", "Created"]
            );
            assert_eq!(p.get("model"), Some("my, model: \"x\""));
            assert_eq!(
                (p.get("Size"), p.get("QUALITY"), p.get("Format")),
                (Some("1536x1024"), Some("auto"), Some("png"))
            );
            assert_eq!((p.get("Endpoint"), p.get("Created")), (Some("QuickRouter"), Some("2025-01-02T03:04:05Z")));
        }
        assert!(parameters_text(&meta("x")).ends_with(
            "\nModel: gpt-image-2, Size: 1536x1024, Quality: auto, Format: png, Endpoint: QuickRouter, Created: 2025-01-02T03:04:05Z"
        ));
    }

    #[test]
    fn an_edits_pictures_come_back_from_its_edit_of_line() {
        let inputs = ["20261124-153012-123-abcd-1.png", "my, \"odd\" name.jpg", "猫 photo.webp"];
        let mut m = meta("the same, with a red hat\nEdit of: not this line");
        let record = serde_json::json!({
            "inputs": inputs.iter().map(|f| serde_json::json!({"file": f, "sha256": "00"})).collect::<Vec<_>>(),
            "outcome": "outside_kept",
        });
        m.edit = Some(serde_json::from_value(record).unwrap());
        let text = parameters_text(&m);
        assert!(
            text.contains(
                "\nEdit of: 20261124-153012-123-abcd-1.png, \"my, \\\"odd\\\" name.jpg\", 猫 photo.webp\nModel: "
            ),
            "{text}"
        );
        let p = Parameters::parse(&text);
        assert_eq!(p.edit_of, inputs);
        assert_eq!(p.prompt, "the same, with a red hat\nEdit of: not this line");
        assert_eq!(p.get("Model"), Some("gpt-image-2"));
        // An empty prompt; a negative prompt before it; no edit.
        m.request.prompt = String::new();
        assert_eq!(Parameters::parse(&parameters_text(&m)).edit_of, inputs);
        assert_eq!(Parameters::parse(&parameters_text(&m)).prompt, "");
        let negative = "a cat\nNegative prompt: blurry\nEdit of: a.png\nSteps: 20, Model: sd15";
        let p = Parameters::parse(negative);
        assert_eq!(
            (p.prompt.as_str(), p.negative_prompt.as_deref(), p.edit_of.as_slice()),
            ("a cat", Some("blurry"), &["a.png".to_string()][..])
        );
        assert_eq!(Parameters::parse(&parameters_text(&meta("x"))).edit_of, Vec::<String>::new());
        // Not a list of names: left in the prompt.
        let broken = "a cat\nEdit of: \"unterminated\nModel: m";
        assert_eq!(Parameters::parse(broken).prompt, "a cat\nEdit of: \"unterminated");
    }

    #[test]
    fn a1111_text_parses() {
        let p = Parameters::parse(A1111);
        assert_eq!((p.prompt.as_str(), p.negative_prompt.as_deref()), ("a cat, best quality", Some("blurry")));
        assert_eq!(p.fields.len(), 8);
        assert_eq!((p.get("steps"), p.get("Sampler"), p.get("CFG scale")), (Some("20"), Some("Euler a"), Some("7")));
        assert_eq!(
            (p.get("Model hash"), p.get("Model"), p.get("Lora hashes")),
            (Some("abc"), Some("sd15"), Some("x: 1, y: 2"))
        );
        for plain in ["just a prompt", "a: b\nc: d, e: f", "x\nModel: \"unterminated", "x\n"] {
            assert_eq!(Parameters::parse(plain), Parameters { prompt: plain.into(), ..Default::default() });
        }
    }

    #[test]
    fn settings_become_a_request() {
        let mut m = meta("a lighthouse, at dusk");
        m.request.quality = Quality::Low;
        m.request.output_compression = Some(70);
        m.request.background = Some(Background::Opaque);
        let r = Parameters::parse(&parameters_text(&m)).request();
        assert_eq!(
            (r.prompt.as_str(), r.model.as_str(), r.size, r.quality),
            ("a lighthouse, at dusk", "gpt-image-2", Size::Landscape, Quality::Low)
        );
        assert_eq!(
            (r.format, r.output_compression, r.background),
            (OutputFormat::Png, Some(70), Some(Background::Opaque))
        );
        let a = Parameters::parse(A1111).request();
        assert_eq!(
            (a.prompt.as_str(), a.model.as_str(), a.size),
            ("a cat, best quality", "sd15", Size::Custom { width: 512, height: 512 })
        );
        assert_eq!(a.quality, Quality::Auto, "no quality given: Easel's default");
    }
}
