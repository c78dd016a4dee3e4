//! Controlled vocabularies (类别, 质地, 来源方式, 完残程度, 保存状态, 级别, 年代),
//! shipped as data in `assets/vocab/` and editable in the catalogue afterwards.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The vocabularies a record refers to.
pub mod names {
    pub const CATEGORY: &str = "category";
    pub const MATERIAL: &str = "material";
    pub const ACQUISITION_METHOD: &str = "acquisition_method";
    pub const COMPLETENESS: &str = "completeness";
    pub const PRESERVATION: &str = "preservation";
    pub const GRADE: &str = "grade";
    pub const PERIOD: &str = "period";
}

/// One term of a vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Term {
    /// Stable identifier, stored in records.
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Other accepted spellings (Traditional characters, older names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// For periods: the first year covered (negative for BCE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest: Option<i32>,
    /// For periods: the last year covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<i32>,
}

impl Term {
    fn spellings(&self) -> impl Iterator<Item = &str> {
        [self.code.as_str(), self.zh.as_str(), self.en.as_str()]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
    }
}

/// A named list of terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Vocabulary {
    pub name: String,
    pub zh: String,
    pub en: String,
    pub terms: Vec<Term>,
}

/// All vocabularies of a catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabularies {
    #[serde(rename = "vocabulary")]
    pub vocabularies: Vec<Vocabulary>,
}

const SHIPPED: &str = include_str!("../../assets/vocab/census.toml");

fn fold(s: &str) -> String {
    super::text::nfkc(s).trim().to_lowercase()
}

impl Vocabularies {
    /// The vocabularies shipped with the catalogue (the national census lists).
    pub fn shipped() -> Self {
        toml::from_str(SHIPPED).expect("assets/vocab/census.toml is valid")
    }

    pub fn get(&self, name: &str) -> Option<&Vocabulary> {
        self.vocabularies.iter().find(|v| v.name == name)
    }

    /// Finds the term of `vocabulary` that `input` names by code, Chinese, English or alias.
    pub fn resolve(&self, vocabulary: &str, input: &str) -> Result<&Term, String> {
        let vocab = self.get(vocabulary).ok_or_else(|| format!("unknown vocabulary `{vocabulary}`"))?;
        // Most inputs are a stored code or the Chinese term exactly.
        if let Some(t) = vocab.terms.iter().find(|t| t.code == input || t.zh == input) {
            return Ok(t);
        }
        let wanted = fold(input);
        if wanted.is_empty() {
            return Err("must not be empty".into());
        }
        vocab.terms.iter().find(|t| t.spellings().any(|s| fold(s) == wanted)).ok_or_else(|| {
            let examples: Vec<&str> = vocab.terms.iter().take(6).map(|t| t.zh.as_str()).collect();
            format!(
                "`{}` is not a term of the {} ({}) list; use one of its terms, e.g. {}, or see /api/v1/vocabularies/{}",
                input.trim(),
                vocab.en.to_lowercase(),
                vocab.zh,
                examples.join(", "),
                vocab.name
            )
        })
    }

    /// The narrowest period named anywhere in `text` (`清乾隆` → 乾隆), by Chinese, English or alias.
    pub fn period_in(&self, text: &str) -> Option<&Term> {
        let folded = fold(text);
        let periods = self.get(names::PERIOD)?;
        periods
            .terms
            .iter()
            .filter(|t| t.earliest.is_some() || t.latest.is_some())
            .filter(|t| {
                [t.zh.as_str(), t.en.as_str()]
                    .into_iter()
                    .chain(t.aliases.iter().map(String::as_str))
                    .any(|s| !s.is_empty() && folded.contains(&fold(s)))
            })
            .min_by_key(|t| t.latest.unwrap_or(i32::MAX / 2) as i64 - t.earliest.unwrap_or(i32::MIN / 2) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_resolve_chinese_english_codes_and_traditional_aliases() {
        let v = Vocabularies::shipped();
        assert_eq!(v.resolve(names::CATEGORY, "书法、绘画").unwrap().code, "calligraphy-painting");
        assert_eq!(v.resolve(names::CATEGORY, "書法、繪畫").unwrap().code, "calligraphy-painting");
        assert_eq!(v.resolve(names::MATERIAL, "Paper").unwrap().code, "paper");
        assert_eq!(v.resolve(names::ACQUISITION_METHOD, "接受捐赠").unwrap().code, "gift");
        let err = v.resolve(names::CATEGORY, "spaceship").unwrap_err();
        assert!(err.contains("spaceship") && err.contains("/api/v1/vocabularies/category"), "{err}");
    }

    #[test]
    fn the_narrowest_period_wins() {
        let v = Vocabularies::shipped();
        assert_eq!(v.period_in("清乾隆").unwrap().code, "qianlong");
        assert_eq!(v.period_in("民国").unwrap().earliest, Some(1912));
        assert_eq!(v.period_in("Qing dynasty").unwrap().code, "qing");
        assert!(v.period_in("sometime").is_none());
    }
}
