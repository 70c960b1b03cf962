import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { bodies, cases } from '../../../db/schema';
import { notFound } from '../../errors';
import { can, type Principal } from '../../policies';

/**
 * Loads a case the user may read. A case the user may not read answers 404 like a missing one, so
 * ids cannot be probed.
 */
export async function loadReadableCase(db: Db, user: Principal, caseId: string) {
	const [row] = await db
		.select({ case: cases, bodyName: bodies.name })
		.from(cases)
		.innerJoin(bodies, eq(cases.bodyId, bodies.id))
		.where(eq(cases.id, caseId))
		.limit(1);
	if (!row || !can(user, 'read', { type: 'case', bodyId: row.case.bodyId })) throw notFound('Ärendet hittades inte.');
	return row;
}
