//! [`Date`]: the calendar dates of the inputs, with day or month precision, and
//! [`DateError`], what a malformed one lacks.

use std::fmt;

use serde::Serialize;

/// A calendar date with day precision (`2024-03-15`) or month precision (`2024-03`): when an
/// enhancement was published, the report's date, the base model's release. Dates order
/// chronologically (a month sorts before its days) and convert to decimal years for the
/// trend fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, when given.
    pub day: Option<u8>,
}

/// Why a text is not a date: what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not of the form `YYYY-MM` or `YYYY-MM-DD` (four, two and two digits).
    #[error("expected a date written YYYY-MM or YYYY-MM-DD, found `{found}`")]
    Form {
        /// The text as given.
        found: String,
    },
    /// A month outside 01 to 12.
    #[error("expected a month from 01 to 12, found {month:02} in `{found}`")]
    Month {
        /// The month as read.
        month: u8,
        /// The text as given.
        found: String,
    },
    /// A day outside the month (`2023-02-29`, `2024-04-31`).
    #[error("expected a day from 01 to {last} for {year}-{month:02}, found {day:02} in `{found}`")]
    Day {
        /// The year as read.
        year: i32,
        /// The month as read.
        month: u8,
        /// The day as read.
        day: u8,
        /// The month's last day.
        last: u8,
        /// The text as given.
        found: String,
    },
}

impl Date {
    /// Parses `YYYY-MM` or `YYYY-MM-DD`, rejecting impossible dates.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let form = || DateError::Form {
            found: text.to_owned(),
        };
        if !(parts.len() == 2 || parts.len() == 3)
            || parts[0].len() != 4
            || parts[1].len() != 2
            || parts.get(2).is_some_and(|d| d.len() != 2)
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(form());
        }
        let year: i32 = parts[0].parse().map_err(|_| form())?;
        let month: u8 = parts[1].parse().map_err(|_| form())?;
        if !(1..=12).contains(&month) {
            return Err(DateError::Month {
                month,
                found: text.to_owned(),
            });
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let day: u8 = d.parse().map_err(|_| form())?;
                let last = days_in_month(year, month);
                if day == 0 || day > last {
                    return Err(DateError::Day {
                        year,
                        month,
                        day,
                        last,
                        found: text.to_owned(),
                    });
                }
                Some(day)
            }
        };
        Ok(Self { year, month, day })
    }

    /// The date as a decimal year: the middle of the month for month precision, the start of
    /// the day for day precision.
    pub fn decimal_year(&self) -> f64 {
        let days_in_year = if is_leap(self.year) { 366.0 } else { 365.0 };
        let before: u32 = (1..self.month)
            .map(|m| u32::from(days_in_month(self.year, m)))
            .sum();
        let day_offset = match self.day {
            Some(d) => f64::from(d) - 1.0,
            None => f64::from(days_in_month(self.year, self.month)) / 2.0,
        };
        f64::from(self.year) + (f64::from(before) + day_offset) / days_in_year
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use overhang_testkit::{ROUNDING, assert_close};

    use super::*;

    #[test]
    fn dates_reject_impossible_days_and_months() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(
            Date::parse("2023-02-29"),
            Err(DateError::Day {
                year: 2023,
                month: 2,
                day: 29,
                last: 28,
                found: "2023-02-29".to_owned()
            })
        );
        assert_eq!(
            Date::parse("2024-13").unwrap_err().to_string(),
            "expected a month from 01 to 12, found 13 in `2024-13`"
        );
        assert!(matches!(
            Date::parse("2024-00"),
            Err(DateError::Month { month: 0, .. })
        ));
        for bad in [
            "2024-1",
            "24-01",
            "2024/01",
            "2024-01-1",
            "2024-01-01-01",
            "",
        ] {
            assert_eq!(
                Date::parse(bad),
                Err(DateError::Form {
                    found: bad.to_owned()
                }),
                "{bad}"
            );
        }
        assert_eq!(
            Date::parse("2024-04-31").unwrap_err().to_string(),
            "expected a day from 01 to 30 for 2024-04, found 31 in `2024-04-31`"
        );
    }

    #[test]
    fn decimal_years_place_months_at_their_middle() {
        let d = Date::parse("2024-01").unwrap().decimal_year();
        assert_close!(d, 2024.0 + 15.5 / 366.0, ROUNDING);
        let d = Date::parse("2023-07-02").unwrap().decimal_year();
        assert_close!(d, 2023.0 + 182.0 / 365.0, ROUNDING);
    }
}
