#!/usr/bin/env node
// The `seva` command. Runs the TypeScript sources through tsx so there is no build step for the server.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
