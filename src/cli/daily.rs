//! `twin daily [DATE] [PATH]`: prints the path of a day's daily note (today by default),
//! creating it from the vault's template when it does not exist, so that
//! `nvim "$(twin daily)"` opens it. An existing note is never written.

use std::path::{Path, PathBuf};

use clap::Args;

use super::load::open_rulebook;
use super::{EXIT_ERROR, EXIT_OK};
use crate::analysis::ide::{daily_note, parse_day};

#[derive(Args, Debug)]
pub struct DailyArgs {
    /// The day: today (the default), yesterday, tomorrow, a weekday, "next monday",
    /// "last friday" or YYYY-MM-DD. A folder given alone is taken as PATH.
    pub date: Option<String>,
    /// The vault's root folder.
    pub path: Option<PathBuf>,
    /// Print the path without creating the note.
    #[arg(long)]
    pub no_create: bool,
}

pub fn run(args: &DailyArgs) -> u8 {
    let now = jiff::Zoned::now();
    let today = now.date();
    let (day, root) = match (&args.date, &args.path) {
        (None, path) => (today, path.clone()),
        (Some(word), path) => match parse_day(word, today) {
            Some(day) => (day, path.clone()),
            None if path.is_none() && Path::new(word).is_dir() => (today, Some(word.into())),
            None => {
                eprintln!(
                    "error: `{word}` is no day: use today, yesterday, tomorrow, a weekday, \"next monday\", \"last friday\" or YYYY-MM-DD"
                );
                return EXIT_ERROR;
            }
        },
    };
    let root = root.unwrap_or_else(|| PathBuf::from("."));
    let rulebook = match open_rulebook(&root) {
        Ok(rulebook) => rulebook,
        Err(code) => return code,
    };
    let settings = &rulebook.config.daily_notes;
    let note = daily_note(
        settings,
        day,
        now.datetime(),
        &|rel| root.join(rel).exists(),
        &|rel| {
            let path = crate::vault::resolve_inside(&root, rel).ok()?;
            std::fs::read_to_string(path).ok()
        },
    );
    if !note.exists && !args.no_create {
        match crate::fix::create::create_note_file(&root, &note.path, &note.text) {
            Ok(true) => eprintln!("twin: created {}", note.path),
            Ok(false) => {}
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        }
    }
    let root = std::path::absolute(&root).unwrap_or(root);
    println!("{}", root.join(&note.path).display());
    EXIT_OK
}
