"use strict";
// The pack's `main`. In the repository the TypeScript sources are here and the Pulumi CLI's analyzer
// loads them through ts-node (always current, no build step). The published pack (`pulumi policy
// publish` packs this folder like `npm pack`) carries no sources, only dist/, built by `prepack`
// together with the catalogue files the rules import from ../components/catalog. Inside the
// secure-azureml npm package this folder ships without a build of its own
// (`pulumi preview --policy-pack node_modules/secure-azureml/policy`): the package's dist/ holds it.
// (This package.json's `types` points TypeScript's `secure-azureml/policy` at the runner's declarations:
// without it, node10 resolution would stop at this folder's main.js.)
const fs = require("fs");
const path = require("path");

if (fs.existsSync(path.join(__dirname, "index.ts"))) {
    require("./index.ts");
} else if (fs.existsSync(path.join(__dirname, "dist", "policy", "index.js"))) {
    require("./dist/policy/index.js");
} else {
    require("../dist/policy/index.js");
}
