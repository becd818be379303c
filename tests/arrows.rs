//! DESIGN.md's arrows, checked on the source: Easel's modules use each other in one direction
//! only (no circle, between the top-level modules nor between the files of `app`), and the
//! eframe shell (`window`) is used by `main` alone. A change that draws an arrow back fails here,
//! naming the circle, before it grows into the tangle issue 24 undid.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src can be listed") {
        let path = entry.expect("an entry of src").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without its comments (doc examples and prose name modules too).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a source file can be read");
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The names that follow each `prefix` in `code`: `prefix::name`, or each item of a group
/// `prefix::{a, b::c, d::{e, f}}` (its first name: a, b, d).
fn after<'a>(code: &'a str, prefix: &'a str) -> impl Iterator<Item = String> + 'a {
    code.match_indices(prefix).flat_map(move |(i, _)| {
        // `xcrate::` or `a::super::` are not the paths looked for.
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            return Vec::new();
        }
        let rest = &code[i + prefix.len()..];
        match rest.strip_prefix('{') {
            Some(group) => group_items(group).iter().filter_map(|item| first_name(item)).collect(),
            None => first_name(rest).into_iter().collect(),
        }
    })
}

/// The name a path starts with.
fn first_name(path: &str) -> Option<String> {
    let name: String = path.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// The items of a brace group whose opening brace is already read, split at its own commas.
fn group_items(group: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items
}

/// A circle in `graph`, as the modules along it, if there is one.
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &Graph, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Top-level module → the top-level modules its files name (`crate::x`).
fn top_level() -> Graph {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.strip_prefix(&root).ok()?.components().next())
        .map(|c| c.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string())
        .filter(|m| m != "main" && m != "lib")
        .collect();
    let mut graph = Graph::new();
    for file in &files {
        let Some(first) = file.strip_prefix(&root).ok().and_then(|p| p.components().next()) else { continue };
        let from = first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if !modules.contains(&from) {
            continue;
        }
        let uses = graph.entry(from.clone()).or_default();
        for to in after(&code(file), "crate::").filter(|t| modules.contains(t) && *t != from) {
            uses.insert(to);
        }
    }
    graph
}

/// File of `app` → the files of `app` it names (`super::x`, `crate::app::x`, or a name
/// `app/mod.rs` re-exports from x).
fn inside_app() -> Graph {
    let dir = src().join("app");
    let mut exported = BTreeMap::new();
    // Statement by statement, so a `pub use x::{…}` over several lines is read whole.
    for statement in code(&dir.join("mod.rs")).split(';') {
        let statement = statement.trim();
        let Some(rest) = statement.strip_prefix("pub use ").or_else(|| statement.strip_prefix("use ")) else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else { continue };
        for name in names.trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace()).split(',') {
            exported.insert(name.trim().to_string(), module.to_string());
        }
    }
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let mut graph = Graph::new();
    for file in files.iter().filter(|f| !f.ends_with("mod.rs")) {
        let relative = file.strip_prefix(&dir).expect("a file of app");
        let Some(first) = relative.components().next() else { continue };
        let from = first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let text = code(file);
        // One level down (app/mask/canvas.rs), `super::` is app/mask itself.
        let names: Vec<String> = if relative.components().count() == 1 {
            after(&text, "super::").chain(after(&text, "crate::app::")).collect()
        } else {
            after(&text, "super::super::").chain(after(&text, "crate::app::")).collect()
        };
        let uses = graph.entry(from.clone()).or_default();
        for name in names {
            let module = exported.get(&name).cloned().unwrap_or(name);
            let is_file = dir.join(format!("{module}.rs")).exists();
            if is_file && module != from {
                uses.insert(module);
            }
        }
    }
    graph
}

#[test]
fn the_top_level_modules_form_no_circle() {
    let graph = top_level();
    assert!(graph.len() > 10, "the modules were found: {graph:?}");
    assert!(graph["ui"].contains("app"), "the scan sees the views use the app: {graph:?}");
    assert_eq!(circle(&graph), None, "a circle between Easel's modules: {graph:#?}");
}

#[test]
fn the_files_of_app_form_no_circle() {
    let graph = inside_app();
    assert!(graph.len() > 10, "the files of app were found: {graph:?}");
    assert!(graph["viewer"].contains("zoom"), "the scan sees the viewer use the zoom: {graph:?}");
    assert_eq!(circle(&graph), None, "a circle between the files of app: {graph:#?}");
}

#[test]
fn nothing_reaches_up() {
    let graph = top_level();
    let users =
        |m: &str| graph.iter().filter(|(_, to)| to.contains(m)).map(|(from, _)| from.clone()).collect::<Vec<_>>();
    assert_eq!(users("window"), Vec::<String>::new(), "only main opens the window");
    assert_eq!(users("ui"), vec!["window".to_string()], "only the shell draws the views");
    for below in ["api", "library", "worker", "secrets", "endpoint", "compare", "i18n", "fonts", "bench"] {
        for above in ["app", "ui", "cli", "window"] {
            assert!(!graph[below].contains(above), "{below} reaches up to {above}: {graph:#?}");
        }
    }
    for leaf in ["i18n", "bench", "outside"] {
        assert!(graph[leaf].is_empty(), "{leaf} is a leaf, yet uses {:?}", graph[leaf]);
    }
}

#[test]
fn the_scan_reads_groups_of_names() {
    let code = "use super::{App, thumbs::decode_file, zoom::{A, B}};\nlet x = crate::app::Modal::Settings;";
    let names: Vec<String> = after(code, "super::").chain(after(code, "crate::app::")).collect();
    assert_eq!(names, ["App", "thumbs", "zoom", "Modal"]);
    assert_eq!(after("a::super::x", "super::").count(), 0);
}

#[test]
fn the_scan_finds_a_circle_when_there_is_one() {
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(circle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    graph.get_mut("c").unwrap().clear();
    assert_eq!(circle(&graph), None);
}
