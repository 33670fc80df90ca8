import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const USER = 'vltuser';
const REPO = path.resolve(__dirname, '../../..');

function userExists(): boolean {
  try {
    execFileSync('id', ['-u', USER], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the process scan as an ordinary user', function () {
  this.timeout(120000);
  let dir = '';

  before(() => {
    // The user is kept afterwards: other test files may use the same account at the same time.
    if (!userExists()) execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', USER]);
    dir = mkdtempSync(path.join(tmpdir(), 'vlt-proc-'));
    chmodSync(dir, 0o755);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows what it can, counts what was denied, says how to see everything, and does not throw', () => {
    const script = path.join(dir, 'scan.ts');
    writeFileSync(
      script,
      `import { procCollector } from ${JSON.stringify(`${REPO}/src/core/proc/collector`)};
import { GraphBuilder } from ${JSON.stringify(`${REPO}/src/core/model/builder`)};
import { scanOptions } from ${JSON.stringify(`${REPO}/src/core/context`)};
(async () => {
  const g = new GraphBuilder();
  await procCollector.collect(scanOptions(), g);
  const s = g.build(0);
  const denied = s.report.skipped.filter((x) => x.code === 'EACCES' && x.path?.endsWith('/ns')).length;
  const own = s.edges.filter((e) => e.from === 'process:' + process.pid && e.kind === 'member-of').length;
  const processes = s.nodes.filter((n) => n.kind === 'process').length;
  console.log(JSON.stringify({ uid: process.getuid!(), source: s.report.sources.proc, denied, own, processes }));
})();
`,
    );
    chmodSync(script, 0o644);
    const out = execFileSync('runuser', ['-u', USER, '--', `${REPO}/node_modules/.bin/tsx`, script], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 90000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    console.log(`      as ${USER}: ${r.processes} processes, ${r.denied} denied; ${r.source.detail}`);
    assert.notEqual(r.uid, 0, 'ran as the ordinary user');
    assert.ok(r.denied > 0, `denied ${r.denied}`);
    assert.equal(r.source.state, 'partial');
    assert.match(r.source.detail, new RegExp(`namespace links of ${r.denied} process(es)? (was|were) denied`));
    assert.match(r.source.fix, /sudo virtlab snapshot --json/);
    assert.ok(r.processes > r.denied, 'denied processes are still listed, and others too');
    assert.equal(r.own, 8, "the scanner's own process shows all 8 namespaces");
  });
});
