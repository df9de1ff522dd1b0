//! Numbers as people read them: the one place that formats multipliers, probabilities, months,
//! dates and counts for every output (the PDF, summary.md, the terminal and `diff`), so no two
//! outputs ever round a figure differently.

use overhang_model::changes::{FONTS, Value};
use overhang_model::load::ASSESSMENT_FILE;
use overhang_model::results::MetricUnit;
use overhang_model::{Censoring, Date, InputChange};

/// A multiplier as people write it: `3.1x`, `23x`, `1,200x`.
pub fn mult(x: f64) -> String {
    format!("{}x", number(x))
}

/// A multiplier that may be a bound: `14x`, `>= 14x`, `<= 0.8x`.
pub fn bounded_mult(x: f64, censoring: Censoring) -> String {
    match censoring {
        Censoring::None => mult(x),
        c => format!("{} {}", c.operator(), mult(x)),
    }
}

/// A training compute (FLOP or parameters) in scientific notation: `6.2e10`, `1e21`.
pub fn compute(x: f64) -> String {
    format!("{x:.1e}").replace(".0e", "e")
}

/// A threshold's multiplier as written in policies: `4x`, `2.5x`.
pub fn threshold_mult(m: f64) -> String {
    if m.is_finite() && m.fract() == 0.0 && m.abs() < 1e6 {
        format!("{m:.0}x")
    } else if m.is_finite() && m.abs() < 10.0 && (m * 10.0).fract() == 0.0 {
        format!("{m:.1}x")
    } else {
        mult(m)
    }
}

/// A composability weight such as kappa: two decimals (`0.50`, `1.30`, `-0.20`).
pub fn kappa(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".to_owned() } else { s }
}

/// A positive number with two significant figures (one decimal below 10).
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    if x != 0.0 && x.abs() < 0.95 {
        // Below 1, two significant figures: 0.01, 0.0044, 0.52; a value that rounds up to the
        // next power of ten takes that power's decimals (0.0996 as 0.10, not 0.100).
        let mut magnitude = libm::floor(libm::log10(x.abs()));
        if libm::round(x.abs() / libm::pow(10.0, magnitude - 1.0)) >= 100.0 {
            magnitude += 1.0;
        }
        let decimals = (1.0 - magnitude).clamp(1.0, 12.0) as usize;
        return format!("{x:.decimals$}");
    }
    // One decimal below 10, judged after rounding: 9.96 is `10`, as 15 is `15`, not `10.0`.
    if libm::round(x.abs() * 10.0) < 100.0 {
        let s = format!("{x:.1}");
        // "-0.0" reads as a typo.
        return if s == "-0.0" { "0.0".to_owned() } else { s };
    }
    if libm::round(x.abs()) < 100.0 {
        return format!("{x:.0}");
    }
    // Two significant figures, written in full with thousands separators.
    let magnitude = libm::floor(libm::log10(x.abs()));
    let unit = libm::pow(10.0, magnitude - 1.0);
    let rounded = libm::round(x / unit) * unit;
    group_thousands(&format!("{rounded:.0}"))
}

/// Digits with a comma every three places: `1234567` as `1,234,567`.
pub fn group_thousands(digits: &str) -> String {
    let (sign, digits) = digits
        .strip_prefix('-')
        .map_or(("", digits), |rest| ("-", rest));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// A probability as a whole percentage, never rounding a possibility to 0% or 100%; the
/// extremes in words ("more than 99%"), which read the same pasted as plain text or Markdown.
pub fn pct(p: f64) -> String {
    if !p.is_finite() {
        return "n/a".to_owned();
    }
    if p <= 0.0 {
        return "0%".to_owned();
    }
    if p >= 1.0 {
        return "100%".to_owned();
    }
    if p < 0.005 {
        return "less than 1%".to_owned();
    }
    if p > 0.995 {
        return "more than 99%".to_owned();
    }
    format!("{:.0}%", p * 100.0)
}

/// A number from 0 to 99 in words, capitalised; larger numbers as digits.
pub fn number_words(n: u32) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let words = match n {
        0..=19 => ONES[n as usize].to_owned(),
        20..=99 if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_owned(),
        20..=99 => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
        _ => return n.to_string(),
    };
    capitalise(&words)
}

/// "12 months", "1 month".
pub fn months_phrase(m: u32) -> String {
    if m == 1 {
        "1 month".to_owned()
    } else {
        format!("{m} months")
    }
}

/// A full calendar date `YYYY-MM-DD` as (year, month, day), by the model's date rules.
pub fn parse_date(date: &str) -> Option<(i32, u8, u8)> {
    let d = Date::parse(date).ok()?;
    d.day.map(|day| (d.year, d.month, day))
}

/// A full date spelled out: `26 November 2026`; anything else as written.
pub fn date_long(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    parse_date(date).map_or_else(
        || date.to_owned(),
        |(y, m, d)| format!("{d} {} {y}", MONTHS[usize::from(m - 1)]),
    )
}

/// "A", "A and B", "A, B and C".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A headline number formatted as its unit asks; a dash when it is missing.
pub fn metric_value(unit: MetricUnit, v: Option<f64>) -> String {
    match (unit, v) {
        (_, None) => "–".to_owned(),
        (MetricUnit::Multiplier, Some(x)) => mult(x),
        (MetricUnit::Probability, Some(p)) => pct(p),
        (MetricUnit::OomPerYear, Some(x)) => format!("{x:.2} OOM/year"),
        (MetricUnit::Months, Some(m)) if m >= 0.0 => months_phrase(libm::round(m) as u32),
        (MetricUnit::Months, Some(m)) => format!("{m} months"),
    }
}

pub use overhang_model::estimate::sentence_number;

/// A value for reviewing a change (`diff`): four significant figures, so small movements show.
pub fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = 3 - libm::floor(libm::log10(v.abs())) as i32;
    let decimals = digits.clamp(0, 6) as usize;
    format!("{v:.decimals$}")
}

/// A change for reviewing: [`significant`] with its sign, `+0` for none.
pub fn signed_significant(c: f64) -> String {
    if c >= 0.0 {
        format!("+{}", significant(c))
    } else {
        significant(c)
    }
}

/// A relative change in percent with its sign and one decimal: `+12.5%`.
pub fn percent_change(p: f64) -> String {
    format!("{p:+.1}%")
}

/// A count in words with its noun: "one input", "three inputs".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    let count = u32::try_from(n).map_or_else(|_| n.to_string(), |n| number_words(n).to_lowercase());
    format!("{count} {word}")
}

/// What an input change is about: `assessment.toml, categories.tool_use.available` (a table of
/// assessment.toml and its key), `enhancements.csv, row lats, ceg` (a row of a table and its
/// column), `fonts/Serif.ttf`; without the field when a whole record was added or removed.
pub fn input_item(c: &InputChange) -> String {
    let field = |sep: &str| {
        if c.field.is_empty() {
            String::new()
        } else {
            format!("{sep}{}", c.field)
        }
    };
    match c.file.as_str() {
        // Written before changes named their file: the item alone.
        "" | FONTS => c.record.clone(),
        ASSESSMENT_FILE => format!("{}, {}{}", c.file, c.record, field(".")),
        file => format!("{file}, row {}{}", c.record, field(", ")),
    }
}

/// An input value as written: an estimate or a date as its text, a number in full up to a
/// million and with an exponent above (`6.7e9`), a list joined by commas.
pub fn input_value(v: &Value) -> String {
    match v {
        Value::Flag(b) => b.to_string(),
        Value::Integer(n) => n.to_string(),
        Value::Number(x) if x.abs() >= 1e6 => format!("{x:e}"),
        Value::Number(x) => format!("{x}"),
        Value::Text(s) => s.clone(),
        Value::List(v) => v.join(", "),
    }
}

/// What a list of changes says of long text instead of quoting it.
pub const TEXT_CHANGED: &str = "text changed";

/// The first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_below_one_keep_two_significant_figures() {
        assert_eq!(number(0.01), "0.010");
        assert_eq!(number(0.004_37), "0.0044");
        assert_eq!(number(0.52), "0.52");
        assert_eq!(number(0.96), "1.0");
        assert_eq!(mult(0.1), "0.10x");
    }

    #[test]
    fn multipliers_keep_two_significant_figures() {
        assert_eq!(mult(3.06), "3.1x");
        assert_eq!(mult(1.0), "1.0x");
        assert_eq!(mult(9.96), "10x");
        assert_eq!(mult(9.999_999_999_999_998), "10x");
        assert_eq!(mult(9.94), "9.9x");
        assert_eq!(mult(15.0), "15x");
        assert_eq!(mult(99.6), "100x");
        assert_eq!(mult(999.6), "1,000x");
        assert_eq!(number(0.0996), "0.10");
        assert_eq!(number(0.009_96), "0.010");
        assert_eq!(mult(23.4), "23x");
        assert_eq!(mult(234.0), "230x");
        assert_eq!(mult(1234.0), "1,200x");
        assert_eq!(mult(1_250_000.0), "1,300,000x");
        assert_eq!(mult(f64::NAN), "n/ax");
        assert_eq!(threshold_mult(4.0), "4x");
        assert_eq!(threshold_mult(2.5), "2.5x");
        assert_eq!(threshold_mult(3.25), "3.2x");
    }

    #[test]
    fn probabilities_never_round_a_possibility_away() {
        assert_eq!(pct(0.0), "0%");
        assert_eq!(pct(0.001), "less than 1%");
        assert_eq!(pct(0.234), "23%");
        assert_eq!(pct(0.999), "more than 99%");
        assert_eq!(pct(1.0), "100%");
    }

    #[test]
    fn numbers_below_one_hundred_are_spelled_out() {
        assert_eq!(number_words(12), "Twelve");
        assert_eq!(number_words(60), "Sixty");
        assert_eq!(number_words(27), "Twenty-seven");
        assert_eq!(number_words(120), "120");
    }

    #[test]
    fn dates_are_checked_and_spelled_out() {
        assert_eq!(date_long("2026-11-26"), "26 November 2026");
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(date_long("soon"), "soon");
    }

    #[test]
    fn lists_join_with_and() {
        let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&["A"])), "A");
        assert_eq!(join_and(&v(&["A", "B"])), "A and B");
        assert_eq!(join_and(&v(&["A", "B", "C"])), "A, B and C");
    }

    #[test]
    fn counts_are_words_with_their_noun() {
        assert_eq!(plural(1, "input", "inputs"), "one input");
        assert_eq!(plural(3, "input", "inputs"), "three inputs");
        assert_eq!(capitalise("three inputs"), "Three inputs");
        assert_eq!(
            metric_value(MetricUnit::OomPerYear, Some(0.126)),
            "0.13 OOM/year"
        );
        assert_eq!(metric_value(MetricUnit::Probability, None), "–");
        assert_eq!(metric_value(MetricUnit::Months, Some(11.0)), "11 months");
        assert_eq!(metric_value(MetricUnit::Months, Some(1.0)), "1 month");
    }
}

/// A share of a change in OOM with its sign and three decimals: `+0.142`, `-0.025`, `0`.
pub fn oom_share(x: f64) -> String {
    let s = format!("{x:+.3}");
    if s == "+0.000" || s == "-0.000" {
        "0".to_owned()
    } else {
        s
    }
}

/// A share in OOM as the factor it multiplies the headline by: `x1.387`, `x0.945`.
pub fn oom_factor(x: f64) -> String {
    format!("x{:.3}", libm::pow(10.0, x))
}

/// One row of the table "What moved the headline".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttributionRow {
    /// What moved it: a group of inputs, the model's rules, the Monte Carlo term, the total.
    pub label: String,
    /// How many changed inputs the row holds; empty for the rules, Monte Carlo and total rows.
    pub inputs: String,
    /// The share in OOM ([`oom_share`]).
    pub oom: String,
    /// The share as a factor ([`oom_factor`]).
    pub factor: String,
}

/// The table "What moved the headline": each simulated group of inputs, one row for the
/// groups that cannot move it, the change in the model's rules, the Monte Carlo term when
/// there is one, and the total, which is the headline's change (the rows add up to it).
pub fn attribution_rows(a: &overhang_model::attribution::Attribution) -> Vec<AttributionRow> {
    let row = |label: String, inputs: String, x: f64| AttributionRow {
        label,
        inputs,
        oom: oom_share(x),
        factor: oom_factor(x),
    };
    let mut rows: Vec<AttributionRow> = a
        .groups
        .iter()
        .filter(|g| g.simulated)
        .map(|g| {
            let label = if g.members.is_empty() {
                g.label.clone()
            } else {
                format!("{} ({})", g.label, g.members.join(", "))
            };
            row(label, g.inputs_changed.to_string(), g.share_oom)
        })
        .collect();
    let inert: Vec<&str> = a
        .groups
        .iter()
        .filter(|g| !g.simulated)
        .map(|g| g.label.as_str())
        .collect();
    if !inert.is_empty() {
        let n: usize = a
            .groups
            .iter()
            .filter(|g| !g.simulated)
            .map(|g| g.inputs_changed)
            .sum();
        rows.push(row(
            format!("Inputs that cannot move it ({})", inert.join(", ")),
            n.to_string(),
            0.0,
        ));
    }
    rows.push(row(
        "Change in the model's rules".to_owned(),
        String::new(),
        a.rules_oom,
    ));
    if a.monte_carlo_oom != 0.0 {
        rows.push(row(
            format!(
                "Monte Carlo: this version's {}x against its inputs at {} samples",
                significant(a.new),
                count(a.samples)
            ),
            String::new(),
            a.monte_carlo_oom,
        ));
    }
    rows.push(row(
        format!("Total: {}x to {}x", significant(a.old), significant(a.new)),
        String::new(),
        a.total_oom(),
    ));
    rows
}

/// A sentence on the attribution: what moved, by how much, and what moved it most.
pub fn attribution_sentence(a: &overhang_model::attribution::Attribution) -> String {
    let largest = a
        .groups
        .iter()
        .filter(|g| g.simulated)
        .max_by(|x, y| x.share_oom.abs().total_cmp(&y.share_oom.abs()));
    let mut s = format!(
        "{} moved from {} to {} ({} OOM). Each group of changed inputs was reverted in turn: \
         its share is its Shapley value over every mix of the two versions' inputs, each run \
         by this version's code with seed {} and {} samples; what no input explains is the \
         change in the model's rules ({} OOM).",
        a.label.trim_end_matches(" (x)"),
        mult(a.old),
        mult(a.new),
        oom_share(a.total_oom()),
        a.seed,
        count(a.samples),
        oom_share(a.rules_oom)
    );
    if let Some(g) = largest {
        let _ = std::fmt::Write::write_fmt(
            &mut s,
            format_args!(
                " The largest share, {} OOM ({}), comes from {}.",
                oom_share(g.share_oom),
                oom_factor(g.share_oom),
                g.label
            ),
        );
    }
    s
}

/// A whole number with thousands separators: `20,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}
