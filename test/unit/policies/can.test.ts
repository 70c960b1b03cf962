import { describe, expect, it } from 'vitest';
import { can, type Principal, type PrincipalMembership } from '../../../server/policies';

const BODY = 'ks';
function user(...memberships: Partial<PrincipalMembership>[]): Principal {
	return {
		id: 'u',
		name: 'U',
		email: 'u@x.se',
		memberships: memberships.map((m) => ({ bodyId: BODY, role: 'member', partyId: null, seat: null, ...m }))
	};
}
const clerk = user({ role: 'clerk' });
const sdSecretary = user({ role: 'secretary', partyId: 'SD' });
const sdMember = user({ role: 'member', partyId: 'SD', seat: 'ledamot' });
const sSecretary = user({ role: 'secretary', partyId: 'S' });
const observer = user({ role: 'observer' });
const otherBody = { ...sdSecretary, memberships: sdSecretary.memberships.map((m) => ({ ...m, bodyId: 'other' })) };

const draft = (status: 'draft' | 'shared' | 'submitted' | 'withdrawn', partyIds = ['SD']) =>
	({ type: 'draft', bodyId: BODY, partyIds, status }) as const;

describe('can()', () => {
	it('lets nobody in without a user or a membership in the body', () => {
		expect(can(null, 'read', { type: 'case', bodyId: BODY })).toBe(false);
		expect(can(otherBody, 'read', { type: 'case', bodyId: BODY })).toBe(false);
		expect(can(otherBody, 'read', draft('submitted'))).toBe(false);
	});

	it('lets everyone in the body read a case; only the clerk manages it', () => {
		for (const u of [clerk, sdSecretary, sdMember, observer])
			expect(can(u, 'read', { type: 'case', bodyId: BODY })).toBe(true);
		expect(can(clerk, 'manage', { type: 'case', bodyId: BODY })).toBe(true);
		expect(can(sdSecretary, 'manage', { type: 'case', bodyId: BODY })).toBe(false);
		expect(can(observer, 'comment', { type: 'case', bodyId: BODY })).toBe(false);
	});

	it("keeps a party's draft from every other party, the clerk and observers until it is submitted", () => {
		for (const status of ['draft', 'shared', 'withdrawn'] as const) {
			expect(can(sdSecretary, 'read', draft(status))).toBe(true);
			expect(can(sdMember, 'read', draft(status))).toBe(true);
			for (const u of [sSecretary, clerk, observer]) expect(can(u, 'read', draft(status))).toBe(false);
		}
		for (const u of [sSecretary, clerk, observer, sdMember]) expect(can(u, 'read', draft('submitted'))).toBe(true);
	});

	it('lets secretaries of every party on a joint draft edit it, and members only read and comment', () => {
		const joint = draft('shared', ['M', 'D', 'L', 'KD']);
		for (const p of ['M', 'D', 'L', 'KD'])
			expect(can(user({ role: 'secretary', partyId: p }), 'edit', joint)).toBe(true);
		expect(can(user({ role: 'secretary', partyId: 'C' }), 'read', joint)).toBe(false);
		const lMember = user({ role: 'member', partyId: 'L', seat: 'ledamot' });
		expect(can(lMember, 'read', joint)).toBe(true);
		expect(can(lMember, 'comment', joint)).toBe(true);
		expect(can(lMember, 'edit', joint)).toBe(false);
	});

	it('freezes a submitted draft and keeps a withdrawn one from being edited', () => {
		expect(can(sdSecretary, 'edit', draft('submitted'))).toBe(false);
		expect(can(sdSecretary, 'edit', draft('withdrawn'))).toBe(false);
		expect(can(sdSecretary, 'submit', draft('draft'))).toBe(true);
		expect(can(sSecretary, 'submit', draft('draft'))).toBe(false);
	});

	it("keeps a party's workspace to its own people", () => {
		const ws = { type: 'workspace', bodyId: BODY, partyId: 'SD' } as const;
		expect(can(sdMember, 'read', ws)).toBe(true);
		expect(can(sdMember, 'edit', ws)).toBe(false);
		expect(can(sdSecretary, 'edit', ws)).toBe(true);
		for (const u of [sSecretary, clerk, observer]) expect(can(u, 'read', ws)).toBe(false);
	});
});
