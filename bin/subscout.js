#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the installed package needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/entrypoints/cli.ts');
await runCli(process.argv.slice(2));
