import type { Question, ServerMessage } from '@rstream/protocol';
import { compareQuestions, isVisibleToListeners } from '@rstream/protocol/light';

export type QuestionSort = 'votes' | 'time';
export type QuestionRole = 'speaker' | 'listener';

export interface QuestionsSnapshot {
  /** What this viewer may see, in display order (see `sorted`). */
  questions: Question[];
  /** Speaker: questions that arrived since the panel was last looked at. */
  unread: number;
  /** ids that arrived live (for the highlight), newest last */
  fresh: ReadonlySet<string>;
  /** the latest question that arrived live, for the screen-reader announcement */
  lastArrived: Question | null;
  loaded: boolean;
}

const QUESTION_TYPES = new Set(['question:new', 'question:answered', 'question:updated']);

/**
 * The questions of one session as one viewer sees them: the REST list plus every live event,
 * merged by id. A copy older than the one we have (lower `rev`) is ignored; per-viewer fields
 * (`mine`, `votedByMe`) survive broadcasts that do not carry them.
 */
export class QuestionStore {
  private readonly byId = new Map<string, Question>();
  private snapshot: QuestionsSnapshot = {
    questions: [],
    unread: 0,
    fresh: new Set(),
    lastArrived: null,
    loaded: false,
  };
  private readonly listeners = new Set<() => void>();
  private sort: QuestionSort;

  constructor(
    private readonly role: QuestionRole,
    sort: QuestionSort = 'votes',
  ) {
    this.sort = sort;
  }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = () => this.snapshot;

  setSort(sort: QuestionSort): void {
    this.sort = sort;
    this.emit({});
  }

  /** The REST answer (first load, or again after a reconnect). */
  load(list: Question[]): void {
    for (const q of list) this.upsert(q);
    this.emit({ loaded: true });
  }

  /** Returns true when the message was about questions. */
  handle(msg: ServerMessage): boolean {
    if (msg.type === 'question:removed') {
      // its asker erased themselves from the session
      if (!this.byId.delete(msg.questionId)) return true;
      const fresh = new Set(this.snapshot.fresh);
      fresh.delete(msg.questionId);
      const last = this.snapshot.lastArrived;
      this.emit({ fresh, lastArrived: last?.id === msg.questionId ? null : last });
      return true;
    }
    if (!QUESTION_TYPES.has(msg.type)) return false;
    const q = (msg as { question: Question }).question;
    const known = this.byId.has(q.id) && this.visible(this.byId.get(q.id)!);
    const changed = this.upsert(q);
    const merged = this.byId.get(q.id)!;
    const arrived = !known && this.visible(merged) && changed;
    if (arrived) {
      const fresh = new Set(this.snapshot.fresh);
      fresh.add(q.id);
      // An own question echoed back is not news to its asker.
      const news = !merged.mine;
      this.emit({
        fresh,
        lastArrived: news ? merged : this.snapshot.lastArrived,
        unread: this.snapshot.unread + (news ? 1 : 0),
      });
    } else if (changed) {
      this.emit({});
    }
    return true;
  }

  /** The result of a vote or an update made by this viewer over HTTP. */
  apply(q: Question): void {
    if (this.upsert(q)) this.emit({});
  }

  markRead(): void {
    if (this.snapshot.unread !== 0) this.emit({ unread: 0 });
  }

  unfresh(id: string): void {
    if (!this.snapshot.fresh.has(id)) return;
    const fresh = new Set(this.snapshot.fresh);
    fresh.delete(id);
    this.emit({ fresh });
  }

  private visible(q: Question): boolean {
    return this.role === 'speaker' || q.mine === true || isVisibleToListeners(q);
  }

  private upsert(next: Question): boolean {
    const prev = this.byId.get(next.id);
    if (prev && prev.rev > next.rev) return false;
    if (
      prev &&
      prev.rev === next.rev &&
      prev.mine === (next.mine ?? prev.mine) &&
      prev.votedByMe === (next.votedByMe ?? prev.votedByMe)
    ) {
      return false;
    }
    const merged: Question = { ...next };
    // The listener's copy of someone else's withdrawn question has no text; keep nothing of it.
    if (prev) {
      merged.mine = next.mine ?? prev.mine;
      merged.votedByMe = next.votedByMe ?? prev.votedByMe;
      if (merged.mine && !next.content && prev.content) {
        merged.content = prev.content;
        merged.askerName = prev.askerName;
      }
    }
    this.byId.set(next.id, merged);
    return true;
  }

  private emit(patch: Partial<QuestionsSnapshot>): void {
    const questions = [...this.byId.values()]
      .filter((q) => this.visible(q))
      .sort(compareQuestions(this.sort));
    this.snapshot = { ...this.snapshot, ...patch, questions };
    for (const fn of this.listeners) fn();
  }
}
