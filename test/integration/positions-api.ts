import { demoClerk, demoEmail, demoSecretary, DEMO_PASSWORD } from '../../server/seed/demo-data';
import type { TestServer } from '../support/server';
import { eventIds, pumpSse } from '../support/sse';

/**
 * The positions and meeting API of the demo case as people of the demo board use it: each call is
 * made as a named person (a member by name, "sekreterare:SD", or "clerk"), logged in once.
 */

export const CLERK = 'clerk';
export const secretaryOf = (partyId: string) => `sekreterare:${partyId}`;

export interface Reply {
	status: number;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export interface PositionsView {
	members: { id: string; name: string; partyId: string; seat: string }[];
	targets: {
		baseline: { points: { id: string; label: string }[] };
		yrkanden: { id: string; partyIds: string[]; points: { id: string; label: string }[] }[];
		statements: { id: string; kind: string; partyIds: string[] }[];
	};
	positions: {
		id: string;
		memberId: string;
		memberName: string;
		kind: string;
		stage: string;
		publishedAt: string | null;
		targetLabel: string;
		recordedBy: string | null;
	}[];
}

export class DemoCase {
	private readonly cookies = new Map<string, string>();
	private view?: PositionsView;

	constructor(
		readonly server: TestServer,
		readonly caseId: string
	) {}

	private email(who: string): string {
		if (who === CLERK) return demoClerk.email;
		if (who.startsWith('sekreterare:')) return demoSecretary(who.slice('sekreterare:'.length)).email;
		return demoEmail(who);
	}

	async cookie(who: string): Promise<string> {
		let c = this.cookies.get(who);
		if (!c) {
			c = await this.server.login(this.email(who), DEMO_PASSWORD);
			this.cookies.set(who, c);
		}
		return c;
	}

	async call(who: string, method: string, path: string, json?: unknown): Promise<Reply> {
		const res = await this.server.fetch(`/api/cases/${this.caseId}${path}`, {
			method,
			cookie: await this.cookie(who),
			json
		});
		const text = await res.text();
		return { status: res.status, body: text ? JSON.parse(text) : null };
	}

	/** The case as the clerk sees it: members, targets. Loaded once. */
	async known(): Promise<PositionsView> {
		this.view ??= (await this.call(CLERK, 'GET', '/positions')).body as PositionsView;
		return this.view;
	}

	async memberId(name: string): Promise<string> {
		const m = (await this.known()).members.find((x) => x.name === name);
		if (!m) throw new Error(`no member ${name}`);
		return m.id;
	}

	async baselinePoint(label: string): Promise<string> {
		const p = (await this.known()).targets.baseline.points.find((x) => x.label === label);
		if (!p) throw new Error(`no baseline point ${label}`);
		return p.id;
	}

	async yrkande(partyId: string) {
		const y = (await this.known()).targets.yrkanden.find((x) => x.partyIds.join(',') === partyId);
		if (!y) throw new Error(`no yrkande of ${partyId}`);
		return y;
	}

	async statement(parties: string): Promise<string> {
		const s = (await this.known()).targets.statements.find((x) => x.partyIds.join(',') === parties);
		if (!s) throw new Error(`no statement of ${parties}`);
		return s.id;
	}

	/** Records a position of `member` as `who` (the member unless said). */
	async record(member: string, position: Record<string, unknown>, who = member): Promise<Reply> {
		return this.call(who, 'POST', '/positions', {
			stage: 'recorded',
			memberId: await this.memberId(member),
			...position
		});
	}

	async positionsSeenBy(who: string): Promise<PositionsView['positions']> {
		return ((await this.call(who, 'GET', '/positions')).body as PositionsView).positions;
	}
}

/** The board as the fixture's meeting took the item up: Louise Hedlund (M) absent, Birgitta Ålund (KD) serving. */
export async function fixtureAttendance(demo: DemoCase) {
	const { members } = await demo.known();
	const entries = await Promise.all(
		members.map(async (m) => {
			if (m.name === 'Louise Hedlund') return { memberId: m.id, attendance: 'absent' };
			if (m.name === 'Birgitta Ålund')
				return { memberId: m.id, attendance: 'serving', replacesMemberId: await demo.memberId('Louise Hedlund') };
			if (m.seat === 'ledamot') return { memberId: m.id, attendance: 'serving' };
			if (m.name === 'Jonas Fält') return { memberId: m.id, attendance: 'present' };
			return { memberId: m.id, attendance: 'absent' };
		})
	);
	return entries;
}

export const S = ['Anna Lindqvist', 'Mikael Ekström', 'Sara Holmberg', 'Johan Berglund'];
export const V = ['Elin Sandberg', 'Ahmed Karimi'];
export const MP = ['Karin Vik'];
export const SD = ['Daniel Strand', 'Malin Öberg'];
/** Those of M, D, L and KD who serve on the item: Per Åkesson (M), Cecilia Forsberg (D), Fredrik Nyström (L), Birgitta Ålund (KD). */
export const OUT = [
	['Per Åkesson', 'M'],
	['Cecilia Forsberg', 'D'],
	['Fredrik Nyström', 'L'],
	['Birgitta Ålund', 'KD']
] as const;

/** A date some days from today, as YYYY-MM-DD. */
export function daysFromNow(days: number): string {
	return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The live events of the case as one person's open page receives them. */
export class LiveListener {
	readonly events: { event: string; ids: string[] }[] = [];
	private readonly ctrl = new AbortController();
	private pump: Promise<void> = Promise.resolve();

	static async open(demo: DemoCase, who: string): Promise<LiveListener> {
		const l = new LiveListener();
		const res = await demo.server.fetch(`/api/cases/${demo.caseId}/live`, {
			cookie: await demo.cookie(who),
			signal: l.ctrl.signal
		});
		if (res.status !== 200) throw new Error(`live: ${res.status}`);
		let ready: () => void = () => {};
		const isReady = new Promise<void>((r) => (ready = r));
		l.pump = pumpSse(res.body!, (e) => {
			if (e.event === 'ready') ready();
			else l.events.push({ event: e.event, ids: eventIds(e) });
		});
		await isReady;
		return l;
	}

	topics(): string[] {
		return this.events.map((e) => e.event);
	}

	/** Waits until an event of the topic has arrived, or the time is up. */
	async waitFor(topic: string, ms = 2000): Promise<boolean> {
		const until = Date.now() + ms;
		while (Date.now() < until) {
			if (this.events.some((e) => e.event === topic)) return true;
			await new Promise((r) => setTimeout(r, 20));
		}
		return false;
	}

	async close(): Promise<void> {
		this.ctrl.abort();
		await this.pump;
	}
}
