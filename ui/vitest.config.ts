import { defineProject } from 'vitest/config';
import { packageTestConfig } from '../vitest.shared.ts';

// The end-to-end suite drives Chromium against a real control plane on the shared real broker.
export default defineProject(packageTestConfig(import.meta.dirname, { kafka: true, testTimeoutMs: 180_000 }));
