//! The files that hold secrets, and the lock on the database: files created private, a warning
//! for exposed ones, key files never replaced, and no lock held while a person types.

mod common;

use std::io::Write;
use std::thread::sleep;
use std::time::Duration;

use common::Trialog;

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn init_and_demo_create_files_readable_by_their_owner_only() {
    let t = Trialog::initialised();
    assert_eq!(mode(&t.db), 0o600, "init: the database holds e-mail addresses and perspectives");
    let demo = Trialog::new();
    demo.ok(&["demo"]);
    assert_eq!(mode(&demo.db), 0o600, "demo: the database");
    assert_eq!(mode(&demo.db.with_extension("counsel.key")), 0o600, "demo: the content key");
}

#[cfg(unix)]
#[test]
fn opening_a_readable_database_or_key_file_warns() {
    let t = Trialog::initialised();
    set_mode(&t.db, 0o644);
    let text = t.run(&["org", "list"]);
    assert_eq!(text.code, 0);
    assert!(text.stderr.contains("warning:") && text.stderr.contains("mode 0644"), "{text:?}");
    assert!(text.stderr.contains("chmod 600"), "{text:?}");
    let json = t.run(&["org", "list", "--json"]);
    let warning: serde_json::Value = serde_json::from_str(json.stderr.trim()).expect("one JSON warning");
    assert_eq!((warning["warning"].as_str(), warning["mode"].as_str()), (Some("file_permissions"), Some("0644")));
    set_mode(&t.db, 0o600);
    assert_eq!(t.run(&["org", "list"]).stderr, "", "a private file gets no warning");

    let key = t.db.with_file_name("counsel.key");
    t.ok(&["counsel", "key", "new", key.to_str().unwrap()]);
    set_mode(&key, 0o640);
    let run = t.run(&["counsel", "offers", "--content-key-file", key.to_str().unwrap()]);
    assert!(run.stderr.contains("counsel.key can be read by other users (mode 0640)"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn the_demo_never_replaces_an_existing_key_file() {
    let t = Trialog::new();
    let key = t.db.with_extension("counsel.key");
    let other = Trialog::initialised();
    let real_key = other.db.with_file_name("real.key");
    other.ok(&["counsel", "key", "new", real_key.to_str().unwrap()]);
    std::fs::copy(&real_key, &key).unwrap();
    set_mode(&key, 0o644);
    let before = std::fs::read(&key).unwrap();

    let run = t.run(&["demo"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(std::fs::read(&key).unwrap() == before, "the demo replaced an existing key file");
    assert!(run.stderr.contains("mode 0644"), "the exposed key is pointed out: {run:?}");
    let case = t.json(&["--as", "Beraterin_Lea", "counsel", "mine"]);
    let id = case["items"][0]["id"].as_u64().unwrap().to_string();
    let shown = t.json(&["--as", "Beraterin_Lea", "counsel", "show", &id, "--content-key-file", key.to_str().unwrap()]);
    assert!(!shown["messages"].as_array().unwrap().is_empty(), "the demo used the key that was there");

    let junk = Trialog::new();
    let junk_key = junk.db.with_extension("counsel.key");
    std::fs::write(&junk_key, "not a key\n").unwrap();
    set_mode(&junk_key, 0o600);
    let refused = junk.fails(&["demo"], 3);
    assert!(refused["message"].as_str().unwrap().contains("not a content key"), "{refused}");
    assert_eq!(std::fs::read_to_string(&junk_key).unwrap(), "not a key\n");
}

/// Starts `args`, which will wait for a line on stdin, and checks that meanwhile another command
/// can use the file: nothing holds the lock while a person types.
fn another_command_runs_while_waiting(t: &Trialog, args: &[&str], typed: &str) -> std::process::Output {
    let mut waiting = t.spawn_waiting_for_input(args);
    sleep(Duration::from_millis(1500));
    let meanwhile = t.run(&["org", "list", "--json"]);
    waiting.stdin.take().unwrap().write_all(typed.as_bytes()).unwrap();
    let done = waiting.wait_with_output().unwrap();
    assert_eq!(meanwhile.code, 0, "trialog {args:?} held the file while waiting for input: {meanwhile:?}");
    done
}

#[test]
fn passwords_are_read_before_the_file_is_opened() {
    let t = Trialog::initialised();
    t.ok(&["account", "add", "Kim_Test"]);
    let done = another_command_runs_while_waiting(&t, &["account", "passwd", "Kim_Test"], "ein langes Passwort\n");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
}

#[test]
fn case_secrets_are_read_before_the_file_is_opened() {
    let t = Trialog::initialised();
    let key = t.db.with_file_name("counsel.key");
    t.ok(&["counsel", "key", "new", key.to_str().unwrap()]);
    let key = key.to_str().unwrap();
    let args = ["counsel", "--content-key-file", key, "client", "show", "--case", "K7F3-9QXM", "--json"];
    let done = another_command_runs_while_waiting(&t, &args, "falsches-geheimnis\n");
    let refused: serde_json::Value = serde_json::from_slice(&done.stderr).expect("one JSON error");
    assert_eq!(done.status.code(), Some(1), "an unknown case, refused after the secret was read: {refused}");
}

#[test]
fn an_enquiry_typed_on_standard_input_is_read_before_the_file_is_opened() {
    let t = Trialog::initialised();
    let key = t.db.with_file_name("counsel.key");
    t.ok(&["counsel", "key", "new", key.to_str().unwrap()]);
    let key = key.to_str().unwrap();
    let args =
        ["counsel", "--content-key-file", key, "enquire", "--topic", "other", "--lang", "de", "--body-file", "-"];
    let done = another_command_runs_while_waiting(&t, &args, "Wie finde ich eine EX-IN-Stelle?\n");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(stderr.contains("no partner organisation counsels"), "read, then refused (no offer yet): {stderr}");
}
