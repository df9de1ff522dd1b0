//! The trend fits' output types: per category, pooled, and what each fit says about its data.

use serde::{Deserialize, Serialize};

use super::FitNote;

/// The trend fits: those of the average task (every evidence row), then one set per declared
/// task scope (the rows that name it).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Fits {
    /// The scope of the fits below: `average`, the average task, fitted on every row.
    #[serde(default = "crate::results::average_scope")]
    pub scope: String,
    /// One per category of the assessment, in its order.
    pub categories: Vec<CategoryFit>,
    /// Common slope with one intercept per category, when at least two categories have data.
    pub pooled: Option<PooledFit>,
    /// Which fit feeds `growth = "fit"` and why, as a sentence.
    pub growth_method: String,
    /// What the fits say about the data as a whole (every category's notes first); the report
    /// puts them in words.
    #[serde(deserialize_with = "crate::fit_notes::notes_or_sentences")]
    pub diagnostics: Vec<FitNote>,
    /// The fits of each declared scope, of the rows that name it only, in the order of
    /// assessment.toml (absent from results written before the `scope` column).
    #[serde(default)]
    pub scopes: Vec<ScopeFits>,
}

impl Default for Fits {
    /// No fits, of the average task.
    fn default() -> Self {
        Fits {
            scope: crate::results::average_scope(),
            categories: Vec::new(),
            pooled: None,
            growth_method: String::new(),
            diagnostics: Vec::new(),
            scopes: Vec::new(),
        }
    }
}

impl Fits {
    /// The category fits of a scope: the average task's, or a declared scope's.
    pub fn of_scope(&self, scope: &str) -> Option<(&[CategoryFit], Option<&PooledFit>)> {
        if scope == self.scope {
            return Some((&self.categories, self.pooled.as_ref()));
        }
        self.scopes
            .iter()
            .find(|s| s.scope == scope)
            .map(|s| (s.categories.as_slice(), s.pooled.as_ref()))
    }
}

/// The trend fits of one declared task scope: the same fits as the average task's, of the
/// evidence rows whose `scope` column names it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ScopeFits {
    /// The scope's id.
    pub scope: String,
    /// The scope's single-enhancement evidence rows (combination rows inform composability,
    /// which scopes share).
    pub rows: usize,
    /// One per category of the assessment, in its order (most have no rows in a scope).
    pub categories: Vec<CategoryFit>,
    /// Common slope with one intercept per category, when at least two categories of the
    /// scope have data.
    pub pooled: Option<PooledFit>,
    /// What the scope's fits say about its data as a whole (every category's notes first).
    pub diagnostics: Vec<FitNote>,
}

/// The fits of one category.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CategoryFit {
    /// Category id.
    pub category: String,
    /// Dated evidence rows used.
    pub n: usize,
    /// Of these, the rows whose CEG is a bound.
    #[serde(default)]
    pub bounds: usize,
    /// Ordinary least squares of log10 CEG on decimal year, of the exact rows.
    pub ols: Option<LineFit>,
    /// Weighted least squares of the exact rows, weights from each estimate's interval width.
    pub wls: Option<LineFit>,
    /// Censored-normal (Tobit) maximum likelihood of every row, bounds by their likelihood;
    /// present when the category has a bound. The line the category's growth claim rests on
    /// when present, else OLS.
    #[serde(default)]
    pub censored: Option<CensoredLine>,
    /// Theil–Sen slope with its interval, of the exact rows.
    pub theil_sen: Option<RobustFit>,
    /// Bootstrap of the slope, resampling rows and redrawing each CEG; with bounds, each
    /// resample is refitted by the censored likelihood.
    pub bootstrap: Option<BootstrapSummary>,
    /// Why the fit cannot support a claim about growth; empty when it can.
    #[serde(default)]
    pub limits: Vec<FitLimit>,
    /// The running best CEG by date (exact rows and lower bounds).
    pub frontier: Vec<FrontierPoint>,
    /// OLS fit of the frontier.
    pub frontier_fit: Option<LineFit>,
    /// The OLS line with its 90% confidence band, for charts.
    pub band: Vec<BandPoint>,
    /// What the fit says about this category's data.
    #[serde(deserialize_with = "crate::fit_notes::notes_or_sentences")]
    pub diagnostics: Vec<FitNote>,
}

impl CategoryFit {
    /// The line the category's growth claim rests on: the censored fit when the category has
    /// a bound, else OLS; `None` without one.
    pub fn growth_line(&self) -> Option<GrowthLine> {
        match (&self.censored, &self.ols) {
            (Some(c), _) => Some(GrowthLine {
                slope: c.slope,
                slope_se: c.slope_se,
                slope_ci90: c.slope_ci90,
                n: c.n,
                // As for OLS, n - 2: the same line with sigma estimated from the rows.
                df: c.n.saturating_sub(2).max(1) as f64,
                censored: true,
            }),
            (None, Some(o)) if self.bounds == 0 => Some(GrowthLine {
                slope: o.slope,
                slope_se: o.slope_se,
                slope_ci90: o.slope_ci90,
                n: o.n,
                df: o.df,
                censored: false,
            }),
            _ => None,
        }
    }
}

/// The slope a category's growth claim rests on, from [`CategoryFit::growth_line`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrowthLine {
    /// Slope, OOM per year.
    pub slope: f64,
    /// Its standard error.
    pub slope_se: f64,
    /// Its 90% interval.
    pub slope_ci90: [f64; 2],
    /// Rows fitted.
    pub n: usize,
    /// Degrees of freedom for a Student t of the slope.
    pub df: f64,
    /// True for the censored fit, false for OLS.
    pub censored: bool,
}

/// A straight-line fit of log10 CEG on decimal year.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct LineFit {
    /// Slope, OOM per year.
    pub slope: f64,
    /// Intercept at year 0 (log10 CEG).
    pub intercept: f64,
    /// Standard error of the slope.
    pub slope_se: f64,
    /// Standard error of the intercept.
    pub intercept_se: f64,
    /// 90% interval of the slope (Student t).
    pub slope_ci90: [f64; 2],
    /// Coefficient of determination.
    pub r2: f64,
    /// Rows used.
    pub n: usize,
    /// Residual degrees of freedom.
    pub df: f64,
    /// `10^slope`: the CEG multiplier gained per year.
    pub growth_per_year: f64,
    /// Years for the CEG to double, when the slope is positive.
    pub doubling_years: Option<f64>,
}

/// A censored-normal maximum-likelihood line of log10 CEG on decimal year.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CensoredLine {
    /// Slope, OOM per year.
    pub slope: f64,
    /// Intercept at year 0 (log10 CEG).
    pub intercept: f64,
    /// Standard deviation of the rows around the line, OOM.
    pub sigma: f64,
    /// Standard error of the slope (observed information).
    pub slope_se: f64,
    /// 90% Wald interval of the slope.
    pub slope_ci90: [f64; 2],
    /// Rows fitted.
    pub n: usize,
    /// Exact rows.
    pub exact: usize,
    /// Lower bounds.
    pub lower: usize,
    /// Upper bounds.
    pub upper: usize,
}

/// Why a category's fit cannot support a claim about growth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitLimit {
    /// There is no line fit at all (too few rows or dates, or bounds that do not pin it down).
    NoFit,
    /// The slope's 90% interval contains zero: the data do not tell growth from decline.
    SpansZero,
    /// The rows were measured on different benchmarks, whose CEGs need not be comparable.
    MixedBenchmarks {
        /// How many distinct benchmarks.
        count: usize,
    },
    /// Every row was derived from one model family's scaling table.
    SingleFamily {
        /// The family.
        family: String,
    },
}

/// A robust slope.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct RobustFit {
    /// Median of pairwise slopes, OOM per year.
    pub slope: f64,
    /// Intercept (median of `y - slope * x`).
    pub intercept: f64,
    /// 90% interval of the slope.
    pub slope_ci90: [f64; 2],
}

/// Bootstrap distribution of a slope.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct BootstrapSummary {
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples that gave a slope, the only ones the mean, the standard deviation and the
    /// percentiles summarise.
    pub valid: usize,
    /// Resamples whose fit failed: the censored likelihood had no finite maximum (the slope or
    /// sigma runs away), so they gave no slope. The rest of the resamples that gave none,
    /// `resamples - valid - failed`, had every row on one date or no exact row. 0 in results
    /// written before this field.
    #[serde(default)]
    pub failed: usize,
    /// Mean slope.
    pub mean: f64,
    /// Standard deviation of the slope.
    pub sd: f64,
    /// Percentiles of the slope, OOM per year.
    pub quantiles: super::Quantiles3,
}

/// A point of the running-best frontier.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct FrontierPoint {
    /// Evidence row id.
    pub id: String,
    /// Decimal year.
    pub year: f64,
    /// The CEG (central value, or the bound of a lower bound).
    pub ceg: f64,
}

/// A point of a fitted line with its band, in CEG multipliers.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct BandPoint {
    /// Decimal year.
    pub year: f64,
    /// Lower edge of the 90% confidence band of the mean.
    pub low: f64,
    /// The fitted CEG.
    pub fit: f64,
    /// Upper edge.
    pub high: f64,
}

/// A fit with one common slope and one intercept per category.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PooledFit {
    /// Common slope, OOM per year.
    pub slope: f64,
    /// Its standard error.
    pub slope_se: f64,
    /// 90% interval (Student t).
    pub slope_ci90: [f64; 2],
    /// Per category: `[id, intercept]`.
    pub intercepts: Vec<(String, f64)>,
    /// Coefficient of determination.
    pub r2: f64,
    /// Rows used.
    pub n: usize,
    /// Residual degrees of freedom.
    pub df: f64,
    /// `10^slope`.
    pub growth_per_year: f64,
    /// Years to double, when the slope is positive.
    pub doubling_years: Option<f64>,
    /// The same model by weighted least squares: slope and standard error.
    pub wls_slope: f64,
    /// The WLS slope's standard error.
    pub wls_slope_se: f64,
}
