import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { allowedDomainProblem, loadHttpFetchConfig } from './http-fetch-config';

/** One change of the allowlist, as the page's Add and Remove answer (the contract's `done`/`problems`). */
export interface FetchDomainEdit {
  done: boolean;
  problems: string[];
}

/**
 * http.fetch's allowlist as Tools & servers edits it: one domain added or removed at a time, the rest of
 * http-fetch.json (its limits) kept as it is. Written whole or not at all; `onSaved` takes the file up at once, so
 * the next call sees the change (the file's watch would take it up too, a moment later).
 */
export class HttpFetchConfigEditor {
  constructor(
    private readonly deps: {
      file: string;
      /** Takes the file up at once; what changed is recorded there (HttpFetchGrantAudit), as for a hand edit. */
      onSaved: () => void;
    },
  ) {}

  /** The domains allowed; `problem` is a broken file's, or else which entries are left out and why. */
  read(): { file: string; domains: string[]; problem: string | null } {
    const { config, problem, warning } = loadHttpFetchConfig(this.deps.file);
    return { file: this.deps.file, domains: [...config.allowedDomains], problem: problem ?? warning };
  }

  allow(typed: string): FetchDomainEdit {
    const problem = allowedDomainProblem(typed);
    if (problem) return { done: false, problems: [`Not added: ${problem}`] };
    const domain = typed.trim().toLowerCase();
    return this.change((domains) => (domains.some((d) => d.toLowerCase() === domain) ? null : [...domains, domain]));
  }

  remove(domain: string): FetchDomainEdit {
    const wanted = domain.trim().toLowerCase();
    return this.change((domains) => {
      const kept = domains.filter((d) => d.toLowerCase() !== wanted);
      return kept.length === domains.length ? `Not removed: ${wanted} is not on the allowlist.` : kept;
    });
  }

  /** `change` returns the new list, null when nothing changes, or why it refuses. */
  private change(change: (domains: string[]) => string[] | string | null): FetchDomainEdit {
    const { file } = this.deps;
    // A broken file allows nothing; writing over it would lose what the person meant, so it is fixed by hand first.
    const { problem } = loadHttpFetchConfig(file);
    if (problem) return { done: false, problems: [`Not changed: ${problem.replace(/; http\.fetch allows no domain until it is fixed\.$/, '')}. Fix the file first.`] };
    const raw = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    const domains = Array.isArray(raw.allowedDomains) ? (raw.allowedDomains as string[]) : [];
    const next = change(domains);
    if (typeof next === 'string') return { done: false, problems: [next] };
    if (next === null) return { done: true, problems: [] };
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ ...raw, allowedDomains: next }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
    this.deps.onSaved();
    return { done: true, problems: [] };
  }
}
