import type { SessionSettings } from '@rstream/protocol';

/** The session's warning rule (average below X for Y seconds) as a small state machine. */
export class WarningState {
  active = false;
  private belowSince: number | null = null;

  /** `avg` null when nobody counts or the session is not live. Returns the new state when it flipped. */
  evaluate(rule: SessionSettings['warning'], avg: number | null, now: number): boolean | null {
    if (!rule.enabled || avg === null || avg >= rule.threshold) {
      this.belowSince = null;
      if (this.active) {
        this.active = false;
        return false;
      }
      return null;
    }
    this.belowSince ??= now;
    if (!this.active && now - this.belowSince >= rule.durationSec * 1000) {
      this.active = true;
      return true;
    }
    return null;
  }
}
