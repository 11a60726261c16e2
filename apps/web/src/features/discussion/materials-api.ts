import type { MaterialsResponse } from '@rstream/protocol';
import { MATERIAL_MAX_BYTES, MATERIAL_MEDIA_TYPES } from '@rstream/protocol/light';
import { api } from '../../api/client';

const enc = encodeURIComponent;

export const materialsApi = {
  list: (sessionId: string, bearer?: string) =>
    api.get<MaterialsResponse>(`/api/sessions/${enc(sessionId)}/materials`, { bearer }),
  remove: (sessionId: string, materialId: string) =>
    api.delete<void>(`/api/sessions/${enc(sessionId)}/materials/${enc(materialId)}`),
};

export type UploadProblem = 'type' | 'size' | 'failed';

/** Whether the server takes this file (the same limits it checks). */
export function checkFile(file: File): UploadProblem | null {
  if (!(MATERIAL_MEDIA_TYPES as readonly string[]).includes(file.type)) return 'type';
  if (file.size < 1 || file.size > MATERIAL_MAX_BYTES) return 'size';
  return null;
}
