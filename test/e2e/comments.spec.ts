import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { login } from './support';

/**
 * Issue 8 in the browser: a member comments on a sentence while the secretaries edit; the comment
 * reaches the secretary live, its highlight stays on the words through edits around them, the
 * quote survives the words, and what anyone types is shown as text.
 */

const CASE_TITLE = 'Budget 2025 för kommunstyrelsen';
const WORDS = 'ställa krav på individens eget ansvar';
const MOTIVATION = `Sverigedemokraterna ställer sig skeptiska till delar av budgeten. Kommunen ska ${WORDS} i alla verksamheter. Resten av texten.`;
const SCRIPT = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

async function userPage(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	page.on('dialog', (d) => void d.accept());
	await login(page, email);
	return page;
}

function motivation(page: Page) {
	return page.getByRole('textbox', { name: 'Yrkandet', exact: true });
}

/** The motivation's text without the other users' carets, whose labels sit inside the text. */
function plainText(page: Page): Promise<string> {
	return motivation(page).evaluate((el) => {
		const copy = el.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
		return copy.textContent ?? '';
	});
}

/** Selects `words` in the editor through the DOM, as a mouse drag over them would. */
async function select(page: Page, words: string) {
	// An editable ProseMirror takes over a DOM selection only while it has the focus.
	await motivation(page).focus();
	await motivation(page).evaluate((el, w) => {
		const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const i = n.textContent!.indexOf(w);
			if (i < 0) continue;
			const range = document.createRange();
			range.setStart(n, i);
			range.setEnd(n, i + w.length);
			getSelection()!.removeAllRanges();
			getSelection()!.addRange(range);
			return;
		}
		throw new Error(`"${w}" not found`);
	}, words);
	await settle(page);
}

/** ProseMirror takes a DOM selection over on the next selectionchange event; wait for it. */
async function settle(page: Page) {
	await page.evaluate(
		() => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => r())), 30))
	);
}

/**
 * Puts the caret just before or just after `words` (through the DOM, as a click there would), then
 * types. A remote edit that re-renders the text between the DOM selection and ProseMirror reading it
 * leaves ProseMirror's own caret in place; the caret is checked against the editor and placed again.
 */
async function typeAround(page: Page, words: string, side: 'before' | 'after', text: string) {
	for (let attempt = 1; ; attempt++) {
		await motivation(page).focus();
		await motivation(page).evaluate(
			(el, [w, s]) => {
				const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					const i = n.textContent!.indexOf(w);
					if (i < 0) continue;
					const range = document.createRange();
					range.setStart(n, s === 'before' ? i : i + w.length);
					range.collapse(true);
					getSelection()!.removeAllRanges();
					getSelection()!.addRange(range);
					return;
				}
				throw new Error(`"${w}" not found`);
			},
			[words, side] as const
		);
		await settle(page);
		const placed = await motivation(page).evaluate(
			(el, [w, s]) => {
				// Tiptap keeps its editor on the editable element.
				const view = (el as HTMLElement & { editor?: { view: import('@tiptap/pm/view').EditorView } }).editor?.view;
				if (!view) throw new Error('no editor view');
				const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					const i = n.textContent!.indexOf(w);
					if (i < 0) continue;
					const { selection } = view.state;
					return selection.empty && selection.from === view.posAtDOM(n, s === 'before' ? i : i + w.length);
				}
				return false;
			},
			[words, side] as const
		);
		if (placed) break;
		if (attempt === 5) throw new Error(`the caret did not stay ${side} "${words}"`);
	}
	await page.keyboard.type(text, { delay: 20 });
}

test('a member comments on a sentence while the secretaries edit; the highlight keeps to the words', async ({
	browser
}) => {
	const sec = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	const pol = await userPage(browser, 'politisk.sekreterare.sd@demo.yrka.se');
	const member = await userPage(browser, 'daniel.strand@demo.yrka.se');

	// The secretary starts an yrkande and writes the motivation.
	await sec.getByRole('link', { name: CASE_TITLE }).click();
	await sec.getByRole('link', { name: 'Arbetsyta för Sverigedemokraterna' }).click();
	await sec.getByLabel('Typ av utkast').selectOption({ label: 'Yrkande' });
	await sec.getByRole('button', { name: 'Skapa utkast' }).click();
	await expect(sec).toHaveURL(/\/utkast\//);
	const path = new URL(sec.url()).pathname;
	await motivation(sec).click();
	await sec.keyboard.insertText(MOTIVATION);
	await expect(sec.getByText('Sparat')).toBeVisible();

	// The member reads it live, and may not edit it.
	await member.goto(path);
	await expect(motivation(member)).toContainText(WORDS);
	await expect(motivation(member)).toHaveAttribute('aria-readonly', 'true');
	await pol.goto(path);
	await expect(motivation(pol)).toContainText(WORDS);

	// The secretary keeps typing at the end while the member selects the sentence and comments.
	await motivation(sec).click();
	await sec.keyboard.press('Control+End');
	const typing = sec.keyboard.type(' Ännu en mening skrivs medan ledamoten kommenterar.', { delay: 40 });
	await select(member, WORDS);
	const panel = member.getByRole('region', { name: 'Kommentarer' });
	await expect(panel.getByLabel('Markerad text')).toHaveText(`”${WORDS}”`);
	await panel.getByLabel('Ny kommentar').fill('Ska vi verkligen skriva så här?');
	await panel.getByRole('button', { name: 'Kommentera markerad text' }).click();
	const sent = Date.now();
	await expect(sec.getByRole('article').filter({ hasText: 'Ska vi verkligen skriva så här?' })).toBeVisible({
		timeout: 1000
	});
	const shownAfter = Date.now() - sent;
	test.info().annotations.push({ type: 'comment shown to the secretary after (ms)', description: String(shownAfter) });
	await typing;
	await expect(sec.getByText('Sparat')).toBeVisible();

	// Highlighted on the same words everywhere; the secretary's thread quotes them.
	for (const p of [sec, pol, member]) {
		await expect(p.locator('.comment-anchor')).toHaveText(WORDS);
	}
	const secThread = sec.getByRole('article').filter({ hasText: 'Ska vi verkligen skriva så här?' });
	await expect(secThread).toContainText(`”${WORDS}”`);
	await expect(secThread).toContainText('Internt för SD');

	// Two secretaries type at once right before, right after, and away from the words.
	await Promise.all([
		(async () => {
			await typeAround(sec, WORDS, 'before', 'noggrant ');
			await typeAround(sec, WORDS, 'after', ' och tydligt');
		})(),
		typeAround(pol, 'Sverigedemokraterna ställer', 'before', 'Inledning: ')
	]);
	for (const p of [sec, pol, member]) {
		await expect.poll(() => plainText(p)).toContain(`noggrant ${WORDS} och tydligt`);
		await expect.poll(() => plainText(p)).toContain('Inledning: Sverigedemokraterna');
		await expect(p.locator('.comment-anchor')).toHaveText(WORDS);
	}

	// Clicking the quote shows the words in the text.
	await secThread.getByRole('button', { name: `”${WORDS}”` }).click();
	await expect(sec.locator('.comment-anchor-active')).toHaveText(WORDS);
	await expect(sec.locator('.comment-anchor-active')).toBeInViewport();

	// The secretary answers; the member sees the reply live and is notified.
	await secThread.getByRole('button', { name: 'Svara' }).click();
	await secThread.getByLabel('Svar').fill('Ja, det står i vårt program.');
	await secThread.getByRole('button', { name: 'Svara' }).click();
	const memberThread = member.getByRole('article').filter({ hasText: 'Ska vi verkligen skriva så här?' });
	await expect(memberThread).toContainText('Ja, det står i vårt program.', { timeout: 1000 });
	await member.getByRole('button', { name: /Aviseringar.*olästa/ }).click();
	await expect(member.getByRole('region', { name: 'Aviseringar' }).getByRole('link').first()).toContainText(
		'Partisekreterare SD svarade'
	);
	await expect(member.getByRole('region', { name: 'Aviseringar' }).getByRole('link').first()).toContainText(
		'Ja, det står i vårt program.'
	);
	await member.keyboard.press('Escape');

	// The words are deleted: the comment stays with its quote and says so.
	await select(sec, WORDS);
	await sec.keyboard.press('Backspace');
	await expect(motivation(member)).not.toContainText(WORDS);
	await expect(memberThread).toContainText('Texten har tagits bort');
	await expect(memberThread).toContainText(`”${WORDS}”`);
	await expect(member.locator('.comment-anchor')).toHaveCount(0);

	const axe = await new AxeBuilder({ page: member }).analyze();
	const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('script in a comment and a mention is shown as text, in the thread and in the notifications', async ({
	browser
}) => {
	const sec = await userPage(browser, 'sekreterare.sd@demo.yrka.se');
	const member = await userPage(browser, 'malin.oberg@demo.yrka.se');
	const other = await userPage(browser, 'anna.lindqvist@demo.yrka.se');

	await sec.getByRole('link', { name: CASE_TITLE }).click();
	await sec.getByRole('link', { name: 'Arbetsyta för Sverigedemokraterna' }).click();
	await sec.getByLabel('Typ av utkast').selectOption({ label: 'Yttrande' });
	await sec.getByRole('button', { name: 'Skapa utkast' }).click();
	await expect(sec).toHaveURL(/\/utkast\//);
	const path = new URL(sec.url()).pathname;

	await member.goto(path);
	const panel = member.getByRole('region', { name: 'Kommentarer' });
	const field = panel.getByLabel('Ny kommentar');
	// Refused before it is sent: empty, and over 10 000 characters.
	await panel.getByRole('button', { name: 'Kommentera' }).click();
	await expect(panel.getByRole('alert')).toHaveText('Kommentaren får inte vara tom.');
	await field.fill('x'.repeat(10_001));
	await panel.getByRole('button', { name: 'Kommentera' }).click();
	await expect(panel.getByRole('alert')).toHaveText('Kommentaren får vara högst 10 000 tecken.');

	// "@Parti" suggests the party's secretary; the comment carries a script payload.
	await field.fill('');
	await field.pressSequentially('@Parti');
	await panel.getByRole('button', { name: /Partisekreterare SD/ }).click();
	await expect(field).toHaveValue('@Partisekreterare SD ');
	await field.press('End');
	await field.pressSequentially(`titta ${SCRIPT}`);
	await panel.getByRole('button', { name: 'Kommentera' }).click();

	const expected = `@Partisekreterare SD titta ${SCRIPT}`;
	const thread = sec.getByRole('article').filter({ hasText: 'titta' });
	await expect(thread).toContainText(expected, { timeout: 1000 });
	await expect(thread.locator('.mention')).toHaveText('@Partisekreterare SD');
	await expect(thread.locator('img, script')).toHaveCount(0);

	await sec.getByRole('button', { name: /Aviseringar.*olästa/ }).click();
	const list = sec.getByRole('region', { name: 'Aviseringar' });
	await expect(list.getByRole('link').first()).toContainText(`Malin Öberg nämnde dig i ${CASE_TITLE}`);
	await expect(list.getByRole('link').first()).toContainText(expected);
	await expect(list.locator('img, script')).toHaveCount(0);
	expect(await sec.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
	expect(await member.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

	// Another party sees neither the draft nor anything about the comment.
	await other.goto(path);
	await expect(other.getByText('Utkastet hittades inte.')).toBeVisible();
	await expect(other.getByRole('button', { name: 'Aviseringar', exact: true })).toBeVisible();
	await other.getByRole('button', { name: 'Aviseringar', exact: true }).click();
	await expect(other.getByRole('region', { name: 'Aviseringar' })).toContainText('Inga aviseringar.');
});

test('baseline items are commented on the case page: public comments reach other parties live, internal ones do not', async ({
	browser
}) => {
	const s = await userPage(browser, 'anna.lindqvist@demo.yrka.se');
	const sd = await userPage(browser, 'malin.oberg@demo.yrka.se');
	for (const p of [s, sd]) {
		await p.getByRole('link', { name: CASE_TITLE }).click();
		await expect(p.getByRole('heading', { name: 'Förslag till beslut' })).toBeVisible();
	}
	const toggle = (p: Page) => p.getByRole('button', { name: /^Kommentarer.* till punkt 1$/ });
	await toggle(s).click();
	const composer = s.locator('form').filter({ has: s.getByLabel('Kommentar till punkt 1') });
	await s.getByLabel('Kommentar till punkt 1').fill('S: internt om punkt 1');
	await expect(composer.getByRole('radio', { name: 'Internt för S' })).toBeChecked();
	await composer.getByRole('button', { name: 'Kommentera' }).click();
	await expect(s.getByRole('article').filter({ hasText: 'S: internt om punkt 1' })).toContainText('Internt för S');

	await s.getByLabel('Kommentar till punkt 1').fill('S: offentligt om punkt 1');
	await composer.getByRole('radio', { name: 'Offentligt i nämnden' }).check();
	await composer.getByRole('button', { name: 'Kommentera' }).click();
	const sent = Date.now();
	// SD sees the public one appear without reloading, and never the internal one.
	await expect(toggle(sd)).toHaveAccessibleName(/Kommentarer \(1\), 1 nya/, { timeout: 1000 });
	test.info().annotations.push({
		type: 'public baseline comment shown to SD after (ms)',
		description: String(Date.now() - sent)
	});
	await toggle(sd).click();
	await expect(sd.getByRole('article').filter({ hasText: 'S: offentligt om punkt 1' })).toContainText(
		'Offentligt i nämnden'
	);
	await expect(sd.getByText('S: internt om punkt 1')).toHaveCount(0);
	await expect(toggle(sd)).toHaveAccessibleName(/^Kommentarer \(1\) till punkt 1$/);
});
