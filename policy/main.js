"use strict";
// The pack's `main`. In the repository the TypeScript sources are here and the Pulumi CLI's analyzer
// loads them through ts-node (always current, no build step). The published pack (`pulumi policy
// publish` packs this folder like `npm pack`) carries no sources, only dist/, built by `prepack`
// together with the catalogue files the rules import from ../components/catalog.
const fs = require("fs");
const path = require("path");

if (fs.existsSync(path.join(__dirname, "index.ts"))) {
    require("./index.ts");
} else {
    require("./dist/policy/index.js");
}
