import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { login } from './support';

/**
 * Opens the SD yrkande the demo seed submitted, from the case page. Other browser tests submit SD
 * yrkanden with the same title, and the list shows the latest first; the seeded one was submitted first.
 */
async function openSeededSdYrkande(page: Page) {
	await expect(page.getByRole('heading', { name: 'Inlämnade yrkanden och yttranden' })).toBeVisible();
	const caseId = /\/cases\/([^/]+)/.exec(new URL(page.url()).pathname)![1];
	const res = await page.request.get(`/api/drafts?caseId=${caseId}&status=submitted`);
	expect(res.status()).toBe(200);
	const { drafts } = (await res.json()) as {
		drafts: { id: string; kind: string; ownerPartyId: string; submittedAt: string }[];
	};
	const seeded = drafts
		.filter((d) => d.kind === 'yrkande' && d.ownerPartyId === 'SD')
		.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))[0];
	await page.locator(`a[href="/cases/${caseId}/utkast/${seeded.id}"]`).click();
}

test("a member of another party downloads SD's submitted yrkande as Word with its Swedish file name", async ({
	page
}) => {
	await login(page, 'anna.lindqvist@demo.yrka.se');
	await page.getByRole('link', { name: 'Budget 2025 för kommunstyrelsen' }).click();
	await openSeededSdYrkande(page);
	await expect(page.getByRole('heading', { level: 1, name: /Yrkande angående/ })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Exportera' })).toContainText('Den inlämnade versionen.');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Ladda ner Word (.docx)' }).click()
	]);
	expect(download.suggestedFilename()).toBe('Yrkande SD – Budget 2025 för kommunstyrelsen.docx');
	const path = await download.path();
	expect(path).toBeTruthy();

	await page.goBack();
	await expect(page.getByRole('region', { name: 'Ärendepaket för sammanträdet' })).toBeVisible();
	const [pkg] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Ladda ner PDF' }).click()
	]);
	expect(pkg.suggestedFilename()).toMatch(/^Ärendepaket – Budget 2025 för kommunstyrelsen\.pdf$/);
});

test('the party chooses who signs its draft, and the seeded SD yrkande is signed by its two members', async ({
	page
}) => {
	page.on('dialog', (d) => void d.accept());
	await login(page, 'sekreterare.sd@demo.yrka.se');
	await page.getByRole('link', { name: 'Budget 2025 för kommunstyrelsen' }).click();
	await page.getByRole('link', { name: 'Arbetsyta för Sverigedemokraterna' }).click();
	await page.getByLabel('Typ av utkast').selectOption({ label: 'Yrkande' });
	await page.getByRole('button', { name: 'Skapa utkast' }).click();
	await expect(page).toHaveURL(/\/utkast\//);

	const card = page.getByRole('region', { name: 'Undertecknare' });
	await expect(card).toContainText('Ingen undertecknare vald.');
	for (const name of ['Daniel Strand', 'Malin Öberg']) {
		await card.getByLabel('Lägg till undertecknare').selectOption({ label: `${name} (SD, ledamot)` });
		await card.getByRole('button', { name: 'Lägg till', exact: true }).click();
		await expect(card.getByRole('status')).toHaveText(`${name} skriver under.`);
	}
	const list = card.getByRole('list', { name: 'Undertecknare för Sverigedemokraterna' });
	await expect(list.getByRole('listitem')).toHaveText([/^Daniel Strand/, /^Malin Öberg/]);
	await card.getByRole('button', { name: 'Flytta upp Malin Öberg' }).click();
	await expect(list.getByRole('listitem')).toHaveText([/^Malin Öberg/, /^Daniel Strand/]);
	const axe = await new AxeBuilder({ page }).include('section[aria-labelledby="signatories-h"]').analyze();
	expect(axe.violations).toEqual([]);
	// Only the party's own members are offered: nobody of another party.
	await expect(card.getByLabel('Lägg till undertecknare').locator('option')).toHaveText([
		'Välj ledamot eller ersättare …',
		'Tobias Engström (SD, ersättare)'
	]);

	// Another party's member reads the submitted SD yrkande with its signatories and cannot change them.
	await page.context().clearCookies();
	await login(page, 'anna.lindqvist@demo.yrka.se');
	await page.getByRole('link', { name: 'Budget 2025 för kommunstyrelsen' }).click();
	await openSeededSdYrkande(page);
	const read = page.getByRole('region', { name: 'Undertecknare' });
	await expect(read.getByRole('listitem')).toHaveText([/^Daniel Strand/, /^Malin Öberg/]);
	await expect(read.getByRole('button')).toHaveCount(0);
});
