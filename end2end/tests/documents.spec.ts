import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { callApi, draftDocument, expect, login, signedInApi, test, waitForHydration } from "./fixtures";

const ACCOUNTANT = "compta@bash.test";

/** The messages the test SMTP server (scripts/test.sh starts it) has received so far. */
function received(): string[] {
  const dir = process.env.SMTP_SINK_DIR;
  if (!dir) throw new Error("SMTP_SINK_DIR is not set: run the browser tests through scripts/test.sh");
  const box = join(dir, "new");
  let names: string[] = [];
  try {
    names = readdirSync(box);
  } catch {
    return [];
  }
  return names.map((name) => readFileSync(join(box, name), "utf8"));
}

/** The base64 body of the MIME part whose headers mention `filename`. */
function attachment(message: string, filename: string): Buffer {
  const at = message.indexOf(filename);
  expect(at, `attachment ${filename}`).toBeGreaterThan(-1);
  const blank = /\r?\n\r?\n/.exec(message.slice(at));
  expect(blank, "the part's headers end").not.toBeNull();
  const body = message.slice(at + blank!.index + blank![0].length).split(/\r?\n--/)[0];
  return Buffer.from(body.replace(/\s+/g, ""), "base64");
}

test.describe("documents", () => {
  test("an accountant downloads an issued invoice's PDF and sends it by e-mail", async ({ page, playwright, baseURL }) => {
    const api = await signedInApi(playwright, baseURL!, ACCOUNTANT);
    const id = await draftDocument(api, "invoice", {
      description: "Étude de fréquentation — été",
      quantity: "1",
      unit_price: "1234,56",
      vat_rate: "20",
    });
    const number: string = await callApi(api, "document_action", { document_id: String(id), action: "issue", confirm: "oui" });

    await login(page, ACCOUNTANT);
    await page.goto(`/facturation/factures?voir=${id}`);
    await waitForHydration(page);
    const doc = page.getByRole("dialog");

    // The PDF downloads under its number and is a real PDF.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      doc.getByRole("link", { name: "Télécharger le PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`Facture-${number}.pdf`);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const pdf = Buffer.concat(chunks);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await expect(doc.getByRole("link", { name: "Factur-X", exact: true })).toBeVisible();

    // Send it: French defaults, an edited subject, the Factur-X file attached.
    await doc.getByRole("link", { name: "Envoyer par e-mail" }).click();
    const subject = doc.getByLabel("Objet");
    await expect(subject).toHaveValue(`Facture ${number} — Boutiques Bash SAS`);
    await expect(doc.getByLabel("Message")).toHaveValue(/Veuillez trouver ci-joint notre facture/);
    await expect(doc.getByLabel("Destinataire")).toHaveValue(/@/);
    const unique = `Facture ${number} e2e ${Date.now()} ${test.info().project.name}`;
    await subject.fill(unique);
    await doc.getByRole("button", { name: "Envoyer", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "E-mail envoyé." })).toBeVisible();
    await expect(doc.locator(".sent-list")).toContainText(unique);
    await expect(doc.getByLabel("Objet")).toHaveCount(0);

    let message = "";
    await expect
      .poll(() => {
        message = received().find((m) => m.includes(unique)) ?? "";
        return message.length;
      })
      .toBeGreaterThan(0);
    expect(message).toMatch(/^X-RcptTo: .*@.*\.test$/m);
    expect(message).toContain("Content-Type: application/pdf");
    const attached = attachment(message, `Facture-${number}-facturx.pdf`);
    expect(attached.subarray(0, 5).toString()).toBe("%PDF-");
    expect(attached.toString("latin1")).toContain("factur-x.xml");
  });

  test("a draft quote sent by e-mail becomes sent and numbered", async ({ page, playwright, baseURL }) => {
    const api = await signedInApi(playwright, baseURL!, ACCOUNTANT);
    const id = await draftDocument(api, "quote", {
      description: "Pose de deux compteurs",
      quantity: "2",
      unit_price: "180",
      vat_rate: "20",
    });

    await login(page, ACCOUNTANT);
    await page.goto(`/facturation/devis?voir=${id}&envoyer=1`);
    await waitForHydration(page);
    const doc = page.getByRole("dialog");
    await expect(doc.locator("[data-status]")).toHaveText("Brouillon");
    await expect(doc.getByText("L'envoi d'un brouillon de devis le numérote")).toBeVisible();
    const unique = `Devis e2e ${Date.now()} ${test.info().project.name}`;
    await doc.getByLabel("Objet").fill(unique);
    await doc.getByRole("button", { name: "Envoyer", exact: true }).click();
    await expect(doc.locator("[data-status]")).toHaveText("Envoyé");
    await expect(doc.locator("#modal-title")).toContainText(/Devis D-\d{4}-\d{6}/);
    await expect.poll(() => received().some((m) => m.includes(unique))).toBe(true);
  });
});

test.describe("documents without JavaScript", () => {

  test("a draft quote is sent by e-mail with a plain form, then shows as sent", async ({ page, playwright, baseURL }) => {
    const api = await signedInApi(playwright, baseURL!, ACCOUNTANT);
    const id = await draftDocument(api, "quote", {
      description: "Réglage d'un compteur",
      quantity: "1",
      unit_price: "95",
      vat_rate: "20",
    });
    await login(page, ACCOUNTANT);
    await page.goto(`/facturation/devis?voir=${id}&envoyer=1`);
    const doc = page.getByRole("dialog");
    const unique = `Devis sans script ${Date.now()} ${test.info().project.name}`;
    await doc.getByLabel("Objet").fill(unique);
    await doc.getByLabel("Objet").press("Enter");
    // Back on the document, without the form, with the flash and the new status.
    await expect(page).toHaveURL(`/facturation/devis?voir=${id}`);
    await expect(page.getByRole("status").filter({ hasText: "E-mail envoyé." })).toBeVisible();
    await expect(doc.locator("[data-status]")).toHaveText("Envoyé");
    await expect(doc.locator(".sent-list")).toContainText(unique);
    await expect(doc.getByLabel("Objet")).toHaveCount(0);
    await expect.poll(() => received().some((m) => m.includes(unique))).toBe(true);
  });
});
