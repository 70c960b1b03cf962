/** Who a collaborator is, as carets and the presence list show them. */
export interface CollabUser {
	name: string;
	/** the party's colour, #rrggbb */
	color: string;
	partyId?: string | null;
}

/** Black or white, whichever reads better on the given colour (WCAG relative luminance). */
export function textColorOn(hex: string): '#000000' | '#ffffff' {
	const m = /^#([0-9a-f]{6})$/i.exec(hex);
	if (!m) return '#000000';
	const [r, g, b] = [0, 2, 4].map((i) => {
		const c = parseInt(m[1].slice(i, i + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
	// Contrast with black is (l + 0.05) / 0.05, with white 1.05 / (l + 0.05): take the larger.
	return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** A remote caret with its name in the party colour, in text that stays readable on it. */
export function caretElement(user: Record<string, unknown>): HTMLElement {
	const color = typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#5a6170';
	const name = typeof user.name === 'string' ? user.name : 'Okänd';
	const caret = document.createElement('span');
	caret.classList.add('collaboration-carets__caret');
	caret.style.borderColor = color;
	const label = document.createElement('span');
	label.classList.add('collaboration-carets__label');
	label.style.backgroundColor = color;
	label.style.color = textColorOn(color);
	label.textContent = name;
	caret.append(label);
	return caret;
}
