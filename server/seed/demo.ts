import { count } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { bodies, cases, draftSignatories, memberships, parties, users } from '../../db/schema';
import { hashPassword, type ScryptParams } from '../auth/password';
import { newId } from '../ids';
import { DEMO_SOURCE_NAME, readDemoSource } from '../import/demo-source';
import { partyDocumentData } from '../import/party-documents';
import { importBaseline } from '../import/store';
import { recordSubmittedDraft } from '../commands/drafts-seed';
import {
	DEMO_PASSWORD,
	demoBody,
	demoCase,
	demoClerk,
	demoEmail,
	demoMembers,
	demoParties,
	demoPoliticalSecretary,
	demoSecretary,
	demoSignatories
} from './demo-data';

export interface DemoLogin {
	email: string;
	name: string;
	role: string;
	partyId: string | null;
}

export interface SeedResult {
	seeded: boolean;
	caseId?: string;
	logins: DemoLogin[];
}

/** Every demo login, for printing at start and in the README. */
export function demoLogins(): DemoLogin[] {
	return [
		{ email: demoClerk.email, name: demoClerk.name, role: 'Nämndsekreterare', partyId: null },
		...demoParties.map((p) => ({ ...demoSecretary(p.id), role: 'Partisekreterare', partyId: p.id })),
		...demoParties.map((p) => ({ ...demoPoliticalSecretary(p.id), role: 'Politisk sekreterare', partyId: p.id })),
		...demoMembers.map(([partyId, seat, name]) => ({
			email: demoEmail(name),
			name,
			role: seat === 'ledamot' ? 'Ledamot' : 'Ersättare',
			partyId
		}))
	];
}

/**
 * Seeds the demo once: when the database has no body yet. All in one transaction, so a crash midway
 * leaves an empty database that is seeded again at the next start.
 */
export async function seedDemo(db: Db, opts: { scrypt?: ScryptParams } = {}): Promise<SeedResult> {
	const [{ n }] = await db.select({ n: count() }).from(bodies);
	if (n > 0) return { seeded: false, logins: demoLogins() };

	// One hash for the shared demo password: hashing 36 accounts one by one would slow the first start.
	const passwordHash = await hashPassword(DEMO_PASSWORD, opts.scrypt);
	const caseId = newId();

	await db.transaction(async (tx) => {
		await tx.insert(parties).values(demoParties.map((p, i) => ({ ...p, sortOrder: i })));
		await tx.insert(bodies).values(demoBody);

		const clerkId = newId();
		await tx.insert(users).values({ id: clerkId, ...demoClerk, passwordHash });
		await tx.insert(memberships).values({ userId: clerkId, bodyId: demoBody.id, role: 'clerk' });

		const secretaryOf = new Map<string, string>();
		for (const p of demoParties) {
			for (const who of [demoSecretary(p.id), demoPoliticalSecretary(p.id)]) {
				const id = newId();
				if (!secretaryOf.has(p.id)) secretaryOf.set(p.id, id);
				await tx.insert(users).values({ id, ...who, passwordHash });
				await tx.insert(memberships).values({ userId: id, bodyId: demoBody.id, role: 'secretary', partyId: p.id });
			}
		}

		let seatOrder = 0;
		const memberIds = new Map<string, { id: string; partyId: string }>();
		for (const [partyId, seat, name] of demoMembers) {
			const id = newId();
			memberIds.set(name, { id, partyId });
			await tx.insert(users).values({ id, name, email: demoEmail(name), passwordHash });
			await tx
				.insert(memberships)
				.values({ userId: id, bodyId: demoBody.id, role: 'member', partyId, seat, seatOrder: seatOrder++ });
		}

		await tx.insert(cases).values({ id: caseId, bodyId: demoBody.id, ...demoCase, status: 'scheduled' });
		// The case's documents, imported and published as its baseline like a clerk would.
		const imported = await importBaseline(tx, caseId, {
			sourceName: DEMO_SOURCE_NAME,
			sourceKind: 'text',
			text: await readDemoSource(),
			userId: clerkId,
			publish: true
		});
		// The party documents printed with the case (C's yttrande, the M, D, L, KD yttrande, SD's
		// yrkande) were submitted before the meeting: they are submitted drafts of those parties.
		for (const document of partyDocumentData(imported.parsed)) {
			const draftId = await recordSubmittedDraft(tx, {
				caseId,
				document,
				secretaryOf: (p) => secretaryOf.get(p) ?? null
			});
			// The members who sign it, under their parties, as the document ends.
			const signers = (demoSignatories[document.parties.join(',')] ?? []).map((name) => {
				const m = memberIds.get(name);
				if (!m || !document.parties.includes(m.partyId)) throw new Error(`demo signatory ${name} is no member here`);
				return m;
			});
			if (signers.length > 0) {
				await tx
					.insert(draftSignatories)
					.values(signers.map((m, position) => ({ draftId, userId: m.id, partyId: m.partyId, position })));
			}
		}
	});

	return { seeded: true, caseId, logins: demoLogins() };
}
