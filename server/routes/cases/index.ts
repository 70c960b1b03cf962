import { asc, desc, eq, inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { bodies, cases, parties } from '../../../db/schema';
import type { AppEnv } from '../../context';
import { forbidden, notFound } from '../../errors';
import { bodyRoll } from '../../commands/memberships';
import { newId } from '../../ids';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { can, partiesOf } from '../../policies';
import { presentCase } from '../../presenters/case';
import { loadReadableCase } from './loaders';
import { caseIdParam, createCaseSchema, workspaceParam } from './schema';

export const caseRoutes = new Hono<AppEnv>()
	.get('/', async (c) => {
		const user = requireUser(c);
		const bodyIds = [...new Set(user.memberships.map((m) => m.bodyId))];
		if (bodyIds.length === 0) return c.json({ cases: [] });
		const rows = await c
			.get('deps')
			.db.select({ case: cases, bodyName: bodies.name })
			.from(cases)
			.innerJoin(bodies, eq(cases.bodyId, bodies.id))
			.where(inArray(cases.bodyId, bodyIds))
			.orderBy(desc(cases.meetingDate), asc(cases.title));
		return c.json({
			cases: rows
				.filter((r) => can(user, 'read', { type: 'case', bodyId: r.case.bodyId }))
				.map((r) => presentCase(r.case, r.bodyName))
		});
	})
	.post('/', validate('json', createCaseSchema), async (c) => {
		const user = requireUser(c);
		const input = c.req.valid('json');
		if (!can(user, 'manage', { type: 'case', bodyId: input.bodyId })) {
			throw forbidden('Endast nämndsekreteraren kan skapa ärenden.');
		}
		const { db } = c.get('deps');
		const [body] = await db.select().from(bodies).where(eq(bodies.id, input.bodyId)).limit(1);
		if (!body) throw notFound('Nämnden hittades inte.');
		const [row] = await db
			.insert(cases)
			.values({
				id: newId(),
				bodyId: input.bodyId,
				title: input.title,
				caseNumber: input.caseNumber,
				meetingDate: input.meetingDate ?? null,
				agendaNumber: input.agendaNumber ?? null
			})
			.returning();
		return c.json({ case: presentCase(row, body.name) }, 201);
	})
	.get('/:caseId', validate('param', caseIdParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const row = await loadReadableCase(db, user, c.req.valid('param').caseId);
		const bodyId = row.case.bodyId;
		// The roll of the body: who sits for which party. Public in a Swedish municipality.
		const roll = await bodyRoll(db, bodyId);
		const partyRows = await db.select().from(parties).orderBy(asc(parties.sortOrder));
		return c.json({
			case: presentCase(row.case, row.bodyName),
			parties: partyRows.map(({ id, name, color }) => ({ id, name, color })),
			members: roll,
			viewer: {
				canManage: can(user, 'manage', { type: 'case', bodyId }),
				parties: partiesOf(user, bodyId),
				workspaces: partiesOf(user, bodyId).map((partyId) => ({
					partyId,
					canEdit: can(user, 'edit', { type: 'workspace', bodyId, partyId })
				}))
			}
		});
	})
	.get('/:caseId/workspaces/:partyId', validate('param', workspaceParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId, partyId } = c.req.valid('param');
		const row = await loadReadableCase(db, user, caseId);
		const thing = { type: 'workspace', bodyId: row.case.bodyId, partyId } as const;
		// Another party's workspace answers like a missing one.
		if (!can(user, 'read', thing)) throw notFound('Arbetsytan hittades inte.');
		const [party] = await db.select().from(parties).where(eq(parties.id, partyId)).limit(1);
		if (!party) throw notFound('Arbetsytan hittades inte.');
		return c.json({
			case: presentCase(row.case, row.bodyName),
			party: { id: party.id, name: party.name, color: party.color },
			viewer: { canEdit: can(user, 'edit', thing) }
		});
	});
