//! Editor features over the graph: analysis that answers an editor's
//! requests at a cursor, plain Rust in, plain Rust out; the LSP conversions
//! live in `crate::lsp`.

pub mod call_arguments;
mod call_site;
pub mod checking_only;
mod class_values;
pub mod completion;
mod completion_context;
mod completion_import;
mod computed_reads;
mod config_paths;
mod data_files;
mod deprecated;
mod doctest_files;
pub mod edits;
pub mod entry_points;
mod export_mutations;
pub mod extract_function;
mod extract_function_annotations;
mod extract_function_escapes;
mod extract_function_flow;
pub mod extract_variable;
mod extraction_keywords;
mod f_string_debug;
pub mod folding;
pub mod hover;
pub(crate) mod ignored_modules;
mod import_strings;
mod indented;
pub mod inlay_hints;
pub mod inline_function;
mod inline_function_all;
mod inline_function_body;
mod inline_function_hazards;
pub mod inline_variable;
mod installed_shadow;
mod ipython_escapes;
mod lookup_spellings;
mod meanings;
pub mod mentions;
pub mod method_binding;
mod module_classes;
mod module_lookups;
pub mod module_move;
mod module_move_check;
mod module_move_edits;
mod module_move_folders;
mod module_move_script;
mod module_move_shadow;
mod module_move_syntax;
pub mod module_moves;
mod module_name_compares;
mod module_stores;
mod move_packages;
mod name_events;
mod name_lookups;
mod namespace_callees;
mod namespace_imports;
mod namespace_listing;
mod namespace_readers;
mod namespace_scans;
mod new_names;
mod notebook_readers;
pub mod occurrences;
mod own_file;
mod package_submodules;
mod parameter_pairs;
mod parsed_files;
mod patch_strings;
mod pickled_data;
mod plain_wrappers;
mod pytest_collection;
pub mod rename;
mod rename_annotations;
mod rename_callees;
mod rename_commands;
mod rename_doctests;
mod rename_fields;
mod rename_flow;
mod rename_from_keyword;
mod rename_guard;
mod rename_hierarchy;
mod rename_keys;
mod rename_keywords;
mod rename_mentions;
mod rename_name_reads;
mod rename_new_name;
mod rename_overrides;
mod rename_prefix_scans;
mod rename_reexports;
mod rename_runtime;
mod rename_setattr;
mod rename_shadowing;
mod rename_spelled;
mod rename_star;
mod rename_strings;
mod rename_stubs;
mod rename_unlinked;
mod rename_unlinked_calls;
mod run_as_file;
mod scope_declarations;
pub mod selection;
pub mod semantic_tokens;
mod signature_call_protocol;
pub mod signature_change;
mod signature_constructors;
mod signature_guard;
pub mod signature_help;
mod signature_mentions;
mod signature_rewrite;
pub mod stale_calls;
mod surely_bound;
pub mod symbol_move;
mod symbol_move_check;
mod symbol_move_code;
mod symbol_move_imports;
mod symbol_move_mutations;
mod symbol_move_registers;
mod symbol_move_subclasses;
mod symbol_move_target;
mod symbol_move_users;
pub mod token_interface;
mod value_uses;
pub mod variable_sites;

pub use call_site::dotted_before;
pub use completion::cursor_scope;

/// The last segment of a dotted name (`enum.Enum` → `Enum`).
fn last_segment(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// What a decorator names, by its last segment, without the call's
/// arguments (`@pytest.fixture(scope="module")` → `fixture`).
fn decorator_name(decorator: &str) -> &str {
    last_segment(decorator.split('(').next().unwrap_or(decorator))
}

#[cfg(test)]
mod broken_cell_tests;
#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod pending_link_tests;
