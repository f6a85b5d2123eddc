/**
 * The dependency audit's policy (.ci/audit, docs/security/audit-policy.md) applied to saved `npm audit --json`
 * reports in npm's format: high and critical fail unless an unexpired exception with a reason names them,
 * moderate warns, a malformed exception file is its own error, and an unreachable endpoint gets its own exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wijkstem-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A report as npm 10/11 writes it (auditReportVersion 2). */
function report(vulnerabilities: { name: string; severity: string; ghsa: string; via?: string }[]): unknown {
  const entries: Record<string, unknown> = {};
  const counts: Record<string, number> = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  for (const v of vulnerabilities) {
    counts[v.severity] = (counts[v.severity] ?? 0) + 1;
    entries[v.name] = {
      name: v.name,
      severity: v.severity,
      isDirect: false,
      via: [{ source: 1100000, name: v.name, dependency: v.name, title: `Problem in ${v.name}`, url: `https://github.com/advisories/${v.ghsa}`, severity: v.severity, cwe: ['CWE-400'], cvss: { score: 7.5 }, range: '<9.9.9' }],
      effects: v.via ? [v.via] : [],
      range: '<9.9.9',
      nodes: [`node_modules/${v.name}`],
      fixAvailable: true,
    };
    // A package vulnerable only through another one names it as a string.
    if (v.via) entries[v.via] = { name: v.via, severity: v.severity, isDirect: true, via: [v.name], effects: [], range: '*', nodes: [`node_modules/${v.via}`], fixAvailable: true };
  }
  return { auditReportVersion: 2, vulnerabilities: entries, metadata: { vulnerabilities: { ...counts, total: vulnerabilities.length }, dependencies: { prod: 120, dev: 0, optional: 3, peer: 0, peerOptional: 0, total: 123 } } };
}

let n = 0;
function audit(reportJson: unknown, allow?: unknown): { status: number | null; out: string } {
  n++;
  const reportPath = join(dir, `report-${n}.json`);
  writeFileSync(reportPath, typeof reportJson === 'string' ? reportJson : JSON.stringify(reportJson));
  const allowPath = join(dir, `allow-${n}.json`);
  if (allow !== undefined) writeFileSync(allowPath, typeof allow === 'string' ? allow : JSON.stringify(allow));
  const result = spawnSync('bash', ['.ci/audit'], {
    cwd: root,
    env: { ...process.env, WIJKSTEM_AUDIT_REPORT: reportPath, WIJKSTEM_AUDIT_ALLOW: allowPath, WIJKSTEM_AUDIT_TODAY: '2026-11-23' },
    encoding: 'utf8',
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

const exception = (over: Record<string, string> = {}) => ({ advisory: 'GHSA-aaaa-bbbb-cccc', package: 'hono', reason: 'only the unused JSX renderer is affected', expires: '2026-12-31', approvedBy: 'lead', ...over });

describe('.ci/audit policy', () => {
  it('passes a clean report and one with only moderate or low advisories (listed as warnings)', () => {
    expect(audit(report([])).status).toBe(0);
    const moderate = audit(report([{ name: 'csv-parse', severity: 'moderate', ghsa: 'GHSA-1111-2222-3333' }, { name: 'pino', severity: 'low', ghsa: 'GHSA-4444-5555-6666' }]));
    expect(moderate.status).toBe(0);
    expect(moderate.out).toContain('warning  moderate csv-parse GHSA-1111-2222-3333');
  });

  it('fails on a high or critical advisory, naming it, also when it reaches us through another package', () => {
    const high = audit(report([{ name: 'hono', severity: 'high', ghsa: 'GHSA-aaaa-bbbb-cccc', via: '@hono/node-server' }]));
    expect(high.status).toBe(1);
    expect(high.out).toContain('FAIL     high     hono GHSA-aaaa-bbbb-cccc');
    expect(high.out).toContain('1 against the policy');
    expect(audit(report([{ name: 'pg', severity: 'critical', ghsa: 'GHSA-dddd-eeee-ffff' }])).status).toBe(1);
  });

  it('allows a high advisory with an unexpired exception, and fails again once it expires', () => {
    const allowed = audit(report([{ name: 'hono', severity: 'high', ghsa: 'GHSA-aaaa-bbbb-cccc' }]), { exceptions: [exception()] });
    expect(allowed.status).toBe(0);
    expect(allowed.out).toContain('allowed  high     hono GHSA-aaaa-bbbb-cccc');
    expect(allowed.out).toContain('until 2026-12-31: only the unused JSX renderer is affected; approved by lead');
    const expired = audit(report([{ name: 'hono', severity: 'high', ghsa: 'GHSA-aaaa-bbbb-cccc' }]), { exceptions: [exception({ expires: '2026-11-22' })] });
    expect(expired.status).toBe(1);
    expect(expired.out).toContain('exception expired on 2026-11-22');
    // An exception for another package does not cover it.
    expect(audit(report([{ name: 'hono', severity: 'high', ghsa: 'GHSA-aaaa-bbbb-cccc' }]), { exceptions: [exception({ package: 'kysely' })] }).status).toBe(1);
  });

  it('refuses an exception without a reason, an expiry or an approver (exit 2)', () => {
    for (const broken of [{ exceptions: [exception({ reason: '' })] }, { exceptions: [exception({ expires: 'never' })] }, { exceptions: [{ advisory: 'GHSA-x', package: 'hono' }] }, { allow: [] }, 'not json']) {
      expect(audit(report([]), broken).status, JSON.stringify(broken)).toBe(2);
    }
  });

  it('says loudly that nothing was checked when the endpoint is unreachable (exit 3)', () => {
    const unreachable = audit({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 });
    expect(unreachable.status).toBe(3);
    expect(unreachable.out).toContain('DEPENDENCY AUDIT NOT RUN');
    expect(unreachable.out).toContain('405 Method Not Allowed');
    expect(audit('').status).toBe(3);
  });

  it('the repository exception file is valid', () => {
    const clean = join(dir, 'clean.json');
    writeFileSync(clean, JSON.stringify(report([])));
    const result = spawnSync('bash', ['.ci/audit'], { cwd: root, env: { ...process.env, WIJKSTEM_AUDIT_REPORT: clean }, encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
