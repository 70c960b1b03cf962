import { ApiError } from '$lib/api/client';
import type { PositionKind, PositionStage, PositionTarget, PositionTargetType } from '$domain/positions/kinds';
import type { Alternative, QuestionKind, RoundKind, Vote } from '$domain/positions/meeting';

/** The positions API as the pages read it (server/presenters/positions*.ts). */

export interface Party {
	id: string;
	name: string;
	color: string;
}

export interface MemberRef {
	id: string;
	name: string;
	partyId: string;
	seat: 'ledamot' | 'ersattare';
}

export interface PointRef {
	id: string;
	label: string;
	text: string;
	targetLabel: string;
}

export interface PositionView {
	id: string;
	memberId: string;
	memberName: string;
	partyId: string;
	seat: 'ledamot' | 'ersattare' | null;
	kind: PositionKind;
	kindLabel: string;
	target: PositionTarget;
	targetLabel: string;
	detailText: string | null;
	details: { motivation?: string | null };
	stage: PositionStage;
	stageLabel: string;
	publishedAt: string | null;
	recordedBy: string | null;
	onBehalf: boolean;
	updatedAt: string;
	viewer: { canChange: boolean; canPublish: boolean };
}

export interface MeetingState {
	openedAt: string | null;
	closedAt: string | null;
	lockedAt: string | null;
	justeringDate: string | null;
	serving: string[];
}

export interface PositionsPage {
	case: { id: string; bodyId: string; bodyName: string; title: string; caseNumber: string; meetingDate: string | null };
	parties: Party[];
	members: MemberRef[];
	targets: {
		baseline: { title: string; points: PointRef[] };
		yrkanden: {
			id: string;
			kind: 'yrkande' | 'andringsyrkande' | 'tillaggsyrkande';
			status: string;
			title: string;
			label: string;
			partyIds: string[];
			points: PointRef[];
			amendments: { id: string; baselineItemId: string; text: string; pointLabel: string }[];
		}[];
		statements: {
			id: string;
			kind: 'yttrande' | 'sarskilt_yttrande';
			status: string;
			title: string;
			partyIds: string[];
		}[];
		allowedTargets: Record<PositionKind, PositionTargetType[]>;
	};
	positions: PositionView[];
	meeting: MeetingState;
	viewer: {
		recordable: { memberId: string; planned: PositionKind[]; recorded: PositionKind[] }[];
		publishable: string[];
		canManage: boolean;
	};
}

export type CellTone = 'for' | 'against' | 'out' | 'procedural' | 'statement' | 'split' | 'none';

export interface MatrixCell {
	tone: CellTone;
	label: string;
	split: boolean;
	kinds: PositionKind[];
	groups: { kinds: PositionKind[]; memberIds: string[] }[];
	planned: number;
}

export interface Matrix {
	parties: string[];
	groups: string[];
	rows: {
		key: string;
		target: PositionTarget;
		group: string;
		label: string;
		text: string;
		lines: string[];
		cells: Record<string, MatrixCell>;
	}[];
	caseLines: string[];
	counted: 'serving' | 'ledamoter';
}

export interface MeetingPage {
	case: PositionsPage['case'];
	parties: Party[];
	options: {
		baseline: { title: string; points: { id: string; label: string; text: string }[] };
		yrkanden: {
			id: string;
			kind: string;
			title: string;
			partyIds: string[];
			points: { id: string; label: string; text: string }[];
		}[];
	};
	meeting: {
		openedAt: string | null;
		closedAt: string | null;
		justeringDate: string | null;
		lockedAt: string | null;
		attendance: {
			memberId: string;
			name: string;
			partyId: string;
			seat: 'ledamot' | 'ersattare';
			attendance: 'serving' | 'present' | 'absent' | null;
			attendanceLabel: string;
			replacesMemberId: string | null;
			replacesName: string | null;
		}[];
		questions: {
			id: string;
			number: number;
			kind: QuestionKind;
			kindLabel: string;
			alternatives: (Alternative & { label: string })[];
			about: { target: PositionTarget; label: string }[];
			acclamation: number | null;
			outcome:
				| { decided: false }
				| {
						decided: true;
						winner: number;
						winnerLabel: string;
						count: { for: number; against: number; abstained: number; castingVote: boolean } | null;
				  };
			votering: {
				id: string;
				recordedBy: string | null;
				rounds: {
					kind: RoundKind;
					kindLabel: string;
					ja: number;
					nej: number;
					jaLabel: string;
					nejLabel: string;
					castingVote: 'ja' | 'nej' | null;
					tally: { ja: number; nej: number; avstar: number; winner: 'ja' | 'nej' | null; castingVote: boolean };
					votes: { memberId: string; name: string; partyId: string; vote: Vote; voteLabel: string }[];
				}[];
			} | null;
		}[];
		reservations: { id: string; name: string; partyId: string; targetLabel: string; motivation: string | null }[];
		partyLines: string[];
		summary: string;
		viewer: { canManage: boolean };
	};
}

/** Errors as the pages show them: the server's Swedish message, or a plain fallback. */
export function messageOf(err: unknown, fallback: string): string {
	return err instanceof ApiError ? err.message : fallback;
}

/** The filters of the matrix live in the address, so a filtered view can be shared and reloaded. */
export const matrixFilterKeys = ['parties', 'kinds', 'groups', 'split', 'stage'] as const;
