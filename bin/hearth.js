#!/usr/bin/env node
// The `hearth` command: the CLI bundled with its JavaScript packages in dist/bundle/ (built by `npm
// run build`, or by the setup step that `npm start` and `npm test` run first; scripts/bundle.mjs
// says why). The same CLI unbundled is dist/cli/main.js.
import "../dist/bundle/hearth.js";
