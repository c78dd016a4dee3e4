//! Accession numbers (总登记号) and the pattern new ones follow.

use std::fmt;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// An accession number: unique within the catalogue, kept exactly as written.
///
/// Numbers assigned here follow the [`AccessionPattern`]; numbers carried over
/// from other systems (`南購銅000002`, `P77231`) are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccessionNumber(String);

impl AccessionNumber {
    /// Any well-formed identifier: 1–64 characters with a letter or digit among them;
    /// single spaces and slashes inside are kept (`MC 7`, `82.8.7.1/1`, `南購銅 1/2`), as
    /// museums write them, and every URL that names the number percent-encodes it. Other
    /// whitespace, two spaces in a row, control characters and `\ ? # %` are refused.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("must not be empty".into());
        }
        if s.chars().count() > 64 {
            return Err("is longer than 64 characters".into());
        }
        if let Some(c) = s
            .chars()
            .find(|&c| (c.is_whitespace() && c != ' ') || c.is_control() || matches!(c, '\\' | '?' | '#' | '%'))
        {
            return Err(format!("must not contain {c:?}"));
        }
        if s.contains("  ") {
            return Err("must not contain two spaces in a row".into());
        }
        if !s.chars().any(char::is_alphanumeric) {
            return Err("must contain a letter or a digit".into());
        }
        Ok(AccessionNumber(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AccessionNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        AccessionNumber::parse(&s)
    }
}

impl From<AccessionNumber> for String {
    fn from(a: AccessionNumber) -> String {
        a.0
    }
}

impl fmt::Display for AccessionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The pattern of new accession numbers, e.g. `{year}.{donation}.{item}` → `2023.15.1`.
#[derive(Debug, Clone)]
pub struct AccessionPattern {
    template: String,
    regex: Regex,
}

/// The parts of a number that follows the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessionParts {
    pub year: i32,
    pub donation: u32,
    pub item: u32,
}

impl Default for AccessionPattern {
    fn default() -> Self {
        AccessionPattern::new("{year}.{donation}.{item}").expect("the default pattern is valid")
    }
}

impl AccessionPattern {
    /// Builds a pattern from a template with the placeholders `{year}`, `{donation}` and `{item}`,
    /// each exactly once, separated by literal text.
    pub fn new(template: &str) -> Result<Self, String> {
        let mut regex = String::from("^");
        let mut rest = template;
        let mut seen = Vec::new();
        while let Some(open) = rest.find('{') {
            regex.push_str(&regex::escape(&rest[..open]));
            let close = rest[open..].find('}').ok_or("unclosed `{` in accession pattern")? + open;
            let name = &rest[open + 1..close];
            let group = match name {
                "year" => r"(?P<year>\d{4})",
                "donation" => r"(?P<donation>[1-9]\d{0,5})",
                "item" => r"(?P<item>[1-9]\d{0,5})",
                other => {
                    return Err(format!(
                        "unknown placeholder {{{other}}} in accession pattern; use {{year}}, {{donation}}, {{item}}"
                    ));
                }
            };
            if seen.contains(&name) {
                return Err(format!("placeholder {{{name}}} appears twice in accession pattern"));
            }
            seen.push(name);
            regex.push_str(group);
            rest = &rest[close + 1..];
        }
        regex.push_str(&regex::escape(rest));
        regex.push('$');
        for needed in ["year", "donation", "item"] {
            if !seen.contains(&needed) {
                return Err(format!("accession pattern needs {{{needed}}}"));
            }
        }
        let regex = Regex::new(&regex).map_err(|e| e.to_string())?;
        Ok(AccessionPattern { template: template.to_string(), regex })
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    /// The parts of `number`, if it follows this pattern.
    pub fn parts(&self, number: &str) -> Option<AccessionParts> {
        let caps = self.regex.captures(number)?;
        Some(AccessionParts {
            year: caps["year"].parse().ok()?,
            donation: caps["donation"].parse().ok()?,
            item: caps["item"].parse().ok()?,
        })
    }

    /// Checks a number given for a new record.
    pub fn check(&self, number: &AccessionNumber) -> Result<(), String> {
        if self.parts(number.as_str()).is_some() {
            Ok(())
        } else {
            Err(format!(
                "`{number}` does not follow the accession pattern {}, e.g. {}",
                self.template,
                self.format(2023, 15, 1)
            ))
        }
    }

    pub fn format(&self, year: i32, donation: u32, item: u32) -> AccessionNumber {
        let s = self
            .template
            .replace("{year}", &format!("{year:04}"))
            .replace("{donation}", &donation.to_string())
            .replace("{item}", &item.to_string());
        AccessionNumber(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pattern_reads_year_donation_item() {
        let p = AccessionPattern::default();
        assert_eq!(p.parts("2023.15.1"), Some(AccessionParts { year: 2023, donation: 15, item: 1 }));
        assert_eq!(p.parts("2023.15"), None);
        assert_eq!(p.parts("2023.015.1"), None);
        assert_eq!(p.format(2023, 15, 2).as_str(), "2023.15.2");
    }

    #[test]
    fn custom_patterns_are_checked() {
        let p = AccessionPattern::new("JZ-{year}-{donation}-{item}").unwrap();
        assert!(p.parts("JZ-2023-15-3").is_some());
        assert!(AccessionPattern::new("{year}.{item}").is_err());
        assert!(AccessionPattern::new("{year}.{donor}.{item}").is_err());
    }

    #[test]
    fn legacy_numbers_are_kept_as_written_with_single_spaces_and_slashes() {
        for n in ["南購銅000002", "MC 7", "MC 59.a-b", "82.8.7.1/1", "南購銅 1/2", "139-145.1972 (+ others)"] {
            assert_eq!(AccessionNumber::parse(n).unwrap().as_str(), n);
        }
        assert_eq!(AccessionNumber::parse("  MC 7 ").unwrap().as_str(), "MC 7");
        for bad in ["", "  ", "MC  7", "MC\t7", "MC\n7", "a\\b", "a?b", "a#b", "100%", "..", "/", "a\u{85}b"] {
            assert!(AccessionNumber::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
