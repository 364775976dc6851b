"use strict";
// The benchmark's floor: a process that only starts Node and loads the modules named on its command
// line (@pulumi/pulumi, the azure-native modules the components import, @pulumi/random), resolved from
// the repository as the component resolves them. The least any plan can cost.
for (const name of process.argv.slice(2)) require(name);
