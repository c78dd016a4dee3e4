//! The names of a record's fields, as the census template has them (名称, 年代, 具体年代 …),
//! by the names the API, the audit log and the workspace's forms use.

use super::{Label, l};
use crate::web::pages::i18n::Lang;

/// A record's field, by the name the API and the audit log use.
pub fn field(f: &str) -> Option<Label> {
    Some(match f {
        "accession_number" => l("总登记号", "Accession number"),
        "donation_id" => l("所属捐赠", "Donation"),
        "relations" => l("关系", "Relations"),
        // An image's, and an API token's.
        "bytes" => l("文件大小", "File size"),
        "color" => l("色彩", "Colour"),
        "format" => l("文件格式", "File format"),
        "width" => l("宽（像素）", "Width (pixels)"),
        "height" => l("高（像素）", "Height (pixels)"),
        "sha256" => l("校验值", "Checksum"),
        "id" => l("标识", "Identifier"),
        "label" => l("说明", "Label"),
        "title" => l("名称", "Title"),
        "title_zh" => l("名称（中文）", "Title (Chinese)"),
        "title_en" => l("名称（英文）", "Title (English)"),
        "other_titles" => l("其他名称", "Other titles"),
        "object_name" => l("物品名称", "Object name"),
        "category" => l("类别", "Category"),
        "makers" => l("作者", "Makers"),
        "date" => l("具体年代", "Date"),
        "period" => l("年代", "Period"),
        "materials" => l("质地", "Materials"),
        "technique" => l("工艺", "Technique"),
        "dimensions" => l("尺寸", "Dimensions"),
        "inscriptions" => l("题识", "Inscriptions"),
        "description" => l("描述", "Description"),
        "quantity" => l("数量", "Quantity"),
        "completeness" => l("完残程度", "Completeness"),
        "preservation" => l("保存状态", "State of preservation"),
        "grade" => l("级别", "Grade"),
        "acquisition_method" => l("来源方式", "Acquisition method"),
        "source_note" => l("具体来源", "Source"),
        "acquired" => l("入藏日期", "Acquired"),
        "reproduction" => l("复制品", "Reproduction"),
        "rights" => l("版权", "Rights"),
        "credit_line" => l("致谢署名", "Credit line"),
        "department" => l("部门", "Department"),
        "provenance" => l("来源与递藏", "Provenance"),
        "record_source" => l("记录来源", "Record source"),
        "status" => l("公开状态", "Publication"),
        "private" => l("内部信息", "Private"),
        "storage_location" | "private.storage_location" => l("位置备注", "Location note"),
        // What a movement records, in an object's history.
        "location" => l("存放位置", "Location"),
        "moved_on" => l("移动日期", "Moved on"),
        // A setting an admin changed.
        "researchers_see_locations" => l("研究人员可查看存放位置", "Researchers see locations"),
        "valuation" | "private.valuation" => l("估值", "Valuation"),
        "insurance" | "private.insurance" => l("保险", "Insurance"),
        "internal_notes" | "private.internal_notes" => l("内部备注", "Internal notes"),
        "donor_contact" | "private.donor_contact" => l("捐赠人联系方式", "Donor's contact"),
        "deaccession" => l("注销", "Deaccession"),
        "name" => l("姓名", "Name"),
        "naming_consent" => l("同意署名", "Consents to be named"),
        "contact" => l("联系方式", "Contact"),
        "kind" => l("类型", "Kind"),
        "role" => l("角色", "Role"),
        "caption" => l("说明", "Caption"),
        "order" => l("顺序", "Order"),
        "visibility" => l("可见范围", "Visibility"),
        "number" => l("捐赠编号", "Donation number"),
        "year" => l("年份", "Year"),
        "donor_ids" => l("捐赠人", "Donors"),
        "occasion" => l("捐赠场合", "Occasion"),
        "received" => l("接收日期", "Received"),
        "receipt_number" => l("入馆凭证号", "Receipt number"),
        "labels" => l("名称", "Labels"),
        "token_id" => l("访问令牌", "Access token"),
        "text" => l("释文", "Text"),
        "public" => l("公开", "Public"),
        "position" => l("位置", "Position"),
        "translation" => l("译文", "Translation"),
        "note" => l("说明", "Note"),
        "owner" => l("收藏者", "Owner"),
        "method" => l("方式", "How"),
        "original" => l("原件", "The original"),
        "amount" => l("金额", "Amount"),
        "currency" => l("币种", "Currency"),
        "source" => l("来源", "Source"),
        "value" => l("数值", "Value"),
        "unit" => l("单位", "Unit"),
        "count" => l("数量", "Count"),
        "part" => l("部位", "Part"),
        "approximate" => l("约数", "Approximate"),
        "items" => l("尺寸", "Measurements"),
        "reason" => l("原因", "Reason"),
        "date_text" => l("日期", "Date"),
        // The workspace's form fields, where they differ from the record's.
        "description_zh" => l("描述（中文）", "Description (Chinese)"),
        "description_en" => l("描述（英文）", "Description (English)"),
        "reproduction_note" => l("复制说明", "How it was copied"),
        "reproduction_original" => l("原件", "The original"),
        "valuation_amount" => l("估值", "Valuation"),
        "valuation_currency" => l("币种", "Currency"),
        "name_zh" => l("姓名（中文）", "Name (Chinese)"),
        "name_en" => l("姓名（英文）", "Name (English)"),
        "other_names" => l("其他名称", "Other names"),
        "biography_zh" => l("生平（中文）", "Biography (Chinese)"),
        "biography_en" => l("生平（英文）", "Biography (English)"),
        "email" => l("电子邮件", "Email"),
        "phone" => l("电话", "Phone"),
        "address" => l("地址", "Address"),
        "contact_note" => l("联系备注", "Contact note"),
        "relation_kind" => l("关系", "Relation"),
        "relation_name" => l("关系人", "Related to"),
        "relation_note" => l("关系说明", "About the relation"),
        "occasion_zh" => l("捐赠场合（中文）", "Occasion (Chinese)"),
        "occasion_en" => l("捐赠场合（英文）", "Occasion (English)"),
        "venue" => l("地点", "Venue"),
        "terms" => l("捐赠条件", "Terms"),
        "donor" => l("捐赠人", "Donor"),
        _ => return None,
    })
}

/// A field's name as read; a name without a label (a field of a later version) as
/// written, with its underscores as spaces.
pub fn field_name(f: &str, lang: Lang) -> String {
    field(f).map_or_else(|| f.replace('_', " "), |l| l.get(lang).to_string())
}

/// A group of numbered form rows: its prefix, its name, and its parts by name.
type RowGroup = (&'static str, Label, &'static [(&'static str, Label)]);

const ROW_GROUPS: [RowGroup; 2] = [
    (
        "ins_",
        l("题识", "Inscription"),
        &[
            ("kind", l("类型", "kind")),
            ("text", l("释文", "text")),
            ("position", l("位置", "position")),
            ("translation", l("译文", "translation")),
        ],
    ),
    (
        "prov_",
        l("来源与递藏", "Provenance"),
        &[
            ("owner", l("收藏者", "owner")),
            ("method", l("方式", "how")),
            ("date", l("时间", "when")),
            ("note", l("说明", "note")),
        ],
    ),
];

/// A field of a workspace form as read; the numbered rows of inscriptions and
/// provenance by their row: `ins_text_0` → 题识 1：释文 / Inscription 1: text.
pub fn form_field(key: &str, lang: Lang) -> String {
    for (prefix, group, parts) in ROW_GROUPS {
        let Some(rest) = key.strip_prefix(prefix) else { continue };
        let Some((part, n)) = rest.rsplit_once('_') else { continue };
        let (Some((_, part)), Ok(n)) = (parts.iter().find(|(p, _)| *p == part), n.parse::<usize>()) else { continue };
        return match lang {
            Lang::Zh => format!("{} {}：{}", group.zh, n + 1, part.zh),
            Lang::En => format!("{} {}: {}", group.en, n + 1, part.en),
        };
    }
    field_name(key, lang)
}

/// Field names as read, joined in the language's way (、 or a comma).
pub fn field_names<'a>(fields: impl IntoIterator<Item = &'a String>, lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    fields.into_iter().map(|f| field_name(f, lang)).collect::<Vec<_>>().join(sep)
}
