//! Reads a state file written by rtdw 0.1's embedded store (a [`redb`]
//! database, one process at a time) once, so that an existing `file:PATH`
//! store moves to the shared SQLite format with every key, member, field and
//! expiry it had.

use std::path::Path;

use anyhow::{Context, Result};
use redb::{Database, ReadableTable, TableDefinition};

const META: TableDefinition<&str, (u8, i64)> = TableDefinition::new("meta");
const STRINGS: TableDefinition<&str, &str> = TableDefinition::new("strings");
const SETS: TableDefinition<(&str, &str), ()> = TableDefinition::new("sets");
const HASHES: TableDefinition<(&str, &str), &str> = TableDefinition::new("hashes");

/// The first bytes of every redb file (redb's file-format magic number).
const MAGIC: &[u8] = b"redb\x1A\x0A\xA9\x0D\x0A";

/// Whether `path` holds a redb file (the old embedded format).
pub fn is_legacy(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 9];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == MAGIC)
}

/// Everything the old file holds: each key with its type (1 string, 2 set,
/// 3 hash) and expiry (Unix ms, 0 = none), and its contents.
#[derive(Default)]
pub struct Contents {
    pub meta: Vec<(String, u8, i64)>,
    pub strings: Vec<(String, String)>,
    pub sets: Vec<(String, String)>,
    pub hashes: Vec<(String, String, String)>,
}

/// Reads the whole old file. Fails while an older rtdw still has it open.
pub fn read(path: &Path) -> Result<Contents> {
    let db = Database::open(path).map_err(|e| match e {
        redb::DatabaseError::DatabaseAlreadyOpen => crate::exit::Failure::unavailable(
            crate::service::Service::EmbeddedStore,
            format!("file:{}", path.display()),
            "an older rtdw still has the file open: stop it, then run again to convert the file",
        ),
        other => anyhow::anyhow!(other).context(format!(
            "reading the old-format state file {}",
            path.display()
        )),
    })?;
    let tx = db.begin_read()?;
    let mut out = Contents::default();
    // A table the old store never created is simply empty.
    let missing = |e: &redb::TableError| matches!(e, redb::TableError::TableDoesNotExist(_));
    match tx.open_table(META) {
        Ok(t) => {
            for e in t.iter()? {
                let (k, v) = e?;
                let (kind, exp) = v.value();
                out.meta.push((k.value().to_string(), kind, exp));
            }
        }
        Err(e) if missing(&e) => {}
        Err(e) => return Err(e).context("reading the old store's key table"),
    }
    match tx.open_table(STRINGS) {
        Ok(t) => {
            for e in t.iter()? {
                let (k, v) = e?;
                out.strings
                    .push((k.value().to_string(), v.value().to_string()));
            }
        }
        Err(e) if missing(&e) => {}
        Err(e) => return Err(e).context("reading the old store's strings"),
    }
    match tx.open_table(SETS) {
        Ok(t) => {
            for e in t.iter()? {
                let (k, _) = e?;
                let (key, member) = k.value();
                out.sets.push((key.to_string(), member.to_string()));
            }
        }
        Err(e) if missing(&e) => {}
        Err(e) => return Err(e).context("reading the old store's sets"),
    }
    match tx.open_table(HASHES) {
        Ok(t) => {
            for e in t.iter()? {
                let (k, v) = e?;
                let (key, field) = k.value();
                out.hashes
                    .push((key.to_string(), field.to_string(), v.value().to_string()));
            }
        }
        Err(e) if missing(&e) => {}
        Err(e) => return Err(e).context("reading the old store's hashes"),
    }
    Ok(out)
}

/// Writes a small old-format file, for the migration test.
#[doc(hidden)]
pub fn write_for_test(path: &Path, contents: &Contents) -> Result<()> {
    let db = Database::create(path)?;
    let tx = db.begin_write()?;
    {
        let mut meta = tx.open_table(META)?;
        for (k, kind, exp) in &contents.meta {
            meta.insert(k.as_str(), (*kind, *exp))?;
        }
        let mut strings = tx.open_table(STRINGS)?;
        for (k, v) in &contents.strings {
            strings.insert(k.as_str(), v.as_str())?;
        }
        let mut sets = tx.open_table(SETS)?;
        for (k, m) in &contents.sets {
            sets.insert((k.as_str(), m.as_str()), ())?;
        }
        let mut hashes = tx.open_table(HASHES)?;
        for (k, f, v) in &contents.hashes {
            hashes.insert((k.as_str(), f.as_str()), v.as_str())?;
        }
    }
    tx.commit()?;
    Ok(())
}
