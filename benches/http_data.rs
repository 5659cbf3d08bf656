//! The platform for the HTTP bench (`benches/http.sh`): the forum bench's data set of
//! `TRIALOG_BENCH_SCALE` (built and cached by `benches/support/forums_data.rs` if missing), and
//! what a load generator needs to read it as a member: the member's pseudonym and password and
//! the threads with at least 20 posts. Prints them on standard output, one `name=value` line
//! each (`path`, `scale`, `posts`, `pseudonym`, `password`, `threads` space-separated).
//!
//! `cargo bench --bench http_data` (run by `benches/http.sh`). The only write to the data set is
//! the bench member's password (set once, if it does not sign in yet); no forum record changes.

#[allow(dead_code)] // shared with benches/forums.rs, which uses all of it
#[path = "support/forums_data.rs"]
mod forums_data;
/// Only the data folder is used here (the file allows its own unused items).
#[path = "support/generate.rs"]
mod generate;

use forums_data::{ForumScale, forum_data};
use trialog::{Actor, Error};

/// The bench member's password (a bench file, never a real platform).
const PASSWORD: &str = "bench password for the http load test";

fn main() -> Result<(), Error> {
    let label = std::env::var("TRIALOG_BENCH_SCALE").unwrap_or_else(|_| "small".into());
    let scale = ForumScale::named(&label);
    let data = forum_data(scale);
    let platform = forums_data::open(&data.path);
    let member = platform.accounts().get(&Actor::Operator, data.members[1])?;
    if platform.accounts().authenticate(&member.pseudonym, PASSWORD).is_err() {
        platform.accounts().set_password(&Actor::Operator, member.id, PASSWORD)?;
    }
    platform.flush()?;
    drop(platform);
    let threads: Vec<String> = data.long_threads.iter().map(|t| t.0.to_string()).collect();
    println!("path={}", data.path.display());
    println!("scale={}", scale.label);
    println!("posts={}", scale.posts);
    println!("pseudonym={}", member.pseudonym);
    println!("password={PASSWORD}");
    println!("threads={}", threads.join(" "));
    Ok(())
}
