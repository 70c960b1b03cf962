import { Hono, type Context } from 'hono';
import {
	addMembership,
	changeMembership,
	listMembers,
	removeMembership,
	type MembershipContext
} from '../../commands/memberships';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { addMemberSchema, bodyParam, changeMemberSchema, membershipParam } from './schema';

function context(c: Context<AppEnv>): MembershipContext {
	const deps = c.get('deps');
	return { db: deps.db, sync: deps.sync, user: requireUser(c), ip: c.get('clientIp') };
}

/**
 * The clerk's management of roles and memberships in a body, each change audited. Mounted at
 * /api/bodies; the answer to every change is the updated list.
 */
export const memberRoutes = new Hono<AppEnv>()
	.get('/:bodyId/members', validate('param', bodyParam), async (c) => {
		const ctx = context(c);
		return c.json(await listMembers(ctx.db, ctx.user, c.req.valid('param').bodyId));
	})
	.post('/:bodyId/members', validate('param', bodyParam), validate('json', addMemberSchema), async (c) => {
		const ctx = context(c);
		const { bodyId } = c.req.valid('param');
		await addMembership(ctx, bodyId, c.req.valid('json'));
		return c.json(await listMembers(ctx.db, ctx.user, bodyId), 201);
	})
	.patch(
		'/:bodyId/members/:userId/:role',
		validate('param', membershipParam),
		validate('json', changeMemberSchema),
		async (c) => {
			const ctx = context(c);
			const { bodyId, userId, role } = c.req.valid('param');
			await changeMembership(ctx, bodyId, userId, role, c.req.valid('json'));
			return c.json(await listMembers(ctx.db, ctx.user, bodyId));
		}
	)
	.delete('/:bodyId/members/:userId/:role', validate('param', membershipParam), async (c) => {
		const ctx = context(c);
		const { bodyId, userId, role } = c.req.valid('param');
		await removeMembership(ctx, bodyId, userId, role);
		return c.json(await listMembers(ctx.db, ctx.user, bodyId));
	});
