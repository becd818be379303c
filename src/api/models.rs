//! What Easel knows of each image model, in one table: the qualities it takes, whether it takes
//! custom sizes, input fidelity and complexity, how it is priced, a line on what it is for, and
//! when it was shut down. Validation, the form, comparisons, the terminal and every estimate read
//! it; nothing else in the code names a model's family.
//!
//! Sources (December 2026): OpenAI's image generation guide and API reference, and the relays'
//! own pages where OpenAI gives no figure (docs.apiyi.com for gpt-image-2.5's tiers and prices,
//! docs.comfy.org for gpt-image-2.6's complexity). A model the table does not know gets the base
//! rules: the three preset sizes and auto, and the four base qualities.

use super::wire::Quality;

/// How a model reads the pictures of a change; reading closely costs more input tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Always,
    /// When `input_fidelity: high` is sent.
    WhenAsked,
    Never,
}

/// One model as Easel knows it.
#[derive(Debug)]
pub struct Model {
    /// Its id, as sent; a dated snapshot of it (`gpt-image-2-2026-04-21`) is the same model.
    pub id: &'static str,
    /// What it is for, in a few words, in the language in use.
    pub about: fn() -> &'static str,
    /// The qualities it takes, in the order a form shows them.
    pub qualities: &'static [Quality],
    /// Any width × height within gpt-image-2's rules, besides the presets.
    pub custom_sizes: bool,
    /// How it reads the pictures of a change: closely always, when asked (it takes
    /// `input_fidelity`), or never.
    pub reads: Reading,
    /// `complexity`: how much the model plans a picture before drawing it.
    pub complexity: bool,
    /// Priced by gpt-image-2's output-token formula for any size ([`output_tokens`]); else by
    /// the per-picture price table.
    pub token_priced: bool,
    /// The day it was shut down, `YYYY-MM-DD`: it is never offered, and asking for it is refused
    /// before anything is sent.
    pub retired: Option<&'static str>,
}

const BASE: &[Quality] = &[Quality::Low, Quality::Medium, Quality::High, Quality::Auto];
const SIX: &[Quality] = &[Quality::Low, Quality::Medium, Quality::High, Quality::XHigh, Quality::Max, Quality::Auto];

/// The rules for a model Easel does not know: the presets and the base qualities.
pub const UNKNOWN: Model = Model {
    id: "",
    about: words::UNKNOWN,
    qualities: BASE,
    custom_sizes: false,
    // Priced at the most, until it says otherwise.
    reads: Reading::Always,
    complexity: false,
    token_priced: false,
    retired: None,
};

/// Every model Easel knows, the newest first: the order the model picker shows.
pub const KNOWN: &[Model] = &[
    Model { id: "gpt-image-2.6-sunburst", about: words::SUNBURST_26, complexity: true, ..GPT_IMAGE_2_FAMILY },
    Model { id: "gpt-image-2.6-flare", about: words::FLARE_26, complexity: true, ..GPT_IMAGE_2_FAMILY },
    Model { id: "gpt-image-2.5-sunburst", about: words::SUNBURST_25, ..GPT_IMAGE_2_FAMILY },
    Model { id: "gpt-image-2.5-flare", about: words::FLARE_25, ..GPT_IMAGE_2_FAMILY },
    Model { id: "gpt-image-2", about: words::GPT_IMAGE_2, qualities: BASE, ..GPT_IMAGE_2_FAMILY },
    Model { id: "gpt-image-1.5", about: words::GPT_IMAGE_15, reads: Reading::WhenAsked, ..UNKNOWN },
    Model { id: "gpt-image-1-mini", about: words::MINI, reads: Reading::Never, ..UNKNOWN },
    Model {
        id: "gpt-image-1",
        about: words::RETIRED,
        reads: Reading::WhenAsked,
        retired: Some("2026-10-23"),
        ..UNKNOWN
    },
    Model { id: "dall-e-3", about: words::RETIRED, retired: Some("2026-05-12"), ..UNKNOWN },
    Model { id: "dall-e-2", about: words::RETIRED, retired: Some("2026-05-12"), ..UNKNOWN },
];

/// What gpt-image-2 and its successors share.
const GPT_IMAGE_2_FAMILY: Model = Model {
    id: "",
    about: words::UNKNOWN,
    qualities: SIX,
    custom_sizes: true,
    reads: Reading::Always,
    complexity: false,
    token_priced: true,
    retired: None,
};

/// The model that needs no introduction: the one a new request starts with. gpt-image-2 rather
/// than the newest, because every relay carries it; the newest is one click away, first in the
/// picker.
pub const DEFAULT: &str = "gpt-image-2";

/// What Easel suggests instead of a retired model.
pub const INSTEAD_OF_RETIRED: &str = "gpt-image-2 or gpt-image-1.5";

/// The model `id` names, if Easel knows it: its own id or a dated snapshot of it, with or
/// without a relay's `vendor/` in front, in any case.
pub fn find(id: &str) -> Option<&'static Model> {
    let id = id.trim().to_lowercase();
    let id = id.rsplit_once('/').map_or(id.as_str(), |(_, name)| name);
    KNOWN.iter().find(|m| {
        id == m.id
            || id
                .strip_prefix(m.id)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|date| date.len() == 10 && date.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
    })
}

/// The rules `id` is checked by: its own, or the base rules of a model Easel does not know.
pub fn rules(id: &str) -> &'static Model {
    find(id).unwrap_or(&UNKNOWN)
}

/// The models a picker offers: the known ones not shut down, newest first.
pub fn offered() -> impl Iterator<Item = &'static Model> {
    KNOWN.iter().filter(|m| m.retired.is_none())
}

/// Of the ids an endpoint lists, those that make pictures, in its order: the known models not
/// shut down, and any other whose name says image or picture; chat, embedding, audio, speech and
/// moderation models are left out, and so are models shut down.
pub fn image_models(listed: &[String]) -> Vec<String> {
    listed
        .iter()
        .filter(|id| match find(id) {
            Some(known) => known.retired.is_none(),
            None => {
                let id = id.to_lowercase();
                let image = ["image", "dall-e", "dalle", "flux", "imagen", "midjourney", "stable-diffusion", "sdxl"]
                    .iter()
                    .any(|word| id.contains(word));
                let other = ["embed", "tts", "whisper", "audio", "speech", "moderation", "transcribe", "realtime"]
                    .iter()
                    .any(|word| id.contains(word));
                image && !other
            }
        })
        .cloned()
        .collect()
}

/// The image output tokens gpt-image-2 (and 2.5, 2.6) spends on one `width` × `height` picture
/// at `quality`, as OpenAI's image generation guide gives it for any size: with q = 16, 48 or
/// 96 for low, medium and high, s = ⌊(2·q·short + long) / (2·long)⌋ and tokens =
/// ⌈q·s·(2,000,000 + W·H) / 4,000,000⌉. It gives the table's 196 at low 1024², 7,024 at high
/// 1024² and the 13,342 relays report for high 3840×2160. xhigh and max have no published
/// count: they are priced as high, and said to cost at least that. `auto` is priced as high,
/// the most it can be of the four.
pub fn output_tokens(quality: Quality, width: u32, height: u32) -> u64 {
    let q: u64 = match quality {
        Quality::Low => 16,
        Quality::Medium => 48,
        Quality::High | Quality::XHigh | Quality::Max | Quality::Auto => 96,
    };
    let (w, h) = (u64::from(width.max(1)), u64::from(height.max(1)));
    let (long, short) = (w.max(h), w.min(h));
    let s = (2 * q * short + long) / (2 * long);
    (q * s * (2_000_000 + w * h)).div_ceil(4_000_000)
}

/// The words of the table, in English and Simplified Chinese.
mod words {
    crate::texts! { FIXED;
        SUNBURST_26 => "Newest · most detail", "最新 · 细节最多";
        FLARE_26 => "Newest · fast", "最新 · 速度快";
        SUNBURST_25 => "Detailed · precise changes", "细节丰富 · 修改精准";
        FLARE_25 => "Fast", "速度快";
        GPT_IMAGE_2 => "Dependable · any size", "稳定 · 任意尺寸";
        GPT_IMAGE_15 => "Three sizes · keeps faces when changing", "三种尺寸 · 修改时保留面部";
        MINI => "Cheapest · being phased out", "最便宜 · 即将停用";
        RETIRED => "Shut down", "已停用";
        UNKNOWN => "From your service", "来自你的服务";
    }

    crate::translated!(FIXED);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_and_relay_names_find_their_model_and_nothing_else() {
        assert_eq!(find("gpt-image-2").map(|m| m.id), Some("gpt-image-2"));
        assert_eq!(find("gpt-image-2-2026-04-21").map(|m| m.id), Some("gpt-image-2"));
        assert_eq!(find("openai/GPT-Image-2.5-Flare").map(|m| m.id), Some("gpt-image-2.5-flare"));
        assert_eq!(find("gpt-image-2.5-sunburst-2026-09-08").map(|m| m.id), Some("gpt-image-2.5-sunburst"));
        assert_eq!(find("gpt-image-1-mini").map(|m| m.id), Some("gpt-image-1-mini"), "not gpt-image-1");
        assert!(find("gpt-image-2.7").is_none(), "not gpt-image-2");
        assert!(find("gpt-image-2-turbo").is_none());
        assert_eq!(rules("my-model").qualities, BASE);
        assert!(!rules("my-model").custom_sizes, "the base rules: presets only");
    }

    #[test]
    fn an_endpoints_list_keeps_its_image_models_only() {
        let listed: Vec<String> = [
            "gpt-4o",
            "gpt-image-2",
            "text-embedding-3-small",
            "gpt-image-1",
            "openai/gpt-image-2.6-flare",
            "tts-1",
            "omni-moderation-latest",
            "gpt-4o-mini-tts",
            "flux-kontext-pro",
            "gpt-realtime-image-preview",
            "whisper-1",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(image_models(&listed), ["gpt-image-2", "openai/gpt-image-2.6-flare", "flux-kontext-pro"]);
    }

    #[test]
    fn the_token_formula_gives_the_published_counts() {
        assert_eq!(output_tokens(Quality::Low, 1024, 1024), 196);
        assert_eq!(output_tokens(Quality::Medium, 1024, 1024), 1756);
        assert_eq!(output_tokens(Quality::High, 1024, 1024), 7024);
        assert_eq!(output_tokens(Quality::High, 3840, 2160), 13_342);
        assert_eq!(output_tokens(Quality::Low, 1536, 1024), output_tokens(Quality::Low, 1024, 1536));
        // The list prices follow: $30 per million output tokens.
        let usd = |q, w, h| output_tokens(q, w, h) as f64 * 30.0 / 1_000_000.0;
        assert!((usd(Quality::High, 1024, 1024) - 0.211).abs() < 0.001);
        assert!((usd(Quality::Low, 1536, 1024) - 0.005).abs() < 0.001);
        assert_eq!(output_tokens(Quality::Max, 0, 0), output_tokens(Quality::High, 1, 1), "no division by zero");
    }

    #[test]
    fn retired_models_are_never_offered_and_the_newest_come_first() {
        let offered: Vec<&str> = offered().map(|m| m.id).collect();
        assert_eq!(offered.first(), Some(&"gpt-image-2.6-sunburst"));
        for gone in ["gpt-image-1", "dall-e-2", "dall-e-3"] {
            assert!(!offered.contains(&gone), "{gone} offered");
            assert!(find(gone).and_then(|m| m.retired).is_some());
        }
        assert!(offered.contains(&DEFAULT));
    }
}
