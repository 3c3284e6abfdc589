//! The interactive loop: rustyline for line editing and history, continuation
//! lines while a statement is incomplete, results shown with `util.inspect`.

use std::path::PathBuf;

use jsbox::Factory;
use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

const HELP: &str = "\
.help     show this help
.exit     leave the REPL (Ctrl-D works too)
.clear    start over with a fresh runtime
Statements spanning several lines are continued with '...'.";

fn history_path() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".jsbox_history"))
}

/// Runs the REPL on stdin/stdout until `.exit` or end of input.
pub fn run(factory: &Factory) -> anyhow::Result<()> {
    let mut editor = DefaultEditor::new()?;
    let history = history_path();
    if let Some(path) = &history {
        // A missing history file is normal on first use.
        let _ = editor.load_history(path);
    }
    let mut runtime = factory.new_runtime()?;
    println!("jsbox {} — .help for help", env!("CARGO_PKG_VERSION"));
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { "> " } else { "... " };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                if pending.is_empty() {
                    println!("(To exit, press Ctrl+D or type .exit)");
                }
                pending.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(error) => return Err(error.into()),
        };
        if pending.is_empty() {
            match line.trim() {
                ".exit" => break,
                ".help" => {
                    println!("{HELP}");
                    continue;
                }
                ".clear" => {
                    runtime = factory.new_runtime()?;
                    println!("Clearing context...");
                    continue;
                }
                "" => continue,
                _ => {}
            }
        }
        pending.push_str(&line);
        pending.push('\n');
        if runtime.is_incomplete(&pending) {
            continue;
        }
        let _ = editor.add_history_entry(pending.trim_end());
        match runtime.eval_inspect(&pending) {
            Ok(shown) => println!("{shown}"),
            Err(error) => eprintln!("Uncaught {error}"),
        }
        pending.clear();
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    Ok(())
}
