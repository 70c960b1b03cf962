import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile that the summary reads. */
interface CpuProfile {
	nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileSummary {
	/** sampled time that was not idle, ms */
	busyMs: number;
	/** functions by time spent in their own code, % of busy */
	self: { frame: string; pct: number }[];
	/** functions by time spent in them and everything they called, % of busy */
	total: { frame: string; pct: number }[];
	/** where the time went: a package, a folder of ours, node internals, GC */
	areas: { area: string; pct: number }[];
}

function shortUrl(url: string): string {
	if (!url) return '';
	const nm = url.lastIndexOf('node_modules/');
	if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
	const i = url.indexOf('/work/main/');
	if (i >= 0) return url.slice(i + '/work/main/'.length);
	return url.replace(/^file:\/\//, '');
}

function area(url: string, fn: string): string {
	if (!url) return fn.startsWith('(') ? fn : 'native';
	if (url.startsWith('node:')) return 'node';
	const nm = url.lastIndexOf('node_modules/');
	if (nm >= 0) {
		const rest = url.slice(nm + 'node_modules/'.length).split('/');
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	const s = shortUrl(url);
	return s.split('/').slice(0, 2).join('/');
}

/** Self and inclusive time per function and per area, from a profile written by the inspector. */
export function summarizeProfile(file: string, top = 10): ProfileSummary {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const key = (id: number) => {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		const u = shortUrl(url);
		return `${functionName || '(anonymous)'}${u ? ` ${u}:${lineNumber + 1}` : ''}`;
	};
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	const areas = new Map<string, number>();
	// Starting the profiler walks all compiled code (PGlite's WebAssembly is large): its own cost, not the server's.
	const ownCost = new Set<number>();
	for (const n of profile.nodes) if (n.callFrame.functionName === 'profileStart') ownCost.add(n.id);
	const isOwnCost = (id: number) => {
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) if (ownCost.has(cur)) return true;
		return false;
	};
	let busy = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		const id = profile.samples[i];
		const dt = (profile.timeDeltas[i] ?? 0) / 1000;
		const node = byId.get(id);
		if (!node) continue;
		const fn = node.callFrame.functionName;
		if (fn === '(idle)' || fn === '(program)' || isOwnCost(id)) continue;
		busy += dt;
		const k = key(id);
		self.set(k, (self.get(k) ?? 0) + dt);
		const a = area(node.callFrame.url, fn);
		areas.set(a, (areas.get(a) ?? 0) + dt);
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const ck = key(cur);
			if (ck.startsWith('(root)') || seen.has(ck)) continue;
			seen.add(ck);
			total.set(ck, (total.get(ck) ?? 0) + dt);
		}
	}
	const rank = (m: Map<string, number>, n: number, field: 'frame' | 'area') =>
		[...m]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(([k, v]) => ({ [field]: k, pct: busy > 0 ? (100 * v) / busy : 0 }));
	return {
		busyMs: busy,
		self: rank(self, top, 'frame') as ProfileSummary['self'],
		total: rank(total, top, 'frame') as ProfileSummary['total'],
		areas: rank(areas, 8, 'area') as ProfileSummary['areas']
	};
}
