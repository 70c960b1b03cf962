/**
 * Live notifications of a case (server/live): the server says which topic changed, the page
 * refetches through the API. EventSource reconnects by itself; `connected` tells the page whether
 * what it shows may be stale.
 */
export class LiveCase {
	connected = $state(false);
	private source: EventSource | null = null;

	constructor(
		private readonly caseId: string,
		private readonly handlers: Record<string, (ids: string[]) => void>
	) {}

	start(): void {
		if (this.source || typeof EventSource === 'undefined') return;
		const source = new EventSource(`/api/cases/${encodeURIComponent(this.caseId)}/live`);
		this.source = source;
		source.addEventListener('ready', () => (this.connected = true));
		source.onerror = () => (this.connected = false);
		for (const [topic, handler] of Object.entries(this.handlers)) {
			source.addEventListener(topic, (e) => {
				try {
					handler((JSON.parse((e as MessageEvent).data) as { ids: string[] }).ids);
				} catch {
					handler([]);
				}
			});
		}
	}

	stop(): void {
		this.source?.close();
		this.source = null;
		this.connected = false;
	}
}
