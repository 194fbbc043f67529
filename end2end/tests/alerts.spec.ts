import { test, expect, login, waitForHydration, adminApi, callApi, freshOrganisation, ACCOUNTS, jsOff } from "./fixtures";

const dialog = (page) => page.getByRole("alertdialog");

async function alertFor(api, organisation: number, title: string, scope = "each_user") {
  return callApi(api, "save_alert", {
    alert_id: "",
    "fields[title]": title,
    "fields[message]": `Nouveautés de la version.\nNotes : https://comptoir.example/notes`,
    "fields[kind]": "update",
    "fields[audience]": `organisation:${organisation}`,
    "fields[scope]": scope,
    "fields[lifetime_days]": "",
  });
}

test.describe("update alerts", () => {
  test("a user confirms the modal, and it never comes back; a colleague sees none", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    const api = await adminApi(playwright, baseURL!);
    const org = await freshOrganisation(api, "Alertes");
    await alertFor(api, org.id, "Nouvelle version de Comptoir", "one_per_organisation");

    await login(page, org.viewer.email, org.viewer.password);
    await expect(dialog(page)).toBeVisible();
    await expect(dialog(page).getByRole("heading")).toHaveText("Nouvelle version de Comptoir");
    await expect(dialog(page).getByRole("link", { name: "https://comptoir.example/notes" })).toBeVisible();
    await expect(dialog(page).getByRole("button", { name: "Confirmer" })).toBeFocused();
    // The page behind cannot be reached while the alert is open.
    await expect(page.locator(".app-frame")).toHaveAttribute("inert", "");
    await waitForHydration(page);
    // Confirming posts the modal's form; the page comes back without it.
    await dialog(page).getByRole("button", { name: "Confirmer" }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(page.locator(".app-frame")).not.toHaveAttribute("inert", "");
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${org.viewer.name}`);
    await expect(dialog(page)).toHaveCount(0);

    // one_per_organisation: the first confirmation closed it for the colleague too.
    const colleague = await browser.newContext();
    const other = await colleague.newPage();
    await login(other, org.accountant.email, org.accountant.password);
    await expect(other.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${org.accountant.name}`);
    await expect(dialog(other)).toHaveCount(0);
    await colleague.close();
    await api.dispose();
  });

  test("alerts follow one another; Escape and ✕ close them; the admin sees who read", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    const api = await adminApi(playwright, baseURL!);
    const org = await freshOrganisation(api, "Lecture");
    const first = `Première annonce ${org.id}`;

    // The admin publishes the first alert with the form.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await login(admin, ACCOUNTS.admin.email);
    await admin.goto("/admin/alertes");
    await waitForHydration(admin);
    await admin.getByLabel("Titre").fill(first);
    await admin.getByLabel("Message").fill("Ligne un\nLigne deux");
    await admin.getByLabel("Destinataires").selectOption({ label: org.name });
    await admin.getByLabel("Chaque utilisateur confirme").check();
    await admin.getByLabel("Durée de vie (jours)").fill("2");
    await admin.getByRole("button", { name: "Enregistrer" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Alerte publiée." })).toBeVisible();
    await expect(admin.getByRole("link", { name: first })).toBeVisible();
    await expect(admin.getByLabel("Titre"), "the form is emptied for the next alert").toHaveValue("");
    await alertFor(api, org.id, "Deuxième annonce");

    await login(page, org.viewer.email, org.viewer.password);
    await expect(dialog(page).getByRole("heading")).toHaveText(first);
    await expect(dialog(page)).toContainText("Encore 1 alerte(s) après celle-ci.");
    await waitForHydration(page);
    // Escape is the keyboard's ✕ (an island); without JavaScript the ✕ button does it.
    if (jsOff()) await dialog(page).getByRole("button", { name: "Fermer" }).click();
    else await page.keyboard.press("Escape");
    await expect(dialog(page).getByRole("heading")).toHaveText("Deuxième annonce");
    await expect(dialog(page).getByRole("button", { name: "Confirmer" })).toBeFocused();
    await dialog(page).getByRole("button", { name: "Fermer" }).click();
    await expect(dialog(page)).toHaveCount(0);

    await admin.getByRole("link", { name: first }).click();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText(first);
    const row = admin.getByRole("row").filter({ hasText: org.viewer.email });
    await expect(row).toContainText("Fermée (✕)");
    await expect(admin.getByText("1 utilisateur(s) sur 2")).toBeVisible();

    // Deleting asks for the confirmation box (no script dialog), then lands on the list.
    await waitForHydration(admin);
    // From the keyboard: phone emulation misreports taps at the bottom of a long page.
    const confirmBox = admin.getByLabel("Je confirme : la suppression est définitive.");
    await confirmBox.press("Space");
    await expect(confirmBox).toBeChecked();
    await admin.getByRole("button", { name: "Supprimer l'alerte" }).press("Enter");
    await expect(admin).toHaveURL("/admin/alertes");
    await expect(admin.getByRole("status").filter({ hasText: "Alerte supprimée." })).toBeVisible();
    await expect(admin.getByRole("link", { name: first })).toHaveCount(0);
    await adminContext.close();
    await api.dispose();
  });

  test("the schedule page previews the next runs of the reference schedule", async ({ page }) => {
    await login(page, ACCOUNTS.admin.email);
    await page.goto("/admin/alertes");
    const schedule = page.locator(".schedule").filter({ hasText: "Coupure de service un jeudi sur deux" });
    await expect(schedule).toContainText("Toutes les 2 semaine(s), le jeudi à 02:00 (Europe/Paris)");
    await expect(schedule.locator(".next-runs li")).toHaveCount(5);
    await schedule.getByRole("link").click();
    await waitForHydration(page);
    await expect(page.locator(".preview li")).toHaveCount(5);
    await expect(page.locator(".preview li").first()).toContainText("02:00");
    if (jsOff()) return; // the preview follows the fields as they are typed: that is the script's job
    await page.getByLabel("Heure").fill("03:15");
    await expect(page.locator(".preview li").first()).toContainText("03:15");
  });
});

test.describe("schedule editor", () => {
  test("a refused schedule comes back with what was typed and the reason", async ({ page }) => {
    await login(page, ACCOUNTS.admin.email);
    await page.goto("/admin/alertes/programmations/nouvelle");
    await waitForHydration(page);
    await expect(page.locator(".preview")).toContainText("une fois le rythme complet");
    const name = `Essai refusé ${Date.now()}`;
    await page.locator("#sch-name").fill(name);
    await page.locator("#sch-tz").fill("Mars/Olympus");
    await page.locator("#sch-first").fill("2027-01-07");
    await page.locator("#sch-title").fill("Coupure prévue");
    await page.locator("#sch-message").fill("Le service sera coupé une heure.");
    await page.locator("#sch-title").press("Enter");
    await expect(page.locator("#sch-tz-error")).toHaveText("Fuseau horaire inconnu (exemple : Europe/Paris).");
    await expect(page.locator("#sch-name")).toHaveValue(name);
    await expect(page.locator("#sch-tz")).toHaveValue("Mars/Olympus");
    await expect(page.locator("#sch-first")).toHaveValue("2027-01-07");
    await expect(page.locator("#sch-title")).toHaveValue("Coupure prévue");
    await expect(page.locator("#sch-message")).toHaveValue("Le service sera coupé une heure.");
    // Put right, the same form saves.
    await page.locator("#sch-tz").fill("Europe/Paris");
    await page.locator("#sch-title").press("Enter");
    await expect(page).toHaveURL("/admin/alertes");
    await expect(page.getByRole("status").filter({ hasText: "Envoi programmé enregistré." })).toBeVisible();
    const saved = page.locator(".schedule").filter({ hasText: name });
    await expect(saved.locator(".next-runs li")).toHaveCount(5);
    // Tidy up: delete it (a confirmation box, then the button).
    await saved.getByRole("link").click();
    await page.getByLabel("Je confirme : la suppression est définitive.").check();
    await page.getByRole("button", { name: "Supprimer cet envoi programmé" }).press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Envoi programmé supprimé." })).toBeVisible();
  });
});

test.describe("update alerts without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the modal confirms with a plain form", async ({ page, playwright, baseURL }) => {
    const api = await adminApi(playwright, baseURL!);
    const org = await freshOrganisation(api, "Sans JS");
    await alertFor(api, org.id, "Annonce sans JavaScript");
    await login(page, org.viewer.email, org.viewer.password);
    await expect(dialog(page).getByRole("heading")).toHaveText("Annonce sans JavaScript");
    await dialog(page).getByRole("button", { name: "Confirmer" }).click();
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${org.viewer.name}`);
    await expect(dialog(page)).toHaveCount(0);
    await api.dispose();
  });
});
