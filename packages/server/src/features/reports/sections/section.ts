import type { ReportResponse } from '@rstream/protocol';
import type { SessionRow } from '../../sessions/sessions-repo.js';
import type { ExportLang } from '../exports/export-strings.js';
import type { StoredResult } from '../reports-service.js';

/** What every export hands a section: the language and where a moment plays back. */
export interface SectionRenderContext {
  lang: ExportLang;
  /** the playback page at session time `t` (ms), `?t=` */
  playbackUrl: (t: number) => string;
}

export interface SectionPdfContext extends SectionRenderContext {
  doc: PDFKit.PDFDocument;
  left: number;
  width: number;
  /** the report's own section heading (starts a page when near the bottom) */
  heading: (text: string) => void;
}

/**
 * A mode's own part of the report (discussion speakers, video cohorts, …), kept in its own module:
 * the shared report files only loop over the sections. A section computes its data once when the
 * report is made (stored in `result.sections[name]`, so a later settings change rewrites nothing),
 * may annotate the key moments, adds its fields to the API answer and draws itself in the
 * HTML and PDF exports. A section that does not apply to a session adds nothing.
 */
export interface ReportSection {
  name: string;
  enrich(session: SessionRow, result: StoredResult): Promise<void>;
  respond(result: StoredResult | null): Partial<ReportResponse>;
  html(report: ReportResponse, ctx: SectionRenderContext): string;
  pdf(report: ReportResponse, ctx: SectionPdfContext): void;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
