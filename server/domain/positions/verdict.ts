/** Every reason a rule can refuse; the UI branches on the code and shows the message as it is. */
export const refusalCodes = [
	/** the actor is neither the member nor a secretary of the member's party */
	'not_allowed_to_record',
	/** the clerk tried to record a kind that only the member's party records */
	'clerk_kind_not_allowed',
	/** only the party's secretary publishes its planned positions */
	'not_allowed_to_publish',
	/** the kind cannot take this kind of target */
	'invalid_target',
	/** the point, yrkande, amendment or statement does not exist in the case */
	'unknown_target',
	/** the yrkande or statement is still a draft of its party */
	'not_submitted',
	/** the yrkande or statement has been withdrawn */
	'withdrawn',
	/** a required part is missing (the reason for återremiss, the text of a note) */
	'missing_detail',
	/** a statement of another party */
	'not_own_statement',
	/** the meeting has not begun: positions can only be planned */
	'meeting_not_open',
	/** the meeting is closed: nothing new is entered */
	'meeting_closed',
	/** the propositionsordning is locked: motions and participation are frozen */
	'positions_frozen',
	/** the member is jävig in the case */
	'jav',
	/** the member is recorded as not taking part in the decision */
	'not_participating',
	/** the member does not serve on this item (absent ledamot, non-serving ersättare) */
	'not_serving',
	/** the member abstained in the final vote */
	'abstained_final',
	/** the member did not vote in the final vote */
	'absent_final',
	/** the decision has not been taken yet */
	'decision_not_taken',
	/** the written motivation of a reservation came after justering */
	'motivation_late',
	/** the reglemente does not let non-serving ersättare do this */
	'reglemente',
	/** the propositionsordning or a votering breaks the order of the meeting */
	'invalid_record'
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

export interface Refusal {
	ok: false;
	code: RefusalCode;
	/** Swedish, shown to the user as it is */
	message: string;
}
export type Verdict<T extends object = object> = ({ ok: true } & T) | Refusal;

export const allowed: Verdict = { ok: true };
export function refuse(code: RefusalCode, message: string): Refusal {
	return { ok: false, code, message };
}
