//! `jsbox bench`: a quick built-in spawn benchmark, so anyone can see on their
//! own machine what a runtime costs. The criterion suite (`scripts/bench.sh`) is
//! the thorough version.

use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use jsbox::{Factory, HeapImages, NullSink, Options};

/// Arguments of `jsbox bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Total time budget in seconds, shared by the rows.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Spawn on this many threads at once (throughput across threads).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Row {
    name: &'static str,
    runtimes: u64,
    threads: usize,
    micros_per_runtime: f64,
    runtimes_per_second: f64,
}

/// Something that makes (and drops) one runtime.
type Spawner = Arc<dyn Fn() -> anyhow::Result<()> + Send + Sync>;

/// Spawns with `spawn` on `threads` threads for `budget`; counts runtimes.
fn measure(
    name: &'static str,
    spawn: Spawner,
    threads: usize,
    budget: Duration,
    bar: &ProgressBar,
) -> anyhow::Result<Row> {
    bar.set_message(name);
    // Warm-up: the first runtimes pay for one-time setup.
    for _ in 0..20 {
        spawn()?;
    }
    let started = Instant::now();
    let deadline = started + budget;
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let spawn = spawn.clone();
            std::thread::spawn(move || -> anyhow::Result<u64> {
                let mut count = 0u64;
                while Instant::now() < deadline {
                    for _ in 0..10 {
                        spawn()?;
                    }
                    count += 10;
                }
                Ok(count)
            })
        })
        .collect();
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        bar.inc(50);
    }
    let mut runtimes = 0;
    for worker in workers {
        runtimes += worker
            .join()
            .map_err(|_| anyhow::anyhow!("a benchmark thread panicked"))??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok(Row {
        name,
        runtimes,
        threads,
        // Wall time per runtime on one thread: elapsed × threads / count.
        micros_per_runtime: elapsed * threads as f64 * 1e6 / runtimes as f64,
        runtimes_per_second: runtimes as f64 / elapsed,
    })
}

/// Runs the benchmark and prints the table (or JSON).
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.seconds > 0.0, "--seconds must be positive");
    anyhow::ensure!(args.threads > 0, "--threads must be at least 1");
    let dir = tempfile::tempdir()?;
    let factory = Factory::new(Options::new().console(NullSink).without_heap_images())?;
    // One slot per thread, so every spawn is a restore.
    let images = Factory::new(
        Options::new()
            .console(NullSink)
            .heap_images(HeapImages::new().max_slots(args.threads)),
    )?;
    let logged = Factory::new(
        Options::new()
            .console(NullSink)
            .call_log(dir.path().join("bench.db")),
    )?;

    let rows: Vec<(&'static str, Spawner)> = vec![
        (
            "bare engine",
            Arc::new(|| {
                let runtime = jsbox::rquickjs::Runtime::new()?;
                let _context = jsbox::rquickjs::Context::full(&runtime)?;
                Ok(())
            }),
        ),
        (
            "open()",
            Arc::new(|| {
                jsbox::open(Options::new().console(NullSink))?;
                Ok(())
            }),
        ),
        (
            "factory",
            Arc::new(move || {
                factory.new_runtime()?;
                Ok(())
            }),
        ),
        (
            "factory + call log",
            Arc::new(move || {
                logged.new_runtime()?;
                Ok(())
            }),
        ),
        (
            "factory + heap images",
            Arc::new(move || {
                images.new_runtime()?;
                Ok(())
            }),
        ),
    ];
    let budget = Duration::from_secs_f64(args.seconds / rows.len() as f64);
    let bar = if args.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::new((args.seconds * 1000.0) as u64)
    };
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {percent:>3}% {msg}",
    )?);
    let header = format!(
        "{:<22} {:>8} {:>14} {:>14}",
        "spawn", "threads", "µs/runtime", "runtimes/s"
    );
    if !args.json {
        println!("{header}");
    }
    // Each row is printed as soon as it is measured; the bar (on stderr, on a
    // terminal) shows the row in progress.
    let mut results = Vec::new();
    for (name, spawn) in rows {
        let row = measure(name, spawn, args.threads, budget, &bar)?;
        if !args.json {
            bar.suspend(|| {
                println!(
                    "{:<22} {:>8} {:>14.1} {:>14.0}",
                    row.name, row.threads, row.micros_per_runtime, row.runtimes_per_second
                );
                let _ = std::io::Write::flush(&mut std::io::stdout());
            });
        }
        results.push(row);
    }
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    }
    Ok(())
}
