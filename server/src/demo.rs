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
    load_invoicing(pool).await?;
    load_counters(pool).await
}

/// Shops, groups and about 400 days of counts for the two client organisations, once. One shop
/// counted nobody yesterday (BASH-LIL-01, a zero-entry alert at once), and one still calls in
/// (this load is its last reception) but has no data for the two days before today
/// (BASH-MRS-01: the job flags it at the server's start, "Aucune donnée depuis le … (3 jours)"),
/// so the alerts have something to show.
async fn load_counters(pool: &PgPool) -> anyhow::Result<()> {
    use app::counters::csv_input::CsvCounts;
    use app::counters::ingest::{Unit, ingest};
    use app::counters::types::SiteInput;
    use app::counters::{SiteFields, db};
    type Shop = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    const BASH: [Shop; 12] = [
        ("BASH-PAR-01", "Bash Rivoli", "Paris", "FR", "Paris"),
        ("BASH-PAR-02", "Bash Marais", "Paris", "FR", "Paris"),
        ("BASH-PAR-03", "Bash Saint-Germain", "Paris", "FR", "Paris"),
        ("BASH-PAR-04", "Bash Passy", "Paris", "FR", "Paris"),
        ("BASH-LYO-01", "Bash Lyon Presqu'île", "Lyon", "FR", ""),
        ("BASH-BOR-01", "Bash Bordeaux", "Bordeaux", "FR", ""),
        ("BASH-LIL-01", "Bash Lille", "Lille", "FR", ""),
        ("BASH-MRS-01", "Bash Marseille", "Marseille", "FR", ""),
        ("BASH-NCE-01", "Bash Nice", "Nice", "FR", ""),
        ("BASH-BRU-01", "Bash Bruxelles", "Bruxelles", "BE", ""),
        (
            "BASH-OUT-01",
            "Bash Outlet Roubaix",
            "Roubaix",
            "FR",
            "Outlets",
        ),
        (
            "BASH-OUT-02",
            "Bash Outlet Troyes",
            "Troyes",
            "FR",
            "Outlets",
        ),
    ];
    const LUMIERE: [Shop; 5] = [
        ("LUM-01", "Lumière Opéra", "Paris", "FR", "Paris"),
        ("LUM-02", "Lumière Bastille", "Paris", "FR", "Paris"),
        ("LUM-03", "Lumière Genève", "Genève", "CH", ""),
        ("LUM-04", "Lumière Annecy", "Annecy", "FR", ""),
        ("LUM-05", "Lumière Lyon", "Lyon", "FR", ""),
    ];
    for (slug, shops) in [("bash", &BASH[..]), ("maison-lumiere", &LUMIERE[..])] {
        let Some((org, _)) = find_organisation(pool, slug).await? else {
            continue;
        };
        let existing: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sites WHERE organisation_id = $1")
                .bind(org)
                .fetch_one(pool)
                .await?;
        if existing > 0 {
            continue;
        }
        let mut csv = String::from("shop_code,date,entries,exits\n");
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive();
        for (index, (code, name, city, country, group)) in shops.iter().enumerate() {
            let fields = SiteFields {
                organisation_id: org.to_string(),
                shop_code: (*code).into(),
                name: (*name).into(),
                ip: format!("10.{}.0.{}", org % 250, index + 10),
                country: (*country).into(),
                city: (*city).into(),
                opens_at: "10:00".into(),
                closes_at: "19:30".into(),
                time_zone: if *country == "FR" {
                    "Europe/Paris"
                } else if *country == "BE" {
                    "Europe/Brussels"
                } else {
                    "Europe/Zurich"
                }
                .into(),
                ..Default::default()
            };
            let input = SiteInput::parse(&fields)
                .map_err(|e| anyhow::anyhow!("demo counter {code}: {e}"))?;
            let site = db::save_site(pool, &input)
                .await
                .map_err(|e| anyhow::anyhow!("demo counter {code}: {e}"))?;
            if !group.is_empty() {
                let groups = db::groups(pool, org)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let group_id = match groups.iter().find(|g| g.name == *group) {
                    Some(g) => g.id,
                    None => db::create_group(pool, org, group)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                };
                db::set_site_groups(pool, site, &[group_id])
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            if *code == "BASH-NCE-01" {
                db::set_operational(
                    pool,
                    site,
                    false,
                    Some("Travaux de rénovation jusqu'en janvier"),
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            let silent_days = if *code == "BASH-MRS-01" { 3 } else { 1 };
            let base = 180 + 37 * index as i64;
            for back in (silent_days..=400).rev() {
                let day = today - chrono::Duration::days(back);
                let weekday = chrono::Datelike::weekday(&day).num_days_from_monday() as i64;
                let weekly = [90, 85, 95, 100, 120, 160, 45][weekday as usize];
                let noise = (chrono::Datelike::num_days_from_ce(&day) as i64 * 7919
                    + index as i64 * 104729)
                    % 41
                    - 20;
                let mut entries = (base * weekly / 100 + noise).max(0);
                if *code == "BASH-LIL-01" && back == 1 {
                    entries = 0;
                }
                let exits = entries - entries / 50;
                csv.push_str(&format!("{code},{day},{entries},{exits}\n"));
            }
        }
        let chunks =
            futures::stream::once(async move { Ok::<_, std::io::Error>(csv.into_bytes()) });
        ingest(pool, org, chunks, CsvCounts::default(), Unit::Line)
            .await
            .map_err(|e| anyhow::anyhow!("demo counts: {e}"))?;
    }
    Ok(())
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
