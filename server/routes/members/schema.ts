import { z } from 'zod';
import { membershipRoles, seats } from '../../../db/schema';

const id = z.string().min(1).max(64);

export const bodyParam = z.object({ bodyId: id });
export const membershipParam = bodyParam.extend({ userId: id, role: z.enum(membershipRoles) });

const membership = {
	role: z.enum(membershipRoles),
	partyId: z.string().min(1).max(8).nullable().optional(),
	seat: z.enum(seats).nullable().optional()
};

export const addMemberSchema = z.object({ email: z.email().max(254), ...membership });
export const changeMemberSchema = z.object(membership);
