import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  emailSchema,
  passwordIsEmail,
  passwordSchema,
  USER_ROLES,
  usernameSchema,
  type UserRole,
} from '@rstream/protocol';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { migrateToLatest, openDb } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { createAuditRepo } from '../audit/audit-repo.js';
import { createAuditService } from '../audit/audit-service.js';
import { createAccessTokens } from '../auth/access-token.js';
import { createAuthRepo } from '../auth/auth-repo.js';
import { createAuthService } from '../auth/auth-service.js';
import { createLockout } from '../auth/lockout.js';
import { createAdminService } from './admin-service.js';

const USAGE = `Usage: rstream user <subcommand>
  create --email <e-mail> --username <name> [--admin] [--password <password>]
         (without --password a strong one is generated and printed once)
  list
  disable <e-mail|id>
  enable <e-mail|id>
  set-role <e-mail|id> <admin|speaker>`;

/** A password that satisfies the rule: 24 random URL-safe characters, re-drawn until mixed. */
export function generatePassword(): string {
  for (;;) {
    const p = randomBytes(18).toString('base64url');
    if (passwordSchema.safeParse(p).success) return p;
  }
}

class CliError extends Error {}

/** `rstream user …`: accounts from the command line (the first admin is made here). Prompt-free. */
export async function runUserCli(args: string[], config: Config): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  const db = await openDb(config);
  const log = createLogger({ ...config, LOG_LEVEL: 'warn' });
  try {
    await migrateToLatest(db.kysely);
    const audit = createAuditService(createAuditRepo(db.kysely), log);
    const auth = createAuthService({
      repo: createAuthRepo(db.kysely),
      tokens: createAccessTokens(randomBytes(32).toString('hex'), 60),
      refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      log,
      audit,
      lockout: createLockout({ accountThreshold: 5, ipThreshold: 20, windowMs: 900_000, lockMs: 900_000 }),
    });
    const admin = createAdminService({ auth, audit });
    const ctx = { ip: 'cli', userAgent: `rstream-cli (${process.env.USER ?? 'unknown'})` };
    const findUser = async (who: string | undefined) => {
      if (!who) throw new CliError('Give the user’s e-mail or id.');
      const row = /^[0-9a-f-]{36}$/i.test(who) ? await auth.getUserRow(who) : await auth.findUserByEmail(who);
      if (!row) throw new CliError(`No user ${who}.`);
      return row;
    };

    switch (sub) {
      case 'create': {
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            username: { type: 'string' },
            password: { type: 'string' },
            admin: { type: 'boolean' },
          },
          strict: true,
        });
        const email = emailSchema.safeParse(values.email ?? '');
        if (!email.success) throw new CliError('--email must be an e-mail address.');
        const username = usernameSchema.safeParse(values.username ?? '');
        if (!username.success) throw new CliError('--username is required (1–60 characters).');
        const generated = values.password === undefined;
        const password = values.password ?? generatePassword();
        const rule = passwordSchema.safeParse(password);
        if (!rule.success)
          throw new CliError(`--password: ${rule.error.issues.map((i) => i.message).join('; ')}.`);
        if (passwordIsEmail(password, email.data))
          throw new CliError('--password must not be the e-mail address.');
        const role: UserRole = values.admin ? 'admin' : 'speaker';
        const user = await auth.register({ email: email.data, username: username.data, password }, role, ctx);
        console.log(`created ${role} ${user.email} (${user.id})`);
        if (generated)
          console.log(
            `password: ${password}\n(shown once — keep it somewhere safe, then change it in the web app)`,
          );
        return 0;
      }
      case 'list': {
        const users = await admin.listUsers();
        if (users.length === 0)
          console.log(
            'no users yet — create the first admin with: rstream user create --admin --email … --username …',
          );
        for (const u of users) {
          console.log(
            `${u.id}  ${u.role.padEnd(7)}  ${u.disabled ? 'disabled' : 'active  '}  ${String(u.sessionCount).padStart(4)} sessions  ${u.email}  (${u.username})`,
          );
        }
        return 0;
      }
      case 'disable':
      case 'enable': {
        const row = await findUser(rest[0]);
        const u = await admin.updateUser(
          { userId: null, label: 'cli' },
          row.id,
          { disabled: sub === 'disable' },
          ctx,
        );
        console.log(`${u.email}: ${u.disabled ? 'disabled (every sign-in ended)' : 'enabled'}`);
        return 0;
      }
      case 'set-role': {
        const row = await findUser(rest[0]);
        const role = rest[1];
        if (!role || !(USER_ROLES as readonly string[]).includes(role))
          throw new CliError(`Role must be one of ${USER_ROLES.join(', ')}.`);
        const u = await admin.updateUser(
          { userId: null, label: 'cli' },
          row.id,
          { role: role as UserRole },
          ctx,
        );
        console.log(`${u.email}: role ${u.role}`);
        return 0;
      }
      default:
        throw new CliError(`Unknown subcommand "${sub}".\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof CliError || e instanceof AppError) {
      console.error(`rstream user: ${e.message}`);
      return e instanceof AppError && e.status === 409 ? 3 : 2;
    }
    if (e instanceof TypeError && /option|argument/i.test(e.message)) {
      console.error(`rstream user: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  } finally {
    await db.close();
  }
}
