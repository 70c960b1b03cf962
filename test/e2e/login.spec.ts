import { expect, test } from '@playwright/test';
import { login } from './support';

test('a demo secretary logs in and reaches the case and the party workspace', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await login(page, 'sekreterare.sd@demo.yrka.se');
	await expect(page.getByLabel('Inloggad som')).toContainText('Partisekreterare SD');
	await expect(page.getByLabel('Inloggad som')).toContainText('Sverigedemokraterna');

	await page.getByRole('link', { name: 'Budget 2025 för kommunstyrelsen' }).click();
	await expect(page.getByRole('heading', { name: 'Budget 2025 för kommunstyrelsen', level: 1 })).toBeVisible();
	await expect(page.getByText('SLK-2024-00738').first()).toBeVisible();
	await page.getByRole('link', { name: 'Arbetsyta för Sverigedemokraterna' }).click();
	// The workspace's own badge; drafts listed below may carry the same words.
	await expect(page.getByLabel('Synlighet')).toHaveText('Internt för SD');
});

test('a wrong password gets a Swedish message that does not tell whether the account exists', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('E-postadress').fill('sekreterare.s@demo.yrka.se');
	await page.getByLabel('Lösenord').fill('fel-lösenord');
	await page.getByRole('button', { name: 'Logga in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Fel e-postadress eller lösenord.');

	await page.getByLabel('E-postadress').fill('finns.inte@demo.yrka.se');
	await page.getByRole('button', { name: 'Logga in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Fel e-postadress eller lösenord.');
});

test('logging out ends the session', async ({ page }) => {
	await login(page, 'anna.lindqvist@demo.yrka.se');
	await page.getByRole('button', { name: 'Logga ut' }).click();
	await expect(page).toHaveURL(/\/login/);
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
});
