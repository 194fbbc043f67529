//! Demo data: the agency, three client organisations and one account per role.

use app::accounts::db::{NewAccount, find_organisation, insert_account, insert_organisation};
use app::auth::password;
use app::auth::types::{DisplayName, Email, Role, Slug};
use sqlx::PgPool;

pub const DEMO_PASSWORD: &str = "comptoir-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub organisation: &'static str,
}

pub const ORGANISATIONS: [(&str, &str, bool); 4] = [
    ("agence", "Comptoir Agence", true),
    ("bash", "Boutiques Bash", false),
    ("maison-lumiere", "Maison Lumière", false),
    ("cafes-du-port", "Cafés du Port", false),
];

pub const ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        email: "admin@comptoir.test",
        name: "Alice Admin",
        role: Role::Admin,
        organisation: "agence",
    },
    DemoAccount {
        email: "compta@bash.test",
        name: "Camille Comptable",
        role: Role::Accountant,
        organisation: "bash",
    },
    DemoAccount {
        email: "lecteur@bash.test",
        name: "Victor Lecteur",
        role: Role::Viewer,
        organisation: "bash",
    },
    DemoAccount {
        email: "compta@lumiere.test",
        name: "Léa Martin",
        role: Role::Accountant,
        organisation: "maison-lumiere",
    },
    DemoAccount {
        email: "lecteur@lumiere.test",
        name: "Hugo Bernard",
        role: Role::Viewer,
        organisation: "maison-lumiere",
    },
];

/// Loads the demo data; running it again changes nothing.
pub async fn load(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    for (slug, name, is_agency) in ORGANISATIONS {
        let slug = Slug::parse(slug).map_err(|p| anyhow::anyhow!("demo slug: {p:?}"))?;
        let name = DisplayName::parse(name).map_err(|p| anyhow::anyhow!("demo name: {p:?}"))?;
        insert_organisation(&mut *tx, &slug, &name, is_agency).await?;
    }
    let hash = password::hash_blocking(DEMO_PASSWORD.to_owned()).await?;
    for account in ACCOUNTS {
        let (organisation_id, _) = find_organisation(&mut *tx, account.organisation)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo organisation {} missing", account.organisation))?;
        let email =
            Email::parse(account.email).map_err(|p| anyhow::anyhow!("demo e-mail: {p:?}"))?;
        let name =
            DisplayName::parse(account.name).map_err(|p| anyhow::anyhow!("demo name: {p:?}"))?;
        insert_account(
            &mut *tx,
            NewAccount {
                organisation_id,
                email: &email,
                display_name: &name,
                role: account.role,
                password_hash: &hash,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub fn print_logins(url: &str) {
    println!();
    println!("  Comptoir est prêt : {url}");
    println!("  Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :");
    for a in ACCOUNTS {
        println!(
            "    {:<24} {:<11} {}",
            a.email,
            a.role.as_str(),
            a.organisation
        );
    }
    println!();
}
