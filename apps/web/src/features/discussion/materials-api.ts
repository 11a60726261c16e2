import {
  MATERIAL_MAX_BYTES,
  MATERIAL_MEDIA_TYPES,
  UPLOADS_PATH,
  type Material,
  type MaterialsResponse,
} from '@rstream/protocol';
import { Upload } from 'tus-js-client';
import { api } from '../../api/client';
import { PATCH_MAX_BYTES } from '../recording/uploader';

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

/** Announces the file, then sends its bytes by tus (`Upload-Metadata: materialId`). */
export async function uploadMaterial(
  sessionId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<Material> {
  const { material } = await api.post<{ material: Material }>(`/api/sessions/${enc(sessionId)}/materials`, {
    fileName: file.name,
    mediaType: file.type,
    sizeBytes: file.size,
  });
  await new Promise<void>((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: UPLOADS_PATH,
      metadata: { materialId: material.id },
      chunkSize: PATCH_MAX_BYTES,
      retryDelays: [0, 1000, 3000],
      storeFingerprintForResuming: false,
      onBeforeRequest: async (req) => {
        const token = await api.freshAccessToken();
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onProgress: (sent, total) => onProgress(total ? sent / total : 0),
      onSuccess: () => resolve(),
      onError: (err) => reject(err),
    });
    upload.start();
  });
  return material;
}
