// The Pulumi program (`main: stacks/` in Pulumi.yaml). Everything happens in ./program, which the
// offline `secure-azureml plan` command also calls; the stack outputs are its return value.
import { program } from "./program";

export = program();
