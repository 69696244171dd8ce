//! Writes the typed-decode workload of `bench/peers.sh`: for each model, JSON Lines of
//! sample instances (`markmodel::sample::Sampler`) until the file holds the asked size.
//! Run: `cargo run --release -p bench --example workload -- CORPUS OUT_DIR MIB MODEL...`.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: workload CORPUS OUT_DIR MIB MODEL...";
    let corpus = PathBuf::from(args.next().ok_or(usage)?);
    let out = PathBuf::from(args.next().ok_or(usage)?);
    // Fractions allowed: `2.5` MiB per model.
    let mib = args.next().ok_or(usage)?.parse::<f64>()?;
    let bytes = (mib * 1024.0 * 1024.0) as usize;
    let models: Vec<String> = args.collect();
    let loaded = markmodel::lint(&markmodel::FolderSource::new(corpus))?;
    let spec = loaded.spec.ok_or("the corpus does not lower")?;
    let sampler = markmodel::sample::Sampler::new(&spec);
    std::fs::create_dir_all(&out)?;
    for model in &models {
        let mut text = String::new();
        let mut seed = 0;
        while text.len() < bytes {
            let instance = sampler
                .instance(model, seed)
                .ok_or_else(|| format!("no instance of {model}"))?;
            text.push_str(&instance.to_string());
            text.push('\n');
            seed += 1;
        }
        std::fs::write(out.join(format!("{model}.jsonl")), text)?;
    }
    Ok(())
}
