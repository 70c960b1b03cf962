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
