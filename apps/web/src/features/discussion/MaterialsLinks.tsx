import type { MaterialLink } from '@rstream/protocol';
import { useDiscussionT } from './strings';

/** The discussion's materials, shown to everyone (http(s) links only; the server checks it). */
export function MaterialsLinks({ links }: { links: readonly MaterialLink[] }) {
  const t = useDiscussionT();
  if (links.length === 0) return null;
  return (
    <div className="mt-3" data-testid="materials">
      <h3 className="text-sm font-bold">{t('d.materials')}</h3>
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {links.map((l) => (
          <li key={l.url}>
            <a
              href={l.url}
              target="_blank"
              rel="noopener noreferrer"
              className="font-semibold text-accent underline"
            >
              {l.title || l.url}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
