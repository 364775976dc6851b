/**
 * The one place the pack imports the component package's catalogues from. The component builds from
 * these tables and the pack checks against them, so the two cannot drift apart. `npm pack` (and so
 * `pulumi policy publish`) only packs `policy/`; the `prepack` script compiles these files into
 * `policy/dist` with the pack (see policy/README.md).
 */
export { AzureCloud, azureClouds, isAzureCloud } from "../../components/catalog/clouds";
export { cloudOfRegion, normaliseRegion } from "../../components/catalog/regions";
export {
    SecurityRule,
    ServiceTagRequirement,
    applicableRequirements,
    serviceTagFor,
} from "../../components/catalog/service-tags";
export { bastionNsgRules, bastionSubnetName } from "../../components/catalog/bastion";
export {
    PrivateLinkGroupId,
    isPrivateLinkGroupId,
    privateDnsZoneNames,
    storageGroupIds,
} from "../../components/catalog/dns-zones";
export {
    Cidr,
    cidrContains,
    cidrsOverlap,
    dockerBridgeRange,
    isPrivate,
    overlapsDockerBridge,
    overlapsPrivate,
    parseCidr,
} from "../../components/catalog/cidr";
export {
    TagRelation,
    azureCloudMemberTags,
    azureCloudUncertainTags,
    everyAddressPrefixes,
    nonPublicTags,
    tagContainments,
    tagRelation,
} from "../../components/catalog/service-tag-hierarchy";
export { allowedEgressHostNames, egressHostGroups, isWildcardAll } from "../../components/catalog/egress-hosts";
export { BuiltInRole, privilegedRoles, roleByGuid } from "../../components/catalog/roles";
export { builtInRoles } from "../../components/catalog/roles";
export {
    HopId,
    ImageBuildHost,
    Journey,
    JourneyId,
    hopOf,
    imageBuildHostsIn,
    journeyById,
    journeys,
    onlineEndpointWithoutManagedNetwork,
    studioBrowserHosts,
} from "../../components/catalog/journeys";
export { CreateTimePrerequisite, createTimeRequirementsOf } from "../../components/catalog/create-time";
