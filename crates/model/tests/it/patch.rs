//! Applies a unified diff, as `diff -u` or `git diff` writes it, to files held in memory: a
//! fixture is the shared base inputs plus the one change it makes.
//!
//! File names are those of the `---`/`+++` lines without their first path component (`a/`,
//! `b/`), as `patch -p1` reads them; `/dev/null` creates or deletes a file. Text before the
//! first `---` line (a sentence saying what the case breaks) is ignored. Every context and
//! removed line must match the base, so a patch that no longer fits fails loudly.

use std::collections::BTreeMap;

/// Files by name.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Applies `patch` to `files`.
pub fn apply(files: &mut Files, patch: &[u8]) -> Result<(), String> {
    let lines: Vec<&[u8]> = patch.split_inclusive(|&b| b == b'\n').collect();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with(b"--- ") {
            i += 1;
            continue;
        }
        let old = file_name(lines[i], b"--- ")?;
        let new = file_name(lines.get(i + 1).copied().unwrap_or_default(), b"+++ ")?;
        i += 2;
        let source: Vec<&[u8]> = match &old {
            None => Vec::new(),
            Some(name) => files
                .get(name)
                .ok_or_else(|| format!("the patch changes `{name}`, which the base does not have"))?
                .split_inclusive(|&b| b == b'\n')
                .collect(),
        };
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(header) = lines.get(i).filter(|l| l.starts_with(b"@@ ")) {
            let ((start, count), (_, new_count)) = hunk_header(header)?;
            // A hunk that removes nothing starts after its line; any other, at its line.
            let first = if count == 0 { start } else { start - 1 };
            if first < at || first > source.len() {
                return Err(format!(
                    "a hunk starts at line {start}, out of order or past the end"
                ));
            }
            out.extend(source[at..first].concat());
            at = first;
            i += 1;
            // The header's counts say where the hunk ends: a removed line may itself start
            // with `--`, like the next file's header.
            let (mut old_left, mut new_left) = (count, new_count);
            while old_left + new_left > 0 {
                let line = lines.get(i).copied().unwrap_or_default();
                let (tag, text) = match line.split_first() {
                    Some((b'\n', _)) => (b' ', &b"\n"[..]),
                    Some((&tag, text)) if matches!(tag, b' ' | b'-' | b'+') => (tag, text),
                    _ => return Err(format!("the hunk at line {start} ends early")),
                };
                if tag != b'+' {
                    let found = source.get(at).copied().unwrap_or_default();
                    if found != text || old_left == 0 {
                        return Err(format!(
                            "line {} of the base is `{}`, the patch expects `{}`",
                            at + 1,
                            String::from_utf8_lossy(found).trim_end(),
                            String::from_utf8_lossy(text).trim_end()
                        ));
                    }
                    at += 1;
                    old_left -= 1;
                }
                if tag != b'-' {
                    if new_left == 0 {
                        return Err(format!("the hunk at line {start} is longer than it says"));
                    }
                    out.extend_from_slice(text);
                    new_left -= 1;
                }
                i += 1;
            }
        }
        out.extend(source[at..].concat());
        match (old, new) {
            (Some(old), None) => {
                files.remove(&old);
            }
            (_, Some(new)) => {
                files.insert(new, out);
            }
            (None, None) => return Err("a patch from /dev/null to /dev/null".to_owned()),
        }
    }
    Ok(())
}

/// The file a `---` or `+++` line names, `None` for /dev/null.
fn file_name(line: &[u8], prefix: &[u8]) -> Result<Option<String>, String> {
    let rest = line.strip_prefix(prefix).ok_or_else(|| {
        format!(
            "expected a line starting `{}`",
            String::from_utf8_lossy(prefix)
        )
    })?;
    let text = String::from_utf8_lossy(rest);
    // `diff` may follow the name with a tab and a timestamp.
    let path = text.split('\t').next().unwrap_or_default().trim_end();
    if path == "/dev/null" {
        return Ok(None);
    }
    path.split_once('/')
        .map(|(_, name)| Some(name.to_owned()))
        .ok_or_else(|| format!("expected a path such as a/{path}, found `{path}`"))
}

/// A run of lines: its first line (1-based) and how many lines it has.
type Lines = (usize, usize);

/// The start line and line count of the old and the new file from `@@ -a,b +c,d @@`.
fn hunk_header(header: &[u8]) -> Result<(Lines, Lines), String> {
    let text = String::from_utf8_lossy(header);
    let malformed = || format!("malformed hunk header `{}`", text.trim_end());
    let range = |s: Option<&str>, sign: char| -> Result<Lines, String> {
        let s = s.and_then(|s| s.strip_prefix(sign)).ok_or_else(malformed)?;
        let (start, count) = s.split_once(',').unwrap_or((s, "1"));
        Ok((
            start.parse().map_err(|_| malformed())?,
            count.parse().map_err(|_| malformed())?,
        ))
    };
    let mut words = text.split_whitespace().skip(1);
    Ok((range(words.next(), '-')?, range(words.next(), '+')?))
}

#[test]
fn a_patch_edits_adds_and_empties_files() {
    let mut files = Files::new();
    files.insert("a.txt".into(), b"one\ntwo\nthree\n".to_vec());
    files.insert("b.txt".into(), b"x\ny\n".to_vec());
    let patch = b"# what it does\n\
        --- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n\
        --- a/b.txt\n+++ b/b.txt\n@@ -1,2 +0,0 @@\n-x\n-y\n\
        --- /dev/null\n+++ b/c.txt\n@@ -0,0 +1 @@\n+new\n";
    apply(&mut files, patch).unwrap();
    assert_eq!(files["a.txt"], b"one\n2\nthree\n");
    assert_eq!(files["b.txt"], b"");
    assert_eq!(files["c.txt"], b"new\n");
}

#[test]
fn a_patch_that_does_not_fit_the_base_is_refused() {
    let mut files = Files::new();
    files.insert("a.txt".into(), b"one\ntwo\n".to_vec());
    let err = apply(
        &mut files,
        b"--- a/a.txt\n+++ b/a.txt\n@@ -2 +2 @@\n-three\n+3\n",
    )
    .unwrap_err();
    assert!(err.contains("line 2 of the base is `two`"), "{err}");
}
