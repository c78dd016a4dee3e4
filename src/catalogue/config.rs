//! One configuration: flag > environment (`CATALOGUE_*`) > `catalogue.toml` > default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

pub use crate::images::ImageSettings;
use crate::images::{DEFAULT_MAX_DECODE, DEFAULT_MAX_PIXELS, DEFAULT_MAX_UPLOAD};
use crate::model::accession::AccessionPattern;
use crate::store::SessionLimits;

/// The settings a catalogue runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub accession_pattern: AccessionPattern,
    /// The largest JSON request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Where the search configuration (dictionary, synonyms, boosts) is read from;
    /// `./index` when present, else the copy built into the binary.
    pub index_config: Option<PathBuf>,
    pub images: ImageSettings,
    /// The address visitors reach the catalogue at (e.g. `https://collection.example.org`), used in
    /// IIIF identifiers and permalinks; by default taken from each request's `Host`.
    pub public_url: Option<String>,
    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For` entry
    /// (the one the proxy added), for sign-in throttling and logs.
    pub trust_forwarded_for: bool,
    /// How long web sessions last.
    pub sessions: SessionLimits,
    /// Protections against slow, many or stuck clients.
    pub limits: Limits,
    /// The museum's name, as aggregators show it (OAI-PMH, LIDO).
    pub museum_name: String,
    /// The shared set whose published objects the home page features.
    pub featured_set: Option<i64>,
    /// The museum's time zone: times are stored in UTC and shown in this zone.
    pub timezone: chrono_tz::Tz,
    /// Whether researchers see where objects are (curators and admins always do).
    pub researchers_see_locations: bool,
    /// The folder of the Noto CJK collections the paperwork is set in, when not the system's.
    pub font_dir: Option<PathBuf>,
}

/// The time zone until one is configured.
pub const DEFAULT_TIMEZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// The museum's name until one is configured.
pub const DEFAULT_MUSEUM_NAME: &str = "museum-catalogue";

/// What the server allows each client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Open connections at once; more are refused.
    pub max_connections: usize,
    /// Requests being answered at once; more get 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// Time to send the request headers (slow-loris clients are cut off).
    pub header_timeout: Duration,
    /// Longest wait for the next piece of a request body.
    pub body_idle_timeout: Duration,
    /// Time to answer a request, uploads and imports apart.
    pub request_timeout: Duration,
    /// Time to receive and process an upload or import.
    pub upload_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1024,
            max_in_flight: 256,
            header_timeout: Duration::from_secs(20),
            body_idle_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(60),
            upload_timeout: Duration::from_secs(3600),
        }
    }
}

/// Every setting, declared once: what `catalogue.toml` may set and, where a field has a
/// flag, what the command line (`--flag`) and the environment (`CATALOGUE_*`) may set over
/// it. A setting left unset takes its default in [`Config::load`].
#[derive(Debug, Default, Clone, Deserialize, Serialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address to serve on (default 127.0.0.1:8080); `serve --addr` sets it.
    #[arg(skip)]
    pub addr: Option<SocketAddr>,
    /// Where the catalogue keeps its database and files.
    #[arg(long, global = true, env = "CATALOGUE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Pattern of new accession numbers, with {year}, {donation} and {item}.
    #[arg(long, global = true, env = "CATALOGUE_ACCESSION_PATTERN")]
    pub accession_pattern: Option<String>,
    /// Largest JSON request body accepted, in bytes.
    #[arg(long, global = true, env = "CATALOGUE_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Folder of the search configuration: dictionary.txt, synonyms.txt, boosts.toml (default ./index if present).
    #[arg(long, global = true, env = "CATALOGUE_INDEX_CONFIG")]
    pub index_config: Option<PathBuf>,
    /// Largest image upload accepted, in bytes (default 1 GiB).
    #[arg(long, global = true, env = "CATALOGUE_MAX_UPLOAD_BYTES")]
    pub max_upload_bytes: Option<u64>,
    /// Most pixels an image may have (default 400 000 000).
    #[arg(long, global = true, env = "CATALOGUE_MAX_IMAGE_PIXELS")]
    pub max_image_pixels: Option<u64>,
    /// Most memory one image decode may use, in bytes (default 4 GiB).
    #[arg(long, global = true, env = "CATALOGUE_MAX_DECODE_BYTES")]
    pub max_decode_bytes: Option<u64>,
    /// Where image originals are kept: s3://bucket/prefix or file:///path (default: DATA_DIR/originals).
    #[arg(long, global = true, env = "CATALOGUE_IMAGE_STORE")]
    pub image_store: Option<String>,
    /// The address visitors reach the catalogue at, for IIIF identifiers and permalinks.
    #[arg(long, global = true, env = "CATALOGUE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Behind a reverse proxy that sets `X-Forwarded-For` (default false).
    #[arg(skip)]
    pub trust_forwarded_for: Option<bool>,
    /// Minutes a web session lasts without a request (default 120).
    #[arg(skip)]
    pub session_idle_minutes: Option<u64>,
    /// Hours a web session lasts at most (default 12).
    #[arg(skip)]
    pub session_max_hours: Option<u64>,
    /// Open connections at once (default 1024).
    #[arg(skip)]
    pub max_connections: Option<usize>,
    /// Requests answered at once; more get 503 (default 256).
    #[arg(skip)]
    pub max_in_flight: Option<usize>,
    /// Seconds to send request headers (default 20).
    #[arg(skip)]
    pub header_timeout_seconds: Option<u64>,
    /// Seconds to wait for the next piece of a request body (default 30).
    #[arg(skip)]
    pub body_idle_timeout_seconds: Option<u64>,
    /// Seconds to answer a request (default 60).
    #[arg(skip)]
    pub request_timeout_seconds: Option<u64>,
    /// Seconds to receive and process an upload or import (default 3600).
    #[arg(skip)]
    pub upload_timeout_seconds: Option<u64>,
    /// The museum's name, as aggregators show it (OAI-PMH, LIDO).
    #[arg(skip)]
    pub museum_name: Option<String>,
    /// The shared set (its number) whose published objects with images the home page
    /// features (default: the latest acquired with images).
    #[arg(long, global = true, env = "CATALOGUE_FEATURED_SET")]
    pub featured_set: Option<i64>,
    /// The museum's time zone, an IANA name (default `Asia/Shanghai`).
    #[arg(skip)]
    pub timezone: Option<String>,
    /// Let researchers see where objects are kept (default: curators and admins only).
    #[arg(long, global = true, env = "CATALOGUE_RESEARCHERS_SEE_LOCATIONS")]
    pub researchers_see_locations: Option<bool>,
    /// Folder holding NotoSerifCJK-Regular.ttc and NotoSansCJK-Bold.ttc, for the paperwork
    /// (default: where Debian, Fedora and Arch install them).
    #[arg(long, global = true, env = "CATALOGUE_FONT_DIR")]
    pub font_dir: Option<PathBuf>,
}

impl Settings {
    /// These settings over `under`: each one set here wins, the rest come from `under`.
    pub fn over(&self, under: Settings) -> Settings {
        let (serde_json::Value::Object(top), serde_json::Value::Object(mut merged)) =
            (serde_json::to_value(self).unwrap_or_default(), serde_json::to_value(under).unwrap_or_default())
        else {
            unreachable!("settings serialise to objects")
        };
        merged.extend(top.into_iter().filter(|(_, v)| !v.is_null()));
        serde_json::from_value(serde_json::Value::Object(merged)).expect("settings read back as written")
    }
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_MAX_BODY: usize = 2 * 1024 * 1024;
pub const DEFAULT_SESSION_IDLE_MINUTES: u64 = 120;
pub const DEFAULT_SESSION_MAX_HOURS: u64 = 12;

impl Config {
    /// The search analysis the configuration names (synonyms, boosts), else the shipped one.
    pub fn search_config(&self) -> anyhow::Result<crate::search::SearchConfig> {
        use anyhow::Context;
        match &self.index_config {
            Some(dir) => crate::search::SearchConfig::from_dir(dir)
                .with_context(|| format!("reading the search configuration in {}", dir.display())),
            None => Ok(crate::search::SearchConfig::default()),
        }
    }

    /// Resolves the configuration: `over` (flags and environment) wins over the file
    /// (`config_file`, else `./catalogue.toml` if present), the file over defaults.
    pub fn load(config_file: Option<&Path>, over: &Settings) -> anyhow::Result<Config> {
        let file = match config_file {
            Some(path) => read_file(path)?,
            None if Path::new("catalogue.toml").exists() => read_file(Path::new("catalogue.toml"))?,
            None => Settings::default(),
        };
        let set = over.over(file);
        let template = set.accession_pattern.unwrap_or_else(|| "{year}.{donation}.{item}".into());
        let accession_pattern = match AccessionPattern::new(&template) {
            Ok(p) => p,
            Err(e) => bail!("accession pattern `{template}`: {e}"),
        };
        let timezone = match set.timezone.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_TIMEZONE,
            Some(name) => name.parse().map_err(|_| {
                anyhow::anyhow!(
                    "timezone `{name}` is not a time zone name; write one such as Asia/Shanghai or Europe/London"
                )
            })?,
        };
        Ok(Config {
            timezone,
            addr: set.addr.unwrap_or_else(|| DEFAULT_ADDR.parse().expect("valid default address")),
            data_dir: set.data_dir.unwrap_or_else(|| PathBuf::from("data")),
            accession_pattern,
            max_body_bytes: set.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY),
            index_config: set.index_config.or_else(|| Some(PathBuf::from("index")).filter(|p| p.is_dir())),
            images: ImageSettings {
                max_upload_bytes: set.max_upload_bytes.unwrap_or(DEFAULT_MAX_UPLOAD),
                max_pixels: set.max_image_pixels.unwrap_or(DEFAULT_MAX_PIXELS),
                max_decode_bytes: set.max_decode_bytes.unwrap_or(DEFAULT_MAX_DECODE),
                store_url: set.image_store,
            },
            public_url: set.public_url.map(|u| u.trim_end_matches('/').to_string()),
            trust_forwarded_for: set.trust_forwarded_for.unwrap_or(false),
            sessions: SessionLimits {
                idle: Duration::from_secs(60 * set.session_idle_minutes.unwrap_or(DEFAULT_SESSION_IDLE_MINUTES)),
                absolute: Duration::from_secs(3600 * set.session_max_hours.unwrap_or(DEFAULT_SESSION_MAX_HOURS)),
            },
            limits: {
                let d = Limits::default();
                let secs = |v: Option<u64>, default: Duration| v.map_or(default, Duration::from_secs);
                Limits {
                    max_connections: set.max_connections.unwrap_or(d.max_connections).max(1),
                    max_in_flight: set.max_in_flight.unwrap_or(d.max_in_flight).max(1),
                    header_timeout: secs(set.header_timeout_seconds, d.header_timeout),
                    body_idle_timeout: secs(set.body_idle_timeout_seconds, d.body_idle_timeout),
                    request_timeout: secs(set.request_timeout_seconds, d.request_timeout),
                    upload_timeout: secs(set.upload_timeout_seconds, d.upload_timeout),
                }
            },
            museum_name: set
                .museum_name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_MUSEUM_NAME.to_string()),
            featured_set: set.featured_set,
            researchers_see_locations: set.researchers_see_locations.unwrap_or(false),
            font_dir: set.font_dir,
        })
    }

    /// A configuration for a data directory with everything else at its default.
    pub fn for_data_dir(data_dir: &Path) -> Config {
        Config {
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            data_dir: data_dir.to_path_buf(),
            accession_pattern: AccessionPattern::default(),
            max_body_bytes: DEFAULT_MAX_BODY,
            index_config: None,
            images: ImageSettings::default(),
            public_url: None,
            trust_forwarded_for: false,
            sessions: SessionLimits {
                idle: Duration::from_secs(60 * DEFAULT_SESSION_IDLE_MINUTES),
                absolute: Duration::from_secs(3600 * DEFAULT_SESSION_MAX_HOURS),
            },
            limits: Limits::default(),
            museum_name: DEFAULT_MUSEUM_NAME.to_string(),
            featured_set: None,
            timezone: DEFAULT_TIMEZONE,
            researchers_see_locations: false,
            font_dir: None,
        }
    }

    /// Session cookies are marked `Secure` when the catalogue is served over TLS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("catalogue.sqlite3")
    }
}

fn read_file(path: &Path) -> anyhow::Result<Settings> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let f = file_with(
            "addr = \"127.0.0.1:9000\"\ndata_dir = \"/srv/catalogue\"\naccession_pattern = \"JZ-{year}-{donation}-{item}\"\n",
        );
        let from_file = Config::load(Some(f.path()), &Settings::default()).unwrap();
        assert_eq!(from_file.addr.port(), 9000);
        assert_eq!(from_file.data_dir, PathBuf::from("/srv/catalogue"));
        assert_eq!(from_file.accession_pattern.template(), "JZ-{year}-{donation}-{item}");
        assert_eq!(from_file.max_body_bytes, DEFAULT_MAX_BODY);
        let flagged =
            Config::load(Some(f.path()), &Settings { data_dir: Some("/tmp/elsewhere".into()), ..Default::default() })
                .unwrap();
        assert_eq!(flagged.data_dir, PathBuf::from("/tmp/elsewhere"));
        assert_eq!(flagged.addr.port(), 9000);
    }

    #[test]
    fn a_bad_file_or_pattern_is_a_clear_error() {
        let f = file_with("adress = \"x\"\n");
        let err = Config::load(Some(f.path()), &Settings::default()).unwrap_err();
        assert!(format!("{err:#}").contains("adress"), "{err:#}");
        let err = Config::load(None, &Settings { accession_pattern: Some("{year}".into()), ..Default::default() })
            .unwrap_err();
        assert!(err.to_string().contains("{donation}"), "{err}");
        let f = file_with("timezone = \"Asia/Shangai\"\n");
        let err = Config::load(Some(f.path()), &Settings::default()).unwrap_err();
        assert!(err.to_string().contains("`Asia/Shangai` is not a time zone name"), "{err}");
    }

    #[test]
    fn the_museum_s_time_zone_defaults_to_shanghai() {
        let f = file_with("timezone = \"Europe/London\"\n");
        let set = Config::load(Some(f.path()), &Settings::default()).unwrap();
        assert_eq!(set.timezone, chrono_tz::Europe::London);
        assert_eq!(Config::for_data_dir(Path::new("d")).timezone, chrono_tz::Asia::Shanghai);
    }
}
