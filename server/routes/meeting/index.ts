import { Hono, type Context } from 'hono';
import {
	closeMeeting,
	deleteVotering,
	lockPropositionsordning,
	openMeeting,
	recordVotering,
	setAcclamation,
	setAttendance,
	setJusteringDate,
	setPropositionsordning
} from '../../commands/positions-meeting';
import { loadMeeting, loadPositionRows, loadPositionsCase } from '../../commands/positions-context';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { can } from '../../policies';
import { presentMeeting } from '../../presenters/positions-meeting';
import { positionDeps, userNames } from '../positions';
import {
	acclamationSchema,
	attendanceSchema,
	caseParam,
	justeringSchema,
	openSchema,
	propositionsordningSchema,
	questionParam,
	voteringParam,
	voteringSchema
} from './schema';

/**
 * The clerk's record of the meeting for a case, mounted at /api/cases/:caseId/meeting. Everyone in the
 * body reads it with the protocol summary; only the clerk changes it.
 */

async function meetingBody(c: Context<AppEnv>, caseId: string) {
	const user = requireUser(c);
	const deps = positionDeps(c);
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const [meeting, rows] = await Promise.all([loadMeeting(deps.db, caseId), loadPositionRows(deps.db, caseId)]);
	const names = await userNames(
		deps.db,
		[...meeting.voteringMeta.values()].map((v) => v.recordedBy)
	);
	return {
		case: snap.case,
		parties: snap.parties,
		// what a question may put to the chair: the baseline, submitted yrkanden, their points
		options: {
			baseline: { title: snap.baseline.title, points: snap.baseline.points },
			yrkanden: snap.drafts
				.filter((d) => d.status === 'submitted' && ['yrkande', 'andringsyrkande', 'tillaggsyrkande'].includes(d.kind))
				.map((d) => ({ id: d.id, kind: d.kind, title: d.title, partyIds: d.partyIds, points: d.points }))
		},
		meeting: presentMeeting(snap, meeting, rows, names, can(user, 'manage', { type: 'case', bodyId: snap.case.bodyId }))
	};
}

function step(c: Context<AppEnv>, caseId: string) {
	return { user: requireUser(c), caseId, ip: c.get('clientIp') };
}

export const meetingRoutes = new Hono<AppEnv>()
	.get('/', validate('param', caseParam), async (c) => c.json(await meetingBody(c, c.req.valid('param').caseId)))
	.post('/open', validate('param', caseParam), validate('json', openSchema), async (c) => {
		const { caseId } = c.req.valid('param');
		await openMeeting(positionDeps(c), step(c, caseId), c.req.valid('json'));
		return c.json(await meetingBody(c, caseId));
	})
	.put('/justering', validate('param', caseParam), validate('json', justeringSchema), async (c) => {
		const { caseId } = c.req.valid('param');
		await setJusteringDate(positionDeps(c), step(c, caseId), c.req.valid('json').justeringDate);
		return c.json(await meetingBody(c, caseId));
	})
	.put('/attendance', validate('param', caseParam), validate('json', attendanceSchema), async (c) => {
		const { caseId } = c.req.valid('param');
		await setAttendance(positionDeps(c), step(c, caseId), c.req.valid('json').entries);
		return c.json(await meetingBody(c, caseId));
	})
	.put('/propositionsordning', validate('param', caseParam), validate('json', propositionsordningSchema), async (c) => {
		const { caseId } = c.req.valid('param');
		await setPropositionsordning(positionDeps(c), step(c, caseId), c.req.valid('json').questions);
		return c.json(await meetingBody(c, caseId));
	})
	.post('/propositionsordning/lock', validate('param', caseParam), async (c) => {
		const { caseId } = c.req.valid('param');
		await lockPropositionsordning(positionDeps(c), step(c, caseId));
		return c.json(await meetingBody(c, caseId));
	})
	.put(
		'/questions/:questionId/acclamation',
		validate('param', questionParam),
		validate('json', acclamationSchema),
		async (c) => {
			const { caseId, questionId } = c.req.valid('param');
			await setAcclamation(positionDeps(c), step(c, caseId), questionId, c.req.valid('json').winner);
			return c.json(await meetingBody(c, caseId));
		}
	)
	.post('/voteringar', validate('param', caseParam), validate('json', voteringSchema), async (c) => {
		const { caseId } = c.req.valid('param');
		await recordVotering(positionDeps(c), step(c, caseId), c.req.valid('json'));
		return c.json(await meetingBody(c, caseId), 201);
	})
	.delete('/voteringar/:voteringId', validate('param', voteringParam), async (c) => {
		const { caseId, voteringId } = c.req.valid('param');
		await deleteVotering(positionDeps(c), step(c, caseId), voteringId);
		return c.json(await meetingBody(c, caseId));
	})
	.post('/close', validate('param', caseParam), async (c) => {
		const { caseId } = c.req.valid('param');
		await closeMeeting(positionDeps(c), step(c, caseId));
		return c.json(await meetingBody(c, caseId));
	});
