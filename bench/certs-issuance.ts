// Benchmark of the appliance CA (not a timed test): `node bench/certs-issuance.ts`.
// Reports certificates issued per second (from a public key, i.e. the CSR path without leaf
// keygen; the full enrollment path with token and CSR; and with RSA-3072 keygen), and a renewal
// storm of 1,000 nodes (time and RSS). Every figure is also given as a ratio to baselines
// measured in the same run on the same machine: raw RSA-3072 `crypto.sign` and `openssl x509
// -req` issuance through the openssl binary. The last line is machine-readable.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority, createCsr, generateLeafKeyPair } from '@enclave/certs';

const STORM_NODES = Number(process.env['BENCH_STORM_NODES'] ?? 1000);
const KEY_POOL = 8; // distinct node keys; 1,000 RSA-3072 keygens would take minutes and measure OpenSSL, not the CA

const dir = await mkdtemp(join(tmpdir(), 'enclave-bench-certs-'));
const caDir = join(dir, 'ca');
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const peakRssMib = () => mib(process.resourceUsage().maxRSS * 1024);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function perSecond(
  count: number,
  fn: (i: number) => Promise<unknown>,
  concurrency = 1,
): Promise<number> {
  let next = 0;
  const { ms } = await timed(() =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await fn(next++);
      }),
    ),
  );
  return (count / ms) * 1000;
}

try {
  const ca = await CertificateAuthority.init({ dir: caDir, passphrase: 'benchmark passphrase only' });
  const intermediateKey = createPrivateKey(
    execFileSync('cat', [join(caDir, 'intermediate.key.pem')]).toString(),
  );
  const tbs = randomBytes(1200); // about the size of a leaf TBSCertificate

  // Baseline 1: the raw signature every issuance needs, one thread and the libuv pool.
  const rawSignSync = await perSecond(300, () => Promise.resolve(sign('sha256', tbs, intermediateKey)));
  const rawSignPool = await perSecond(
    600,
    () =>
      new Promise((resolve, reject) =>
        sign('sha256', tbs, intermediateKey, (e, s) => (e ? reject(e) : resolve(s))),
      ),
    16,
  );

  // Baseline 2: openssl x509 -req signing a CSR with the same intermediate, one process per certificate.
  const keys = await Promise.all(Array.from({ length: KEY_POOL }, () => generateLeafKeyPair()));
  const keyPems = keys.map((k) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const publicPems = keys.map((k) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const csrPath = join(dir, 'bench.csr.pem');
  await writeFile(csrPath, createCsr({ privateKeyPem: keyPems[0]!, profile: 'node', name: 'bench' }));
  const caArgs = ['-CA', join(caDir, 'intermediate.cert.pem'), '-CAkey', join(caDir, 'intermediate.key.pem')];
  const opensslReq = await perSecond(40, () => {
    const serial = '0x' + randomBytes(16).toString('hex');
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        csrPath,
        ...caArgs,
        '-set_serial',
        serial,
        '-days',
        '1',
        '-sha256',
        '-out',
        '/dev/null',
      ],
      {
        stdio: 'ignore',
      },
    );
    return Promise.resolve();
  });

  // The CA: from a public key (what CSR intake hands the issuer), sequential and concurrent.
  let n = 0;
  const fromKey = () =>
    ca.issue({ profile: 'node', name: `k${n++}`, publicKeyPem: publicPems[n % KEY_POOL]! });
  const issueSeq = await perSecond(150, fromKey);
  const issueConc = await perSecond(300, fromKey, 16);

  // Full enrollment: token made, CSR verified and policy-checked, token consumed, certificate issued.
  const csrs = keyPems.map((pem, i) => ({ pem, i }));
  const enrollConc = await perSecond(
    150,
    async (i) => {
      const name = `e${i}`;
      const key = csrs[i % KEY_POOL]!;
      const { token } = await ca.createEnrollmentToken({ name });
      await ca.issueFromCsr({ csrPem: createCsr({ privateKeyPem: key.pem, profile: 'node', name }), token });
    },
    16,
  );

  // Including leaf key generation (RSA-3072), as `enclave cert issue` does.
  const withKeygen = await perSecond(
    16,
    (i) => ca.issue({ profile: 'node', name: `g${i}` }),
    availableParallelism(),
  );

  // Renewal storm: 1,000 nodes renew at once.
  const setup = await timed(async () => {
    const nodes = [];
    for (let i = 0; i < STORM_NODES; i++) {
      const keyPem = keyPems[i % KEY_POOL]!;
      const name = `storm-${i}`;
      const current = await ca.issue({
        profile: 'node',
        name,
        publicKeyPem: createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString(),
      });
      nodes.push({
        currentCertPem: current.certPem,
        csrPem: createCsr({ privateKeyPem: keyPem, profile: 'node', name }),
      });
    }
    return nodes;
  });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const storm = await timed(() => Promise.all(setup.value.map((node) => ca.renew(node))));
  const rssAfter = process.memoryUsage().rss;
  if (storm.value.length !== STORM_NODES) throw new Error('storm lost renewals');

  const stormPerSecond = (STORM_NODES / storm.ms) * 1000;
  const ratio = (x: number, base: number) => Math.round((x / base) * 100) / 100;
  const r = (x: number) => Math.round(x * 10) / 10;
  const result = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    baseline_rsa3072_sign_per_s_1thread: r(rawSignSync),
    baseline_rsa3072_sign_per_s_pool: r(rawSignPool),
    baseline_openssl_x509_req_per_s: r(opensslReq),
    issue_from_key_per_s_sequential: r(issueSeq),
    issue_from_key_per_s_concurrent16: r(issueConc),
    enroll_token_csr_per_s_concurrent16: r(enrollConc),
    issue_with_rsa3072_keygen_per_s: r(withKeygen),
    storm_nodes: STORM_NODES,
    storm_seconds: r(storm.ms / 1000),
    storm_renewals_per_s: r(stormPerSecond),
    storm_rss_growth_mib: mib(rssAfter - rssBefore),
    peak_rss_mib: peakRssMib(),
    ratio_issue_concurrent_vs_raw_sign_pool: ratio(issueConc, rawSignPool),
    ratio_issue_sequential_vs_raw_sign_1thread: ratio(issueSeq, rawSignSync),
    ratio_issue_sequential_vs_openssl_x509_req: ratio(issueSeq, opensslReq),
    ratio_storm_vs_raw_sign_pool: ratio(stormPerSecond, rawSignPool),
  };
  const rows: [string, string][] = [
    ['raw RSA-3072 sign, 1 thread (baseline)', `${result.baseline_rsa3072_sign_per_s_1thread}/s`],
    ['raw RSA-3072 sign, libuv pool (baseline)', `${result.baseline_rsa3072_sign_per_s_pool}/s`],
    ['openssl x509 -req, one process each (baseline)', `${result.baseline_openssl_x509_req_per_s}/s`],
    [
      'issue from public key, sequential',
      `${result.issue_from_key_per_s_sequential}/s (${result.ratio_issue_sequential_vs_raw_sign_1thread}x raw sign, ${result.ratio_issue_sequential_vs_openssl_x509_req}x openssl)`,
    ],
    [
      'issue from public key, 16 concurrent',
      `${result.issue_from_key_per_s_concurrent16}/s (${result.ratio_issue_concurrent_vs_raw_sign_pool}x raw sign pool)`,
    ],
    ['enrol: token + CSR + issue, 16 concurrent', `${result.enroll_token_csr_per_s_concurrent16}/s`],
    ['issue with RSA-3072 keygen', `${result.issue_with_rsa3072_keygen_per_s}/s`],
    [
      `renewal storm, ${STORM_NODES} nodes at once`,
      `${result.storm_seconds} s = ${result.storm_renewals_per_s}/s (${result.ratio_storm_vs_raw_sign_pool}x raw sign pool), RSS +${result.storm_rss_growth_mib} MiB`,
    ],
    ['peak RSS', `${result.peak_rss_mib} MiB`],
  ];
  console.log(
    `certs-issuance on ${result.cores} cores, ${result.cpu}, Node ${result.node} (storm setup ${r(setup.ms / 1000)} s)`,
  );
  for (const [what, value] of rows) console.log(`  ${what.padEnd(48)} ${value}`);
  console.log('RESULT certs-issuance ' + JSON.stringify(result));
} finally {
  await rm(dir, { recursive: true, force: true });
}
