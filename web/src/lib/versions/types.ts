// The shapes of the history API (server/routes/versions, server/routes/audit).
import type { DiffSegment, ParagraphKind } from '$domain/diff';
import type { DraftContent } from '$domain/draft-doc';

export type VersionKind = 'manual' | 'idle' | 'hourly' | 'before_restore' | 'submitted';

export interface VersionView {
	id: string;
	kind: VersionKind;
	kindLabel: string;
	label: string | null;
	createdAt: string;
	createdBy: string | null;
	editors: string[];
	restoredFrom: string | null;
}

export interface VersionList {
	versions: VersionView[];
	viewer: { canSave: boolean; canRestore: boolean };
}

export interface VersionDetail {
	version: VersionView;
	content: DraftContent;
}

export type PartChange = 'equal' | 'changed' | 'added' | 'removed';

export interface Comparison {
	from: VersionView | null;
	to: VersionView | null;
	diff: {
		changed: boolean;
		insertedWords: number;
		deletedWords: number;
		parts: {
			key: string;
			label: string;
			change: PartChange;
			segments: DiffSegment[];
			paragraphs: { kind: ParagraphKind; segments: DiffSegment[] }[];
		}[];
	};
}

export interface AuthorView {
	userId: string;
	name: string;
	partyId: string | null;
	characters: number;
}

export interface AuthorsView {
	authors: AuthorView[];
	parts: { key: string; label: string; runs: { text: string; author: number | null; uncertain?: true }[] }[];
	unattributed: number;
	/** Yjs client id → index into authors */
	clients: Record<string, number>;
	uncertainClients: string[];
}

export interface AuditEntry {
	seq: number;
	at: string;
	action: string;
	actionLabel: string;
	actor: { id: string; name: string } | null;
	onBehalfOf: { id: string; name: string } | null;
	party: { id: string; name: string } | null;
	subject: {
		type: string | null;
		typeLabel: string | null;
		id: string | null;
		label: string | null;
		href?: string | null;
	};
	details: Record<string, unknown> | null;
	redacted: boolean;
	ip: string | null;
}

export interface AuditPage {
	entries: AuditEntry[];
	next: number | null;
	viewer: { all: boolean; parties: string[] };
}
