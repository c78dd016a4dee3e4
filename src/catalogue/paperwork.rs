//! Printing: the catalogue's letterhead and templates (the shipped ones, or the
//! museum's own in `DATA_DIR/paperwork/`), and the images a document places.

use serde_json::Value;

use super::Catalogue;
use crate::model::image::{ImageRecord, ImageRole};
use crate::paperwork::{Document, Museum, Picture, PrintError, Printed, Printer};

impl Catalogue {
    fn printer(&self) -> Printer {
        Printer::new(&self.config.data_dir.join("paperwork"))
    }

    /// The museum as its paperwork names it.
    pub fn museum(&self) -> Result<Museum, PrintError> {
        self.printer().museum(&self.config.museum_name)
    }

    /// Sets `doc` with `data` as a PDF. `pictures` are the files the data names.
    pub fn print(&self, doc: Document, data: Value, pictures: Vec<Picture>) -> Result<Printed, PrintError> {
        let printer = self.printer();
        let museum = printer.museum(&self.config.museum_name)?;
        let today = chrono::Utc::now().with_timezone(&self.config.timezone).date_naive();
        let started = std::time::Instant::now();
        let printed = printer.render(doc, &museum, data, pictures, today)?;
        tracing::info!(
            document = doc.name(),
            pages = printed.pages,
            ms = started.elapsed().as_millis() as u64,
            "printed"
        );
        for w in &printed.warnings {
            tracing::warn!(document = doc.name(), "{w}");
        }
        Ok(printed)
    }

    /// The picture a catalogue card shows: the primary image's display copy (JPEG),
    /// else the first image's, with its caption.
    pub fn card_picture<'a>(&self, images: &'a [ImageRecord]) -> Option<(Vec<u8>, &'a ImageRecord)> {
        let image = images.iter().find(|i| i.meta.role == ImageRole::Primary).or_else(|| images.first())?;
        let bytes = std::fs::read(self.images.derivative_dir(&image.meta.sha256).display()).ok()?;
        Some((bytes, image))
    }
}
