import { inArray } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { Db } from '../../../db/client';
import { users } from '../../../db/schema';
import {
	announcePlanned,
	publishPlanned,
	recordPosition,
	visiblePositionRows,
	withdrawPosition,
	writeMotivation,
	type PositionDeps
} from '../../commands/positions';
import { loadMeeting, loadPositionsCase, type PositionRow } from '../../commands/positions-context';
import type { PositionSpec } from '../../domain/positions';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { can } from '../../policies';
import {
	type MatrixQuery,
	presentMatrix,
	presentPosition,
	presentTargets,
	publishableParties,
	recordableFor
} from '../../presenters/positions';
import { caseParam, matrixQuery, motivationSchema, positionParam, publishSchema, recordPositionSchema } from './schema';

/**
 * Positions of a case, mounted at /api/cases/:caseId/positions: the list the viewer may see, the
 * decision matrix, recording, announcing a plan at the meeting, withdrawing, the written motivation
 * of a reservation, and a party publishing its plans. A party's unpublished plans never leave the
 * server for anyone outside the party.
 */

export function positionDeps(c: Context<AppEnv>): PositionDeps {
	const { db, sync, live } = c.get('deps');
	return { db, sync, live };
}

/** Names of the people who entered positions (secretaries, the clerk), who are not on the roll. */
export async function userNames(db: Db, ids: Iterable<string | null>): Promise<Map<string, string>> {
	const wanted = [...new Set([...ids].filter((x): x is string => !!x))];
	if (wanted.length === 0) return new Map();
	const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted));
	return new Map(rows.map((r) => [r.id, r.name]));
}

async function positionBody(c: Context<AppEnv>, caseId: string, row: PositionRow) {
	const user = requireUser(c);
	const deps = positionDeps(c);
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const names = await userNames(deps.db, [row.recordedBy]);
	return { position: presentPosition(snap, row, names, user) };
}

function matrixFilter(q: z.infer<typeof matrixQuery>): MatrixQuery {
	return {
		parties: q.parties,
		kinds: q.kinds,
		groups: q.groups === undefined ? undefined : Array.isArray(q.groups) ? q.groups : [q.groups],
		splitOnly: q.split !== undefined,
		stage: q.stage
	};
}

function specOf(body: ReturnType<typeof recordPositionSchema.parse>): PositionSpec {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { memberId, stage, ...spec } = body;
	return spec as PositionSpec;
}

export const positionRoutes = new Hono<AppEnv>()
	.get('/', validate('param', caseParam), validate('query', matrixQuery), async (c) => {
		const user = requireUser(c);
		const deps = positionDeps(c);
		const { caseId } = c.req.valid('param');
		const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
		const [rows, meeting] = await Promise.all([visiblePositionRows(deps.db, user, snap), loadMeeting(deps.db, caseId)]);
		const names = await userNames(
			deps.db,
			rows.map((r) => r.recordedBy)
		);
		const { record } = meeting;
		return c.json({
			case: snap.case,
			parties: snap.parties,
			members: snap.members,
			targets: presentTargets(snap),
			positions: rows.map((r) => presentPosition(snap, r, names, user)),
			// the page shows both; one request keeps a live refetch to one read of the case
			matrix: presentMatrix(snap, rows, record, matrixFilter(c.req.valid('query'))),
			meeting: {
				openedAt: record.openedAt,
				closedAt: record.closedAt,
				lockedAt: record.propositionsordning.lockedAt,
				justeringDate: record.justeringDate,
				serving: record.serving
			},
			viewer: {
				recordable: recordableFor(snap, user),
				publishable: publishableParties(snap, user),
				canManage: can(user, 'manage', { type: 'case', bodyId: snap.case.bodyId })
			}
		});
	})
	.get('/matrix', validate('param', caseParam), validate('query', matrixQuery), async (c) => {
		const user = requireUser(c);
		const deps = positionDeps(c);
		const { caseId } = c.req.valid('param');
		const q = c.req.valid('query');
		const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
		const [rows, meeting] = await Promise.all([visiblePositionRows(deps.db, user, snap), loadMeeting(deps.db, caseId)]);
		return c.json(presentMatrix(snap, rows, meeting.record, matrixFilter(q)));
	})
	.post('/', validate('param', caseParam), validate('json', recordPositionSchema), async (c) => {
		const { caseId } = c.req.valid('param');
		const body = c.req.valid('json');
		const row = await recordPosition(
			positionDeps(c),
			requireUser(c),
			caseId,
			{ memberId: body.memberId, stage: body.stage, spec: specOf(body) },
			c.get('clientIp')
		);
		return c.json(await positionBody(c, caseId, row), 201);
	})
	.post('/publish', validate('param', caseParam), validate('json', publishSchema), async (c) => {
		const { caseId } = c.req.valid('param');
		const rows = await publishPlanned(positionDeps(c), requireUser(c), caseId, c.req.valid('json'), c.get('clientIp'));
		return c.json({ published: rows.map((r) => r.id) });
	})
	.post('/:positionId/announce', validate('param', positionParam), async (c) => {
		const { caseId, positionId } = c.req.valid('param');
		const row = await announcePlanned(positionDeps(c), requireUser(c), caseId, positionId, c.get('clientIp'));
		return c.json(await positionBody(c, caseId, row));
	})
	.put('/:positionId/motivation', validate('param', positionParam), validate('json', motivationSchema), async (c) => {
		const { caseId, positionId } = c.req.valid('param');
		const row = await writeMotivation(
			positionDeps(c),
			requireUser(c),
			caseId,
			positionId,
			c.req.valid('json').motivation,
			c.get('clientIp')
		);
		return c.json(await positionBody(c, caseId, row));
	})
	.delete('/:positionId', validate('param', positionParam), async (c) => {
		const { caseId, positionId } = c.req.valid('param');
		await withdrawPosition(positionDeps(c), requireUser(c), caseId, positionId, c.get('clientIp'));
		return c.body(null, 204);
	});
