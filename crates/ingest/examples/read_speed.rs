//! Times reading alone (no storing) over a folder of reports, single-threaded, to show what each
//! report costs in the ingest stage. `cargo run --release -p vigil-ingest --example read_speed DIR`

use std::time::Instant;

use vigil_ingest::{Config, Input, discover, read_file};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: read_speed DIR");
    let (inputs, _) = discover(&[dir.into()]);
    let config = Config::default();
    for _ in 0..3 {
        let start = Instant::now();
        let mut reports = 0;
        for input in &inputs {
            if let Input::File(path) = input {
                read_file(path, &config, &mut |item| {
                    if item.is_ok() {
                        reports += 1;
                    }
                });
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{reports} reports in {seconds:.2} s: {:.0} us per report on one thread",
            seconds / reports as f64 * 1e6
        );
    }
}
