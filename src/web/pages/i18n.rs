//! The public site's two languages: which one a visitor reads, and every
//! interface string in both.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::model::common::LocalText;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The value of the `lang` attribute of the page.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" | "zh-tw" | "zh-hant" | "zh-hk" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// A record's text in this language, else the other; with the language it is in.
    pub fn pick(self, t: &LocalText) -> Option<(String, &'static str)> {
        let (first, second) = match self {
            Lang::Zh => ((&t.zh, "zh"), (&t.en, "en")),
            Lang::En => ((&t.en, "en"), (&t.zh, "zh")),
        };
        [first, second]
            .into_iter()
            .find_map(|(v, code)| v.as_deref().filter(|s| !s.trim().is_empty()).map(|s| (s.to_string(), code)))
    }
}

/// The visitor's language: `?lang=` (remembered in a cookie), else the cookie, else
/// `Accept-Language`, else Chinese.
pub struct PageLang {
    pub lang: Lang,
    /// Set when the URL chose the language: the answer remembers it in a cookie.
    pub chosen: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(&v))
        });
        if let Some(lang) = from_query {
            return Ok(PageLang { lang, chosen: true });
        }
        let from_cookie = parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            c.split(';').find_map(|kv| {
                let (k, v) = kv.trim().split_once('=')?;
                (k == "lang").then(|| Lang::parse(v)).flatten()
            })
        });
        if let Some(lang) = from_cookie {
            return Ok(PageLang { lang, chosen: false });
        }
        let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Ok(PageLang { lang: from_accept_language(accept), chosen: false })
    }
}

/// The preferred of Chinese and English in an `Accept-Language` header (Chinese if neither).
pub fn from_accept_language(header: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("zh") => Lang::Zh,
            Some("en") => Lang::En,
            _ => continue,
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::Zh, |(_, l)| l)
}

/// A party's name as a page in `l` shows it: on English pages the English name (else the
/// pinyin) with the Chinese beside it, `Li Zhenya 李振亚`.
pub fn display_name(p: &crate::model::party::Party, l: Lang) -> String {
    match (l, p.name.zh.as_deref(), p.name.en.as_deref()) {
        (Lang::En, Some(zh), Some(en)) if en != zh => format!("{en} {zh}"),
        (Lang::En, Some(zh), None) => crate::model::english::name_with_pinyin(zh),
        _ => l.pick(&p.name).map(|(n, _)| n).unwrap_or_default(),
    }
}

/// The language a name is in: one that begins in Latin letters (`Li Zhenya 李振亚`) is English.
pub fn name_lang(s: &str) -> &'static str {
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) || !crate::model::english::has_chinese(s) { "en" } else { "zh" }
}

/// Every string of the public interface.
pub struct Text {
    pub site_name: &'static str,
    pub site_description: &'static str,
    pub skip_to_content: &'static str,
    pub switch_language: &'static str,
    pub other_language_name: &'static str,
    pub nav_search: &'static str,
    pub nav_donors: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub home_intro: &'static str,
    pub home_donations: &'static str,
    pub results_count: &'static str,
    pub results_for: &'static str,
    pub no_results: &'static str,
    pub no_results_hints: &'static str,
    pub try_other_script: &'static str,
    /// Before a query that finds more: "Did you mean".
    pub did_you_mean: &'static str,
    pub remove_filters: &'static str,
    pub filters: &'static str,
    pub active_filters: &'static str,
    pub remove: &'static str,
    pub sort: &'static str,
    pub sort_apply: &'static str,
    pub sort_relevance: &'static str,
    pub sort_accession: &'static str,
    pub sort_date: &'static str,
    pub sort_date_desc: &'static str,
    pub sort_acquired: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    pub pagination: &'static str,
    pub no_image: &'static str,
    pub related_original: &'static str,
    pub related_reproductions: &'static str,
    pub colon: &'static str,
    pub paren_open: &'static str,
    pub paren_close: &'static str,
    pub list_sep: &'static str,
    pub download_image: &'static str,
    pub pixels: &'static str,
    pub image_rights: &'static str,
    pub rights_smaller: &'static str,
    pub related_heading: &'static str,
    pub related_donation: &'static str,
    pub related_donor: &'static str,
    pub related_maker: &'static str,
    pub related_like: &'static str,
    pub related_all: &'static str,
    pub copy_citation: &'static str,
    pub copied: &'static str,
    pub name_simplified: &'static str,
    pub name_traditional: &'static str,
    pub name_english: &'static str,
    pub name_pinyin: &'static str,
    pub name_other: &'static str,
    pub life_dates: &'static str,
    pub biography: &'static str,
    pub relations: &'static str,
    pub person_objects: &'static str,
    pub person_donations: &'static str,
    pub see_all_results: &'static str,
    pub names_heading: &'static str,
    pub view_list: &'static str,
    pub view_grid: &'static str,
    pub view_label: &'static str,
    pub per_page_label: &'static str,
    pub browse_values: &'static str,
    pub object_count_one: &'static str,
    pub nav_browse: &'static str,
    pub browse_intro: &'static str,
    pub browse_category: &'static str,
    pub browse_period: &'static str,
    pub browse_material: &'static str,
    pub browse_maker: &'static str,
    pub browse_donor: &'static str,
    pub browse_donation: &'static str,
    pub browse_acquired: &'static str,
    pub objects_count: &'static str,
    pub browse_all: &'static str,
    pub home_featured: &'static str,
    pub home_browse: &'static str,
    pub staff_scope: &'static str,
    pub staff_workspace: &'static str,
    pub staff_csv: &'static str,
    pub not_published: &'static str,
    pub staff_sign_in: &'static str,
    pub facet_category: &'static str,
    pub facet_material: &'static str,
    pub facet_period: &'static str,
    pub facet_maker: &'static str,
    pub facet_donor: &'static str,
    pub facet_donation: &'static str,
    pub facet_acquired: &'static str,
    pub facet_has_image: &'static str,
    /// The date-range filter: its heading, its two fields and its button.
    pub facet_year: &'static str,
    pub year_from: &'static str,
    pub year_to: &'static str,
    pub year_hint: &'static str,
    pub apply: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub accession_number: &'static str,
    pub other_titles: &'static str,
    pub object_name: &'static str,
    pub department: &'static str,
    pub category: &'static str,
    pub maker: &'static str,
    pub date: &'static str,
    pub period: &'static str,
    pub materials: &'static str,
    pub technique: &'static str,
    pub dimensions: &'static str,
    pub dimensions_as_written: &'static str,
    pub quantity: &'static str,
    pub inscriptions: &'static str,
    pub transcription: &'static str,
    pub translation: &'static str,
    pub position: &'static str,
    pub description: &'static str,
    pub provenance: &'static str,
    pub acquisition: &'static str,
    pub donation: &'static str,
    pub credit_line: &'static str,
    pub rights: &'static str,
    pub record_source: &'static str,
    pub reproduction: &'static str,
    pub reproduction_of: &'static str,
    pub see_original: &'static str,
    pub images: &'static str,
    pub viewer_label: &'static str,
    pub iiif_manifest: &'static str,
    pub open_in_mirador: &'static str,
    pub iiif_drag: &'static str,
    pub no_scans: &'static str,
    pub cite: &'static str,
    pub permalink: &'static str,
    pub citation: &'static str,
    pub accessed: &'static str,
    pub donors_title: &'static str,
    pub donors_intro: &'static str,
    pub gifts: &'static str,
    pub donation_items: &'static str,
    pub donors: &'static str,
    pub venue: &'static str,
    pub anonymous: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub bad_request_title: &'static str,
    pub request_problem_title: &'static str,
    pub back_home: &'static str,
}

pub static ZH: Text = Text {
    site_name: "馆藏检索",
    site_description: "检索本馆公开的藏品：题名、作者、年代、质地、题识与捐赠者。",
    skip_to_content: "跳到正文",
    switch_language: "English",
    other_language_name: "English",
    nav_search: "检索",
    nav_donors: "捐赠者名录",
    search_label: "检索藏品",
    search_placeholder: "题名、作者、题识、捐赠者……可用简体、繁体、拼音或英文",
    search_button: "检索",
    home_intro: "以简体字、繁体字、拼音或英文检索本馆公开的藏品。",
    home_donations: "捐赠",
    results_count: "件藏品",
    results_for: "检索",
    no_results: "没有找到相符的藏品。",
    no_results_hints: "可以试试：减少检索词、检查错别字、改用拼音或英文，或者去掉筛选条件。",
    try_other_script: "换一种字形检索：",
    did_you_mean: "您是不是要找：",
    remove_filters: "去掉全部筛选",
    filters: "筛选",
    active_filters: "已选条件",
    remove: "去掉",
    sort: "排序",
    sort_apply: "排序",
    sort_relevance: "相关度",
    sort_accession: "总登记号",
    sort_date: "年代（由早到晚）",
    sort_date_desc: "年代（由晚到早）",
    sort_acquired: "入藏时间",
    previous: "上一页",
    next: "下一页",
    page: "第{}页",
    pagination: "分页",
    no_image: "暂无图像",
    related_original: "原件",
    related_reproductions: "本件的复制品",
    colon: "：",
    paren_open: "（",
    paren_close: "）",
    list_sep: "，",
    download_image: "下载图像",
    pixels: "像素",
    image_rights: "权利",
    rights_smaller: "依其权利状况提供较小尺寸",
    related_heading: "相关藏品",
    related_donation: "本次捐赠的其他藏品",
    related_donor: "{}捐赠的其他藏品",
    related_maker: "{}的其他作品",
    related_like: "同类藏品（{}）",
    related_all: "查看全部",
    copy_citation: "复制引用",
    copied: "已复制",
    name_simplified: "简体",
    name_traditional: "繁体",
    name_english: "英文",
    name_pinyin: "拼音",
    name_other: "其他名称",
    life_dates: "生卒年",
    biography: "简介",
    relations: "关系",
    person_objects: "藏品",
    person_donations: "捐赠",
    see_all_results: "在检索中查看全部",
    names_heading: "名称",
    view_list: "列表",
    view_grid: "网格",
    view_label: "显示方式",
    per_page_label: "每页",
    browse_values: "项",
    object_count_one: "件",
    nav_browse: "浏览",
    browse_intro: "按类别、年代、质地、作者、捐赠者、捐赠和入藏年份浏览本馆公开的藏品。",
    browse_category: "类别",
    browse_period: "年代",
    browse_material: "质地",
    browse_maker: "作者",
    browse_donor: "捐赠者",
    browse_donation: "捐赠",
    browse_acquired: "入藏年份",
    objects_count: "件",
    browse_all: "查看全部",
    home_featured: "藏品精选",
    home_browse: "浏览藏品",
    staff_scope: "您已登录：正在检索全部馆藏（内部索引），包括未公开的记录",
    staff_workspace: "工作台",
    staff_csv: "将结果导出为 CSV",
    not_published: "未公开",
    staff_sign_in: "工作人员登录",
    facet_category: "类别",
    facet_material: "质地",
    facet_period: "年代",
    facet_maker: "作者",
    facet_donor: "捐赠者",
    facet_donation: "捐赠活动",
    facet_acquired: "入藏年份",
    facet_has_image: "有无图像",
    facet_year: "年代范围",
    year_from: "起始年",
    year_to: "截止年",
    year_hint: "公元前用负数，如 -221",
    apply: "筛选",
    yes: "有",
    no: "无",
    accession_number: "总登记号",
    other_titles: "曾用名",
    object_name: "物品名称",
    department: "部门",
    category: "类别",
    maker: "作者",
    date: "具体年代",
    period: "年代",
    materials: "质地",
    technique: "工艺",
    dimensions: "尺寸",
    dimensions_as_written: "原始记录",
    quantity: "数量",
    inscriptions: "题识",
    transcription: "释文",
    translation: "译文",
    position: "位置",
    description: "描述",
    provenance: "流传经过",
    acquisition: "入藏",
    donation: "捐赠",
    credit_line: "致谢署名",
    rights: "版权",
    record_source: "著录来源",
    reproduction: "复制品",
    reproduction_of: "本件为复制品。",
    see_original: "原件记录",
    images: "图像",
    viewer_label: "图像查看器：可缩放、平移",
    iiif_manifest: "IIIF 清单",
    open_in_mirador: "在 Mirador 查看器中打开",
    iiif_drag: "可将 IIIF 图标拖入任一 IIIF 查看器",
    no_scans: "本件尚无扫描图像。",
    cite: "引用本件",
    permalink: "永久链接",
    citation: "引用格式",
    accessed: "访问日期",
    donors_title: "捐赠者名录",
    donors_intro: "感谢以下同意具名的捐赠者。",
    gifts: "捐赠藏品",
    donation_items: "本次捐赠的藏品",
    donors: "捐赠者",
    venue: "地点",
    anonymous: "匿名捐赠",
    not_found_title: "未找到",
    not_found_text: "没有这个页面或藏品。",
    bad_request_title: "无法检索",
    request_problem_title: "无法处理这个请求",
    back_home: "返回首页",
};

pub static EN: Text = Text {
    site_name: "Collection search",
    site_description: "Search the museum's published collection: titles, makers, dates, materials, inscriptions and donors.",
    skip_to_content: "Skip to content",
    switch_language: "中文",
    other_language_name: "中文",
    nav_search: "Search",
    nav_donors: "Donors",
    search_label: "Search the collection",
    search_placeholder: "Title, maker, inscription, donor… in Chinese, pinyin or English",
    search_button: "Search",
    home_intro: "Search the museum's published collection in Simplified or Traditional Chinese, pinyin or English.",
    home_donations: "Donations",
    results_count: "objects",
    results_for: "Search",
    no_results: "No objects match your search.",
    no_results_hints: "Try fewer words, check the spelling, use pinyin or English, or remove filters.",
    try_other_script: "Search in the other script:",
    did_you_mean: "Did you mean:",
    remove_filters: "Remove all filters",
    filters: "Filters",
    active_filters: "Active filters",
    remove: "Remove",
    sort: "Sort by",
    sort_apply: "Sort",
    sort_relevance: "Relevance",
    sort_accession: "Accession number",
    sort_date: "Date (oldest first)",
    sort_date_desc: "Date (newest first)",
    sort_acquired: "Date acquired",
    previous: "Previous",
    next: "Next",
    page: "Page {}",
    pagination: "Pagination",
    no_image: "No image yet",
    related_original: "The original",
    related_reproductions: "Reproductions of this object",
    colon: ": ",
    paren_open: " (",
    paren_close: ")",
    list_sep: ", ",
    download_image: "Download image",
    pixels: "px",
    image_rights: "Rights",
    rights_smaller: "a smaller size, as its rights allow",
    related_heading: "Related objects",
    related_donation: "More from this donation",
    related_donor: "More given by {}",
    related_maker: "More by {}",
    related_like: "More like this ({})",
    related_all: "See all",
    copy_citation: "Copy citation",
    copied: "Copied",
    name_simplified: "Simplified Chinese",
    name_traditional: "Traditional Chinese",
    name_english: "English",
    name_pinyin: "Pinyin",
    name_other: "Other names",
    life_dates: "Dates",
    biography: "Biography",
    relations: "Relations",
    person_objects: "Objects",
    person_donations: "Donations",
    see_all_results: "See them all in search",
    names_heading: "Names",
    view_list: "List",
    view_grid: "Grid",
    view_label: "View",
    per_page_label: "Per page",
    browse_values: "values",
    object_count_one: "object",
    nav_browse: "Browse",
    browse_intro: "Browse the published collection by category, period, material, maker, donor, donation and year acquired.",
    browse_category: "Categories",
    browse_period: "Periods",
    browse_material: "Materials",
    browse_maker: "Makers",
    browse_donor: "Donors",
    browse_donation: "Donations",
    browse_acquired: "Years acquired",
    objects_count: "objects",
    browse_all: "See all",
    home_featured: "Featured objects",
    home_browse: "Browse the collection",
    staff_scope: "You are signed in: searching all holdings (the internal index), unpublished records included",
    staff_workspace: "Workspace",
    staff_csv: "Export these results as CSV",
    not_published: "Not public",
    staff_sign_in: "Staff sign-in",
    facet_category: "Category",
    facet_material: "Material",
    facet_period: "Period",
    facet_maker: "Maker",
    facet_donor: "Donor",
    facet_donation: "Donation",
    facet_acquired: "Year acquired",
    facet_has_image: "Image",
    facet_year: "Date range",
    year_from: "From year",
    year_to: "To year",
    year_hint: "Negative for BCE, e.g. -221",
    apply: "Apply",
    yes: "With image",
    no: "Without image",
    accession_number: "Accession number",
    other_titles: "Other titles",
    object_name: "Object name",
    department: "Department",
    category: "Category",
    maker: "Maker",
    date: "Date",
    period: "Period",
    materials: "Materials",
    technique: "Technique",
    dimensions: "Dimensions",
    dimensions_as_written: "As recorded",
    quantity: "Quantity",
    inscriptions: "Inscriptions",
    transcription: "Transcription",
    translation: "Translation",
    position: "Position",
    description: "Description",
    provenance: "Provenance",
    acquisition: "Acquisition",
    donation: "Donation",
    credit_line: "Credit line",
    rights: "Rights",
    record_source: "Record source",
    reproduction: "Reproduction",
    reproduction_of: "This object is a reproduction.",
    see_original: "Record of the original",
    images: "Images",
    viewer_label: "Image viewer: zoom and pan",
    iiif_manifest: "IIIF manifest",
    open_in_mirador: "Open in the Mirador viewer",
    iiif_drag: "Drag the IIIF logo into any IIIF viewer",
    no_scans: "This object has not been scanned yet.",
    cite: "Cite this object",
    permalink: "Permalink",
    citation: "Citation",
    accessed: "accessed",
    donors_title: "Our donors",
    donors_intro: "With thanks to the donors who agreed to be named.",
    gifts: "Gifts",
    donation_items: "Objects of this donation",
    donors: "Donors",
    venue: "Venue",
    anonymous: "Anonymous gift",
    not_found_title: "Not found",
    not_found_text: "There is no such page or object.",
    bad_request_title: "The search could not be run",
    request_problem_title: "The request could not be answered",
    back_home: "Back to the home page",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_of_the_two() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9,zh;q=0.5"), Lang::En);
        assert_eq!(from_accept_language("fr, zh-TW;q=0.8, en;q=0.7"), Lang::Zh);
        assert_eq!(from_accept_language("de"), Lang::Zh);
        assert_eq!(from_accept_language(""), Lang::Zh);
    }

    #[test]
    fn a_record_falls_back_to_the_language_it_has() {
        let only_zh = LocalText { zh: Some("书法条幅".into()), en: None };
        assert_eq!(Lang::En.pick(&only_zh), Some(("书法条幅".into(), "zh")));
        let both = LocalText { zh: Some("书法".into()), en: Some("Calligraphy".into()) };
        assert_eq!(Lang::En.pick(&both), Some(("Calligraphy".into(), "en")));
        assert_eq!(Lang::Zh.pick(&LocalText::default()), None);
    }
}
