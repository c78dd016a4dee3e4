//! Security headers on every response, set in one layer.
//!
//! - `Content-Security-Policy`: pages run only the site's own scripts and
//!   styles (no inline script or style, no `eval`), load images from the site
//!   itself (IIIF included), and may not be framed by another site. JSON answers
//!   may load nothing at all. IIIF image responses carry no `frame-ancestors`:
//!   other sites may embed them, as the IIIF Image API intends (with CORS).
//! - `X-Content-Type-Options: nosniff`: a browser takes each response as the
//!   type it is sent as, never guessing a script or a page out of an upload.
//! - `Referrer-Policy`: another site is told only this site's origin, never a
//!   page's path or query; the workspace tells other sites nothing.
//! - `X-Frame-Options: DENY` on pages, for browsers that predate `frame-ancestors`.
//! - `Strict-Transport-Security` when the catalogue is served over HTTPS.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::web::AppState;

/// Pages: the site's own scripts, styles, images and fonts; JSON-LD data blocks
/// are not scripts and need no allowance. Two inline styles are allowed by their
/// hashes, and no other: the one rule OpenSeadragon adds to the page
/// ([`OPENSEADRAGON_STYLE`]), and the empty style elements Mirador's styling library
/// creates before it fills them through the CSS object model (which a policy allows).
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE=' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; \
     img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";
/// The style OpenSeadragon 6.1 adds to a page, allowed by its hash in [`PAGE_POLICY`].
pub const OPENSEADRAGON_STYLE: &str =
    "@media (hover: none) {    .openseadragon-canvas:focus {        outline: none !important;    }}";
/// API answers are data: they load nothing and are never framed.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// IIIF images and descriptions may be embedded anywhere.
pub const IIIF_POLICY: &str = "default-src 'none'; img-src 'self'";

/// Which policy a path answers under.
fn policy(path: &str) -> &'static str {
    if path.starts_with("/iiif/") {
        IIIF_POLICY
    } else if path.starts_with("/api/") || path == "/metrics" || path == "/healthz" {
        API_POLICY
    } else {
        PAGE_POLICY
    }
}

fn is_workspace(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/") || path == "/login" || path == "/logout"
}

/// Middleware: adds the headers to whatever the inner layers answered, errors included.
pub async fn secure(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let policy = policy(&path);
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let referrer = if is_workspace(&path) { "same-origin" } else { "strict-origin-when-cross-origin" };
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    if policy != IIIF_POLICY {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if state.catalogue.config.public_url.as_deref().is_some_and(|u| u.starts_with("https://")) {
        h.insert(HeaderName::from_static("strict-transport-security"), HeaderValue::from_static("max-age=31536000"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policies_allow_no_inline_code_and_no_framing() {
        for path in ["/", "/objects/2023.15.1", "/static/mirador.html", "/admin", "/login", "/nothing-here"] {
            let p = policy(path);
            assert!(!p.contains("unsafe-inline") && !p.contains("unsafe-eval"), "{path}: {p}");
            assert!(p.contains("frame-ancestors 'none'"), "{path}: {p}");
        }
        assert!(!policy("/iiif/3/abc/full/max/0/default.jpg").contains("frame-ancestors"));
        assert_eq!(policy("/api/v1/search"), API_POLICY);
    }

    /// The hashes in the page policy are those of the styles the vendored viewers add:
    /// a new viewer version with another style fails here, not silently in a browser.
    #[test]
    fn the_allowed_inline_styles_are_the_vendored_viewers_own() {
        use base64::Engine;
        use sha2::Digest;
        let hash = |s: &str| base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(s.as_bytes()));
        let osd = include_str!("../../assets/static/vendor/openseadragon/openseadragon.min.js");
        assert!(
            osd.contains(&format!("textContent=\"{OPENSEADRAGON_STYLE}\"")),
            "OpenSeadragon adds another style now"
        );
        assert!(PAGE_POLICY.contains(&format!("'sha256-{}'", hash(OPENSEADRAGON_STYLE))));
        assert!(PAGE_POLICY.contains(&format!("'sha256-{}'", hash(""))));
        assert_eq!(PAGE_POLICY.matches("'sha256-").count(), 2);
    }
}
