import type { CheckStatus, CredentialView } from './views';

/**
 * One status model for a credential, shared by every surface that shows one (Problems come from the same rules and
 * severities): the CodeLens, the hover header, the Credentials view, the chain panel and the kubectl confirmation.
 * The worst check decides the mark; nothing with an error or a warning ever shows ✓.
 */
export const STATUS_MARK: Record<CheckStatus, string> = { error: '✗', warning: '⚠', info: 'ℹ', ok: '✓' };
const RANK: Record<CheckStatus, number> = { error: 0, warning: 1, info: 2, ok: 3 };

export interface CredentialProblem {
  status: CheckStatus;
  ruleId: string;
  /** A few words: `SAN does not cover inventory.foocorp.com`. */
  short: string;
  /** The full diagnostic message. */
  message: string;
}

export interface CredentialStatus {
  status: CheckStatus;
  mark: string;
  /** The CodeLens / view text: the first failing check by name, or the chain summary when all pass. */
  headline: string;
  /** Failing checks, errors first. */
  problems: CredentialProblem[];
}

const DAY_WORDS = (d: number) => (d < 0 ? `expired ${-d} day${d === -1 ? '' : 's'} ago` : d === 0 ? 'expires today' : `expires in ${d} day${d === 1 ? '' : 's'}`);

export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let w: CheckStatus = 'ok';
  for (const s of statuses) if (RANK[s] < RANK[w]) w = s;
  return w;
}

/**
 * `extra` carries findings of other rules that sit on the credential's own line (a Gateway rule on credentialName),
 * so that the line's CodeLens never says ✓ under a squiggle.
 */
export function credentialStatus(view: CredentialView, extra: CredentialProblem[] = []): CredentialStatus {
  const problems: CredentialProblem[] = [...view.checks.flatMap((c) => (c.status === 'ok' ? [] : c.messages.map((message, i) => ({ status: c.status, ruleId: c.ruleId, short: c.shorts[i] ?? c.summary, message })))), ...extra].sort(
    (a, b) => RANK[a.status] - RANK[b.status],
  );
  if (view.status === 'not-checked') return { status: 'info', mark: STATUS_MARK.info, headline: `${STATUS_MARK.info} ${view.note ?? 'not checked'}`, problems };
  const status = worstStatus(problems.map((p) => p.status));
  const certs = new Set([...view.chain, ...view.ca].map((c) => c.sha256)).size;
  const leaf = view.chain[0];
  const summary = certs ? `${certs} cert${certs === 1 ? '' : 's'}${leaf ? ` · ${DAY_WORDS(leaf.daysLeft)}` : ''}` : view.status === 'unresolved' ? 'not found locally' : 'no certificate';
  if (status === 'error' || status === 'warning') {
    const first = problems[0];
    const more = problems.length - 1;
    return { status, mark: STATUS_MARK[status], headline: `${STATUS_MARK[status]} ${first.short}${more ? ` (+${more} more)` : ''}`, problems };
  }
  if (view.status === 'unresolved' || certs === 0) return { status: 'info', mark: STATUS_MARK.info, headline: `${STATUS_MARK.info} ${summary}`, problems };
  if (status === 'info') return { status, mark: STATUS_MARK.info, headline: `${STATUS_MARK.info} ${summary} · ${problems.length} note${problems.length === 1 ? '' : 's'}`, problems };
  return { status: 'ok', mark: STATUS_MARK.ok, headline: `${STATUS_MARK.ok} ${summary}`, problems };
}
