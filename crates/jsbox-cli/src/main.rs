//! `jsbox`: run JavaScript files, evaluate expressions, explore in a REPL and list
//! native modules, on the jsbox library.

mod bench;
mod calllog;
mod repl;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use jsbox::{Factory, Options};

/// Fresh, isolated JavaScript runtimes with Node-style require().
///
/// `jsbox app.js args...` runs a script (as `jsbox run` does); `jsbox` alone
/// starts the REPL.
#[derive(Parser, Debug)]
#[command(
    name = "jsbox",
    version,
    about,
    args_conflicts_with_subcommands = true,
    override_usage = "jsbox [OPTIONS] [SCRIPT [ARGS]...]\n       jsbox <COMMAND>"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Without a command: run a script, or start the REPL when none is given.
    #[command(flatten)]
    run: RunArgs,
}

/// What `jsbox run` (and `jsbox SCRIPT`) takes: jsbox's own flags first, then
/// the script, then the script's arguments, untouched.
#[derive(clap::Args, Debug, Default)]
struct RunArgs {
    /// Log every call across the JS/Rust boundary to this SQLite file.
    #[arg(long, value_name = "FILE")]
    call_log: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
    /// The script to run, then its arguments: everything after the script's
    /// name is the script's (`process.argv.slice(2)`), as with `node`.
    #[arg(
        value_name = "SCRIPT [ARGS]",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    script: Vec<String>,
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
    /// Run SCRIPT as the main module; the arguments after it are the script's.
    Run(RunArgs),
    /// Evaluate CODE and print its value like `node -p`.
    Eval {
        #[command(flatten)]
        limits: LimitArgs,
        /// `module` runs CODE as an ES module (`import`, top-level `await`;
        /// nothing is printed), as `node --input-type=module` does.
        #[arg(long, value_name = "TYPE", value_parser = ["commonjs", "module"], default_value = "commonjs")]
        input_type: String,
        /// The JavaScript to evaluate.
        code: String,
    },
    /// Start an interactive read-eval-print loop.
    Repl {
        #[command(flatten)]
        limits: LimitArgs,
    },
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
    let outcome = match cli.command {
        Some(command) => run(command),
        None if cli.run.script.is_empty() => run(Command::Repl {
            limits: cli.run.limits,
        }),
        None => run(Command::Run(cli.run)),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run(RunArgs {
            call_log,
            limits,
            script,
        }) => {
            let Some(file) = script.first() else {
                anyhow::bail!("no script given: jsbox run [OPTIONS] SCRIPT [ARGS]...");
            };
            let file = PathBuf::from(file);
            let mut options = limits.apply(Options::new().argv(script.clone()));
            if let Some(path) = call_log {
                options = options.call_log(path);
            }
            let excerpts = match (&limits.root, limits.sandbox) {
                (Some(root), _) => report::Excerpts::Inside(root.clone()),
                (None, true) => report::Excerpts::Only(file.clone()),
                (None, false) => report::Excerpts::Any,
            };
            let factory = Factory::new(options)?;
            let runtime = factory.new_runtime()?;
            Ok(report::program(
                &runtime,
                runtime.run_file(&file).and_then(|()| runtime.run_to_exit()),
                &excerpts,
            ))
        }
        Command::Eval {
            limits,
            input_type,
            code,
        } => {
            let runtime = jsbox::open(limits.apply(Options::new()))?;
            if input_type == "module" {
                return Ok(report::outcome(
                    runtime
                        .eval_module(&code)
                        .and_then(|()| runtime.run_until_idle()),
                    &report::Excerpts::Never,
                ));
            }
            match runtime.eval_format(&code) {
                Ok(text) => {
                    println!("{text}");
                    Ok(report::outcome(
                        runtime.run_until_idle(),
                        &report::Excerpts::Never,
                    ))
                }
                Err(error) => Ok(report::outcome(Err(error), &report::Excerpts::Never)),
            }
        }
        Command::Repl { limits } => {
            repl::run(limits.apply(Options::new())).context("the REPL failed")?;
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
