//! The compare dialog's state: which settings to vary and their values, and the plan it makes.

use crate::api::ImageRequest;
use crate::compare::{Axis, CompareError, Plan, Setting};

/// One varied setting as the dialog edits it: the setting and its values, comma-separated.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisDraft {
    pub setting: Setting,
    pub values: String,
}

impl AxisDraft {
    /// A setting with the values most worth comparing.
    pub fn new(setting: Setting) -> AxisDraft {
        let values = match setting {
            Setting::Quality => "low,medium,high",
            Setting::Size => "1024x1024,1536x1024,1024x1536",
            Setting::Model => "gpt-image-2,gpt-image-1.5",
            Setting::Format => "png,jpeg,webp",
        };
        AxisDraft { setting, values: values.into() }
    }

    pub fn axis(&self) -> Result<Axis, CompareError> {
        Axis::parse(&format!("{}={}", self.setting.name(), self.values))
    }
}

/// What the compare dialog is set to.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareDraft {
    pub x: AxisDraft,
    pub y: Option<AxisDraft>,
}

impl Default for CompareDraft {
    fn default() -> Self {
        CompareDraft { x: AxisDraft::new(Setting::Quality), y: None }
    }
}

impl CompareDraft {
    /// The comparison this draft describes around the form's request.
    pub fn plan(&self, base: &ImageRequest, prompt_limit: usize) -> Result<Plan, CompareError> {
        Plan::new(base, self.x.axis()?, self.y.as_ref().map(AxisDraft::axis).transpose()?, prompt_limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_plans_what_the_dialog_shows() {
        let base = ImageRequest::new("a lighthouse");
        let mut draft = CompareDraft::default();
        assert_eq!(draft.plan(&base, 1000).unwrap().cells.len(), 3);
        draft.y = Some(AxisDraft { setting: Setting::Size, values: "1024x1024, 1536x1024".into() });
        let plan = draft.plan(&base, 1000).unwrap();
        assert_eq!(plan.cells.len(), 6);
        assert_eq!(plan.cells[5].label, "High · 1536x1024");
        draft.x.values = String::new();
        assert!(draft.plan(&base, 1000).is_err(), "no value chosen");
    }
}
