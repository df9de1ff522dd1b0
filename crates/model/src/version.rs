//! [`Version`]: the semantic version of a report, and [`VersionError`], which part of a
//! malformed one is wrong.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// A semantic version (semver 2.0.0) `MAJOR.MINOR.PATCH` with optional pre-release and build
/// metadata: the version of a report's content, which names its output folder
/// (`report/v0.1.0/`) and orders the published versions by [`Version::precedence`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version(String);

/// Why a text is not a semantic version: the part that is wrong. Every variant reads the same
/// to a user (what a version looks like, and the text found); the variant says which rule of
/// semver 2.0.0 the text breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// The core is not three dot-separated numbers without leading zeros (`0.1`, `v0.1.0`,
    /// `01.1.0`).
    #[error("expected a semantic version MAJOR.MINOR.PATCH such as `0.1.0`, found `{found}`")]
    Core {
        /// The text as given.
        found: String,
    },
    /// The pre-release after `-` is empty or has an empty or non-alphanumeric identifier.
    #[error("expected a semantic version MAJOR.MINOR.PATCH such as `0.1.0`, found `{found}`")]
    PreRelease {
        /// The text as given.
        found: String,
    },
    /// The build metadata after `+` is empty or has an empty or non-alphanumeric identifier.
    #[error("expected a semantic version MAJOR.MINOR.PATCH such as `0.1.0`, found `{found}`")]
    Build {
        /// The text as given.
        found: String,
    },
}

impl Version {
    /// Parses a semantic version (semver 2.0.0), rejecting leading zeros and a `v` prefix.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let found = || text.to_owned();
        let (core, rest) = match text.find(['-', '+']) {
            Some(i) => (&text[..i], &text[i..]),
            None => (text, ""),
        };
        let numbers: Vec<&str> = core.split('.').collect();
        let numeric_ok = |n: &str| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && (n == "0" || !n.starts_with('0'))
        };
        if numbers.len() != 3 || !numbers.iter().all(|n| numeric_ok(n)) {
            return Err(VersionError::Core { found: found() });
        }
        let ident_ok = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|id| {
                    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        };
        let (pre, build) = match rest.find('+') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        if let Some(pre) = pre.strip_prefix('-') {
            if !ident_ok(pre) {
                return Err(VersionError::PreRelease { found: found() });
            }
        } else if !pre.is_empty() {
            return Err(VersionError::Core { found: found() });
        }
        if build.is_some_and(|b| !ident_ok(b)) {
            return Err(VersionError::Build { found: found() });
        }
        Ok(Self(text.to_owned()))
    }

    /// The version text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Semantic-version precedence (semver 2.0.0 section 11): numbers compare numerically, a
    /// pre-release comes before its release, and build metadata is ignored.
    pub fn precedence(&self, other: &Version) -> Ordering {
        fn parts(v: &str) -> (Vec<u64>, Option<Vec<&str>>) {
            let core_end = v.find('+').unwrap_or(v.len());
            let v = &v[..core_end];
            let (core, pre) = match v.find('-') {
                Some(i) => (&v[..i], Some(v[i + 1..].split('.').collect())),
                None => (v, None),
            };
            (
                core.split('.').map(|n| n.parse().unwrap_or(0)).collect(),
                pre,
            )
        }
        fn ident(a: &str, b: &str) -> Ordering {
            match (a.parse::<u64>(), b.parse::<u64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                (Ok(_), Err(_)) => Ordering::Less,
                (Err(_), Ok(_)) => Ordering::Greater,
                (Err(_), Err(_)) => a.cmp(b),
            }
        }
        let (ca, pa) = parts(&self.0);
        let (cb, pb) = parts(&other.0);
        ca.cmp(&cb).then_with(|| match (pa, pb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(a), Some(b)) => a
                .iter()
                .zip(&b)
                .map(|(x, y)| ident(x, y))
                .find(|o| o.is_ne())
                .unwrap_or_else(|| a.len().cmp(&b.len())),
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_by_semver_precedence() {
        let v = |s: &str| Version::parse(s).unwrap();
        let ordered = [
            "0.1.0-alpha",
            "0.1.0-alpha.1",
            "0.1.0-alpha.beta",
            "0.1.0-beta.2",
            "0.1.0-beta.11",
            "0.1.0",
            "0.1.1",
            "0.2.0",
            "0.10.0",
            "1.0.0",
        ];
        for w in ordered.windows(2) {
            assert_eq!(v(w[0]).precedence(&v(w[1])), Ordering::Less, "{w:?}");
            assert_eq!(v(w[1]).precedence(&v(w[0])), Ordering::Greater, "{w:?}");
        }
        assert_eq!(v("0.1.0+a").precedence(&v("0.1.0")), Ordering::Equal);
    }

    #[test]
    fn versions_follow_semver() {
        for ok in [
            "0.1.0",
            "1.2.3",
            "10.20.30",
            "1.0.0-rc.1",
            "1.0.0+build.5",
            "1.0.0-alpha+x",
        ] {
            assert!(Version::parse(ok).is_ok(), "{ok}");
        }
        let core = |s: &str| VersionError::Core {
            found: s.to_owned(),
        };
        for bad in [
            "0.1", "v0.1.0", "01.1.0", "1.2.3.4", "1.2.x", "", "1.0.0~rc",
        ] {
            assert_eq!(Version::parse(bad), Err(core(bad)), "{bad}");
        }
        for bad in ["1.0.0-", "1.0.0-a..b", "1.0.0-a_b"] {
            let found = bad.to_owned();
            assert_eq!(Version::parse(bad), Err(VersionError::PreRelease { found }));
        }
        for bad in ["1.0.0+", "1.0.0-rc+x.", "1.0.0+é"] {
            let found = bad.to_owned();
            assert_eq!(Version::parse(bad), Err(VersionError::Build { found }));
        }
        assert_eq!(
            Version::parse("v0.1.0").unwrap_err().to_string(),
            "expected a semantic version MAJOR.MINOR.PATCH such as `0.1.0`, found `v0.1.0`"
        );
    }
}
