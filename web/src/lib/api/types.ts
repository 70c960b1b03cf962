// The shapes the API answers with (see server/presenters).

export interface PartyRef {
	id: string;
	name: string;
	color: string;
}

export interface MembershipView {
	bodyId: string;
	bodyName: string;
	role: 'clerk' | 'secretary' | 'member' | 'observer';
	roleLabel: string;
	seat: 'ledamot' | 'ersattare' | null;
	party: PartyRef | null;
}

export interface Me {
	id: string;
	name: string;
	email: string;
	memberships: MembershipView[];
}

export interface CaseView {
	id: string;
	bodyId: string;
	bodyName: string;
	title: string;
	caseNumber: string;
	meetingDate: string | null;
	agendaNumber: string | null;
	status: string;
	statusLabel: string;
}

export interface CaseDetail {
	case: CaseView;
	parties: PartyRef[];
	members: { userId: string; name: string; partyId: string | null; seat: 'ledamot' | 'ersattare'; seatOrder: number }[];
	viewer: { canManage: boolean; parties: string[]; workspaces: { partyId: string; canEdit: boolean }[] };
}

export interface WorkspaceDetail {
	case: CaseView;
	party: PartyRef;
	viewer: { canEdit: boolean };
}

export type DraftKind =
	| 'yrkande'
	| 'tillaggsyrkande'
	| 'andringsyrkande'
	| 'yttrande'
	| 'sarskilt_yttrande'
	| 'protokollsanteckning'
	| 'genomforandeplan';
export type DraftStatus = 'draft' | 'shared' | 'submitted' | 'withdrawn';

export interface DraftSummary {
	id: string;
	caseId: string;
	kind: DraftKind;
	kindLabel: string;
	title: string;
	status: DraftStatus;
	statusLabel: string;
	visibility: string;
	ownerPartyId: string;
	partyIds: string[];
	updatedAt: string;
	submittedAt: string | null;
	withdrawnAt: string | null;
}

export interface DraftPartyView extends PartyRef {
	role: 'owner' | 'cosigner';
	/** approved: this text; stale: an earlier text; none: not yet; null for the owner */
	approval: 'approved' | 'stale' | 'none' | null;
	approvedAt: string | null;
	approvedBy: string | null;
}

export interface DraftDetail {
	case: {
		id: string;
		title: string;
		caseNumber: string;
		bodyName: string;
		meetingDate: string | null;
		agendaNumber: string | null;
	};
	draft: DraftSummary & {
		docName: string;
		structure: { hasPoints: boolean; bodyLabel: string };
		parties: DraftPartyView[];
	};
	frozen: {
		version: number;
		submittedAt: string;
		partyIds: string[];
		content: import('$domain/draft-doc').DraftContent;
	} | null;
	viewer: {
		canEdit: boolean;
		canManage: boolean;
		canSubmit: boolean;
		canWithdraw: boolean;
		approvableParties: string[];
	};
}
