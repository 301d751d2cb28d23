//! Raw FFI declarations for libplexauth, generated from
//! `include/plexauth/plexauth.h` by `codegen/emit_rust.py` (the C header is
//! the contract; read it for ownership, threading and the meaning of each
//! function). Nothing here is written by hand but this file.
//!
//! Everything here is `unsafe` to call. Use the `plexauth` crate for a safe API.
//!
//! The library is found at build time through `PLEXAUTH_LIB_DIR` or pkg-config, or, with the
//! `bundled` feature, built from source with CMake and linked statically (`build.rs`).
//! `tests/header_sync.rs` parses the header on its own and fails when it and
//! these declarations differ in any function, enum value or version.
#![allow(non_camel_case_types)]
#![allow(missing_docs)]

/// Opaque handles (the recommended pattern from the Nomicon: not constructible,
/// not Send/Sync/Unpin by default).
macro_rules! opaque {
    ($($name:ident),* $(,)?) => {$(
        #[repr(C)]
        pub struct $name {
            _data: [u8; 0],
            _marker: ::std::marker::PhantomData<(*mut u8, ::std::marker::PhantomPinned)>,
        }
    )*};
}

// Written by codegen/emit_rust.py (`cargo fmt` leaves it as generated). C enums
// are passed as plain integers: a Rust `enum` would be UB for values a newer
// library adds, so they are integer types plus constants.
#[rustfmt::skip]
mod generated;

pub use generated::*;
