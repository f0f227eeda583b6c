//! Documents as the tools write them to files: `{_index,_id,_source}` lines
//! (`--to -`), `{_id,_source}` lines (`DIR/` files), or bare documents.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Map, Value};

/// Calls `on_doc` with each document (its `_source`) of an index starting
/// with `prefix`, and where it is (`FILE:LINE`, for errors). Lines of other
/// indices are skipped; a line that is not a JSON object is an error naming it.
pub fn each_document(
    paths: &[&Path],
    prefix: &str,
    mut on_doc: impl FnMut(Map<String, Value>, &str) -> Result<()>,
) -> Result<()> {
    for path in paths {
        // A missing input is a usage error (exit 2), as in every tool.
        let text = std::fs::read_to_string(path)
            .map_err(|e| crate::exit::Failure::usage(format!("--from {}: {e}", path.display())))?;
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
            on_doc(doc, &at)?;
        }
    }
    Ok(())
}
