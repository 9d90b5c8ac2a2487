// npm run kafka:stop — stop the development broker; leaves no Java process behind.
import { stopDevBroker } from '../dev-broker.ts';
import { runCli } from './run-cli.ts';

runCli(async () => {
  const outcome = await stopDevBroker();
  console.error(`kafka: ${outcome === 'not-running' ? 'was not running' : outcome}`);
});
