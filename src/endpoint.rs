//! The `--from` / `--to` syntax, parsed once for every tool (SPEC §2).

use std::path::PathBuf;

use crate::exit::Failure;

/// Where records come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    /// `kafka:TOPIC[,TOPIC…]`; an empty list means the tool's default topics.
    Kafka(Vec<String>),
    /// NDJSON files (`.gz` read transparently), folders (their files, see
    /// [`crate::source::lines::LinesSource::open`]) and `-` for stdin, read in order.
    Lines(Vec<PathBuf>),
}

/// Where records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum To {
    /// `kafka`: the tool's default topics; `kafka:TOPIC` names one topic.
    Kafka(Option<String>),
    /// `es`: Elasticsearch.
    Es,
    /// `-`: NDJSON envelopes on stdout.
    Stdout,
    /// `DIR/`: one `NAME.jsonl` file per output stream.
    Dir(PathBuf),
    /// A single file (only tools with one output stream accept it).
    File(PathBuf),
}

/// A directory as its `*.jsonl` and `*.jsonl.gz` files in name order (as
/// ripgrep users expect of a folder argument); any other path as itself.
/// Errors: a directory that cannot be read, or holds no such file.
pub fn expand_dir(path: PathBuf) -> Result<Vec<PathBuf>, anyhow::Error> {
    if !path.is_dir() {
        return Ok(vec![path]);
    }
    let entries = std::fs::read_dir(&path)
        .map_err(|e| Failure::usage(format!("--from {}: {e}", path.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            p.is_file() && name.is_some_and(|n| n.ends_with(".jsonl") || n.ends_with(".jsonl.gz"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Failure::usage(format!(
            "--from {}: the folder has no *.jsonl or *.jsonl.gz file",
            path.display()
        )));
    }
    Ok(files)
}

impl From {
    /// Parses one or more `--from` values (each may list several: `--from a
    /// b`, so a shell glob works); a folder means its NDJSON files.
    pub fn parse(values: &[String]) -> Result<From, anyhow::Error> {
        let mut files = Vec::new();
        let mut topics: Option<Vec<String>> = None;
        for v in values {
            if let Some(list) = v.strip_prefix("kafka:") {
                let t: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                topics.get_or_insert_with(Vec::new).extend(t);
            } else if v == "kafka" {
                topics.get_or_insert_with(Vec::new);
            } else if v.is_empty() {
                return Err(Failure::usage(
                    "--from needs a value: kafka:TOPIC, FILE or -",
                ));
            } else {
                // Checked here (a usage error before anything starts);
                // expanded where the tool's input topics are known.
                expand_dir(PathBuf::from(v))?;
                files.push(PathBuf::from(v));
            }
        }
        match (topics, files.is_empty()) {
            (Some(_), false) => Err(Failure::usage(
                "--from cannot mix kafka: with files in one run",
            )),
            (Some(t), true) => Ok(From::Kafka(t)),
            (None, false) => Ok(From::Lines(files)),
            (None, true) => Err(Failure::usage("--from is required: kafka:TOPIC, FILE or -")),
        }
    }
}

impl std::str::FromStr for To {
    type Err = String;
    fn from_str(v: &str) -> Result<To, String> {
        Ok(match v {
            "" => return Err("--to needs a value: kafka, es, -, DIR/".into()),
            "kafka" => To::Kafka(None),
            "es" => To::Es,
            "-" => To::Stdout,
            _ => {
                if let Some(t) = v.strip_prefix("kafka:") {
                    To::Kafka(Some(t.to_string()))
                } else if v.ends_with('/') || std::path::Path::new(v).is_dir() {
                    To::Dir(PathBuf::from(v))
                } else {
                    To::File(PathBuf::from(v))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_from() {
        assert_eq!(
            From::parse(&strs(&["kafka:A,B"])).unwrap(),
            From::Kafka(strs(&["A", "B"]))
        );
        assert_eq!(From::parse(&strs(&["kafka"])).unwrap(), From::Kafka(vec![]));
        assert_eq!(
            From::parse(&strs(&["a.jsonl", "-"])).unwrap(),
            From::Lines(vec!["a.jsonl".into(), "-".into()])
        );
        assert!(From::parse(&strs(&["kafka:A", "x.jsonl"])).is_err());
        assert!(From::parse(&[]).is_err());
    }

    #[test]
    fn parses_to() {
        assert_eq!("kafka".parse::<To>().unwrap(), To::Kafka(None));
        assert_eq!(
            "kafka:T".parse::<To>().unwrap(),
            To::Kafka(Some("T".into()))
        );
        assert_eq!("es".parse::<To>().unwrap(), To::Es);
        assert_eq!("-".parse::<To>().unwrap(), To::Stdout);
        assert_eq!("out/".parse::<To>().unwrap(), To::Dir("out/".into()));
        assert_eq!(
            "day.jsonl".parse::<To>().unwrap(),
            To::File("day.jsonl".into())
        );
    }
}
