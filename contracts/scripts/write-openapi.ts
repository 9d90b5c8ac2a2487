// `npm run openapi`: regenerates contracts/openapi.json from the route table, formatted the way
// `prettier --check` expects. Commit the result; contracts/test/openapi.test.ts fails while the
// checked-in file is stale.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { buildOpenApiDocument } from '../src/rest/openapi.ts';

const target = join(import.meta.dirname, '..', 'openapi.json');
const options = (await resolveConfig(target)) ?? {};
const text = await format(JSON.stringify(buildOpenApiDocument()), { ...options, filepath: target });
await writeFile(target, text);
console.log(`wrote ${target}`);
