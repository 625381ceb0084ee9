#!/usr/bin/env node
'use strict';
// The `meshwork` command: runs the TypeScript CLI through tsx, so `npx meshwork ...` works right after `npm ci`.
const path = require('node:path');
const { register } = require('tsx/cjs/api');

register();
require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
