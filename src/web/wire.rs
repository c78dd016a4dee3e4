//! hyper's own answers, in the catalogue's form. A request hyper cannot parse
//! (a request line past the 64 KiB an `http::Uri` holds, headers past its read
//! buffer, bytes that are not HTTP) never reaches the router: hyper answers
//! `414`, `431` or `400` with an empty body and closes the connection. The
//! connection's writer here recognises exactly those answers — an error status
//! with `content-length: 0`, which the router never sends, since every error it
//! answers carries a body (`uniform.rs`) — and sends the catalogue's JSON error
//! with the same status instead. Everything else passes through untouched.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::rt::{Read, ReadBufCursor, Write};

use super::headers::API_POLICY;

/// The JSON error for one of hyper's bare answers, if `head` is one.
fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    let (status, code, message) = if head.starts_with(b"HTTP/1.1 414 ") {
        (
            "414 URI Too Long",
            "uri_too_long",
            format!("the address is too long; the catalogue takes at most {} bytes", super::uniform::MAX_URI_BYTES),
        )
    } else if head.starts_with(b"HTTP/1.1 431 ") {
        (
            "431 Request Header Fields Too Large",
            "headers_too_large",
            format!(
                "the request's headers are too large; the catalogue takes at most {} bytes (clear this site's cookies?)",
                super::uniform::MAX_HEADER_BYTES
            ),
        )
    } else if head.starts_with(b"HTTP/1.1 400 ") {
        ("400 Bad Request", "bad_request", "the request could not be read as HTTP/1.1".to_string())
    } else {
        return None;
    };
    let text = std::str::from_utf8(head).ok()?;
    if !text.ends_with("\r\n\r\n") || !text.to_ascii_lowercase().contains("\r\ncontent-length: 0\r\n") {
        return None;
    }
    let body = serde_json::json!({"code": code, "message": message}).to_string();
    Some(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\
             content-security-policy: {API_POLICY}\r\nx-content-type-options: nosniff\r\nx-frame-options: DENY\r\n\
             referrer-policy: strict-origin-when-cross-origin\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A replacement being written: its bytes, how many are out, and how many of
/// hyper's own bytes it stands for (reported written once it is all out).
struct Swap {
    bytes: Vec<u8>,
    written: usize,
    claimed: usize,
}

/// A connection's I/O for hyper, with hyper's bare error answers replaced.
pub struct Wire<T> {
    inner: T,
    swap: Option<Swap>,
}

impl<T> Wire<T> {
    pub fn new(inner: T) -> Self {
        Wire { inner, swap: None }
    }
}

impl<T: Write + Unpin> Wire<T> {
    fn poll_swap(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let Some(swap) = self.swap.as_mut() else { return Poll::Ready(Ok(0)) };
        while swap.written < swap.bytes.len() {
            match Pin::new(&mut self.inner).poll_write(cx, &swap.bytes[swap.written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => swap.written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        let claimed = swap.claimed;
        self.swap = None;
        Poll::Ready(Ok(claimed))
    }
}

impl<T: Read + Unpin> Read for Wire<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: Write + Unpin> Write for Wire<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.swap.is_none() {
            match replacement(buf) {
                Some(bytes) => this.swap = Some(Swap { bytes, written: 0, claimed: buf.len() }),
                None => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        this.poll_swap(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.swap.is_none() {
            let first = bufs.iter().find(|b| !b.is_empty()).map_or(&[][..], |b| &b[..]);
            let total: usize = bufs.iter().map(|b| b.len()).sum();
            match replacement(first).filter(|_| total == first.len()) {
                Some(bytes) => this.swap = Some(Swap { bytes, written: 0, claimed: total }),
                None => return Pin::new(&mut this.inner).poll_write_vectored(cx, bufs),
            }
        }
        this.poll_swap(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::replacement;

    #[test]
    fn only_hyper_s_bare_error_answers_are_replaced() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let json = String::from_utf8(replacement(bare).unwrap()).unwrap();
        assert!(json.starts_with("HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\n"));
        assert!(json.ends_with(
            r#""code":"uri_too_long","message":"the address is too long; the catalogue takes at most 8192 bytes"}"#
        ));
        let length: usize =
            json.split("content-length: ").nth(1).unwrap().split("\r\n").next().unwrap().parse().unwrap();
        assert_eq!(length, json.split("\r\n\r\n").nth(1).unwrap().len());
        assert!(replacement(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n").is_some());
        // The router's own answers have bodies, and successes are never touched.
        assert!(replacement(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 80\r\n\r\n").is_none());
        assert!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(replacement(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n").is_none(), "not a whole head");
    }
}
