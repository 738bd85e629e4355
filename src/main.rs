//! The app's entry point: Trunk builds this binary to wasm and the page runs it.

fn main() {
    shouwang::start();
}
