/** "A", "A och B", "A, B och C": how Swedish prose lists things (no serial comma). */
export function joinSv(items: readonly string[], conjunction = 'och'): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/**
 * Orders party ids for a protocol sentence. Parties behind one joint document are named in that
 * document's order, as the city writes them ("M, D, L och KD" after their joint yttrande); every
 * other party and every such group takes its place in the body's order.
 *
 * @param bodyOrder the body's party order; unknown parties go last, alphabetically
 * @param jointGroups party lists of joint documents, in the order the documents were submitted
 */
export function orderParties(
	partyIds: Iterable<string>,
	bodyOrder: readonly string[],
	jointGroups: readonly (readonly string[])[] = []
): string[] {
	const wanted = new Set(partyIds);
	const rank = (p: string) => {
		const i = bodyOrder.indexOf(p);
		return i === -1 ? bodyOrder.length : i;
	};
	const byBodyOrder = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b, 'sv');
	const used = new Set<string>();
	const groups: string[][] = [];
	for (const joint of jointGroups) {
		if (joint.length < 2 || !joint.every((p) => wanted.has(p)) || joint.some((p) => used.has(p))) continue;
		groups.push([...joint]);
		for (const p of joint) used.add(p);
	}
	for (const p of wanted) if (!used.has(p)) groups.push([p]);
	const groupRank = (g: string[]) => Math.min(...g.map(rank));
	groups.sort((a, b) => groupRank(a) - groupRank(b) || byBodyOrder(a[0], b[0]));
	return groups.flat();
}
