//! What the gallery shows: the search and the filters, kept for the session, and which
//! pictures pass them. The filter bar (`ui::gallery`) edits it in place.

use super::GalleryItem;
use crate::api::Quality;
use std::time::{Duration, SystemTime};

/// How far back the gallery looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Since {
    #[default]
    Any,
    Day,
    Week,
    Month,
}

impl Since {
    pub const ALL: [Since; 4] = [Since::Any, Since::Day, Since::Week, Since::Month];

    /// The oldest creation time shown, in the metadata's RFC 3339 form (which sorts as text).
    fn cutoff(self) -> Option<String> {
        let days = match self {
            Since::Any => return None,
            Since::Day => 1,
            Since::Week => 7,
            Since::Month => 30,
        };
        let t = SystemTime::now() - Duration::from_secs(days * 86_400);
        Some(crate::library::utc_millis(t))
    }
}

/// What the gallery shows: the search and the filters (kept for the session).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub text: String,
    pub model: Option<String>,
    pub quality: Option<Quality>,
    /// The real size of the pictures, `WxH`.
    pub size: Option<String>,
    pub since: Since,
    pub favourites: bool,
    /// Show the pictures deleted this session that the trash holds, instead of the others.
    pub deleted: bool,
}

impl Filter {
    /// Whether anything narrows the gallery.
    pub fn is_active(&self) -> bool {
        *self != Filter::default()
    }

    /// The positions in `items` that pass, in order; pictures being deleted never do.
    pub fn apply(&self, items: &[GalleryItem]) -> Vec<usize> {
        let words: Vec<String> = self.text.to_lowercase().split_whitespace().map(str::to_string).collect();
        let cutoff = self.since.cutoff();
        let passes = |g: &GalleryItem| {
            let m = &g.saved.meta;
            (if self.deleted { g.trashed.is_some() } else { !g.hidden })
                // An edit's raw result stays in the library, behind the picture made from it.
                && !m.is_raw_result()
                && words.iter().all(|w| g.search.contains(w.as_str()))
                && self.model.as_ref().is_none_or(|x| *x == m.request.model)
                && self.quality.is_none_or(|q| q == m.request.quality)
                && self.size.as_ref().is_none_or(|s| *s == g.real_size())
                && cutoff.as_ref().is_none_or(|c| m.created.as_str() >= c.as_str())
                && (!self.favourites || m.favourite)
        };
        items.iter().enumerate().filter(|(_, g)| passes(g)).map(|(i, _)| i).collect()
    }
}
