import type { Db, Tx } from '../db/client';
import { auditEvents } from '../db/schema';

export interface AuditEvent {
	actorId: string | null;
	action: string;
	onBehalfOfId?: string | null;
	bodyId?: string | null;
	partyId?: string | null;
	subjectType?: string | null;
	subjectId?: string | null;
	details?: Record<string, unknown>;
	ip?: string | null;
}

/**
 * Appends to the audit log. Pass the transaction of the change being audited, so the entry exists
 * exactly when the change does.
 */
export async function recordAudit(db: Db | Tx, event: AuditEvent): Promise<void> {
	await db.insert(auditEvents).values({
		actorId: event.actorId,
		action: event.action,
		onBehalfOfId: event.onBehalfOfId ?? null,
		bodyId: event.bodyId ?? null,
		partyId: event.partyId ?? null,
		subjectType: event.subjectType ?? null,
		subjectId: event.subjectId ?? null,
		details: event.details ?? null,
		ip: event.ip ?? null
	});
}
