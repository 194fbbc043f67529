import { test as base, expect, Page } from "@playwright/test";

export const DEMO_PASSWORD = "comptoir-demo";

export const ACCOUNTS = {
  admin: { email: "admin@comptoir.test", name: "Alice Admin" },
  accountant: { email: "compta@bash.test", name: "Camille Comptable" },
  viewer: { email: "lecteur@bash.test", name: "Victor Lecteur" },
} as const;

// Every test fails if the page logs an error or throws.
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      // Chromium logs every non-2xx response; 403 and 404 pages, 422 validation answers and 503
      // maintenance pages are expected outcomes that tests assert on, not errors.
      const expected = /Failed to load resource: the server responded with a status of (403|404|422|503)/;
      page.on("console", (msg) => {
        if (msg.type() === "error" && !expected.test(msg.text())) errors.push(msg.text());
      });
      page.on("pageerror", (err) => errors.push(err.message));
      await use(errors);
      expect(errors, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export function isPhone(page: Page): boolean {
  return (page.viewportSize()?.width ?? 1280) < 900;
}

/** This run has JavaScript disabled (the `…-nojs` projects): pages work by plain links and forms. */
export function jsOff(): boolean {
  return test.info().project.use.javaScriptEnabled === false;
}

/** Waits until the page is interactive; without JavaScript there is nothing to wait for. */
export async function waitForHydration(page: Page) {
  if (jsOff()) return;
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  // Let the sign-in finish (session cookie set, home page loaded) before the test navigates on.
  await page.waitForURL((url) => url.pathname !== "/login" || url.searchParams.has("error"));
}

/** Opens the phone menu (a `<details>`, so with or without JavaScript) when it is collapsed. */
export async function openMenu(page: Page) {
  if (!isPhone(page)) return;
  const menu = page.locator("details.nav-menu");
  if ((await menu.getAttribute("open")) === null) await menu.locator("summary").click();
  await expect(menu).toHaveAttribute("open", "");
}

/** An API client signed in as `email` (server functions, as the browser calls them). */
export async function signedInApi(playwright, baseURL: string, email: string, password = DEMO_PASSWORD) {
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Origin: baseURL, Accept: "application/json" },
  });
  const resp = await api.post("/login", { form: { email, password, next: "" }, maxRedirects: 0 });
  expect(resp.status()).toBe(303);
  return api;
}

/** An API client signed in as the demo admin. */
export async function adminApi(playwright, baseURL: string) {
  return signedInApi(playwright, baseURL, ACCOUNTS.admin.email);
}

/** A one-line draft quote or invoice for the organisation's first contact; returns its id. */
export async function draftDocument(
  api,
  kind: "quote" | "invoice",
  line: { description: string; quantity: string; unit_price: string; vat_rate: string },
): Promise<number> {
  const contacts = await callApi(api, "contact_choices", {});
  return callApi(api, "save_document", {
    document_id: "",
    kind,
    "fields[contact_id]": String(contacts[0].id),
    "fields[lines][0][description]": line.description,
    "fields[lines][0][quantity]": line.quantity,
    "fields[lines][0][unit_price]": line.unit_price,
    "fields[lines][0][vat_rate]": line.vat_rate,
  });
}

export async function callApi(api, endpoint: string, form: Record<string, string>) {
  const resp = await api.post(`/api/${endpoint}`, { form });
  const text = await resp.text();
  expect(resp.ok(), `${endpoint}: ${resp.status()} ${text}`).toBeTruthy();
  return JSON.parse(text);
}

/** A new client organisation with a viewer and an accountant, so tests never share alerts. */
export async function freshOrganisation(api, tag: string) {
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const name = `${tag} ${stamp}`;
  const id: number = await callApi(api, "create_organisation", { name, slug: "" });
  const account = async (role: string, first: string) => {
    const email = `${first}.${stamp}@e2e.test`;
    const created = await callApi(api, "create_account", {
      email,
      display_name: `${first} ${stamp}`,
      role,
      organisation: String(id),
    });
    return { email, name: `${first} ${stamp}`, password: created.initial_password as string };
  };
  return { id, name, viewer: await account("viewer", "lea"), accountant: await account("accountant", "paul") };
}

/** The day `days` ago in Paris (the demo's and the new counters' time zone), `YYYY-MM-DD`. */
export function isoDaysAgo(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(d);
}

export function frDaysAgo(days: number): string {
  const [y, m, d] = isoDaysAgo(days).split("-");
  return `${d}/${m}/${y}`;
}
