//! The IIIF Image API 3.0 at level 2: parsing a request's region, size,
//! rotation, quality and format, and rendering it from an image's pyramid.

use std::fmt;

use serde_json::{Value, json};

use super::ImageError;
use super::derive::{DerivativeDir, Pyramid, crop, encode_jpeg, resize_channels};

/// The most pixels one response may have; advertised as `maxArea`.
pub const MAX_AREA: u64 = 40_000_000;

pub const CONTEXT: &str = "http://iiif.io/api/image/3/context.json";
pub const PROFILE_URI: &str = "http://iiif.io/api/image/3/level2.json";

/// A request the server could not answer, with the status the specification asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IiifError {
    /// 400 for a malformed request, 501 for a well-formed one this server does not offer.
    pub status: u16,
    pub message: String,
}

impl IiifError {
    fn bad(message: impl Into<String>) -> Self {
        IiifError { status: 400, message: message.into() }
    }
    fn unsupported(message: impl Into<String>) -> Self {
        IiifError { status: 501, message: message.into() }
    }
}

impl fmt::Display for IiifError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Region {
    Full,
    Square,
    Pixels { x: u32, y: u32, w: u32, h: u32 },
    Percent { x: f64, y: f64, w: f64, h: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeKind {
    Max,
    Width(u32),
    Height(u32),
    Percent(f64),
    Exact(u32, u32),
    Confined(u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub kind: SizeKind,
    /// `^`: the result may be larger than the region.
    pub upscale: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    pub mirror: bool,
    /// 0, 90, 180 or 270.
    pub degrees: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    Default,
    Color,
    Gray,
    Bitonal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpg,
    Png,
    Webp,
}

impl ImageFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Jpg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Webp => "image/webp",
        }
    }
    fn ext(self) -> &'static str {
        match self {
            ImageFormat::Jpg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Webp => "webp",
        }
    }
}

/// One parsed image request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageRequest {
    pub region: Region,
    pub size: Size,
    pub rotation: Rotation,
    pub quality: Quality,
    pub format: ImageFormat,
}

/// The request resolved against an image: which pixels, at what size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// Size before rotation.
    pub out_w: u32,
    pub out_h: u32,
}

fn number(s: &str, what: &str) -> Result<u32, IiifError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IiifError::bad(format!("{what}: `{s}` is not a whole number")));
    }
    s.parse().map_err(|_| IiifError::bad(format!("{what}: `{s}` is too large")))
}

fn decimal(s: &str, what: &str) -> Result<f64, IiifError> {
    let ok = !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|&b| b == b'.').count() <= 1;
    match s.parse::<f64>() {
        Ok(v) if ok && v.is_finite() => Ok(v),
        _ => Err(IiifError::bad(format!("{what}: `{s}` is not a number"))),
    }
}

fn four<T>(s: &str, what: &str, f: impl Fn(&str, &str) -> Result<T, IiifError>) -> Result<[T; 4], IiifError> {
    let parts: Vec<&str> = s.split(',').collect();
    let [a, b, c, d] = parts.as_slice() else {
        return Err(IiifError::bad(format!("{what}: expected four comma-separated values x,y,w,h, got `{s}`")));
    };
    Ok([f(a, what)?, f(b, what)?, f(c, what)?, f(d, what)?])
}

impl ImageRequest {
    /// Parses the four path segments after the identifier.
    pub fn parse(region: &str, size: &str, rotation: &str, quality_format: &str) -> Result<ImageRequest, IiifError> {
        let region = match region {
            "full" => Region::Full,
            "square" => Region::Square,
            r if r.starts_with("pct:") => {
                let [x, y, w, h] = four(&r[4..], "region", decimal)?;
                if w <= 0.0 || h <= 0.0 {
                    return Err(IiifError::bad("region: width and height must be greater than zero"));
                }
                Region::Percent { x, y, w, h }
            }
            r => {
                let [x, y, w, h] = four(r, "region", number)?;
                if w == 0 || h == 0 {
                    return Err(IiifError::bad("region: width and height must be greater than zero"));
                }
                Region::Pixels { x, y, w, h }
            }
        };
        let (upscale, s) = match size.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, size),
        };
        let kind = match s {
            "max" => SizeKind::Max,
            "full" => return Err(IiifError::bad("size: `full` is from version 2; version 3 says `max`")),
            s if s.starts_with("pct:") => {
                let p = decimal(&s[4..], "size")?;
                if p <= 0.0 {
                    return Err(IiifError::bad("size: the percentage must be greater than zero"));
                }
                SizeKind::Percent(p)
            }
            s if s.starts_with('!') => {
                let (w, h) =
                    s[1..].split_once(',').ok_or_else(|| IiifError::bad(format!("size: `{s}` should be !w,h")))?;
                SizeKind::Confined(number(w, "size")?, number(h, "size")?)
            }
            s => match s.split_once(',') {
                Some((w, "")) => SizeKind::Width(number(w, "size")?),
                Some(("", h)) => SizeKind::Height(number(h, "size")?),
                Some((w, h)) => SizeKind::Exact(number(w, "size")?, number(h, "size")?),
                None => return Err(IiifError::bad(format!("size: `{s}` is not max, w,, ,h, w,h, !w,h or pct:n"))),
            },
        };
        let (mirror, deg) = match rotation.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, rotation),
        };
        let degrees = decimal(deg, "rotation")?;
        if degrees > 360.0 {
            return Err(IiifError::bad("rotation: must be between 0 and 360"));
        }
        let whole = if degrees.fract() == 0.0 { Some(degrees as u32) } else { None };
        let degrees = match whole {
            Some(0 | 360) => 0,
            Some(d @ (90 | 180 | 270)) => d,
            _ => return Err(IiifError::unsupported("rotation: only multiples of 90 degrees are offered")),
        };
        let (quality, format) = quality_format
            .rsplit_once('.')
            .ok_or_else(|| IiifError::bad(format!("`{quality_format}` should be quality.format, e.g. default.jpg")))?;
        let quality = match quality {
            "default" => Quality::Default,
            "color" => Quality::Color,
            "gray" => Quality::Gray,
            "bitonal" => Quality::Bitonal,
            q => return Err(IiifError::bad(format!("quality: `{q}` is not default, color, gray or bitonal"))),
        };
        let format = match format {
            "jpg" => ImageFormat::Jpg,
            "png" => ImageFormat::Png,
            "webp" => ImageFormat::Webp,
            "tif" | "gif" | "jp2" | "pdf" => {
                return Err(IiifError::unsupported(format!("format: `{format}` is not offered; use jpg, png or webp")));
            }
            f => return Err(IiifError::bad(format!("format: `{f}` is not an image format; use jpg, png or webp"))),
        };
        Ok(ImageRequest {
            region,
            size: Size { kind, upscale },
            rotation: Rotation { mirror, degrees },
            quality,
            format,
        })
    }

    /// Which pixels, at which size, for an image of `width`×`height`.
    pub fn plan(&self, width: u32, height: u32) -> Result<Crop, IiifError> {
        let (x, y, w, h) = match self.region {
            Region::Full => (0, 0, width, height),
            Region::Square => {
                let side = width.min(height);
                ((width - side) / 2, (height - side) / 2, side, side)
            }
            Region::Pixels { x, y, w, h } => {
                if x >= width || y >= height {
                    return Err(IiifError::bad(format!("region: it lies outside the {width}×{height} image")));
                }
                (x, y, w.min(width - x), h.min(height - y))
            }
            Region::Percent { x, y, w, h } => {
                let px = |p: f64, total: u32| (p / 100.0 * f64::from(total)).round() as u64;
                let (x0, y0) = (px(x, width), px(y, height));
                if x0 >= u64::from(width) || y0 >= u64::from(height) {
                    return Err(IiifError::bad(format!("region: it lies outside the {width}×{height} image")));
                }
                let (x0, y0) = (x0 as u32, y0 as u32);
                let w = (px(w, width).max(1) as u32).min(width - x0);
                let h = (px(h, height).max(1) as u32).min(height - y0);
                (x0, y0, w, h)
            }
        };
        let scaled = |v: u32, num: u32, den: u32| -> u32 {
            ((u64::from(v) * u64::from(num) + u64::from(den) / 2) / u64::from(den.max(1))).max(1) as u32
        };
        let fit_area = |ow: u32, oh: u32| -> (u32, u32) {
            let area = u64::from(ow) * u64::from(oh);
            if area <= MAX_AREA {
                return (ow, oh);
            }
            let s = (MAX_AREA as f64 / area as f64).sqrt();
            (((f64::from(ow) * s) as u32).max(1), ((f64::from(oh) * s) as u32).max(1))
        };
        let (ow, oh) = match self.size.kind {
            // `max` and `^max` alike: the region as it is, within the largest area served.
            SizeKind::Max => fit_area(w, h),
            SizeKind::Width(tw) => (tw, scaled(h, tw, w)),
            SizeKind::Height(th) => (scaled(w, th, h), th),
            SizeKind::Percent(p) => {
                let f = |v: u32| ((f64::from(v) * p / 100.0).round() as u32).max(1);
                (f(w), f(h))
            }
            SizeKind::Exact(tw, th) => (tw, th),
            SizeKind::Confined(bw, bh) => {
                // The largest size with the region's aspect that fits in bw×bh.
                let by_w = (bw, scaled(h, bw, w));
                let fit = if by_w.1 <= bh { by_w } else { (scaled(w, bh, h), bh) };
                // Without `^`, "as large as possible but not larger than the region"
                // (Image API 3.0, 4.4): a box larger than the region gets the region.
                if !self.size.upscale && (fit.0 > w || fit.1 > h) { fit_area(w, h) } else { fit }
            }
        };
        if ow == 0 || oh == 0 {
            return Err(IiifError::bad("size: width and height must be greater than zero"));
        }
        if !self.size.upscale && (ow > w || oh > h) {
            return Err(IiifError::bad(format!(
                "size: {ow}×{oh} is larger than the {w}×{h} region; ask with ^ to allow upscaling"
            )));
        }
        if u64::from(ow) * u64::from(oh) > MAX_AREA {
            return Err(IiifError::bad(format!(
                "size: {ow}×{oh} is more than the {MAX_AREA} pixels one response may have"
            )));
        }
        Ok(Crop { x, y, w, h, out_w: ow, out_h: oh })
    }

    /// The canonical form of this request for an image of `width`×`height` (for the Link header).
    pub fn canonical(&self, plan: &Crop, width: u32, height: u32) -> String {
        let region = if (plan.x, plan.y, plan.w, plan.h) == (0, 0, width, height) {
            "full".to_string()
        } else {
            format!("{},{},{},{}", plan.x, plan.y, plan.w, plan.h)
        };
        let size = if (plan.out_w, plan.out_h) == (plan.w, plan.h) {
            "max".to_string()
        } else {
            let up = if plan.out_w > plan.w || plan.out_h > plan.h { "^" } else { "" };
            format!("{up}{},{}", plan.out_w, plan.out_h)
        };
        let rotation = format!("{}{}", if self.rotation.mirror { "!" } else { "" }, self.rotation.degrees);
        let quality = match self.quality {
            Quality::Default | Quality::Color => "default",
            Quality::Gray => "gray",
            Quality::Bitonal => "bitonal",
        };
        format!("{region}/{size}/{rotation}/{quality}.{}", self.format.ext())
    }

    /// When this request is exactly one stored tile, its level, column and row.
    pub fn as_tile(&self, plan: &Crop, p: &Pyramid) -> Option<(u32, u32, u32)> {
        if self.rotation != (Rotation { mirror: false, degrees: 0 })
            || !matches!(self.quality, Quality::Default | Quality::Color)
            || self.format != ImageFormat::Jpg
        {
            return None;
        }
        // A tile at the image's right or bottom edge fits the region test at several
        // levels; the one whose tile has the size asked for is the stored tile.
        (0..p.levels).find_map(|k| {
            let span = p.tile << k;
            // A whole tile's span, or less of it where the image ends.
            let fits = plan.x.is_multiple_of(span)
                && plan.y.is_multiple_of(span)
                && (plan.w == span || (plan.w < span && plan.x + plan.w == p.width))
                && (plan.h == span || (plan.h < span && plan.y + plan.h == p.height));
            if !fits {
                return None;
            }
            let (lw, lh) = p.level_size(k);
            let (col, row) = (plan.x / span, plan.y / span);
            let tw = p.tile.min(lw - col * p.tile);
            let th = p.tile.min(lh - row * p.tile);
            ((plan.out_w, plan.out_h) == (tw, th)).then_some((k, col, row))
        })
    }
}

/// Renders `req` from the pyramid in `dir`: the encoded bytes.
pub fn render(req: &ImageRequest, plan: &Crop, p: &Pyramid, dir: &DerivativeDir) -> Result<Vec<u8>, ImageError> {
    // The most reduced level that still has at least the pixels asked for.
    let mut k = 0;
    while k + 1 < p.levels {
        let s = 1u32 << (k + 1);
        if plan.w / s >= plan.out_w && plan.h / s >= plan.out_h {
            k += 1;
        } else {
            break;
        }
    }
    let s = 1u32 << k;
    let (lw, lh) = p.level_size(k);
    let lx = plan.x / s;
    let ly = plan.y / s;
    let lx2 = (plan.x + plan.w).div_ceil(s).min(lw);
    let ly2 = (plan.y + plan.h).div_ceil(s).min(lh);
    let (rw, rh) = ((lx2 - lx).max(1), (ly2 - ly).max(1));
    let mut region = vec![0u8; rw as usize * rh as usize * 3];
    for row in ly / p.tile..=(ly + rh - 1) / p.tile {
        for col in lx / p.tile..=(lx + rw - 1) / p.tile {
            let bytes = std::fs::read(dir.tile(k, col, row))?;
            let tile = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
                .map_err(|e| ImageError::Internal(format!("tile {k}/{col}_{row}: {e}")))?
                .into_rgb8();
            let (tw, th) = tile.dimensions();
            let (tx0, ty0) = (col * p.tile, row * p.tile);
            // Intersection of this tile with the region, in level coordinates.
            let ix0 = lx.max(tx0);
            let iy0 = ly.max(ty0);
            let ix1 = (lx + rw).min(tx0 + tw);
            let iy1 = (ly + rh).min(ty0 + th);
            if ix0 >= ix1 || iy0 >= iy1 {
                continue;
            }
            let part = crop(tile.as_raw(), tw, ix0 - tx0, iy0 - ty0, ix1 - ix0, iy1 - iy0);
            let pw = (ix1 - ix0) as usize * 3;
            for (i, line) in part.chunks(pw).enumerate() {
                let at = ((iy0 - ly) as usize + i) * rw as usize * 3 + (ix0 - lx) as usize * 3;
                region[at..at + pw].copy_from_slice(line);
            }
        }
    }
    let (mut w, mut h) = (rw, rh);
    let mut channels = 3;
    let mut pixels = region;
    if matches!(req.quality, Quality::Gray | Quality::Bitonal) {
        pixels = pixels
            .chunks_exact(3)
            .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114 + 500) / 1000) as u8)
            .collect();
        channels = 1;
    }
    if (w, h) != (plan.out_w, plan.out_h) {
        pixels = resize_channels(&pixels, w, h, plan.out_w, plan.out_h, channels)?;
        (w, h) = (plan.out_w, plan.out_h);
    }
    if req.quality == Quality::Bitonal {
        for v in &mut pixels {
            *v = if *v >= 128 { 255 } else { 0 };
        }
    }
    if req.rotation.mirror {
        pixels = mirror(&pixels, w, h, channels);
    }
    for _ in 0..req.rotation.degrees / 90 {
        pixels = rotate90(&pixels, w, h, channels);
        (w, h) = (h, w);
    }
    encode(&pixels, w, h, channels, req.format)
}

fn mirror(pixels: &[u8], w: u32, h: u32, c: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixels.len());
    for row in pixels.chunks(w as usize * c).take(h as usize) {
        for px in row.chunks(c).rev() {
            out.extend_from_slice(px);
        }
    }
    out
}

/// Rotates clockwise by 90 degrees.
fn rotate90(pixels: &[u8], w: u32, h: u32, c: usize) -> Vec<u8> {
    let (w, h) = (w as usize, h as usize);
    let mut out = vec![0u8; pixels.len()];
    // Source (x, y) goes to (h - 1 - y, x) in an image h wide.
    for y in 0..h {
        for x in 0..w {
            let src = (y * w + x) * c;
            let dst = (x * h + (h - 1 - y)) * c;
            out[dst..dst + c].copy_from_slice(&pixels[src..src + c]);
        }
    }
    out
}

fn encode(pixels: &[u8], w: u32, h: u32, channels: usize, format: ImageFormat) -> Result<Vec<u8>, ImageError> {
    use image::ImageEncoder;
    let ct = if channels == 1 { image::ExtendedColorType::L8 } else { image::ExtendedColorType::Rgb8 };
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpg => return encode_jpeg(pixels, w, h, channels, 90),
        ImageFormat::Png => image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(pixels, w, h, ct),
        ImageFormat::Webp => image::codecs::webp::WebPEncoder::new_lossless(&mut out).write_image(pixels, w, h, ct),
    }
    .map_err(|e| ImageError::Internal(format!("encoding: {e}")))?;
    Ok(out)
}

/// The `info.json` of an image served at `id` (its full URL without `/info.json`).
pub fn info(id: &str, p: &Pyramid) -> Value {
    let sizes: Vec<Value> = (0..p.levels)
        .rev()
        .map(|k| p.level_size(k))
        .filter(|&(w, h)| u64::from(w) * u64::from(h) <= MAX_AREA)
        .map(|(w, h)| json!({"width": w, "height": h}))
        .collect();
    json!({
        "@context": CONTEXT,
        "id": id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": p.width,
        "height": p.height,
        "maxArea": MAX_AREA,
        "sizes": sizes,
        "tiles": [{"width": p.tile, "height": p.tile, "scaleFactors": p.scale_factors()}],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFormats": ["png", "webp"],
        "extraFeatures": [
            "canonicalLinkHeader", "profileLinkHeader", "mirroring", "regionByPct", "regionByPx", "regionSquare",
            "rotationBy90s", "sizeByConfinedWh", "sizeByH", "sizeByPct", "sizeByW", "sizeByWh", "sizeUpscaling",
            "baseUriRedirect", "cors", "jsonldMediaType"
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(region: &str, size: &str) -> ImageRequest {
        ImageRequest::parse(region, size, "0", "default.jpg").unwrap()
    }

    #[test]
    fn regions_and_sizes_resolve_as_the_specification_says() {
        let full = req("full", "max").plan(1000, 800).unwrap();
        assert_eq!((full.w, full.h, full.out_w, full.out_h), (1000, 800, 1000, 800));
        let sq = req("square", "max").plan(1000, 800).unwrap();
        assert_eq!((sq.x, sq.y, sq.w, sq.h), (100, 0, 800, 800));
        let clipped = req("900,700,500,500", "max").plan(1000, 800).unwrap();
        assert_eq!((clipped.w, clipped.h), (100, 100));
        let pct = req("pct:10,10,50,50", "max").plan(1000, 800).unwrap();
        assert_eq!((pct.x, pct.y, pct.w, pct.h), (100, 80, 500, 400));
        assert_eq!(req("full", "500,").plan(1000, 800).unwrap().out_h, 400);
        assert_eq!(req("full", ",400").plan(1000, 800).unwrap().out_w, 500);
        assert_eq!(req("full", "pct:50").plan(1000, 800).unwrap().out_w, 500);
        let confined = req("full", "!500,500").plan(1000, 800).unwrap();
        assert_eq!((confined.out_w, confined.out_h), (500, 400));
        let up = req("full", "^!2000,3000").plan(1000, 1000).unwrap();
        assert_eq!((up.out_w, up.out_h), (2000, 2000));
    }

    #[test]
    fn a_confining_box_larger_than_the_region_answers_the_region_unscaled() {
        // The object page's "larger image" asks !1600,1600 of images of any size.
        let small = req("full", "!1600,1600").plan(1000, 800).unwrap();
        assert_eq!((small.out_w, small.out_h), (1000, 800));
        let tall = req("full", "!1600,1600").plan(512, 2000).unwrap();
        assert_eq!((tall.out_w, tall.out_h), (410, 1600), "still confined by the box where the region is larger");
        let region = req("0,0,300,200", "!1600,1600").plan(1000, 800).unwrap();
        assert_eq!((region.out_w, region.out_h), (300, 200));
    }

    #[test]
    fn upscaling_needs_the_caret_and_bad_requests_are_400() {
        assert_eq!(req("full", "1200,").plan(1000, 800).unwrap_err().status, 400);
        assert_eq!(req("full", "^1200,").plan(1000, 800).unwrap().out_w, 1200);
        assert_eq!(req("2000,0,10,10", "max").plan(1000, 800).unwrap_err().status, 400);
        for (r, s, rot, qf) in [
            ("abc", "max", "0", "default.jpg"),
            ("full", "full", "0", "default.jpg"),
            ("full", "max", "x", "default.jpg"),
            ("full", "max", "0", "fancy.jpg"),
            ("full", "max", "0", "default.xyz"),
            ("0,0,0,10", "max", "0", "default.jpg"),
            ("full", "max", "400", "default.jpg"),
        ] {
            assert_eq!(ImageRequest::parse(r, s, rot, qf).unwrap_err().status, 400, "{r}/{s}/{rot}/{qf}");
        }
        assert_eq!(ImageRequest::parse("full", "max", "45", "default.jpg").unwrap_err().status, 501);
        assert_eq!(ImageRequest::parse("full", "max", "0", "default.tif").unwrap_err().status, 501);
    }

    #[test]
    fn rotation_and_mirroring_move_pixels_where_they_belong() {
        // 2×1 image: red, blue.
        let px = [255, 0, 0, 0, 0, 255];
        assert_eq!(mirror(&px, 2, 1, 3), vec![0, 0, 255, 255, 0, 0]);
        // Rotated clockwise it is 1 wide, 2 high: red on top.
        assert_eq!(rotate90(&px, 2, 1, 3), vec![255, 0, 0, 0, 0, 255]);
        let tall = rotate90(&px, 2, 1, 3);
        // Again: 2 wide, 1 high, blue on the left.
        assert_eq!(rotate90(&tall, 1, 2, 3), vec![0, 0, 255, 255, 0, 0]);
    }

    #[test]
    fn exact_tile_requests_are_recognised() {
        for ((width, height), region, size, tile) in [
            ((2000, 1500), "512,512,512,512", "512,", Some((0, 1, 1))),
            ((2000, 1500), "1024,0,976,1024", "488,", Some((1, 1, 0))),
            ((2000, 1500), "100,0,512,512", "512,", None),
            // Corner tiles fit the region test at every level up to theirs: the size picks the level.
            ((2000, 1500), "1024,1024,976,476", "488,", Some((1, 1, 1))),
            ((2000, 1500), "full", "500,", Some((2, 0, 0))),
            // Found by the IIIF validator: the whole of a 1000×1000 image at 512×512 is not
            // its top-left tile, though the region starts at a tile and ends at the image's edge.
            ((1000, 1000), "full", "!612,512", None),
            ((1000, 1000), "full", "512,", None),
            ((1000, 1000), "0,0,1000,512", "512,", None),
            ((1000, 1000), "512,0,488,512", "488,", Some((0, 1, 0))),
            ((1000, 1000), "full", "500,", Some((1, 0, 0))),
        ] {
            let r = req(region, size);
            let plan = r.plan(width, height).unwrap();
            assert_eq!(r.as_tile(&plan, &Pyramid::for_size(width, height)), tile, "{width}×{height} {region} {size}");
        }
    }
}
