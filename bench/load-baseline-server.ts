// The API load benchmark's baseline (bench/load.ts): a bare node:https server with the control
// plane's TLS settings (its key and chain, TLS 1.3 only) that answers every GET with a fixed
// small JSON (200) and every POST, once its body is read, with a fixed small JSON (201). The
// same autocannon runs hit it and the control plane, so the ratio is what the application costs
// on top of Node's HTTPS stack on this machine. Env: LOAD_BASELINE_PORT, LOAD_BASELINE_KEY,
// LOAD_BASELINE_CERT (the chain). Prints `load-baseline ready <port>` once listening.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const env = process.env;
const reply = JSON.stringify({ status: 'ok', version: '0.1.0', database: { integrity: 'ok' } });
const server = createServer(
  {
    key: readFileSync(env['LOAD_BASELINE_KEY'] ?? '', 'utf8'),
    cert: readFileSync(env['LOAD_BASELINE_CERT'] ?? '', 'utf8'),
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
  },
  (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(reply);
    });
  },
);
server.listen(Number(env['LOAD_BASELINE_PORT'] ?? 21502), '127.0.0.1', () => {
  console.log(`load-baseline ready ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
