//! `trialog notices`: which notices leave the platform for the acting account — e-mail to its
//! own address, a push hook for its app — shown, or changed with the options.

use clap::{Args, ValueEnum};
use trialog_core::NoticeSettings;

use crate::failure::Failure;
use crate::output::{Block, or_dash};
use crate::session::Session;

/// `trialog --as ME notices [--email on|off] [--push on|off --push-url URL]`.
#[derive(Debug, Args)]
#[command(after_help = "Everything is off until you turn it on. E-mail goes to your account's address \
    (set it with `trialog account edit <you> --email ADDRESS`); push says only that there are new notices.\n\n\
    EXAMPLES:\n  trialog --as Kim_aus_Jena notices\n  trialog --as Kim_aus_Jena notices --email on\n  \
    trialog --as Kim_aus_Jena notices --push on --push-url https://push.example.org/hook/kim\n  \
    trialog --as Kim_aus_Jena notices --email off --push off")]
pub struct NoticesArgs {
    /// E-mail notices to the account's own address: on or off (unchanged when not given).
    #[arg(long, value_name = "ON|OFF")]
    pub email: Option<Switch>,
    /// Push notices to the app's hook (no content, only "you have new notices"): on or off.
    #[arg(long, value_name = "ON|OFF")]
    pub push: Option<Switch>,
    /// The app's push hook (https://…, or http:// to this machine); needed with --push on.
    #[arg(long, value_name = "URL")]
    pub push_url: Option<String>,
}

/// A channel turned on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// `trialog notices`: shows the acting account's choice, after changing it when asked.
pub fn run(session: &Session, args: NoticesArgs) -> Result<(), Failure> {
    let notices = session.platform.notices();
    let current = notices.settings(&session.actor)?;
    let wanted = changed(current.clone(), &args);
    let shown = if wanted == current { current } else { notices.set_settings(&session.actor, &wanted)? };
    let block = Block::new()
        .line("email", if shown.email { "on (to the account's address)" } else { "off" })
        .line("push", if shown.push { "on" } else { "off" })
        .line("push hook", or_dash(shown.push_url.as_deref()));
    session.out.record(&shown, None, &block);
    Ok(())
}

/// The choice with the options applied; a push hook is kept only while push stays on.
fn changed(mut settings: NoticeSettings, args: &NoticesArgs) -> NoticeSettings {
    if let Some(email) = args.email {
        settings.email = email == Switch::On;
    }
    if let Some(push) = args.push {
        settings.push = push == Switch::On;
    }
    if args.push_url.is_some() {
        settings.push_url = args.push_url.clone();
    }
    if !settings.push && args.push_url.is_none() {
        settings.push_url = None;
    }
    settings
}
