import { useState } from 'react';
import { useAuth } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { useDocumentTitle } from '../../ui/hooks';
import { AuditTrail } from './AuditTrail';
import { UsersTable } from './UsersTable';
import { SecurityAuditPanel } from './SecurityAuditPanel';
import { useSecurityAuditT } from './security-audit-strings';
import { useAdminT } from './strings';

type Tab = 'users' | 'audit' | 'security';

/** /admin — instance administration: users and the security trail. Admins only (the API checks too). */
export function AdminPage() {
  const t = useAdminT();
  const { user } = useAuth();
  const sat = useSecurityAuditT();
  const [tab, setTab] = useState<Tab>(() =>
    typeof location !== 'undefined' && location.hash === '#security-audit' ? 'security' : 'users',
  );
  useDocumentTitle(t('admin.title'));
  if (user && user.role !== 'admin') {
    return (
      <div className="mx-auto max-w-lg p-8">
        <Alert>{t('admin.notAdmin')}</Alert>
      </div>
    );
  }
  const tabClass = (active: boolean) =>
    `rounded-t-lg border-b-4 px-4 py-2 font-semibold ${active ? 'border-brand text-ink' : 'border-transparent text-muted hover:text-ink'}`;
  return (
    <div className="mx-auto max-w-6xl px-4 py-6">
      <h1 className="mb-4 text-2xl font-bold">{t('admin.title')}</h1>
      <div role="tablist" aria-label={t('admin.title')} className="mb-4 flex gap-2 border-b border-line">
        <button
          type="button"
          role="tab"
          id="tab-users"
          aria-selected={tab === 'users'}
          aria-controls="panel-users"
          className={tabClass(tab === 'users')}
          onClick={() => setTab('users')}
        >
          {t('admin.tab.users')}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-audit"
          aria-selected={tab === 'audit'}
          aria-controls="panel-audit"
          className={tabClass(tab === 'audit')}
          onClick={() => setTab('audit')}
          data-testid="tab-audit"
        >
          {t('admin.tab.audit')}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-security"
          aria-selected={tab === 'security'}
          aria-controls="panel-security"
          className={tabClass(tab === 'security')}
          onClick={() => setTab('security')}
          data-testid="tab-security-audit"
        >
          {sat('sa.tab')}
        </button>
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'users' ? (
          <UsersTable meId={user?.id ?? null} />
        ) : tab === 'audit' ? (
          <AuditTrail />
        ) : (
          <SecurityAuditPanel />
        )}
      </div>
    </div>
  );
}
