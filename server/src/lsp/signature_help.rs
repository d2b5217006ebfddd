//! textDocument/signatureHelp: [`crate::ide::signature_help`] as LSP
//! signatures, parameter labels as UTF-16 offsets into the label.

use tower_lsp::lsp_types::*;

use super::Backend;
use crate::ide::signature_help;

impl Backend {
    pub(super) async fn on_signature_help(&self, params: SignatureHelpParams) -> Option<SignatureHelp> {
        let (graph, file, offset) = self.summarised_graph_at(&params.text_document_position_params).await?;
        let help = signature_help::signature_help(&graph, file, offset)?;
        let signatures: Vec<SignatureInformation> = help.signatures.into_iter().map(information).collect();
        let active_parameter = signatures.get(help.active_signature).and_then(|s| s.active_parameter);
        Some(SignatureHelp { signatures, active_signature: Some(help.active_signature as u32), active_parameter })
    }
}

fn information(signature: signature_help::SignatureInfo) -> SignatureInformation {
    let utf16 = |byte: usize| signature.label.get(..byte).map_or(0, |s| s.encode_utf16().count()) as u32;
    let parameters: Vec<ParameterInformation> = signature
        .parameters
        .iter()
        .map(|&(start, end)| ParameterInformation { label: ParameterLabel::LabelOffsets([utf16(start), utf16(end)]), documentation: None })
        .collect();
    // No active parameter (more arguments than parameters): an index past
    // the end, since an absent one means the first.
    let active_parameter = Some(signature.active_parameter.unwrap_or(parameters.len()) as u32);
    SignatureInformation {
        documentation: signature.documentation.map(|value| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::PlainText, value })),
        label: signature.label,
        parameters: Some(parameters),
        active_parameter,
    }
}
