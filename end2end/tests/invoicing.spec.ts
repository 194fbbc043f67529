import { test, expect, login, waitForHydration, isPhone } from "./fixtures";

const ACCOUNTANT = "compta@bash.test";

/** `1 234,56 €` (no-break spaces) → cents. */
function cents(text: string): number {
  const cleaned = text.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
  return Math.round(Number(cleaned) * 100);
}

test.describe("quotes and invoices", () => {
  test("an accountant goes from a new contact to a paid invoice", async ({ page }) => {
    test.setTimeout(90_000);
    const stamp = `${Date.now()}`.slice(-7);
    await login(page, ACCOUNTANT);
    await page.goto("/facturation");
    const paidBefore = cents(await page.locator('[data-kpi="paid"]').innerText());

    // A contact and an article, each in a modal.
    await page.goto("/facturation/contacts");
    await waitForHydration(page);
    await page.getByRole("link", { name: "Nouveau contact" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Nom", { exact: true }).fill(`Client ${stamp}`);
    await dialog.getByLabel("Adresse", { exact: true }).fill("3 place Bellecour");
    await dialog.getByLabel("Code postal").fill("69002");
    await dialog.getByLabel("Ville").fill("Lyon");
    await dialog.getByLabel("SIREN").fill("732829321");
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await expect(dialog.locator("#contact-siren-error")).toContainText("SIREN invalide");
    await dialog.getByLabel("SIREN").fill("");
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Contact enregistré." })).toBeVisible();
    await expect(page.getByRole("link", { name: `Client ${stamp}` })).toBeVisible();

    await page.goto("/facturation/articles");
    await waitForHydration(page);
    await page.getByRole("link", { name: "Nouvel article" }).click();
    await page.getByLabel("Référence").fill(`ART-${stamp}`);
    await page.getByLabel("Désignation").fill(`Audit de vitrine ${stamp}`);
    await page.getByLabel("Prix unitaire HT (€)").fill("300");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Article enregistré." })).toBeVisible();

    // A quote with three lines; totals follow the typing.
    await page.goto("/facturation/devis?nouveau=1");
    await waitForHydration(page);
    const editor = page.getByRole("dialog");
    await editor.getByLabel("Client").selectOption({ label: `Client ${stamp}` });
    const line = (n: number) => editor.getByRole("group", { name: `Ligne ${n}` });
    await line(1).getByLabel("Article").selectOption({ label: `ART-${stamp} — Audit de vitrine ${stamp}` });
    await expect(line(1).getByLabel("Désignation")).toHaveValue(`Audit de vitrine ${stamp}`);
    await line(1).getByLabel("Quantité").fill("2");
    await editor.getByRole("button", { name: "+ Ajouter une ligne" }).click();
    await line(2).getByLabel("Désignation").fill("Déplacement");
    await line(2).getByLabel("Prix unitaire HT").fill("45,50");
    await editor.getByRole("button", { name: "+ Ajouter une ligne" }).click();
    await line(3).getByLabel("Désignation").fill("Guide imprimé");
    await line(3).getByLabel("Quantité").fill("4");
    await line(3).getByLabel("Prix unitaire HT").fill("24,90");
    await line(3).getByLabel("TVA").selectOption("5,5");
    // 600 + 45,50 = 645,50 at 20 % (VAT 129,10) ; 99,60 at 5,5 % (VAT 5,48) → 879,68 TTC.
    await expect(editor.locator('[data-total="incl"]')).toHaveText("879,68\u00a0€");
    await editor.getByRole("button", { name: "Enregistrer le brouillon" }).click();

    const doc = page.getByRole("dialog");
    await expect(doc.locator("[data-status]")).toHaveText("Brouillon");
    await doc.getByRole("button", { name: "Envoyer le devis" }).click();
    await expect(doc.locator("[data-status]")).toHaveText("Envoyé");
    await expect(doc.getByRole("heading")).toContainText(/Devis D-\d{4}-\d{6}/);
    await doc.getByRole("button", { name: "Marquer accepté" }).click();
    await expect(doc.locator("[data-status]")).toHaveText("Accepté");
    await doc.getByRole("button", { name: "Transformer en facture" }).click();
    await expect(page).toHaveURL(/\/facturation\/factures\?voir=\d+/);
    await expect(doc.locator("[data-status]")).toHaveText("Brouillon");
    await doc.getByRole("button", { name: "Émettre la facture" }).click();
    await expect(doc.locator("[data-status]")).toHaveText("Émise");
    await expect(doc.getByRole("heading")).toContainText(/Facture F-\d{4}-\d{6}/);
    await expect(doc.locator('[data-total="balance"]')).toHaveText("879,68\u00a0€");

    // A partial then a full payment.
    await doc.getByLabel("Montant").fill("300");
    await doc.getByRole("button", { name: "Enregistrer le règlement" }).click();
    await expect(doc.locator("[data-status]")).toHaveText("Partiellement payée");
    await expect(doc.locator('[data-total="balance"]')).toHaveText("579,68\u00a0€");
    await expect(doc.getByLabel("Montant")).toHaveValue("579,68");
    await doc.getByRole("button", { name: "Enregistrer le règlement" }).click();
    await expect(doc.locator("[data-status]")).toHaveText("Payée");

    await page.goto("/facturation");
    const paidAfter = cents(await page.locator('[data-kpi="paid"]').innerText());
    expect(paidAfter - paidBefore).toBe(87_968);
    await expect(page.getByRole("table").first()).toContainText(`Client ${stamp}`);
  });

  test("lists filter, sort and show each document in a modal", async ({ page }) => {
    await login(page, ACCOUNTANT);
    await page.goto("/facturation/factures?statut=issued");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Factures");
    if (isPhone(page)) {
      // Rows are cards on phones: the sort is chosen in the filters.
      await page.getByLabel("Trier par").selectOption("total");
      await page.getByRole("button", { name: "Filtrer" }).click();
    } else {
      await page.getByRole("link", { name: "Total TTC" }).click();
    }
    await expect(page).toHaveURL(/tri=total/);
    await expect(page).toHaveURL(/ordre=desc/);
    if (!isPhone(page)) {
      await expect(page.getByRole("columnheader", { name: "Total TTC" })).toHaveAttribute("aria-sort", "descending");
    }
    await page.getByRole("link", { name: /F-\d{4}-\d{6}/ }).first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.getByRole("dialog").getByRole("link", { name: "Fermer" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
  });

  test("a viewer has no invoicing", async ({ page }) => {
    await login(page, "lecteur@bash.test");
    const resp = await page.goto("/facturation");
    await expect(page.locator(".notice-error").first()).toContainText("Vous n'avez pas accès");
    expect(resp?.status()).toBe(403);
  });
});
