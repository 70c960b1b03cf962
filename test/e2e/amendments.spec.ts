import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { login } from './support';

/**
 * The acceptance tests of issue 6 in the browser: amendments started from the baseline on the case
 * page, edited live in a draft with the diff redrawn as one types, and the case overview where a
 * competing amendment shows as a collision; a budget row with its totals recomputed.
 */

const CASE_TITLE = 'Budget 2025 för kommunstyrelsen';
const CLIMATE_GOAL = /^Göteborg ska vara ledande i klimatomställningen/;
const PLANNING = 'Stadsledningskontorets planering';

async function userPage(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	// Submitting and removing ask for confirmation; the user says yes.
	page.on('dialog', (d) => void d.accept());
	await login(page, email);
	return page;
}

async function openCase(page: Page) {
	await page.goto('/');
	await page.getByRole('link', { name: CASE_TITLE }).click();
	await expect(page.getByRole('heading', { name: CASE_TITLE, level: 1 })).toBeVisible();
}

/** "Föreslå ändring" on a baseline target, in a new ändringsyrkande of the party; lands in the draft. */
async function propose(page: Page, button: Locator, partyName: string, op?: string) {
	await button.click();
	const form = page.getByRole('form', { name: /^Föreslå ändring/ });
	if (op) await form.getByRole('radio', { name: op }).check();
	await form.getByLabel('I vilket utkast?').selectOption({ label: `Nytt ändringsyrkande för ${partyName}` });
	await form.getByRole('button', { name: 'Skapa ändringen' }).click();
	await expect(page).toHaveURL(/\/utkast\/[^/#]+#amendment-/);
	await expect(page.getByText('Sparat')).toBeVisible();
}

async function planningButton(page: Page) {
	await page.getByText(CLIMATE_GOAL).first().click();
	return page.getByRole('button', {
		name: new RegExp(`^Föreslå ändring: ${PLANNING}, målet Göteborg ska vara ledande i klimatomställningen`)
	});
}

/** Selects a phrase inside a live editor the way a user drags over it, so the next key acts on it. */
async function selectPhrase(editor: Locator, phrase: string) {
	await editor.click();
	await editor.evaluate((root, words) => {
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const at = node.textContent?.indexOf(words) ?? -1;
			if (at < 0) continue;
			const range = document.createRange();
			range.setStart(node, at);
			range.setEnd(node, at + words.length);
			const selection = window.getSelection()!;
			selection.removeAllRanges();
			selection.addRange(range);
			return;
		}
		throw new Error(`"${words}" is not in the editor`);
	}, phrase);
	// ProseMirror reads the DOM selection on selectionchange.
	await editor.page().waitForTimeout(50);
}

async function noSeriousAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function submit(page: Page) {
	await page.getByRole('button', { name: 'Lämna in' }).click();
	await expect(page.getByText('Inlämnad version, skrivskyddad.')).toBeVisible();
}

test('SD strikes the Agenda 2030 reference in the climate goal; a competing C amendment shows as a collision', async ({
	browser
}) => {
	const sd = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	await openCase(sd);
	await propose(sd, await planningButton(sd), 'Sverigedemokraterna');

	const block = sd.getByRole('article', { name: /Ändra texten: mål Göteborg ska vara ledande/ });
	const editor = block.getByRole('textbox', { name: new RegExp(`^Ny lydelse: .* – ${PLANNING}$`) });
	await expect(editor).toContainText('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv för att identifiera');

	await selectPhrase(editor, 'med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ');
	await sd.keyboard.press('Delete');
	await expect(editor).toContainText('klimatprogrammet, för att identifiera gränssnitt');

	// The diff follows the typing: the removal is struck through and labelled, not only coloured.
	const removed = block.getByRole('deletion');
	await expect(removed).toHaveCount(1);
	await expect(removed).toHaveText('Borttaget: med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ');
	await expect(removed).toHaveCSS('text-decoration-line', 'line-through');
	await expect(block.getByText('7 ord borttagna, 0 ord infogade.')).toBeVisible();
	await block.getByRole('radio', { name: 'Sida vid sida' }).check();
	const side = block.getByRole('table');
	await expect(side.getByRole('columnheader', { name: 'Underlag' })).toBeVisible();
	await expect(side.getByRole('deletion')).toContainText('Agenda 2030 hållbarhetsperspektiv');
	await expect(side.getByRole('cell').nth(1)).not.toContainText('Agenda 2030');
	await noSeriousAxeViolations(sd);

	// The decision point follows the amendment.
	const point = sd.getByRole('textbox', { name: /^Punkt 1 i kommunstyrelsen$/ });
	await expect(point).toContainText('stryks ”med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv”');
	await submit(sd);

	// C rewrites the same words in its own draft.
	const c = await userPage(browser, 'sekreterare.c@demo.yrka.se');
	await openCase(c);
	await propose(c, await planningButton(c), 'Centerpartiet');
	const cBlock = c.getByRole('article', { name: /Ändra texten: mål Göteborg ska vara ledande/ });
	const cEditor = cBlock.getByRole('textbox', { name: new RegExp(`^Ny lydelse: .* – ${PLANNING}$`) });
	await selectPhrase(cEditor, 'Agenda 2030');
	await c.keyboard.type('socialt och ekologiskt');
	await expect(cBlock.getByRole('insertion')).toHaveText('Infogat: socialt och ekologiskt');
	await expect(c.getByRole('textbox', { name: /^Punkt 1 i kommunstyrelsen$/ })).toContainText('socialt och ekologiskt');
	await submit(c);

	// Both are submitted, so each party sees the other's: the overview flags the collision.
	await sd.goto(new URL(sd.url()).pathname.replace(/\/utkast\/.*/, '/andringar'));
	await expect(sd.getByRole('heading', { name: 'Ändringar i underlaget', level: 1 })).toBeVisible();
	const card = sd.getByRole('region', { name: new RegExp(`Göteborg ska vara ledande.* – ${PLANNING}`) });
	await expect(card.getByRole('note')).toContainText(/Kollision: (SD och C|C och SD) ändrar samma ord: Agenda 2030/);
	await expect(card.getByRole('deletion').first()).toBeVisible();
	await expect(card.getByRole('listitem')).toHaveCount(2);
	await noSeriousAxeViolations(sd);

	// The filter by party narrows the list and keeps the collision in view.
	await sd.getByLabel('Parti').selectOption({ label: 'Centerpartiet (1)' });
	await expect(card.getByRole('listitem')).toHaveCount(1);
	await expect(card.getByRole('note')).toBeVisible();

	// The consolidated preview: the baseline if SD's ändringsyrkande passes, then with C's too.
	await sd.getByRole('link', { name: 'Förhandsvisa underlaget med valda yrkanden' }).click();
	await expect(sd.getByRole('heading', { name: 'Förhandsvisning av underlaget', level: 1 })).toBeVisible();
	const choice = (party: string) =>
		sd
			.getByRole('listitem')
			.filter({ hasText: 'Ändringsyrkande:' })
			.filter({ has: sd.getByText(party, { exact: true }) })
			.getByRole('checkbox');
	await choice('SD').check();
	const document = sd.getByRole('article', { name: 'Underlaget med ändringarna' });
	await expect(document.getByRole('deletion')).toHaveText(
		'Borttaget: med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv'
	);
	await choice('C').check();
	await expect(sd.getByRole('heading', { name: 'Ändringar som inte kunde tas med (1)' })).toBeVisible();
	await expect(document.getByRole('insertion')).toHaveCount(0);
});

test('lowering stadsledningskontorets kommunbidrag 2025 from 285,7 to 280,7 mnkr updates the totals: −5,0 mnkr', async ({
	browser
}) => {
	const m = await userPage(browser, 'sekreterare.m@demo.yrka.se');
	await openCase(m);
	await propose(
		m,
		m.getByRole('button', { name: 'Föreslå ändring: Kommunbidrag (Stadsledningskontoret) i Kommunledningen' }),
		'Moderaterna'
	);
	const block = m.getByRole('article', { name: /Ändra belopp: tabellrad Kommunbidrag/ });
	const input = block.getByLabel(/^Kommunbidrag, Budget 2025/);
	await expect(input).toHaveValue('285,7');
	await input.fill('280,7');
	await input.press('Tab');

	await expect(block.getByText('Nettoförändring mot underlaget:')).toContainText('Budget 2025: −5,0 mnkr');
	const table = block.getByRole('table', { name: /Kommunledningen med förslaget/ });
	// The organisation's own row, the part's result and the whole's total follow.
	await expect(table.getByRole('insertion')).toHaveText([
		'Förslag: 392,8',
		'Förslag: −5,0',
		'Förslag: 280,7',
		'Förslag: −5,0'
	]);
	await expect(m.getByRole('textbox', { name: /^Punkt 1 i kommunstyrelsen$/ })).toHaveText(
		'Kommunbidrag för Stadsledningskontoret (Budget 2025) ändras från 285,7 mnkr till 280,7 mnkr.'
	);

	// A number a Swede would not write is refused in words.
	await input.fill('280.7.1');
	await input.press('Tab');
	await expect(block.getByRole('alert')).toContainText('är inte ett tal');
});
