//! The page: one HTML file with its styles, script and data inlined. The assets are
//! compiled in (`include_str!`), so the binary alone writes the report and the page
//! loads nothing from anywhere.

const TEMPLATE: &str = include_str!("page.html");
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// The page with `data` (JSON that cannot close a script element) inlined.
pub fn html(data: &str) -> String {
    let mut out = String::with_capacity(TEMPLATE.len() + STYLE.len() + SCRIPT.len() + data.len());
    let mut rest = TEMPLATE;
    for (marker, text) in [
        ("/*STYLE*/", STYLE),
        ("/*DATA*/", data),
        ("/*SCRIPT*/", SCRIPT),
    ] {
        let at = rest.find(marker).expect("the template has every marker");
        out.push_str(&rest[..at]);
        out.push_str(text);
        rest = &rest[at + marker.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn everything_is_inline() {
        let page = super::html("{}");
        assert!(page.contains("<script id=\"data\" type=\"application/json\">{}</script>"));
        for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
            assert!(!page.contains(external), "{external}");
        }
    }
}
