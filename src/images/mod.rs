//! Scanned images: checked and decoded at ingest, originals kept byte for byte
//! in an object store under their SHA-256, derivatives and a tiled pyramid
//! made once, and the IIIF Image and Presentation APIs served from them.

pub mod decode;
pub mod derive;
pub mod image_api;

pub mod manifest;
pub mod recover;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use derive::{DerivativeDir, Pyramid};

/// What can go wrong with an image; the first three are the uploader's to fix.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Not a format the catalogue accepts (415).
    #[error("{0}")]
    Unsupported(String),
    /// An image, but damaged, truncated or beyond the limits (422).
    #[error("{0}")]
    Rejected(String),
    /// The upload is larger than allowed (413).
    #[error("{0}")]
    TooLarge(String),
    #[error("image file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("image store error: {0}")]
    Store(#[from] object_store::Error),
    #[error("{0}")]
    Internal(String),
}

impl From<serde_json::Error> for ImageError {
    fn from(e: serde_json::Error) -> Self {
        ImageError::Internal(e.to_string())
    }
}

/// An uploaded file waiting in the data directory's `tmp/`, with its checksum and size.
pub struct Upload {
    pub file: tempfile::NamedTempFile,
    pub sha256: String,
    pub bytes: u64,
}

/// Where originals and derivatives are kept.
#[derive(Clone)]
pub struct ImageService {
    pub settings: ImageSettings,
    originals: Arc<dyn ObjectStore>,
    /// The folder of `originals` when they are kept on the local disk.
    local_originals: Option<PathBuf>,
    derivatives: PathBuf,
    /// This process's folder for uploads in flight, under `DATA_DIR/tmp`, held
    /// locked for the life of the process (a crash releases it); none on a
    /// read-only disk, where nothing can be uploaded.
    tmp: Option<(PathBuf, Arc<std::fs::File>)>,
    /// `DATA_DIR`, for recovery after a crash.
    data_dir: PathBuf,
    /// Pyramid shapes already read, by checksum: tile requests need one each.
    pyramids: Arc<std::sync::RwLock<std::collections::HashMap<String, Pyramid>>>,
    /// Full decodes at once: a 400-megapixel scan needs gigabytes while it is derived.
    decode_slots: Arc<tokio::sync::Semaphore>,
}

/// How many images are decoded and derived at once.
const DECODE_SLOTS: usize = 2;

/// What ingest learnt of a new original.
pub struct Ingested {
    pub sha256: String,
    pub bytes: u64,
    pub original: decode::OriginalInfo,
    pub pyramid: Pyramid,
    pub warnings: Vec<String>,
    /// Whether this call stored the original (false: it was there already).
    pub stored: bool,
}

/// Limits and storage of scanned images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// The largest image upload accepted, in bytes.
    pub max_upload_bytes: u64,
    /// The most pixels an image may declare; more is refused before decoding (decompression bombs).
    pub max_pixels: u64,
    /// The most memory one decode may allocate, in bytes.
    pub max_decode_bytes: u64,
    /// Where originals are kept: an object store URL (`s3://bucket/prefix`, credentials from the
    /// usual `AWS_*` variables, or `file:///path`); by default `originals/` in the data directory.
    pub store_url: Option<String>,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            max_upload_bytes: DEFAULT_MAX_UPLOAD,
            max_pixels: DEFAULT_MAX_PIXELS,
            max_decode_bytes: DEFAULT_MAX_DECODE,
            store_url: None,
        }
    }
}

pub const DEFAULT_MAX_UPLOAD: u64 = 1 << 30;
pub const DEFAULT_MAX_PIXELS: u64 = 400_000_000;
pub const DEFAULT_MAX_DECODE: u64 = 4 << 30;

impl ImageService {
    /// Opens the image store of the data directory `data_dir`: originals in `originals/` (or
    /// where `settings` says), derivatives in `derivatives/`, uploads in `tmp/`.
    pub fn open(data_dir: &Path, settings: &ImageSettings) -> anyhow::Result<ImageService> {
        Self::open_with(data_dir, settings, false)
    }

    /// Opens the image store on a read-only disk: images are served, uploads refused.
    pub fn open_read_only(data_dir: &Path, settings: &ImageSettings) -> anyhow::Result<ImageService> {
        Self::open_with(data_dir, settings, true)
    }

    fn open_with(data_dir: &Path, settings: &ImageSettings, read_only: bool) -> anyhow::Result<ImageService> {
        use anyhow::Context;
        let local_originals = settings.store_url.is_none().then(|| data_dir.join("originals"));
        let originals: Arc<dyn ObjectStore> = match &settings.store_url {
            None => {
                let dir = data_dir.join("originals");
                std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(&dir)?)
            }
            Some(url) => {
                let parsed = url::Url::parse(url).with_context(|| format!("image store URL `{url}`"))?;
                let options: Vec<(String, String)> = std::env::vars()
                    .filter(|(k, _)| k.starts_with("AWS_"))
                    .map(|(k, v)| (k.to_lowercase(), v))
                    .collect();
                let (store, prefix) = object_store::parse_url_opts(&parsed, options)
                    .with_context(|| format!("opening the image store `{url}`"))?;
                Arc::new(object_store::prefix::PrefixStore::new(store, prefix))
            }
        };
        let tmp = match read_only {
            true => None,
            false => {
                let (dir, instance) = recover::claim_temp_dir(&data_dir.join("tmp"))
                    .with_context(|| format!("creating a temporary folder in {}", data_dir.join("tmp").display()))?;
                Some((dir, Arc::new(instance)))
            }
        };
        Ok(ImageService {
            settings: settings.clone(),
            originals,
            local_originals,
            derivatives: data_dir.join("derivatives"),
            tmp,
            data_dir: data_dir.to_path_buf(),
            pyramids: Default::default(),
            decode_slots: Arc::new(tokio::sync::Semaphore::new(DECODE_SLOTS)),
        })
    }

    pub fn derivative_dir(&self, sha256: &str) -> DerivativeDir {
        DerivativeDir::new(&self.derivatives, sha256)
    }

    /// The pyramid of the original with this checksum, if its derivatives are made.
    pub fn pyramid(&self, sha256: &str) -> Option<Pyramid> {
        if let Some(p) = self.pyramids.read().unwrap_or_else(|e| e.into_inner()).get(sha256) {
            return Some(*p);
        }
        let p = self.derivative_dir(sha256).pyramid()?;
        self.pyramids.write().unwrap_or_else(|e| e.into_inner()).insert(sha256.to_string(), p);
        Some(p)
    }

    fn original_path(sha256: &str) -> ObjectPath {
        ObjectPath::from(format!("{}/{sha256}", &sha256[..2]))
    }

    /// A fresh temporary file for an upload, on the same disk as the data.
    pub fn temp_file(&self) -> std::io::Result<tempfile::NamedTempFile> {
        let Some((tmp, _)) = &self.tmp else {
            return Err(std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem));
        };
        tempfile::Builder::new().prefix("upload-").tempfile_in(tmp)
    }

    /// Copies a local file into a temporary upload, hashing it and enforcing the size limit.
    pub fn upload_from_path(&self, path: &Path) -> Result<Upload, ImageError> {
        use std::io::Read;
        let mut src = std::fs::File::open(path)?;
        let mut writer = UploadWriter::new(self.temp_file()?, self.settings.max_upload_bytes);
        let mut buf = vec![0u8; 1 << 20];
        loop {
            match src.read(&mut buf)? {
                0 => break,
                n => writer.push(&buf[..n])?,
            }
        }
        writer.finish()
    }

    /// Checks, decodes and derives an upload, then stores its original (once per checksum).
    /// Nothing is stored when the file is refused.
    pub async fn ingest(&self, upload: &Upload) -> Result<Ingested, ImageError> {
        let path = upload.file.path().to_path_buf();
        let settings = self.settings.clone();
        let dir = self.derivative_dir(&upload.sha256);
        let _slot = self.decode_slots.acquire().await.map_err(|e| ImageError::Internal(e.to_string()))?;
        let (decoded_info, pyramid, warnings) = tokio::task::spawn_blocking(move || {
            let decoded = decode::decode(&path, &settings)?;
            let pyramid = match dir.pyramid() {
                Some(p) => p,
                None => derive::make_all(&decoded.rgb, &dir)?,
            };
            Ok::<_, ImageError>((decoded.original, pyramid, decoded.warnings))
        })
        .await
        .map_err(|e| ImageError::Internal(format!("image worker failed: {e}")))??;
        let stored = self.store_original(upload).await?;
        Ok(Ingested {
            sha256: upload.sha256.clone(),
            bytes: upload.bytes,
            original: decoded_info,
            pyramid,
            warnings,
            stored,
        })
    }

    /// Stores the original unless one with the same checksum is there; true if it wrote.
    async fn store_original(&self, upload: &Upload) -> Result<bool, ImageError> {
        let location = Self::original_path(&upload.sha256);
        match self.originals.head(&location).await {
            Ok(meta) if meta.size == upload.bytes => return Ok(false),
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let mut file = tokio::fs::File::open(upload.file.path()).await?;
        let mut writer = object_store::buffered::BufWriter::new(self.originals.clone(), location.clone());
        tokio::io::copy(&mut file, &mut writer).await?;
        writer.shutdown().await?;
        self.sync_original(&location).await?;
        Ok(true)
    }

    /// Puts a locally stored original and its folder entries on the disk before the
    /// record that refers to it is committed, so that a power cut cannot leave a
    /// record without its scan. (An object store acknowledges only durable writes.)
    async fn sync_original(&self, location: &ObjectPath) -> Result<(), ImageError> {
        let Some(root) = self.local_originals.clone() else { return Ok(()) };
        let path = root.join(location.as_ref());
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::File::open(&path)?.sync_all()?;
            let mut dir = path.parent();
            while let Some(d) = dir {
                std::fs::File::open(d)?.sync_all()?;
                if d == root {
                    break;
                }
                dir = d.parent();
            }
            Ok(())
        })
        .await
        .map_err(|e| ImageError::Internal(format!("image worker failed: {e}")))??;
        Ok(())
    }

    /// Removes an original this process stored for a record that was then not saved.
    pub async fn discard_original(&self, sha256: &str) {
        if let Err(e) = self.originals.delete(&Self::original_path(sha256)).await {
            tracing::warn!(sha256, error = %e, "could not remove an unused original");
        }
    }

    /// The original's bytes.
    pub async fn original(&self, sha256: &str) -> Result<bytes::Bytes, ImageError> {
        Ok(self.originals.get(&Self::original_path(sha256)).await?.bytes().await?)
    }

    /// Streams the original to the file `dest`, checking its checksum on the way; returns its size.
    pub async fn export_original(&self, sha256: &str, dest: &Path) -> Result<u64, ImageError> {
        let (bytes, actual) = self.copy_out(&Self::original_path(sha256), dest).await?;
        if actual != sha256 {
            return Err(ImageError::Internal(format!(
                "the original {sha256} has changed: its checksum is now {actual}"
            )));
        }
        Ok(bytes)
    }

    /// Streams the stored file at `location` into a new file `dest`; returns its size and SHA-256.
    pub(crate) async fn copy_out(&self, location: &ObjectPath, dest: &Path) -> Result<(u64, String), ImageError> {
        let mut stream = self.originals.get(location).await?.into_stream();
        let mut out = tokio::io::BufWriter::new(tokio::fs::File::create(dest).await?);
        let mut hasher = Sha256::new();
        let mut bytes = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            hasher.update(&chunk);
            bytes += chunk.len() as u64;
            out.write_all(&chunk).await?;
        }
        out.shutdown().await?;
        out.get_ref().sync_all().await?;
        Ok((bytes, hex::encode(hasher.finalize())))
    }

    /// Stores the file `src` as the original with checksum `sha256` (when restoring a backup).
    pub async fn import_original(&self, sha256: &str, src: &Path) -> Result<(), ImageError> {
        let mut file = tokio::fs::File::open(src).await?;
        let mut writer = object_store::buffered::BufWriter::new(self.originals.clone(), Self::original_path(sha256));
        tokio::io::copy(&mut file, &mut writer).await?;
        writer.shutdown().await?;
        Ok(())
    }

    /// Re-hashes the original with checksum `sha256`: `Ok(None)` when it matches,
    /// `Ok(Some(problem))` when it is missing or differs.
    pub async fn verify(&self, sha256: &str) -> Result<Option<String>, ImageError> {
        let location = Self::original_path(sha256);
        let got = match self.originals.get(&location).await {
            Ok(r) => r,
            Err(object_store::Error::NotFound { .. }) => return Ok(Some("the original is missing".into())),
            Err(e) => return Err(e.into()),
        };
        let mut stream = got.into_stream();
        let mut hasher = Sha256::new();
        while let Some(chunk) = stream.next().await {
            hasher.update(chunk?);
        }
        let actual = hex::encode(hasher.finalize());
        Ok((actual != sha256).then(|| format!("the original's checksum is now {actual}")))
    }

    /// Makes the derivatives of a stored original again.
    pub async fn rebuild(&self, sha256: &str) -> Result<Pyramid, ImageError> {
        let bytes = self.original(sha256).await?;
        let mut tmp = self.temp_file()?;
        tmp.write_all(&bytes)?;
        let settings = self.settings.clone();
        let dir = self.derivative_dir(sha256);
        self.pyramids.write().unwrap_or_else(|e| e.into_inner()).remove(sha256);
        let _slot = self.decode_slots.acquire().await.map_err(|e| ImageError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let decoded = decode::decode(tmp.path(), &settings)?;
            derive::make_all(&decoded.rgb, &dir)
        })
        .await
        .map_err(|e| ImageError::Internal(format!("image worker failed: {e}")))?
    }
}

/// Writes an upload to its temporary file, hashing as it goes and refusing more than `limit` bytes.
pub struct UploadWriter {
    file: tempfile::NamedTempFile,
    out: std::io::BufWriter<std::fs::File>,
    hasher: Sha256,
    bytes: u64,
    limit: u64,
}

impl UploadWriter {
    pub fn new(file: tempfile::NamedTempFile, limit: u64) -> UploadWriter {
        let out = std::io::BufWriter::with_capacity(1 << 20, file.reopen().expect("reopen a fresh temporary file"));
        UploadWriter { file, out, hasher: Sha256::new(), bytes: 0, limit }
    }

    /// Appends a chunk; an error once the limit is passed.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ImageError> {
        self.bytes += chunk.len() as u64;
        if self.bytes > self.limit {
            return Err(too_large(self.limit));
        }
        self.hasher.update(chunk);
        self.out.write_all(chunk)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<Upload, ImageError> {
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        Ok(Upload { file: self.file, sha256: hex::encode(self.hasher.finalize()), bytes: self.bytes })
    }
}

pub fn too_large(limit: u64) -> ImageError {
    ImageError::TooLarge(format!(
        "the image is larger than the upload limit of {} MiB; ask an administrator to raise max_upload_bytes",
        limit >> 20
    ))
}

/// A new image identifier: 20 random lowercase letters and digits.
pub fn new_image_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
