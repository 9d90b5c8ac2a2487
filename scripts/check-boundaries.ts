// Proves that the module-boundary lint rule bites: forbidden imports must fail lint, an allowed
// one must pass. Each probe is a temporary file inside a package's src/, removed afterwards.
// The rule silently skips itself when Nx has no cached project graph, so the graph is built
// first and a skipped rule counts as a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

interface Probe {
  from: string;
  imports: string;
  allowed: boolean;
}

interface EslintFileResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

const probes: Probe[] = [
  { from: 'agent', imports: '@enclave/control-plane', allowed: false },
  { from: 'control-plane', imports: '@enclave/agent', allowed: false },
  { from: 'ui', imports: '@enclave/certs', allowed: false },
  { from: 'contracts', imports: '@enclave/certs', allowed: false },
  { from: 'certs', imports: '@enclave/provisioning', allowed: false },
  { from: 'agent', imports: '@enclave/devkit', allowed: false },
  { from: 'agent', imports: '@enclave/gpu-node', allowed: true },
  { from: 'control-plane', imports: '@enclave/certs', allowed: true },
];

execFileSync('npx', ['nx', 'show', 'projects'], { cwd: root, stdio: 'ignore' });

const files = probes.map((probe, i) => {
  const file = join(root, probe.from, 'src', `__boundary_probe_${i}__.ts`);
  writeFileSync(file, `import * as probe from '${probe.imports}';\nexport const value: unknown = probe;\n`);
  return file;
});

let results: EslintFileResult[];
try {
  const run = spawnSync('npx', ['eslint', '--format', 'json', ...files], { cwd: root, encoding: 'utf8' });
  results = JSON.parse(run.stdout) as EslintFileResult[];
} finally {
  for (const file of files) rmSync(file, { force: true });
}

let failures = 0;
probes.forEach((probe, i) => {
  const messages = results.find((r) => r.filePath === files[i])?.messages ?? [];
  const boundary = messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries');
  const skipped = boundary.some((m) => m.message.includes('skipped'));
  const ok = !skipped && (probe.allowed ? messages.length === 0 : boundary.length > 0);
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${probe.from} -> ${probe.imports} is ${probe.allowed ? 'allowed' : 'forbidden'}`,
  );
  if (!ok) {
    failures += 1;
    for (const m of messages) console.log(`     ${m.ruleId ?? ''}: ${m.message}`);
  }
});
console.log(`boundaries: ${probes.length - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
