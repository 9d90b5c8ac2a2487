// The Apache Kafka broker jars, fetched once from Maven Central with Maven into the user
// cache (outside the repository) and reused by every later start.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const pomFile = resolve(import.meta.dirname, '..', '..', 'kafka', 'pom.xml');

/** The broker version; keep in step with devkit/kafka/pom.xml. */
export const kafkaVersion = '4.4.0';

export function brokerLibDir(cacheDir: string): string {
  return join(cacheDir, `kafka-${kafkaVersion}`, 'libs');
}

export function brokerJarsPresent(cacheDir: string): boolean {
  const dir = brokerLibDir(cacheDir);
  return existsSync(join(dir, '.complete')) && existsSync(join(dir, `kafka_2.13-${kafkaVersion}.jar`));
}

/** Copies the broker and its runtime dependencies into the cache; a no-op when already there. */
export async function ensureBrokerJars(cacheDir: string, log: (line: string) => void): Promise<string> {
  const dir = brokerLibDir(cacheDir);
  if (brokerJarsPresent(cacheDir)) return dir;
  log(`fetching Apache Kafka ${kafkaVersion} jars with Maven into ${dir}`);
  // Download into a sibling folder and rename, so an interrupted fetch never looks complete.
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await run(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        pomFile,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${partial}`,
        '-DincludeScope=runtime',
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const detail =
      error instanceof Error && 'stdout' in error ? String((error as { stdout: unknown }).stdout) : '';
    throw new Error(
      `could not fetch the Kafka broker jars with Maven (is 'mvn' installed?)\n${detail}`.trim(),
      {
        cause: error,
      },
    );
  }
  const jars = readdirSync(partial).filter((f) => f.endsWith('.jar'));
  if (!jars.includes(`kafka_2.13-${kafkaVersion}.jar`)) {
    throw new Error(`Maven finished but kafka_2.13-${kafkaVersion}.jar is missing from ${partial}`);
  }
  await writeFile(join(partial, '.complete'), `${jars.length} jars\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return dir;
}
