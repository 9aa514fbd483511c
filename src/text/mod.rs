//! The text model: cleaning scraped pages, splitting sentences, and folding text for
//! matching with a map back to original byte offsets. Offsets everywhere in newsgraph are
//! byte offsets into the cleaned text that the database stores.

pub mod boilerplate;
pub mod dates;
pub mod fold;
mod sentence_bounds;
mod sentence_categories;
pub mod sentences;
pub mod tokens;

pub use boilerplate::clean;
pub use fold::{Folded, fold, fold_alias};
