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

/// English words of a technique that name a material of the census list.
const ENGLISH_MATERIALS: &[(&str, &str)] = &[
    ("paper", "paper"),
    ("papers", "paper"),
    ("cardboard", "paper"),
    ("silk", "silk"),
    ("wood", "wood"),
    ("woodblock", "wood"),
    ("oak", "wood"),
    ("bamboo", "bamboo"),
    ("canvas", "cotton-hemp"),
    ("linen", "cotton-hemp"),
    ("cotton", "cotton-hemp"),
    ("leather", "leather"),
    ("ivory", "bone-horn-ivory"),
    ("lacquer", "lacquer"),
    ("stone", "stone"),
    ("marble", "stone"),
    ("jade", "jade-gem"),
    ("earthenware", "pottery"),
    ("terracotta", "pottery"),
    ("porcelain", "porcelain"),
    ("clay", "clay"),
    ("glass", "glass"),
    ("iron", "iron"),
    ("steel", "iron"),
    ("bronze", "copper"),
    ("copper", "copper"),
    ("brass", "copper"),
    ("gold", "gold"),
    ("silver", "silver"),
    ("aluminium", "other-metal"),
    ("aluminum", "other-metal"),
];

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

    /// The materials a record without any says by other means: its category's material
    /// (漆器 → 漆, 铜器 → 铜) and the materials its technique names (`紙本設色` → 纸,
    /// `Graphite on paper` → paper). Best effort, for facets: what the record says stays as written.
    pub fn materials_in(&self, category: Option<&str>, technique: Option<&str>) -> Vec<&Term> {
        let Some(materials) = self.get(names::MATERIAL) else { return Vec::new() };
        let mut codes: Vec<&str> = Vec::new();
        if let Some(c) = category {
            codes.extend(match c {
                "bronze" | "enamel" => Some("copper"),
                "jade-stone-gem" => Some("jade-gem"),
                "bamboo-wood-carving" | "furniture" => None,
                c => materials.terms.iter().find(|t| t.code == c).map(|t| t.code.as_str()),
            });
        }
        if let Some(text) = technique.map(fold) {
            if text.chars().any(super::text::is_cjk) {
                for t in materials.terms.iter().filter(|t| !t.code.starts_with("other") && t.code != "composite") {
                    if std::iter::once(&t.zh)
                        .chain(&t.aliases)
                        .any(|s| s.chars().any(super::text::is_cjk) && text.contains(s.as_str()))
                    {
                        codes.push(&t.code);
                    }
                }
            } else {
                let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
                for (i, w) in words.iter().enumerate() {
                    // A silver or platinum print is a photograph, not a silver object.
                    let print = words.get(i + 1).is_some_and(|n| *n == "print" || *n == "prints")
                        || i.checked_sub(1)
                            .and_then(|j| words.get(j))
                            .is_some_and(|p| *p == "gelatin" || *p == "albumen");
                    if let Some((_, code)) = ENGLISH_MATERIALS.iter().find(|(word, _)| word == w)
                        && !print
                    {
                        codes.push(code);
                    }
                }
            }
        }
        let mut out: Vec<&Term> = Vec::new();
        for code in codes {
            if let Some(t) = materials.terms.iter().find(|t| t.code == code)
                && !out.iter().any(|o| o.code == t.code)
            {
                out.push(t);
            }
        }
        out
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
    fn a_record_without_materials_says_them_by_its_category_or_technique() {
        let v = Vocabularies::shipped();
        let codes = |c: Option<&str>, t: Option<&str>| {
            v.materials_in(c, t).into_iter().map(|t| t.code.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(codes(Some("lacquer"), None), ["lacquer"]);
        assert_eq!(codes(Some("bronze"), None), ["copper"]);
        assert_eq!(codes(Some("calligraphy-painting"), Some("紙本設色")), ["paper"]);
        assert_eq!(codes(None, Some("絹本水墨")), ["silk"]);
        assert_eq!(codes(None, Some("Graphite on paper")), ["paper"]);
        assert_eq!(codes(None, Some("Oil paint on canvas")), ["cotton-hemp"]);
        assert_eq!(codes(None, Some("Bronze and painted wood")), ["copper", "wood"]);
        // A silver print is a photograph; a category without one material gives none.
        assert!(codes(None, Some("Gelatin silver print")).is_empty());
        assert!(codes(Some("calligraphy-painting"), None).is_empty());
        assert!(codes(None, Some("Etching")).is_empty());
    }

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
