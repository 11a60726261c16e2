import type { ComponentProps } from 'react';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordCharacterKinds,
  passwordIsEmail,
} from '@rstream/protocol';
import { TextField } from '../../ui/form';
import { useAuthT, type AuthT } from './strings';

/** Why the server would refuse this new password (its own rules, said first), or null. */
export function passwordProblem(password: string, email: string, t: AuthT): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return t('auth.passwordShort', { min: PASSWORD_MIN_LENGTH });
  if (passwordCharacterKinds(password) < 2) return t('auth.passwordKinds');
  if (email && passwordIsEmail(password, email)) return t('auth.passwordIsEmail');
  return null;
}

/** A new password's field (registering, changing it): the rules as the hint, the browser's generator. */
export function NewPasswordField(props: Omit<ComponentProps<typeof TextField>, 'type' | 'hint'>) {
  const t = useAuthT();
  return (
    <TextField
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN_LENGTH}
      maxLength={PASSWORD_MAX_LENGTH}
      hint={t('auth.passwordHint', { min: PASSWORD_MIN_LENGTH })}
      {...props}
    />
  );
}
