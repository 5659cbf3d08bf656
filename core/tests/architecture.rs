//! The shape of `core/src`, checked so that it stays true.
//!
//! - No top-level module imports a module that imports it back, directly or around a longer
//!   circle: the crate is layered (store, clock, ids and the shared model at the bottom,
//!   domains above them, `platform` and `api` on top), so a domain can be read, tested and
//!   replaced without the modules above it.
//! - Only a domain's `records.rs` (or its `records/` folder) and `store/` open tables: every
//!   other file reaches its domain's data through the domain-named functions of its records.
//!
//! References are read from the source text: `crate::x`, `$crate::x`, `use crate::{x, …}`, and
//! names re-exported at the crate root (`crate::Platform` is a reference to `platform`). Unit
//! tests (`#[cfg(test)]` modules and `tests.rs` files) are left out, since a test of a domain may
//! well build the whole platform.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The source with comments, string and character literals blanked out (kept as spaces so
/// that braces still pair up), so that neither prose nor text can fake or hide a reference.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_char(chars.get(i.wrapping_sub(1))) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}'), or a lifetime ('a) which stays.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_char(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// The code without its `#[cfg(test)]` items (a `mod tests { … }` or `mod tests;`).
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // The item ends at its first `;` before any `{`, or where its first `{` closes.
        let brace = after.find('{');
        let semi = after.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (None, Some(s)) => s + 1,
            (Some(b), _) => {
                let mut depth = 0;
                let mut end = after.len();
                for (k, ch) in after[b..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The identifier starting at `at`, if any.
fn ident_at(code: &str, at: usize) -> &str {
    let end = code[at..].find(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(code.len(), |n| at + n);
    &code[at..end]
}

/// The first path segments a file names after `crate::` (plain, `$crate::`, and inside
/// `use crate::{a::b, c}` groups, nested groups included).
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut from = 0;
    while let Some(found) = code[from..].find("crate::") {
        let at = from + found;
        from = at + "crate::".len();
        if at > 0 && ident_char(code[..at].chars().last().as_ref()) {
            continue; // `foo_crate::`, not ours.
        }
        let rest = code[from..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: split at commas outside nested braces.
            let mut depth = 0;
            let mut item_start = true;
            let mut k = 0;
            let bytes: Vec<char> = group.chars().collect();
            while k < bytes.len() {
                let ch = bytes[k];
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        let word: String =
                            bytes[k..].iter().take_while(|c| c.is_alphanumeric() || **c == '_').collect();
                        k += word.len();
                        names.insert(word);
                        item_start = false;
                        continue;
                    }
                    _ => {}
                }
                k += 1;
            }
        } else {
            let name = ident_at(&code[from..], 0);
            if !name.is_empty() {
                names.insert(name.to_string());
            }
        }
    }
    names
}

/// The crate's top-level modules, and which module each name re-exported (or declared) at the
/// crate root points to: `Platform` → `platform`, `DOMAINS` → every module it lists.
fn crate_root() -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>) {
    let lib = code_only(&fs::read_to_string(src().join("lib.rs")).unwrap());
    let mut modules = BTreeSet::new();
    for line in lib.lines() {
        let line = line.trim();
        for prefix in ["pub mod ", "mod ", "pub(crate) mod "] {
            if let Some(name) = line.strip_prefix(prefix) {
                modules.insert(name.trim_end_matches(';').trim().to_string());
            }
        }
    }
    let mut exported: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for statement in lib.split(';') {
        let statement = statement.trim();
        let Some(path) = statement.strip_prefix("pub use ") else { continue };
        let module = ident_at(path, 0).to_string();
        let tail = &path[module.len()..];
        let listed: Vec<String> = match tail.find('{') {
            Some(open) => tail[open + 1..]
                .trim_end_matches('}')
                .split(',')
                .map(|n| n.trim().rsplit(' ').next().unwrap_or("").to_string())
                .collect(),
            None => vec![tail.rsplit("::").next().unwrap_or("").trim().to_string()],
        };
        for name in listed.into_iter().filter(|n| !n.is_empty()) {
            exported.entry(name).or_default().insert(module.clone());
        }
    }
    // The domain registry declared in lib.rs points at every module it names.
    let at = lib.find("const DOMAINS").expect("lib.rs declares the domain registry");
    let body = &lib[at..at + lib[at..].find("];").unwrap()];
    let named: BTreeSet<String> = modules.iter().filter(|m| body.contains(&format!("{m}::"))).cloned().collect();
    exported.insert("DOMAINS".to_string(), named);
    (modules, exported)
}

/// For each top-level module, the other top-level modules it refers to, with the files that
/// do so.
fn module_graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let (modules, exported) = crate_root();
    let root = src();
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in rust_files(&root) {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let top = relative.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        if top == "lib" || relative.ends_with("/tests.rs") || relative.contains("/tests/") {
            continue;
        }
        let code = without_tests(&code_only(&fs::read_to_string(&file).unwrap()));
        let edges = graph.entry(top.clone()).or_default();
        for name in crate_references(&code) {
            let targets: BTreeSet<String> =
                if modules.contains(&name) { [name].into() } else { exported.get(&name).cloned().unwrap_or_default() };
            for target in targets.into_iter().filter(|t| *t != top) {
                edges.entry(target).or_default().insert(relative.clone());
            }
        }
    }
    graph
}

/// A path from `from` to `to` along the graph's edges, if there is one.
fn path(graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut came_from: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from.to_string()]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut route = vec![at.clone()];
            let mut step = at;
            while let Some(previous) = came_from.get(&step) {
                route.push(previous.clone());
                step = previous.clone();
            }
            route.reverse();
            return Some(route);
        }
        for next in graph.get(&at).map(|e| e.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
            if next != from && !came_from.contains_key(&next) {
                came_from.insert(next.clone(), at.clone());
                queue.push_back(next);
            }
        }
    }
    None
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let graph = module_graph();
    let mut circles = Vec::new();
    for (module, edges) in &graph {
        for (target, files) in edges {
            if let Some(back) = path(&graph, target, module) {
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                circles.push(format!("{module} → {} (from {})", back.join(" → "), files.join(", ")));
            }
        }
    }
    assert!(circles.is_empty(), "module circles in core/src:\n{}", circles.join("\n"));
}

#[test]
fn the_graph_sees_what_a_module_imports() {
    let graph = module_graph();
    let imports = |from: &str, to: &str| graph.get(from).is_some_and(|edges| edges.contains_key(to));
    // `platform` builds every domain's service; domains reach it only through `context`.
    assert!(imports("platform", "forums") && imports("platform", "context") && imports("forums", "context"));
    // Re-exports at the crate root count: `crate::Error` is a reference to `error`.
    assert!(imports("accounts", "error") && imports("policy", "model"));
    assert!(!imports("forums", "platform") && !imports("actor", "accounts") && !imports("store", "platform"));
    // Moderation acts on forum content; the forums reach moderation only through the context.
    assert!(imports("moderation", "forums") && !imports("forums", "moderation"));
}

/// Files outside a domain's records that still open tables, with how many calls: the next
/// step of the repositories. The list may only shrink: a new file opening tables fails, and so
/// does a listed file that no longer does (delete its entry then) or that opens more.
const TABLES_OPENED_OUTSIDE_RECORDS: &[(&str, usize)] = &[
    ("accounts/migrations.rs", 6),
    ("accounts/mod.rs", 12),
    ("audit.rs", 3),
    ("counsel/client.rs", 3),
    ("counsel/integrity.rs", 12),
    ("inbox/migrations.rs", 1),
    ("inbox/mod.rs", 3),
    ("settings.rs", 3),
];

#[test]
fn only_records_and_the_store_open_tables() {
    let root = src();
    let allowed: BTreeMap<&str, usize> = TABLES_OPENED_OUTSIDE_RECORDS.iter().copied().collect();
    let mut outside = Vec::new();
    let mut seen = BTreeSet::new();
    for file in rust_files(&root) {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let records = relative.ends_with("/records.rs") || relative.contains("/records/");
        if relative.starts_with("store/") || records {
            continue;
        }
        let code = without_tests(&code_only(&fs::read_to_string(&file).unwrap()));
        let opens = table_opens(&code);
        match allowed.get(relative.as_str()) {
            Some(most) if opens > 0 && opens <= *most => {
                seen.insert(relative.clone());
            }
            _ if opens > 0 => outside.push(format!("{relative}: {opens}")),
            _ => {}
        }
    }
    assert!(outside.is_empty(), "files outside records opening tables:\n{}", outside.join("\n"));
    let gone: Vec<&str> = allowed.keys().filter(|f| !seen.contains(**f)).copied().collect();
    assert!(gone.is_empty(), "no longer open tables, take them off the list: {gone:?}");
}

/// The domains whose tables are all behind their records: no file of theirs outside
/// `records.rs` (or a `records/` folder) opens a table, not even one that is on the list above.
/// One line per domain as it is converted.
const DOMAINS_BEHIND_RECORDS: &[&str] = &["courses", "groups", "forums", "moderation"];

/// How many times `code` opens a table.
fn table_opens(code: &str) -> usize {
    [".open_table(", ".table(", ".table_mut("].iter().map(|call| code.matches(call).count()).sum()
}

#[test]
fn converted_domains_open_tables_only_in_their_records() {
    let root = src();
    let mut outside = Vec::new();
    for domain in DOMAINS_BEHIND_RECORDS {
        let dir = root.join(domain);
        assert!(dir.is_dir(), "{domain} is not a domain folder under core/src");
        for file in rust_files(&dir) {
            let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            if relative.ends_with("/records.rs") || relative.contains("/records/") {
                continue;
            }
            let opens = table_opens(&without_tests(&code_only(&fs::read_to_string(&file).unwrap())));
            if opens > 0 {
                outside.push(format!("{relative}: {opens}"));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "files of converted domains opening tables outside their records:\n{}",
        outside.join("\n")
    );
}

#[test]
fn table_opens_are_counted_in_code_only() {
    let code = code_only("txn.open_table(A)?; r.table(B)?;\n// txn.table(C)\nlet s = \".table(\";\nt.table_mut(D);");
    assert_eq!(table_opens(&without_tests(&code)), 3);
    assert_eq!(table_opens(&without_tests(&code_only("#[cfg(test)]\nmod tests { fn t() { txn.table(A); } }"))), 0);
}

#[test]
fn the_reader_sees_through_comments_strings_groups_and_test_modules() {
    let code = code_only(
        "use crate::{a::B, c, d::{e, f}};\n// crate::hidden\nlet s = \"crate::text\";\n\
         let r = r#\"crate::raw\"#;\nfn g<'x>(c: char) { crate::h::i(); $crate::j::k }\n\
         #[cfg(test)]\nmod tests { use crate::tested; fn t() { if x { } } }\nuse crate::after;",
    );
    let names = crate_references(&without_tests(&code));
    let expected: BTreeSet<String> = ["a", "c", "d", "h", "j", "after"].iter().map(|s| s.to_string()).collect();
    assert_eq!(names, expected);
}
