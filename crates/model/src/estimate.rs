//! Uncertain numbers: the estimate language and its validated distributions.
//!
//! Analysts write estimates the way Squiggle and Guesstimate do:
//!
//! | text | meaning |
//! |---|---|
//! | `12` | a point value |
//! | `5 to 30` | a 90% interval: lognormal with p5 = 5 and p95 = 30 when both bounds are positive, normal otherwise |
//! | `normal(mean, sd)` | normal |
//! | `lognormal(mu, sigma)` | lognormal; `mu` and `sigma` of `ln x` |
//! | `uniform(a, b)` | uniform on `[a, b]` |
//! | `loguniform(a, b)` | log-uniform on `[a, b]`, `0 < a < b` |
//! | `beta(a, b)` | beta with shape parameters `a`, `b` |
//! | `triangular(low, mode, high)` | triangular |
//!
//! [`Estimate::parse`] returns either a distribution that is valid by construction or an
//! [`EstimateError`] that points at the offending characters.

use std::fmt;
use std::ops::Range;

use serde::{Serialize, Serializer};

use crate::special;

/// The standard normal quantile at 0.95, so a 90% interval spans `2 * Z95` standard deviations.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// The family and parameters of an uncertain number: what an estimate's text means as a
/// probability distribution (or a point value), one variant per form of the estimate
/// language. Its [`quantile`] function gives any percentile in closed form (beta numerically),
/// and the simulation samples it by drawing a uniform probability and taking that quantile.
///
/// A `Distribution` is plain data: any parameters can be written into a variant, NaN and
/// impossible ones (`sd <= 0`, `low >= high`) included. Only through an [`Estimate`]
/// ([`Estimate::parse`], [`Estimate::point`], [`Estimate::from_distribution`], each of which
/// rejects NaN, infinities, impossible parameters and quantiles that overflow) is a
/// distribution known to be valid, so the stages take estimates, not bare distributions.
/// The set of families may grow with the estimate language.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Distribution {
    /// A known value.
    Point(f64),
    /// Normal with the given mean and standard deviation (`sd > 0`).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Lognormal: `ln x` is normal with mean `mu` and standard deviation `sigma > 0`.
    LogNormal {
        /// Mean of `ln x`.
        mu: f64,
        /// Standard deviation of `ln x`.
        sigma: f64,
    },
    /// Uniform on `[low, high]`, `low < high`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Log-uniform on `[low, high]`, `0 < low < high`.
    LogUniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Beta with shape parameters `alpha > 0` and `beta > 0`.
    Beta {
        /// First shape parameter.
        alpha: f64,
        /// Second shape parameter.
        beta: f64,
    },
    /// Triangular on `[low, high]` with the given mode, `low <= mode <= high`, `low < high`.
    Triangular {
        /// Lower bound.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        high: f64,
    },
}

/// An uncertain number: a [`Distribution`] whose parameters were checked, and the text it
/// was written as (which outputs show and serialisation writes). Its quantiles, median and
/// 90% interval are finite numbers by construction.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    dist: Distribution,
    text: String,
}

/// Why an estimate's text could not be turned into a distribution.
///
/// `span` is a byte range into the estimate's text, so a caller that knows where the text
/// sits in its file can point at the exact characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EstimateError {
    /// What is wrong, phrased as "expected X, found Y" where possible.
    pub message: String,
    /// The offending bytes within the estimate's text.
    pub span: Range<usize>,
    /// A suggestion, when one helps.
    pub hint: Option<String>,
}

impl EstimateError {
    fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            message: message.into(),
            span,
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

const FORMS: &str = "a number (`12`), an interval (`5 to 30`), or one of normal(mean, sd), \
lognormal(mu, sigma), uniform(a, b), loguniform(a, b), beta(a, b), triangular(low, mode, high)";

impl Estimate {
    /// Parses the estimate language (see the module documentation).
    pub fn parse(text: &str) -> Result<Self, EstimateError> {
        let dist = Parser::new(text).estimate()?;
        representable(&dist, text)?;
        Ok(Self {
            dist,
            text: text.trim().to_owned(),
        })
    }

    /// A point value. Fails on NaN or infinity.
    pub fn point(value: f64) -> Result<Self, EstimateError> {
        if !value.is_finite() {
            return Err(EstimateError::new(
                format!("expected a finite number, found {value}"),
                0..0,
            ));
        }
        Ok(Self {
            dist: Distribution::Point(value),
            text: format_number(value),
        })
    }

    /// Builds an estimate from a distribution, validating its parameters.
    pub fn from_distribution(dist: Distribution) -> Result<Self, EstimateError> {
        let text = describe(&dist);
        let parsed = Self::parse(&text)?;
        // Re-parsing the canonical text runs every check of the parser.
        debug_assert_eq!(parsed.dist, dist);
        Ok(Self { dist, text })
    }

    /// The distribution.
    pub fn distribution(&self) -> &Distribution {
        &self.dist
    }

    /// The text the estimate was written as (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True for a point value: no uncertainty.
    pub fn is_point(&self) -> bool {
        matches!(self.dist, Distribution::Point(_))
    }

    /// The quantile function (inverse CDF) at probability `p` in `[0, 1]`.
    ///
    /// Exact closed forms for every family but beta, which is inverted numerically to within
    /// a few ulps. `p` outside `[0, 1]` is clamped; unbounded families return infinities at 0
    /// and 1.
    pub fn quantile(&self, p: f64) -> f64 {
        quantile(&self.dist, p)
    }

    /// The median.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// The central value used where one number stands for the estimate (trend fits, tables):
    /// the median.
    pub fn central(&self) -> f64 {
        self.median()
    }

    /// The 5th and 95th percentiles.
    pub fn interval90(&self) -> (f64, f64) {
        (self.quantile(0.05), self.quantile(0.95))
    }

    /// The smallest and largest values the distribution can take (possibly infinite).
    pub fn support(&self) -> (f64, f64) {
        match self.dist {
            Distribution::Point(v) => (v, v),
            Distribution::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Distribution::LogNormal { .. } => (0.0, f64::INFINITY),
            Distribution::Uniform { low, high }
            | Distribution::LogUniform { low, high }
            | Distribution::Triangular { low, high, .. } => (low, high),
            Distribution::Beta { .. } => (0.0, 1.0),
        }
    }

    /// True when every value the distribution can take is strictly positive, as a multiplier
    /// requires. A lognormal's support is `(0, inf)`, so it counts as positive.
    pub fn is_strictly_positive(&self) -> bool {
        match self.dist {
            Distribution::LogNormal { .. }
            | Distribution::LogUniform { .. }
            | Distribution::Beta { .. } => true,
            _ => self.support().0 > 0.0,
        }
    }
}

impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Estimate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// The quantile function of a distribution; see [`Estimate::quantile`].
pub fn quantile(dist: &Distribution, p: f64) -> f64 {
    let p = if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) };
    match *dist {
        Distribution::Point(v) => v,
        Distribution::Normal { mean, sd } => mean + sd * special::norm_ppf(p),
        Distribution::LogNormal { mu, sigma } => libm::exp(mu + sigma * special::norm_ppf(p)),
        Distribution::Uniform { low, high } => low + p * (high - low),
        Distribution::LogUniform { low, high } => {
            let (a, b) = (libm::log(low), libm::log(high));
            // exp(log(x)) need not return x: the ends of the support come back exactly.
            if p <= 0.0 {
                low
            } else if p >= 1.0 {
                high
            } else {
                libm::exp(a + p * (b - a)).clamp(low, high)
            }
        }
        Distribution::Beta { alpha, beta } => special::beta_ppf(p, alpha, beta),
        Distribution::Triangular { low, mode, high } => {
            let width = high - low;
            let f_mode = (mode - low) / width;
            if p <= f_mode {
                low + (p * width * (mode - low)).sqrt()
            } else {
                high - ((1.0 - p) * width * (high - mode)).sqrt()
            }
        }
    }
}

/// Rejects a distribution whose parameters or central quantiles overflow `f64` (for example
/// `lognormal(800, 1)`, or an interval wider than the largest float), so every estimate has a
/// finite median and 90% interval.
fn representable(dist: &Distribution, text: &str) -> Result<(), EstimateError> {
    let params_finite = match *dist {
        Distribution::Point(v) => v.is_finite(),
        Distribution::Normal { mean: a, sd: b }
        | Distribution::LogNormal { mu: a, sigma: b }
        | Distribution::Uniform { low: a, high: b }
        | Distribution::LogUniform { low: a, high: b }
        | Distribution::Beta { alpha: a, beta: b } => a.is_finite() && b.is_finite(),
        Distribution::Triangular { low, mode, high } => {
            low.is_finite() && mode.is_finite() && high.is_finite() && (high - low).is_finite()
        }
    };
    let quantiles = [0.05, 0.5, 0.95].map(|p| quantile(dist, p));
    if params_finite && quantiles.iter().all(|q| q.is_finite()) {
        return Ok(());
    }
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    Err(EstimateError::new(
        format!(
            "expected an estimate whose median and 90% interval are finite numbers, found `{}`, \
             which overflows",
            text.trim()
        ),
        start..end,
    )
    .with_hint("use smaller numbers: the values must stay below about 1.8e308"))
}

/// The lognormal whose 5th and 95th percentiles are `low` and `high` (`0 < low < high`), as
/// `(mu, sigma)` of `ln x`.
pub fn lognormal_from_interval90(low: f64, high: f64) -> (f64, f64) {
    let (a, b) = (libm::log(low), libm::log(high));
    (f64::midpoint(a, b), (b - a) / (2.0 * Z95))
}

/// The normal whose 5th and 95th percentiles are `low` and `high` (`low < high`), as
/// `(mean, sd)`.
pub fn normal_from_interval90(low: f64, high: f64) -> (f64, f64) {
    (f64::midpoint(low, high), (high - low) / (2.0 * Z95))
}

fn describe(dist: &Distribution) -> String {
    let n = format_number;
    match *dist {
        Distribution::Point(v) => n(v),
        Distribution::Normal { mean, sd } => format!("normal({}, {})", n(mean), n(sd)),
        Distribution::LogNormal { mu, sigma } => format!("lognormal({}, {})", n(mu), n(sigma)),
        Distribution::Uniform { low, high } => format!("uniform({}, {})", n(low), n(high)),
        Distribution::LogUniform { low, high } => format!("loguniform({}, {})", n(low), n(high)),
        Distribution::Beta { alpha, beta } => format!("beta({}, {})", n(alpha), n(beta)),
        Distribution::Triangular { low, mode, high } => {
            format!("triangular({}, {}, {})", n(low), n(mode), n(high))
        }
    }
}

/// A number for a sentence: at least three significant digits, plain notation between 0.001
/// and 10,000, scientific outside (`0.0412`, `1.23e-4`). The one implementation, used by the
/// report's words (render) and the trend fits' diagnostics alike.
pub fn sentence_number(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        return "0".to_owned();
    }
    if !(1e-3..1e4).contains(&a) {
        return format!("{v:.2e}");
    }
    let magnitude = libm::floor(libm::log10(a)) as i32;
    let decimals = (2 - magnitude).max(0) as usize;
    format!("{v:.decimals$}")
}

/// Formats a number the way the estimate language reads it back exactly (shortest round-trip).
pub fn format_number(v: f64) -> String {
    format!("{v}")
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    /// The span of the next token, for error messages: a run of non-space characters.
    fn next_token_span(&self) -> Range<usize> {
        let rest = &self.text[self.pos..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| c.is_whitespace() || (i > 0 && matches!(c, ',' | ')' | '(')))
            .map_or(rest.len(), |(i, _)| i);
        let len = if len == 0 {
            rest.chars().next().map_or(0, char::len_utf8)
        } else {
            len
        };
        self.pos..self.pos + len
    }

    fn found(&self) -> String {
        let span = self.next_token_span();
        if span.is_empty() {
            "the end of the estimate".to_owned()
        } else {
            format!("`{}`", &self.text[span])
        }
    }

    fn estimate(&mut self) -> Result<Distribution, EstimateError> {
        self.skip_ws();
        if self.pos == self.text.len() {
            return Err(EstimateError::new(
                "expected an estimate, found an empty string",
                0..self.text.len(),
            )
            .with_hint(format!("write {FORMS}")));
        }
        let dist = match self.peek() {
            Some(c) if c.is_ascii_alphabetic() => self.function()?,
            _ => {
                let (first, first_span) = self.number()?;
                self.skip_ws();
                if self.text[self.pos..].starts_with("to")
                    && self.text[self.pos + 2..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
                {
                    self.pos += 2;
                    self.skip_ws();
                    let (second, second_span) = self.number()?;
                    interval(first, first_span, second, second_span)?
                } else if self.pos == self.text.len() {
                    Distribution::Point(first)
                } else {
                    return Err(EstimateError::new(
                        format!(
                            "expected `to` or the end of the estimate, found {}",
                            self.found()
                        ),
                        self.next_token_span(),
                    )
                    .with_hint("an interval is written `low to high`, for example `5 to 30`"));
                }
            }
        };
        self.skip_ws();
        if self.pos != self.text.len() {
            return Err(EstimateError::new(
                format!("expected the end of the estimate, found {}", self.found()),
                self.pos..self.text.len(),
            ));
        }
        Ok(dist)
    }

    fn number(&mut self) -> Result<(f64, Range<usize>), EstimateError> {
        self.skip_ws();
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut end = start;
        if end < bytes.len() && matches!(bytes[end], b'+' | b'-') {
            end += 1;
        }
        let digits_start = end;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'_') {
            end += 1;
        }
        if end < bytes.len() && bytes[end] == b'.' {
            end += 1;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'_') {
                end += 1;
            }
        }
        let mantissa = &self.text[digits_start..end];
        if !mantissa.bytes().any(|b| b.is_ascii_digit()) {
            return Err(EstimateError::new(
                format!("expected a number, found {}", self.found()),
                self.next_token_span(),
            )
            .with_hint(format!("write {FORMS}")));
        }
        if end < bytes.len() && matches!(bytes[end], b'e' | b'E') {
            let mut e = end + 1;
            if e < bytes.len() && matches!(bytes[e], b'+' | b'-') {
                e += 1;
            }
            let exp_digits = e;
            while e < bytes.len() && bytes[e].is_ascii_digit() {
                e += 1;
            }
            if e > exp_digits {
                end = e;
            }
        }
        // A number glued to letters (`5x`, `3k`) is a typo, not a number followed by a word.
        if end < bytes.len() && (bytes[end].is_ascii_alphabetic() || bytes[end] == b'%') {
            let mut bad_end = end;
            while bad_end < bytes.len() && bytes[bad_end].is_ascii_alphanumeric() {
                bad_end += 1;
            }
            let bad_end = bad_end.max(end + 1);
            return Err(EstimateError::new(
                format!(
                    "expected a number, found `{}`",
                    &self.text[start..bad_end.min(self.text.len())]
                ),
                end..bad_end.min(self.text.len()),
            )
            .with_hint("write plain numbers: `5` rather than `5x`, `0.3` rather than `30%`"));
        }
        let literal: String = self.text[start..end]
            .chars()
            .filter(|&c| c != '_')
            .collect();
        let value: f64 = literal.parse().map_err(|_| {
            EstimateError::new(
                format!("expected a number, found `{}`", &self.text[start..end]),
                start..end,
            )
        })?;
        if !value.is_finite() {
            return Err(EstimateError::new(
                format!(
                    "expected a finite number, found `{}`",
                    &self.text[start..end]
                ),
                start..end,
            ));
        }
        self.pos = end;
        Ok((value, start..end))
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one match over the distribution names reads best in one place"
    )]
    fn function(&mut self) -> Result<Distribution, EstimateError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        let name_span = start..self.pos;
        let name = &self.text[name_span.clone()];
        let arity = match name {
            "normal" | "lognormal" | "uniform" | "loguniform" | "beta" => 2,
            "triangular" => 3,
            _ => {
                let known = [
                    "normal",
                    "lognormal",
                    "uniform",
                    "loguniform",
                    "beta",
                    "triangular",
                ];
                let mut err = EstimateError::new(
                    format!("expected a number or a distribution name, found `{name}`"),
                    name_span,
                );
                err = match crate::diagnostic::did_you_mean(name, known) {
                    Some(s) => err.with_hint(format!("did you mean `{s}`?")),
                    None => err.with_hint(format!("write {FORMS}")),
                };
                return Err(err);
            }
        };
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(EstimateError::new(
                format!("expected `(` after `{name}`, found {}", self.found()),
                self.next_token_span(),
            ));
        }
        self.pos += 1;
        let mut args = Vec::with_capacity(arity);
        let mut spans = Vec::with_capacity(arity);
        for i in 0..arity {
            let (v, s) = self.number()?;
            args.push(v);
            spans.push(s);
            self.skip_ws();
            let want = if i + 1 == arity { ')' } else { ',' };
            if self.peek() == Some(want) {
                self.pos += 1;
            } else {
                let what = if want == ')' {
                    format!("`)`: {name} takes {arity} arguments")
                } else {
                    "`,`".to_owned()
                };
                return Err(EstimateError::new(
                    format!("expected {what}, found {}", self.found()),
                    self.next_token_span(),
                ));
            }
        }
        let all = |i: usize, j: usize| spans[i].start..spans[j].end;
        match name {
            "normal" => {
                positive(args[1], &spans[1], "the standard deviation")?;
                Ok(Distribution::Normal {
                    mean: args[0],
                    sd: args[1],
                })
            }
            "lognormal" => {
                positive(args[1], &spans[1], "sigma")?;
                Ok(Distribution::LogNormal {
                    mu: args[0],
                    sigma: args[1],
                })
            }
            "uniform" => {
                ordered(args[0], args[1], all(0, 1))?;
                Ok(Distribution::Uniform {
                    low: args[0],
                    high: args[1],
                })
            }
            "loguniform" => {
                positive(args[0], &spans[0], "the lower bound of a loguniform")?;
                ordered(args[0], args[1], all(0, 1))?;
                Ok(Distribution::LogUniform {
                    low: args[0],
                    high: args[1],
                })
            }
            "beta" => {
                positive(args[0], &spans[0], "the first shape parameter")?;
                positive(args[1], &spans[1], "the second shape parameter")?;
                Ok(Distribution::Beta {
                    alpha: args[0],
                    beta: args[1],
                })
            }
            _ => {
                let (low, mode, high) = (args[0], args[1], args[2]);
                if low >= high {
                    return Err(EstimateError::new(
                        format!(
                            "expected low < high, found low {} and high {}",
                            format_number(low),
                            format_number(high)
                        ),
                        all(0, 2),
                    ));
                }
                if !(low <= mode && mode <= high) {
                    return Err(EstimateError::new(
                        format!(
                            "expected the mode between low and high, found {} outside [{}, {}]",
                            format_number(mode),
                            format_number(low),
                            format_number(high)
                        ),
                        spans[1].clone(),
                    ));
                }
                Ok(Distribution::Triangular { low, mode, high })
            }
        }
    }
}

fn positive(v: f64, span: &Range<usize>, what: &str) -> Result<(), EstimateError> {
    if v > 0.0 {
        Ok(())
    } else {
        Err(EstimateError::new(
            format!(
                "expected {what} to be greater than 0, found {}",
                format_number(v)
            ),
            span.clone(),
        ))
    }
}

fn ordered(low: f64, high: f64, span: Range<usize>) -> Result<(), EstimateError> {
    if low < high {
        Ok(())
    } else {
        Err(EstimateError::new(
            format!(
                "expected low < high, found low {} and high {}",
                format_number(low),
                format_number(high)
            ),
            span,
        )
        .with_hint(if low > high {
            "swap the bounds".to_owned()
        } else {
            "for a known value write the number alone".to_owned()
        }))
    }
}

fn interval(
    low: f64,
    low_span: Range<usize>,
    high: f64,
    high_span: Range<usize>,
) -> Result<Distribution, EstimateError> {
    ordered(low, high, low_span.start..high_span.end)?;
    if low > 0.0 {
        let (mu, sigma) = lognormal_from_interval90(low, high);
        Ok(Distribution::LogNormal { mu, sigma })
    } else {
        let (mean, sd) = normal_from_interval90(low, high);
        Ok(Distribution::Normal { mean, sd })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, ULPS, assert_close};

    fn parse(s: &str) -> Distribution {
        *Estimate::parse(s).unwrap().distribution()
    }

    fn err(s: &str) -> EstimateError {
        Estimate::parse(s).unwrap_err()
    }

    #[test]
    fn point_values_parse_with_signs_exponents_and_underscores() {
        assert_eq!(parse("12"), Distribution::Point(12.0));
        assert_eq!(parse("  -0.5 "), Distribution::Point(-0.5));
        assert_eq!(parse("1e3"), Distribution::Point(1000.0));
        assert_eq!(parse("1_000"), Distribution::Point(1000.0));
        assert_eq!(parse(".5"), Distribution::Point(0.5));
    }

    #[test]
    fn positive_interval_is_lognormal_with_bounds_at_p5_and_p95() {
        let e = Estimate::parse("5 to 30").unwrap();
        assert!(matches!(e.distribution(), Distribution::LogNormal { .. }));
        let (lo, hi) = e.interval90();
        assert_close!(lo, 5.0, ROUNDING);
        assert_close!(hi, 30.0, ROUNDING);
        assert_close!(e.median(), (150.0f64).sqrt(), ROUNDING);
    }

    #[test]
    fn interval_touching_zero_is_normal() {
        let e = Estimate::parse("-0.1 to 0.5").unwrap();
        assert!(matches!(e.distribution(), Distribution::Normal { .. }));
        let (lo, hi) = e.interval90();
        assert_close!(lo, -0.1, ROUNDING);
        assert_close!(hi, 0.5, ROUNDING);
        assert!(matches!(parse("0 to 1"), Distribution::Normal { .. }));
    }

    #[test]
    fn every_named_form_parses() {
        assert_eq!(
            parse("normal(1, 2)"),
            Distribution::Normal { mean: 1.0, sd: 2.0 }
        );
        assert_eq!(
            parse("lognormal(0, 1)"),
            Distribution::LogNormal {
                mu: 0.0,
                sigma: 1.0
            }
        );
        assert_eq!(
            parse("uniform(0.3,0.9)"),
            Distribution::Uniform {
                low: 0.3,
                high: 0.9
            }
        );
        assert_eq!(
            parse("loguniform( 1 , 100 )"),
            Distribution::LogUniform {
                low: 1.0,
                high: 100.0
            }
        );
        assert_eq!(
            parse("beta(2, 5)"),
            Distribution::Beta {
                alpha: 2.0,
                beta: 5.0
            }
        );
        assert_eq!(
            parse("triangular(0, 1, 4)"),
            Distribution::Triangular {
                low: 0.0,
                mode: 1.0,
                high: 4.0
            }
        );
    }

    #[test]
    fn low_above_high_is_rejected_with_a_span_over_both_bounds() {
        let e = err("30 to 5");
        assert!(e.message.contains("expected low < high"), "{}", e.message);
        assert_eq!(e.span, 0..7);
        let e = err("uniform(3, 1)");
        assert_eq!(e.span, 8..12);
    }

    #[test]
    fn malformed_text_points_at_the_character() {
        let e = err("5 to x");
        assert_eq!(e.span, 5..6);
        assert_eq!(e.message, "expected a number, found `x`");
        let e = err("5x");
        assert_eq!(e.span, 1..2);
        let e = err("lognormal(1 2)");
        assert_eq!(e.span, 12..13);
        let e = err("normall(1, 2)");
        assert_eq!(e.span, 0..7);
        assert_eq!(e.hint.as_deref(), Some("did you mean `normal`?"));
        let e = err("normal(1, 2) extra");
        assert_eq!(e.span, 13..18);
        let e = err("");
        assert!(e.message.contains("empty"));
        let e = err("5 too 30");
        assert_eq!(e.span, 2..5);
    }

    #[test]
    fn impossible_parameters_are_rejected() {
        assert!(err("normal(0, 0)").message.contains("standard deviation"));
        assert!(err("normal(0, -1)").message.contains("greater than 0"));
        assert!(err("lognormal(0, 0)").message.contains("sigma"));
        assert!(err("loguniform(0, 5)").message.contains("loguniform"));
        assert!(err("beta(0, 1)").message.contains("shape"));
        assert!(err("triangular(0, 5, 4)").message.contains("mode"));
        assert!(err("triangular(4, 4, 4)").message.contains("low < high"));
        assert!(err("5 to 5").message.contains("low < high"));
        assert!(err("1e999").message.contains("finite"));
        assert!(err("nan").message.contains("expected a number"));
        assert!(err("inf").message.contains("expected a number"));
    }

    #[test]
    fn triangular_and_uniform_quantiles_are_exact() {
        let t = Estimate::parse("triangular(0, 1, 4)").unwrap();
        assert_close!(t.quantile(0.25), 1.0, ULPS);
        assert_close!(t.quantile(1.0), 4.0, ULPS);
        let u = Estimate::parse("uniform(2, 4)").unwrap();
        assert_close!(u.quantile(0.5), 3.0, ULPS);
        let l = Estimate::parse("loguniform(1, 100)").unwrap();
        assert_close!(l.quantile(0.5), 10.0, ROUNDING);
    }

    #[test]
    fn from_distribution_round_trips_through_text() {
        let d = Distribution::Triangular {
            low: 0.1,
            mode: 0.2,
            high: 0.7,
        };
        let e = Estimate::from_distribution(d).unwrap();
        assert_eq!(e.text(), "triangular(0.1, 0.2, 0.7)");
        assert!(
            Estimate::from_distribution(Distribution::Normal {
                mean: 0.0,
                sd: -1.0
            })
            .is_err()
        );
        assert!(Estimate::point(f64::NAN).is_err());
    }

    #[test]
    fn positivity_follows_the_support() {
        assert!(Estimate::parse("2 to 3").unwrap().is_strictly_positive());
        assert!(!Estimate::parse("0 to 3").unwrap().is_strictly_positive());
        assert!(
            !Estimate::parse("normal(5, 1)")
                .unwrap()
                .is_strictly_positive()
        );
        assert!(
            Estimate::parse("uniform(1, 2)")
                .unwrap()
                .is_strictly_positive()
        );
        assert!(!Estimate::parse("0").unwrap().is_strictly_positive());
    }
}
