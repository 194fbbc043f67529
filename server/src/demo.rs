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
    load_invoicing(pool).await
}

/// A seller identity, contacts, articles and a few documents for Boutiques Bash, once.
async fn load_invoicing(pool: &PgPool) -> anyhow::Result<()> {
    use app::invoicing::{ArticleFields, ContactFields, SellerFields, db};
    let Some((org, _)) = find_organisation(pool, "bash").await? else {
        return Ok(());
    };
    if db::seller(pool, org).await?.is_some() {
        return Ok(());
    }
    let accountant: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE email = 'compta@bash.test'")
            .fetch_one(pool)
            .await?;
    let fail = |what: &str| anyhow::anyhow!("demo {what} invalide");
    let seller = SellerFields {
        legal_name: "Boutiques Bash SAS".into(),
        legal_form: "SAS au capital de 50 000 €".into(),
        siren: "732829320".into(),
        siret: "73282932000074".into(),
        vat_number: "FR44732829320".into(),
        address_line1: "12 rue du Faubourg Saint-Honoré".into(),
        postal_code: "75008".into(),
        city: "Paris".into(),
        email: "compta@bash.test".into(),
        iban: "FR76 3000 6000 0112 3456 7890 189".into(),
        bic: "BNPAFRPP".into(),
        payment_terms_days: "30".into(),
        late_penalty_rate: "12,15".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|_| fail("seller"))?;
    db::save_seller(pool, org, &seller, accountant).await?;
    let group = db::save_group(pool, org, None, "Paris")
        .await
        .map_err(|_| fail("group"))?;
    let mut contacts = Vec::new();
    for (name, street, postal, city) in [
        ("Galeries Rivoli", "45 rue de Rivoli", "75001", "Paris"),
        ("Atelier Lumière", "8 quai Saint-Antoine", "69002", "Lyon"),
    ] {
        let contact = ContactFields {
            kind: "company".into(),
            name: name.into(),
            email: format!(
                "contact@{}.test",
                name.split(' ').next().unwrap_or("client").to_lowercase()
            ),
            address_line1: street.into(),
            postal_code: postal.into(),
            city: city.into(),
            country: "FR".into(),
            ..Default::default()
        }
        .parse()
        .map_err(|_| fail("contact"))?;
        let groups = if city == "Paris" {
            vec![group]
        } else {
            Vec::new()
        };
        contacts.push(
            db::save_contact(pool, org, None, &contact, &groups)
                .await
                .map_err(|_| fail("contact"))?,
        );
    }
    for (reference, description, unit, price, vat) in [
        (
            "CONSEIL-J",
            "Journée de conseil en agencement",
            "jour",
            "650",
            "20",
        ),
        (
            "POSE-CPT",
            "Pose d'un compteur de fréquentation",
            "u",
            "180",
            "20",
        ),
        (
            "GUIDE",
            "Guide pratique du commerce de centre-ville",
            "u",
            "24,90",
            "5,5",
        ),
    ] {
        let article = ArticleFields {
            reference: reference.into(),
            description: description.into(),
            unit: unit.into(),
            unit_price: price.into(),
            vat_rate: vat.into(),
        }
        .parse()
        .map_err(|_| fail("article"))?;
        db::save_article(pool, org, None, &article)
            .await
            .map_err(|_| fail("article"))?;
    }
    let now = chrono::Utc::now();
    for (contact, qty, price) in [(contacts[0], "2", "650"), (contacts[1], "3", "180")] {
        let draft = app::invoicing::DocumentFields {
            contact_id: contact.to_string(),
            lines: vec![app::invoicing::LineFields {
                description: "Prestation de conseil".into(),
                quantity: qty.into(),
                unit_price: price.into(),
                vat_rate: "20".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
        .parse()
        .map_err(|_| fail("facture"))?;
        let id = db::insert_draft(
            pool,
            org,
            app::invoicing::workflow::DocumentKind::Invoice,
            &draft,
            accountant,
            None,
            None,
        )
        .await
        .map_err(|_| fail("facture"))?;
        db::issue(pool, org, id, now)
            .await
            .map_err(|_| fail("émission"))?;
    }
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
