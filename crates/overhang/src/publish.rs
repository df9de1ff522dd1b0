//! Versioned output folders: the fingerprint, the manifest, and atomic publication.
//!
//! A version folder is written into a hidden temporary folder beside its target, every file
//! flushed to disk, and then renamed into place: a build that dies leaves either no version
//! folder or a complete one.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::exit::Failure;

/// The manifest's file name in a version folder.
pub const MANIFEST: &str = "manifest.json";

/// The file beside the manifest that holds the manifest's sha256, in the format of
/// `sha256sum` (`sha256sum -c manifest.sha256` checks it). The manifest's hash names the whole
/// folder, and no file the manifest lists can carry it (the manifest would have to hash a file
/// that holds the manifest's own hash), so it lives outside the manifest, as the manifest
/// itself does. It adds no trust by itself: it says which hash to cite, and `overhang verify
/// --expect` checks a folder against the hash that was cited.
pub const SEAL: &str = "manifest.sha256";

/// The bytes of [`SEAL`] for a manifest's bytes.
pub fn seal_bytes(manifest: &[u8]) -> Vec<u8> {
    format!("{}  {MANIFEST}\n", sha256_hex(manifest)).into_bytes()
}

/// manifest.json: what a version was built from and the hash of every file in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The report version (or `draft`).
    pub version: String,
    /// The overhang version that built it.
    pub tool_version: String,
    /// Monte Carlo seed.
    pub seed: u64,
    /// Monte Carlo samples.
    pub samples: u64,
    /// sha256 over the inputs, the templates, the tool version, the seed and the samples.
    pub fingerprint: String,
    /// Every input file (as copied into `inputs/`), sorted by name.
    pub inputs: Vec<FileHash>,
    /// Every output file but the manifest itself, sorted by path.
    pub outputs: Vec<FileHash>,
}

/// A file path (relative, forward slashes) and its sha256.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileHash {
    /// Relative path.
    pub path: String,
    /// Lower-case hex sha256.
    pub sha256: String,
}

/// Lower-case hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The build fingerprint: sha256 over the tool version, seed, samples, every input file
/// (name and bytes) and every template (name and text), each length-prefixed so no two
/// different sets of parts hash alike.
pub fn fingerprint(
    tool_version: &str,
    seed: u64,
    samples: u64,
    inputs: &[(String, Vec<u8>)],
    templates: &[(&str, &str)],
) -> String {
    let mut h = Sha256::new();
    let mut part = |tag: &str, bytes: &[u8]| {
        h.update(tag.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part("overhang-fingerprint-v1", b"");
    part("tool", tool_version.as_bytes());
    part("seed", &seed.to_le_bytes());
    part("samples", &samples.to_le_bytes());
    let mut inputs: Vec<&(String, Vec<u8>)> = inputs.iter().collect();
    inputs.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, bytes) in inputs {
        part("input", name.as_bytes());
        part("bytes", bytes);
    }
    let mut templates: Vec<&(&str, &str)> = templates.iter().collect();
    templates.sort_by(|a, b| a.0.cmp(b.0));
    for (name, text) in templates {
        part("template", name.as_bytes());
        part("text", text.as_bytes());
    }
    hex(&h.finalize())
}

/// The files of a version folder, in memory, before they are written.
#[derive(Debug, Default)]
pub struct Folder {
    /// Relative path (forward slashes) and bytes, in the order they are written.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Folder {
    /// Adds a file.
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.push((path.into(), bytes.into()));
    }

    /// The sorted hashes of every file.
    pub fn hashes(&self) -> Vec<FileHash> {
        let mut v: Vec<FileHash> = self
            .files
            .iter()
            .map(|(p, b)| FileHash {
                path: p.clone(),
                sha256: sha256_hex(b),
            })
            .collect();
        v.sort();
        v
    }
}

/// Reads a version folder's manifest, if it has a readable one.
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let bytes = fs::read(dir.join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Serialises a manifest as the bytes written to disk.
pub fn manifest_bytes(m: &Manifest) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(m).expect("a manifest always serialises");
    s.push('\n');
    s.into_bytes()
}

/// Writes `folder` to `target` atomically, with [`SEAL`] beside its manifest. With `replace`,
/// an existing `target` is replaced (used for the draft); without it an existing `target` is an
/// error.
pub fn publish(folder: &Folder, target: &Path, replace: bool) -> Result<(), Failure> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Failure::cant_write(format!(
                "error: `{}` is not a folder path",
                target.display()
            ))
        })?;
    let cant = |what: &str, path: &Path, e: std::io::Error| {
        Failure::cant_write(format!("error: cannot {what} `{}`: {e}", path.display()))
    };
    fs::create_dir_all(&parent).map_err(|e| cant("create the folder", &parent, e))?;
    remove_stale_temporaries(&parent, &name);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        fs::create_dir(&tmp).map_err(|e| cant("create the folder", &tmp, e))?;
        let seal = folder
            .files
            .iter()
            .find(|(p, _)| p == MANIFEST)
            .map(|(_, m)| (SEAL.to_owned(), seal_bytes(m)));
        for (rel, bytes) in folder.files.iter().chain(&seal) {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| cant("create the folder", dir, e))?;
            }
            let mut f = fs::File::create(&path).map_err(|e| cant("create", &path, e))?;
            f.write_all(bytes).map_err(|e| cant("write", &path, e))?;
            f.sync_all().map_err(|e| cant("flush", &path, e))?;
        }
        sync_tree(&tmp);
        if target.exists() {
            if !replace {
                return Err(Failure::cant_write(format!(
                    "error: `{}` appeared while building; it was left as it is",
                    target.display()
                )));
            }
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(target, &old).map_err(|e| cant("move aside", target, e))?;
            fs::rename(&tmp, target).map_err(|e| cant("move into place", target, e))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&tmp, target).map_err(|e| cant("move into place", target, e))?;
        }
        if let Ok(d) = fs::File::open(&parent) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Flushes every folder of a tree, so the renamed folder's entries are on disk.
fn sync_tree(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                sync_tree(&e.path());
            }
        }
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes temporary folders left behind by builds of `name` that were killed.
fn remove_stale_temporaries(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
            && !process_alive(pid)
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Whether a process with this id is running (Linux: /proc); elsewhere assume it is not.
fn process_alive(pid: &str) -> bool {
    pid.parse::<u32>()
        .is_ok_and(|pid| pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists())
}

/// Every file under `dir` (relative paths, forward slashes, sorted), with its bytes.
pub fn read_tree(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        for e in fs::read_dir(dir)? {
            let e = e?;
            let path = e.path();
            if e.file_type()?.is_dir() {
                walk(root, &path, out)?;
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("walked paths are under the root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, fs::read(&path)?));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_changes_with_every_part_and_not_with_order() {
        let inputs = vec![
            ("a".to_owned(), b"1".to_vec()),
            ("b".to_owned(), b"2".to_vec()),
        ];
        let reversed: Vec<_> = inputs.iter().rev().cloned().collect();
        let t = [("t", "x")];
        let base = fingerprint("0.1.0", 1, 10, &inputs, &t);
        assert_eq!(base, fingerprint("0.1.0", 1, 10, &reversed, &t));
        assert_ne!(base, fingerprint("0.1.1", 1, 10, &inputs, &t));
        assert_ne!(base, fingerprint("0.1.0", 2, 10, &inputs, &t));
        assert_ne!(base, fingerprint("0.1.0", 1, 11, &inputs, &t));
        assert_ne!(base, fingerprint("0.1.0", 1, 10, &inputs, &[("t", "y")]));
        let shifted = vec![
            ("a".to_owned(), b"12".to_vec()),
            ("b".to_owned(), b"".to_vec()),
        ];
        assert_ne!(base, fingerprint("0.1.0", 1, 10, &shifted, &t));
    }

    #[test]
    fn sha256_matches_the_known_digest_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
