//! What a researcher typed, read as clauses: words, quoted phrases, `field:value`,
//! AND / OR / NOT; and the filters a search takes.

/// One clause of a parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    Text(String),
    Field(String, String),
    Years(Option<i64>, Option<i64>),
}

/// How a clause combines with the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    And,
    Or,
    Not,
}

/// A parsed query: clauses with how each joins.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub clauses: Vec<(Join, Clause)>,
}

impl Parsed {
    /// The query as one accession number with spaces in it (`MC 7`, `南購銅 1/2`): two or
    /// more plain words, one of them with a digit, and nothing else.
    pub(super) fn spaced_number(&self) -> Option<String> {
        if self.clauses.len() < 2 {
            return None;
        }
        let mut words = Vec::with_capacity(self.clauses.len());
        for (join, clause) in &self.clauses {
            match (join, clause) {
                (Join::And, Clause::Text(t)) => words.push(t.as_str()),
                _ => return None,
            }
        }
        words.iter().any(|w| w.chars().any(char::is_numeric)).then(|| words.join(" ").to_lowercase())
    }
}

const FIELDS: &[&str] = &["donor", "maker", "category", "material", "accession", "year"];

/// Splits a query into words and quoted phrases; an unbalanced quote is dropped.
fn words(q: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let quotes = q.chars().filter(|c| matches!(c, '"' | '“' | '”')).count();
    for c in q.chars() {
        match c {
            '"' | '“' | '”' if quotes % 2 == 0 => {
                if quoted || !cur.trim().is_empty() {
                    out.push((std::mem::take(&mut cur), quoted));
                }
                quoted = !quoted;
            }
            '"' | '“' | '”' => {}
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), false));
                }
            }
            '\u{3000}' if !quoted => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), false));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push((cur, quoted));
    }
    out.into_iter().filter(|(w, _)| !w.trim().is_empty()).collect()
}

/// The filters a search takes, as `name:value`: the facets, and a range of years.
pub const FILTERS: &[&str] =
    &["category", "material", "period", "maker", "donor", "donation", "acquired", "has_image", "year", "status"];

/// The values of the `status` filter: what the internal index holds (the public one, `published` alone).
pub const STATUSES: &[&str] = &["draft", "internal", "published", "deaccessioned"];

/// Checks one `name:value` filter, saying what to fix: a filter that cannot match
/// anything is refused rather than ignored.
pub fn check_filter(name: &str, value: &str) -> Result<(), String> {
    if !FILTERS.contains(&name) {
        return Err(format!("cannot filter by `{name}`; use one of {}", FILTERS.join(", ")));
    }
    if value.trim().is_empty() {
        return Err(format!("the filter `{name}:` needs a value after the colon"));
    }
    match name {
        "year" if year_range(value).is_none() => Err(format!(
            "`{value}` is not a year or a range of years; write year:1923, year:1900..1930, year:..1949 or year:1912.."
        )),
        "status" if !STATUSES.contains(&value) => {
            Err(format!("`{value}` is not a status; use one of {}", STATUSES.join(", ")))
        }
        "has_image" if !matches!(value, "yes" | "no") => {
            Err(format!("`{value}` is not a value of has_image; use has_image:yes or has_image:no"))
        }
        _ => Ok(()),
    }
}

fn year_range(v: &str) -> Option<Clause> {
    let (a, b) = v.split_once("..").map_or((v, v), |(a, b)| (a, b));
    let parse = |s: &str| if s.trim().is_empty() { Ok(None) } else { s.trim().parse::<i64>().map(Some) };
    match (parse(a), parse(b)) {
        (Ok(a), Ok(b)) if a.is_some() || b.is_some() => Some(Clause::Years(a, b)),
        _ => None,
    }
}

/// Parses a query; never fails.
pub fn parse(q: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut join = Join::And;
    for (word, quoted) in words(q) {
        if !quoted {
            match word.as_str() {
                "AND" | "&&" => {
                    join = Join::And;
                    continue;
                }
                "OR" | "||" => {
                    join = Join::Or;
                    continue;
                }
                "NOT" => {
                    join = Join::Not;
                    continue;
                }
                _ => {}
            }
        }
        let (this_join, body) = match word.strip_prefix('-') {
            Some(rest) if !quoted && !rest.is_empty() => (Join::Not, rest.to_string()),
            _ => (join, word.clone()),
        };
        let clause = match (quoted, body.split_once([':', '：'])) {
            (false, Some((f, v))) if FIELDS.contains(&f.to_lowercase().as_str()) && !v.is_empty() => {
                let f = f.to_lowercase();
                if f == "year" {
                    year_range(v).unwrap_or(Clause::Text(body.clone()))
                } else {
                    Clause::Field(f, v.to_string())
                }
            }
            // A word of punctuation alone (`&` in `C. & I. Hohenbüchler`) has nothing to match:
            // the words around it are searched as if it were not there.
            _ if !body.chars().any(char::is_alphanumeric) => {
                join = Join::And;
                continue;
            }
            _ => Clause::Text(body),
        };
        parsed.clauses.push((this_join, clause));
        join = Join::And;
    }
    parsed
}
