import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'yrka-demo-2025';

export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	await page.getByLabel('E-postadress').fill(email);
	await page.getByLabel('Lösenord').fill(password);
	await page.getByRole('button', { name: 'Logga in' }).click();
	await expect(page.getByRole('heading', { name: 'Ärenden', level: 1 })).toBeVisible();
}
