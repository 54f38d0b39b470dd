//! PDF: the text layer, page by page, through pdf-extract (guarded against its panics).

use super::IngestError;

/// The text of each page of a PDF.
///
/// # Errors
/// [`IngestError::NoTextLayer`] when no page has any text (a scan), [`IngestError::BadPdf`] when
/// the PDF cannot be read.
pub(crate) fn pages(name: &str, bytes: &[u8]) -> Result<Vec<String>, IngestError> {
    let read = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    let bad = |reason: String| IngestError::BadPdf {
        name: name.to_string(),
        reason,
    };
    match read {
        Err(_) => Err(bad(
            "the PDF reader gave up on it (damaged or unusual PDF)".to_string()
        )),
        Ok(Err(error)) => Err(bad(error.to_string())),
        Ok(Ok(pages)) if pages.iter().all(|p| p.trim().is_empty()) => {
            Err(IngestError::NoTextLayer {
                name: name.to_string(),
            })
        }
        Ok(Ok(pages)) => Ok(pages),
    }
}
