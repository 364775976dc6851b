import * as pulumi from "@pulumi/pulumi";
import { AzureCloud } from "./catalog/clouds";

/** What every part of the secure workspace shares. */
export interface PartArgs {
    resourceGroupName: pulumi.Input<string>;
    location: pulumi.Input<string>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Where a part puts its private endpoints. */
export interface EndpointPlacement {
    /** The private-endpoint subnet (one subnet, one VNet for all of the workspace's endpoints). */
    subnetId: pulumi.Input<string>;
    cloud: AzureCloud;
    /** Zone ids by zone name, for every zone the part's group ids need. */
    privateDnsZoneIds: Readonly<Record<string, pulumi.Input<string>>>;
}
