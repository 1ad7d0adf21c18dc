//! `dcr-guard`: verify a JWS against a JWKS, decode one, or check a DCR registration request.
//!
//! Exit codes are a contract: 0 valid, 1 invalid token or rejected request, 2 usage or I/O error.

/// `println!` that never panics: a closed pipe (`dcr-guard decode | head`) just ends output.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod check;
mod decode;
mod input;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code for a valid token or accepted request.
const EXIT_VALID: u8 = 0;
/// Exit code for an invalid token or rejected request.
const EXIT_INVALID: u8 = 1;
/// Exit code for usage and I/O errors (clap also uses 2 for usage errors).
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "dcr-guard",
    version,
    about = "Strict validator for Open Banking Dynamic Client Registration JWS (UK OBIE, AU CDR)",
    long_about = "Strict validator for Open Banking Dynamic Client Registration JWS (UK OBIE, AU CDR).\n\n\
                  Exit codes: 0 valid, 1 invalid token or rejected request, 2 usage or I/O error.",
    after_help = "Error codes are listed in docs/error-codes.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Verify(verify::Args),
    Check(Box<check::Args>),
    Decode(decode::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify(args) => verify::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Decode(args) => decode::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("dcr-guard: {e}\n").as_bytes());
            ExitCode::from(EXIT_USAGE)
        }
    }
}
