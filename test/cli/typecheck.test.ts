import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { typeCheckProgram } from "../../cli/typecheck";
import { scratchDir } from "./helpers";

/**
 * typeCheckProgram reuses the files an earlier check in the same process parsed (cli/typecheck.ts):
 * a file whose text changed since must be read again, not judged on its old text. The program here
 * needs no package, so each check costs little more than the default library.
 */
describe("cli: the type-check of a user's program, run twice in one process", () => {
    it("checks the program's text as it is now: fixed, then broken again", () => {
        const project = scratchDir();
        const entry = path.join(project, "index.ts");
        const write = (value: string) =>
            fs.writeFileSync(entry, `export const replicas: number = ${value};\nexport const name = "ml";\n`);
        write('"three"');
        assert.throws(
            () => typeCheckProgram(project, entry),
            /the program does not type-check .*: 1 error: .*index\.ts:1:14: TS2322: Type 'string' is not assignable to type 'number'\./,
        );
        write("3");
        typeCheckProgram(project, entry);
        write('"3"');
        assert.throws(
            () => typeCheckProgram(project, entry),
            /TS2322: Type 'string' is not assignable to type 'number'/,
        );
    });
});
