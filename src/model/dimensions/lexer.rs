//! The dimension parser's lexer: numbers (`12 1/2`, `6' 3"`), `x`, units and
//! labels in Latin or Chinese script, grouped into runs of values with their label.

use super::{DimensionKind, Unit};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Times,
    Range,
    Minus,
    Unit(Unit),
    Word(String),
    Sep,
    Open,
    Close,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

pub(super) fn lex(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let (v, next) = lex_number(&chars, i);
            // `1:18 min.` — minutes and seconds.
            let two_digits = chars.get(next + 1..next + 3).is_some_and(|d| d.iter().all(char::is_ascii_digit))
                && !chars.get(next + 3).is_some_and(char::is_ascii_digit);
            if chars.get(next) == Some(&':') && two_digits {
                let (secs, after) = lex_decimal(&chars, next + 1);
                out.push(Tok::Num(v + secs / 60.0));
                i = after;
                continue;
            }
            out.push(Tok::Num(v));
            i = next;
            continue;
        }
        match c {
            'x' | 'X' | '×' | '*' | '✕' | '╳' if prev_is_value(&out) && next_is_digit(&chars, i + 1) => {
                out.push(Tok::Times);
                i += 1;
                continue;
            }
            '-' | '–' | '—' | '~' | '〜' | '至' if prev_is_value(&out) && next_is_digit(&chars, i + 1) => {
                out.push(Tok::Range);
                i += 1;
                continue;
            }
            '-' | '−' if next_is_digit(&chars, i + 1) => {
                out.push(Tok::Minus);
                i += 1;
                continue;
            }
            '"' | '″' | '”' | '“' if prev_is_value(&out) => {
                out.push(Tok::Unit(Unit::In));
                i += 1;
                continue;
            }
            '\'' | '′' | '’' if matches!(out.last(), Some(Tok::Num(_))) => {
                // NFKC turns `″` into `′′`: two primes are inches.
                if chars.get(i + 1) == Some(&c) {
                    out.push(Tok::Unit(Unit::In));
                    i += 2;
                } else {
                    out.push(Tok::Unit(Unit::Ft));
                    i += 1;
                }
                continue;
            }
            '\n' | '\r' | ';' | '；' | ',' | '，' | '、' | '。' | '/' => {
                out.push(Tok::Sep);
                i += 1;
                continue;
            }
            '(' | '[' | '（' | '【' => {
                out.push(Tok::Open);
                i += 1;
                continue;
            }
            ')' | ']' | '）' | '】' => {
                out.push(Tok::Close);
                i += 1;
                continue;
            }
            _ => {}
        }
        if c.is_alphabetic() && !is_cjk(c) {
            let start = i;
            while i < chars.len() && (chars[i].is_alphabetic() && !is_cjk(chars[i]) || chars[i] == '.') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            push_word(&mut out, &word);
            continue;
        }
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            lex_cjk_run(&mut out, &run);
            continue;
        }
        if c == ':' || c == '：' {
            out.push(Tok::Word(":".into()));
        } else if !c.is_whitespace() {
            out.push(Tok::Word(c.to_string()));
        }
        i += 1;
    }
    out
}

fn prev_is_value(out: &[Tok]) -> bool {
    matches!(out.last(), Some(Tok::Num(_) | Tok::Unit(_)))
}

fn next_is_digit(chars: &[char], mut i: usize) -> bool {
    while chars.get(i).is_some_and(|c| *c == ' ') {
        i += 1;
    }
    chars.get(i).is_some_and(|c| c.is_ascii_digit() || *c == '.')
}

/// Reads `12`, `12.5`, `.5`, `1/2`, `12 1/2` from position `i`.
fn lex_number(chars: &[char], i: usize) -> (f64, usize) {
    let (whole, mut j) = lex_decimal(chars, i);
    // a fraction directly: `1/2`
    if chars.get(j) == Some(&'/') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
        let (den, k) = lex_decimal(chars, j + 1);
        if den > 0.0 {
            return (whole / den, k);
        }
    }
    // a mixed number: `12 1/2`
    let mut k = j;
    while chars.get(k) == Some(&' ') {
        k += 1;
    }
    if k > j && chars.get(k).is_some_and(char::is_ascii_digit) {
        let (num, after_num) = lex_decimal(chars, k);
        if chars.get(after_num) == Some(&'/') && chars.get(after_num + 1).is_some_and(char::is_ascii_digit) {
            let (den, after_den) = lex_decimal(chars, after_num + 1);
            if den > 0.0 && num < den {
                j = after_den;
                return (whole + num / den, j);
            }
        }
    }
    (whole, j)
}

fn lex_decimal(chars: &[char], mut i: usize) -> (f64, usize) {
    let start = i;
    while i < chars.len()
        && (chars[i].is_ascii_digit() || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
    {
        i += 1;
    }
    let s: String = chars[start..i].iter().collect();
    (s.parse().unwrap_or(0.0), i)
}

fn push_word(out: &mut Vec<Tok>, word: &str) {
    if (prev_is_value(out) || matches!(out.last(), Some(Tok::Range)))
        && let Some(u) = Unit::from_word(word)
    {
        out.push(Tok::Unit(u));
        return;
    }
    out.push(Tok::Word(word.to_string()));
}

/// Chinese units and labels run together (`公分；盒長`, `高45厘米`): split units off.
fn lex_cjk_run(out: &mut Vec<Tok>, run: &str) {
    const UNITS: &[&str] = &[
        "公分", "厘米", "釐米", "毫米", "公釐", "公厘", "公尺", "千克", "公斤", "公克", "分钟", "分鐘", "小时", "小時",
        "米", "克", "秒",
    ];
    let mut rest = run;
    if prev_is_value(out)
        && let Some(u) = UNITS.iter().find(|u| rest.starts_with(**u))
    {
        out.push(Tok::Unit(Unit::from_word(u).expect("listed unit")));
        rest = &rest[u.len()..];
    }
    if !rest.is_empty() {
        out.push(Tok::Word(rest.to_string()));
    }
}

/// A run of values joined by `x`, with the label that precedes it.
#[derive(Debug)]
pub(super) struct Group {
    pub(super) label: String,
    /// Each value with the unit written right after it, if any.
    pub(super) values: Vec<(f64, Option<Unit>)>,
    pub(super) unit: Option<Unit>,
    pub(super) in_paren: bool,
    pub(super) negative: bool,
}

pub(super) fn group(tokens: &[Tok]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut label = String::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Tok::Word(w) => {
                if !label.is_empty() && w != ":" {
                    label.push(' ');
                }
                label.push_str(w);
                i += 1;
            }
            Tok::Sep => {
                label.clear();
                i += 1;
            }
            Tok::Open => {
                depth += 1;
                i += 1;
            }
            Tok::Close => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Tok::Minus | Tok::Num(_) => {
                let negative = matches!(tokens[i], Tok::Minus);
                if negative {
                    i += 1;
                }
                let mut g = Group {
                    label: std::mem::take(&mut label),
                    values: Vec::new(),
                    unit: None,
                    in_paren: depth > 0,
                    negative,
                };
                while let Some(Tok::Num(v)) = tokens.get(i) {
                    let mut v = *v;
                    i += 1;
                    let mut own = None;
                    // `6' 3"`: feet and inches
                    if tokens.get(i) == Some(&Tok::Unit(Unit::Ft))
                        && let (Some(Tok::Num(inches)), Some(Tok::Unit(Unit::In))) =
                            (tokens.get(i + 1), tokens.get(i + 2))
                    {
                        v = v * 12.0 + inches;
                        own = Some(Unit::In);
                        i += 3;
                    }
                    // `12.5-13公分`: a range; keep the upper bound as the value.
                    if tokens.get(i) == Some(&Tok::Range)
                        && let Some(Tok::Num(upper)) = tokens.get(i + 1)
                    {
                        v = v.max(*upper);
                        i += 2;
                    }
                    if let Some(Tok::Unit(u)) = tokens.get(i) {
                        if own.is_none() {
                            own = Some(*u);
                        }
                        i += 1;
                    }
                    g.values.push((v, own));
                    if tokens.get(i) == Some(&Tok::Times) {
                        i += 1;
                        continue;
                    }
                    break;
                }
                g.unit = g.values.last().and_then(|v| v.1);
                if !g.values.is_empty() {
                    groups.push(g);
                }
            }
            Tok::Times | Tok::Range | Tok::Unit(_) => i += 1,
        }
    }
    groups
}

/// What a label (`口徑`, `support:`, `H.`, `長寬約`) says about the values after it.
pub(super) struct Label {
    pub(super) part: Option<String>,
    pub(super) kinds: Vec<DimensionKind>,
    pub(super) approximate: bool,
}

impl Label {
    pub(super) fn read(raw: &str) -> Label {
        let raw = raw.trim().trim_end_matches(':').trim();
        let lower = raw.to_lowercase();
        let approximate = lower.contains('约')
            || lower.contains('約')
            || lower.contains("approx")
            || lower.contains("circa")
            || lower.split_whitespace().any(|w| w == "c." || w == "ca.");
        if raw.chars().any(is_cjk) {
            Label::read_chinese(raw, approximate)
        } else {
            Label::read_latin(&lower, approximate)
        }
    }

    fn read_chinese(raw: &str, approximate: bool) -> Label {
        let mut kinds = Vec::new();
        let mut part = String::new();
        for c in raw.chars() {
            let kind = match c {
                '高' | '纵' | '縱' => Some(DimensionKind::Height),
                '宽' | '寬' | '横' | '橫' => Some(DimensionKind::Width),
                '长' | '長' => Some(DimensionKind::Length),
                '厚' => Some(DimensionKind::Thickness),
                '深' => Some(DimensionKind::Depth),
                '径' | '徑' => Some(DimensionKind::Diameter),
                '围' | '圍' => Some(DimensionKind::Circumference),
                '重' => Some(DimensionKind::Weight),
                _ => None,
            };
            match kind {
                Some(k) => kinds.push(k),
                None if !matches!(c, '约' | '約' | '度' | ' ' | ':') => part.push(c),
                None => {}
            }
        }
        // `口徑長`: the diameter of the mouth, measured along its length — the last kind wins.
        if kinds.len() >= 2 && kinds[0] == DimensionKind::Diameter {
            part.push('径');
            kinds.remove(0);
        }
        let part = match part.as_str() {
            "" => None,
            "通" | "全" | "最" | "最大" | "全器" => Some("overall".to_string()),
            _ => Some(part),
        };
        Label { part, kinds, approximate }
    }

    fn read_latin(lower: &str, approximate: bool) -> Label {
        let mut kinds = Vec::new();
        let mut part_words = Vec::new();
        for w in lower.split(|c: char| c.is_whitespace() || c == ':' || c == ',') {
            let w = w.trim_matches(|c: char| c == '(' || c == ')');
            if w.is_empty() {
                continue;
            }
            let kind = match w.trim_end_matches('.') {
                "h" | "height" | "ht" | "high" => Some(DimensionKind::Height),
                "w" | "width" | "wide" => Some(DimensionKind::Width),
                "d" | "depth" | "deep" => Some(DimensionKind::Depth),
                "l" | "length" | "long" => Some(DimensionKind::Length),
                "diam" | "dia" | "diameter" | "dm" => Some(DimensionKind::Diameter),
                "thickness" | "thick" => Some(DimensionKind::Thickness),
                "circumference" | "circ" => Some(DimensionKind::Circumference),
                "weight" | "wt" => Some(DimensionKind::Weight),
                _ => None,
            };
            match kind {
                Some(k) => kinds.push(k),
                None if !matches!(w, "approx." | "approx" | "c." | "ca." | "x" | "irreg." | "irreg") => {
                    part_words.push(w)
                }
                None => {}
            }
        }
        let part = (!part_words.is_empty()).then(|| part_words.join(" "));
        Label { part, kinds, approximate }
    }

    /// The kind of the `k`-th of `n` values after this label.
    pub(super) fn kind_at(&self, k: usize, n: usize) -> DimensionKind {
        if self.kinds.len() == n || (self.kinds.len() > k && n > 1) {
            return self.kinds[k];
        }
        if let [only] = self.kinds.as_slice()
            && n == 1
        {
            return *only;
        }
        // H × W × D is the convention in the catalogues we read.
        match (n, k) {
            (1, _) => self.kinds.first().copied().unwrap_or(DimensionKind::Size),
            (_, 0) => DimensionKind::Height,
            (_, 1) => DimensionKind::Width,
            (_, 2) => DimensionKind::Depth,
            _ => DimensionKind::Size,
        }
    }
}
