//! Derivatives of one original: a thumbnail, a display-size image and a tiled
//! pyramid (each level half the size of the one before, cut into tiles) from
//! which the IIIF Image API answers any region at any size.
//!
//! Derivatives are named by the original's SHA-256, so an image uploaded twice
//! has them once, and they can always be made again from the original.

use std::path::{Path, PathBuf};

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::ImageError;

/// Tile edge in pixels.
pub const TILE: u32 = 512;
/// Longest edge of the thumbnail.
pub const THUMB_EDGE: u32 = 400;
/// Longest edge of the display image.
pub const DISPLAY_EDGE: u32 = 1600;
const TILE_QUALITY: u8 = 90;
const DERIVATIVE_QUALITY: u8 = 85;

/// The shape of a pyramid, kept beside its tiles as `pyramid.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pyramid {
    /// Full size after orientation.
    pub width: u32,
    pub height: u32,
    /// Level `k` is the image scaled by 1/2^k; level 0 is full size.
    pub levels: u32,
    pub tile: u32,
}

impl Pyramid {
    pub fn for_size(width: u32, height: u32) -> Pyramid {
        let mut levels = 1;
        while width.max(height).div_ceil(1 << (levels - 1)) > TILE {
            levels += 1;
        }
        Pyramid { width, height, levels, tile: TILE }
    }

    /// Pixel size of level `k`.
    pub fn level_size(&self, k: u32) -> (u32, u32) {
        (self.width.div_ceil(1 << k), self.height.div_ceil(1 << k))
    }

    /// Columns and rows of tiles in level `k`.
    pub fn grid(&self, k: u32) -> (u32, u32) {
        let (w, h) = self.level_size(k);
        (w.div_ceil(self.tile), h.div_ceil(self.tile))
    }

    pub fn scale_factors(&self) -> Vec<u32> {
        (0..self.levels).map(|k| 1 << k).collect()
    }
}

/// Where one original's derivatives live.
#[derive(Debug, Clone)]
pub struct DerivativeDir(pub PathBuf);

impl DerivativeDir {
    pub fn new(root: &Path, sha256: &str) -> DerivativeDir {
        DerivativeDir(root.join(&sha256[..2]).join(sha256))
    }

    pub fn thumbnail(&self) -> PathBuf {
        self.0.join("thumb.jpg")
    }

    pub fn display(&self) -> PathBuf {
        self.0.join("display.jpg")
    }

    pub fn tile(&self, level: u32, col: u32, row: u32) -> PathBuf {
        self.0.join(format!("tiles/{level}/{col}_{row}.jpg"))
    }

    fn manifest(&self) -> PathBuf {
        self.0.join("pyramid.json")
    }

    /// The pyramid, if it has been made completely.
    pub fn pyramid(&self) -> Option<Pyramid> {
        let text = std::fs::read(self.manifest()).ok()?;
        serde_json::from_slice(&text).ok()
    }
}

/// Makes every derivative of `rgb` into `dir`, atomically: they are written
/// into a sibling folder that is renamed into place when complete.
pub fn make_all(rgb: &RgbImage, dir: &DerivativeDir) -> Result<Pyramid, ImageError> {
    let parent = dir.0.parent().expect("derivative folder has a parent");
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new().prefix(".staging-").tempdir_in(parent)?;
    let out = DerivativeDir(staging.path().to_path_buf());
    let (w, h) = rgb.dimensions();
    let pyramid = Pyramid::for_size(w, h);
    let mut level = Level { width: w, height: h, pixels: LevelPixels::Borrowed(rgb.as_raw()) };
    let mut display_done = false;
    let mut thumb_done = false;
    for k in 0..pyramid.levels {
        write_tiles(&out, k, &level)?;
        let (lw, lh) = (level.width, level.height);
        let next = pyramid.level_size(k + 1);
        // Derivatives come from the smallest level still at least their size: a cheap, sharp start.
        if !display_done && (k + 1 == pyramid.levels || next.0.max(next.1) < DISPLAY_EDGE) {
            write_fitted(&level, DISPLAY_EDGE, &out.display())?;
            display_done = true;
        }
        if !thumb_done && (k + 1 == pyramid.levels || next.0.max(next.1) < THUMB_EDGE) {
            write_fitted(&level, THUMB_EDGE, &out.thumbnail())?;
            thumb_done = true;
        }
        if k + 1 < pyramid.levels {
            let pixels = resize(level.pixels(), lw, lh, next.0, next.1)?;
            level = Level { width: next.0, height: next.1, pixels: LevelPixels::Owned(pixels) };
        }
    }
    std::fs::write(out.manifest(), serde_json::to_vec(&pyramid)?)?;
    let staged = staging.keep();
    if dir.0.exists() {
        std::fs::remove_dir_all(&dir.0)?;
    }
    std::fs::rename(&staged, &dir.0)?;
    Ok(pyramid)
}

/// Only the thumbnail and display image, as made at ingest (for benchmarking them alone).
pub fn make_thumbnail_and_display(rgb: &RgbImage, dir: &Path) -> Result<(), ImageError> {
    std::fs::create_dir_all(dir)?;
    let (mut w, mut h) = rgb.dimensions();
    let mut level = Level { width: w, height: h, pixels: LevelPixels::Borrowed(rgb.as_raw()) };
    // Halve while still at least twice the display size, then fit.
    while w.max(h) / 2 >= DISPLAY_EDGE {
        let (nw, nh) = (w.div_ceil(2), h.div_ceil(2));
        let pixels = resize(level.pixels(), w, h, nw, nh)?;
        level = Level { width: nw, height: nh, pixels: LevelPixels::Owned(pixels) };
        (w, h) = (nw, nh);
    }
    write_fitted(&level, DISPLAY_EDGE, &dir.join("display.jpg"))?;
    write_fitted(&level, THUMB_EDGE, &dir.join("thumb.jpg"))?;
    Ok(())
}

enum LevelPixels<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

struct Level<'a> {
    width: u32,
    height: u32,
    pixels: LevelPixels<'a>,
}

impl Level<'_> {
    fn pixels(&self) -> &[u8] {
        match &self.pixels {
            LevelPixels::Borrowed(p) => p,
            LevelPixels::Owned(p) => p,
        }
    }
}

fn write_tiles(out: &DerivativeDir, k: u32, level: &Level<'_>) -> Result<(), ImageError> {
    let dir = out.0.join(format!("tiles/{k}"));
    std::fs::create_dir_all(&dir)?;
    let cols = level.width.div_ceil(TILE);
    let rows = level.height.div_ceil(TILE);
    let tiles: Vec<(u32, u32)> = (0..rows).flat_map(|r| (0..cols).map(move |c| (c, r))).collect();
    // Tiles are independent: encode them on every core.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(tiles.len().max(1));
    let chunk = tiles.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = tiles
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || -> Result<(), ImageError> {
                    for &(c, r) in part {
                        let x = c * TILE;
                        let y = r * TILE;
                        let tw = TILE.min(level.width - x);
                        let th = TILE.min(level.height - y);
                        let crop = crop(level.pixels(), level.width, x, y, tw, th);
                        let bytes = encode_jpeg(&crop, tw, th, 3, TILE_QUALITY)?;
                        std::fs::write(out.tile(k, c, r), bytes)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|_| Err(ImageError::Internal("tile encoder panicked".into()))))
    })
}

/// Copies a rectangle out of packed RGB pixels.
pub fn crop(pixels: &[u8], width: u32, x: u32, y: u32, w: u32, h: u32) -> Vec<u8> {
    let stride = width as usize * 3;
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for row in y..y + h {
        let start = row as usize * stride + x as usize * 3;
        out.extend_from_slice(&pixels[start..start + w as usize * 3]);
    }
    out
}

fn write_fitted(level: &Level<'_>, edge: u32, path: &Path) -> Result<(), ImageError> {
    let (w, h) = fit(level.width, level.height, edge);
    let bytes = if (w, h) == (level.width, level.height) {
        encode_jpeg(level.pixels(), w, h, 3, DERIVATIVE_QUALITY)?
    } else {
        encode_jpeg(&resize(level.pixels(), level.width, level.height, w, h)?, w, h, 3, DERIVATIVE_QUALITY)?
    };
    std::fs::write(path, bytes)?;
    Ok(())
}

/// The size that fits `width`×`height` within `edge` on its longer side, never enlarged.
pub fn fit(width: u32, height: u32, edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= edge {
        return (width, height);
    }
    let scale = f64::from(edge) / f64::from(long);
    (((f64::from(width) * scale).round() as u32).max(1), ((f64::from(height) * scale).round() as u32).max(1))
}

/// Resizes packed RGB pixels with a Lanczos filter (bilinear when enlarging little images is all it is).
pub fn resize(pixels: &[u8], w: u32, h: u32, nw: u32, nh: u32) -> Result<Vec<u8>, ImageError> {
    resize_channels(pixels, w, h, nw, nh, 3)
}

pub fn resize_channels(
    pixels: &[u8],
    w: u32,
    h: u32,
    nw: u32,
    nh: u32,
    channels: usize,
) -> Result<Vec<u8>, ImageError> {
    let pt = if channels == 1 { PixelType::U8 } else { PixelType::U8x3 };
    let src = ImageRef::new(w, h, pixels, pt).map_err(|e| ImageError::Internal(e.to_string()))?;
    let mut dst = Image::new(nw, nh, pt);
    let alg = if nw >= w && nh >= h {
        ResizeAlg::Convolution(FilterType::Bilinear)
    } else {
        ResizeAlg::Convolution(FilterType::Lanczos3)
    };
    Resizer::new()
        .resize(&src, &mut dst, &ResizeOptions::new().resize_alg(alg))
        .map_err(|e| ImageError::Internal(e.to_string()))?;
    Ok(dst.into_vec())
}

/// Encodes packed 8-bit pixels (1 channel grey or 3 channels RGB) as JPEG, without chroma subsampling.
pub fn encode_jpeg(pixels: &[u8], w: u32, h: u32, channels: usize, quality: u8) -> Result<Vec<u8>, ImageError> {
    let (Ok(w16), Ok(h16)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(ImageError::Internal(format!("{w}×{h} is too large for one JPEG")));
    };
    let mut out = Vec::with_capacity(pixels.len() / 8);
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_4_4);
    let ct = if channels == 1 { jpeg_encoder::ColorType::Luma } else { jpeg_encoder::ColorType::Rgb };
    enc.encode(pixels, w16, h16, ct).map_err(|e| ImageError::Internal(format!("JPEG encoding: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pyramid_halves_until_one_tile_holds_the_image() {
        assert_eq!(Pyramid::for_size(300, 200).levels, 1);
        assert_eq!(Pyramid::for_size(512, 512).levels, 1);
        assert_eq!(Pyramid::for_size(513, 10).levels, 2);
        let p = Pyramid::for_size(8000, 6000);
        assert_eq!(p.levels, 5);
        assert_eq!(p.level_size(4), (500, 375));
        assert_eq!(p.level_size(1), (4000, 3000));
        assert_eq!(Pyramid::for_size(8001, 10).level_size(1), (4001, 5));
        assert_eq!(p.grid(0), (16, 12));
        assert_eq!(p.scale_factors(), vec![1, 2, 4, 8, 16]);
    }

    #[test]
    fn fitting_keeps_the_aspect_and_never_enlarges() {
        assert_eq!(fit(4000, 3000, 400), (400, 300));
        assert_eq!(fit(300, 200, 400), (300, 200));
        assert_eq!(fit(10, 5000, 400), (1, 400));
    }
}
