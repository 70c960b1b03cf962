// The shapes the amendments API answers with (server/routes/amendments, server/commands/amendments-view).
export type {
	AmountsView,
	CollisionView,
	DiffView,
	Overview,
	OverviewAmendment,
	OverviewTarget,
	PreviewEntry,
	PreviewView
} from '../../../../server/commands/amendments-view';
export type { CheckView } from '../../../../server/commands/amendments';
export type { TargetInfo } from '../../../../server/commands/amendments-view';

import type { CheckView } from '../../../../server/commands/amendments';
import type { AmendmentPoint } from '../../../../server/domain/amendment-points';
import type { TargetInfo } from '../../../../server/commands/amendments-view';

export interface TargetsResponse {
	/** the baseline version in force */
	version: number | null;
	/** by reference "itemId:version[:part]" */
	targets: Record<string, TargetInfo>;
}

export interface DraftAmendmentStatus {
	id: string;
	baselineVersion: number;
	check: CheckView | null;
	oldBaseText?: string | null;
	newBaseText?: string | null;
	point: AmendmentPoint | null;
}

export interface DraftAmendmentsResponse {
	version: number | null;
	amendments: DraftAmendmentStatus[];
}

/** The reference the targets API is asked with. */
export function targetRef(a: { baselineItemId: string; baselineVersion: number; field?: string }): string {
	return `${a.baselineItemId}:${a.baselineVersion}${a.field ? `:${a.field}` : ''}`;
}
