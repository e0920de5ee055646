#!/usr/bin/env node
// The `hearth` command: the compiled CLI lives in dist/ (built by `npm run build`, or by the
// setup step that `npm start` and `npm test` run first).
import "../dist/cli/main.js";
