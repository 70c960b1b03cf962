import type { DraftKind, draftParties, drafts, draftVersions } from '../../db/schema';
import type { DraftContent } from '../domain/draft-doc';
import type { DraftStatus } from '../policies';

type DraftRow = typeof drafts.$inferSelect;
type DraftPartyRow = typeof draftParties.$inferSelect;
type VersionRow = typeof draftVersions.$inferSelect;

export interface PartyInfo {
	id: string;
	name: string;
	color: string;
}

/** What each kind of draft is called in the protocol, and the parts its document has. */
export const draftKindInfo: Record<
	DraftKind,
	{ label: string; titlePrefix: string; hasPoints: boolean; bodyLabel: string }
> = {
	yrkande: { label: 'Yrkande', titlePrefix: 'Yrkande angående –', hasPoints: true, bodyLabel: 'Yrkandet' },
	tillaggsyrkande: {
		label: 'Tilläggsyrkande',
		titlePrefix: 'Tilläggsyrkande angående –',
		hasPoints: true,
		bodyLabel: 'Yrkandet'
	},
	andringsyrkande: {
		label: 'Ändringsyrkande',
		titlePrefix: 'Ändringsyrkande angående –',
		hasPoints: true,
		bodyLabel: 'Yrkandet'
	},
	yttrande: { label: 'Yttrande', titlePrefix: 'Yttrande angående –', hasPoints: false, bodyLabel: 'Yttrandet' },
	sarskilt_yttrande: {
		label: 'Särskilt yttrande',
		titlePrefix: 'Särskilt yttrande angående –',
		hasPoints: false,
		bodyLabel: 'Yttrandet'
	},
	protokollsanteckning: {
		label: 'Protokollsanteckning',
		titlePrefix: 'Protokollsanteckning angående –',
		hasPoints: false,
		bodyLabel: 'Anteckningen'
	},
	genomforandeplan: {
		label: 'Genomförandeplan',
		titlePrefix: 'Genomförandeplan –',
		hasPoints: false,
		bodyLabel: 'Genomförandeplanen'
	}
};

export const draftStatusLabels: Record<DraftStatus, string> = {
	draft: 'Utkast',
	shared: 'Delat',
	submitted: 'Inlämnat',
	withdrawn: 'Återtaget'
};

/** The name of a draft's sync document. */
export function draftDocName(draftId: string): string {
	return `draft.${draftId}`;
}

/** The prefilled title of a new draft: "Yrkande angående – Budget 2025 för kommunstyrelsen". */
export function initialDraftTitle(kind: DraftKind, caseTitle: string): string {
	return `${draftKindInfo[kind].titlePrefix} ${caseTitle}`;
}

/**
 * Who can see the draft, in the words the UI shows beside it. Read from the same status and
 * parties the policy decides on, so the label cannot promise more privacy than there is.
 */
export function visibilityLabel(status: DraftStatus, partyIds: readonly string[]): string {
	switch (status) {
		case 'submitted':
			return 'Inlämnat';
		case 'withdrawn':
			return `Återtaget – synligt för ${partyIds.join(', ')}`;
		case 'shared':
			return `Delat med ${partyIds.join(', ')}`;
		case 'draft':
			return partyIds.length > 1 ? `Delat med ${partyIds.join(', ')}` : `Internt för ${partyIds[0]}`;
	}
}

/** The owner first, then co-signers in invitation order. */
export function orderedParties(rows: readonly DraftPartyRow[]): DraftPartyRow[] {
	return [...rows].sort((a, b) => (a.role === b.role ? a.position - b.position : a.role === 'owner' ? -1 : 1));
}

export function presentDraftSummary(row: DraftRow, partyRows: readonly DraftPartyRow[]) {
	const partyIds = orderedParties(partyRows).map((p) => p.partyId);
	return {
		id: row.id,
		caseId: row.caseId,
		kind: row.kind,
		kindLabel: draftKindInfo[row.kind].label,
		title: row.title,
		status: row.status,
		statusLabel: draftStatusLabels[row.status],
		visibility: visibilityLabel(row.status, partyIds),
		ownerPartyId: row.ownerPartyId,
		partyIds,
		updatedAt: row.updatedAt.toISOString(),
		submittedAt: row.submittedAt?.toISOString() ?? null,
		withdrawnAt: row.withdrawnAt?.toISOString() ?? null
	};
}

export type ApprovalState =
	/** approved the text and parties as they are now */
	| 'approved'
	/** approved, but the text or the parties have changed since */
	| 'stale'
	/** not approved */
	| 'none';

export interface DraftDetailInput {
	row: DraftRow;
	partyRows: readonly DraftPartyRow[];
	parties: readonly PartyInfo[];
	approverNames: ReadonlyMap<string, string>;
	/** digest of the live text; null when no approval needs comparing */
	currentDigest: string | null;
	version: VersionRow | null;
	viewer: {
		canEdit: boolean;
		canManage: boolean;
		canSubmit: boolean;
		canWithdraw: boolean;
		approvableParties: string[];
	};
}

export function presentDraftDetail(input: DraftDetailInput) {
	const { row, partyRows, parties, approverNames, currentDigest, version, viewer } = input;
	const info = draftKindInfo[row.kind];
	const byId = new Map(parties.map((p) => [p.id, p]));
	return {
		draft: {
			...presentDraftSummary(row, partyRows),
			docName: draftDocName(row.id),
			structure: { hasPoints: info.hasPoints, bodyLabel: info.bodyLabel },
			parties: orderedParties(partyRows).map((p) => {
				const party = byId.get(p.partyId);
				const approval: ApprovalState | null =
					p.role === 'owner'
						? null
						: !p.approvedDigest
							? 'none'
							: currentDigest === null || p.approvedDigest === currentDigest
								? 'approved'
								: 'stale';
				return {
					id: p.partyId,
					name: party?.name ?? p.partyId,
					color: party?.color ?? '#777777',
					role: p.role,
					approval,
					approvedAt: p.approvedAt?.toISOString() ?? null,
					approvedBy: p.approvedBy ? (approverNames.get(p.approvedBy) ?? null) : null
				};
			})
		},
		frozen: version ? presentVersion(version) : null,
		viewer
	};
}

export function presentVersion(v: VersionRow): {
	version: number;
	submittedAt: string;
	partyIds: string[];
	content: DraftContent;
} {
	return { version: v.version, submittedAt: v.submittedAt.toISOString(), partyIds: v.partyIds, content: v.content };
}
