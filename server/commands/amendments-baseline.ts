import type { Db } from '../../db/client';
import type { baselineVersions } from '../../db/schema';
import { amendmentPoint, type AmendmentPoint } from '../domain/amendment-points';
import { indexTree, pointInput, type Located } from '../domain/amendment-targets';
import type { BaselineItem } from '../domain/baseline';
import type { AmendmentContent } from '../domain/draft-doc';
import { getBaseline, listVersions, loadTree } from '../import/store';

type VersionRow = typeof baselineVersions.$inferSelect;
type LoadedTree = { tree: BaselineItem[]; index: Map<string, Located> };

/**
 * Trees of published versions, shared by the requests of this process. A version is only read here
 * once published, and a published version's items are never edited (the clerk fixes a draft, then
 * publishes a new version), so an entry can never go stale; the cache is kept small.
 */
const trees = new Map<string, Promise<LoadedTree>>();
const MAX_TREES = 16;

function sharedTree(db: Db, versionId: string): Promise<LoadedTree> {
	let found = trees.get(versionId);
	if (found) {
		trees.delete(versionId);
		trees.set(versionId, found);
		return found;
	}
	found = loadTree(db, versionId).then((tree) => ({ tree, index: indexTree(tree) }));
	// A failed read is not kept.
	found.catch(() => trees.delete(versionId));
	trees.set(versionId, found);
	while (trees.size > MAX_TREES) trees.delete(trees.keys().next().value!);
	return found;
}

/**
 * The published baseline of a case as amendments see it: the version in force and the earlier
 * published ones (amendments written against them are merged forward), each tree loaded once and
 * indexed by item id. Unpublished imports are never read: parties do not see them.
 */
export class CaseBaseline {
	private readonly loaded = new Map<number, Promise<LoadedTree>>();

	private constructor(
		private readonly db: Db,
		readonly current: VersionRow,
		readonly versions: VersionRow[]
	) {}

	static async load(db: Db, caseId: string): Promise<CaseBaseline | null> {
		const baseline = await getBaseline(db, caseId);
		if (!baseline) return null;
		const versions = (await listVersions(db, baseline.id)).filter((v) => v.status !== 'draft');
		const current = versions.find((v) => v.status === 'published');
		return current ? new CaseBaseline(db, current, versions) : null;
	}

	get number(): number {
		return this.current.number;
	}

	get issuer(): string | undefined {
		return this.current.meta.issuer;
	}

	has(number: number): boolean {
		return this.versions.some((v) => v.number === number);
	}

	private load(number: number) {
		const version = this.versions.find((v) => v.number === number) ?? this.current;
		let found = this.loaded.get(version.number);
		if (!found) {
			found = sharedTree(this.db, version.id);
			this.loaded.set(version.number, found);
		}
		return found;
	}

	/** The items of a version by id; an unknown version reads as the current one. */
	async index(number: number = this.current.number): Promise<Map<string, Located>> {
		return (await this.load(number)).index;
	}

	async tree(number: number = this.current.number): Promise<BaselineItem[]> {
		return (await this.load(number)).tree;
	}

	/** Loads the given versions now, so synchronous code (a Y.Doc transaction) can use them. */
	async preload(numbers: Iterable<number>): Promise<Map<number, Map<string, Located>>> {
		const wanted = new Set([this.current.number, ...numbers]);
		const out = new Map<number, Map<string, Located>>();
		for (const n of wanted) out.set(n, await this.index(n));
		return out;
	}

	/** The decision point of each amendment, from loaded indexes; null when its item is not known. */
	pointWriter(loaded: Map<number, Map<string, Located>>) {
		const current = loaded.get(this.current.number)!;
		const issuer = this.issuer;
		return (a: AmendmentContent): AmendmentPoint | null => {
			const located = (loaded.get(a.baselineVersion) ?? current).get(a.baselineItemId);
			if (!located) return null;
			return amendmentPoint(pointInput(located, a.field, a, issuer));
		};
	}
}
