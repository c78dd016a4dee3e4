//! Rights statements: what a curator writes (`CC BY 4.0`, a URI, `版权所有`) read as a
//! standard statement of Creative Commons or rightsstatements.org where it is one, with
//! its name in words and whether it lets anyone reuse the full image.

/// A rights statement the catalogue recognises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rights {
    /// The statement's URI, as IIIF and LIDO expect it (`http://`).
    pub uri: String,
    pub zh: String,
    pub en: String,
    /// Free to reuse (public domain, or a Creative Commons licence): the full image may be downloaded.
    pub open: bool,
}

/// The URI of a licence written as a name (`CC0`, `CC BY 4.0`) or already a URI.
pub fn licence_uri(l: &str) -> Option<String> {
    let t = l.trim();
    if t.starts_with("http://creativecommons.org/") || t.starts_with("http://rightsstatements.org/") {
        return Some(t.to_string());
    }
    if let Some(rest) = t.strip_prefix("https://") {
        return (rest.starts_with("creativecommons.org/") || rest.starts_with("rightsstatements.org/"))
            .then(|| format!("http://{rest}"));
    }
    let upper = t.to_uppercase();
    if upper.starts_with("CC0") || upper.contains("PUBLIC DOMAIN DEDICATION") {
        return Some("http://creativecommons.org/publicdomain/zero/1.0/".into());
    }
    if upper.starts_with("NO KNOWN COPYRIGHT") || t.starts_with("无已知版权") {
        return Some("http://rightsstatements.org/vocab/NKC/1.0/".into());
    }
    if upper == "PUBLIC DOMAIN" || upper.starts_with("PUBLIC DOMAIN MARK") || t == "公有领域" {
        return Some("http://creativecommons.org/publicdomain/mark/1.0/".into());
    }
    if let Some(kind) = upper.strip_prefix("CC ") {
        let mut parts = kind.split_whitespace();
        let k = parts.next()?.to_lowercase();
        let v = parts.next().unwrap_or("4.0");
        return Some(format!("http://creativecommons.org/licenses/{k}/{v}/"));
    }
    None
}

/// rightsstatements.org's statements: code, Chinese, English, whether free to reuse.
const STATEMENTS: &[(&str, &str, &str, bool)] = &[
    ("InC", "受版权保护", "In Copyright", false),
    ("InC-EDU", "受版权保护，允许教育使用", "In Copyright – Educational Use Permitted", false),
    ("InC-NC", "受版权保护，允许非商业使用", "In Copyright – Non-Commercial Use Permitted", false),
    ("InC-OW-EU", "受版权保护，欧盟孤儿作品", "In Copyright – EU Orphan Work", false),
    (
        "InC-RUU",
        "受版权保护，权利人不明或无法联系",
        "In Copyright – Rights-holder(s) Unlocatable or Unidentifiable",
        false,
    ),
    ("NoC-CR", "无版权，有合同限制", "No Copyright – Contractual Restrictions", false),
    ("NoC-NC", "无版权，仅限非商业使用", "No Copyright – Non-Commercial Use Only", false),
    ("NoC-OKLR", "无版权，有其他法律限制", "No Copyright – Other Known Legal Restrictions", false),
    ("NoC-US", "在美国无版权", "No Copyright – United States", true),
    ("CNE", "版权未评估", "Copyright Not Evaluated", false),
    ("UND", "版权状况未定", "Copyright Undetermined", false),
    ("NKC", "无已知版权", "No Known Copyright", true),
];

/// Creative Commons licence elements, as their names are read.
fn cc_name(kind: &str, version: &str) -> Option<(String, String)> {
    let (zh, en) = match kind {
        "by" => ("署名", "Attribution"),
        "by-sa" => ("署名—相同方式共享", "Attribution-ShareAlike"),
        "by-nd" => ("署名—禁止演绎", "Attribution-NoDerivatives"),
        "by-nc" => ("署名—非商业性使用", "Attribution-NonCommercial"),
        "by-nc-sa" => ("署名—非商业性使用—相同方式共享", "Attribution-NonCommercial-ShareAlike"),
        "by-nc-nd" => ("署名—非商业性使用—禁止演绎", "Attribution-NonCommercial-NoDerivatives"),
        _ => return None,
    };
    Some((format!("知识共享 {zh} {version}"), format!("Creative Commons {en} {version}")))
}

/// The statement `written` names, if it names a standard one.
pub fn read(written: &str) -> Option<Rights> {
    let uri = licence_uri(written)?;
    let path = uri.trim_start_matches("http://");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (zh, en, open) = match parts.as_slice() {
        ["creativecommons.org", "publicdomain", "zero", v, ..] => {
            (format!("CC0 {v} 公共领域贡献"), format!("CC0 {v} Public Domain Dedication"), true)
        }
        ["creativecommons.org", "publicdomain", "mark", v, ..] => {
            (format!("公有领域标识 {v}"), format!("Public Domain Mark {v}"), true)
        }
        ["creativecommons.org", "licenses", kind, v, ..] => {
            let (zh, en) = cc_name(kind, v)?;
            // A licence that forbids commercial use or derivatives still lets a visitor download and cite.
            (zh, en, true)
        }
        ["rightsstatements.org", "vocab", code, _v, ..] => {
            let (_, zh, en, open) = STATEMENTS.iter().find(|(c, ..)| c == code)?;
            (zh.to_string(), en.to_string(), *open)
        }
        _ => return None,
    };
    Some(Rights { uri, zh, en, open })
}

/// What a record that says nothing about its rights is shown with.
pub fn not_evaluated() -> Rights {
    read("http://rightsstatements.org/vocab/CNE/1.0/").expect("a known statement")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris_read_as_statements_in_words() {
        let cc0 = read("CC0").unwrap();
        assert_eq!(
            (cc0.uri.as_str(), cc0.en.as_str(), cc0.open),
            ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 Public Domain Dedication", true)
        );
        let by = read("https://creativecommons.org/licenses/by-nc/4.0/").unwrap();
        assert_eq!(
            (by.zh.as_str(), by.en.as_str()),
            ("知识共享 署名—非商业性使用 4.0", "Creative Commons Attribution-NonCommercial 4.0")
        );
        let inc = read("http://rightsstatements.org/vocab/InC/1.0/").unwrap();
        assert_eq!((inc.zh.as_str(), inc.open), ("受版权保护", false));
        assert_eq!(not_evaluated().en, "Copyright Not Evaluated");
        assert!(read("版权所有，翻印必究").is_none(), "a curator's own words stay theirs");
        assert!(read("http://rightsstatements.org/vocab/XYZ/1.0/").is_none());
        let nkc = read("No known copyright restrictions (Brooklyn Museum)").unwrap();
        assert_eq!((nkc.en.as_str(), nkc.open), ("No Known Copyright", true));
    }
}
