import { test, expect, login, jsOff, ACCOUNTS } from "./fixtures";

// What a signed-in first visit transfers, everything included (HTML, CSS, JavaScript, WASM,
// icons, and their headers), cold cache, up to the load event and network idle. The bytes are
// deterministic for a given build, so this is a test, not a benchmark; the budgets live here, in
// one place. Only the release build is held to them (`scripts/test.sh` sets SIZE_BUDGET=1 for
// it): the debug build's WASM is tens of megabytes.
//
// Before islands (release build, 05/12/2026) each page transferred about 1.27 MB, of which the
// WASM was 1.24 MB, and without JavaScript too (the browser followed the WASM's
// `<link rel="preload">`). With islands a page downloads WASM only when it has an island (the
// dashboard's TV switches: 64 KB brotli for the four islands), and without JavaScript never.
const BUDGET_BYTES = { withJavaScript: 100_000, withoutJavaScript: 100_000 };

// `SHOP` stands for the first shop of the viewer's footfall dashboard.
const PAGES: { path: string; email: string }[] = [
  { path: "/", email: ACCOUNTS.viewer.email },
  { path: "/compteurs", email: ACCOUNTS.viewer.email },
  { path: "SHOP", email: ACCOUNTS.viewer.email },
  { path: "/facturation/factures", email: ACCOUNTS.accountant.email },
  { path: "/admin/compteurs", email: ACCOUNTS.admin.email },
];

test.describe("first visit of a signed-in page", () => {
  for (const { path, email } of PAGES) {
    test(`${path === "SHOP" ? "/compteurs/magasins/:id" : path} stays within its byte budget`, async ({ browser, page }) => {
      // Signed in on one page, measured on a fresh one with an empty cache but the same cookies.
      await login(page, email);
      let target = path;
      if (path === "SHOP") {
        await page.goto("/compteurs");
        target = (await page.locator("a[href^='/compteurs/magasins/']").first().getAttribute("href"))!;
      }
      const use = test.info().project.use;
      const context = await browser.newContext({
        baseURL: use.baseURL,
        viewport: use.viewport,
        deviceScaleFactor: use.deviceScaleFactor,
        isMobile: use.isMobile,
        hasTouch: use.hasTouch,
        userAgent: use.userAgent,
        javaScriptEnabled: use.javaScriptEnabled,
        locale: use.locale,
        timezoneId: use.timezoneId,
        storageState: await page.context().storageState(),
      });
      const fresh = await context.newPage();
      const responses = [];
      fresh.on("response", (r) => responses.push(r));
      await fresh.goto(target, { waitUntil: "networkidle" });
      await expect(fresh.locator("main")).toBeVisible();
      let transferred = 0;
      for (const r of responses) {
        const sizes = await r.request().sizes();
        transferred += sizes.responseBodySize + sizes.responseHeadersSize;
      }
      const wasm = responses.filter((r) => new URL(r.url()).pathname.endsWith(".wasm")).length;
      console.log(`${target} (${test.info().project.name}): ${responses.length} requests, ${transferred} bytes, ${wasm} WASM`);
      await context.close();
      if (jsOff()) expect(wasm, "no WASM without JavaScript").toBe(0);
      if (process.env.SIZE_BUDGET !== "1") return;
      expect(transferred).toBeLessThanOrEqual(jsOff() ? BUDGET_BYTES.withoutJavaScript : BUDGET_BYTES.withJavaScript);
    });
  }
});
