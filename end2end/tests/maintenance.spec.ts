import { test, expect, login, waitForHydration, adminApi, callApi, ACCOUNTS } from "./fixtures";

/** `2026-11-22T16:30` in Paris, for a datetime-local input. */
function parisInput(date: Date) {
  const parts = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Paris",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
  return parts.replace(" ", "T");
}

/** Ends every window still open, whatever happened in the test. */
async function endAll(playwright, baseURL: string) {
  const api = await adminApi(playwright, baseURL);
  const windows = await callApi(api, "list_maintenance_windows", {});
  for (const w of windows) {
    if (w.state !== "Over") await callApi(api, "end_maintenance", { window_id: String(w.id) });
  }
  await api.dispose();
}

test.describe("maintenance window", () => {
  test.afterEach(async ({ playwright, baseURL }) => endAll(playwright, baseURL!));

  test("users get the maintenance page with the return time; admins and testers still get in", async ({
    page,
    browser,
  }) => {
    await login(page, ACCOUNTS.admin.email);
    await page.goto("/admin/maintenance");
    await waitForHydration(page);
    await page.getByLabel("Durée (minutes)").fill("20");
    await page.locator("#mt-now-message").fill("Migration de la base de données.");
    await page.getByRole("button", { name: "Activer la maintenance" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Maintenance activée." })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: "En cours" });
    await expect(row).toBeVisible();
    const ends = (await row.getByRole("cell").nth(1).innerText()).trim();
    const bypass = (await row.locator(".bypass-link").innerText()).trim();

    // A signed-out user: 503, the French page and the return time.
    const visitor = await browser.newContext();
    const user = await visitor.newPage();
    const resp = await user.goto("/");
    expect(resp?.status()).toBe(503);
    expect(Number(resp?.headers()["retry-after"])).toBeGreaterThan(1100);
    await expect(user.getByRole("heading", { level: 1 })).toHaveText("Maintenance en cours");
    await expect(user.locator(".maintenance-return")).toContainText(`Retour prévu le ${ends}`);
    await expect(user.getByText("Migration de la base de données.")).toBeVisible();
    // A viewer who signs in lands on the maintenance page too.
    await login(user, "lecteur@bash.test");
    await expect(user.getByRole("heading", { level: 1 })).toHaveText("Maintenance en cours");

    // An admin signing in now still gets in, with a banner.
    const another = await browser.newContext();
    const admin = await another.newPage();
    await login(admin, ACCOUNTS.admin.email);
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText(`Bonjour ${ACCOUNTS.admin.name}`);
    await expect(admin.locator(".maintenance-banner")).toContainText(`Maintenance en cours jusqu'au ${ends}`);

    // A tester with the secret link gets through to the login page.
    const tester = await browser.newContext();
    const testerPage = await tester.newPage();
    await testerPage.goto(bypass);
    await expect(testerPage).toHaveURL("/login");
    await login(testerPage, "lecteur@lumiere.test");
    await expect(testerPage.getByRole("heading", { level: 1 })).toHaveText("Bonjour Hugo Bernard");

    // Ending it reopens the service.
    await page.getByRole("button", { name: "Terminer maintenant" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Maintenance terminée." })).toBeVisible();
    await user.reload();
    await expect(user.getByRole("heading", { level: 1 })).toHaveText("Bonjour Victor Lecteur");
    await Promise.all([visitor.close(), another.close(), tester.close()]);
  });

  test("a scheduled window is announced to users beforehand", async ({ page, browser }) => {
    await login(page, ACCOUNTS.admin.email);
    await page.goto("/admin/maintenance");
    await waitForHydration(page);
    const start = new Date(Date.now() + 2 * 3600_000);
    const end = new Date(Date.now() + 3 * 3600_000);
    // A reversed window is refused with a clear message.
    await page.getByLabel("Début").fill(parisInput(end));
    await page.getByLabel("Fin").fill(parisInput(start));
    await page.getByRole("button", { name: "Programmer", exact: true }).click();
    await expect(page.locator("#mt-ends-error")).toHaveText("La fin doit être postérieure au début.");
    await page.getByLabel("Début").fill(parisInput(start));
    await page.getByLabel("Fin").fill(parisInput(end));
    await page.getByRole("button", { name: "Programmer", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Maintenance programmée." })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Prévue" })).toBeVisible();

    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    const resp = await viewer.goto("/login");
    expect(resp?.status()).toBe(200);
    await login(viewer, "compta@lumiere.test");
    await expect(viewer.locator(".maintenance-banner")).toContainText("Maintenance prévue du");
    await viewerContext.close();
  });
});
