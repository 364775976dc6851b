import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import { Cidr, cidrContains, cidrsOverlap, dockerBridgeRange, parseCidr } from "./catalog/cidr";
import { AzureCloud, azureClouds, isAzureCloud } from "./catalog/clouds";
import { azureRegions, normaliseRegion } from "./catalog/regions";

/**
 * Argument validation that runs before a component registers anything. Each failure names the
 * component, the argument, the value and the rule, so a bad stack config fails in milliseconds with a
 * message a person can act on, instead of minutes into a deployment.
 */
export class InvalidArgumentError extends Error {
    constructor(
        readonly component: string,
        readonly argument: string,
        readonly value: unknown,
        readonly rule: string,
    ) {
        super(`${component}: ${argument} = ${JSON.stringify(value)}: ${rule}`);
        this.name = "InvalidArgumentError";
    }
}

/**
 * The plain value of an input when it is known at construction (a literal, not an Output or Promise).
 * Validation can only look at known values; computed ones are checked by Azure and the policy pack.
 */
export function knownValue<T>(input: pulumi.Input<T> | undefined): T | undefined {
    if (input === undefined || pulumi.Output.isInstance(input) || input instanceof Promise) {
        return undefined;
    }
    return input as T;
}

/** Azure keeps the first four addresses and the last one of every subnet. */
export const azureReservedAddressesPerSubnet = 5;

/** Azure's smallest subnet. */
export const smallestSubnetPrefixLength = 29;

/** Azure Bastion needs an AzureBastionSubnet of /26 or larger. */
export const bastionSubnetMaxPrefixLength = 26;

/** Parses a CIDR argument strictly: an aligned IPv4 block, or an InvalidArgumentError. */
export function parseCidrArgument(component: string, argument: string, value: unknown): Cidr {
    if (typeof value !== "string" || !ipaddr.IPv4.isValidCIDR(value)) {
        throw new InvalidArgumentError(component, argument, value, "must be an IPv4 CIDR block such as 10.0.0.0/24");
    }
    const [address, bits] = ipaddr.IPv4.parseCIDR(value);
    const network = ipaddr.IPv4.networkAddressFromCIDR(value);
    if (network.toString() !== address.toString()) {
        throw new InvalidArgumentError(
            component,
            argument,
            value,
            `has host bits set; the block starts at ${network.toString()}/${bits}`,
        );
    }
    return [address, bits];
}

export function usableAddresses([, bits]: Cidr): number {
    return 2 ** (32 - bits) - azureReservedAddressesPerSubnet;
}

const dockerBridge = parseCidr(dockerBridgeRange)!;

/** A subnet the component will create, with what its role needs. */
export interface SubnetPlan {
    /** The argument that set it, for error messages (`trainingSubnetPrefix`). */
    argument: string;
    cidr: string;
    /** Addresses that must be usable after Azure's five reserved ones. */
    minUsableAddresses: number;
    /** Why it needs that many, for the error message. */
    sizeReason: string;
    /** The longest prefix the role accepts (26 for Bastion); defaults to Azure's /29 minimum. */
    maxPrefixLength?: number;
}

/**
 * Checks an address space and its subnets: parse, Docker bridge, containment, overlap, size. When the
 * address space is not known at construction (`cidrs` undefined), everything but containment is checked.
 */
export function validateNetworkLayout(
    component: string,
    addressSpace: { argument: string; cidrs?: string[] },
    subnets: SubnetPlan[],
): void {
    if (addressSpace.cidrs !== undefined && addressSpace.cidrs.length === 0) {
        throw new InvalidArgumentError(
            component,
            addressSpace.argument,
            addressSpace.cidrs,
            "must hold at least one CIDR block",
        );
    }
    const spaceCidrs = addressSpace.cidrs ?? [];
    const spaces = spaceCidrs.map((cidr) => {
        const parsed = parseCidrArgument(component, addressSpace.argument, cidr);
        rejectDockerBridge(component, addressSpace.argument, cidr, parsed);
        return { cidr, parsed };
    });
    spaces.forEach((a, i) =>
        spaces.slice(i + 1).forEach((b) => {
            if (cidrsOverlap(a.parsed, b.parsed)) {
                throw new InvalidArgumentError(
                    component,
                    addressSpace.argument,
                    spaceCidrs,
                    `${a.cidr} overlaps ${b.cidr}`,
                );
            }
        }),
    );

    const planned = subnets.map((subnet) => {
        const parsed = parseCidrArgument(component, subnet.argument, subnet.cidr);
        rejectDockerBridge(component, subnet.argument, subnet.cidr, parsed);
        if (addressSpace.cidrs !== undefined && !spaces.some((space) => cidrContains(space.parsed, parsed))) {
            throw new InvalidArgumentError(
                component,
                subnet.argument,
                subnet.cidr,
                `must lie inside the address space ${spaceCidrs.join(", ")}`,
            );
        }
        const maxPrefix = subnet.maxPrefixLength ?? smallestSubnetPrefixLength;
        if (parsed[1] > maxPrefix) {
            throw new InvalidArgumentError(
                component,
                subnet.argument,
                subnet.cidr,
                `is a /${parsed[1]}; this subnet must be a /${maxPrefix} or larger`,
            );
        }
        if (usableAddresses(parsed) < subnet.minUsableAddresses) {
            throw new InvalidArgumentError(
                component,
                subnet.argument,
                subnet.cidr,
                `has ${usableAddresses(parsed)} usable addresses (Azure reserves ${azureReservedAddressesPerSubnet} per subnet) but needs ${subnet.minUsableAddresses}: ${subnet.sizeReason}`,
            );
        }
        return { subnet, parsed };
    });
    planned.forEach((a, i) =>
        planned.slice(i + 1).forEach((b) => {
            if (cidrsOverlap(a.parsed, b.parsed)) {
                throw new InvalidArgumentError(
                    component,
                    b.subnet.argument,
                    b.subnet.cidr,
                    `overlaps ${a.subnet.argument} (${a.subnet.cidr}); subnets must not overlap`,
                );
            }
        }),
    );
}

/**
 * The block of `prefixLength` that starts `offset` addresses into `space` (a parsed, aligned CIDR), or
 * undefined when it does not fit inside the space. Used to carve default subnets.
 */
export function carveBlock([base, bits]: Cidr, offset: number, prefixLength: number): string | undefined {
    const size = 2 ** (32 - prefixLength);
    if (prefixLength < bits || offset % size !== 0 || offset + size > 2 ** (32 - bits)) return undefined;
    const start = base.toByteArray().reduce((n, byte) => n * 256 + byte, 0) + offset;
    const bytes = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
    return `${new ipaddr.IPv4(bytes).toString()}/${prefixLength}`;
}

/** The longest prefix (smallest block) that holds `addresses` addresses. */
export function prefixLengthFor(addresses: number): number {
    return 32 - Math.ceil(Math.log2(addresses));
}

function rejectDockerBridge(component: string, argument: string, cidr: string, parsed: Cidr): void {
    if (cidrsOverlap(parsed, dockerBridge)) {
        throw new InvalidArgumentError(
            component,
            argument,
            cidr,
            `overlaps ${dockerBridgeRange}, Docker's default bridge network, which the source document says not to use for the VNet`,
        );
    }
}

/** Checks a cloud name. */
export function validateCloud(component: string, cloud: unknown): AzureCloud {
    if (!isAzureCloud(cloud)) {
        throw new InvalidArgumentError(component, "cloud", cloud, `must be one of ${azureClouds.join(", ")}`);
    }
    return cloud;
}

/** Checks the cloud name and that the location is a region of that cloud; returns the normalised region. */
export function validateLocation(component: string, location: unknown, cloudName: unknown = "AzureCloud"): string {
    const cloud = validateCloud(component, cloudName);
    if (typeof location !== "string" || location.trim() === "") {
        throw new InvalidArgumentError(
            component,
            "location",
            location,
            "must be an Azure region name such as westeurope",
        );
    }
    const region = normaliseRegion(location);
    if (!azureRegions[cloud].includes(region)) {
        const elsewhere = (Object.keys(azureRegions) as AzureCloud[]).find((c) => azureRegions[c].includes(region));
        throw new InvalidArgumentError(
            component,
            "location",
            location,
            elsewhere
                ? `is a region of ${elsewhere}, not of ${cloud}; set cloud to ${elsewhere}`
                : `is not a known ${cloud} region (for example ${azureRegions[cloud].slice(0, 3).join(", ")}); regional service tags are built from it`,
        );
    }
    return region;
}

/**
 * Refuses the first of `keys` that `args` sets while the switch they belong to is off (`reason` names
 * the switch and the fix): a setting for something switched off is almost always a forgotten switch.
 */
export function rejectSetWhileOff<A extends object>(
    component: string,
    args: A,
    keys: readonly (keyof A & string)[],
    reason: string,
): void {
    for (const key of keys) {
        if (args[key] !== undefined) throw new InvalidArgumentError(component, key, args[key], reason);
    }
}

/** A boolean argument, or its default when it is left out. */
export function validateFlag(component: string, argument: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
        throw new InvalidArgumentError(component, argument, value, "must be true or false");
    }
    return value;
}

/** Checks that a count is a whole number within bounds. */
export function validateCount(component: string, argument: string, value: unknown, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        throw new InvalidArgumentError(component, argument, value, `must be a whole number from ${min} to ${max}`);
    }
    return value;
}

/** The arguments every component of this package takes. */
export interface PlacementArgs {
    resourceGroupName?: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    cloud?: unknown;
}

/**
 * Checks what every component needs first: an args object, a resource group name, a known cloud and a
 * location (a known region of that cloud, when the value is known). `locationReason` says what the
 * component builds from the location. Returns the cloud and, when known, the normalised region.
 */
export function validatePlacement(
    component: string,
    args: PlacementArgs | undefined,
    locationReason: string,
): { cloud: AzureCloud; region: string | undefined } {
    if (args === undefined || args === null || typeof args !== "object") {
        throw new InvalidArgumentError(
            component,
            "args",
            args,
            "must be an object with at least resourceGroupName and location",
        );
    }
    const resourceGroupName = knownValue(args.resourceGroupName);
    if (
        args.resourceGroupName === undefined ||
        (resourceGroupName !== undefined && (typeof resourceGroupName !== "string" || resourceGroupName.trim() === ""))
    ) {
        throw new InvalidArgumentError(
            component,
            "resourceGroupName",
            args.resourceGroupName,
            "must be a non-empty resource group name",
        );
    }
    const cloud = validateCloud(component, args.cloud ?? "AzureCloud");
    if (args.location === undefined) {
        throw new InvalidArgumentError(component, "location", undefined, `is required: ${locationReason}`);
    }
    const location = knownValue(args.location);
    return { cloud, region: location === undefined ? undefined : validateLocation(component, location, cloud) };
}
