import type { ChangePasswordBody } from '@rstream/protocol';
import { api } from '../../api/client';

export const accountApi = {
  changePassword: (body: ChangePasswordBody) => api.post<{ accessToken: string }>('/api/auth/password', body),
  deleteAccount: (password: string) => api.delete<void>('/api/auth/me', { body: { password } }),
};
