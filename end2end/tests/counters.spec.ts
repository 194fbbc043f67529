import { ACCOUNTS, adminApi, callApi, expect, freshOrganisation, frDaysAgo, isoDaysAgo, login, test, waitForHydration } from "./fixtures";

/** A counter of `organisation`, created through the server function as the editor posts it; its id. */
async function createCounter(api, organisation: number, code: string, name: string, city: string): Promise<number> {
  const save = await api.post("/api/save_site", {
    form: {
      "fields[organisation_id]": String(organisation),
      "fields[shop_code]": code,
      "fields[name]": name,
      "fields[country]": "FR",
      "fields[city]": city,
      "fields[opens_at]": "09:00",
      "fields[closes_at]": "19:00",
      "fields[time_zone]": "Europe/Paris",
    },
  });
  expect(save.ok()).toBeTruthy();
  return save.json();
}

test.describe("counters administration", () => {
  test("an admin adds a counter, imports a CSV, reads the line report and acknowledges the zero-entry alert", async ({ page, playwright, baseURL }) => {
    const api = await adminApi(playwright, baseURL!);
    const org = await freshOrganisation(api, "Compteurs");
    const code = `E2E-${Date.now() % 100000}`;

    await login(page, ACCOUNTS.admin.email);
    await page.goto(`/admin/compteurs?nouveau=1&organisation=${org.id}`);
    await waitForHydration(page);
    const modal = page.getByRole("dialog");
    await expect(modal.locator("#modal-title")).toHaveText("Nouveau compteur");
    await modal.getByLabel("Code magasin").fill(code);
    await modal.getByLabel("Nom du magasin").fill("Boutique de test");
    await modal.getByLabel("Adresse IP du compteur (facultative)").fill("999.0.0.1");
    await modal.getByLabel("Ville").fill("Rennes");
    await modal.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await expect(modal.locator("#site-ip-error")).toContainText("Adresse IP invalide");
    // The refused input is still there, with or without JavaScript.
    await expect(modal.getByLabel("Code magasin")).toHaveValue(code);
    await expect(modal.getByLabel("Ville")).toHaveValue("Rennes");
    await modal.getByLabel("Adresse IP du compteur (facultative)").fill("192.168.10.4");
    await modal.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await expect(page).toHaveURL(/modifier=\d+/);
    await expect(page.getByRole("dialog").locator("#modal-title")).toHaveText("Modifier le compteur");
    await expect(page.getByRole("status").filter({ hasText: "Compteur enregistré." })).toBeVisible();
    await page.goto(`/admin/compteurs?organisation=${org.id}`);
    await expect(page.locator(`tr[data-shop="${code}"]`)).toContainText("Rennes (FR)");
    await expect(page.locator(`tr[data-shop="${code}"]`)).toContainText("Opérationnel");

    await page.goto(`/admin/compteurs/import?organisation=${org.id}`);
    await waitForHydration(page);
    const csv = [
      "code_magasin;jour;entrees;sorties",
      `${code};${isoDaysAgo(2)};120;118`,
      `${code};${isoDaysAgo(1)};0;`,
      `ZZ-INCONNU;${isoDaysAgo(1)};5;`,
    ].join("\r\n");
    await page.getByLabel("Fichier CSV").setInputFiles({ name: "comptages.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Importer" }).click();
    await expect(page).toHaveURL(/rapport=\d+/);
    const report = page.locator("section[data-import]");
    await expect(report).toContainText("2 ligne(s) importée(s), 1 refusée(s)");
    await expect(report.locator('tr[data-line="4"]')).toContainText("magasin « ZZ-INCONNU » inconnu");

    // Yesterday's 0 is an alert as soon as it is imported.
    await page.goto(`/compteurs/alertes?organisation=${org.id}`);
    await waitForHydration(page);
    const alert = page.locator("li.counter-alert", { hasText: code });
    await expect(alert).toContainText(`Le compteur de l'entreprise ${org.name} a fait 0 entrée le ${frDaysAgo(1)}`);
    await alert.getByRole("button", { name: "Prendre en compte" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Alerte prise en compte." })).toBeVisible();
    await expect(page.locator("li.counter-alert", { hasText: code })).toHaveCount(0);
    await page.getByRole("link", { name: "Toutes", exact: true }).click();
    await expect(page.locator("li.counter-alert", { hasText: code })).toContainText("Prise en compte le");
  });

  test("an API token is shown once, feeds counts and can be revoked", async ({ page, playwright, baseURL }) => {
    const api = await adminApi(playwright, baseURL!);
    const org = await freshOrganisation(api, "Jetons");
    const code = `TOK-${Date.now() % 100000}`;
    await createCounter(api, org.id, code, "Boutique API", "Brest");

    await login(page, ACCOUNTS.admin.email);
    await page.goto(`/admin/compteurs/jetons?organisation=${org.id}`);
    await waitForHydration(page);
    await page.getByLabel("Nom du jeton").fill("Passerelle magasin");
    await page.getByRole("button", { name: "Créer un jeton" }).click();
    // Shown once, in the flash message (never in the URL).
    await expect(page.getByRole("status").filter({ hasText: "Copiez ce jeton maintenant : il ne sera plus affiché." })).toBeVisible();
    const secret = page.locator(".flash code.secret");
    await expect(secret).toHaveText(/^cpt_[A-Za-z0-9_-]{43}$/);
    const token = (await secret.textContent())!.trim();
    await expect(page.locator(".token-list")).toContainText("Passerelle magasin");

    const push = () =>
      playwright.request.newContext({ baseURL }).then((ctx) =>
        ctx.post("/api/v1/counts", {
          headers: { Authorization: `Bearer ${token}` },
          data: [{ shop_code: code, date: isoDaysAgo(1), entries: 42 }],
        }),
      );
    const ok = await push();
    expect(ok.status()).toBe(200);
    expect((await ok.json()).accepted).toBe(1);

    expect(page.url()).not.toContain(token);
    await page.reload();
    await expect(page.locator(".flash code.secret")).toHaveCount(0);
    // Revoking is a step of its own: a dialog with a box to tick, never one tap.
    await page.getByRole("link", { name: "Révoquer", exact: true }).click();
    await expect(page).toHaveURL(/revoquer=\d+/);
    const dialog = page.getByRole("dialog");
    await expect(dialog.locator("#modal-title")).toHaveText("Révoquer le jeton « Passerelle magasin »");
    // Cancelling leaves the token working.
    await dialog.getByRole("link", { name: "Annuler" }).click();
    await expect(page).not.toHaveURL(/revoquer=/);
    await expect(page.getByRole("dialog")).toHaveCount(0);
    expect((await push()).status()).toBe(200);
    await page.getByRole("link", { name: "Révoquer", exact: true }).click();
    await dialog.getByLabel("Je confirme : la révocation est définitive.").check();
    await dialog.getByRole("button", { name: "Révoquer le jeton" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Jeton révoqué." })).toBeVisible();
    await expect(page).not.toHaveURL(/revoquer=/);
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.locator(".token-list")).toContainText("révoqué le");
    const refused = await push();
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error).toBe("revoked_token");
  });

  test("an admin renames a store group, with refusals shown beside it, and deletes one after confirming", async ({ page, playwright, baseURL }) => {
    const api = await adminApi(playwright, baseURL!);
    const org = await freshOrganisation(api, "Groupes");
    const id = await createCounter(api, org.id, `GRP-${Date.now() % 100000}`, "Boutique des groupes", "Nantes");
    const group = (name: string): Promise<number> =>
      callApi(api, "create_store_group", { organisation_id: String(org.id), name });
    const north = await group("Nord");
    const south = await group("Sud");

    await login(page, ACCOUNTS.admin.email);
    await page.goto(`/admin/compteurs?modifier=${id}`);
    await waitForHydration(page);
    const modal = page.getByRole("dialog");
    const item = (group: number) => modal.locator(`li[data-group-id="${group}"]`);
    // Each group's rename field, button and delete link fit in the dialog, phones included.
    const box = (await modal.boundingBox())!;
    for (const part of [
      item(north).getByLabel("Nouveau nom"),
      item(north).getByRole("button", { name: "Renommer" }),
      item(north).getByRole("link", { name: "Supprimer le groupe" }),
    ]) {
      const b = (await part.boundingBox())!;
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width + 1);
    }

    // A name another group has is refused beside that group's field, with what was typed.
    await item(north).getByLabel("Nouveau nom").fill("Sud");
    await item(north).getByRole("button", { name: "Renommer" }).click();
    await expect(modal.locator(`#group-${north}-name-error`)).toHaveText("Ce groupe existe déjà.");
    await expect(item(north).getByLabel("Nouveau nom")).toHaveValue("Sud");
    await expect(modal.locator(`#group-${south}-name-error`)).toBeEmpty();
    // A blank one too.
    await item(south).getByLabel("Nouveau nom").fill("   ");
    await item(south).getByRole("button", { name: "Renommer" }).click();
    await expect(modal.locator(`#group-${south}-name-error`)).toHaveText("Le nom est obligatoire.");

    await item(north).getByLabel("Nouveau nom").fill("Nord-Est");
    await item(north).getByRole("button", { name: "Renommer" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Groupe renommé." })).toBeVisible();
    await expect(item(north).locator("strong")).toHaveText("Nord-Est");
    await expect(modal.getByRole("checkbox", { name: "Nord-Est" })).toBeVisible();

    // Deleting asks first: the link opens the group's dialog, which can be cancelled.
    await item(south).getByRole("link", { name: "Supprimer le groupe" }).click();
    await expect(page).toHaveURL(new RegExp(`supprimer-groupe=${south}`));
    await expect(modal.locator("#modal-title")).toHaveText("Supprimer le groupe « Sud »");
    await modal.getByRole("link", { name: "Annuler" }).click();
    await expect(page).toHaveURL(new RegExp(`modifier=${id}$`));
    await expect(item(south)).toHaveCount(1);
    await item(south).getByRole("link", { name: "Supprimer le groupe" }).click();
    await modal.getByLabel("Je confirme : la suppression du groupe est définitive.").check();
    await modal.getByRole("button", { name: "Supprimer le groupe" }).click();
    await expect(page).toHaveURL(new RegExp(`modifier=${id}$`));
    await expect(page.getByRole("status").filter({ hasText: "Groupe supprimé." })).toBeVisible();
    await expect(modal.locator("#modal-title")).toHaveText("Modifier le compteur");
    await expect(item(south)).toHaveCount(0);
    await expect(item(north)).toHaveCount(1);
  });

  test("an admin puts a counter out of service and back, files it in a group, then deletes it", async ({ page, playwright, baseURL }) => {
    const api = await adminApi(playwright, baseURL!);
    const org = await freshOrganisation(api, "Cycle");
    const code = `CYC-${Date.now() % 100000}`;
    const id = await createCounter(api, org.id, code, "Boutique éphémère", "Lyon");

    await login(page, ACCOUNTS.admin.email);
    await page.goto(`/admin/compteurs?modifier=${id}`);
    await waitForHydration(page);
    const modal = page.getByRole("dialog");
    await modal.getByLabel("Raison de la mise hors service").fill("Capteur débranché pendant les travaux");
    await modal.getByRole("button", { name: "Mettre hors service" }).press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "État du compteur modifié." })).toBeVisible();
    await expect(modal).toContainText("Capteur débranché pendant les travaux");
    await modal.getByRole("button", { name: "Remettre en service" }).press("Enter");
    await expect(modal.getByRole("button", { name: "Mettre hors service" })).toBeVisible();

    await modal.getByLabel("Nouveau groupe").fill("Centre-ville");
    await modal.getByRole("button", { name: "Créer le groupe" }).press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Groupe créé." })).toBeVisible();
    await modal.getByLabel("Centre-ville").check();
    await modal.getByRole("button", { name: "Enregistrer les groupes" }).press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Groupes enregistrés." })).toBeVisible();
    await expect(modal.getByLabel("Centre-ville")).toBeChecked();

    await modal.getByLabel("Je confirme : la suppression du compteur est définitive.").check();
    await modal.getByRole("button", { name: "Supprimer le compteur" }).press("Enter");
    await expect(page).toHaveURL(/\/admin\/compteurs$/);
    await expect(page.getByRole("status").filter({ hasText: "Compteur supprimé." })).toBeVisible();
    await page.goto(`/admin/compteurs?organisation=${org.id}`);
    await expect(page.locator(`tr[data-shop="${code}"]`)).toHaveCount(0);
  });
});
