import { inArray } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { draftKinds, users } from '../../../db/schema';
import {
	approveDraft,
	createDraft,
	currentDigest,
	inviteCosigners,
	latestVersion,
	listReadableDrafts,
	partyInfos,
	removeCosigner,
	revokeApproval,
	submitDraft,
	withdrawDraft,
	type CommandContext
} from '../../commands/drafts';
import { draftThing, loadReadableDraft, type DraftRow } from '../../commands/drafts-access';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { can } from '../../policies';
import { draftDocName, draftKindInfo, presentDraftDetail, presentDraftSummary } from '../../presenters/draft';
import {
	approvalSchema,
	createDraftSchema,
	draftIdParam,
	draftPartyParam,
	inviteSchema,
	listDraftsQuery,
	signatoriesSchema
} from './schema';
import { setSignatories, signatoriesView } from './signatories';

function commandContext(c: Context<AppEnv>): CommandContext {
	const deps = c.get('deps');
	return { db: deps.db, docs: deps.sync, user: requireUser(c), ip: c.get('clientIp') };
}

/**
 * The live title and time of the last edit, from the sync server's projections, which follow every
 * edit; the row's title is set at create and submit, its time at lifecycle changes only.
 */
async function liveState(
	c: Context<AppEnv>,
	draftIds: string[]
): Promise<Map<string, { title?: string; updatedAt: Date }>> {
	const out = new Map<string, { title?: string; updatedAt: Date }>();
	if (draftIds.length === 0) return out;
	const projections = await c.get('deps').sync.readProjections(draftIds.map(draftDocName));
	for (const id of draftIds) {
		const p = projections.get(draftDocName(id));
		if (!p) continue;
		const title = (p.content as { title?: unknown } | null)?.title;
		out.set(id, {
			title: typeof title === 'string' && title.trim() ? title.trim() : undefined,
			updatedAt: p.updatedAt
		});
	}
	return out;
}

/** The row with what the live document says now, for drafts still being written. */
function withLive(row: DraftRow, live: { title?: string; updatedAt: Date } | undefined): DraftRow {
	if (!live || (row.status !== 'draft' && row.status !== 'shared')) return row;
	return {
		...row,
		title: live.title ?? row.title,
		updatedAt: live.updatedAt > row.updatedAt ? live.updatedAt : row.updatedAt
	};
}

async function detail(c: Context<AppEnv>, draftId: string) {
	const user = requireUser(c);
	const { db, sync } = c.get('deps');
	const d = await loadReadableDraft(db, user, draftId);
	const thing = draftThing(d);
	const open = d.draft.status === 'draft' || d.draft.status === 'shared';
	const ownerSecretary = can(user, 'submit', { ...thing, partyIds: [d.draft.ownerPartyId] });
	const approvedBy = d.parties.map((p) => p.approvedBy).filter((u): u is string => !!u);
	const names = approvedBy.length
		? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, approvedBy))
		: [];
	const needsDigest = d.draft.status === 'shared' && d.parties.some((p) => p.approvedDigest);
	const version =
		d.draft.status === 'submitted' || d.draft.status === 'withdrawn' ? await latestVersion(db, d.draft.id) : null;
	const live = (await liveState(c, [d.draft.id])).get(d.draft.id);
	const body = presentDraftDetail({
		row: withLive(d.draft, live),
		partyRows: d.parties,
		parties: await partyInfos(db),
		approverNames: new Map(names.map((n) => [n.id, n.name])),
		currentDigest: needsDigest ? await currentDigest(sync, d) : null,
		version,
		viewer: {
			canEdit: can(user, 'edit', thing),
			canManage: ownerSecretary && open,
			canSubmit: ownerSecretary && open,
			canWithdraw: ownerSecretary && d.draft.status === 'submitted',
			approvableParties: d.parties
				.filter((p) => p.role === 'cosigner' && can(user, 'submit', { ...thing, partyIds: [p.partyId] }))
				.map((p) => p.partyId)
		}
	});
	return {
		...body,
		case: {
			id: d.draft.caseId,
			title: d.caseTitle,
			caseNumber: d.caseNumber,
			bodyName: d.bodyName,
			meetingDate: d.meetingDate,
			agendaNumber: d.agendaNumber
		}
	};
}

export const draftRoutes = new Hono<AppEnv>()
	.get('/', validate('query', listDraftsQuery), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const found = await listReadableDrafts(db, user, c.req.valid('query'));
		const live = await liveState(
			c,
			found.filter((f) => f.draft.status === 'draft' || f.draft.status === 'shared').map((f) => f.draft.id)
		);
		return c.json({
			drafts: found
				.map(({ draft, parties }) => presentDraftSummary(withLive(draft, live.get(draft.id)), parties))
				.sort((x, y) => y.updatedAt.localeCompare(x.updatedAt)),
			kinds: draftKinds.map((id) => ({ id, label: draftKindInfo[id].label }))
		});
	})
	.post('/', validate('json', createDraftSchema), async (c) => {
		const id = await createDraft(commandContext(c), c.req.valid('json'));
		return c.json(await detail(c, id), 201);
	})
	.get('/:draftId', validate('param', draftIdParam), async (c) => {
		return c.json(await detail(c, c.req.valid('param').draftId));
	})
	.post('/:draftId/cosigners', validate('param', draftIdParam), validate('json', inviteSchema), async (c) => {
		const { draftId } = c.req.valid('param');
		await inviteCosigners(commandContext(c), draftId, c.req.valid('json').partyIds);
		return c.json(await detail(c, draftId));
	})
	.delete('/:draftId/cosigners/:partyId', validate('param', draftPartyParam), async (c) => {
		const { draftId, partyId } = c.req.valid('param');
		const ctx = commandContext(c);
		await removeCosigner(ctx, draftId, partyId);
		// A party that left can no longer read the draft: answer without it.
		const stillReadable = await loadReadableDraft(ctx.db, ctx.user, draftId).then(
			() => true,
			() => false
		);
		return stillReadable ? c.json(await detail(c, draftId)) : c.json({ left: true });
	})
	.post('/:draftId/approval', validate('param', draftIdParam), validate('json', approvalSchema), async (c) => {
		const { draftId } = c.req.valid('param');
		await approveDraft(commandContext(c), draftId, c.req.valid('json').partyId);
		return c.json(await detail(c, draftId));
	})
	.delete('/:draftId/approval/:partyId', validate('param', draftPartyParam), async (c) => {
		const { draftId, partyId } = c.req.valid('param');
		await revokeApproval(commandContext(c), draftId, partyId);
		return c.json(await detail(c, draftId));
	})
	.get('/:draftId/signatories', validate('param', draftIdParam), async (c) => {
		return c.json(await signatoriesView(c.get('deps').db, requireUser(c), c.req.valid('param').draftId));
	})
	.put('/:draftId/signatories', validate('param', draftIdParam), validate('json', signatoriesSchema), async (c) => {
		const { draftId } = c.req.valid('param');
		const ctx = commandContext(c);
		await setSignatories(ctx, draftId, c.req.valid('json').userIds);
		return c.json(await signatoriesView(ctx.db, ctx.user, draftId));
	})
	.post('/:draftId/submit', validate('param', draftIdParam), async (c) => {
		const { draftId } = c.req.valid('param');
		await submitDraft(commandContext(c), draftId);
		return c.json(await detail(c, draftId));
	})
	.post('/:draftId/withdraw', validate('param', draftIdParam), async (c) => {
		const { draftId } = c.req.valid('param');
		await withdrawDraft(commandContext(c), draftId);
		return c.json(await detail(c, draftId));
	});
