// Exit 0 when the development broker is running, 1 otherwise (`--quiet` prints nothing).
import { devBrokerRunning } from '../dev-broker.ts';
import { runCli } from './run-cli.ts';

runCli(() => {
  const running = devBrokerRunning();
  if (!process.argv.includes('--quiet')) console.log(running ? 'running' : 'stopped');
  return running ? 0 : 1;
});
