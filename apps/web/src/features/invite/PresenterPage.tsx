import { useI18n } from '../../app/i18n';
import { Link, type Params } from '../../app/router';
import { HostPage } from '../speaker/HostPage';
import { Alert } from '../../ui/Alert';
import { loadPresenterToken } from './invitations-api';
import { useInviteT } from './strings';

/** /present/:id — the speaker screen with the invited presenter's participant token. */
export function PresenterPage({ params }: { params: Params }) {
  const { t: tApp } = useI18n();
  const t = useInviteT();
  const id = params.id ?? '';
  const token = loadPresenterToken(id);
  if (!token) {
    return (
      <div className="mx-auto max-w-lg p-8">
        <Alert>{t('invite.present.noToken')}</Alert>
        <Link to="/" className="mt-4 inline-block font-semibold text-accent underline">
          {tApp('notFound.home')}
        </Link>
      </div>
    );
  }
  return <HostPage params={params} presenterToken={token} />;
}
