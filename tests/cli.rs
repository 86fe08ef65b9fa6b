//! The `restsmith` binary: `--help` of the command and of each subcommand (insta snapshots,
//! each with examples), exit codes, `--quiet`/`--verbose`, and colour only on a terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary with stdout and stderr piped (not a terminal) and `NO_COLOR` set.
fn restsmith(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_restsmith")).args(args).current_dir(repo()).env("NO_COLOR", "1").output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn help(args: &[&str]) -> String {
    let output = restsmith(args);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains('\x1b'), "{args:?}: colour in a pipe");
    assert!(text.contains("Examples:\n  restsmith "), "{args:?} has no examples:\n{text}");
    text
}

#[test]
fn help_of_the_command() {
    let text = help(&["--help"]);
    assert!(text.contains("Exit codes:"), "{text}");
    insta::assert_snapshot!("help", text);
}

#[test]
fn help_of_generate() {
    insta::assert_snapshot!("help_generate", help(&["generate", "--help"]));
}

#[test]
fn help_of_check() {
    insta::assert_snapshot!("help_check", help(&["check", "--help"]));
}

#[test]
fn help_of_diff() {
    insta::assert_snapshot!("help_diff", help(&["diff", "--help"]));
}

#[test]
fn short_help_keeps_the_examples() {
    for command in [&["-h"][..], &["generate", "-h"], &["check", "-h"], &["diff", "-h"]] {
        help(command);
    }
    // `help SUBCOMMAND` is `SUBCOMMAND --help`.
    assert_eq!(help(&["help", "generate"]), help(&["generate", "--help"]));
}

#[test]
fn version() {
    let output = restsmith(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), format!("restsmith {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn bad_arguments_exit_2() {
    for args in [&["frobnicate"][..], &["generate", "--spec", "specs/azure-aks.yaml"], &["--quiet", "--verbose", "check"], &[]] {
        let output = restsmith(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(!stderr(&output).contains('\x1b'), "{args:?}");
    }
    // Generation options without --spec: bad input, not silently ignored.
    let output = restsmith(&["generate", "--types-only"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("add --spec FILE --out DIR"), "{}", stderr(&output));
}

/// `generate --spec FILE --out DIR` with each verbosity; returns (exit code, stderr).
fn generate_standalone(out: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = out.to_str().unwrap();
    let mut args = vec!["generate", "--spec", "specs/volcengine-ecs.yaml", "--out", out];
    args.extend_from_slice(extra);
    let output = restsmith(&args);
    (output.status.code(), stderr(&output))
}

#[test]
fn quiet_and_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ecs");

    let (code, text) = generate_standalone(&out, &["--verbose"]);
    assert_eq!(code, Some(0), "{text}");
    for file in ["Cargo.toml", "README.md", "src/lib.rs", "src/models.rs", "src/client.rs"] {
        assert!(text.contains(&format!("wrote {}", out.join(file).display())), "--verbose names {file}:\n{text}");
    }
    assert!(text.contains("generated 1 crate(s): 1 operations"), "{text}");

    let (code, text) = generate_standalone(&out, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(text.lines().count(), 1, "the summary line only: {text}");
    assert!(text.contains("0 file(s) changed"), "{text}");

    let (code, text) = generate_standalone(&out, &["--quiet"]);
    assert_eq!(code, Some(0));
    assert_eq!(text, "", "--quiet prints nothing on success");

    // --quiet still prints errors.
    let output = restsmith(&["--quiet", "generate", "--spec", "tests/fixtures/load/bad/dangling.yaml", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: tests/fixtures/load/bad/dangling.yaml#/"), "{}", stderr(&output));
    let output = restsmith(&["check", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

/// Runs the binary on a pseudo-terminal (util-linux `script`); returns what the terminal showed.
fn on_a_terminal(args: &str, no_color: bool) -> String {
    let binary = env!("CARGO_BIN_EXE_restsmith");
    let mut command = Command::new("script");
    command.args(["-qec", &format!("{binary} {args}"), "/dev/null"]).current_dir(repo());
    if no_color {
        command.env("NO_COLOR", "1");
    } else {
        command.env_remove("NO_COLOR");
    }
    let output = command.output().expect("`script` (util-linux) runs a command on a pseudo-terminal");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn diagnostics_are_coloured_only_on_a_terminal_without_no_color() {
    let args = "generate --spec tests/fixtures/load/bad/dangling.yaml --out target/never-written";
    let terminal = on_a_terminal(args, false);
    assert!(terminal.contains("\x1b[1;31merror:\x1b[0m tests/fixtures/load/bad/dangling.yaml#/"), "{terminal:?}");
    let no_color = on_a_terminal(args, true);
    assert!(no_color.contains("error: tests/fixtures/load/bad/dangling.yaml#/"), "{no_color:?}");
    assert!(!no_color.contains('\x1b'), "{no_color:?}");
    // Not a terminal: plain, NO_COLOR or not.
    let output = Command::new(env!("CARGO_BIN_EXE_restsmith"))
        .args(args.split(' '))
        .current_dir(repo())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: "), "{}", stderr(&output));
    assert!(!repo().join("target/never-written").exists());
}
