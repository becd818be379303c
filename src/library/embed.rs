//! Settings inside the picture file: a `parameters` text in the A1111 style, added to PNG as an
//! `iTXt` chunk and to JPEG and WebP as XMP, without re-encoding the picture data. Also reads
//! such text back from files made by Easel, A1111 and other tools.
//!
//! (Being written; see the public functions' docs.)
