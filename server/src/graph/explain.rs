//! Hover text: what a symbol is, where it is defined, who calls it, what it
//! calls, its bases and subclasses, and how much depends on it. Plain
//! Markdown, shared by the LSP hover and `pyloom explain`.
