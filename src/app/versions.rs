//! The versions of a picture (issue 14): the picture it was changed from, that one's, and so
//! on back to the original; and the pictures changed from it, along the newest change each
//! time. Read from the gallery alone: every edit names the picture it changed
//! (`ImageMeta::edit`, `inputs[0].file`), which lives in the same folder of the library, so the
//! chain is there again after a restart with nothing else stored.

use super::{GalleryItem, PictureId};
use crate::library::edit::EditOutcome;
use std::collections::HashSet;
use std::ffi::OsStr;

/// How many steps are walked each way at most: a hand-edited or looping chain ends there.
pub const MAX_STEPS: usize = 100;

/// One version on the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub id: PictureId,
    /// 0 for the original, 1 for the first change, and so on.
    pub step: usize,
}

/// The line of versions a picture is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    /// From the oldest known to the newest, the picture asked about among them. Deleted
    /// pictures are left out; the others keep their step, so "Change 2" stays "Change 2".
    pub line: Vec<Version>,
    /// Where the picture asked about is in `line`.
    pub current: usize,
    /// The picture the one asked about was changed from, when it is in the gallery (deleted or
    /// not: its file is there until the trash takes it): the "before" of a before/after wipe.
    pub before: Option<PictureId>,
    /// Changes made from pictures of the line that are not on it (another change of the same
    /// picture), which the gallery shows.
    pub other_changes: usize,
}

impl Versions {
    /// Whether the picture asked about is the newest of its line: nothing was changed from it.
    pub fn is_newest(&self) -> bool {
        self.current + 1 == self.line.len()
    }
}

/// The line of versions `id` is on, or `None` when it is not a change and nothing was changed
/// from it. Raw results (the model's picture kept beside the one made from it, which the
/// gallery hides) are never versions.
pub fn versions(gallery: &[GalleryItem], id: PictureId) -> Option<Versions> {
    let at = gallery.iter().position(|g| g.id == id).filter(|&at| !gallery[at].saved.meta.is_raw_result())?;
    let mut seen = HashSet::from([at]);
    // Back to the original.
    let mut back = Vec::new();
    let mut oldest = at;
    while back.len() < MAX_STEPS {
        let Some(parent) = parent_of(gallery, oldest).filter(|p| seen.insert(*p)) else { break };
        back.push(parent);
        oldest = parent;
    }
    // Forward along the newest change each time.
    let mut forward = Vec::new();
    let mut newest = at;
    while forward.len() < MAX_STEPS {
        let Some(child) = children_of(gallery, newest).max_by(|&a, &b| newer(gallery, a, b)) else { break };
        if !seen.insert(child) {
            break;
        }
        forward.push(child);
        newest = child;
    }
    if back.is_empty() && forward.is_empty() && !is_change(&gallery[at]) {
        return None;
    }
    // A change whose original is not in the gallery (a file from elsewhere, changed in the
    // terminal) starts at "Change 1": it is not the original.
    let first_step = usize::from(is_change(&gallery[oldest]));
    let all: Vec<usize> = back.iter().rev().copied().chain(std::iter::once(at)).chain(forward).collect();
    let on_line: HashSet<usize> = all.iter().copied().collect();
    let other_changes = all
        .iter()
        .map(|&i| children_of(gallery, i).filter(|c| !on_line.contains(c) && !gallery[*c].hidden).count())
        .sum();
    let line: Vec<Version> = all
        .iter()
        .enumerate()
        .filter(|&(_, &i)| i == at || !gallery[i].hidden)
        .map(|(step, &i)| Version { id: gallery[i].id, step: first_step + step })
        .collect();
    let current = line.iter().position(|v| v.id == id)?;
    Some(Versions { line, current, before: back.first().map(|&p| gallery[p].id), other_changes })
}

/// The file name of the picture `item` was changed from, if it is a change that the gallery shows.
fn changed_from(item: &GalleryItem) -> Option<&str> {
    let edit = item.saved.meta.edit.as_ref().filter(|e| e.outcome != EditOutcome::Raw)?;
    edit.inputs.first().map(|i| i.file.as_str())
}

fn is_change(item: &GalleryItem) -> bool {
    changed_from(item).is_some()
}

/// Whether `item` is the file called `name` in `folder`.
fn is_file(item: &GalleryItem, folder: Option<&std::path::Path>, name: &str) -> bool {
    item.saved.path.file_name() == Some(OsStr::new(name)) && item.saved.path.parent() == folder
}

/// The position of the picture `gallery[at]` was changed from, if the gallery holds it.
fn parent_of(gallery: &[GalleryItem], at: usize) -> Option<usize> {
    let name = changed_from(&gallery[at])?;
    let folder = gallery[at].saved.path.parent();
    // A raw result is not a version: the walk stops rather than step onto a hidden picture.
    gallery.iter().position(|g| is_file(g, folder, name) && !g.saved.meta.is_raw_result())
}

/// The positions of the changes made from `gallery[at]`.
fn children_of(gallery: &[GalleryItem], at: usize) -> impl Iterator<Item = usize> + '_ {
    let path = &gallery[at].saved.path;
    let (folder, name) = (path.parent(), path.file_name());
    gallery.iter().enumerate().filter_map(move |(i, g)| {
        let from = changed_from(g)?;
        (Some(OsStr::new(from)) == name && g.saved.path.parent() == folder).then_some(i)
    })
}

/// Which of two changes is newer: made later, or the later picture of one request.
fn newer(gallery: &[GalleryItem], a: usize, b: usize) -> std::cmp::Ordering {
    let (a, b) = (&gallery[a].saved.meta, &gallery[b].saved.meta);
    a.created.cmp(&b.created).then(a.index.cmp(&b.index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ImageRequest;
    use crate::library::SavedImage;
    use crate::library::edit::{EditInput, EditRecord};

    /// A picture `name` made at second `second`, changed from `from` (with `outcome`) if given.
    fn item(n: u64, name: &str, second: u32, from: Option<(&str, EditOutcome)>) -> GalleryItem {
        let mut meta: crate::library::ImageMeta = serde_json::from_value(serde_json::json!({
            "version": 1, "file": name, "group": "g", "index": 0, "count": 1, "request": ImageRequest::new("p"),
            "endpoint": "http://127.0.0.1/v1", "endpoint_name": "relay",
            "created": format!("2026-01-01T00:00:{second:02}Z"),
            "elapsed_secs": 1.0, "width": 8, "height": 8, "format": "png", "bytes": 0,
        }))
        .unwrap();
        meta.edit = from.map(|(file, outcome)| EditRecord {
            inputs: vec![EditInput { file: file.into(), sha256: None }],
            mask_sha256: None,
            outcome,
            changed_outside: None,
            raw_file: None,
        });
        let path = std::path::Path::new("/lib/images").join(name);
        let saved = SavedImage { meta_path: path.with_extension("json"), path, meta };
        GalleryItem::new(PictureId::for_tests(n), None, saved, None)
    }

    fn id(n: u64) -> PictureId {
        PictureId::for_tests(n)
    }

    fn steps(v: &Versions) -> Vec<(u64, usize)> {
        let all: Vec<PictureId> = (1..=20).map(id).collect();
        v.line.iter().map(|x| (all.iter().position(|a| *a == x.id).unwrap() as u64 + 1, x.step)).collect()
    }

    const KEPT: EditOutcome = EditOutcome::OutsideKept;

    /// An original, two changes along a line, a raw result beside change 1, and (newest first,
    /// as the gallery lists them) a picture with nothing to do with them.
    fn chain() -> Vec<GalleryItem> {
        vec![
            item(5, "alone.png", 9, None),
            item(3, "c2.png", 3, Some(("c1.png", EditOutcome::WholeResult))),
            item(4, "c1-raw.png", 2, Some(("orig.png", EditOutcome::Raw))),
            item(2, "c1.png", 2, Some(("orig.png", KEPT))),
            item(1, "orig.png", 1, None),
        ]
    }

    #[test]
    fn the_line_runs_from_the_original_through_every_change_from_any_of_its_pictures() {
        let g = chain();
        for (n, current, before) in [(1, 0, None), (2, 1, Some(id(1))), (3, 2, Some(id(2)))] {
            let v = versions(&g, id(n)).unwrap();
            assert_eq!(steps(&v), [(1, 0), (2, 1), (3, 2)], "from picture {n}");
            assert_eq!((v.current, v.before, v.other_changes), (current, before, 0), "from picture {n}");
            assert_eq!(v.is_newest(), n == 3);
        }
        assert_eq!(versions(&g, id(5)), None, "a picture with no edits has no versions");
        assert_eq!(versions(&g, id(9)), None, "nor one not in the gallery");
    }

    #[test]
    fn from_several_changes_of_one_picture_the_line_follows_the_newest_and_counts_the_others() {
        let mut g = chain();
        // A later change of the original, and an earlier one: the later one is the line.
        g.insert(0, item(6, "c1b.png", 20, Some(("orig.png", KEPT))));
        g.push(item(7, "c1a.png", 1, Some(("orig.png", KEPT))));
        let v = versions(&g, id(1)).unwrap();
        assert_eq!(steps(&v), [(1, 0), (6, 1)]);
        assert_eq!(v.other_changes, 2, "change 1 and the earliest one");
        // From a picture off the newest line, its own line: its ancestors and its descendants.
        let v = versions(&g, id(3)).unwrap();
        assert_eq!(steps(&v), [(1, 0), (2, 1), (3, 2)]);
        assert_eq!(v.other_changes, 2);
        // A deleted change is not counted, nor shown on a line; the steps keep their numbers.
        g.iter_mut().find(|x| x.id == id(6)).unwrap().hidden = true;
        g.iter_mut().find(|x| x.id == id(2)).unwrap().hidden = true;
        let v = versions(&g, id(3)).unwrap();
        assert_eq!(steps(&v), [(1, 0), (3, 2)]);
        assert_eq!((v.current, v.before, v.other_changes), (1, Some(id(2)), 1));
    }

    #[test]
    fn a_change_of_a_picture_from_elsewhere_starts_at_change_1() {
        let g = vec![item(2, "c2.png", 2, Some(("c1.png", KEPT))), item(1, "c1.png", 1, Some(("photo.jpg", KEPT)))];
        let v = versions(&g, id(2)).unwrap();
        assert_eq!(steps(&v), [(1, 1), (2, 2)]);
        // Alone, it is still a change: its line is itself.
        let v = versions(&g[..1], id(2)).unwrap();
        assert_eq!((steps(&v), v.before), (vec![(2, 1)], None));
    }

    #[test]
    fn files_of_the_same_name_elsewhere_and_raw_results_are_not_versions() {
        let mut g = chain();
        // A file of the same name in another folder is another picture.
        let mut other = item(8, "orig.png", 0, None);
        other.saved.path = std::path::Path::new("/elsewhere").join("orig.png");
        g.insert(0, other);
        // A change made from the raw result (in the terminal): the raw one is not a version.
        g.insert(0, item(9, "from-raw.png", 30, Some(("c1-raw.png", KEPT))));
        let v = versions(&g, id(9)).unwrap();
        assert_eq!(steps(&v), [(9, 1)]);
        assert_eq!(steps(&versions(&g, id(1)).unwrap()), [(1, 0), (2, 1), (3, 2)]);
        assert_eq!(versions(&g, id(4)), None, "a raw result has no versions of its own");
    }

    #[test]
    fn a_loop_or_a_very_long_chain_ends() {
        // Two pictures naming each other.
        let g = vec![item(1, "a.png", 1, Some(("b.png", KEPT))), item(2, "b.png", 2, Some(("a.png", KEPT)))];
        let v = versions(&g, id(1)).unwrap();
        assert_eq!(v.line.len(), 2);
        // A picture naming itself.
        let g = vec![item(1, "a.png", 1, Some(("a.png", KEPT)))];
        assert_eq!(versions(&g, id(1)).unwrap().line.len(), 1);
        // 250 changes in a row: at most MAX_STEPS each way.
        let names: Vec<String> = (0..250).map(|i| format!("p{i}.png")).collect();
        let g: Vec<GalleryItem> = (0..250)
            .map(|i| {
                let from = (i > 0).then(|| (names[i - 1].as_str(), KEPT));
                item(i as u64 + 1, &names[i], (i % 60) as u32, from)
            })
            .collect();
        let v = versions(&g, id(126)).unwrap();
        assert_eq!(v.line.len(), 2 * MAX_STEPS + 1);
        assert_eq!(v.line[v.current].step, MAX_STEPS + 1, "counted from the oldest reached, a change");
    }
}
