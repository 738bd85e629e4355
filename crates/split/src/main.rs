//! Splits the app's wasm (cargo's output, linked with `--emit-relocs`) at its split points
//! (`src/lazy.rs`) before wasm-bindgen sees it, as `.ci/bin/wasm-bindgen` runs it inside Trunk.
//!
//! `shouwang-split <input.wasm> <main-out.wasm> <parts-dir> <name>` writes the main module (for
//! wasm-bindgen), and into the parts directory, emptied first, the parts (each made smaller with
//! `wasm-opt -Oz`, as Trunk does the main module) and the loader the main module imports. Every
//! name carries a hash: a part's of its own bytes, so a phone fetches it again only when they
//! change; the loader's of the whole input, because it names the parts and (after
//! `.ci/split-files.sh`) the main module's JS. The server keeps such names forever.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use wasm_split_cli_support::{transform, Options};

/// The flags Trunk gives wasm-opt for the main module (`index.html`).
const WASM_OPT: [&str; 4] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, main_out, parts, name] = args.as_slice() else {
        eprintln!("usage: shouwang-split <input.wasm> <main-out.wasm> <parts-dir> <name>");
        return ExitCode::from(2);
    };
    match split(
        Path::new(input),
        Path::new(main_out),
        Path::new(parts),
        name,
    ) {
        Ok(count) => {
            println!("shouwang-split: {count} parts");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("shouwang-split: {err}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &Path, main_out: &Path, parts: &Path, name: &str) -> Result<usize, String> {
    let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    if std::fs::exists(parts).map_err(|e| e.to_string())? {
        std::fs::remove_dir_all(parts).map_err(|e| format!("{}: {e}", parts.display()))?;
    }
    std::fs::create_dir_all(parts).map_err(|e| format!("{}: {e}", parts.display()))?;
    let link_name = format!("./{name}-split-{}.js", hash(&bytes));
    // `.ci/split-files.sh` puts the main module's hashed name here once Trunk has chosen it.
    let main_module = format!("./{name}.js");
    let mut options = Options::new(&bytes);
    options.output_dir = parts;
    options.main_out_path = main_out;
    options.link_name = &link_name;
    options.main_module = &main_module;
    let split = transform(options).map_err(|e| format!("splitting {}: {e:?}", input.display()))?;

    let link_path = parts.join(&link_name);
    let mut loader = std::fs::read_to_string(&link_path).map_err(|e| e.to_string())?;
    // The bench's names-kept build (bench/compare/build-named.sh) skips it, as Trunk does there.
    if std::env::var_os("SHOUWANG_SPLIT_NO_OPT").is_none() {
        optimise(&split.split_modules)?;
    }
    for part in &split.split_modules {
        let stem = part
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("a part without a name: {}", part.display()))?;
        let optimised = std::fs::read(part).map_err(|e| format!("{}: {e}", part.display()))?;
        let hashed = format!("{stem}-{}.wasm", hash(&optimised));
        let old = format!("\"./{stem}.wasm\"");
        if !loader.contains(&old) {
            return Err(format!("the loader does not name {stem}.wasm"));
        }
        loader = loader.replace(&old, &format!("\"./{hashed}\""));
        std::fs::rename(part, parts.join(&hashed)).map_err(|e| e.to_string())?;
    }
    std::fs::write(&link_path, loader).map_err(|e| e.to_string())?;
    Ok(split.split_modules.len())
}

/// wasm-opt on every part, two at a time (the build machines have two cores).
fn optimise(parts: &[PathBuf]) -> Result<(), String> {
    for pair in parts.chunks(2) {
        let running = pair
            .iter()
            .map(|part| {
                Command::new("wasm-opt")
                    .args(WASM_OPT)
                    .arg(part)
                    .arg("-o")
                    .arg(part)
                    .spawn()
                    .map_err(|e| format!("wasm-opt: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (mut child, part) in running.into_iter().zip(pair) {
            let status = child.wait().map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("wasm-opt failed on {}", part.display()));
            }
        }
    }
    Ok(())
}

/// 16 hex digits, as Trunk names its files, so the server and `.ci/compress.mjs` see them as
/// hashed.
fn hash(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
