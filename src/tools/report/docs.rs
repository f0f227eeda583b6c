//! Documents as the tools write them to files: `{_index,_id,_source}` lines
//! (`--to -`), `{_id,_source}` lines (`DIR/` files), or bare documents.

use std::path::Path;

use crate::exit::Failure;
use anyhow::{Context, Result};
use serde_json::{Map, Value};

/// Calls `on_doc` with each document of `paths` whose index is `prefix`…,
/// and where it came from (`FILE:LINE`). A document is a tool's stdout
/// envelope (`{"_index","_id","_source"}`) or a `DIR/` line
/// (`{"_id","_source"}`). A folder means its `{prefix}*.jsonl` files (a
/// tool's `DIR/` also holds its dirty documents). Every document must have
/// the `kind_fields` (e.g. `mid`, `dt`, `hr` for DAU documents): an order
/// line or a DWD record given to `report dau` is an error naming the files
/// to give, never a count. `.gz` files are read transparently.
pub fn each_document(
    paths: &[&Path],
    prefix: &str,
    kind_fields: &[&str],
    mut on_doc: impl FnMut(Map<String, Value>, &str) -> Result<()>,
) -> Result<()> {
    let mut files = Vec::new();
    for given in paths {
        if !given.is_dir() {
            files.push(given.to_path_buf());
            continue;
        }
        let mut found: Vec<_> = std::fs::read_dir(given)
            .map_err(|e| Failure::usage(format!("--from {}: {e}", given.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .is_some_and(|n| {
                        n.starts_with(prefix) && (n.ends_with(".jsonl") || n.ends_with(".jsonl.gz"))
                    })
            })
            .collect();
        if found.is_empty() {
            return Err(Failure::usage(format!(
                "--from {}: the folder has no {prefix}*.jsonl file",
                given.display()
            )));
        }
        found.sort();
        files.append(&mut found);
    }
    for path in &files {
        // A missing input is a usage error (exit 2), as in every tool.
        let text = read_text(path)
            .map_err(|e| Failure::usage(format!("--from {}: {e}", path.display())))?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let at = format!("{}:{}", path.display(), n + 1);
            let mut v: Map<String, Value> =
                serde_json::from_str(line).with_context(|| format!("{at}: not a JSON document"))?;
            if v.get("_index")
                .and_then(Value::as_str)
                .is_some_and(|i| !i.starts_with(prefix))
            {
                continue;
            }
            let doc = match v.remove("_source") {
                Some(Value::Object(s)) => s,
                _ => v,
            };
            if let Some(missing) = kind_fields.iter().find(|f| !doc.contains_key(**f)) {
                return Err(Failure::usage(format!(
                    "{at}: not a {prefix}{{dt}} document (it has no `{missing}`): give the files the tool wrote for it, e.g. out/{prefix}2026-11-22.jsonl, or the folder"
                )));
            }
            on_doc(doc, &at)?;
        }
    }
    Ok(())
}

/// A file's text, gunzipped when it ends in `.gz`.
fn read_text(path: &Path) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(file), &mut text)?;
    } else {
        std::io::Read::read_to_string(&mut std::io::BufReader::new(file), &mut text)?;
    }
    Ok(text)
}
