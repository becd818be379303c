//! Endpoint profiles (QuickRouter, OpenAI, a custom base URL) and list-price cost estimates.

use crate::api::{ApiError, FormatField, Quality, Size, Usage, parse_base_url};
use reqwest::Url;
use serde::{Deserialize, Serialize};

/// `EASEL_BASE_URL`: the endpoint, as `--base-url` sets it (the window and the terminal).
pub const ENV_BASE_URL: &str = "EASEL_BASE_URL";
/// QuickRouter's base URL, Easel's default endpoint.
pub const QUICKROUTER_BASE: &str = "https://api.quickrouter.ai/v1";
/// OpenAI's base URL.
pub const OPENAI_BASE: &str = "https://api.openai.com/v1";
/// QuickRouter's page documents a 1000-character prompt limit.
pub const QUICKROUTER_PROMPT_LIMIT: usize = 1000;
/// OpenAI accepts 32,000 characters for gpt-image models.
pub const OPENAI_PROMPT_LIMIT: usize = 32_000;

/// Which kind of endpoint: it decides the format field's name, the prompt limit and the help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    QuickRouter,
    OpenAi,
    Custom,
}

/// An endpoint as Easel talks to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub kind: EndpointKind,
    pub base_url: Url,
    /// The longest prompt, in characters.
    pub prompt_limit: usize,
    /// The format field name to try first (a remembered choice overrides it).
    pub format_field: FormatField,
}

impl Endpoint {
    /// The QuickRouter relay, with `format` as its page documents.
    pub fn quickrouter() -> Endpoint {
        Endpoint {
            kind: EndpointKind::QuickRouter,
            base_url: Url::parse(QUICKROUTER_BASE).expect("valid constant"),
            prompt_limit: QUICKROUTER_PROMPT_LIMIT,
            format_field: FormatField::Format,
        }
    }

    /// OpenAI itself, with `output_format`.
    pub fn openai() -> Endpoint {
        Endpoint {
            kind: EndpointKind::OpenAi,
            base_url: Url::parse(OPENAI_BASE).expect("valid constant"),
            prompt_limit: OPENAI_PROMPT_LIMIT,
            format_field: FormatField::OutputFormat,
        }
    }

    /// Any base URL. The two known hosts get their own profile; anything else is custom, with
    /// `output_format` and a 32,000-character limit unless `prompt_limit` sets it lower.
    pub fn from_base_url(text: &str, prompt_limit: Option<usize>) -> Result<Endpoint, ApiError> {
        let url = parse_base_url(text)?;
        let mut endpoint = match url.host_str() {
            Some("api.quickrouter.ai") => Endpoint { base_url: url, ..Endpoint::quickrouter() },
            Some("api.openai.com") => Endpoint { base_url: url, ..Endpoint::openai() },
            _ => Endpoint {
                kind: EndpointKind::Custom,
                base_url: url,
                prompt_limit: OPENAI_PROMPT_LIMIT,
                format_field: FormatField::OutputFormat,
            },
        };
        if let Some(limit) = prompt_limit {
            endpoint.prompt_limit = endpoint.prompt_limit.min(limit.max(1));
        }
        Ok(endpoint)
    }

    /// A name for people: "QuickRouter", "OpenAI" or the host.
    pub fn display_name(&self) -> String {
        match self.kind {
            EndpointKind::QuickRouter => "QuickRouter".into(),
            EndpointKind::OpenAi => "OpenAI".into(),
            EndpointKind::Custom => self.base_url.host_str().unwrap_or(words::CUSTOM_ENDPOINT()).to_string(),
        }
    }

    /// What the library remembers about this endpoint under (the field names it takes, its
    /// refusal of previews): its base URL without a final slash.
    pub fn memory_key(&self) -> String {
        self.base_url.as_str().trim_end_matches('/').to_string()
    }

    /// The keyring account for this endpoint's key: its origin, so each endpoint keeps its own key.
    pub fn key_account(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }

    /// Where a user gets a key for this endpoint.
    pub fn key_help(&self) -> &'static str {
        match self.kind {
            EndpointKind::QuickRouter => words::KEY_HELP_QUICKROUTER(),
            EndpointKind::OpenAi => words::KEY_HELP_OPENAI(),
            EndpointKind::Custom => words::KEY_HELP_CUSTOM(),
        }
    }
}

/// Per-image list prices (USD) for one model: [low, medium, high] for square and for the two
/// 1536-wide/tall sizes, plus token rates per million (text in, image in, image out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelPrices {
    pub model: String,
    pub square: [f64; 3],
    pub wide: [f64; 3],
    pub text_in_per_m: f64,
    pub image_in_per_m: f64,
    pub image_out_per_m: f64,
}

/// The price table used for estimates; editable, since every relay charges its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prices {
    pub models: Vec<ModelPrices>,
}

impl Default for Prices {
    /// OpenAI's list prices (docs/API.md), for every model offered and those of pictures made
    /// before. The gpt-image-2 family is priced by its output tokens for any size
    /// ([`crate::api::models::output_tokens`]); its table here is that formula's, for Settings.
    fn default() -> Self {
        let m = |model: &str, square, wide, t, i, o| ModelPrices {
            model: model.into(),
            square,
            wide,
            text_in_per_m: t,
            image_in_per_m: i,
            image_out_per_m: o,
        };
        let by_tokens = |model: &str| {
            let usd = |q, w, h| crate::api::models::output_tokens(q, w, h) as f64 * 30.0 / 1_000_000.0;
            let row = |w, h| [Quality::Low, Quality::Medium, Quality::High].map(|q| usd(q, w, h));
            m(model, row(1024, 1024), row(1536, 1024), 5.0, 8.0, 30.0)
        };
        let mut models: Vec<ModelPrices> =
            crate::api::models::offered().filter(|model| model.token_priced).map(|model| by_tokens(model.id)).collect();
        models.extend([
            m("gpt-image-1.5", [0.009, 0.034, 0.133], [0.013, 0.05, 0.20], 5.0, 8.0, 32.0),
            m("gpt-image-1-mini", [0.005, 0.011, 0.036], [0.006, 0.015, 0.052], 2.0, 2.5, 8.0),
            // Shut down, kept for the costs of pictures made with it.
            m("gpt-image-1", [0.011, 0.042, 0.167], [0.016, 0.063, 0.25], 5.0, 10.0, 40.0),
        ]);
        Prices { models }
    }
}

impl Prices {
    /// Adds the models of `defaults` this table (kept from an older Easel) does not have: a
    /// newer model is priced at once, and the user's own figures stay.
    pub fn add_missing(&mut self, defaults: &Prices) {
        for d in &defaults.models {
            if !self.models.iter().any(|m| m.model.eq_ignore_ascii_case(&d.model)) {
                self.models.push(d.clone());
            }
        }
    }
}

/// One request as it is priced: the pictures asked for (or, after, received), the previews
/// streamed for each, and an edit's input pictures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Order<'a> {
    pub model: &'a str,
    pub size: Size,
    pub quality: Quality,
    pub pictures: u32,
    /// Streamed previews for each picture ([`ImageRequest::partial_images`](crate::api::ImageRequest::partial_images)).
    pub previews: u8,
    /// An edit's input pictures, as image input tokens
    /// ([`EditRequest::estimated_input_tokens`](crate::api::EditRequest::estimated_input_tokens));
    /// `None` for new pictures.
    pub input_tokens: Option<u64>,
}

impl<'a> Order<'a> {
    /// The order `request` places: its pictures and previews.
    pub fn of(request: &'a crate::api::ImageRequest) -> Order<'a> {
        Order {
            model: &request.model,
            size: request.size,
            quality: request.quality,
            pictures: u32::from(request.n),
            previews: request.partial_images,
            input_tokens: None,
        }
    }

    /// The same order for `pictures` pictures.
    pub fn pictures(self, pictures: u32) -> Order<'a> {
        Order { pictures, ..self }
    }

    /// The same order at `quality`.
    pub fn quality(self, quality: Quality) -> Order<'a> {
        Order { quality, ..self }
    }

    /// The same order with `previews` previews for each picture.
    pub fn previews(self, previews: u8) -> Order<'a> {
        Order { previews, ..self }
    }

    /// The same order as an edit of pictures read as `input_tokens` image input tokens.
    pub fn inputs(self, input_tokens: Option<u64>) -> Order<'a> {
        Order { input_tokens, ..self }
    }
}

/// A cost figure and how sure it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// US dollars, at list prices.
    pub usd: f64,
    /// True when a setting was `auto` and the figure is the most it could cost, or when a
    /// custom size was scaled from the square price.
    pub approximate: bool,
    /// True for xhigh and max, whose token counts are not published: the figure is high's, the
    /// least they cost.
    #[serde(default)]
    pub at_least: bool,
}

impl Prices {
    /// The prices of `model`, matching the longest known name it starts with
    /// (so `gpt-image-1-mini` is not priced as `gpt-image-1`).
    pub fn for_model(&self, model: &str) -> Option<&ModelPrices> {
        let m = model.trim().to_lowercase();
        self.models.iter().filter(|p| m.starts_with(&p.model.to_lowercase())).max_by_key(|p| p.model.len())
    }

    /// What `order` is estimated to cost before it is sent (and, with the pictures that came,
    /// after): its pictures, their streamed previews, an edit's input pictures. `auto` quality is
    /// priced as high and `auto` size as the dearer of the two shapes: the most it could cost.
    /// Every price Easel shows before the answer comes (form, compare dialog, terminal, a
    /// request's record) is this one figure.
    pub fn estimate(&self, order: &Order<'_>) -> Option<Estimate> {
        let p = self.for_model(order.model)?;
        let at_least = matches!(order.quality, Quality::XHigh | Quality::Max);
        let (per_image, approximate) = if crate::api::models::rules(order.model).token_priced {
            // Any size by the formula; `auto` as the dearer of the preset shapes.
            let usd = |(w, h)| {
                crate::api::models::output_tokens(order.quality, w, h) as f64 * p.image_out_per_m / 1_000_000.0
            };
            match order.size.dimensions() {
                Some(wh) => (usd(wh), false),
                None => (usd((1024, 1024)).max(usd((1536, 1024))), true),
            }
        } else {
            let q = match order.quality {
                Quality::Low => 0,
                Quality::Medium => 1,
                Quality::High | Quality::XHigh | Quality::Max | Quality::Auto => 2,
            };
            match order.size {
                Size::Square => (p.square[q], false),
                Size::Landscape | Size::Portrait => (p.wide[q], false),
                Size::Auto => (p.square[q].max(p.wide[q]), true),
                Size::Custom { width, height } => {
                    (p.square[q] * (f64::from(width) * f64::from(height)) / (1024.0 * 1024.0), true)
                }
            }
        };
        let pictures = per_image * f64::from(order.pictures);
        // About PREVIEW_OUTPUT_TOKENS image output tokens for each preview of each picture.
        let preview_tokens = crate::api::PREVIEW_OUTPUT_TOKENS * u64::from(order.previews) * u64::from(order.pictures);
        let previews = preview_tokens as f64 * p.image_out_per_m / 1_000_000.0;
        // How a relay counts input pictures is its own business: an edit's figure is always an
        // estimate, which the answer's usage replaces.
        let inputs = order.input_tokens.map_or(0.0, |t| t as f64 * p.image_in_per_m / 1_000_000.0);
        let approximate = approximate || order.quality == Quality::Auto || order.input_tokens.is_some();
        Some(Estimate { usd: pictures + previews + inputs, approximate: approximate && !at_least, at_least })
    }

    /// The cost from the tokens the endpoint reported, at list prices.
    pub fn cost_from_usage(&self, model: &str, usage: &Usage) -> Option<f64> {
        let p = self.for_model(model)?;
        let output = usage.output_tokens? as f64;
        let input = usage.input_tokens.unwrap_or(0) as f64;
        let image_in = usage.image_input_tokens.unwrap_or(0) as f64;
        let text_in = usage.text_input_tokens.map_or((input - image_in).max(0.0), |t| t as f64);
        Some((text_in * p.text_in_per_m + image_in * p.image_in_per_m + output * p.image_out_per_m) / 1_000_000.0)
    }
}

/// Every word about endpoints, in every language.
mod words {
    crate::texts! { FIXED;
        /// The name of an endpoint whose address has no host.
        CUSTOM_ENDPOINT => "custom endpoint", "自定义接口";
        // Where a key comes from.
        KEY_HELP_QUICKROUTER => "Create a key in your QuickRouter dashboard (quickrouter.ai), under API keys.",
            "请在 QuickRouter 控制台（quickrouter.ai）的 API keys 页面创建密钥。";
        KEY_HELP_OPENAI => "Create a key at platform.openai.com, under API keys.",
            "请在 platform.openai.com 的 API keys 页面创建密钥。";
        KEY_HELP_CUSTOM => "Ask the provider of this endpoint for an API key.",
            "请向这个接口的提供方索取 API 密钥。";
    }

    crate::translated!(FIXED);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(model: &str, size: Size, quality: Quality, pictures: u32) -> Order<'_> {
        Order { model, size, quality, pictures, previews: 0, input_tokens: None }
    }

    #[test]
    fn profiles_from_base_urls() {
        let q = Endpoint::from_base_url("https://api.quickrouter.ai/v1/", None).unwrap();
        assert_eq!((q.kind, q.format_field, q.prompt_limit), (EndpointKind::QuickRouter, FormatField::Format, 1000));
        let o = Endpoint::from_base_url(OPENAI_BASE, None).unwrap();
        assert_eq!((o.kind, o.format_field, o.prompt_limit), (EndpointKind::OpenAi, FormatField::OutputFormat, 32_000));
        let c = Endpoint::from_base_url("http://127.0.0.1:9999/v1", Some(4000)).unwrap();
        assert_eq!((c.kind, c.format_field, c.prompt_limit), (EndpointKind::Custom, FormatField::OutputFormat, 4000));
        assert_eq!(c.key_account(), "http://127.0.0.1:9999");
        let higher = Endpoint::from_base_url("https://relay.example/v1", Some(99_999)).unwrap();
        assert_eq!(higher.prompt_limit, 32_000, "a setting may lower the limit, never raise it");
        assert!(Endpoint::from_base_url("http://relay.example/v1", None).is_err());
    }

    #[test]
    fn estimates_follow_the_table() {
        let p = Prices::default();
        // gpt-image-2: 196 output tokens at low 1024², $30 a million.
        let e = p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 2)).unwrap();
        assert!((e.usd - 2.0 * 196.0 * 30e-6).abs() < 1e-9 && !e.approximate);
        let wide = p.estimate(&order("gpt-image-1-mini", Size::Landscape, Quality::High, 1)).unwrap();
        assert!((wide.usd - 0.052).abs() < 1e-9, "mini is not priced as gpt-image-1");
        let auto = p.estimate(&order("gpt-image-2", Size::Auto, Quality::Auto, 1)).unwrap();
        assert!((auto.usd - 7024.0 * 30e-6).abs() < 1e-9 && auto.approximate);
        assert!(p.estimate(&order("my-own-model", Size::Square, Quality::Low, 1)).is_none());
        let high = p.estimate(&order("gpt-image-2", Size::Square, Quality::High, 1)).unwrap().usd;
        let low = p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 1)).unwrap().usd;
        assert!(high / low > 30.0, "high is about 35 times low");
        let many = p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 256)).unwrap();
        assert!((many.usd - 256.0 * 196.0 * 30e-6).abs() < 1e-9, "256 pictures do not wrap to none");
    }

    #[test]
    fn the_gpt_image_2_family_is_priced_by_its_tokens_for_any_size() {
        let p = Prices::default();
        // A custom size is priced exactly, by the formula, not scaled from the square.
        let uhd =
            p.estimate(&order("gpt-image-2", Size::Custom { width: 3840, height: 2160 }, Quality::High, 1)).unwrap();
        assert!((uhd.usd - 13_342.0 * 30e-6).abs() < 1e-9 && !uhd.approximate, "{uhd:?}");
        // The newer models are priced as gpt-image-2; xhigh and max at least as high.
        for model in ["gpt-image-2.5-flare", "gpt-image-2.6-sunburst", "gpt-image-2.6-flare-2026-11-04"] {
            let high = p.estimate(&order(model, Size::Square, Quality::High, 1)).unwrap();
            assert!((high.usd - 7024.0 * 30e-6).abs() < 1e-9, "{model}");
            let max = p.estimate(&order(model, Size::Square, Quality::Max, 1)).unwrap();
            assert!(max.at_least && !max.approximate && (max.usd - high.usd).abs() < 1e-12, "{model}: {max:?}");
        }
        // A table kept by an older Easel gets the newer models, and keeps its own figures.
        let mut kept =
            Prices { models: vec![Prices::default().models.into_iter().find(|m| m.model == "gpt-image-2").unwrap()] };
        kept.models[0].image_out_per_m = 15.0;
        kept.add_missing(&Prices::default());
        assert!(kept.for_model("gpt-image-2.6-flare").is_some());
        assert_eq!(kept.for_model("gpt-image-2").map(|m| m.image_out_per_m), Some(15.0));
    }

    #[test]
    fn an_edit_costs_its_input_pictures_too() {
        let p = Prices::default();
        let plain = p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 1)).unwrap();
        let edit = p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 1).inputs(Some(10_000))).unwrap();
        assert!((edit.usd - plain.usd - 10_000.0 * 8.0 / 1e6).abs() < 1e-12, "$8 per 1M image input tokens");
        assert!(edit.approximate, "always an estimate");
        assert!(p.estimate(&order("my-own-model", Size::Square, Quality::Low, 1).inputs(Some(10))).is_none());
    }

    #[test]
    fn each_preview_costs_a_hundred_output_tokens() {
        let p = Prices::default();
        let plain = p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 2)).unwrap();
        let three = p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 2).previews(3)).unwrap();
        assert!((three.usd - plain.usd - 2.0 * 3.0 * 100.0 * 30.0 / 1e6).abs() < 1e-12, "$30 per 1M output tokens");
        assert_eq!(three.approximate, plain.approximate);
        assert_eq!(p.estimate(&order("gpt-image-2", Size::Square, Quality::Low, 2).previews(0)), Some(plain));
        let edit = p.estimate(&order("gpt-image-1", Size::Square, Quality::Low, 1).inputs(Some(500))).unwrap();
        let streamed =
            p.estimate(&order("gpt-image-1", Size::Square, Quality::Low, 1).inputs(Some(500)).previews(2)).unwrap();
        assert!((streamed.usd - edit.usd - 200.0 * 40.0 / 1e6).abs() < 1e-12);
        assert!(p.estimate(&order("my-own-model", Size::Square, Quality::Low, 1).previews(3)).is_none());
    }

    #[test]
    fn cost_from_either_usage_naming() {
        let p = Prices::default();
        let u = Usage { input_tokens: Some(50), output_tokens: Some(4160), ..Usage::default() };
        let c = p.cost_from_usage("gpt-image-1", &u).unwrap();
        assert!((c - (50.0 * 5.0 + 4160.0 * 40.0) / 1e6).abs() < 1e-12);
        assert!(p.cost_from_usage("gpt-image-1", &Usage::default()).is_none());
    }
}
