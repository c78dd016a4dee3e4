//! The layers of the source tree, read from the sources: arrows only point down.
//!
//! ```text
//! faces:        cli/, web/, fuzzing.rs, main.rs
//! application:  catalogue/
//! parts:        store/, search/, images/, interchange/   (independent of each other)
//! domain:       model/
//! ```
//! A module may name its own layer's modules (a part only its own) and those below;
//! never one above. A face names the application and the domain, never a part: what it
//! needs of the parts' types and formats the application names for it. The benchmarks
//! (`cli/bench*.rs`, `cli/dimensions.rs`) and the fuzz targets (`fuzzing.rs`) are the one
//! exception: they drive a part on its own. That a face cannot reach a part's state at all the
//! compiler holds: the catalogue's parts are private fields. Within a folder, no files
//! name each other in a circle, so each folder reads from its leaves up.

use std::collections::BTreeSet;
use std::path::Path;

/// The layer of a top-level module: higher numbers are further out.
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "model" => 0,
        "store" | "search" | "images" | "interchange" | "paperwork" => 1,
        "catalogue" => 2,
        "cli" | "web" | "fuzzing" | "main" => 3,
        _ => return None,
    })
}

/// The top-level modules `source` names through `crate::` paths, comments left out.
fn named_modules(source: &str) -> BTreeSet<String> {
    let code: String = source
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::b, c};`: each path's first name, at the group's top level.
            let mut depth = 0;
            let mut start = 0;
            for (j, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.extend(first_name(&group[start..j]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.extend(first_name(&group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.extend(first_name(rest));
        }
    }
    found
}

fn first_name(path: &str) -> Option<String> {
    let name: String = path.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// What is wrong with `file` (of top-level module `module`) naming `source`'s modules.
fn violations(module: &str, file: &str, source: &str) -> Vec<String> {
    let Some(own) = layer(module) else { return vec![] };
    let mut out = Vec::new();
    for named in named_modules(source) {
        let Some(theirs) = layer(&named) else { continue };
        if named == module {
            continue;
        }
        if theirs > own {
            out.push(format!("{file} imports `{named}`, a layer above it"));
        } else if theirs == own && own == 1 {
            out.push(format!("{file} imports `{named}`: the parts meet only in the application"));
        } else if own == 3 && theirs == 1 && !measures_parts(file) {
            out.push(format!("{file} imports `{named}`: a face calls the application, not a part"));
        }
    }
    out
}

/// The benchmarks and the fuzz targets, which drive a part on its own.
fn measures_parts(file: &str) -> bool {
    file.starts_with("cli/bench") || file == "cli/dimensions.rs" || file == "fuzzing.rs"
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_import_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 100, "the sources are there: {}", files.len());
    let mut problems = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let module = rel.components().next().unwrap().as_os_str().to_string_lossy();
        let module = module.trim_end_matches(".rs");
        let source = std::fs::read_to_string(path).unwrap();
        problems.extend(violations(module, &rel.display().to_string(), &source));
    }
    assert!(problems.is_empty(), "imports against the layers:\n{}", problems.join("\n"));
}

#[test]
fn the_check_sees_an_import_upwards_and_between_parts() {
    let upward = "use crate::model::text;\nuse crate::{store::Store, web::AppState};\n";
    assert_eq!(violations("model", "model/x.rs", upward).len(), 2, "store and web are above the domain");
    let across = "fn f() { crate::search::analysis::to_simplified(\"\"); }";
    assert_eq!(
        violations("interchange", "interchange/x.rs", across),
        ["interchange/x.rs imports `search`: the parts meet only in the application"]
    );
    let down = "use crate::catalogue::Catalogue;\nuse crate::store::{Store, StoreError};\n// crate::web in a comment\n";
    assert!(violations("catalogue", "catalogue/x.rs", down).is_empty());
    assert_eq!(
        violations("web", "web/x.rs", down),
        ["web/x.rs imports `store`: a face calls the application, not a part"]
    );
    assert!(violations("cli", "cli/bench_search.rs", down).is_empty(), "a benchmark measures a part");
    let face = "use crate::catalogue::{Catalogue, StoreError};
use crate::model::role::Scope;
";
    assert!(violations("web", "web/x.rs", face).is_empty());
}

#[test]
fn the_api_and_the_workspace_share_through_the_web_layer_not_each_others_handlers() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut problems = Vec::new();
    for (dir, other) in [("api", "workspace"), ("workspace", "api")] {
        let mut files = Vec::new();
        rust_files(&web.join(dir), &mut files);
        assert!(!files.is_empty(), "web/{dir} has sources");
        for path in files {
            let source = std::fs::read_to_string(&path).unwrap();
            if source.contains(&format!("web::{other}")) || source.contains(&format!("super::super::{other}")) {
                problems.push(format!("{} reaches into web/{other}", path.strip_prefix(&web).unwrap().display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The sibling files of its folder that `source` (in folder `dir`, as `a::b`) names:
/// `super::x` and `crate::a::b::x` where `x.rs` or `x/` is beside it. Its tests are left out.
fn siblings_named(source: &str, dir: &str, siblings: &BTreeSet<String>) -> BTreeSet<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = BTreeSet::new();
    for prefix in ["super::".to_string(), format!("crate::{dir}::")] {
        let mut rest = code;
        while let Some(i) = rest.find(&prefix) {
            rest = &rest[i + prefix.len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or_default().split(',').collect(),
                None => vec![rest],
            };
            for name in names.into_iter().filter_map(first_name) {
                if siblings.contains(&name) {
                    found.insert(name);
                }
            }
        }
    }
    found
}

/// A circle of files naming each other, if `graph` has one.
fn circle(graph: &std::collections::BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn walk(
        at: &str,
        graph: &std::collections::BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            return Some(path[i..].to_vec());
        }
        if !done.insert(at.to_string()) {
            return None;
        }
        path.push(at.to_string());
        for next in graph.get(at).into_iter().flatten() {
            if let Some(c) = walk(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| walk(start, graph, &mut Vec::new(), &mut done))
}

/// The files of each folder under `src/`, each node one file, each edge one naming another.
fn folder_graphs(src: &Path) -> Vec<(String, std::collections::BTreeMap<String, BTreeSet<String>>)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut folders: std::collections::BTreeMap<std::path::PathBuf, Vec<std::path::PathBuf>> = Default::default();
    for f in files {
        folders.entry(f.parent().unwrap().to_path_buf()).or_default().push(f);
    }
    let mut out = Vec::new();
    for (folder, files) in folders {
        let Ok(rel) = folder.strip_prefix(src) else { continue };
        if rel.as_os_str().is_empty() {
            continue;
        }
        let dir = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("::");
        let name = |p: &Path| p.file_stem().unwrap().to_string_lossy().to_string();
        let mut siblings: BTreeSet<String> = files.iter().map(|p| name(p)).filter(|n| n != "mod").collect();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                siblings.insert(name(&p));
            }
        }
        let mut graph = std::collections::BTreeMap::new();
        for f in files.iter().filter(|f| name(f) != "mod") {
            let named = siblings_named(&std::fs::read_to_string(f).unwrap(), &dir, &siblings);
            graph.insert(name(f), named.into_iter().filter(|n| *n != name(f)).collect());
        }
        out.push((rel.display().to_string(), graph));
    }
    out
}

#[test]
fn no_files_of_one_folder_name_each_other_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graphs = folder_graphs(&src);
    assert!(graphs.iter().any(|(dir, g)| dir == "interchange" && !g["register"].is_empty()), "the edges are read");
    let circles: Vec<String> = graphs
        .iter()
        .filter_map(|(dir, g)| circle(g).map(|c| format!("{dir}: {} → {}", c.join(" → "), c[0])))
        .collect();
    assert!(circles.is_empty(), "files that name each other in a circle:\n{}", circles.join("\n"));
}

#[test]
fn the_circle_check_sees_a_circle() {
    let siblings: BTreeSet<String> = ["sheet", "register", "headers"].map(String::from).into();
    let register = "use super::sheet::{Mapping, problem};\nuse super::headers::FIELDS;\n";
    let sheet = "use crate::interchange::{headers, register::Planner};\n#[cfg(test)]\nmod tests { use super::x; }";
    let mut graph = std::collections::BTreeMap::new();
    graph.insert("register".to_string(), siblings_named(register, "interchange", &siblings));
    graph.insert("headers".to_string(), BTreeSet::new());
    assert_eq!(circle(&graph), None);
    graph.insert("sheet".to_string(), siblings_named(sheet, "interchange", &siblings));
    assert_eq!(graph["sheet"], ["headers", "register"].map(String::from).into());
    assert_eq!(circle(&graph).map(|c| c.len()), Some(2), "sheet and register name each other");
}
