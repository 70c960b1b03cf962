import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { demoEmail, demoMembers } from '../../server/seed/demo-data';
import { login } from './support';

/**
 * Version history in the browser, with two SD secretaries writing one yttrande: a named version,
 * "Visa författare" naming each writer's text, the comparison with the live text, a restore the other
 * writer sees live, and the log of it all.
 */

const CASE_TITLE = 'Budget 2025 för kommunstyrelsen';
const A = 'Partisekreterare SD';
const B = 'Politisk sekreterare SD';

async function userPage(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	// Restoring asks for confirmation; the user says yes.
	page.on('dialog', (d) => void d.accept());
	await login(page, email);
	return page;
}

async function noSeriousAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('save a version, see who wrote what, compare, restore live, and find it in the log', async ({ browser }) => {
	const a = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	const b = await userPage(browser, 'politisk.sekreterare.sd@demo.yrka.se');

	await a.getByRole('link', { name: CASE_TITLE }).click();
	await a.getByRole('link', { name: 'Arbetsyta för Sverigedemokraterna' }).click();
	await a.getByLabel('Typ av utkast').selectOption({ label: 'Yttrande' });
	await a.getByRole('button', { name: 'Skapa utkast' }).click();
	await expect(a).toHaveURL(/\/utkast\//);
	const draftPath = new URL(a.url()).pathname;
	await b.goto(draftPath);
	const textA = a.getByRole('textbox', { name: 'Yttrandet', exact: true });
	const textB = b.getByRole('textbox', { name: 'Yttrandet', exact: true });

	await textA.click();
	await a.keyboard.type('Första meningen från A.', { delay: 10 });
	await expect(textB).toContainText('Första meningen från A.');
	await textB.click();
	await b.keyboard.press('End');
	await b.keyboard.type(' Tillägg från B.', { delay: 10 });
	await expect(textA).toContainText('Tillägg från B.');
	await expect(a.getByText('Sparat')).toBeVisible();

	// A named version of the text as it is now.
	await a.getByLabel('Spara texten som den är nu').fill('Före gruppmötet');
	await a.getByRole('button', { name: 'Spara version' }).click();
	await expect(a.getByText('Versionen ”Före gruppmötet” är sparad.')).toBeVisible();

	// Who wrote what: marked in the text, named in a title and in the legend, not by colour alone.
	const toggle = a.getByRole('button', { name: 'Visa författare' });
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-pressed', 'true');
	const legend = a.getByRole('list', { name: 'Författare i texten' });
	await expect(legend).toContainText(A);
	await expect(legend).toContainText(B);
	await expect(a.locator(`.author-mark[title="Skrivet av ${B} (SD)"]`)).toContainText('Tillägg från B.');
	await expect(a.locator(`.author-mark[title="Skrivet av ${A} (SD)"]`)).toContainText('Första meningen från A.');
	await noSeriousAxeViolations(a);
	await toggle.click();
	await expect(a.locator('.author-mark')).toHaveCount(0);

	// B writes on; the comparison shows what came after the version.
	await b.keyboard.type(' Sent tillägg.', { delay: 10 });
	await expect(textA).toContainText('Sent tillägg.');
	await expect(b.getByText('Sparat')).toBeVisible();
	await a.getByRole('link', { name: 'Versionshistorik' }).click();
	await expect(a.getByRole('heading', { level: 1 })).toContainText('Versioner av');
	await a
		.getByRole('row', { name: /Före gruppmötet/ })
		.getByRole('link', { name: 'Jämför med nuvarande' })
		.click();
	await expect(a.getByRole('heading', { name: 'Jämför versioner' })).toBeVisible();
	await expect(a.locator('ins')).toContainText('Sent tillägg.');
	await noSeriousAxeViolations(a);

	// Restore: B, still writing, sees the text go back; the text before is kept as a version.
	await a.goto(`${draftPath}/versioner`);
	await a
		.getByRole('row', { name: /Före gruppmötet/ })
		.getByRole('button', { name: 'Återställ' })
		.click();
	await expect(a.getByText('”Före gruppmötet” är återställd.', { exact: false })).toBeVisible();
	await expect(textB).not.toContainText('Sent tillägg.');
	await expect(textB).toContainText('Första meningen från A. Tillägg från B.');
	await expect(a.getByRole('row', { name: /Före återställning/ })).toBeVisible();
	await noSeriousAxeViolations(a);

	// The log of the draft names both.
	await a.goto(draftPath);
	await a.getByRole('link', { name: 'Logg för utkastet' }).click();
	await expect(a.getByRole('heading', { level: 1 })).toContainText('Logg');
	const log = a.getByRole('table');
	await expect(log).toContainText('Version återställd');
	await expect(log).toContainText('Version sparad');
	await expect(log).toContainText('”Före gruppmötet”');
	await noSeriousAxeViolations(a);
});

test('the clerk reads the whole board’s log with its logins; a ledamot is told the log is not theirs', async ({
	browser
}) => {
	const clerk = await userPage(browser, 'namndsekreterare@demo.yrka.se');
	await clerk.getByRole('link', { name: CASE_TITLE }).click();
	await clerk.getByRole('link', { name: 'Logg över händelser i ärendet' }).click();
	await expect(clerk.getByRole('heading', { level: 1 })).toContainText('Logg');
	await clerk.getByLabel('Omfång').selectOption('body');
	await expect(clerk).toHaveURL(/omfang=namnd/);
	const log = clerk.getByRole('table');
	await expect(log).toContainText('Inloggning');
	await expect(log).toContainText('Kristina Nämndsekreterare');
	await noSeriousAxeViolations(clerk);

	// A ledamot has no log, and is told why in Swedish.
	const [, , name] = demoMembers.find(([party, seat]) => party === 'S' && seat === 'ledamot')!;
	const member = await userPage(browser, demoEmail(name));
	await member.goto(new URL(clerk.url()).pathname);
	await expect(member.getByText('Loggen visas för nämndsekreteraren och partiernas sekreterare.')).toBeVisible();
});
