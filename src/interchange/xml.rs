//! A small XML writer for the formats made here (LIDO, OAI-PMH): elements
//! with attributes and escaped text, appended to a string.

/// Escapes text and attribute values; characters XML 1.0 cannot carry are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Default)]
pub struct Xml {
    pub out: String,
}

impl Xml {
    pub fn new() -> Xml {
        Xml::default()
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
        self.out.push('>');
    }

    pub fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// An element holding `text`; nothing at all when the text is blank.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.open(name, attrs);
        self.out.push_str(&escape(text));
        self.close(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_blank_leaves_left_out() {
        let mut x = Xml::new();
        x.open("a", &[("t", "x\"<y>")]);
        x.leaf("b", &[], "1 < 2 & 3\u{1}");
        x.leaf("c", &[], "  ");
        x.close("a");
        assert_eq!(x.out, "<a t=\"x&quot;&lt;y&gt;\"><b>1 &lt; 2 &amp; 3</b></a>");
    }
}
