import { z } from 'zod';
import { exportFormats } from '../../export/http';

const id = z.string().min(1).max(64);
const format = z.enum(exportFormats);

export const draftExportParams = z.object({ draftId: id, format });
export const casePackageParams = z.object({ caseId: id, format });
