import { z } from 'zod';

export const USER_ROLES = ['admin', 'speaker'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const emailSchema = z.string().trim().toLowerCase().max(254).email();
/** Password rule (server and web show the same): 10–200 characters, at least two kinds of characters. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** How many of lower-case, upper-case, digits and other characters the password uses. */
export function passwordCharacterKinds(password: string): number {
  return [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
}

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`)
  .refine((p) => passwordCharacterKinds(p) >= 2, {
    message: 'mix at least two kinds of characters (lower case, upper case, digits, symbols)',
  });

/** The password may not be the account's e-mail address (compared case-insensitively, trimmed). */
export const passwordIsEmail = (password: string, email: string): boolean =>
  password.trim().toLowerCase() === email.trim().toLowerCase();
export const usernameSchema = z.string().trim().min(1).max(60);

export const registerBodySchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    username: usernameSchema,
  })
  .refine((b) => !passwordIsEmail(b.password, b.email), {
    path: ['password'],
    message: 'must not be your e-mail address',
  });
export type RegisterBody = z.infer<typeof registerBodySchema>;

export const loginBodySchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  username: z.string(),
  role: z.enum(USER_ROLES),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const loginResponseSchema = z.object({ accessToken: z.string(), user: userSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const refreshResponseSchema = z.object({ accessToken: z.string() });

/** POST /api/auth/password: the new password follows the rule; other sign-ins are ended. */
export const changePasswordBodySchema = z
  .object({
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    newPassword: passwordSchema,
  })
  .strict()
  .refine((b) => b.currentPassword !== b.newPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

/** DELETE /api/auth/me: the password confirms it. */
export const deleteAccountBodySchema = z
  .object({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) })
  .strict();
export type DeleteAccountBody = z.infer<typeof deleteAccountBodySchema>;
