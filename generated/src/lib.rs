//! Rust models generated from `specs/` (the emitter lands with `cargo xtask codegen`; until then this crate is empty).
