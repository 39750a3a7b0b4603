// Runs a program under a pseudo-terminal and types answers at its prompts, the way a person at a
// terminal would: for programs that read secrets only from a terminal (age, `sijil key new`).
// Python's pty module does the terminal work, so no native addon is needed.
import { spawnSync } from 'node:child_process';

export interface PtyStep {
  /** Text the program prints before it expects the answer. */
  readonly expect: string;
  /** What is typed; a carriage return (Enter) follows unless `enter` is false. */
  readonly send: string;
  readonly enter?: boolean;
}

export interface PtyResult {
  /** The exit code (or 128 + signal). */
  readonly status: number;
  /** Everything the terminal showed: the program's output and anything the terminal echoed. */
  readonly transcript: string;
  /** How many steps were answered. */
  readonly answered: number;
}

const SCRIPT = String.raw`
import json, os, pty, select, signal, sys
steps = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen, pos, answered = b"", 0, 0
while True:
    ready, _, _ = select.select([fd], [], [], 30)
    if not ready:
        # Silent for 30 s: waiting for an answer no step gives. Stop it rather than hang the test.
        os.kill(pid, signal.SIGKILL)
        break
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    while answered < len(steps):
        step = steps[answered]
        at = seen.find(step["expect"].encode(), pos)
        if at < 0:
            break
        pos = at + len(step["expect"].encode())
        os.write(fd, step["send"].encode() + (b"\r" if step.get("enter", True) else b""))
        answered += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({"status": os.waitstatus_to_exitcode(status), "transcript": seen.decode(errors="replace"), "answered": answered}))
`;

export function runInPty(argv: readonly string[], steps: readonly PtyStep[], options: { env?: NodeJS.ProcessEnv } = {}): PtyResult {
  const result = spawnSync('python3', ['-c', SCRIPT, JSON.stringify(steps), ...argv], {
    env: options.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`the pseudo-terminal runner failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { status: number; transcript: string; answered: number };
  return { status: parsed.status < 0 ? 128 - parsed.status : parsed.status, transcript: parsed.transcript, answered: parsed.answered };
}
