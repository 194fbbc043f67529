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
      // Chromium logs every non-2xx response; 404 pages and 422 validation answers are
      // expected outcomes that tests assert on, not errors.
      const expected = /Failed to load resource: the server responded with a status of (404|422)/;
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

export async function waitForHydration(page: Page) {
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

/** Opens the phone menu when the navigation is collapsed. */
export async function openMenu(page: Page) {
  if (isPhone(page)) {
    await waitForHydration(page);
    const toggle = page.getByRole("button", { name: "Menu" });
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  }
}
