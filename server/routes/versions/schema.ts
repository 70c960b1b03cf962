import { z } from 'zod';
import { titleText } from '../../middlewares/validate';

const id = z.string().min(1).max(64);
/** A stored version's id, "inlamnad-<n>" for one frozen at submit, or "nu" for the live text. */
const versionRef = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ogiltig version');

export const draftParam = z.object({ draftId: id });
export const versionParam = draftParam.extend({ versionId: versionRef });

export const saveVersionSchema = z.object({
	label: titleText(z.string().trim().min(1, 'Ge versionen ett namn.').max(120, 'Namnet får vara högst 120 tecken.'))
});

export const compareQuery = z.object({ from: versionRef, to: versionRef });
