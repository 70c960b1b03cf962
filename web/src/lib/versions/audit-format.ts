import type { AuditEntry } from './types';

const roleLabels: Record<string, string> = {
	clerk: 'nämndsekreterare',
	secretary: 'partisekreterare',
	member: 'ledamot',
	observer: 'åhörare'
};

function role(m: unknown): string {
	if (!m || typeof m !== 'object') return '';
	const { role: r, partyId, seat } = m as { role?: string; partyId?: string | null; seat?: string | null };
	const name = r === 'member' && seat === 'ersattare' ? 'ersättare' : (roleLabels[r ?? ''] ?? r ?? '');
	return partyId ? `${name} (${partyId})` : name;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown) => (Array.isArray(v) ? v.map(str).filter(Boolean).join(', ') : str(v));

/** What an entry's details say, in a short Swedish phrase; empty when there is nothing to add. */
export function describeDetails(e: AuditEntry): string {
	const d = e.details;
	if (!d) return e.redacted ? 'Partiets interna material' : '';
	switch (e.action) {
		case 'membership.add':
		case 'membership.remove':
			return role(d);
		case 'membership.change':
			return `från ${role(d.from)} till ${role(d.to)}`;
		case 'auth.login_failed':
			return d.email ? `e-post: ${str(d.email)}` : '';
		case 'draft.share':
			return `med ${list(d.added)}`;
		case 'draft.unshare':
			return list(d.removed);
		case 'draft.submit':
			return d.version ? `version ${str(d.version)}` : '';
		case 'version.save':
			return d.label ? `”${str(d.label)}”` : '';
		case 'version.restore':
			return d.label ? `”${str(d.label)}”` : d.versionId ? `version ${str(d.versionId)}` : '';
		default:
			if (e.action.startsWith('position.'))
				return [str(d.kind), str(d.stage) === 'planned' ? 'planerat' : ''].filter(Boolean).join(', ');
			return '';
	}
}
