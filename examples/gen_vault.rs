//! Writes a synthetic vault for benchmarks and manual testing.
//!
//! ```text
//! cargo run --release --example gen_vault -- DIR --notes 10000 [--seed 1] [--broken 0.02] [--typed]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use twin::synth::{SynthOptions, generate_vault};

const USAGE: &str = "usage: gen_vault DIR [--notes N] [--seed S] [--broken RATIO] [--typed]

Writes a deterministic synthetic vault of N notes (default 1000) into DIR.
  --notes N        number of notes, folder index notes included
  --seed S         generator seed (default 1); the same seed gives the same files
  --broken RATIO   share of links that are broken on purpose (default 0.02)
  --typed          add typed link sections (Upstream / Downstream / Related) and up: properties";

fn parse(args: &[String]) -> Result<(PathBuf, SynthOptions), String> {
    let mut dir = None;
    let mut opts = SynthOptions::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--notes" => {
                opts.notes = value("--notes")?
                    .parse()
                    .map_err(|e| format!("--notes: {e}"))?
            }
            "--seed" => {
                opts.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--broken" => {
                let ratio: f64 = value("--broken")?
                    .parse()
                    .map_err(|e| format!("--broken: {e}"))?;
                if !(0.0..=1.0).contains(&ratio) {
                    return Err("--broken must be between 0 and 1".to_string());
                }
                opts.broken_link_ratio = ratio;
            }
            "--typed" => opts.typed_links = true,
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            path if dir.is_none() => dir = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument {extra}")),
        }
    }
    let dir = dir.ok_or_else(|| "missing DIR".to_string())?;
    Ok((dir, opts))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, opts) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("gen_vault: {message}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match generate_vault(&dir, &opts) {
        Ok(stats) => {
            let elapsed = started.elapsed();
            println!(
                "{}: {} notes in {} folders, {:.1} MB of markdown, {} links ({} broken, {} typed, {} one-sided), {} attachments, in {:.2} s",
                dir.display(),
                stats.notes,
                stats.folders,
                stats.bytes as f64 / 1e6,
                stats.links,
                stats.broken_links,
                stats.typed_links,
                stats.nonreciprocal,
                stats.attachments,
                elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_vault: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
