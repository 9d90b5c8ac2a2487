// npm run kafka:start — start (or find) the development broker and wait until it serves mTLS.
import { startDevBroker } from '../dev-broker.ts';
import { runCli } from './run-cli.ts';

runCli(async () => {
  await startDevBroker();
});
