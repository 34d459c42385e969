import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { openDatabase } from '../../src/core/storage/database';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';

export interface CrashHarnessResult {
  kills: number;
  acknowledged: number;
  killedBeforeFirstAck: number;
  failures: string[];
  durationMs: number;
}

const TABLE_OF: Record<string, string> = {
  conversation: 'SELECT 1 FROM conversations WHERE id = ?',
  message: 'SELECT 1 FROM messages WHERE id = ?',
  approval: "SELECT 1 FROM approvals WHERE id = ? AND outcome = 'approved'",
  memory: 'SELECT 1 FROM memories WHERE id = ?',
};

/** Bundles the writer once (plain Node starts it in tens of milliseconds, so hundreds of kills stay fast). */
export function bundleWriter(outDir: string): string {
  const outfile = join(outDir, 'crash-writer.cjs');
  buildSync({
    entryPoints: [join(__dirname, 'crash-writer.ts')], bundle: true, platform: 'node', format: 'cjs', outfile,
    external: ['better-sqlite3'], nodePaths: [join(__dirname, '..', '..', 'node_modules')], logLevel: 'error',
  });
  return outfile;
}

/** One writer run: starts it, kills it with SIGKILL at a random moment, and returns what it acknowledged. */
function runOnce(writer: string, files: readonly string[], seed: number, random: () => number, env: Record<string, string>): Promise<{ acks: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, ...files, String(seed)], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, NODE_PATH: join(__dirname, '..', '..', 'node_modules') },
    });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => void child.kill('SIGKILL');
    // Half the kills land anywhere from spawn (including while opening and migrating), half mid-write.
    if (random() < 0.5) timer = setTimeout(kill, random() * 120);
    child.stdout.on('data', (chunk: Buffer) => {
      if (timer === undefined) timer = setTimeout(kill, random() * 40);
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ acks: stdout.split('\n').filter((line) => line.startsWith('ack ')), stderr });
    });
  });
}

/**
 * Kills the writer `kills` times; after each kill the database must pass integrity_check (and the FTS5
 * integrity-check of both search indexes) and hold every acknowledged write.
 */
export async function runCrashHarness(options: {
  kills: number;
  dir: string;
  seed?: number;
  onProgress?: (done: number) => void;
  /** Test of the harness itself: the writer acknowledges each write before making it. */
  ackEarly?: boolean;
}): Promise<CrashHarnessResult> {
  const start = Date.now();
  const writer = bundleWriter(options.dir);
  const file = join(options.dir, 'crash.db');
  const tracesFile = join(options.dir, 'crash.traces.db');
  let state = options.seed ?? 1;
  const random = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const failures: string[] = [];
  let acknowledged = 0;
  let killedBeforeFirstAck = 0;
  for (let kill = 1; kill <= options.kills; kill++) {
    const { acks, stderr } = await runOnce(writer, [file, tracesFile], kill, random, options.ackEarly ? { PORTCULLIS_CRASH_ACK_EARLY: '1' } : {});
    if (stderr.trim()) failures.push(`kill ${kill}: the writer reported an error: ${stderr.trim().slice(0, 300)}`);
    if (acks.length === 0) killedBeforeFirstAck++;
    acknowledged += acks.length;
    const db = openDatabase(file);
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') failures.push(`kill ${kill}: integrity_check says ${String(integrity)}`);
      // The search indexes must agree with their tables too (FTS5 raises SQLITE_CORRUPT_VTAB otherwise).
      for (const fts of ['messages_fts', 'memories_fts']) {
        try {
          db.exec(`INSERT INTO ${fts}(${fts}) VALUES ('integrity-check')`);
        } catch (error) {
          failures.push(`kill ${kill}: ${fts} disagrees with its table: ${(error as Error).message}`);
        }
      }
      const statements = Object.fromEntries(Object.entries(TABLE_OF).map(([kind, sql]) => [kind, db.prepare(sql)]));
      for (const line of acks) {
        const [, kind, id] = line.split(' ');
        if (!statements[kind!]?.get(id)) failures.push(`kill ${kill}: acknowledged ${kind} ${id} is missing`);
      }
    } finally {
      db.close();
    }
    failures.push(...tracesFileProblems(tracesFile).map((problem) => `kill ${kill}: ${problem}`));
    options.onProgress?.(kill);
    if (failures.length > 10) break;
  }
  return { kills: options.kills, acknowledged, killedBeforeFirstAck, failures, durationMs: Date.now() - start };
}

/** The spans' file must pass integrity_check too (it may not exist yet: a kill during the first start). */
function tracesFileProblems(file: string): string[] {
  if (!existsSync(file)) return [];
  try {
    const db = openTracesConnection(file);
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      return integrity === 'ok' ? [] : [`the traces file's integrity_check says ${String(integrity)}`];
    } finally {
      db.close();
    }
  } catch (error) {
    return [`the traces file does not open: ${(error as Error).message}`];
  }
}
