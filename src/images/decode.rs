//! Reading an uploaded file: what it is (from its bytes), whether it is within
//! the limits, and its pixels as 8-bit sRGB, oriented as it should be seen.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use image::error::{ImageError as CodecError, LimitErrorKind};
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageFormat, ImageReader, RgbImage};

use super::ImageError;
use crate::images::ImageSettings;

/// What the original file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalInfo {
    /// `jpeg`, `png`, `tiff` or `webp`.
    pub format: &'static str,
    /// Pixel size as stored, before orientation.
    pub width: u32,
    pub height: u32,
    /// Colour model and depth, e.g. `rgb8`, `l16`, `cmyk8`.
    pub color: String,
    pub has_icc_profile: bool,
}

/// A decoded image, ready for derivatives.
pub struct Decoded {
    pub original: OriginalInfo,
    /// Pixels after orientation, in 8-bit sRGB.
    pub rgb: RgbImage,
    /// Things the curator should know (e.g. that only the first page of a TIFF is used).
    pub warnings: Vec<String>,
}

/// The format of the file at `path`, from its first bytes; 415 for anything not accepted.
pub fn sniff(path: &Path) -> Result<ImageFormat, ImageError> {
    let mut head = [0u8; 32];
    let mut file = File::open(path)?;
    let n = read_up_to(&mut file, &mut head)?;
    if n == 0 {
        return Err(ImageError::Rejected("the file is empty (0 bytes); send the image file itself".into()));
    }
    match image::guess_format(&head[..n]) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Tiff | ImageFormat::WebP)) => Ok(f),
        Ok(other) => Err(ImageError::Unsupported(format!(
            "{} images are not accepted; send JPEG, PNG, TIFF or WebP",
            other.extensions_str().first().copied().unwrap_or("these").to_uppercase()
        ))),
        Err(_) => Err(ImageError::Unsupported(
            "this file is not a JPEG, PNG, TIFF or WebP image (the type is read from the file's bytes, not its name)"
                .into(),
        )),
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

pub fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Png => "png",
        ImageFormat::Tiff => "tiff",
        ImageFormat::WebP => "webp",
        _ => "other",
    }
}

/// Decodes the image at `path` within `limits`: pixel count checked from the header before any
/// pixel is read, memory bounded while decoding.
pub fn decode(path: &Path, limits: &ImageSettings) -> Result<Decoded, ImageError> {
    let format = sniff(path)?;
    if format == ImageFormat::Tiff
        && let Some(decoded) = palette_tiff::decode(path, limits)?
    {
        return Ok(decoded);
    }
    let (width, height) = {
        let mut r = reader(path, format)?;
        r.no_limits();
        r.into_dimensions().map_err(|e| classify(e, format))?
    };
    check_pixels(width, height, limits)?;
    if format == ImageFormat::Jpeg && !jpeg_is_complete(path)? {
        return Err(ImageError::Rejected(
            "the JPEG file is truncated: it ends before the image does (no end-of-image marker)".into(),
        ));
    }
    let mut warnings = Vec::new();
    if format == ImageFormat::Tiff {
        let pages = tiff_pages(path);
        if pages > 1 {
            warnings.push(format!("the TIFF has {pages} pages; only the first is used"));
        }
    }
    let mut r = reader(path, format)?;
    let mut l = image::Limits::default();
    l.max_alloc = Some(limits.max_decode_bytes);
    r.limits(l);
    let mut decoder = r.into_decoder().map_err(|e| classify(e, format))?;
    let color = decoder.original_color_type();
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| classify(e, format))?;
    img.apply_orientation(orientation);
    let rgb = to_srgb8(img, icc.as_deref(), color, &mut warnings);
    Ok(Decoded {
        original: OriginalInfo {
            format: format_name(format),
            width,
            height,
            color: color_name(color),
            has_icc_profile: icc.is_some(),
        },
        rgb,
        warnings,
    })
}

fn reader(path: &Path, format: ImageFormat) -> Result<ImageReader<BufReader<File>>, ImageError> {
    let mut r = ImageReader::new(BufReader::new(File::open(path)?));
    r.set_format(format);
    Ok(r)
}

/// Whether a JPEG has its end-of-image marker after its first scan. Inside a scan every 0xFF
/// byte is followed by 0x00 or a restart marker, so FF D9 there can only be the real end.
fn jpeg_is_complete(path: &Path) -> Result<bool, ImageError> {
    let bytes = std::fs::read(path)?;
    let Some(sos) = bytes.windows(2).position(|w| w == [0xFF, 0xDA]) else { return Ok(false) };
    Ok(bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9]))
}

pub(super) fn tiff_pages(path: &Path) -> usize {
    let Ok(file) = File::open(path) else { return 1 };
    let Ok(mut d) = tiff::decoder::Decoder::new(BufReader::new(file)) else { return 1 };
    let mut pages = 1;
    while d.more_images() && pages < 10_000 {
        if d.next_image().is_err() {
            break;
        }
        pages += 1;
    }
    pages
}

/// The pixel-count check every decoder path makes before reading pixels.
fn check_pixels(width: u32, height: u32, limits: &ImageSettings) -> Result<(), ImageError> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err(ImageError::Rejected(format!("the image declares {width} × {height} pixels; it has no picture")));
    }
    if pixels > limits.max_pixels {
        return Err(ImageError::Rejected(format!(
            "the image declares {width} × {height} pixels ({} megapixels), more than the limit of {} megapixels; \
             send a smaller scan or ask an administrator to raise max_image_pixels",
            pixels / 1_000_000,
            limits.max_pixels / 1_000_000
        )));
    }
    Ok(())
}

/// Turns a codec error into one that says what is wrong with the file.
fn classify(e: CodecError, format: ImageFormat) -> ImageError {
    let name = format_name(format).to_uppercase();
    match e {
        CodecError::Limits(l) => match l.kind() {
            LimitErrorKind::InsufficientMemory => ImageError::Rejected(format!(
                "decoding this {name} would need more memory than the limit allows; it may be a decompression bomb"
            )),
            _ => ImageError::Rejected(format!("this {name} is larger than the limits allow")),
        },
        CodecError::Unsupported(u) => {
            ImageError::Unsupported(format!("this {name} uses a feature the catalogue cannot read: {u}"))
        }
        CodecError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImageError::Rejected(format!("the {name} file is truncated: it ends before the image does"))
        }
        CodecError::IoError(io) => ImageError::Io(io),
        other => {
            let detail = other.to_string();
            let lower = detail.to_lowercase();
            if lower.contains("eof") || lower.contains("end of") || lower.contains("truncat") {
                ImageError::Rejected(format!("the {name} file is truncated: {detail}"))
            } else {
                ImageError::Rejected(format!("the {name} file is damaged and cannot be decoded: {detail}"))
            }
        }
    }
}

fn color_name(c: ExtendedColorType) -> String {
    format!("{c:?}").to_lowercase()
}

/// 8-bit sRGB pixels: 16-bit scaled down, alpha composited on white, an embedded RGB ICC profile
/// converted to sRGB. CMYK has already become RGB in the decoder.
fn to_srgb8(img: DynamicImage, icc: Option<&[u8]>, color: ExtendedColorType, warnings: &mut Vec<String>) -> RgbImage {
    let mut rgb = if img.color().has_alpha() {
        let rgba = img.into_rgba8();
        let (w, h) = rgba.dimensions();
        let mut out = RgbImage::new(w, h);
        for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
            let a = u16::from(p[3]);
            for c in 0..3 {
                o[c] = ((u16::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
            }
        }
        out
    } else {
        img.into_rgb8()
    };
    let is_cmyk = matches!(color, ExtendedColorType::Cmyk8 | ExtendedColorType::Cmyk16);
    if let (Some(icc), false) = (icc, is_cmyk) {
        match icc_to_srgb(icc, &mut rgb) {
            Ok(true) => {}
            Ok(false) => {}
            Err(e) => warnings
                .push(format!("the embedded colour profile could not be applied ({e}); colours are shown as stored")),
        }
    }
    rgb
}

/// Converts `rgb` from the RGB profile `icc` to sRGB; `Ok(false)` when the profile is not an RGB one.
fn icc_to_srgb(icc: &[u8], rgb: &mut RgbImage) -> Result<bool, String> {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let profile = ColorProfile::new_from_slice(icc).map_err(|e| e.to_string())?;
    if profile.color_space != DataColorSpace::Rgb {
        return Ok(false);
    }
    let srgb = ColorProfile::new_srgb();
    let transform = profile
        .create_transform_8bit(Layout::Rgb, &srgb, Layout::Rgb, TransformOptions::default())
        .map_err(|e| e.to_string())?;
    let src = rgb.as_raw().clone();
    transform.transform(&src, rgb.as_mut()).map_err(|e| e.to_string())?;
    Ok(true)
}

/// TIFFs with a colour palette (1 to 8 bits an index), which the general TIFF decoder does not
/// read: common for scanned documents and line art.
mod palette_tiff {
    use std::fs::File;
    use std::io::{BufReader, Read, Seek, SeekFrom};
    use std::path::Path;

    use image::RgbImage;
    use tiff::decoder::Decoder;
    use tiff::tags::Tag;

    use super::{Decoded, ImageError, OriginalInfo, check_pixels};
    use crate::images::ImageSettings;

    fn damaged(e: impl std::fmt::Display) -> ImageError {
        ImageError::Rejected(format!("the TIFF file is damaged and cannot be decoded: {e}"))
    }

    /// `Ok(None)` when the TIFF is not a palette image (the general decoder reads it).
    pub fn decode(path: &Path, limits: &ImageSettings) -> Result<Option<Decoded>, ImageError> {
        let Ok(mut d) = Decoder::new(BufReader::new(File::open(path)?)) else { return Ok(None) };
        if d.find_tag_unsigned::<u32>(Tag::PhotometricInterpretation).ok().flatten() != Some(3) {
            return Ok(None);
        }
        let (w, h) = d.dimensions().map_err(damaged)?;
        check_pixels(w, h, limits)?;
        let bps = d.find_tag_unsigned::<u32>(Tag::BitsPerSample).map_err(damaged)?.unwrap_or(1);
        if !matches!(bps, 1 | 2 | 4 | 8) {
            return Err(ImageError::Unsupported(format!("palette TIFFs with {bps} bits per pixel cannot be read")));
        }
        let compression = d.find_tag_unsigned::<u32>(Tag::Compression).map_err(damaged)?.unwrap_or(1);
        let offsets = d.get_tag_u64_vec(Tag::StripOffsets).map_err(damaged)?;
        let counts = d.get_tag_u64_vec(Tag::StripByteCounts).map_err(damaged)?;
        let rows_per_strip = d.find_tag_unsigned::<u32>(Tag::RowsPerStrip).map_err(damaged)?.unwrap_or(h).max(1);
        let map = d.get_tag_u32_vec(Tag::ColorMap).map_err(damaged)?;
        let entries = 1usize << bps;
        if map.len() < 3 * entries || offsets.len() != counts.len() {
            return Err(damaged("its colour map or strip table is incomplete"));
        }
        let row_bytes = (w as usize * bps as usize).div_ceil(8);
        let mut indices = Vec::with_capacity(row_bytes * h as usize);
        let mut file = File::open(path)?;
        let file_len = file.metadata()?.len();
        for (&offset, &count) in offsets.iter().zip(&counts) {
            if offset.saturating_add(count) > file_len {
                return Err(ImageError::Rejected("the TIFF file is truncated: a strip lies past its end".into()));
            }
            let mut raw = vec![0u8; usize::try_from(count).map_err(damaged)?];
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(&mut raw)?;
            let expected = row_bytes * rows_per_strip as usize;
            let strip = match compression {
                1 => raw,
                5 => weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
                    .decode(&raw)
                    .map_err(damaged)?,
                8 | 32946 => {
                    let mut out = Vec::with_capacity(expected);
                    flate2::read::ZlibDecoder::new(&raw[..])
                        .take(expected as u64)
                        .read_to_end(&mut out)
                        .map_err(damaged)?;
                    out
                }
                32773 => packbits(&raw, expected),
                other => {
                    return Err(ImageError::Unsupported(format!(
                        "palette TIFFs compressed with scheme {other} cannot be read; save it uncompressed, LZW or Deflate"
                    )));
                }
            };
            indices.extend_from_slice(&strip[..strip.len().min(expected)]);
        }
        if indices.len() < row_bytes * h as usize {
            return Err(ImageError::Rejected("the TIFF file is truncated: it ends before the image does".into()));
        }
        let colour = |i: usize, c: usize| (map[c * entries + i] >> 8) as u8;
        let mut rgb = RgbImage::new(w, h);
        for (y, row) in indices.chunks(row_bytes).take(h as usize).enumerate() {
            for x in 0..w as usize {
                let bit = x * bps as usize;
                let byte = row[bit / 8];
                let shift = 8 - bps as usize - (bit % 8);
                let i = ((byte >> shift) as usize) & (entries - 1);
                rgb.put_pixel(x as u32, y as u32, image::Rgb([colour(i, 0), colour(i, 1), colour(i, 2)]));
            }
        }
        let pages = super::tiff_pages(path);
        let warnings =
            if pages > 1 { vec![format!("the TIFF has {pages} pages; only the first is used")] } else { Vec::new() };
        Ok(Some(Decoded {
            original: OriginalInfo {
                format: "tiff",
                width: w,
                height: h,
                color: format!("palette{bps}"),
                has_icc_profile: false,
            },
            rgb,
            warnings,
        }))
    }

    /// PackBits run-length decoding, up to `limit` bytes.
    fn packbits(input: &[u8], limit: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(limit);
        let mut i = 0;
        while i < input.len() && out.len() < limit {
            let n = input[i] as i8;
            i += 1;
            if n >= 0 {
                let end = (i + n as usize + 1).min(input.len());
                out.extend_from_slice(&input[i..end]);
                i = end;
            } else if n != -128 && i < input.len() {
                out.extend(std::iter::repeat_n(input[i], (1 - n as isize) as usize));
                i += 1;
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn packbits_expands_runs_and_literals() {
            assert_eq!(super::packbits(&[0xFE, 0xAA, 0x02, 1, 2, 3, 0x80], 100), vec![0xAA, 0xAA, 0xAA, 1, 2, 3]);
        }
    }
}
