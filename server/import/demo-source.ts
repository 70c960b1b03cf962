import { readFile } from 'node:fs/promises';

/** The documents of the demo case, ärende SLK-2024-00738, as text extracted from its PDF. */
export const DEMO_SOURCE_NAME = 'goteborg-ks-budget-2025.txt';

export function readDemoSource(): Promise<string> {
	return readFile(new URL('../../test/fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');
}
