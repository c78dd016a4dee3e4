//! `catalogue bench images`: derivatives of large scans beside `vipsthumbnail`
//! (libvips), and IIIF tile requests per second beside the same server's `/healthz`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::catalogue::Catalogue;
use crate::catalogue::config::Config;
use crate::catalogue::eval::percentile;
use crate::images::{decode, derive};

pub struct ImageBenchInputs {
    /// A real photograph to make the large test images from.
    pub photo: PathBuf,
    pub jpeg_megapixels: u32,
    pub tiff_megapixels: u32,
    pub rounds: usize,
    /// Seconds of load per HTTP measurement.
    pub seconds: u64,
    pub work_dir: PathBuf,
}

/// About `megapixels` of the photograph tiled in a grid, mirrored at every seam, as 8-bit RGB:
/// full of real detail, as a high-resolution scan is (an enlarged photograph would be smooth and
/// unrealistically quick to decode).
fn enlarge(photo: &Path, megapixels: u32) -> anyhow::Result<(Vec<u8>, u32, u32)> {
    let img = image::open(photo).with_context(|| format!("reading {}", photo.display()))?.into_rgb8();
    let (w, h) = img.dimensions();
    let aspect = f64::from(w) / f64::from(h);
    let nh = (f64::from(megapixels) * 1e6 / aspect).sqrt() as u32;
    let nw = (f64::from(nh) * aspect) as u32;
    let mut out = Vec::with_capacity(nw as usize * nh as usize * 3);
    for y in 0..nh {
        let (ty, sy) = (y / h, y % h);
        let sy = if ty % 2 == 0 { sy } else { h - 1 - sy };
        for x in 0..nw {
            let (tx, sx) = (x / w, x % w);
            let sx = if tx % 2 == 0 { sx } else { w - 1 - sx };
            out.extend_from_slice(&img.get_pixel(sx, sy).0);
        }
    }
    Ok((out, nw, nh))
}

fn make_jpeg(pixels: &[u8], w: u32, h: u32, path: &Path) -> anyhow::Result<()> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    enc.encode(pixels, u16::try_from(w)?, u16::try_from(h)?, jpeg_encoder::ColorType::Rgb)?;
    std::fs::write(path, out)?;
    Ok(())
}

fn make_tiff16(pixels: &[u8], w: u32, h: u32, path: &Path) -> anyhow::Result<()> {
    use tiff::encoder::{TiffEncoder, colortype};
    let wide: Vec<u16> = pixels.iter().map(|&v| u16::from(v) * 257).collect();
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut enc = TiffEncoder::new(file)?;
    enc.write_image::<colortype::RGB16>(w, h, &wide)?;
    Ok(())
}

fn median(t: Vec<Duration>) -> Duration {
    percentile(t, 50.0)
}

/// Our derivatives (decode + thumbnail + display size) and the full pyramid, each timed.
fn ours(path: &Path, out: &Path, rounds: usize) -> anyhow::Result<(Duration, Duration)> {
    let limits = crate::images::ImageSettings::default();
    let mut derivatives = Vec::new();
    let mut pyramid = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let decoded = decode::decode(path, &limits)?;
        derive::make_thumbnail_and_display(&decoded.rgb, out)?;
        derivatives.push(t.elapsed());
        let t = Instant::now();
        let decoded = decode::decode(path, &limits)?;
        let dir = derive::DerivativeDir(out.join("pyramid"));
        derive::make_all(&decoded.rgb, &dir)?;
        pyramid.push(t.elapsed());
    }
    Ok((median(derivatives), median(pyramid)))
}

/// `vipsthumbnail` making the same two derivatives (one run per size, as it makes one per run).
fn vips(path: &Path, out: &Path, rounds: usize) -> anyhow::Result<Duration> {
    let mut times = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        for (size, name) in [(derive::DISPLAY_EDGE, "display"), (derive::THUMB_EDGE, "thumb")] {
            let target = out.join(format!("vips-{name}.jpg[Q=85]"));
            let status = Command::new("vipsthumbnail")
                .env("VIPS_WARNING", "0")
                .stderr(std::process::Stdio::null())
                .arg(path)
                .arg("--size")
                .arg(size.to_string())
                .arg("-o")
                .arg(&target)
                .status()
                .context("running vipsthumbnail (Debian package libvips-tools)")?;
            if !status.success() {
                bail!("vipsthumbnail failed on {}", path.display());
            }
        }
        times.push(t.elapsed());
    }
    Ok(median(times))
}

/// Requests per second over `urls` (cycled) from `clients` concurrent clients for `seconds`.
async fn load(urls: Arc<Vec<String>>, clients: usize, seconds: u64) -> anyhow::Result<(f64, Duration, u64)> {
    let client = reqwest::Client::new();
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, urls, done, errors) = (client.clone(), urls.clone(), done.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = c;
            while Instant::now() < until {
                let t = Instant::now();
                match client.get(&urls[i % urls.len()]).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies.push(t.elapsed());
                i += clients;
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await?);
    }
    let rps = done.load(Ordering::Relaxed) as f64 / seconds as f64;
    Ok((rps, median(all), errors.load(Ordering::Relaxed)))
}

pub async fn run(config: Config, inputs: &ImageBenchInputs) -> anyhow::Result<String> {
    let dir = &inputs.work_dir;
    std::fs::create_dir_all(dir)?;
    let jpeg = dir.join("large.jpg");
    let tiff = dir.join("large-16bit.tif");
    eprintln!(
        "making a {} MP JPEG and a {} MP 16-bit TIFF from {}",
        inputs.jpeg_megapixels,
        inputs.tiff_megapixels,
        inputs.photo.display()
    );
    let (pixels, w, h) = enlarge(&inputs.photo, inputs.jpeg_megapixels)?;
    make_jpeg(&pixels, w, h, &jpeg)?;
    let jpeg_size = (w, h);
    let (pixels, w, h) = enlarge(&inputs.photo, inputs.tiff_megapixels)?;
    make_tiff16(&pixels, w, h, &tiff)?;
    let tiff_size = (w, h);
    drop(pixels);

    let mut report = String::new();
    report.push_str(&format!(
        "Image derivatives (thumbnail {} px + display {} px), median of {} rounds\n\n",
        derive::THUMB_EDGE,
        derive::DISPLAY_EDGE,
        inputs.rounds
    ));
    report.push_str(
        "| input | ours | vipsthumbnail | ratio (ours / vips) | ours, full tiled pyramid |\n|---|---|---|---|---|\n",
    );
    for (label, path, (w, h)) in [("JPEG", &jpeg, jpeg_size), ("16-bit TIFF", &tiff, tiff_size)] {
        let out = dir.join(format!("out-{}", label.replace(' ', "-")));
        std::fs::create_dir_all(&out)?;
        eprintln!("timing {label} ({w}×{h})");
        let (ours_d, pyramid) = ours(path, &out, inputs.rounds)?;
        let vips_d = vips(path, &out, inputs.rounds)?;
        report.push_str(&format!(
            "| {label} {w}×{h} ({:.0} MP, {:.0} MB) | {:.0} ms | {:.0} ms | {:.2} | {:.0} ms |\n",
            f64::from(w) * f64::from(h) / 1e6,
            std::fs::metadata(path)?.len() as f64 / 1e6,
            ours_d.as_secs_f64() * 1e3,
            vips_d.as_secs_f64() * 1e3,
            ours_d.as_secs_f64() / vips_d.as_secs_f64(),
            pyramid.as_secs_f64() * 1e3,
        ));
    }

    // IIIF tiles from the pyramid, warm, against /healthz of the same server.
    let mut config = config;
    config.data_dir = dir.join("catalogue");
    let state = Catalogue::open(config)?;
    let record = dir.join("record.jsonl");
    std::fs::write(
        &record,
        r#"{"source": "bench", "licence": "CC0 1.0", "id": "BENCH-1", "accession_number": "BENCH-1", "title": "Benchmark scan", "extra": {}}"#,
    )?;
    crate::cli::import::run(&state, &[record], &Default::default(), None)?;
    let upload = state.upload_from_path(&jpeg)?;
    let outcome = state.add_image("system:bench", "BENCH-1", upload, &Default::default(), None).await?;
    let id = outcome.image.meta.id.clone();
    let p = state.pyramid(&outcome.image).await.context("pyramid made")?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::web::state::serve(listener, crate::web::AppState::new(state.clone()), async {
        let _ = stopped.await;
    }));
    let mut tiles = Vec::new();
    for k in 0..p.levels {
        let (cols, rows) = p.grid(k);
        let (lw, lh) = p.level_size(k);
        let span = p.tile << k;
        for r in 0..rows {
            for c in 0..cols {
                let (x, y) = (c * span, r * span);
                let (rw, rh) = (span.min(p.width - x), span.min(p.height - y));
                let tw = p.tile.min(lw - c * p.tile);
                let _ = lh;
                tiles.push(format!("{base}/iiif/3/{id}/{x},{y},{rw},{rh}/{tw},/0/default.jpg"));
            }
        }
    }
    let tiles = Arc::new(tiles);
    let health = Arc::new(vec![format!("{base}/healthz")]);
    let clients = 8;
    // Warm: every tile once.
    let (_, _, warm_errors) = load(tiles.clone(), clients, 2).await?;
    let (tile_rps, tile_p50, tile_errors) = load(tiles.clone(), clients, inputs.seconds).await?;
    let (health_rps, health_p50, health_errors) = load(health, clients, inputs.seconds).await?;
    let _ = stop.send(());
    server.await??;
    report.push_str(&format!(
        "\nIIIF tile requests ({} tiles of {} levels, {clients} concurrent clients, {} s each, warm)\n\n\
         | route | requests/s | p50 | errors |\n|---|---|---|---|\n\
         | IIIF tile | {tile_rps:.0} | {:.2} ms | {} |\n| /healthz | {health_rps:.0} | {:.2} ms | {health_errors} |\n\
         \ntiles / healthz throughput: {:.2}\n",
        tiles.len(),
        p.levels,
        inputs.seconds,
        tile_p50.as_secs_f64() * 1e3,
        tile_errors + warm_errors,
        health_p50.as_secs_f64() * 1e3,
        tile_rps / health_rps,
    ));
    Ok(report)
}
