//! What a person reads for each of the catalogue's codes, in both languages: statuses,
//! roles, image roles, inscription kinds, audit actions, kinds of record and field
//! names. Pages never show a code itself; a code without a label here is shown as the
//! text a curator gave (an inscription kind they typed), never as a program's word.
//!
//! The field names are the census template's (第一次全国可移动文物普查): 年代 is the
//! period, 具体年代 the date as written, 名称 the title.

use serde_json::Value;

use crate::model::artefact::{PublicationStatus, TransferMethod};
use crate::model::dimensions::DimensionKind;
use crate::model::donation::DonationStatus;
use crate::model::image::{ImageRole, Visibility};
use crate::model::role::Role;
use crate::model::vocab::{Vocabularies, names};
use crate::web::pages::i18n::Lang;

mod fields;

pub use fields::{field, field_name, field_names, form_field};

/// One label in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Label {
    pub const fn new(zh: &'static str, en: &'static str) -> Label {
        Label { zh, en }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn l(zh: &'static str, en: &'static str) -> Label {
    Label::new(zh, en)
}

pub fn publication_status(s: PublicationStatus) -> Label {
    match s {
        PublicationStatus::Draft => l("草稿", "Draft"),
        PublicationStatus::Internal => l("仅内部可见", "Internal only"),
        PublicationStatus::Published => l("已公开", "Published"),
    }
}

/// A status as the search index keeps it (`draft`, `internal`, `published`, `deaccessioned`).
pub fn status_code(code: &str) -> Option<Label> {
    Some(match code {
        "draft" => publication_status(PublicationStatus::Draft),
        "internal" => publication_status(PublicationStatus::Internal),
        "published" => publication_status(PublicationStatus::Published),
        "deaccessioned" => l("已注销", "Deaccessioned"),
        _ => return None,
    })
}

pub fn donation_status(s: DonationStatus) -> Label {
    match s {
        DonationStatus::Offered => l("拟捐赠", "Offered"),
        DonationStatus::Received => l("已接收", "Received"),
        DonationStatus::Accessioned => l("已入藏", "Accessioned"),
        DonationStatus::Declined => l("已婉拒", "Declined"),
        DonationStatus::Returned => l("已退还", "Returned"),
    }
}

pub fn location_kind(k: crate::model::location::LocationKind) -> Label {
    use crate::model::location::LocationKind;
    match k {
        LocationKind::Storage => l("库房", "Storage"),
        LocationKind::Display => l("展厅", "Display"),
        LocationKind::OffSite => l("馆外", "Off site"),
    }
}

pub fn move_reason(r: crate::model::location::MoveReason) -> Label {
    use crate::model::location::MoveReason;
    match r {
        MoveReason::Storage => l("入库存放", "Storage"),
        MoveReason::Display => l("陈列展出", "Display"),
        MoveReason::Conservation => l("保护修复", "Conservation"),
        MoveReason::Photography => l("拍摄", "Photography"),
        MoveReason::Loan => l("借展", "Loan"),
        MoveReason::Inventory => l("盘点", "Inventory"),
        MoveReason::Research => l("研究", "Research"),
        MoveReason::Recorded => l("登记位置", "Location recorded"),
    }
}

/// What an inventory check found of an object; `None` while it is not marked.
pub fn check_mark(m: Option<crate::catalogue::Mark>) -> Label {
    use crate::catalogue::Mark;
    match m {
        None => l("未核对", "Not seen"),
        Some(Mark::Found) => l("在位", "Found"),
        Some(Mark::Missing) => l("未找到", "Missing"),
        Some(Mark::Elsewhere) => l("在别处找到", "Found elsewhere"),
    }
}

pub fn role(r: Role) -> Label {
    match r {
        Role::Researcher => l("研究人员", "Researcher"),
        Role::Curator => l("保管员", "Curator"),
        Role::Admin => l("管理员", "Administrator"),
    }
}

pub fn image_role(r: ImageRole) -> Label {
    match r {
        ImageRole::Primary => l("主图", "Main view"),
        ImageRole::Detail => l("局部", "Detail"),
        ImageRole::Verso => l("背面", "Reverse"),
        ImageRole::Inscription => l("题识", "Inscription"),
        ImageRole::Condition => l("品相记录", "Condition"),
        ImageRole::Document => l("文件", "Document"),
    }
}

pub fn visibility(v: Visibility) -> Label {
    match v {
        Visibility::Public => l("公开", "Public"),
        Visibility::Internal => l("内部", "Internal"),
    }
}

/// Every image role, in the order a form offers them.
pub const IMAGE_ROLES: [ImageRole; 6] = [
    ImageRole::Primary,
    ImageRole::Detail,
    ImageRole::Verso,
    ImageRole::Inscription,
    ImageRole::Condition,
    ImageRole::Document,
];

/// The kinds of inscription the catalogue knows, as stored and as read.
pub const INSCRIPTION_KINDS: [(&str, Label); 5] = [
    ("dedication", l("上款", "Dedication")),
    ("signature", l("落款", "Signature")),
    ("seal", l("印章", "Seal")),
    ("colophon", l("题跋", "Colophon")),
    ("mark", l("款识", "Mark")),
];

/// An inscription's kind as read: the catalogue's kinds by their names, any other
/// (typed by a curator or carried from a register) as written.
pub fn inscription_kind(kind: &str, lang: Lang) -> String {
    INSCRIPTION_KINDS.iter().find(|(k, _)| *k == kind).map_or_else(|| kind.to_string(), |(_, n)| n.get(lang).into())
}

/// The kind a curator typed, as stored: one of the catalogue's kinds when it is typed
/// by its name in either language (上款, Seal), else as written.
pub fn inscription_code(typed: &str) -> String {
    let t = typed.trim();
    INSCRIPTION_KINDS
        .iter()
        .find(|(code, n)| t == *code || t == n.zh || t.eq_ignore_ascii_case(n.en))
        .map_or_else(|| t.to_string(), |(code, _)| (*code).to_string())
}

/// How an object passed from one owner to the next, as a sentence says it.
pub fn transfer_method(m: TransferMethod, lang: Lang) -> &'static str {
    let label = match m {
        TransferMethod::Creation => l("创作", "made by"),
        TransferMethod::ByDescent => l("家族传承", "by descent"),
        TransferMethod::Gift => l("赠予", "gift"),
        TransferMethod::Bequest => l("遗赠", "bequest"),
        TransferMethod::Purchase => l("购买", "purchase"),
        TransferMethod::Commission => l("委托", "commission"),
        TransferMethod::Exchange => l("交换", "exchange"),
        TransferMethod::Transfer => l("调拨", "transfer"),
        TransferMethod::Excavation => l("发掘", "excavation"),
        TransferMethod::Unknown => l("不详", "unknown"),
    };
    label.get(lang)
}

/// What one measurement measures.
pub fn dimension_kind(k: DimensionKind, lang: Lang) -> &'static str {
    let label = match k {
        DimensionKind::Height => l("高", "Height"),
        DimensionKind::Width => l("宽", "Width"),
        DimensionKind::Depth => l("深", "Depth"),
        DimensionKind::Length => l("长", "Length"),
        DimensionKind::Thickness => l("厚", "Thickness"),
        DimensionKind::Diameter => l("直径", "Diameter"),
        DimensionKind::Circumference => l("周长", "Circumference"),
        DimensionKind::Weight => l("重", "Weight"),
        DimensionKind::Duration => l("时长", "Duration"),
        DimensionKind::Size => l("尺寸", "Size"),
    };
    label.get(lang)
}

/// A facet value as a person reads it: vocabulary codes in their language, `has_image` as yes or no.
pub fn value_label(vocab: &Vocabularies, lang: Lang, facet: &str, value: &str) -> String {
    let t = lang.text();
    let vocabulary = match facet {
        "category" => names::CATEGORY,
        "material" => names::MATERIAL,
        "period" => names::PERIOD,
        "has_image" => return if value == "yes" { t.yes.into() } else { t.no.into() },
        "maker" | "donor" if lang == Lang::En => return crate::model::english::name_with_pinyin(value),
        _ => return value.to_string(),
    };
    match vocab.resolve(vocabulary, value) {
        Ok(term) if lang == Lang::En && !term.en.is_empty() => term.en.clone(),
        Ok(term) => term.zh.clone(),
        Err(_) => value.to_string(),
    }
}

/// A vocabulary term by its name in `lang` (the code itself when the vocabulary no
/// longer has it).
pub fn term(vocab: &Vocabularies, vocabulary: &str, code: &str, lang: Lang) -> String {
    vocab
        .get(vocabulary)
        .and_then(|v| v.terms.iter().find(|t| t.code == code))
        .map_or_else(|| code.to_string(), |t| if lang == Lang::Zh { t.zh.clone() } else { t.en.clone() })
}

/// A stored value as a curator would write it, for a history or a comparison: text as
/// text, vocabulary terms and the catalogue's codes by their names, dates and
/// measurements as written, people by name, lists one item after another.
pub fn value(field: &str, v: &Value, vocab: &Vocabularies, lang: Lang) -> String {
    shown(field, v, vocab, lang).unwrap_or_else(|| "—".into())
}

fn shown(key: &str, v: &Value, vocab: &Vocabularies, lang: Lang) -> Option<String> {
    let vocabulary = match key {
        "category" => Some(names::CATEGORY),
        "materials" => Some(names::MATERIAL),
        "period" => Some(names::PERIOD),
        "acquisition_method" => Some(names::ACQUISITION_METHOD),
        "completeness" => Some(names::COMPLETENESS),
        "preservation" => Some(names::PRESERVATION),
        "grade" => Some(names::GRADE),
        _ => None,
    };
    let list_sep = if lang == Lang::Zh { "、" } else { "; " };
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(if *b { l("是", "yes") } else { l("否", "no") }.get(lang).into()),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(match (key, vocabulary) {
            (_, Some(vocabulary)) => term(vocab, vocabulary, s, lang),
            ("status", _) => status_code(s)
                .or_else(|| serde_json::from_value(v.clone()).ok().map(donation_status))
                .map_or_else(|| s.clone(), |l| l.get(lang).into()),
            ("method", _) => {
                serde_json::from_value(v.clone()).map_or_else(|_| s.clone(), |m| transfer_method(m, lang).into())
            }
            ("kind", _) => match serde_json::from_value::<DimensionKind>(v.clone()) {
                Ok(k) => dimension_kind(k, lang).into(),
                Err(_) => inscription_kind(s, lang),
            },
            ("role", _) => {
                serde_json::from_value(v.clone()).map_or_else(|_| s.clone(), |r| image_role(r).get(lang).into())
            }
            ("visibility", _) => {
                serde_json::from_value(v.clone()).map_or_else(|_| s.clone(), |r| visibility(r).get(lang).into())
            }
            // A movement's.
            ("reason", _) => crate::model::location::MoveReason::parse(s)
                .map_or_else(|| s.clone(), |r| move_reason(r).get(lang).into()),
            ("moved_on", _) => {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_or_else(|_| s.clone(), |d| day(d, lang))
            }
            _ => s.clone(),
        }),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter_map(|i| shown(key, i, vocab, lang)).collect();
            (!items.is_empty()).then(|| items.join(if key == "materials" { list_sep } else { " ｜ " }))
        }
        Value::Object(o) => {
            // A date or a measurement as written; a text in two languages; a person by name.
            if let Some(text) = o.get("text").and_then(Value::as_str).filter(|t| !t.trim().is_empty())
                && key != "inscriptions"
            {
                return Some(text.to_string());
            }
            if key == "title" || key == "description" || key == "occasion" || key == "name" || key == "caption" {
                let both: Vec<&str> = ["zh", "en"].iter().filter_map(|k| o.get(*k).and_then(Value::as_str)).collect();
                return (!both.is_empty()).then(|| both.join(" / "));
            }
            if key == "quantity"
                && let (Some(c), Some(u)) = (o.get("count"), o.get("unit").and_then(Value::as_str))
            {
                return Some(format!("{c}{u}"));
            }
            if key == "makers"
                && let Some(name) = o.get("name").and_then(Value::as_str)
            {
                let role = o.get("role").and_then(Value::as_str);
                return Some(role.map_or_else(|| name.to_string(), |r| format!("{name}（{r}）")));
            }
            if key == "dimensions" || key == "items" {
                // Measured values without the text they came from: 高 23.7 cm.
                let items = o.get("items").and_then(Value::as_array).cloned().unwrap_or_else(|| vec![v.clone()]);
                let parts: Vec<String> = items
                    .iter()
                    .filter_map(|i| {
                        let kind = serde_json::from_value::<DimensionKind>(i.get("kind")?.clone()).ok()?;
                        let unit = i.get("unit").and_then(Value::as_str).unwrap_or_default();
                        Some(format!("{} {} {unit}", dimension_kind(kind, lang), i.get("value")?))
                    })
                    .collect();
                return (!parts.is_empty()).then(|| parts.join(list_sep));
            }
            let sep = if lang == Lang::Zh { "：" } else { ": " };
            let parts: Vec<String> = o
                .iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "normalised" | "earliest" | "latest" | "qualifier" | "id" | "party_id")
                })
                .filter_map(|(k, v)| shown(k, v, vocab, lang).map(|t| format!("{}{sep}{t}", field_name(k, lang))))
                .collect();
            (!parts.is_empty()).then(|| parts.join(if lang == Lang::Zh { "；" } else { "; " }))
        }
    }
}

/// The actions the audit log records.
pub fn action(a: &str) -> Option<Label> {
    Some(match a {
        "create" => l("新建", "Created"),
        "update" => l("修改", "Changed"),
        "batch" => l("批量修改", "Changed in a batch"),
        "import" => l("导入", "Imported"),
        "deaccession" => l("注销", "Deaccessioned"),
        "move" => l("移动", "Moved"),
        "entry" => l("接收入馆", "Received into the museum"),
        "exit" => l("出馆", "Left the museum"),
        "start" => l("开始盘点", "Check started"),
        "finish" => l("完成盘点", "Check finished"),
        "sign_in" => l("登录", "Signed in"),
        "sign_out" => l("退出登录", "Signed out"),
        "create_token" => l("创建访问令牌", "Created an access token"),
        "revoke_token" => l("撤销访问令牌", "Revoked an access token"),
        _ => return None,
    })
}

/// An audit action as read; an action without a label (of a later version) as written.
pub fn action_name(a: &str, lang: Lang) -> String {
    action(a).map_or_else(|| a.to_string(), |l| l.get(lang).to_string())
}

/// Fields every change touches, which a history or a log does not list.
pub fn is_bookkeeping(field: &str) -> bool {
    matches!(field, "version" | "updated_at")
}

/// The kinds of record the audit log speaks of.
pub fn entity(e: &str) -> Option<Label> {
    Some(match e {
        "artefact" => l("藏品", "Object"),
        "party" => l("人物或机构", "Person or organisation"),
        "donation" => l("捐赠", "Donation"),
        "user" => l("用户", "User"),
        "image" => l("图像", "Image"),
        "vocabulary" => l("词表", "Vocabulary"),
        "location" => l("存放位置", "Location"),
        "inventory_check" => l("盘点", "Inventory check"),
        "setting" => l("设置", "Setting"),
        _ => return None,
    })
}

/// Who did something, as a person reads it: a user by name, the catalogue's own work
/// (`system:cli`, `system:import`) as what it was.
pub fn actor(actor: &str, lang: Lang) -> String {
    let Some(what) = actor.strip_prefix("system:") else { return actor.to_string() };
    let label = match what {
        "demo" => l("演示数据（系统）", "demo data (system)"),
        "bench" => l("性能测试（系统）", "benchmark (system)"),
        "migration" => l("数据库升级（系统）", "database upgrade (system)"),
        // `catalogue import`, `catalogue images` and the rest, run without `--as`.
        _ => l("命令行（系统）", "command line (system)"),
    };
    label.get(lang).to_string()
}

/// A moment as the museum's staff read it, in its time zone: 2026年12月1日 14:05, or
/// 1 Dec 2026, 14:05.
pub fn time(at: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    match lang {
        Lang::Zh => local.format("%Y年%-m月%-d日 %H:%M").to_string(),
        Lang::En => local.format("%-d %b %Y, %H:%M").to_string(),
    }
}

/// A day as the museum's staff read it: 2026年12月7日, or 7 Dec 2026.
pub fn day(d: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// The kinds of relation between two people a record may hold: code, and how a list
/// names it in Chinese and in English.
pub const RELATION_KINDS: &[(&str, &str, &str)] = &[
    ("descendant_of", "后人", "descendant of"),
    ("child_of", "子女", "child of"),
    ("grandchild_of", "孙辈", "grandchild of"),
    ("spouse_of", "配偶", "spouse of"),
    ("sibling_of", "兄弟姐妹", "sibling of"),
    ("member_of", "成员", "member of"),
    ("related_to", "相关", "related to"),
];

/// A relation to `other` as a sentence part: `李书城后人`, `descendant of Li Shucheng`.
pub fn relation(kind: &str, other: &str, lang: Lang) -> String {
    let (zh, en) = RELATION_KINDS
        .iter()
        .find(|(code, _, _)| *code == kind)
        .map_or(("相关", "related to"), |(_, zh, en)| (*zh, *en));
    match (lang, kind) {
        (Lang::Zh, "member_of") => format!("{other}{zh}"),
        (Lang::Zh, "related_to") => format!("与{other}{zh}"),
        (Lang::Zh, "descendant_of") => format!("{other}{zh}"),
        (Lang::Zh, _) => format!("{other}之{zh}"),
        (Lang::En, _) => format!("{en} {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_the_museum_s_zone() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T06:05:09Z").unwrap().to_utc();
        assert_eq!(time(at, chrono_tz::Asia::Shanghai, Lang::Zh), "2026年12月1日 14:05");
        assert_eq!(time(at, chrono_tz::Asia::Shanghai, Lang::En), "1 Dec 2026, 14:05");
        assert_eq!(time(at, chrono_tz::Europe::London, Lang::En), "1 Dec 2026, 06:05");
    }

    #[test]
    fn every_code_has_a_label_in_each_language_and_labels_differ_from_codes() {
        let mut labels: Vec<(&str, Label)> = Vec::new();
        for s in [PublicationStatus::Draft, PublicationStatus::Internal, PublicationStatus::Published] {
            labels.push((s.as_str(), publication_status(s)));
        }
        for s in [
            DonationStatus::Offered,
            DonationStatus::Received,
            DonationStatus::Accessioned,
            DonationStatus::Declined,
            DonationStatus::Returned,
        ] {
            labels.push((s.as_str(), donation_status(s)));
        }
        for r in [Role::Researcher, Role::Curator, Role::Admin] {
            labels.push((r.as_str(), role(r)));
        }
        for r in IMAGE_ROLES {
            labels.push((r.as_str(), image_role(r)));
        }
        for e in ["artefact", "party", "donation", "user", "image", "vocabulary"] {
            labels.push((e, entity(e).unwrap()));
        }
        for a in ["create", "update", "import", "deaccession", "sign_in", "sign_out", "create_token", "revoke_token"] {
            labels.push((a, action(a).unwrap()));
        }
        for (code, label) in labels {
            assert!(label.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{code}: {label:?}");
            assert!(label.en.is_ascii() && label.en != code, "{code}: {label:?}");
        }
        assert_eq!(inscription_kind("seal", Lang::Zh), "印章");
        assert_eq!(inscription_kind("侧款", Lang::En), "侧款", "a kind a curator typed is kept");
        assert_eq!(
            (inscription_code("上款"), inscription_code("seal"), inscription_code("侧款")),
            ("dedication".into(), "seal".into(), "侧款".into())
        );
    }

    #[test]
    fn every_field_of_a_record_has_a_name() {
        // Every property the API's schema gives a record and its private part.
        let props = |schema: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| -> Vec<String> {
            let v = serde_json::to_value(schema).unwrap();
            v["properties"].as_object().unwrap().keys().cloned().collect()
        };
        let mut names = props(<crate::model::artefact::ArtefactBody as utoipa::PartialSchema>::schema());
        names.extend(props(<crate::model::artefact::ArtefactPrivate as utoipa::PartialSchema>::schema()));
        names.extend(
            ["accession_number", "deaccession", "storage_location", "valuation", "internal_notes"].map(String::from),
        );
        for f in names {
            assert!(field(&f).is_some(), "the field {f} has no name");
        }
        assert_eq!(field_names(&["title".to_string(), "credit_line".to_string()], Lang::Zh), "名称、致谢署名");
        assert_eq!(form_field("ins_text_0", Lang::Zh), "题识 1：释文");
        assert_eq!(form_field("prov_owner_2", Lang::En), "Provenance 3: owner");
        assert_eq!(form_field("title_zh", Lang::En), "Title (Chinese)");
    }
}
