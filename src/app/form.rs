//! The form's state: what the user has typed and picked, remembered between runs, and the
//! request it describes. The form view (`ui::form`) edits it in place and words it.

use crate::api::{Background, Complexity, ImageRequest, Moderation, OutputFormat, Quality, Size, ValidationError};
use serde::{Deserialize, Serialize};

/// The size as the form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SizeChoice {
    Auto,
    Square,
    Landscape,
    Portrait,
    Custom,
}

/// What the user has typed and picked; remembered between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormState {
    pub prompt: String,
    pub model: String,
    pub n: u8,
    pub size: SizeChoice,
    pub custom_width: String,
    pub custom_height: String,
    pub quality: Quality,
    pub format: OutputFormat,
    pub background: Option<Background>,
    pub compression: Option<u8>,
    pub moderation: Option<Moderation>,
    /// gpt-image-2.6's complexity; unset, the model's own default. Sent only to a model that
    /// takes it, so it may stay set while another model is picked.
    pub complexity: Option<Complexity>,
    /// Streamed previews per picture, 0 to 3; 0 asks for no streaming. A form saved before
    /// previews existed gets the default, so streaming is on for everyone who did not turn it off.
    #[serde(default = "default_previews")]
    pub previews: u8,
    /// Whether the user has changed the form since Easel started: until then, what keeps
    /// Generate greyed out is a calm hint, not a warning (set by the form view).
    #[serde(skip)]
    pub touched: bool,
    /// The prompt box should take the keyboard focus ([`Command::FocusPrompt`](crate::app::Command::FocusPrompt));
    /// the form view gives it and clears this.
    #[serde(skip)]
    pub focus_prompt: bool,
}

fn default_previews() -> u8 {
    crate::api::DEFAULT_PREVIEWS
}

impl Default for FormState {
    fn default() -> Self {
        FormState {
            prompt: String::new(),
            model: crate::api::DEFAULT_MODEL.to_string(),
            n: 1,
            size: SizeChoice::Square,
            custom_width: "2048".into(),
            custom_height: "1152".into(),
            quality: Quality::Medium,
            format: OutputFormat::Png,
            background: None,
            compression: None,
            moderation: None,
            complexity: None,
            previews: crate::api::DEFAULT_PREVIEWS,
            touched: false,
            focus_prompt: false,
        }
    }
}

impl FormState {
    /// What the form asks for, as it is priced, at `size` (the form's own when it parses).
    pub fn order(&self, size: Size) -> crate::endpoint::Order<'_> {
        crate::endpoint::Order {
            model: &self.model,
            size,
            quality: self.quality,
            pictures: u32::from(self.n),
            previews: self.previews,
            input_tokens: None,
        }
    }

    /// The size picked, custom sizes parsed.
    pub fn size(&self) -> Result<Size, ValidationError> {
        Ok(match self.size {
            SizeChoice::Auto => Size::Auto,
            SizeChoice::Square => Size::Square,
            SizeChoice::Landscape => Size::Landscape,
            SizeChoice::Portrait => Size::Portrait,
            SizeChoice::Custom => Size::parse(&format!("{}x{}", self.custom_width.trim(), self.custom_height.trim()))?,
        })
    }

    /// The request, validated for an endpoint's prompt limit.
    pub fn request(&self, prompt_limit: usize) -> Result<ImageRequest, ValidationError> {
        let request = ImageRequest {
            model: self.model.trim().to_string(),
            prompt: self.prompt.clone(),
            n: self.n,
            size: self.size()?,
            quality: self.quality,
            format: self.format,
            background: self.background,
            output_compression: self.compression.filter(|_| self.format != OutputFormat::Png),
            moderation: self.moderation,
            complexity: self.complexity.filter(|_| crate::api::models::rules(&self.model).complexity),
            partial_images: self.previews,
        };
        request.validate(prompt_limit)?;
        Ok(request)
    }

    /// The form filled from an earlier request ("Change…").
    pub fn from_request(r: &ImageRequest) -> FormState {
        let (size, w, h) = match r.size {
            Size::Auto => (SizeChoice::Auto, None, None),
            Size::Square => (SizeChoice::Square, None, None),
            Size::Landscape => (SizeChoice::Landscape, None, None),
            Size::Portrait => (SizeChoice::Portrait, None, None),
            Size::Custom { width, height } => (SizeChoice::Custom, Some(width), Some(height)),
        };
        let d = FormState::default();
        FormState {
            prompt: r.prompt.clone(),
            model: r.model.clone(),
            n: r.n,
            size,
            custom_width: w.map(|w| w.to_string()).unwrap_or(d.custom_width),
            custom_height: h.map(|h| h.to_string()).unwrap_or(d.custom_height),
            quality: r.quality,
            format: r.format,
            background: r.background,
            compression: r.output_compression,
            moderation: r.moderation,
            complexity: r.complexity,
            ..d
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_round_trips_a_request() {
        let mut f = FormState { prompt: "fox".into(), n: 3, size: SizeChoice::Custom, ..FormState::default() };
        f.custom_width = "2048".into();
        f.custom_height = "1152".into();
        let r = f.request(1000).unwrap();
        assert_eq!(r.size, Size::Custom { width: 2048, height: 1152 });
        assert_eq!(FormState::from_request(&r).request(1000).unwrap(), r);
        f.custom_width = "2001".into();
        assert!(f.request(1000).is_err());
    }
}
