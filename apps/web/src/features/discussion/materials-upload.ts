import type { Material } from '@rstream/protocol';
import { UPLOADS_PATH } from '@rstream/protocol/light';
import { Upload } from 'tus-js-client';
import { api } from '../../api/client';
import { PATCH_MAX_BYTES } from '../recording/uploader';

const enc = encodeURIComponent;

// Its own module, loaded when someone on stage picks a file: the tus client stays off the phones.
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
