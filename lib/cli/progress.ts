import { CliIo } from './cli-io';

/** A progress line on standard error, redrawn in place; silent unless standard error is a terminal and JSON is not asked for. */
export class ProgressLine {
  /** Creates the line for a command: shown only on a terminal, never with `--json`. */
  public static for(io: CliIo, label: string, json: boolean | undefined): ProgressLine {
    return new ProgressLine(io, label, io.stderrIsTerminal === true && !json);
  }

  private shown = false;
  private lastDraw = 0;

  constructor(private readonly io: CliIo, private readonly label: string, private readonly enabled: boolean) {}

  /** Shows `done` of `total` (at most ten redraws a second). */
  public update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    this.io.stderr(`\r\u001b[K${this.label}: ${done}/${total} (${Math.floor((100 * done) / Math.max(total, 1))}%)`);
  }

  /** Erases the line. */
  public done(): void {
    if (this.shown) this.io.stderr('\r\u001b[K');
    this.shown = false;
  }
}
