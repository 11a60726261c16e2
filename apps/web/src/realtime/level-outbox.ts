import type { ServerMessage } from '@rstream/protocol';

type Welcome = Extract<ServerMessage, { type: 'welcome' }>;

/**
 * The listener's level across outages: the last level the user chose, sent or not. It wins over
 * the server's copy after any reconnect — the server's may predate a press a dead socket
 * swallowed — so a welcome re-sends it and is read as carrying it.
 */
export class LevelOutbox {
  private latest: number | null = null;

  /** The user chose `level` (sent now or not). */
  choose(level: number): void {
    this.latest = level;
  }

  /** On a welcome: re-sends the latest choice, if any, and returns the welcome as the page should see it. */
  welcome(message: Welcome, send: (level: number) => void): Welcome {
    const mine = this.latest;
    if (mine === null) return message;
    send(mine);
    return { ...message, level: mine };
  }
}
