import { test, expect, login, openMenu, waitForHydration, ACCOUNTS, isPhone } from "./fixtures";

const nav = (page) => page.getByRole("navigation", { name: "Navigation principale" });

test.describe("sign-in and navigation by role", () => {
  test("an admin sees the administration menu", async ({ page }) => {
    await login(page, ACCOUNTS.admin.email);
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${ACCOUNTS.admin.name}`);
    await expect(page).toHaveTitle("Accueil · Comptoir");
    await openMenu(page);
    for (const item of ["Accueil", "Organisations", "Comptes", "Mon compte"]) {
      await expect(nav(page).getByRole("link", { name: item, exact: true })).toBeVisible();
    }
    await expect(nav(page).getByRole("link", { name: "Équipe" })).toHaveCount(0);
  });

  test("an accountant sees the team, not the administration", async ({ page }) => {
    await login(page, ACCOUNTS.accountant.email);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${ACCOUNTS.accountant.name}`);
    await openMenu(page);
    await expect(nav(page).getByRole("link", { name: "Équipe" })).toBeVisible();
    await expect(nav(page).getByRole("link", { name: "Organisations" })).toHaveCount(0);
    await expect(nav(page).getByRole("link", { name: "Comptes", exact: true })).toHaveCount(0);
  });

  test("a viewer sees only home, the footfall dashboards and their account", async ({ page }) => {
    await login(page, ACCOUNTS.viewer.email);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${ACCOUNTS.viewer.name}`);
    await openMenu(page);
    const links = nav(page).getByRole("link");
    await expect(links).toHaveText(["Accueil", "Fréquentation", "Mon compte"]);
  });

  test("a viewer who opens an invoicing page gets the 403 page, without the invoicing tabs", async ({ page }) => {
    await login(page, ACCOUNTS.viewer.email);
    const resp = await page.goto("/facturation/factures");
    expect(resp?.status()).toBe(403);
    await expect(page).toHaveTitle("Accès refusé · Comptoir");
    const panel = page.locator("section.error-panel");
    await expect(panel.getByRole("heading", { level: 1 })).toHaveText("Accès refusé");
    await expect(panel).toContainText("Vous n'avez pas accès à cette page");
    await expect(page.getByRole("navigation", { name: "Facturation", exact: true })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Factures", exact: true })).toHaveCount(0);
    // The same for the counters' administration, which is the admins'.
    const admin = await page.goto("/admin/compteurs/jetons");
    expect(admin?.status()).toBe(403);
    await expect(page.getByRole("link", { name: "Jetons d'API", exact: true })).toHaveCount(0);

    // Those who invoice have the tabs.
    await page.context().clearCookies();
    await login(page, ACCOUNTS.accountant.email);
    await page.goto("/facturation/factures");
    const tabs = page.getByRole("navigation", { name: "Facturation", exact: true });
    await expect(tabs.getByRole("link", { name: "Factures", exact: true })).toBeVisible();
  });

  test("on a phone the menu starts closed, opens and closes again", async ({ page }) => {
    test.skip(!isPhone(page), "the menu is always shown on a wide screen");
    await login(page, ACCOUNTS.viewer.email);
    await waitForHydration(page);
    const toggle = page.locator("details.nav-menu > summary");
    await expect(toggle).toHaveText(/Menu/);
    await expect(nav(page)).toBeHidden();
    await toggle.click();
    await expect(nav(page).getByRole("link", { name: "Mon compte" })).toBeVisible();
    await toggle.click();
    await expect(nav(page)).toBeHidden();
  });

  test("a wrong password gives one clear message", async ({ page }) => {
    await login(page, ACCOUNTS.viewer.email, "pas-le-bon-mot-de-passe");
    await expect(page).toHaveURL(/\/login\?error=credentials/);
    await expect(page.getByRole("alert")).toHaveText("Adresse e-mail ou mot de passe incorrect.");
    // The address typed is kept, never the password.
    await expect(page.getByLabel("Adresse e-mail")).toHaveValue(ACCOUNTS.viewer.email);
    await expect(page.getByLabel("Mot de passe")).toHaveValue("");
    await expect(page.getByLabel("Mot de passe")).toBeFocused();
  });

  test("signing out returns to the login page and closes the session", async ({ page }) => {
    await login(page, ACCOUNTS.viewer.email);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await openMenu(page);
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await expect(page).toHaveURL("/login?bye=1");
    await expect(page.getByRole("status").filter({ hasText: "Vous êtes déconnecté." })).toBeVisible();
    await page.goto("/compte");
    await expect(page).toHaveURL("/login?next=/compte");
  });
});

test.describe("page interactions", () => {
  test("links load each page from the server, with its title; the phone menu starts closed", async ({ page }) => {
    // Islands: there is no client-side router, so a link is a full page load with or without
    // JavaScript, and only the islands' code runs on the page.
    await login(page, ACCOUNTS.admin.email);
    await waitForHydration(page);
    await openMenu(page);
    await nav(page).getByRole("link", { name: "Mon compte" }).click();
    await expect(page).toHaveURL("/compte");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mon compte");
    await expect(page).toHaveTitle("Mon compte · Comptoir");
    if (isPhone(page)) {
      await expect(page.locator("details.nav-menu")).not.toHaveAttribute("open");
      await expect(nav(page)).toBeHidden();
    }
  });

  test("the interface switches to English and back", async ({ page }) => {
    await login(page, ACCOUNTS.viewer.email);
    await waitForHydration(page);
    await openMenu(page);
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Hello ${ACCOUNTS.viewer.name}`);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Hello ${ACCOUNTS.viewer.name}`);
    await waitForHydration(page);
    await openMenu(page);
    await page.getByRole("button", { name: "Français" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${ACCOUNTS.viewer.name}`);
  });

  test("an admin creates an organisation and sees a confirmation", async ({ page }) => {
    await login(page, ACCOUNTS.admin.email);
    await page.goto("/admin/organisations");
    await waitForHydration(page);
    const name = `Boutique ${Date.now()}`;
    await page.getByLabel("Nom").fill(name);
    await page.getByRole("button", { name: "Créer l'organisation" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Organisation créée." })).toBeVisible();
    await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
    await page.getByLabel("Nom").fill("Doublon");
    await page.getByLabel("Identifiant").fill("bash");
    await page.getByRole("button", { name: "Créer l'organisation" }).click();
    await expect(page.locator("#org-slug-error")).toHaveText("Cet identifiant est déjà utilisé.");
    // The refused input is still there, with or without JavaScript.
    await expect(page.getByLabel("Nom")).toHaveValue("Doublon");
    await expect(page.getByLabel("Identifiant")).toHaveValue("bash");
  });

  test("an admin creates an account; its holder changes the password, then deletes the account", async ({
    page,
    browser,
  }) => {
    await login(page, ACCOUNTS.admin.email);
    await page.goto("/admin/comptes");
    await waitForHydration(page);
    const email = `nouveau.${Date.now()}${test.info().project.name}@e2e.test`;
    await page.getByLabel("Adresse e-mail").fill(email);
    await page.locator("#acc-org").selectOption({ label: "Boutiques Bash" });
    await page.getByLabel("Nom", { exact: true }).fill("Nina Nouvelle");
    await expect(page.getByRole("button", { name: "Créer le compte" })).toBeVisible();
    // Submitted from the keyboard: phone emulation keeps scrolling back to the focused field,
    // and a tap on the button at the bottom of the page is then reported as landing on its form.
    await page.getByLabel("Nom", { exact: true }).press("Enter");
    const created = page.getByRole("status").filter({ hasText: "Compte créé." });
    await expect(created).toContainText(email);
    const initial = (await created.locator("code.secret").textContent())?.trim() ?? "";
    expect(initial.length).toBeGreaterThanOrEqual(16);
    // Shown once: a reload no longer has it.
    await page.reload();
    const rowOf = (who: string) => page.getByRole("row").filter({ hasText: who });
    await expect(rowOf(email)).toBeVisible();
    await expect(page.locator("code.secret")).toHaveCount(0);

    // The filter is a plain GET form: its choice is in the address.
    await page.getByLabel("Filtrer").selectOption({ label: "Boutiques Bash" });
    await page.getByRole("button", { name: "Afficher" }).click();
    await expect(page).toHaveURL(/organisation=\d+/);
    await expect(rowOf(email)).toBeVisible();
    await expect(rowOf(ACCOUNTS.admin.email)).toHaveCount(0);

    // Disabled, then enabled again.
    await waitForHydration(page);
    await rowOf(email).getByRole("button", { name: "Désactiver" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Compte mis à jour." })).toBeVisible();
    await expect(rowOf(email)).toContainText("Désactivé");
    await waitForHydration(page);
    await rowOf(email).getByRole("button", { name: "Réactiver" }).click();
    await expect(rowOf(email)).toContainText("Actif");

    // The holder signs in with the initial password and changes it.
    const holder = await (await browser.newContext(test.info().project.use)).newPage();
    await login(holder, email, initial);
    await holder.goto("/compte");
    await waitForHydration(holder);
    const current = holder.locator("#pw-current");
    await current.fill("pas-le-bon");
    await holder.getByLabel("Nouveau mot de passe (10 caractères minimum)").fill("un-nouveau-secret");
    await holder.getByLabel("Confirmation du nouveau mot de passe").fill("un-nouveau-secret");
    await holder.getByLabel("Confirmation du nouveau mot de passe").press("Enter");
    await expect(holder.locator("#pw-current-error")).toHaveText("Mot de passe actuel incorrect.");
    await waitForHydration(holder);
    await current.fill(initial);
    await holder.getByLabel("Nouveau mot de passe (10 caractères minimum)").fill("un-nouveau-secret");
    await holder.getByLabel("Confirmation du nouveau mot de passe").fill("un-nouveau-secret");
    await holder.getByLabel("Confirmation du nouveau mot de passe").press("Enter");
    await expect(holder.getByRole("status").filter({ hasText: "Mot de passe modifié." })).toBeVisible();

    // Then deletes the account, confirming with the new password and the address.
    await waitForHydration(holder);
    await holder.locator("#delete-password").fill("un-nouveau-secret");
    const confirmEmail = holder.getByLabel("Votre adresse e-mail, pour confirmer");
    await confirmEmail.fill(email);
    await expect(holder.getByRole("button", { name: "Supprimer définitivement mon compte" })).toBeVisible();
    // Submitted from the keyboard, as above.
    await confirmEmail.press("Enter");
    await expect(holder).toHaveURL("/login?supprime=1");
    await expect(holder.getByText("Votre compte a été supprimé.")).toBeVisible();
    await holder.context().close();
  });

  test("unknown pages show a 404 page", async ({ page }) => {
    await login(page, ACCOUNTS.viewer.email);
    const resp = await page.goto("/nulle-part");
    expect(resp?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page introuvable");
  });
});

test.describe("first visit", () => {
  test("the login page ships no application code and weighs a few kilobytes", async ({ page }) => {
    const responses = [];
    page.on("response", (r) => responses.push(r));
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connexion à Comptoir");
    const urls = responses.map((r) => new URL(r.url()).pathname);
    expect(urls.filter((u) => u.endsWith(".wasm") || u.endsWith(".js"))).toEqual([]);
    let transferred = 0;
    for (const r of responses) {
      const sizes = await r.request().sizes();
      transferred += sizes.responseBodySize + sizes.responseHeadersSize;
    }
    console.log(`login page first visit: ${responses.length} requests, ${transferred} bytes transferred`);
    expect(transferred).toBeLessThan(20_000);
  });
});

test.describe("an English-speaking browser", () => {
  test.use({ locale: "en-US" });

  test("still gets French until the user picks English", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connexion à Comptoir");
  });
});

// The login page ships no JavaScript: these run the same in every project.
test.describe("the login page", () => {
  test("the login page switches to English and back", async ({ page }) => {
    await page.goto("/login?next=/compte");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL("/login?next=/compte");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Comptoir");
    await page.getByRole("button", { name: "Français" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connexion à Comptoir");
  });

  test("the login page works and leads to the home page", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connexion à Comptoir");
    await login(page, ACCOUNTS.viewer.email, "mauvais-mot-de-passe");
    await expect(page.getByRole("alert")).toHaveText("Adresse e-mail ou mot de passe incorrect.");
    // The address typed is kept, never the password.
    await expect(page.getByLabel("Adresse e-mail")).toHaveValue(ACCOUNTS.viewer.email);
    await expect(page.getByLabel("Mot de passe")).toHaveValue("");
    await expect(page.getByLabel("Mot de passe")).toBeFocused();
    await login(page, ACCOUNTS.viewer.email);
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${ACCOUNTS.viewer.name}`);
  });

  test("a protected page sends to login and back", async ({ page }) => {
    await page.goto("/compte");
    await expect(page).toHaveURL("/login?next=/compte");
    await page.getByLabel("Adresse e-mail").fill(ACCOUNTS.viewer.email);
    await page.getByLabel("Mot de passe").fill("comptoir-demo");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page).toHaveURL("/compte");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mon compte");
  });
});
