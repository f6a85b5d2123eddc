#!/usr/bin/env node
// The `wijkstem` command (package.json "bin"). Plain JavaScript so Node runs it directly; tsx then loads the
// TypeScript sources, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main();
