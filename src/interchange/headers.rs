//! The column headers registers use, and the field each names: the national
//! census template's (总登记号, 藏品名称 … in Simplified or Traditional
//! characters), and those English-speaking museums use, the public exports of
//! MoMA (`Artworks.csv`), Tate and the Metropolitan Museum (`MetObjects.csv`)
//! among them. Headers are compared by letters and digits alone, in lower
//! case: `Credit Line`, `CreditLine` and `credit_line` are one header.

/// What each column holds: the fields a register can fill, and their headers.
pub const FIELDS: &[(&str, &[&str])] = &[
    (
        "accession",
        &[
            "总登记号",
            "藏品总登记号",
            "登记号",
            "accession number",
            "accession no",
            "acc no",
            "object number",
            "inventory number",
        ],
    ),
    ("receipt", &["入馆凭证号", "凭证号", "receipt number", "deed number", "deed of gift number"]),
    ("title", &["藏品名称", "名称", "题名", "title", "object title", "name"]),
    ("title_en", &["英文名称", "english title", "title (english)", "title_en"]),
    ("other_titles", &["曾用名", "原名", "other titles", "former title", "former titles"]),
    ("object_name", &["物品名称", "object name", "object type", "type"]),
    ("maker", &["作者", "作者/制作者", "maker", "artist", "creator", "artist display name", "artist/maker", "author"]),
    ("period", &["年代", "period", "era", "dynasty"]),
    ("date", &["具体年代", "date", "date made", "date text", "object date"]),
    ("category", &["类别", "category", "classification"]),
    ("material", &["质地", "material", "materials"]),
    // A medium is written in words (`Gelatin silver photograph`): kept as written, never matched to terms.
    ("technique", &["工艺", "制作工艺", "technique", "medium", "material and technique", "materials and techniques"]),
    ("quantity", &["数量", "实际数量", "quantity", "count"]),
    ("length", &["通长", "length"]),
    ("width", &["通宽", "width"]),
    ("height", &["通高", "height"]),
    ("dimensions", &["具体尺寸", "尺寸", "dimensions", "measurements"]),
    ("weight", &["质量", "重量", "weight"]),
    ("completeness", &["完残程度", "completeness"]),
    ("preservation", &["保存状态", "preservation", "state of preservation"]),
    ("acquisition_method", &["来源方式", "入藏方式", "acquisition method", "method of acquisition"]),
    ("source", &["具体来源", "来源", "source", "provenance"]),
    ("credit_line", &["致谢", "credit line", "credit"]),
    ("department", &["部门", "收藏部门", "保管部门", "department", "curatorial department"]),
    ("inscription", &["题识", "款识", "铭文", "inscription", "inscriptions", "marks", "inscriptions and marks"]),
    ("donor", &["捐赠人", "捐赠者", "donor", "donors"]),
    (
        "acquired",
        &[
            "入藏日期",
            "入藏时间",
            "入藏年度",
            "date acquired",
            "acquisition date",
            "acquisition year",
            "accession year",
            "acquired",
        ],
    ),
    ("description", &["备注", "描述", "简介", "description", "notes", "remarks"]),
    ("storage_location", &["存放位置", "库房位置", "storage location", "location"]),
    ("valuation", &["估价", "估值", "valuation", "value"]),
    ("donor_contact", &["捐赠人联系方式", "联系方式", "donor contact", "donor contact details"]),
    ("internal_notes", &["内部备注", "internal notes"]),
    ("published", &["公开", "是否公开", "published", "public"]),
];

/// The census template's header of `field` (the first of its headers in [`FIELDS`]).
pub fn census_header(field: &str) -> &'static str {
    FIELDS.iter().find(|(f, _)| *f == field).map(|(_, h)| h[0]).unwrap_or_else(|| panic!("no field `{field}`"))
}

/// A header reduced to what tells it apart: letters and digits, lower case, in
/// Simplified characters.
fn key(header: &str) -> String {
    let h: String = header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    crate::model::text::to_simplified(&h)
}

/// The field a header names, by the census template or its English equivalents.
/// Traditional-character headers (總登記號) are recognised as their Simplified forms.
pub fn field_of(header: &str) -> Option<&'static str> {
    let h = key(header);
    if h.is_empty() {
        return None;
    }
    FIELDS.iter().find(|(_, names)| names.iter().any(|n| key(n) == h)).map(|(f, _)| *f)
}

#[cfg(test)]
mod tests {
    use super::{FIELDS, field_of, key};

    #[test]
    fn the_headers_of_museums_public_exports_are_recognised() {
        // MoMA's Artworks.csv, Tate's artwork data, the Met's MetObjects.csv.
        for (header, field) in [
            ("AccessionNumber", "accession"),
            ("accession_number", "accession"),
            ("Object Number", "accession"),
            ("Accession No.", "accession"),
            ("Title", "title"),
            ("Artist", "maker"),
            ("Artist Display Name", "maker"),
            ("Date", "date"),
            ("dateText", "date"),
            ("Object Date", "date"),
            ("Medium", "technique"),
            ("Materials", "material"),
            ("Department", "department"),
            ("收藏部门", "department"),
            ("Dimensions", "dimensions"),
            ("CreditLine", "credit_line"),
            ("Credit Line", "credit_line"),
            ("creditLine", "credit_line"),
            ("Classification", "category"),
            ("Object Name", "object_name"),
            ("DateAcquired", "acquired"),
            ("acquisitionYear", "acquired"),
            ("AccessionYear", "acquired"),
            ("inscription", "inscription"),
            ("Inscriptions", "inscription"),
            ("Provenance", "source"),
            ("Period", "period"),
            ("總登記號", "accession"),
            ("藏品名稱", "title"),
            ("具體尺寸", "dimensions"),
            ("備註", "description"),
            ("\u{feff}总登记号", "accession"),
        ] {
            assert_eq!(field_of(header), Some(field), "{header}");
        }
        assert_eq!(field_of("ConstituentID"), None);
        assert_eq!(field_of(" "), None);
    }

    #[test]
    fn no_two_fields_share_a_header() {
        let mut seen = std::collections::HashMap::new();
        for (field, names) in FIELDS {
            for n in *names {
                if let Some(other) = seen.insert(key(n), *field) {
                    panic!("`{n}` names both {other} and {field}");
                }
            }
        }
    }
}
