import type { BaselineItem, BaselineItemKind, BaselineMeta, SumCheck } from '$domain/baseline';
import type { VersionDiff } from '$domain/baseline-diff';

// The shapes of the baseline API (server/routes/baselines).

export interface VersionView {
	id: string;
	number: number;
	status: 'draft' | 'published' | 'superseded';
	statusLabel: string;
	sourceName: string;
	sourceKind: 'text' | 'pdf' | 'docx';
	createdAt: string;
	publishedAt: string | null;
	meta: BaselineMeta;
	warnings: string[];
}

export interface TreeView {
	items: BaselineItem[];
	counts: Record<BaselineItemKind, number>;
	sums: { tableId: string; checks: SumCheck[] }[];
}

export interface BaselineOverview {
	published: (TreeView & { version: VersionView }) | null;
	draft: VersionView | null;
	versions: VersionView[];
	viewer: { canManage: boolean };
}

export interface VersionDetail extends TreeView {
	version: VersionView;
	sourceText: string;
}

export interface DraftDetail extends TreeView {
	version: VersionView;
}

export interface ImportResult {
	outcome: 'created' | 'unchanged';
	version: VersionView;
	counts: Record<BaselineItemKind, number>;
	partyDocuments: number;
	warnings: string[];
	changes: VersionDiff['summary'] | null;
}

export interface DiffView extends VersionDiff {
	from: VersionView;
	to: VersionView;
}
