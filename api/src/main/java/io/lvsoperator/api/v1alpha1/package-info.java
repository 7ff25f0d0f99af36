/**
 * The custom resources of lvs-operator, API group {@code lvsoperator.io}, version {@code v1alpha1}.
 *
 * <p>Field documentation lives in {@code @JsonPropertyDescription}: it is what the CRD generator
 * copies into each field's {@code description}, so {@code kubectl explain} and {@code
 * docs/crd-reference.md} say the same thing as the code. Where a field replaces a keepalived.conf
 * keyword, the description names the keyword.
 */
package io.lvsoperator.api.v1alpha1;
