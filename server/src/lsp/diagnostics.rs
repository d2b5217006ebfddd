//! Publishing findings for open documents as diagnostics.

use tower_lsp::lsp_types::{self as lsp, Url};

use super::Backend;
use super::convert;
use crate::findings::{self, Finding, Severity};
use crate::workspace::{Document, PositionEncoding};

/// How long typing must pause before a document is re-analysed.
const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(75);

impl Backend {
    /// Analyses `uri` once typing pauses, and publishes if the document is
    /// still at the version analysed.
    pub(super) fn schedule_diagnostics(&self, uri: Url, version: i32) {
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            let Some(doc) = this.snapshot(&uri) else { return };
            if doc.version != version {
                return; // a newer change scheduled its own run
            }
            let encoding = this.encoding();
            let max = this.settings().files.max_file_bytes;
            let mut diagnostics = tokio::task::spawn_blocking(move || diagnostics(&doc, encoding, max))
                .await
                .unwrap_or_default();
            diagnostics.extend(this.snippet_diagnostics(&uri, version));
            if this.snapshot(&uri).is_some_and(|d| d.version == version) {
                this.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
            }
        });
    }
}

fn diagnostics(doc: &Document, encoding: PositionEncoding, max_bytes: usize) -> Vec<lsp::Diagnostic> {
    if doc.rope.len_bytes() > max_bytes {
        return Vec::new();
    }
    let text = doc.text();
    findings::check_source(&text).into_iter().map(|f| diagnostic(doc, &f, encoding)).collect()
}

fn diagnostic(doc: &Document, finding: &Finding, encoding: PositionEncoding) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: convert::range(&doc.rope, &finding.range, encoding),
        severity: Some(match finding.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(finding.code.clone())),
        source: Some("pyloom".to_owned()),
        message: finding.message.clone(),
        ..Default::default()
    }
}
