//! What an English page shows for values a Chinese museum writes in Chinese: dates
//! (`约1923年` → `c. 1923`, `清乾隆` → `Qing dynasty, Qianlong reign (1736–1795)`),
//! quantities (`1 件` → `1 item`) and names with their pinyin (`Li Shucheng`). Best
//! effort: where the catalogue cannot say it in English, the caller shows the
//! Chinese as written.

use pinyin::ToPinyin;

use super::artefact::Quantity;
use super::date::{DateQualifier, HistoricalDate};
use super::text::to_simplified;
use super::vocab::{Vocabularies, names};

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// Whether `text` has Chinese characters in it.
pub fn has_chinese(text: &str) -> bool {
    text.chars().any(is_cjk)
}

fn year(y: i32) -> String {
    if y < 0 { format!("{} BCE", -y) } else { y.to_string() }
}

fn years(earliest: Option<i32>, latest: Option<i32>) -> Option<String> {
    Some(match (earliest, latest) {
        (Some(a), Some(b)) if a == b => year(a),
        (Some(a), Some(b)) if a < 0 && b < 0 => format!("{}–{} BCE", -a, -b),
        (Some(a), Some(b)) => format!("{}–{}", year(a), year(b)),
        (Some(a), None) => year(a),
        (None, Some(b)) => year(b),
        (None, None) => return None,
    })
}

fn ordinal(n: i32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// An English period name without its bracket: `Qianlong reign (Qing)` → `Qianlong reign`.
fn bare(en: &str) -> &str {
    en.split(" (").next().unwrap_or(en).trim()
}

/// The date in English; `None` when it is already in English, or cannot be said in it.
pub fn date(d: &HistoricalDate, vocab: &Vocabularies) -> Option<String> {
    if !has_chinese(&d.text) {
        return None;
    }
    let qualifier = match d.qualifier {
        Some(DateQualifier::Circa) => "c. ",
        Some(DateQualifier::Before) => "before ",
        Some(DateQualifier::After) => "after ",
        Some(DateQualifier::Uncertain) => "probably ",
        None => "",
    };
    let text = to_simplified(&d.text);
    let bce = d.earliest.or(d.latest).is_some_and(|y| y < 0);
    // Every period the text names, the widest first: 清乾隆 → Qing dynasty, Qianlong reign.
    let mut periods: Vec<_> = vocab
        .get(names::PERIOD)
        .map(|list| {
            list.terms
                .iter()
                .filter(|t| t.earliest.is_some() && !t.zh.is_empty() && text.contains(t.zh.as_str()))
                .collect()
        })
        .unwrap_or_default();
    periods.sort_by_key(|t| std::cmp::Reverse(t.latest.unwrap_or(0) - t.earliest.unwrap_or(0)));
    let names: Vec<&str> = periods.iter().map(|t| bare(&t.en)).filter(|n| !n.is_empty()).collect();
    let span = years(d.earliest, d.latest);
    if !names.is_empty() && !text.chars().any(|c| c.is_ascii_digit()) {
        let span = span.map(|s| format!(" ({s})")).unwrap_or_default();
        return Some(format!("{qualifier}{}{span}", names.join(", ")));
    }
    if let Some(n) = text.split("世纪").next().filter(|_| text.contains("世纪")).and_then(number_before) {
        let era = if bce { " BCE" } else { "" };
        return Some(format!("{qualifier}{} century{era}", ordinal(n)));
    }
    if let Some(n) = text.split("年代").next().filter(|_| text.contains("年代")).and_then(number_before) {
        return Some(format!("{qualifier}{n}s"));
    }
    // A part of a year: 2023年初 → early 2023.
    let part = [("年初", "early "), ("年底", "late "), ("年末", "late "), ("年中", "mid-")]
        .into_iter()
        .find(|(zh, _)| text.contains(zh));
    let mut text = text;
    if let Some((zh, _)) = part {
        text = text.replace(zh, "年");
    }
    // Only years and the words of a date around them (约, 年, 前后, 至 …): nothing else is lost.
    let rest: String = text
        .replace("公元前", "")
        .replace("公元", "")
        .replace("前后", "")
        .replace("左右", "")
        .chars()
        .filter(|c| is_cjk(*c) && !"约年至到前后以之间".contains(*c))
        .collect();
    let part = part.map_or("", |(_, en)| en);
    match rest.is_empty() {
        true => span.map(|s| format!("{qualifier}{part}{s}")),
        false => None,
    }
}

/// The number a text ends with (`19` of `公元前19`).
fn number_before(text: &str) -> Option<i32> {
    let digits: String = text.chars().rev().take_while(char::is_ascii_digit).collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// Chinese units of count, with their English singular and plural.
const UNITS: &[(&str, &str, &str)] = &[
    ("件", "item", "items"),
    ("套", "set", "sets"),
    ("册", "volume", "volumes"),
    ("本", "volume", "volumes"),
    ("卷", "scroll", "scrolls"),
    ("轴", "scroll", "scrolls"),
    ("张", "sheet", "sheets"),
    ("页", "leaf", "leaves"),
    ("幅", "piece", "pieces"),
    ("枚", "piece", "pieces"),
    ("块", "piece", "pieces"),
    ("方", "piece", "pieces"),
    ("只", "piece", "pieces"),
    ("个", "piece", "pieces"),
    ("把", "piece", "pieces"),
    ("支", "piece", "pieces"),
    ("片", "piece", "pieces"),
    ("对", "pair", "pairs"),
    ("双", "pair", "pairs"),
    ("副", "set", "sets"),
    ("组", "group", "groups"),
    ("盒", "box", "boxes"),
    ("封", "letter", "letters"),
    ("份", "copy", "copies"),
];

/// The quantity in English (`1 件` → `1 item`); `None` for a unit it does not know.
pub fn quantity(q: &Quantity) -> Option<String> {
    let unit = to_simplified(q.unit.trim());
    if !has_chinese(&unit) {
        return Some(format!("{} {}", q.count, q.unit.trim()));
    }
    let (_, one, many) = UNITS.iter().find(|(zh, _, _)| *zh == unit)?;
    Some(format!("{} {}", q.count, if q.count == 1 { one } else { many }))
}

/// Makers' roles a Chinese record writes, in English.
const ROLES: &[(&str, &str)] = &[
    ("作者", "maker"),
    ("原作作者", "author of the original work"),
    ("书写者", "calligrapher"),
    ("书", "calligrapher"),
    ("书法", "calligrapher"),
    ("画", "painter"),
    ("画家", "painter"),
    ("绘", "painter"),
    ("题", "inscriber"),
    ("题跋", "inscriber"),
    ("刻", "carver"),
    ("篆刻", "seal carver"),
    ("摄影", "photographer"),
    ("摄影者", "photographer"),
    ("撰", "author"),
    ("撰文", "author"),
    ("编", "editor"),
    ("印制", "printer"),
    ("制作", "maker"),
    ("设计", "designer"),
];

/// A maker's role in English: the English half of a bilingual role
/// (`书写者 / calligrapher`), the role as it is if it is English, or a known role.
pub fn role(role: &str) -> Option<String> {
    if let Some((_, en)) = role.split_once(" / ").filter(|(_, en)| !has_chinese(en)) {
        return Some(en.trim().to_string());
    }
    if !has_chinese(role) {
        return Some(role.trim().to_string());
    }
    let role = to_simplified(role.trim());
    ROLES.iter().find(|(zh, _)| *zh == role).map(|(_, en)| en.to_string())
}

/// Surnames of two characters, read as one name.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文", "司徒",
    "端木", "轩辕", "独孤", "南宫", "西门", "呼延", "闻人", "申屠", "太史", "万俟", "澹台", "公冶", "濮阳", "淳于",
];

/// Surnames read otherwise than their character's most common reading.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('查', "zha"),
    ('区', "ou"),
    ('乐', "yue"),
    ('盖', "ge"),
    ('种', "chong"),
    ('员', "yun"),
    ('翟', "zhai"),
    ('覃', "qin"),
    ('召', "shao"),
    ('缪', "miao"),
    ('秘', "bi"),
    ('尉', "yu"),
    ('万', "wan"),
    ('长', "chang"),
    ('重', "chong"),
    ('沈', "shen"),
    ('柏', "bai"),
    ('薄', "bo"),
    ('句', "gou"),
];

fn syllables(text: &str) -> Option<String> {
    text.chars()
        .map(|c| c.to_pinyin().map(|p| p.plain().replace('ü', "v")))
        .collect::<Option<Vec<_>>>()
        .map(|s| s.concat())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A Chinese personal name in pinyin, surname first (`李书城` → `Li Shucheng`,
/// `欧阳修` → `Ouyang Xiu`); `None` for anything but two to four Chinese characters.
pub fn romanised_name(name: &str) -> Option<String> {
    let name = to_simplified(name.trim());
    let chars: Vec<char> = name.chars().collect();
    if !(2..=4).contains(&chars.len()) || !chars.iter().all(|c| is_cjk(*c)) {
        return None;
    }
    let surname_len = match COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) && chars.len() > 2 {
        true => 2,
        false => 1,
    };
    let surname: String = chars[..surname_len].iter().collect();
    let surname_reading = match surname_len {
        1 => SURNAME_READINGS
            .iter()
            .find(|(c, _)| *c == chars[0])
            .map(|(_, r)| r.to_string())
            .or_else(|| syllables(&surname))?,
        _ => syllables(&surname)?,
    };
    let given = syllables(&chars[surname_len..].iter().collect::<String>())?;
    Some(format!("{} {}", capitalised(&surname_reading), capitalised(&given)))
}

/// A name as an English page shows it: the romanised form before the characters
/// (`Li Shucheng 李书城`), or the name as it is.
pub fn name_with_pinyin(name: &str) -> String {
    match romanised_name(name) {
        Some(latin) => format!("{latin} {name}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Option<String> {
        let vocab = Vocabularies::shipped();
        date(&HistoricalDate::parse(text, &vocab), &vocab)
    }

    #[test]
    fn dates_are_said_in_english_where_the_catalogue_can() {
        assert_eq!(d("约1923年").as_deref(), Some("c. 1923"));
        assert_eq!(d("2023年初").as_deref(), Some("early 2023"));
        assert_eq!(d("1949年底").as_deref(), Some("late 1949"));
        assert_eq!(d("1923年").as_deref(), Some("1923"));
        assert_eq!(d("1920年代").as_deref(), Some("1920s"));
        assert_eq!(d("19世纪").as_deref(), Some("19th century"));
        assert_eq!(d("公元前3世纪").as_deref(), Some("3rd century BCE"));
        assert_eq!(d("公元前221年").as_deref(), Some("221 BCE"));
        assert_eq!(d("1921年至1923年").as_deref(), Some("1921–1923"));
        assert_eq!(d("清乾隆").as_deref(), Some("Qing dynasty, Qianlong reign (1736–1795)"));
        assert_eq!(d("c. 1860"), None, "already English");
        assert_eq!(d("某年春"), None, "what it cannot say stays Chinese");
        assert_eq!(d("1923年春"), None, "a season would be lost");
    }

    #[test]
    fn quantities_and_names_in_english() {
        let q = |count, unit: &str| quantity(&Quantity { count, unit: unit.into() });
        assert_eq!(q(1, "件").as_deref(), Some("1 item"));
        assert_eq!(q(2, "冊").as_deref(), Some("2 volumes"));
        assert_eq!(q(3, "pieces").as_deref(), Some("3 pieces"));
        assert_eq!(q(1, "匣"), None);
        assert_eq!(romanised_name("李书城").as_deref(), Some("Li Shucheng"));
        assert_eq!(romanised_name("李振亞").as_deref(), Some("Li Zhenya"));
        assert_eq!(romanised_name("欧阳修").as_deref(), Some("Ouyang Xiu"));
        assert_eq!(romanised_name("曾国藩").as_deref(), Some("Zeng Guofan"));
        assert_eq!(romanised_name("国立故宫博物院"), None, "an institution is no personal name");
        assert_eq!(romanised_name("Li Zhenya"), None);
        assert_eq!(name_with_pinyin("李书城"), "Li Shucheng 李书城");
        assert_eq!(role("书写者 / calligrapher").as_deref(), Some("calligrapher"));
        assert_eq!(role("書寫者").as_deref(), Some("calligrapher"));
        assert_eq!(role("printer").as_deref(), Some("printer"));
        assert_eq!(role("监制"), None);
    }
}
