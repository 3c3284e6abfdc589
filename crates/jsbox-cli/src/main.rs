//! `jsbox`: run JavaScript files, evaluate expressions, explore in a REPL and list
//! native modules, on the jsbox library.

mod bench;
mod calllog;
mod repl;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use jsbox::{Factory, Options};

/// Fresh, isolated JavaScript runtimes with Node-style require().
#[derive(Parser, Debug)]
#[command(name = "jsbox", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Limits and policies for scripts that are not trusted.
#[derive(clap::Args, Debug, Default)]
struct LimitArgs {
    /// End the script (and its event loop) after this many milliseconds.
    #[arg(long, value_name = "MS")]
    timeout: Option<u64>,
    /// Limit the engine heap to this many megabytes.
    #[arg(long, value_name = "MB")]
    memory_limit: Option<usize>,
    /// Limit the JS stack to this many kilobytes.
    #[arg(long, value_name = "KB")]
    stack_limit: Option<usize>,
    /// Deny the fs, exec and database modules and hide process.env.
    #[arg(long)]
    sandbox: bool,
    /// Confine fs, require and database paths to this directory.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

impl LimitArgs {
    fn apply(&self, mut options: Options) -> Options {
        if let Some(ms) = self.timeout {
            options = options.timeout(std::time::Duration::from_millis(ms));
        }
        if let Some(mb) = self.memory_limit {
            options = options.memory_limit(mb << 20);
        }
        if let Some(kb) = self.stack_limit {
            options = options.stack_limit(kb << 10);
        }
        if self.sandbox {
            options = options.sandboxed();
        }
        if let Some(root) = &self.root {
            options = options.root(root);
        }
        options
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run FILE as the main module; ARGS become process.argv after the script.
    Run {
        /// Log every call across the JS/Rust boundary to this SQLite file.
        #[arg(long, value_name = "FILE")]
        call_log: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
        /// The script to run.
        file: PathBuf,
        /// Arguments for the script.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Evaluate CODE and print its value like `node -p`.
    Eval {
        /// The JavaScript to evaluate.
        code: String,
    },
    /// Start an interactive read-eval-print loop.
    Repl,
    /// List the native modules with their documentation.
    Modules,
    /// Show the newest rows of a call log, or per-function statistics.
    Calllog(calllog::Args),
    /// Measure runtime spawn speed: bare engine, open(), factory, factory with call log.
    Bench(bench::Args),
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run {
            call_log,
            limits,
            file,
            args,
        } => {
            let mut argv = vec![file.to_string_lossy().into_owned()];
            argv.extend(args);
            let mut options = limits.apply(Options::new().argv(argv));
            if let Some(path) = call_log {
                options = options.call_log(path);
            }
            let factory = Factory::new(options)?;
            let runtime = factory.new_runtime()?;
            report(
                runtime
                    .run_file(&file)
                    .and_then(|()| runtime.run_until_idle()),
            )
        }
        Command::Eval { code } => {
            let runtime = jsbox::open(Options::new())?;
            match runtime.eval_format(&code) {
                Ok(text) => {
                    println!("{text}");
                    report(runtime.run_until_idle())
                }
                Err(error) => report(Err(error)),
            }
        }
        Command::Repl => {
            let factory = Factory::new(Options::new())?;
            repl::run(&factory).context("the REPL failed")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => {
            bench::run(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Calllog(args) => {
            calllog::run(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Modules => {
            let factory = Factory::new(Options::new())?;
            let modules = factory.modules();
            if modules.is_empty() {
                println!("no native modules are registered");
            }
            for (name, doc) in modules {
                println!("{name}\n    {}\n", doc.replace('\n', "\n    "));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints an uncaught error (with its stack) to stderr and picks the exit code:
/// the script's own for `process.exit(code)`, 1 for any error.
fn report(outcome: jsbox::Result<()>) -> anyhow::Result<ExitCode> {
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(jsbox::Error::Exit(code)) => Ok(ExitCode::from(code.clamp(0, 255) as u8)),
        Err(error @ jsbox::Error::UnhandledRejection(_)) => {
            eprintln!("{error}");
            Ok(ExitCode::FAILURE)
        }
        Err(error) => {
            eprintln!("Uncaught {error}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Output into a closed pipe (`jsbox run app.js | head`) ends the process
/// quietly, as it does for other command-line tools, instead of making
/// `println!` panic: Rust's runtime ignores SIGPIPE unless told otherwise.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
