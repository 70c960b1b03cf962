const dateTime = new Intl.DateTimeFormat('sv-SE', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	timeZone: 'Europe/Stockholm'
});

const day = new Intl.DateTimeFormat('sv-SE', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'Europe/Stockholm'
});

/** "11 december 2024", the day in Swedish time, from an ISO timestamp. */
export function formatDay(iso: string | null | undefined): string {
	if (!iso) return '';
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? iso : day.format(d);
}

/** "11 december 2024 14:05" in Swedish time, from an ISO timestamp. */
export function formatDateTime(iso: string | null | undefined): string {
	if (!iso) return '';
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}
