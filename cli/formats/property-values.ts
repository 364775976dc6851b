import { maskedSecret, unknownValue } from "../../policy/plan";
import { isRecord } from "../project";

/**
 * Pulumi's serialized property values (pulumi/pulumi sdk/pkg/resource/stack/deployment.go,
 * `SerializePropertyValue` / `DeserializePropertyValue`, commit 6804a1e2) as the plain JSON the
 * policy pack reads, the way CrossGuard's analyzer hands `props` to a policy:
 *
 * - a secret (`{"4dabf181…": "1b470612…", plaintext | ciphertext}`) becomes its value when the file
 *   carries the plaintext (`pulumi stack export --show-secrets`), parsed from its JSON encoding as the
 *   engine does (`secretPropertyValueFromPlaintext`); a ciphertext cannot be opened offline, so it
 *   becomes "[secret]", which the pack reads as unknown (policy/plan.ts `maskedSecret`). A preview
 *   always masks secrets as that same string (pkg/backend/display/json.go, `massagePropertyValue`).
 * - a resource reference becomes its id when it has one, else its URN.
 * - an output value (`d0e6a833…`, written with the v4 `outputDependencies` feature) becomes its
 *   value, or the unknown sentinel when it has none; a secret one is masked like any secret.
 * - the unknown sentinel (`computedValuePlaceholder`) stays as it is: the pack reads it as unknown.
 * - assets and archives stay as their serialized objects.
 */

export const sigKey = "4dabf18193072939515e22adb298388d";
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";
export const resourceReferenceSig = "5cf8f73096256a8f31e491e813e4eb8e";
export const outputValueSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/**
 * Copy on write: a list or object none of whose values changes is returned as it is, so the inputs of
 * a large file (nearly all plain values) are not copied a second time. Callers hand it values parsed
 * from JSON that nothing else holds; an object with an own `__proto__` key is always copied, as
 * assigning it to a fresh object always did.
 */
export function plainValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const item = value[i];
            const plain = plainValue(item);
            if (!out && !Object.is(plain, item)) out = value.slice(0, i);
            if (out) out.push(plain);
        }
        return out ?? value;
    }
    if (!isRecord(value)) return value;
    const sig = value[sigKey];
    if (sig === secretSig) return openSecret(value);
    if (sig === resourceReferenceSig) {
        if (typeof value.id === "string" && value.id !== "") return value.id;
        return typeof value.urn === "string" ? value.urn : unknownValue;
    }
    if (sig === outputValueSig) {
        if (value.secret === true) return maskedSecret;
        return "value" in value ? plainValue(value.value) : unknownValue;
    }
    const keys = Object.keys(value);
    let out: Record<string, unknown> | undefined;
    if (Object.prototype.hasOwnProperty.call(value, "__proto__")) out = {};
    for (let i = 0; i < keys.length; i++) {
        const item = value[keys[i]];
        const plain = plainValue(item);
        if (!out && !Object.is(plain, item)) {
            out = {};
            for (let j = 0; j < i; j++) out[keys[j]] = value[keys[j]];
        }
        if (out) out[keys[i]] = plain;
    }
    return out ?? value;
}

function openSecret(secret: Record<string, unknown>): unknown {
    if (typeof secret.plaintext === "string" && secret.plaintext !== "") {
        try {
            return plainValue(JSON.parse(secret.plaintext));
        } catch {
            return secret.plaintext;
        }
    }
    // The SDK's in-memory form (`{sig, value}`), as the recording engine may see it.
    if ("value" in secret && secret.value !== undefined) return plainValue(secret.value);
    return maskedSecret;
}

/** Whether a plain object holds no keys (the serialized form of an absent property map). */
export function isEmptyMap(value: unknown): boolean {
    return !isRecord(value) || Object.keys(value).length === 0;
}
