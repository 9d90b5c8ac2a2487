// Setup step: fetch the broker jars into the user cache if they are not there yet.
import { ensureBrokerJars } from '../broker-jars.ts';
import { devPaths } from '../dev-paths.ts';
import { runCli } from './run-cli.ts';

runCli(async () => {
  await ensureBrokerJars(devPaths().cacheDir, (line) => console.error(`setup: ${line}`));
});
