//! LLM code actions: implement, generate from a comment, refactor, fix,
//! explain, write tests and adjust — each fed with hierarchical context and
//! every edit checked against the graph before it is offered.

pub mod edit;
pub mod memory;
pub mod prompt;
pub mod reply;
pub mod targets;
