//! The library's layers, and the rule that data flows one way through them: a module may use only modules of a
//! lower layer (and itself). An import from a layer above, or between two modules of one layer, fails here with
//! the file and the line, so the house stays as docs/solver.md and the crate's front page describe it.
//!
//! The check reads the sources as text: every `crate::NAME` outside comments and outside a module's tests (code
//! after its first `#[cfg(test)]`, and files named `tests.rs`) counts as a use of module `NAME`. Doc comments may
//! name any module: a link is not a dependency.

use std::path::{Path, PathBuf};

/// The top-level modules of `src/lib.rs`, lowest layer first; modules on one line are one layer and must not use
/// each other.
const LAYERS: &[&[&str]] = &[
    &["error", "lang"],
    &["model"],
    &["records", "objective"],
    &["catalog"],
    &["io", "graph", "generate"],
    &["solve", "scenario", "iati", "template"],
    &["report", "track"],
    &["simulate"],
    &["render"],
    &["run"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The library's code of a file, without its tests.
fn code_without_tests(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The top-level modules that `line` names as `crate::NAME`.
fn used_modules(line: &str) -> Vec<&str> {
    let mut used = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        // `$crate::` inside a macro names this crate too; `poa_match::` cannot appear in the library.
        used.push(&after[..name_len]);
        rest = &after[name_len..];
    }
    used
}

#[test]
fn every_module_is_in_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let declared: Vec<&str> =
        lib.lines().filter_map(|l| l.strip_prefix("pub mod ").or_else(|| l.strip_prefix("mod "))).collect();
    assert!(!declared.is_empty());
    for module in declared {
        let module = module.trim_end_matches(';');
        assert!(layer_of(module).is_some(), "src/lib.rs declares `{module}`, which no layer of this test holds");
    }
}

#[test]
fn no_module_uses_one_of_its_own_layer_or_above() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut broken = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&src).unwrap();
        let Some(first) = relative.components().next() else { continue };
        let owner = first.as_os_str().to_str().unwrap().trim_end_matches(".rs");
        // The binary (main.rs, cli/) and the crate root stand above every layer.
        let Some(owner_layer) = layer_of(owner) else { continue };
        for (i, line) in code_without_tests(path).lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for used in used_modules(code) {
                if used == owner {
                    continue;
                }
                match layer_of(used) {
                    Some(layer) if layer < owner_layer => {}
                    Some(_) => broken.push(format!("src/{}:{}: `{owner}` uses `{used}`", relative.display(), i + 1)),
                    None => {}
                }
            }
        }
    }
    assert!(broken.is_empty(), "imports against the flow of data:\n{}", broken.join("\n"));
}

#[test]
fn the_check_sees_an_upward_use() {
    assert_eq!(used_modules("use crate::report::{self, MatchReport};"), ["report"]);
    assert_eq!(used_modules("let x = crate::solve::objective_of(g, a) + crate::graph::f();"), ["solve", "graph"]);
    assert!(layer_of("report") > layer_of("solve"));
}
