//! The app's build script: links the app's wasm (the `shouwang` binary only) with
//! `--emit-relocs`, which the splitter (crates/split, run by .ci/bin/wasm-bindgen) needs to cut
//! the screens' parts out of it (src/lazy.rs). Only this binary: the files worker, linked with
//! them, carried 837 KB of relocations to every phone, and the browser tests are not split.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=shouwang=--emit-relocs");
    }
}
