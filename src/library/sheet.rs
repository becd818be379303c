//! The comparison sheet: one PNG with every cell of a comparison and its labels, for sharing.
//!
//! (Being written.)
