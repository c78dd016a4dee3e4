//! Text helpers every layer uses: compatibility forms folded, the two Chinese scripts,
//! and percent-encoding a path segment.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// The OpenCC Traditional→Simplified converter (phrase level).
static T2S: LazyLock<OpenCC> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).expect("built-in OpenCC t2s tables"));

/// The OpenCC Simplified→Traditional converter, for offering a query in the other script.
static S2T: LazyLock<OpenCC> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::S2t).expect("built-in OpenCC s2t tables"));

/// Whether `c` is a CJK ideograph (the unified blocks, their extensions and the compatibility forms).
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// `text` in NFKC (full-width and compatibility forms folded). Text already in
/// that form, as nearly all is, is only checked, not rebuilt.
pub fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
    match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfkc().collect()),
    }
}

/// `text` in Traditional characters.
pub fn to_traditional(text: &str) -> String {
    // Neither script has a letter in ASCII: English text is not walked through the tables.
    match text.is_ascii() {
        true => text.to_string(),
        false => S2T.convert(text),
    }
}

/// `text` in Simplified characters.
pub fn to_simplified(text: &str) -> String {
    match text.is_ascii() {
        true => text.to_string(),
        false => T2S.convert(text),
    }
}

/// Percent-encodes a path segment (accession numbers may hold CJK characters, spaces and slashes).
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `s` as one segment of an IRI (RFC 3987): what [`urlencode`] gives, but with letters
/// beyond ASCII left as they are, for people to read (`/objects/贈扇00000600000`).
pub fn iri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if !c.is_ascii() && !c.is_whitespace() && !c.is_control() {
            out.push(c);
        } else {
            out.push_str(&urlencode(c.encode_utf8(&mut buf)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_convert_both_ways() {
        assert_eq!(to_simplified("李書城"), "李书城");
        assert_eq!(to_traditional("李书城"), "李書城");
        assert_eq!(to_simplified("Li Shucheng 李書城, 1882"), "Li Shucheng 李书城, 1882");
        assert_eq!(to_simplified("Li Shucheng, 1882"), "Li Shucheng, 1882");
    }

    #[test]
    fn segments_are_encoded_whole() {
        assert_eq!(urlencode("MC 7/1"), "MC%207%2F1");
        assert_eq!(urlencode("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn an_iri_keeps_the_letters_people_read_and_encodes_the_rest() {
        assert_eq!(iri_encode("贈扇00000600000"), "贈扇00000600000");
        assert_eq!(iri_encode("MC 7/1"), "MC%207%2F1");
        assert_eq!(iri_encode("藏　1#2?"), "藏%E3%80%801%232%3F", "a full-width space is encoded");
    }

    #[test]
    fn nfkc_folds_compatibility_forms_and_keeps_normal_text_as_is() {
        assert_eq!(nfkc("ＡＢＣ１２３ 李書城"), "ABC123 李書城");
        assert_eq!(nfkc("ﬁ ㎝"), "fi cm");
        assert!(matches!(nfkc("Brassaï, 1923, 纵23.7厘米"), std::borrow::Cow::Borrowed(_)));
    }
}
