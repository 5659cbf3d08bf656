//! The smallest useful trialog program: a platform file, an organisation, two accounts,
//! a role, a sign-in. Run with `cargo run --example quickstart`.

use trialog::*;

fn main() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("trialog-quickstart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(Error::storage)?;
    let platform = Platform::open(dir.join("quickstart.redb"), PlatformOptions::default())?;
    let operator = Actor::Operator;

    let org = platform.orgs().create(
        &operator,
        &NewOrganisation {
            name: "EX-IN Thüringen (Beispiel)".into(),
            kind: OrgKind::TrainingProvider,
            region: "DE-TH".into(),
            city: Some("Erfurt".into()),
            website: None,
        },
    )?;
    platform.orgs().verify(&operator, org.id, true, Some("example"))?;

    let trainer = platform.accounts().create(
        &Actor::Anonymous,
        &NewAccount {
            pseudonym: "Trainerin_Erfurt".into(),
            perspective: Perspective::LivedExperience,
            languages: vec!["de".into()],
            ..Default::default()
        },
    )?;
    platform.accounts().grant_role(&operator, trainer.id, Role::EmployerStaff { org: org.id }, None)?;
    platform.accounts().set_password(&Actor::account(trainer.id), trainer.id, "ein langes Kennwort")?;

    let me = platform.accounts().authenticate("trainerin_erfurt", "ein langes Kennwort")?;
    println!("signed in as {} with roles {:?}", me.pseudonym, me.roles.iter().map(Role::to_string).collect::<Vec<_>>());
    println!("{} is verified: {}", org.name, platform.orgs().get(&Actor::account(me.id), org.id)?.verified);
    drop(platform);
    std::fs::remove_dir_all(&dir).map_err(Error::storage)?;
    Ok(())
}
