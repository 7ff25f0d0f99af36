package io.lvsoperator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A VRRP instance that carries many addresses under one virtual router id (keepalived: {@code
 * vrrp_instance} with a {@code virtual_ipaddress} block). VirtualServers join it with {@code
 * spec.vrrpInstance}; their VIPs move with it.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("VrrpInstance")
@Singular("vrrpinstance")
@Plural("vrrpinstances")
@ShortNames("vri")
@AdditionalPrinterColumn(
    name = "VRID",
    jsonPath = ".status.virtualRouterId",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "MASTER", jsonPath = ".status.master")
@AdditionalPrinterColumn(
    name = "ADVERTISED",
    jsonPath = ".status.advertisedAddresses",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "EXCLUDED",
    jsonPath = ".status.excludedAddresses",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VrrpInstance extends CustomResource<VrrpInstanceSpec, VrrpInstanceStatus>
    implements Namespaced {}
