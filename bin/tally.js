#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx registers an on-the-fly loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin/tally.ts');
