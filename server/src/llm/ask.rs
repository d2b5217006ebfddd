//! A question about the code at a location: the simplest end-to-end use of
//! the client (`pyloom llm ask`). The reserve left by the context pays for
//! the instructions; what remains caps the answer.

use super::Request;
use crate::context::{Context, TokenCounter};

const SYSTEM: &str = "You are an expert Python engineer. Answer the question about the user's code \
precisely and briefly. Level 1 of the context shows full code; level 2 lists only signatures, with \
their file and line.";

/// The request for `question` about `context`'s target, its answer capped
/// by the settings and by what is left of the budget.
pub fn ask_request(context: &Context, question: &str, counter: &TokenCounter, max_output_tokens: u32) -> Result<Request, String> {
    let prompt = format!("{}\n## Question about {}\n\n{}\n", context.packed.text, context.target, question.trim());
    let spent = counter.count(SYSTEM) + counter.count(&prompt);
    let left = counter.usable(context.packed.budget).saturating_sub(spent);
    if left == 0 {
        return Err(format!(
            "the budget of {} tokens leaves no room for an answer (the prompt alone is {spent}); raise context.budget or --budget",
            context.packed.budget
        ));
    }
    Ok(Request {
        system: SYSTEM.to_owned(),
        prompt,
        max_output_tokens: Some(max_output_tokens.min(u32::try_from(left).unwrap_or(u32::MAX))),
        temperature: None,
        stream: true,
        cache: super::CacheUse::ReadWrite,
        infill: None,
    })
}
