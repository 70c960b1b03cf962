import { expect, test } from '@playwright/test';
import { login } from './support';

test("a member of another party downloads SD's submitted yrkande as Word with its Swedish file name", async ({
	page
}) => {
	await login(page, 'anna.lindqvist@demo.yrka.se');
	await page.getByRole('link', { name: 'Budget 2025 för kommunstyrelsen' }).click();
	// Other browser tests may have submitted more yrkanden; the seeded SD yrkande is the first.
	await page
		.getByRole('link', { name: /^Yrkande: Yrkande angående/ })
		.first()
		.click();
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
