import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page, type WebSocketRoute } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { extractPartyDocuments } from '../../server/import/party-documents';
import { login } from './support';

/**
 * The acceptance tests of issue 5, each with several browser contexts logged in as different
 * users. The server starts on a fresh demo database for the run.
 */

const CASE_TITLE = 'Budget 2025 för kommunstyrelsen';
const KS_KF = 'I kommunstyrelsen och kommunfullmäktige';

// The SD yrkande as the fixture prints it, read by the same importer the demo seed uses.
const SD_YRKANDE = extractPartyDocuments(
	readFileSync(new URL('../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8')
).find((d) => d.kind === 'yrkande' && d.parties.join() === 'SD')!;
const SD_POINTS = SD_YRKANDE.points.map((p) => p.text);
const SD_MOTIVATION = SD_YRKANDE.paragraphs;

async function userPage(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	// Sharing, submitting and removing ask for confirmation; the user says yes.
	page.on('dialog', (d) => void d.accept());
	await login(page, email);
	return page;
}

async function caseUrl(page: Page): Promise<string> {
	await page.goto('/');
	await page.getByRole('link', { name: CASE_TITLE }).click();
	await expect(page.getByRole('heading', { name: CASE_TITLE, level: 1 })).toBeVisible();
	return new URL(page.url()).pathname;
}

/** Creates a draft through the workspace and returns its page's path. */
async function createDraft(page: Page, partyName: string, kindLabel: string): Promise<string> {
	await caseUrl(page);
	await page.getByRole('link', { name: `Arbetsyta för ${partyName}` }).click();
	await page.getByLabel('Typ av utkast').selectOption({ label: kindLabel });
	await page.getByRole('button', { name: 'Skapa utkast' }).click();
	await expect(page).toHaveURL(/\/utkast\//);
	await expect(page.getByText('Sparat')).toBeVisible();
	return new URL(page.url()).pathname;
}

/**
 * Playwright's offline mode leaves open WebSockets alone, so the sync socket is routed through the
 * test: going offline drops it (and refuses new ones) the way a lost network does, besides failing
 * HTTP.
 */
async function cuttableSync(context: BrowserContext) {
	let offline = false;
	const open: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
	await context.routeWebSocket(/\/sync\//, (ws) => {
		if (offline) {
			void ws.close({ code: 4000, reason: 'offline' });
			return;
		}
		open.push({ page: ws, server: ws.connectToServer() });
	});
	return {
		async goOffline() {
			offline = true;
			await context.setOffline(true);
			for (const { page, server } of open.splice(0)) {
				await server.close();
				await page.close({ code: 4000, reason: 'offline' });
			}
		},
		async goOnline() {
			offline = false;
			await context.setOffline(false);
		}
	};
}

function editor(page: Page, name: string) {
	return page.getByRole('textbox', { name, exact: true });
}

async function noSeriousAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('two SD secretaries type into the same yrkande at once and see each other live', async ({ browser }) => {
	const a = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	const b = await userPage(browser, 'politisk.sekreterare.sd@demo.yrka.se');
	const path = await createDraft(a, 'Sverigedemokraterna', 'Yrkande');
	await b.goto(path);
	await expect(b.getByText('Sparat')).toBeVisible();
	await expect(a.getByRole('region', { name: 'Här nu' })).toContainText('Politisk sekreterare SD');
	await expect(b.getByRole('region', { name: 'Här nu' })).toContainText('Partisekreterare SD');

	await a.getByRole('button', { name: `Lägg till punkt ${KS_KF.toLowerCase()}` }).click();
	const pointA = editor(a, `Punkt 1 ${KS_KF.toLowerCase()}`);
	const pointB = editor(b, `Punkt 1 ${KS_KF.toLowerCase()}`);
	await expect(pointB).toBeVisible({ timeout: 1000 });

	// Both type at the same moment, into different parts of the draft.
	await pointA.click();
	await editor(b, 'Yrkandet').click();
	await Promise.all([
		a.keyboard.type('Kommunstyrelsen får i uppdrag att', { delay: 15 }),
		b.keyboard.type('Sverigedemokraterna ställer sig skeptiska', { delay: 15 })
	]);
	await expect(pointB).toContainText('Kommunstyrelsen får i uppdrag att', { timeout: 1000 });
	await expect(editor(a, 'Yrkandet')).toContainText('Sverigedemokraterna ställer sig skeptiska', { timeout: 1000 });

	// Each sees the other's caret, named, in the other's editor.
	await expect(a.locator('.collaboration-carets__label', { hasText: 'Politisk sekreterare SD' })).toBeVisible({
		timeout: 1000
	});
	await expect(b.locator('.collaboration-carets__label', { hasText: 'Partisekreterare SD' })).toBeVisible({
		timeout: 1000
	});

	// Then into the same point at once.
	await pointB.click();
	await b.keyboard.press('End');
	await a.keyboard.press('End');
	await Promise.all([a.keyboard.type(' A-text', { delay: 15 }), b.keyboard.type(' B-text', { delay: 15 })]);
	for (const p of [a, b]) {
		await expect(editor(p, `Punkt 1 ${KS_KF.toLowerCase()}`)).toContainText('A-text', { timeout: 1000 });
		await expect(editor(p, `Punkt 1 ${KS_KF.toLowerCase()}`)).toContainText('B-text', { timeout: 1000 });
	}
	await expect(a.getByText('Sparat')).toBeVisible();
	await expect(b.getByText('Sparat')).toBeVisible();

	// How long one keystroke takes to show in the other browser, for the record.
	const latencies: number[] = [];
	let typed = '';
	for (const mark of 'QWZYX') {
		typed += mark;
		const started = Date.now();
		await a.keyboard.type(mark);
		await expect(pointB).toContainText(typed, { timeout: 1000 });
		latencies.push(Date.now() - started);
	}
	test.info().annotations.push({ type: 'keystroke to other browser (ms)', description: latencies.join(', ') });

	await b.reload();
	await expect(editor(b, `Punkt 1 ${KS_KF.toLowerCase()}`)).toContainText('Kommunstyrelsen får i uppdrag att');
	await expect(editor(b, `Punkt 1 ${KS_KF.toLowerCase()}`)).toContainText('A-text');
	await expect(editor(b, `Punkt 1 ${KS_KF.toLowerCase()}`)).toContainText('B-text');
	await expect(editor(b, 'Yrkandet')).toContainText('Sverigedemokraterna ställer sig skeptiska');
	await noSeriousAxeViolations(b);
});

test("the fixture's SD yrkande is recreated with the keyboard; S cannot see it until it is submitted, then only reads it", async ({
	browser
}) => {
	expect(SD_POINTS).toHaveLength(4);
	expect(SD_YRKANDE.points.every((p) => p.level === 'ks_kf')).toBe(true);
	const sd = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	const s = await userPage(browser, 'sekreterare.s@demo.yrka.se');
	const path = await createDraft(sd, 'Sverigedemokraterna', 'Yrkande');
	await expect(sd.getByLabel('Rubrik')).toHaveValue(`Yrkande angående – ${CASE_TITLE}`);
	await expect(sd.getByLabel('Synlighet')).toHaveText('Internt för SD');

	// Keyboard only: the four points in reverse, then put in order with "Flytta upp"/"Flytta ner".
	const addButton = sd.getByRole('button', { name: `Lägg till punkt ${KS_KF.toLowerCase()}` });
	for (const text of [...SD_POINTS].reverse()) {
		await addButton.focus();
		await sd.keyboard.press('Enter');
		await sd.keyboard.type(text);
	}
	const point = (n: number) => editor(sd, `Punkt ${n} ${KS_KF.toLowerCase()}`);
	await expect(point(1)).toHaveText(SD_POINTS[3]);
	await expect(point(4)).toHaveText(SD_POINTS[0]);
	// The focus stays on the moved point's button, so Enter again moves it further.
	// 4 3 2 1 → (up ×3) 1 4 3 2 → (down ×2) 1 3 2 4 → (up) 1 2 3 4
	await sd.getByRole('button', { name: `Flytta upp punkt 4 ${KS_KF.toLowerCase()}` }).focus();
	for (let i = 0; i < 3; i++) await sd.keyboard.press('Enter');
	await sd.getByRole('button', { name: `Flytta ner punkt 2 ${KS_KF.toLowerCase()}` }).focus();
	await sd.keyboard.press('Enter');
	await sd.keyboard.press('Enter');
	await sd.getByRole('button', { name: `Flytta upp punkt 3 ${KS_KF.toLowerCase()}` }).focus();
	await sd.keyboard.press('Enter');
	for (let n = 1; n <= 4; n++) await expect(point(n)).toHaveText(SD_POINTS[n - 1]);

	await editor(sd, 'Yrkandet').focus();
	for (const [i, paragraph] of SD_MOTIVATION.entries()) {
		if (i > 0) await sd.keyboard.press('Enter');
		// Long paragraphs go in as typed text in one piece; the points above were typed key by key.
		await sd.keyboard.insertText(paragraph);
	}
	await expect(sd.getByText('Sparat')).toBeVisible();
	await noSeriousAxeViolations(sd);

	// S: not in the case's list, not by address, not in SD's workspace.
	const caseBase = await caseUrl(s);
	await expect(s.getByRole('heading', { name: 'Inlämnade yrkanden och yttranden' })).toBeVisible();
	await expect(s.locator(`a[href="${path}"]`)).toHaveCount(0);
	await s.goto(path);
	await expect(s.getByText('Utkastet hittades inte.')).toBeVisible();
	await s.goto(`${caseBase}/parti/SD`);
	await expect(s.getByText('Arbetsytan hittades inte.')).toBeVisible();

	await sd.getByRole('button', { name: 'Lämna in' }).click();
	await expect(sd.getByLabel('Synlighet')).toHaveText('Inlämnat');

	await s.goto(caseBase);
	await expect(s.locator(`a[href="${path}"]`)).toHaveText(`Yrkande: Yrkande angående – ${CASE_TITLE}`);
	await noSeriousAxeViolations(s);
	await s.locator(`a[href="${path}"]`).click();
	const doc = s.getByRole('article', { name: `Yrkande angående – ${CASE_TITLE}` });
	await expect(doc).toBeVisible();
	await expect(doc.getByRole('listitem')).toHaveText(SD_POINTS);
	await expect(doc).toContainText(`${KS_KF}:`);
	await expect(doc.getByRole('paragraph')).toContainText(SD_MOTIVATION);
	await expect(doc.getByRole('textbox')).toHaveCount(0);
	await expect(s.getByRole('button', { name: 'Lämna in' })).toHaveCount(0);
	await noSeriousAxeViolations(s);
});

test('a joint M, D, L, KD yttrande is written by a secretary of each of the four; C cannot see it', async ({
	browser
}) => {
	const m = await userPage(browser, 'sekreterare.m@demo.yrka.se');
	const path = await createDraft(m, 'Moderaterna', 'Yttrande');
	await expect(m.getByLabel('Synlighet')).toHaveText('Internt för M');
	for (const name of ['Demokraterna (D)', 'Liberalerna (L)', 'Kristdemokraterna (KD)']) {
		await m.getByRole('checkbox', { name }).check();
	}
	await m.getByRole('button', { name: 'Dela med valda partier' }).click();
	await expect(m.getByLabel('Synlighet')).toHaveText('Delat med M, D, L, KD');
	await editor(m, 'Yttrandet').click();
	await m.keyboard.type('I kommunfullmäktige reserverade vi oss.');

	const cosigners: Page[] = [];
	for (const party of ['D', 'L', 'KD']) {
		const p = await userPage(browser, `sekreterare.${party.toLowerCase()}@demo.yrka.se`);
		cosigners.push(p);
		await p.goto(path);
		await expect(p.getByLabel('Synlighet')).toHaveText('Delat med M, D, L, KD');
		const body = editor(p, 'Yttrandet');
		await expect(body).toContainText('I kommunfullmäktige reserverade vi oss.');
		await body.click();
		await p.keyboard.press('ControlOrMeta+End');
		await p.keyboard.type(` Text från ${party}.`);
		await expect(editor(m, 'Yttrandet')).toContainText(`Text från ${party}.`);
	}

	// Submitting needs each co-signer's approval of the text as it now reads.
	await m.getByRole('button', { name: 'Lämna in' }).click();
	await expect(m.getByRole('alert')).toContainText('Godkännande saknas från D, L, KD');
	for (const [i, party] of ['D', 'L', 'KD'].entries()) {
		const p = cosigners[i];
		await expect(p.getByText('Sparat')).toBeVisible();
		await p.getByRole('button', { name: `Godkänn för ${party}` }).click();
		await expect(p.getByText(`Godkänt av Partisekreterare ${party}`)).toBeVisible();
		await p.context().close();
	}

	const c = await userPage(browser, 'sekreterare.c@demo.yrka.se');
	await c.goto(path);
	await expect(c.getByText('Utkastet hittades inte.')).toBeVisible();
	await caseUrl(c);
	await expect(c.locator(`a[href="${path}"]`)).toHaveCount(0);
	await c.getByRole('link', { name: 'Arbetsyta för Centerpartiet' }).click();
	await expect(c.getByRole('heading', { name: 'Partiets utkast' })).toBeVisible();
	await expect(c.locator(`a[href="${path}"]`)).toHaveCount(0);

	await m.reload();
	await m.getByRole('button', { name: 'Lämna in' }).click();
	await expect(m.getByLabel('Synlighet')).toHaveText('Inlämnat');
	await c.goto(path);
	await expect(c.getByRole('article')).toContainText('Text från KD.');
});

test('a context that goes offline mid-edit keeps its edits and merges them on reconnect', async ({ browser }) => {
	const a = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	const b = await userPage(browser, 'politisk.sekreterare.sd@demo.yrka.se');
	const network = await cuttableSync(b.context());
	const path = await createDraft(a, 'Sverigedemokraterna', 'Yttrande');
	await b.goto(path);
	await editor(b, 'Yttrandet').click();
	await b.keyboard.type('Före avbrottet.');
	await expect(editor(a, 'Yttrandet')).toContainText('Före avbrottet.');

	await network.goOffline();
	await expect(b.getByText('Offline')).toBeVisible();
	await b.keyboard.press('Enter');
	await b.keyboard.type('Skrivet offline.');
	await editor(a, 'Yttrandet').click();
	await a.keyboard.press('ControlOrMeta+End');
	await a.keyboard.type(' Skrivet under tiden.');
	await a.waitForTimeout(500);
	await expect(editor(a, 'Yttrandet')).not.toContainText('Skrivet offline.');
	await expect(editor(b, 'Yttrandet')).toContainText('Skrivet offline.');

	await network.goOnline();
	for (const p of [a, b]) {
		await expect(editor(p, 'Yttrandet')).toContainText('Före avbrottet. Skrivet under tiden.', { timeout: 15_000 });
		await expect(editor(p, 'Yttrandet')).toContainText('Skrivet offline.', { timeout: 15_000 });
	}
	await expect(b.getByText('Sparat')).toBeVisible({ timeout: 15_000 });
	await a.reload();
	await expect(editor(a, 'Yttrandet')).toContainText('Skrivet offline.');
});

test('the browser going offline shows Offline at once, without waiting for the socket to time out', async ({
	browser
}) => {
	const a = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	const b = await userPage(browser, 'politisk.sekreterare.sd@demo.yrka.se');
	const path = await createDraft(a, 'Sverigedemokraterna', 'Yttrande');
	await b.goto(path);
	await expect(b.getByText('Sparat')).toBeVisible();
	// Only the browser's offline event: the open socket is left alone, as when a laptop's Wi-Fi drops and
	// the socket would otherwise hang until its timeout.
	await b.context().setOffline(true);
	await expect(b.getByText('Offline')).toBeVisible({ timeout: 5_000 });
	await editor(b, 'Yttrandet').click();
	await b.keyboard.type('Skrivet utan nät.');
	await b.context().setOffline(false);
	await expect(editor(a, 'Yttrandet')).toContainText('Skrivet utan nät.', { timeout: 15_000 });
	await expect(b.getByText('Sparat')).toBeVisible({ timeout: 15_000 });
});

test('points are reordered by dragging, and the workspace lists drafts with their visibility', async ({ browser }) => {
	const sd = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	await createDraft(sd, 'Sverigedemokraterna', 'Tilläggsyrkande');
	for (const text of ['Första', 'Andra', 'Tredje']) {
		await sd.getByRole('button', { name: 'Lägg till punkt i kommunstyrelsen', exact: true }).click();
		await sd.keyboard.type(text);
	}
	const point = (n: number) => editor(sd, `Punkt ${n} i kommunstyrelsen`);
	// Dropped on the upper half of point 1: it goes before it.
	await sd
		.getByRole('button', { name: 'Dra för att flytta punkt 3 i kommunstyrelsen' })
		.dragTo(sd.locator('li', { has: point(1) }), { targetPosition: { x: 5, y: 3 } });
	await expect(point(1)).toHaveText('Tredje');
	await expect(point(2)).toHaveText('Första');
	await expect(point(3)).toHaveText('Andra');

	await sd.getByRole('link', { name: 'Arbetsyta SD' }).click();
	const row = sd.getByRole('row', { name: /Tilläggsyrkande/ });
	await expect(row).toContainText('Utkast');
	await expect(row).toContainText('Internt för SD');
	await noSeriousAxeViolations(sd);
});
