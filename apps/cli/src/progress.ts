import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './command';

/** A progress bar on stderr, only when stderr is a terminal; otherwise a no-op. */
export interface Progress {
  update(value: number, detail?: string): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * Starts a bar for `total` steps (0: unknown, shows only the detail text). Rendering is forced on
 * update (at most every 100 ms) so that it also moves during synchronous work such as training.
 */
export function startProgress(io: CliIo, label: string, total: number): Progress {
  if (!io.stderr.isTTY) return SILENT;
  const format = total > 0 ? `${label} [{bar}] {percentage}% | {value}/{total} | {detail}` : `${label} … {detail}`;
  const bar = new SingleBar({ stream: io.stderr, format, hideCursor: true, clearOnComplete: true, fps: 10 }, Presets.shades_classic);
  bar.start(total, 0, { detail: '' });
  let last = 0;
  return {
    update(value, detail = '') {
      bar.update(value, { detail });
      const now = Date.now();
      if (now - last >= 100 || (total > 0 && value >= total)) {
        last = now;
        bar.render();
      }
    },
    stop() {
      bar.stop();
    },
  };
}
