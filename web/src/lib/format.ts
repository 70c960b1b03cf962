const dateFormat = new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'long', year: 'numeric' });

/** "11 december 2024" from "2024-12-11". */
export function formatDate(iso: string | null | undefined): string {
	if (!iso) return '';
	const d = new Date(`${iso}T12:00:00Z`);
	return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}
