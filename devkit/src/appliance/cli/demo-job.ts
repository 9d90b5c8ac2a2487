// `scripts/demo-job.sh`: the demo promo-video job against the running single box, as its
// producer. Reads demo.env (ENCLAVE_DEMO_ENV, default .enclave/dev/demo.env, or ENCLAVE_DEV_DIR's);
// writes the MP4 to the path given as the first argument (default ./enclave-demo.mp4).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { devPaths, repoRoot } from '../../kafka/dev-paths.ts';
import { runCli } from '../../kafka/cli/run-cli.ts';
import { readDemoAccounts } from '../demo-accounts.ts';
import { bundledStills, DEMO_SCRIPT, runDemoJob } from '../demo-job.ts';

runCli(async () => {
  const envFile = process.env['ENCLAVE_DEMO_ENV'] ?? join(devPaths().devDir, 'demo.env');
  let text: string;
  try {
    text = await readFile(envFile, 'utf8');
  } catch {
    throw new Error(`${envFile} not found: start the appliance first (make up), or set ENCLAVE_DEMO_ENV`);
  }
  const value = (name: string) => {
    const match = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`${envFile} has no ${name}`);
    return match[1];
  };
  const producer = (await readDemoAccounts(envFile)).find((a) => a.role === 'producer')!;
  const result = await runDemoJob({
    url: value('ENCLAVE_URL'),
    caPem: await readFile(value('ENCLAVE_CA'), 'utf8'),
    producer,
    stills: await bundledStills(repoRoot),
    script: DEMO_SCRIPT,
    outFile: resolve(process.argv[2] ?? 'enclave-demo.mp4'),
  });
  console.log(`done: ${result.outFile}`);
});
