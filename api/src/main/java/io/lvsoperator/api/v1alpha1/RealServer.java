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
 * A backend of one or more VirtualServers (keepalived: {@code real_server}), named by {@code
 * spec.virtualServer} or selected by a VirtualServer's {@code realServerSelector}.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("RealServer")
@Singular("realserver")
@Plural("realservers")
@ShortNames("rs")
@AdditionalPrinterColumn(name = "ADDRESS", jsonPath = ".spec.address")
@AdditionalPrinterColumn(
    name = "PORT",
    jsonPath = ".spec.port",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "WEIGHT",
    jsonPath = ".spec.weight",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "VIRTUALSERVER", jsonPath = ".spec.virtualServer")
@AdditionalPrinterColumn(name = "HEALTHY", jsonPath = ".status.healthy")
@AdditionalPrinterColumn(
    name = "DRAIN",
    jsonPath = ".spec.drain",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".status.reason", priority = 1)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RealServer extends CustomResource<RealServerSpec, RealServerStatus>
    implements Namespaced {}
